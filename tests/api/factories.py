"""Small `create_*` helpers for portal and API tests."""

import itertools
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count
from django_otp.oath import TOTP

from ier.api import tokens
from ier.ero.models import AuthenticatorDevice, Officer, Role
from ier.geography.models import Address, Authority
from ier.registration import references
from ier.registration.models import Application, ApplicationEvent, Status

_counter = itertools.count(1)


def two_authorities() -> tuple[Authority, Authority]:
    """Two councils that each have synthetic addresses."""
    ids = (
        Address.objects.filter(synthetic=True)
        .values_list("authority_id", flat=True)
        .distinct()
        .order_by("authority_id")[:2]
    )
    first, second = list(ids)
    return Authority.objects.get(pk=first), Authority.objects.get(pk=second)


def councils_of_one_office() -> tuple[Authority, Authority, Authority]:
    """Two Scottish councils served by one registration office (a Valuation Joint
    Board), and a Scottish council served by another office."""
    office = (
        Authority.objects.exclude(registration_office=None)
        .values("registration_office")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("registration_office")
        .values_list("registration_office", flat=True)
        .first()
    )
    first, second = Authority.objects.filter(registration_office=office)[:2]
    elsewhere = (
        Authority.objects.filter(nation="Scotland")
        .exclude(registration_office=office)
        .first()
    )
    return first, second, elsewhere


def create_application(
    authority: Authority,
    status: str = Status.VERIFIED,
    verified_as: str = Status.VERIFIED,
    **fields,
) -> Application:
    """An application in `status`, with the history that led there (verification
    ended as `verified_as` when the status is later than verification)."""
    n = next(_counter)
    values = {
        "reference": references.new_reference(),
        "idempotency_key": "test-%d-%s" % (n, references.new_reference()),
        "journey": "ordinary",
        "status": status,
        "authority": authority,
        "first_name": "Ann%s" % chr(ord("a") + n % 26),
        "last_name": "Example",
        "date_of_birth": date(1980, 1, 1 + n % 28),
        "address_line_1": "%d Example Street" % n,
        "address_town": "Exampletown",
        "address_postcode": "ZZ9 %dZZ" % (n % 10),
        "nationalities": ["GB"],
        "email": "applicant%d@example.com" % n,
    }
    values.update(fields)
    application = Application(**values)
    application.nino = "QQ12345%dC" % (n % 10) if status != Status.NO_NINO else ""
    application.save()
    ApplicationEvent.objects.create(
        application=application,
        actor="citizen",
        event="submitted",
        to_status=Status.SUBMITTED,
    )
    if status not in (Status.SUBMITTED, Status.VERIFYING):
        outcome = status if status in Status.VERIFICATION_OUTCOMES else verified_as
        ApplicationEvent.objects.create(
            application=application,
            actor="verification",
            event=outcome,
            from_status=Status.SUBMITTED,
            to_status=outcome,
        )
    return application


def create_token(authority: Authority, name: str = "EMS") -> str:
    return tokens.create_token(authority, name)[1]


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Bearer %s" % secret}


PASSWORD = "correct horse battery staple"


def create_officer(
    authority: Authority, role: str = Role.OFFICER, username: str | None = None
) -> Officer:
    name = username or "officer%d@example.gov.uk" % next(_counter)
    user = get_user_model().objects.create_user(
        username=name, email=name, password=PASSWORD
    )
    AuthenticatorDevice.objects.create(user=user, name="default", confirmed=True)
    return Officer.objects.create(user=user, authority=authority, role=role)


def current_code(user) -> str:
    device = AuthenticatorDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)
