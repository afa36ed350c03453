"""Correcting named fields of an application (issue 20).

Amber and red results are often a typing slip: a NINO digit, a date of birth, a
misspelt name. An officer, the council's EMS or the applicant (through a link an
officer sends) corrects the fields concerned and says why. Each correction is
checked by the rules the journey applies, recorded with the values before and
after (encrypted, like the application's own), who and when, and written in the
life cycle as a "corrected" event; the application goes back to `submitted`, its
verification is queued again, and once verified it is handed over again, flagged
as corrected, like a new one.

A decided application (accepted or rejected) is the register's business, not the
hub's: it is refused. One being checked at that moment is corrected all the same:
the worker's claim is conditional on the row it saw, so the correction ends it, and
the corrected details are verified instead."""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pycountry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ier.geography.models import Address, Authority
from ier.geography.postcodes import normalise_postcode
from ier.registration import validators
from ier.registration.handover import scoped_application
from ier.registration.lifecycle import transition
from ier.registration.models import Application, Correction, Status

#: Oldest age the journey accepts for a date of birth.
OLDEST_AGE = 115
REASON_MAX = 500

NAME_FIELDS = ("first_name", "middle_names", "last_name")
PREVIOUS_NAME_FIELDS = (
    "previous_first_name",
    "previous_middle_names",
    "previous_last_name",
)
ADDRESS_FIELDS = (
    "address_uprn",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "address_town",
    "address_postcode",
)
PREVIOUS_ADDRESS_FIELDS = (
    "previous_uprn",
    "previous_line_1",
    "previous_line_2",
    "previous_line_3",
    "previous_town",
    "previous_postcode",
)
#: The fields that can be corrected, by the group an officer chooses for the
#: applicant to correct; every field is also named on its own by the API.
GROUPS: dict[str, tuple[str, ...]] = {
    "name": NAME_FIELDS,
    "previous_name": PREVIOUS_NAME_FIELDS,
    "date_of_birth": ("date_of_birth",),
    "nino": ("nino",),
    "nationalities": ("nationalities",),
    "address": ADDRESS_FIELDS,
    "previous_address": PREVIOUS_ADDRESS_FIELDS,
}
GROUP_LABELS = {
    "name": _("Name"),
    "previous_name": _("Previous name"),
    "date_of_birth": _("Date of birth"),
    "nino": _("National Insurance number"),
    "nationalities": _("Nationality"),
    "address": _("Address"),
    "previous_address": _("Previous address"),
}
#: A typed value longer than its column (Django's form error, in the field's words).
TOO_LONG = _("Enter %(limit_value)d characters or fewer")
#: How each field is named on a page (the applicant's pages are in Welsh too).
LABELS = {
    "first_name": _("First name"),
    "middle_names": _("Middle names (optional)"),
    "last_name": _("Last name"),
    "previous_first_name": _("Previous first name (optional)"),
    "previous_middle_names": _("Previous middle names (optional)"),
    "previous_last_name": _("Previous last name (optional)"),
    "nino": _("National Insurance number"),
    "nationalities": _("Nationalities"),
    "address_line_1": _("Address line 1"),
    "address_line_2": _("Address line 2 (optional)"),
    "address_line_3": _("Address line 3 (optional)"),
    "address_town": _("Town or city"),
    "address_postcode": _("Postcode"),
    "previous_line_1": _("Previous address line 1 (optional)"),
    "previous_line_2": _("Previous address line 2 (optional)"),
    "previous_line_3": _("Previous address line 3 (optional)"),
    "previous_town": _("Previous town or city (optional)"),
    "previous_postcode": _("Previous postcode (optional)"),
}
#: What the applicant must fill in, with the message when they do not.
APPLICANT_REQUIRED = {
    "first_name": _("Enter your first name"),
    "last_name": _("Enter your last name"),
    "date_of_birth": _("Enter your date of birth"),
    "nino": _("Enter your National Insurance number"),
    "address_line_1": _("Enter the first line of your address"),
    "address_town": _("Enter your town or city"),
    "address_postcode": _("Enter your postcode"),
}
FIELDS: tuple[str, ...] = tuple(f for group in GROUPS.values() for f in group)
#: Fields that may be left empty (the rest need a value once named).
OPTIONAL = {
    "middle_names",
    "last_name",
    *PREVIOUS_NAME_FIELDS,
    "address_uprn",
    "address_line_2",
    "address_line_3",
    "address_town",
    *PREVIOUS_ADDRESS_FIELDS,
}
MAX_LENGTHS = {
    "first_name": 60,
    "middle_names": 100,
    "last_name": 60,
    "previous_first_name": 60,
    "previous_middle_names": 100,
    "previous_last_name": 60,
    "address_line_1": 200,
    "address_line_2": 200,
    "address_line_3": 200,
    "address_town": 100,
    "previous_line_1": 200,
    "previous_line_2": 200,
    "previous_line_3": 200,
    "previous_town": 100,
}


class CorrectionError(Exception):
    """A correction that cannot be made; the message says why."""


class Invalid(CorrectionError):
    """Values the journey's rules refuse: `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Some of the values cannot be accepted.")
        self.errors = errors


class NotCorrectable(CorrectionError):
    def __init__(self, status: str) -> None:
        super().__init__(
            "An application that is %s can no longer be corrected here." % status
        )
        self.status = status


class NothingChanged(CorrectionError):
    def __init__(self) -> None:
        super().__init__("The values given are the ones the application has already.")


@dataclass
class Outcome:
    correction: Correction
    replayed: bool = False


# Checking values --------------------------------------------------------------


def _name(value: str) -> str:
    try:
        return validators.validate_name(
            value,
            _("Names must only include letters, spaces, hyphens and apostrophes"),
        )
    except ValidationError as error:
        raise _Refused(str(error.messages[0])) from None


class _Refused(Exception):
    pass


def _date_of_birth(value: Any, today: datetime.date) -> datetime.date:
    if isinstance(value, datetime.date):
        born = value
    else:
        try:
            born = datetime.date.fromisoformat(str(value))
        except ValueError:
            raise _Refused(
                str(_("Enter a date of birth as a real date, like 1980-03-27"))
            ) from None
    if born > today:
        raise _Refused(str(_("Date of birth must be in the past")))
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if years > OLDEST_AGE:
        raise _Refused(
            str(_("Date of birth must be after %(year)s"))
            % {"year": today.year - OLDEST_AGE - 1}
        )
    return born


def _nationalities(value: Any) -> list[str]:
    codes = [value] if isinstance(value, str) else value
    if not isinstance(codes, list) or not codes or len(codes) > 4:
        raise _Refused(str(_("Give between one and four nationalities")))
    cleaned = []
    for code in codes:
        text = str(code).strip().upper()
        if len(text) != 2 or pycountry.countries.get(alpha_2=text) is None:
            raise _Refused(
                str(_("Give each nationality as a country code, like GB or IE"))
            )
        if text not in cleaned:
            cleaned.append(text)
    return cleaned


def _uprn(value: Any) -> int:
    text = str(value).strip()
    if not text.isdigit() or len(text) > 12:
        raise _Refused(str(_("Enter a UPRN of up to 12 digits")))
    return int(text)


def _postcode(value: Any) -> str:
    postcode = normalise_postcode(str(value))
    if postcode is None:
        raise _Refused(str(_("Enter a full UK postcode, like AA3 1AB")))
    return postcode


def _one(field: str, value: Any, today: datetime.date) -> Any:
    if field == "date_of_birth":
        return _date_of_birth(value, today)
    if field == "nationalities":
        return _nationalities(value)
    if field in ("address_uprn", "previous_uprn"):
        return _uprn(value)
    text = " ".join(str(value).split())
    if "\x00" in text:
        raise _Refused(str(_("Enter text without control characters")))
    if field == "nino":
        try:
            return validators.validate_nino(text)
        except ValidationError as error:
            raise _Refused(str(error.messages[0])) from None
    if field in ("address_postcode", "previous_postcode"):
        return _postcode(text)
    if field in MAX_LENGTHS and len(text) > MAX_LENGTHS[field]:
        raise _Refused(
            str(_("Enter %(limit)d characters or fewer"))
            % {"limit": MAX_LENGTHS[field]}
        )
    if field in NAME_FIELDS or field in PREVIOUS_NAME_FIELDS:
        return _name(text)
    return text


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def clean(
    values: Mapping[str, Any], authority: Authority, today: datetime.date | None = None
) -> dict[str, Any]:
    """The values in their normal forms, or Invalid with a message per field. An
    address given by UPRN takes its lines from the address base and must be in
    the council's area (or its registration office's)."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for field, value in values.items():
        if field not in FIELDS:
            errors[field] = str(_("This field cannot be corrected"))
        elif _empty(value):
            if field in OPTIONAL:
                cleaned[field] = None if field.endswith("uprn") else ""
            else:
                errors[field] = str(_("Enter a value, or leave the field out"))
        else:
            try:
                cleaned[field] = _one(field, value, today)
            except _Refused as refused:
                errors[field] = str(refused)
    if not errors:
        _fill_addresses(cleaned, authority, errors)
    if errors:
        raise Invalid(errors)
    return cleaned


def _fill_addresses(
    cleaned: dict[str, Any], authority: Authority, errors: dict[str, str]
) -> None:
    for prefix, uprn_field in (
        ("address_", "address_uprn"),
        ("previous_", "previous_uprn"),
    ):
        uprn = cleaned.get(uprn_field)
        if uprn is None:
            continue
        # The address base is national reference data: looked up by UPRN alone.
        found = Address.objects.filter(uprn=uprn).first()
        if found is None:
            errors[uprn_field] = str(_("There is no address with this UPRN"))
        elif prefix == "address_" and (
            found.authority_id not in authority.office_council_ids
        ):
            errors[uprn_field] = str(_("This address is not in the council's area"))
        else:
            cleaned.update(
                {
                    prefix + "line_1": found.line_1,
                    prefix + "line_2": found.line_2,
                    prefix + "line_3": found.line_3,
                    prefix + "town": found.town,
                    prefix + "postcode": found.postcode,
                }
            )


# Applying a correction ----------------------------------------------------------


def _current(application: Application, field: str) -> Any:
    if field == "nino":
        return application.nino
    return getattr(application, field)


def _stored(value: Any) -> Any:
    """A value as the encrypted audit keeps it (JSON)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def replayed(authority: Authority, idempotency_key: str) -> Correction | None:
    if not idempotency_key:
        return None
    return (
        Correction.objects.for_authority(authority)
        .select_related("application")
        .filter(idempotency_key=idempotency_key)
        .first()
    )


def correct(
    authority: Authority,
    reference: str,
    values: Mapping[str, Any],
    reason: str,
    actor: str,
    source: str,
    requeue: Callable[[Application], None],
    idempotency_key: str = "",
) -> Outcome:
    """Correct the council's application `reference`; `requeue` queues its
    verification again (the channel passes verification's, which this floor
    cannot import). A retry with the same `idempotency_key` answers with the
    correction already made; so does a repeat of the latest correction."""
    earlier = replayed(authority, idempotency_key)
    if earlier is not None:
        return Outcome(earlier, replayed=True)
    try:
        return _correct(
            authority,
            reference,
            values,
            reason,
            actor,
            source,
            requeue,
            idempotency_key,
        )
    except IntegrityError:
        # Two requests with one key at once: the other one's correction stands.
        earlier = replayed(authority, idempotency_key)
        if earlier is None:
            raise
        return Outcome(earlier, replayed=True)


@transaction.atomic
def _correct(
    authority: Authority,
    reference: str,
    values: Mapping[str, Any],
    reason: str,
    actor: str,
    source: str,
    requeue: Callable[[Application], None],
    idempotency_key: str,
) -> Outcome:
    application = scoped_application(authority, reference, lock=True)
    if application.status in Status.DECIDED:
        raise NotCorrectable(application.status)
    reason = " ".join(reason.split())
    if not reason:
        raise Invalid({"reason": str(_("Enter the reason for the correction"))})
    if len(reason) > REASON_MAX:
        raise Invalid(
            {
                "reason": str(_("Reason must be %(limit)d characters or fewer"))
                % {"limit": REASON_MAX}
            }
        )
    cleaned = clean(values, authority)
    changed = {
        f: v
        for f, v in cleaned.items()
        if _stored(_current(application, f)) != _stored(v)
    }
    if not changed:
        latest = (
            Correction.objects.for_authority(authority)
            .filter(application=application)
            .order_by("-at", "-pk")
            .first()
        )
        if latest is not None and all(
            latest.after.get(f) == _stored(v) for f, v in cleaned.items()
        ):
            return Outcome(latest, replayed=True)
        raise NothingChanged
    now = timezone.now()
    correction = Correction.objects.create(
        application=application,
        authority_id=application.authority_id,
        at=now,
        actor=actor[:150],
        source=source,
        fields=sorted(changed),
        before={f: _stored(_current(application, f)) for f in changed},
        after={f: _stored(v) for f, v in changed.items()},
        reason=reason,
        idempotency_key=idempotency_key,
    )
    updates: dict[str, Any] = {}
    for field, value in changed.items():
        if field == "nino":
            application.nino = value
            updates.update(
                nino_encrypted=application.nino_encrypted,
                nino_hash=application.nino_hash,
                no_nino_reason="",
                nino_reused=False,
            )
        else:
            updates[field] = value
    if "date_of_birth" in changed:
        updates.update(no_dob_reason="", age_range="")
    if "nationalities" in changed:
        updates["nationality_reason"] = ""
    transition(
        application,
        Status.SUBMITTED,
        actor,
        event="corrected",
        detail={
            "fields": sorted(changed),
            "correction": correction.pk,
            "source": source,
        },
        corrected_at=now,
        downloaded_at=None,
        determined_at=None,
        **updates,
    )
    requeue(application)
    return Outcome(correction)


def link_email(message: str, days: int, link: str) -> tuple[str, str]:
    """The subject and body of the email with the applicant's correction link, in
    the active language; it names no detail of theirs."""
    body = _(
        "Your electoral registration office could not confirm some of the "
        "details in your application to register to vote. They may have been "
        "typed wrongly.\n\n%(message)s\n\nCheck and correct them here (the link "
        "works once, for %(days)d days):\n%(link)s\n\nIf you did not apply to "
        "register to vote, contact your council's electoral services team."
    ) % {"message": message, "days": days, "link": link}
    return str(_("Register to vote: check the details you gave")), str(body)
