"""An application keyed from a paper form, a phone call or a visit, checked by the
very rules the online journey applies: each group of fields is put to the journey's
own form for it (name, previous name, date of birth, nationality, National Insurance
number, address, previous address, moved, open register, postal vote, contact), so
a rule changed for the journey holds for every channel.

`check` takes one record (the EMS API's flat fields) and the councils the sender
serves, and returns the application's values or the errors, each named by the
record's field it belongs to."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from ier.citizen.addressing import authorities_for_postcode
from ier.citizen.forms import about_you, address, choices
from ier.citizen.journey import Context
from ier.citizen.validity import to_querydict
from ier.geography.models import Address
from ier.geography.postcodes import normalise_postcode

#: The countries the journey records for "British" and "Irish".
NAMED_NATIONALITIES = {"GB": "british", "IE": "irish"}
MAX_OTHER_NATIONALITIES = 3


class Batch:
    """What the records of one batch share: the journey's forms, each built once
    and bound to each record in turn, and the addresses their UPRNs name, read in
    one query."""

    #: Forms whose fields depend on the answers (the councils at a postcode): new
    #: for each record.
    FRESH = (address.AddressManualForm,)

    def __init__(self, records: list[dict[str, Any]]) -> None:
        uprns = {
            record[name]
            for record in records
            for name in ("address_uprn", "previous_address_uprn")
            if record[name] is not None
        }
        found = Address.objects.filter(uprn__in=uprns).select_related("authority")
        self.addresses = {a.uprn: a for a in found} if uprns else {}
        self._forms: dict[tuple[type, str | None], Any] = {}

    def form(self, form_class: type[Any], data: dict[str, Any], ctx: Context) -> Any:
        """`form_class` bound to `data`, as `form_class(data=..., ctx=ctx)`."""
        bound = to_querydict(data)
        if issubclass(form_class, self.FRESH):
            return form_class(data=bound, ctx=ctx)
        # A form's fields may depend on the nation (the age ranges offered).
        key = (form_class, ctx.nation)
        form = self._forms.get(key)
        if form is None:
            form = self._forms[key] = form_class(data=bound, ctx=ctx)
        else:
            form.ctx = ctx
            form.rebind(bound)
        return form


@dataclass
class Checked:
    """One record checked: the application's values, or what is wrong with it as
    (field, message, code)."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    #: The nation of the current address, once found (the law on ages differs).
    nation: str = ""
    batch: Batch | None = None

    def refuse(self, name: str, message: Any, code: str = "invalid") -> None:
        self.errors.append((name, str(message), code))


def _form(
    checked: Checked,
    form_class: type,
    data: dict[str, Any],
    names: dict[str, str],
    ctx: Context,
) -> Any:
    """Run one of the journey's forms over `data`; its errors are recorded under the
    record's field names (`names` maps the form's to them). The form, if valid."""
    assert checked.batch is not None
    form = checked.batch.form(form_class, data, ctx)
    if form.is_valid():
        return form
    for name, errors in form.errors.as_data().items():
        for error in errors:
            message = error.message % error.params if error.params else error.message
            checked.refuse(names.get(name, name), message, error.code or "invalid")
    return None


def _date_parts(value: str) -> dict[str, str]:
    year, _sep, rest = value.partition("-")
    month, _sep, day = rest.partition("-")
    return {
        "date_of_birth-day": day,
        "date_of_birth-month": month,
        "date_of_birth-year": year,
    }


def _about_you(record: dict[str, Any], checked: Checked, ctx: Context) -> None:
    form = _form(
        checked,
        about_you.NameForm,
        {
            "first_name": record["first_name"],
            "middle_names": record["middle_names"],
            "last_name": record["last_name"],
            "one_name": ["yes"] if record["only_one_name"] else [],
        },
        {"one_name": "only_one_name"},
        ctx,
    )
    if form:
        checked.values.update(form.application_fields())
    previous = [record["previous_%s" % n] for n in ("first_name", "last_name")]
    if any(previous) or record["previous_middle_names"]:
        form = _form(
            checked,
            about_you.PreviousNameDetailsForm,
            {
                name: record[name]
                for name in (
                    "previous_first_name",
                    "previous_middle_names",
                    "previous_last_name",
                )
            },
            {},
            ctx,
        )
        if form:
            checked.values.update(form.application_fields())
    born = record["date_of_birth"] or ""
    data: dict[str, Any] = _date_parts(born) if born else {}
    if not born and (record["no_date_of_birth_reason"] or record["age_range"]):
        data.update(
            cannot_give=["yes"],
            reason=record["no_date_of_birth_reason"],
            age_range=record["age_range"],
        )
    form = _form(
        checked,
        about_you.DateOfBirthForm,
        data,
        {"reason": "no_date_of_birth_reason", "cannot_give": "date_of_birth"},
        ctx,
    )
    if form:
        checked.values.update(form.application_fields())
    _nationality(record, checked, ctx)
    nino = record["nino"]
    form = _form(
        checked,
        about_you.NinoForm,
        {
            "nino": nino,
            "cannot_give": ["yes"] if not nino and record["no_nino_reason"] else [],
            "reason": record["no_nino_reason"],
        },
        {"reason": "no_nino_reason", "cannot_give": "nino"},
        ctx,
    )
    if form:
        checked.values.update(form.application_fields())


def _nationality(record: dict[str, Any], checked: Checked, ctx: Context) -> None:
    codes = [str(code).strip().upper() for code in record["nationalities"]]
    chosen = [NAMED_NATIONALITIES[c] for c in codes if c in NAMED_NATIONALITIES]
    others = [c for c in codes if c not in NAMED_NATIONALITIES]
    if len(others) > MAX_OTHER_NATIONALITIES:
        checked.refuse(
            "nationalities",
            _("Give at most %(count)d nationalities besides British and Irish")
            % {"count": MAX_OTHER_NATIONALITIES},
            "too_many",
        )
        return
    data: dict[str, Any] = {"other_%d" % (n + 1): code for n, code in enumerate(others)}
    if others:
        chosen.append("other")
    if not codes and record["nationality_reason"]:
        chosen.append("unknown")
        data["reason"] = record["nationality_reason"]
    data["nationality"] = chosen
    form = _form(
        checked,
        about_you.NationalityForm,
        data,
        {
            "nationality": "nationalities",
            "other_1": "nationalities",
            "other_2": "nationalities",
            "other_3": "nationalities",
            "reason": "nationality_reason",
        },
        ctx,
    )
    if form:
        checked.values.update(form.application_fields())


def _address(
    record: dict[str, Any],
    prefix: str,
    checked: Checked,
    ctx: Context,
    councils: set[int] | None,
) -> dict[str, Any] | None:
    """The address under `prefix` ("address" or "previous_address") by UPRN, or by
    lines and postcode, as the application's columns; for the current address
    (`councils` given) it must lie in one of those councils."""
    key = "address" if prefix == "address" else "previous"
    postcode_form = (
        address.PostcodeForm if prefix == "address" else address.PreviousPostcodeForm
    )
    uprn = record["%s_uprn" % prefix]
    typed = normalise_postcode(record["%s_postcode" % prefix]) or ""
    if uprn is not None:
        assert checked.batch is not None
        found = checked.batch.addresses.get(uprn)
        if found is None or (typed and found.postcode != typed):
            checked.refuse(
                "%s_uprn" % prefix,
                _("There is no address with this UPRN at this postcode")
                if typed
                else _("There is no address with this UPRN"),
                "unknown_uprn",
            )
            return None
        if councils is not None and found.authority_id not in councils:
            checked.refuse(
                "%s_uprn" % prefix,
                _("This address is not in your council's area"),
                "outside_area",
            )
            return None
        checked.nation = checked.nation or found.authority.nation
        return {
            "authority_id": found.authority_id,
            "%s_uprn" % key: found.uprn,
            "%s_line_1" % key: found.line_1,
            "%s_line_2" % key: found.line_2,
            "%s_line_3" % key: found.line_3,
            "%s_town" % key: found.town,
            "%s_postcode" % key: found.postcode,
            "%s_manual" % key: False,
        }
    postcode = _form(
        checked,
        postcode_form,
        {"postcode": record["%s_postcode" % prefix]},
        {"postcode": "%s_postcode" % prefix},
        ctx,
    )
    slug = "address" if prefix == "address" else "previous-address"
    data: dict[str, Any] = {
        "line_1": record["%s_line_1" % prefix],
        "line_2": record["%s_line_2" % prefix],
        "town": record["%s_town" % prefix],
    }
    authority_id = None
    if postcode is not None:
        at = authorities_for_postcode(postcode.cleaned_data["postcode"])
        ours = [a for a in at if councils is None or a.pk in councils]
        if councils is not None and not ours:
            checked.refuse(
                "%s_postcode" % prefix,
                _("This postcode is not in your council's area"),
                "outside_area",
            )
            return None
        if ours:
            authority_id = ours[0].pk
            checked.nation = checked.nation or ours[0].nation
            data["authority"] = ours[0].gss_code
    lines = _form(
        checked,
        address.AddressManualForm,
        data,
        {name: "%s_%s" % (prefix, name) for name in ("line_1", "line_2", "town")},
        Context({slug: {"postcode": typed}}, ctx.today),
    )
    if postcode is None or lines is None:
        return None
    return {
        "authority_id": authority_id,
        "%s_uprn" % key: None,
        "%s_line_1" % key: lines.cleaned_data["line_1"],
        "%s_line_2" % key: lines.cleaned_data.get("line_2") or "",
        "%s_line_3" % key: "",
        "%s_town" % key: lines.cleaned_data["town"],
        "%s_postcode" % key: postcode.cleaned_data["postcode"],
        "%s_manual" % key: True,
    }


def _where(record: dict[str, Any], checked: Checked, ctx: Context, councils) -> None:
    current = _address(record, "address", checked, ctx, councils)
    if current:
        checked.values.update(current)
    form = _form(checked, address.MovedForm, {"moved": record["moved"]}, {}, ctx)
    if form:
        checked.values.update(form.application_fields())
    gave_previous = record["previous_address_uprn"] is not None or any(
        record["previous_address_%s" % n] for n in ("line_1", "postcode")
    )
    if gave_previous or record["moved"] == "from-uk":
        previous = _address(record, "previous_address", checked, ctx, None)
        if previous:
            previous.pop("authority_id")
            checked.values.update(previous)
            uprn = previous.get("previous_uprn")
            if current and uprn is not None and uprn == current.get("address_uprn"):
                checked.refuse(
                    "previous_address_uprn",
                    _(
                        "Your previous address cannot be the same as your current "
                        "address"
                    ),
                    "same_address",
                )


def _choices(record: dict[str, Any], checked: Checked, ctx: Context) -> None:
    register = record["open_register"]
    for form_class, data in (
        (
            choices.OpenRegisterForm,
            {"open_register": "" if register is None else "yes" if register else "no"},
        ),
        (choices.PostalVoteForm, {"postal_vote": record["postal_vote"]}),
        (choices.ContactForm, {"email": record["email"], "phone": record["phone"]}),
    ):
        form = _form(checked, form_class, data, {}, ctx)
        if form:
            checked.values.update(form.application_fields())


def check(
    record: dict[str, Any],
    councils: set[int],
    today: date,
    batch: Batch | None = None,
) -> Checked:
    """The application's values from `record`, or its errors; its council must be
    one of `councils` (the sender's). `batch` is what the records sent with it
    share (see `Batch`)."""
    checked = Checked(batch=batch or Batch([record]))
    _where(record, checked, Context({}, today), councils)
    country = {"England": "england", "Scotland": "scotland", "Wales": "wales"}
    ctx = Context(
        {"where-you-live": {"country": country.get(checked.nation, "")}}, today
    )
    _about_you(record, checked, ctx)
    _choices(record, checked, ctx)
    if checked.errors:
        return checked
    if checked.values.get("authority_id") is None:
        checked.refuse(
            "address_postcode",
            _("This postcode is not in your council's area"),
            "outside_area",
        )
    return checked
