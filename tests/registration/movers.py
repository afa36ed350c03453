"""Helpers for moved-out notice tests: home movers between councils."""

from datetime import date

from ier.geography.models import Address, Authority
from ier.registration.models import Application, RegisterEntry, Status
from ier.registration.register import register_match_key
from tests.api.factories import create_application


def an_address_in(authority: Authority) -> Address:
    return Address.objects.filter(authority=authority).order_by("uprn").first()


def create_home_mover(
    new: Authority,
    old: Authority | None,
    status: str = Status.DOWNLOADED,
    **fields,
) -> Application:
    """An application to `new` giving a previous address in `old` (by UPRN), or no
    previous address when `old` is None."""
    values: dict = {"moved": "from-uk"} if old is not None else {}
    if old is not None:
        before = an_address_in(old)
        values.update(
            previous_uprn=before.uprn,
            previous_line_1=before.line_1,
            previous_line_2=before.line_2,
            previous_town=before.town,
            previous_postcode=before.postcode,
        )
    values.update(fields)
    return create_application(new, status, **values)


def put_on_register(
    authority: Authority, application: Application, postcode: str, elector: str
) -> RegisterEntry:
    """An entry of `authority`'s uploaded register for the applicant at `postcode`."""
    return RegisterEntry.objects.create(
        authority=authority,
        elector_number=elector,
        first_name=application.first_name,
        last_name=application.last_name,
        date_of_birth=application.date_of_birth or date(1980, 1, 1),
        postcode=postcode,
        match_key=register_match_key(
            application.first_name,
            application.last_name,
            application.date_of_birth,
            postcode,
        ),
    )


def three_councils() -> tuple[Authority, Authority, Authority]:
    """Three councils that each have synthetic addresses."""
    ids = (
        Address.objects.filter(synthetic=True)
        .values_list("authority_id", flat=True)
        .distinct()
        .order_by("authority_id")[:3]
    )
    first, second, third = (Authority.objects.get(pk=pk) for pk in ids)
    return first, second, third
