"""Where you live, nationality, date of birth, name and National Insurance number."""

import gettext
from datetime import date
from functools import cache
from typing import Any, cast

import pycountry
from django import forms
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from ier.citizen import eligibility
from ier.citizen.forms.base import StepForm, choice_label
from ier.core.forms import GovukDateField, OptionsField
from ier.registration.validators import (
    MAX_MARKS_PER_LETTER,
    format_nino,
    validate_name,
    validate_nino,
)

OLDEST_AGE = 115


class WhereYouLiveForm(StepForm):
    title = _("Where do you live?")
    country = forms.ChoiceField(
        choices=[
            ("england", _("England")),
            ("scotland", _("Scotland")),
            ("wales", _("Wales")),
            ("northern-ireland", _("Northern Ireland")),
            ("abroad", _("I'm a British citizen living abroad")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select where you live")},
    )

    def summary_rows(self):
        return [
            (
                _("Where you live"),
                choice_label(self.fields["country"], self.cleaned_data["country"]),
            )
        ]


@cache
def _country_names(language: str) -> list[tuple[str, str]]:
    """Every country but the UK, named in the page's language (pycountry carries the
    ISO 3166 names in Welsh as well as English)."""
    catalogue = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    names = [
        (c.alpha_2, catalogue.gettext(getattr(c, "common_name", None) or c.name))
        for c in pycountry.countries
        if c.alpha_2 != "GB"
    ]
    return sorted(names, key=lambda item: item[1])


def country_options() -> list[tuple[str, str]]:
    """Country codes and names in the page's language (the same list object each
    time, so its markup is built once)."""
    return _country_names(translation.get_language() or "en")


def country_field(label, **kwargs) -> OptionsField:
    return OptionsField(
        label=label,
        required=False,
        options=country_options,
        prompt=_("Select a country"),
        invalid_message=_("Select a country from the list"),
        **kwargs,
    )


def country_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("Select a country")),
        *_country_names(translation.get_language() or "en"),
    ]


def country_name(code: str) -> str:
    return dict(_country_names(translation.get_language() or "en")).get(code, code)


class NationalityForm(StepForm):
    title = _("What is your nationality?")
    nationality = forms.MultipleChoiceField(
        choices=[
            ("british", _("British")),
            ("irish", _("Irish")),
            ("other", _("Citizen of another country")),
            ("unknown", _("I cannot give my nationality")),
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select your nationality")},
    )
    other_1 = country_field(_("Country"))
    other_2 = country_field(_("Second country (optional)"))
    other_3 = country_field(_("Third country (optional)"))
    reason = forms.CharField(
        required=False,
        max_length=500,
        label=_("Tell us why you cannot give your nationality"),
        widget=forms.Textarea,
        error_messages={"max_length": _("Reason must be 500 characters or fewer")},
    )
    reveals = {
        "nationality": {
            "other": ["other_1", "other_2", "other_3"],
            "unknown": ["reason"],
        }
    }
    reveal_required = {
        "other_1": _("Select the country you are a citizen of"),
        "reason": _("Tell us why you cannot give your nationality"),
    }

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("nationality") or []
        if "unknown" in chosen and len(chosen) > 1:
            self.add_error(
                "nationality",
                _(
                    "Select your nationality, or select that you cannot give it, "
                    "not both"
                ),
            )
        return cleaned

    def countries(self) -> list[str]:
        """ISO codes of every nationality given ("GB" for British, "IE" for Irish)."""
        chosen = self.cleaned_data.get("nationality") or []
        codes = [
            code for key, code in (("british", "GB"), ("irish", "IE")) if key in chosen
        ]
        for name in ("other_1", "other_2", "other_3"):
            code = self.cleaned_data.get(name)
            if code and code not in codes:
                codes.append(code)
        return codes

    def summary_rows(self):
        codes = self.countries()
        names = [
            country_name(c)
            if c not in {"GB", "IE"}
            else {"GB": _("British"), "IE": _("Irish")}[c]
            for c in codes
        ]
        text = ", ".join(str(n) for n in names) or _("I cannot give my nationality")
        return [(_("Nationality"), text)]

    def application_fields(self):
        return {
            "nationalities": self.countries(),
            "nationality_reason": self.cleaned_data.get("reason") or "",
        }


def nationality_classes(ctx) -> set[str] | None:
    """The nationality classes the person holds, or None if they gave none."""
    raw = ctx.raw("nationality")
    chosen = raw.get("nationality") or []
    codes = [c for k, c in (("british", "GB"), ("irish", "IE")) if k in chosen]
    if "other" in chosen:
        codes += [raw[n] for n in ("other_1", "other_2", "other_3") if raw.get(n)]
    if not codes:
        return None
    return eligibility.classes_held(codes, ctx.today)


def conditions_to_ask(ctx, asked_before: tuple[str, ...] = ()) -> set[str]:
    """Follow-up questions still worth asking, given the answers to those asked
    before (the leave question comes before the retained-rights one)."""
    classes = nationality_classes(ctx)
    if not classes or not ctx.nation:
        return set()
    met = conditions_met(ctx) & set(asked_before)
    return eligibility.conditions_to_ask(ctx.nation, classes, ctx.today, met)


class ImmigrationStatusForm(StepForm):
    title = _("Do you have permission to enter or stay in the UK?")
    permission = forms.ChoiceField(
        choices=[
            ("yes", _("Yes, I have permission to enter or stay")),
            ("not-needed", _("I do not need permission to enter or stay")),
            ("no", _("No")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "For example, settled or pre-settled status, a visa, or indefinite leave "
            "to remain."
        ),
        error_messages={
            "required": _(
                "Select whether you have permission to enter or stay in the UK"
            )
        },
    )

    def summary_rows(self):
        return [
            (
                _("Permission to enter or stay"),
                choice_label(
                    self.fields["permission"], self.cleaned_data["permission"]
                ),
            )
        ]

    def details(self):
        return {"immigration_permission": self.cleaned_data["permission"]}


class RetainedRightsForm(StepForm):
    title = _("Were you living in the UK before 1 January 2021?")
    retained = forms.ChoiceField(
        choices=[
            ("yes", _("Yes, and I have had permission to stay ever since")),
            ("no", _("No")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Permission to stay includes settled or pre-settled status under the EU "
            "Settlement Scheme. This decides whether you can vote in local elections "
            "in England."
        ),
        error_messages={
            "required": _(
                "Select whether you were living in the UK before 1 January 2021"
            )
        },
    )

    def summary_rows(self):
        return [
            (
                _("Living in the UK before 2021"),
                choice_label(self.fields["retained"], self.cleaned_data["retained"]),
            )
        ]

    def details(self):
        return {"eu_retained_rights": self.cleaned_data["retained"] == "yes"}


def conditions_met(ctx) -> set[str]:
    met = set()
    if ctx.value("immigration-status", "permission") in {"yes", "not-needed"}:
        met.add("leave")
    if ctx.value("eu-rights", "retained") == "yes":
        met.add("retained_rights")
    return met


AGE_RANGES = {
    "default": [
        ("under-18", _("Under 18")),
        ("18-to-75", _("18 to 75")),
        ("76-or-over", _("76 or over")),
    ],
    "young": [
        ("under-16", _("Under 16")),
        ("16-to-17", _("16 or 17")),
        ("18-to-75", _("18 to 75")),
        ("76-or-over", _("76 or over")),
    ],
}


class DateOfBirthForm(StepForm):
    title = _("What is your date of birth?")
    date_of_birth = GovukDateField(label_text=_("date of birth"), required=False)
    cannot_give = forms.MultipleChoiceField(
        required=False,
        label=_("If you cannot give your date of birth"),
        choices=[("yes", _("I cannot give my date of birth"))],
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        required=False,
        max_length=500,
        label=_("Tell us why you cannot give your date of birth"),
        widget=forms.Textarea,
        error_messages={"max_length": _("Reason must be 500 characters or fewer")},
    )
    age_range = forms.ChoiceField(
        required=False,
        label=_("How old are you?"),
        widget=forms.RadioSelect,
    )
    reveals = {"cannot_give": {"yes": ["reason", "age_range"]}}
    reveal_required = {
        "reason": _("Tell us why you cannot give your date of birth"),
        "age_range": _("Select how old you are"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        young = self.ctx is not None and self.ctx.nation in {"Scotland", "Wales"}
        cast(forms.ChoiceField, self.fields["age_range"]).choices = AGE_RANGES[
            "young" if young else "default"
        ]
        cast(GovukDateField, self.fields["date_of_birth"]).autocomplete_prefix = "bday"

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value is None:
            return None
        today = self.ctx.today if self.ctx else date.today()
        if value > today:
            raise forms.ValidationError(_("Date of birth must be in the past"))
        if eligibility.age_on(value, today) > OLDEST_AGE:
            raise forms.ValidationError(
                _("Date of birth must be after %(year)s")
                % {"year": today.year - OLDEST_AGE - 1}
            )
        return value

    def clean(self):
        cleaned = super().clean()
        gave_date = cleaned.get("date_of_birth") is not None
        cannot = bool(cleaned.get("cannot_give"))
        if "date_of_birth" in self.errors:
            return cleaned
        if gave_date and cannot:
            self.add_error(
                "date_of_birth",
                _(
                    "Enter your date of birth, or select that you cannot give it, "
                    "not both"
                ),
            )
        elif not gave_date and not cannot:
            self.add_error("date_of_birth", _("Enter your date of birth"))
        elif cannot and cleaned.get("age_range") in {"under-18", "under-16"}:
            self.add_error(
                "age_range",
                _(
                    "If you are under 18 you must give your date of birth, so we can "
                    "check when you can vote"
                ),
            )
        return cleaned

    def summary_rows(self):
        dob = self.cleaned_data.get("date_of_birth")
        if dob:
            return [(_("Date of birth"), date_format(dob, "j F Y"))]
        age = choice_label(self.fields["age_range"], self.cleaned_data.get("age_range"))
        return [(_("Date of birth"), _("Not given (age %(age)s)") % {"age": age})]

    def application_fields(self):
        return {
            "date_of_birth": self.cleaned_data.get("date_of_birth"),
            "no_dob_reason": self.cleaned_data.get("reason") or "",
            "age_range": self.cleaned_data.get("age_range") or "",
        }


def too_young_exit(ctx) -> str | None:
    dob = ctx.date_of_birth
    if (
        dob
        and ctx.nation in eligibility.GB_NATIONS
        and not eligibility.may_register_by_age(dob, ctx.nation, ctx.today)
    ):
        return "too-young"
    return None


def _interpolate(message: Any, params: dict[str, Any]) -> str:
    return str(message) % params


#: `message % params`, worked out when shown, so in the language of the page (a
#: plain `%` on a lazy string would fix it in English when the module is imported).
lazy_interpolate = lazy(_interpolate, str)


class NameField(forms.CharField):
    """A name part: any letters, accents, apostrophes, hyphens, spaces, full stops."""

    def __init__(self, label, *, required_message="", field, max_length, **kw):
        """`field` names the field in error messages ("Middle names", where the
        label says "Middle names (optional)")."""
        self.invalid_message = lazy_interpolate(
            _("%(field)s must only include letters, spaces, hyphens and apostrophes"),
            {"field": field},
        )
        self.marks_message = lazy_interpolate(
            _("%(field)s must not have more than %(limit)d accents on one letter"),
            {"field": field, "limit": MAX_MARKS_PER_LETTER},
        )
        kw.setdefault("required", bool(required_message))
        super().__init__(
            label=label,
            max_length=max_length,
            error_messages={
                "required": required_message,
                "max_length": lazy_interpolate(
                    _("%(field)s must be %(limit)d characters or fewer"),
                    {"field": label, "limit": max_length},
                ),
            },
            **kw,
        )

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        return validate_name(value, self.invalid_message, self.marks_message)


def name_fields(prefix: str = "", label_prefix: str = "") -> dict[str, NameField]:
    """First, middle and last name fields; a prefix such as "previous_" makes
    `previous_first_name` and so on."""
    first = _("Previous first name") if prefix else _("First name")
    middle = (
        _("Previous middle names (optional)")
        if prefix
        else _("Middle names (optional)")
    )
    last = _("Previous last name") if prefix else _("Last name")
    return {
        prefix + "first_name": NameField(
            first,
            required_message=_("Enter your previous first name")
            if prefix
            else _("Enter your first name"),
            field=first,
            max_length=60,
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "off" if prefix else "given-name",
                    "spellcheck": "false",
                }
            ),
        ),
        prefix + "middle_names": NameField(
            middle,
            field=_("Middle names"),
            max_length=100,
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "off" if prefix else "additional-name",
                    "spellcheck": "false",
                }
            ),
        ),
        prefix + "last_name": NameField(
            last,
            required_message="",
            field=last,
            max_length=60,
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "off" if prefix else "family-name",
                    "spellcheck": "false",
                }
            ),
        ),
    }


def joined(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


class NameForm(StepForm):
    title = _("What is your name?")
    first_name, middle_names, last_name = name_fields().values()
    one_name = forms.MultipleChoiceField(
        required=False,
        label=_("Names"),
        choices=[("yes", _("I only have one name"))],
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("last_name")
            and not cleaned.get("one_name")
            and "last_name" not in self.errors
        ):
            self.add_error(
                "last_name",
                _("Enter your last name, or select that you only have one name"),
            )
        return cleaned

    def summary_rows(self):
        data = self.cleaned_data
        return [
            (
                _("Name"),
                joined(
                    data.get("first_name"),
                    data.get("middle_names"),
                    data.get("last_name"),
                ),
            )
        ]

    def application_fields(self):
        return {
            n: self.cleaned_data.get(n) or ""
            for n in ("first_name", "middle_names", "last_name")
        }


def name_changed_field(required_message: Any) -> forms.ChoiceField:
    """Yes, no or prefer not to say: whether the person has changed their name."""
    return forms.ChoiceField(
        choices=[
            ("no", _("No")),
            ("yes", _("Yes")),
            ("prefer-not", _("I prefer not to say")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


class PreviousNameForm(StepForm):
    title = _("Have you changed your name in the last 12 months?")
    summary_label = _("Changed name in the last 12 months")
    changed = name_changed_field(
        _("Select whether you have changed your name in the last 12 months")
    )

    def summary_rows(self):
        if self.cleaned_data["changed"] == "yes":
            return []  # the previous name itself is shown instead
        return [
            (
                self.summary_label,
                choice_label(self.fields["changed"], self.cleaned_data["changed"]),
            )
        ]


def changed_name(ctx) -> bool:
    return ctx.value("previous-name", "changed") == "yes"


class PreviousNameDetailsForm(StepForm):
    title = _("What was your previous name?")
    previous_first_name, previous_middle_names, previous_last_name = name_fields(
        "previous_"
    ).values()

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("previous_last_name")
            and "previous_last_name" not in self.errors
        ):
            self.add_error("previous_last_name", _("Enter your previous last name"))
        return cleaned

    def summary_rows(self):
        data = self.cleaned_data
        return [
            (
                _("Previous name"),
                joined(
                    data.get("previous_first_name"),
                    data.get("previous_middle_names"),
                    data.get("previous_last_name"),
                ),
            )
        ]

    def application_fields(self):
        return {
            n: self.cleaned_data.get(n) or ""
            for n in (
                "previous_first_name",
                "previous_middle_names",
                "previous_last_name",
            )
        }


class NinoForm(StepForm):
    title = _("What is your National Insurance number?")
    nino = forms.CharField(
        required=False,
        max_length=20,
        label=_("National Insurance number"),
        help_text=_(
            "It's on your National Insurance card, payslip or P60. "
            "For example, ‘QQ 12 34 56 C’."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "max_length": _(
                "Enter a National Insurance number in the correct format, "
                "like QQ 12 34 56 C"
            )
        },
    )
    cannot_give = forms.MultipleChoiceField(
        required=False,
        label=_("If you do not have one"),
        choices=[
            ("yes", _("I do not have a National Insurance number, or I do not know it"))
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        required=False,
        max_length=500,
        label=_("Tell us why you cannot give your National Insurance number"),
        help_text=_(
            "Your council may ask you for proof of identity, which can take longer."
        ),
        widget=forms.Textarea,
        error_messages={"max_length": _("Reason must be 500 characters or fewer")},
    )
    reveals = {"cannot_give": {"yes": ["reason"]}}
    reveal_required = {
        "reason": _("Tell us why you cannot give your National Insurance number")
    }

    def clean_nino(self):
        value = self.cleaned_data.get("nino")
        return validate_nino(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        if "nino" in self.errors:
            return cleaned
        if cleaned.get("nino") and cleaned.get("cannot_give"):
            self.add_error(
                "nino",
                _(
                    "Enter your National Insurance number, or select that you cannot "
                    "give it, not both"
                ),
            )
        elif not cleaned.get("nino") and not cleaned.get("cannot_give"):
            self.add_error(
                "nino",
                _(
                    "Enter your National Insurance number, or select that you do not "
                    "have one"
                ),
            )
        return cleaned

    def summary_rows(self):
        if self.cleaned_data.get("nino"):
            return [
                (_("National Insurance number"), format_nino(self.cleaned_data["nino"]))
            ]
        return [
            (
                _("National Insurance number"),
                _("Not given: %(reason)s")
                % {"reason": self.cleaned_data.get("reason")},
            )
        ]

    def application_fields(self):
        return {
            "nino": self.cleaned_data.get("nino") or "",
            "no_nino_reason": self.cleaned_data.get("reason") or "",
        }
