"""Moved-out notices: telling the council a person moved away from that they have
been registered elsewhere, so it can remove the old entry.

A notice is made when the new council **accepts** the application (adds the person
to its register), never earlier: an application that is refused, or never decided,
sends no notice, so a false application cannot make a council remove a real elector.
The life cycle calls `create_for_accepted` in the transaction that records the
acceptance, on the single path (`transition`) and the batch path
(`move_locked_from`) alike, whichever channel the application came by.

The old council is found two ways, and each gets one notice per application:

- the previous address the applicant gave: its UPRN's council, or the one council
  its postcode lies in (a postcode that crosses a boundary names no council by
  itself);
- the registers councils upload: an entry of another council with the applicant's
  match key (name, date of birth and the new or previous postcode, the current or
  previous name), the same key the duplicate check uses on the council's own
  register.

The old council reads and acknowledges its notices through
`ier.registration.notices`."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from ier.geography.lookup import councils_at
from ier.geography.models import Address, Authority
from ier.registration import references
from ier.registration.models import Application, MovedOutNotice, RegisterEntry
from ier.registration.register import register_match_key

Source = MovedOutNotice.Source

#: What a notice copies from the application, and nothing more: who, ...
WHO = {
    "first_name": "first_name",
    "middle_names": "middle_names",
    "last_name": "last_name",
    "previous_first_name": "previous_first_name",
    "previous_middle_names": "previous_middle_names",
    "previous_last_name": "previous_last_name",
    "date_of_birth": "date_of_birth",
}
#: ... and, for the council the previous address is in, that address. A council
#: told because its register shows the person gets no address in another area.
OLD_ADDRESS = {
    "old_uprn": "previous_uprn",
    "old_line_1": "previous_line_1",
    "old_line_2": "previous_line_2",
    "old_line_3": "previous_line_3",
    "old_town": "previous_town",
    "old_postcode": "previous_postcode",
}


def _copied(application: Application, source: str) -> dict[str, Any]:
    fields = WHO if source == Source.REGISTER else {**WHO, **OLD_ADDRESS}
    return {field: getattr(application, name) for field, name in fields.items()}


def _council_of_previous_address(application: Application, today) -> int | None:
    """The council of the previous address, or None when it names none for sure."""
    if application.previous_uprn:
        address = (
            Address.objects.filter(uprn=application.previous_uprn)
            .select_related("authority")
            .first()
        )
        if address is not None:
            return address.authority.successor_on(today).pk
    if application.previous_postcode:
        councils = {
            c.successor_on(today).pk for c in councils_at(application.previous_postcode)
        }
        if len(councils) == 1:
            return councils.pop()
    return None


def _match_keys(application: Application) -> set[str]:
    if application.date_of_birth is None:
        return set()
    names = {(application.first_name, application.last_name)}
    if application.previous_first_name or application.previous_last_name:
        names.add(
            (
                application.previous_first_name or application.first_name,
                application.previous_last_name or application.last_name,
            )
        )
    postcodes = {
        p for p in (application.address_postcode, application.previous_postcode) if p
    }
    return {
        register_match_key(first, last, application.date_of_birth, postcode)
        for first, last in names
        for postcode in postcodes
    }


def _on_other_registers(application: Application) -> dict[int, str]:
    """Other councils whose uploaded register shows the applicant: council id ->
    elector number."""
    keys = _match_keys(application)
    if not keys:
        return {}
    found: dict[int, str] = {}
    # The domain's own lookup across councils: the notice is for another council.
    entries = (
        RegisterEntry.objects.filter(match_key__in=sorted(keys))
        .exclude(authority_id=application.authority_id)
        .order_by("authority_id", "elector_number")
        .values_list("authority_id", "elector_number")
    )
    for authority_id, elector_number in entries:
        found.setdefault(authority_id, elector_number)
    return found


def old_councils(application: Application, today) -> dict[int, tuple[str, str]]:
    """Each other council to tell: council id -> (source, elector number)."""
    by_address = _council_of_previous_address(application, today)
    on_register = _on_other_registers(application)
    councils: dict[int, tuple[str, str]] = {}
    if by_address is not None and by_address != application.authority_id:
        source = Source.BOTH if by_address in on_register else Source.PREVIOUS_ADDRESS
        councils[by_address] = (source, on_register.get(by_address, ""))
    for authority_id, elector_number in on_register.items():
        councils.setdefault(authority_id, (Source.REGISTER, elector_number))
    return councils


def create_for_accepted(
    application_ids: Iterable[int], at: datetime.datetime
) -> list[tuple[int, str, str]]:
    """Make the notices for applications just accepted, once per (application,
    old council); returns (application id, notice reference, old council's GSS
    code) for each notice made. Called by the life cycle only."""
    ids = list(application_ids)
    if not ids:
        return []
    today = timezone.localdate(at)
    existing = set(
        MovedOutNotice.objects.filter(application_id__in=ids).values_list(
            "application_id", "authority_id"
        )
    )
    notices = []
    for application in Application.objects.filter(pk__in=ids).order_by("pk"):
        registered = application.determined_at or at
        for authority_id, (source, elector) in old_councils(application, today).items():
            if (application.pk, authority_id) in existing:
                continue
            notices.append(
                MovedOutNotice(
                    reference=references.new_reference(),
                    authority_id=authority_id,
                    application_id=application.pk,
                    new_authority_id=application.authority_id,
                    source=source,
                    elector_number=elector,
                    applied_on=timezone.localdate(application.submitted_at),
                    registered_on=timezone.localdate(registered),
                    created_at=at,
                    **_copied(application, source),
                )
            )
    MovedOutNotice.objects.bulk_create(notices)
    gss = dict(
        Authority.objects.filter(pk__in={n.authority_id for n in notices}).values_list(
            "pk", "gss_code"
        )
    )
    return [(n.application_id, n.reference, gss[n.authority_id]) for n in notices]
