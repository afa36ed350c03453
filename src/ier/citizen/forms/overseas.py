"""Questions for British citizens living abroad (overseas electors).

Since 16 January 2024 there is no limit on how long someone has lived abroad: a
British citizen qualifies if they were once registered in the UK, or once lived here
(docs/rules.md). These questions gather what the council needs to check either."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ier.citizen.forms import about_you, address, choices
from ier.citizen.forms.base import StepForm, choice_label
from ier.core.forms import GovukDateField
from ier.geography.postcodes import normalise_postcode
from ier.registration.validators import validate_name

#: Someone who left before this age was too young to have registered themselves, so
#: their parent's or guardian's registration at the address helps the council.
CHILD_UNTIL_AGE = 18
NAMES_INVALID = _("Names must only include letters, spaces, hyphens and apostrophes")


class BritishCitizenForm(StepForm):
    title = _("Are you a British citizen?")
    citizen = forms.ChoiceField(
        choices=[
            ("british", _("Yes, I'm a British citizen")),
            ("irish-ni", _("I'm an Irish citizen born in Northern Ireland")),
            ("no", _("No")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether you are a British citizen")},
    )

    def summary_rows(self):
        label = choice_label(self.fields["citizen"], self.cleaned_data["citizen"])
        return [(_("British citizen"), label)]

    def application_fields(self):
        return {
            "nationalities": {"british": ["GB"], "irish-ni": ["IE"]}.get(
                self.cleaned_data["citizen"], []
            )
        }


def not_british_exit(ctx) -> str | None:
    return (
        "overseas-not-eligible"
        if ctx.value("british-citizen", "citizen") == "no"
        else None
    )


class OverseasDateOfBirthForm(about_you.DateOfBirthForm):
    """An exact date of birth: it decides when the person left as a child."""

    reveals: dict = {}
    reveal_required: dict = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("cannot_give", "reason", "age_range"):
            del self.fields[name]
        self.fields["date_of_birth"].help_text = _("For example, 27 3 2007")


class LastRegisteredForm(StepForm):
    title = _("Have you been registered to vote in the UK before?")
    registered = forms.ChoiceField(
        choices=[
            ("ordinary", _("Yes, when I lived in the UK")),
            ("overseas", _("Yes, as an overseas voter")),
            (
                "service",
                _(
                    "Yes, as a member of the armed forces, a Crown servant or a "
                    "British Council employee, or as their partner"
                ),
            ),
            ("never", _("No, I have never been registered to vote in the UK")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "If you have been registered before, you register again at the address "
            "where you were last registered."
        ),
        error_messages={
            "required": _("Select whether you have been registered to vote in the UK")
        },
    )

    def summary_rows(self):
        value = self.cleaned_data["registered"]
        return [
            (_("Registered before"), choice_label(self.fields["registered"], value))
        ]

    def details(self):
        return {"last_registered": self.cleaned_data["registered"]}


class DateLeftForm(StepForm):
    title = _("What year did you leave the UK?")
    year_left = forms.CharField(
        label=_("Year you left the UK"),
        max_length=4,
        help_text=_("For example, 2015"),
        error_messages={
            "required": _("Enter the year you left the UK"),
            "max_length": _("Year you left the UK must include 4 numbers"),
        },
    )

    def clean_year_left(self) -> int:
        text = self.cleaned_data["year_left"].strip()
        if len(text) != 4 or not text.isdigit():
            raise forms.ValidationError(
                _("Year you left the UK must include 4 numbers")
            )
        year = int(text)
        today = self.ctx.today if self.ctx else timezone.localdate()
        if year > today.year:
            raise forms.ValidationError(
                _("Year you left the UK must be this year or in the past")
            )
        born = self.ctx.date_of_birth if self.ctx else None
        if born and year < born.year:
            raise forms.ValidationError(
                _(
                    "Year you left the UK must be the same as or after the year you "
                    "were born"
                )
            )
        return year

    def summary_rows(self):
        return [(_("Year you left the UK"), str(self.cleaned_data["year_left"]))]

    def details(self):
        return {"left_uk_year": self.cleaned_data["year_left"]}


def left_as_child(ctx) -> bool:
    born = ctx.date_of_birth
    year = ctx.value("date-left", "year_left")
    if not born or not str(year or "").isdigit():
        return False
    return int(year) - born.year < CHILD_UNTIL_AGE


def parent_applies(ctx) -> bool:
    """Never registered and left as a child: a parent or guardian's details help."""
    return ctx.value("last-registered", "registered") == "never" and left_as_child(ctx)


class LastAddressPostcodeForm(address.PostcodeForm):
    """The UK address the person registers at: where they were last registered, or
    the last place they lived (with a parent or guardian, for those who left young)."""

    @property
    def title(self):  # type: ignore[override]
        if (
            self.ctx is not None
            and self.ctx.value("last-registered", "registered") == "never"
        ):
            return _("What was the last UK address where you lived?")
        return _("What was the UK address where you were last registered to vote?")

    def summary_rows(self):
        rows = super().summary_rows()
        return [(_("Last UK address"), value) for _label, value in rows]


class ParentGuardianForm(StepForm):
    title = _("Your parent or guardian")
    parent_first_name = forms.CharField(
        label=_("Their first name"),
        max_length=60,
        error_messages={
            "required": _("Enter your parent or guardian's first name"),
            "max_length": _("First name must be 60 characters or fewer"),
        },
    )
    parent_last_name = forms.CharField(
        label=_("Their last name"),
        max_length=60,
        error_messages={
            "required": _("Enter your parent or guardian's last name"),
            "max_length": _("Last name must be 60 characters or fewer"),
        },
    )
    parent_registered = forms.ChoiceField(
        label=_("Were they registered to vote at that address?"),
        choices=[
            ("yes", _("Yes")),
            ("no", _("No")),
            ("not-known", _("I do not know")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Select whether your parent or guardian was registered to vote "
                "at that address"
            )
        },
    )

    def clean(self):
        cleaned = super().clean()
        for name in ("parent_first_name", "parent_last_name"):
            if cleaned.get(name):
                try:
                    cleaned[name] = validate_name(cleaned[name], NAMES_INVALID)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def summary_rows(self):
        name = "%s %s" % (
            self.cleaned_data["parent_first_name"],
            self.cleaned_data["parent_last_name"],
        )
        registered = choice_label(
            self.fields["parent_registered"], self.cleaned_data["parent_registered"]
        )
        return [
            (_("Parent or guardian"), name),
            (_("Parent or guardian registered there"), registered),
        ]

    def details(self):
        return {
            "parent_or_guardian": {
                "first_name": self.cleaned_data["parent_first_name"],
                "last_name": self.cleaned_data["parent_last_name"],
                "registered": self.cleaned_data["parent_registered"],
            }
        }


class PassportForm(StepForm):
    title = _("Do you have a British passport?")
    has_passport = forms.ChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        help_text=_("It can be a passport that has expired."),
        error_messages={"required": _("Select whether you have a British passport")},
    )

    def summary_rows(self):
        if self.cleaned_data["has_passport"] == "yes":
            return []  # the passport number is shown instead
        return [(_("British passport"), _("No"))]


def has_passport(ctx) -> bool:
    return ctx.value("passport", "has_passport") == "yes"


def no_passport(ctx) -> bool:
    return ctx.value("passport", "has_passport") == "no"


class PassportDetailsForm(StepForm):
    title = _("Your British passport")
    passport_number = forms.CharField(
        max_length=20,
        label=_("Passport number"),
        help_text=_("For example, 502135326"),
        error_messages={
            "required": _("Enter your passport number"),
            "max_length": _("Passport number must be 9 numbers"),
        },
    )
    issue_date = GovukDateField(label_text=_("date of issue"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issue_date"].label = _("Date of issue")
        self.fields["issue_date"].help_text = _("For example, 27 3 2019")

    def clean_passport_number(self) -> str:
        digits = "".join(self.cleaned_data.get("passport_number", "").split())
        if len(digits) != 9 or not digits.isdigit():
            raise forms.ValidationError(_("Passport number must be 9 numbers"))
        return digits

    def clean_issue_date(self):
        issued = self.cleaned_data.get("issue_date")
        today = self.ctx.today if self.ctx else timezone.localdate()
        if issued and issued > today:
            raise forms.ValidationError(_("Date of issue must be in the past"))
        if issued and issued.year < today.year - about_you.OLDEST_AGE:
            raise forms.ValidationError(_("Date of issue must be a real date"))
        return issued

    def summary_rows(self):
        return [(_("British passport"), self.cleaned_data["passport_number"])]

    def details(self):
        return {
            "passport": {
                "number": self.cleaned_data["passport_number"],
                "issued": self.cleaned_data["issue_date"].isoformat(),
            }
        }


class CitizenshipForm(StepForm):
    title = _("How did you become a British citizen?")
    how_citizen = forms.ChoiceField(
        label=_("How did you become a British citizen?"),
        choices=[
            ("born-uk", _("I was born in the UK")),
            ("descent", _("I was born abroad to a British parent")),
            ("naturalised", _("By naturalisation or registration")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how you became a British citizen")},
    )
    birthplace = forms.CharField(
        max_length=100,
        label=_("Town or city where you were born"),
        error_messages={
            "required": _("Enter the town or city where you were born"),
            "max_length": _(
                "Town or city where you were born must be 100 characters or fewer"
            ),
        },
    )

    def summary_rows(self):
        how = choice_label(self.fields["how_citizen"], self.cleaned_data["how_citizen"])
        return [
            (_("How you became a British citizen"), how),
            (_("Where you were born"), self.cleaned_data["birthplace"]),
        ]

    def details(self):
        return {
            "citizenship": {
                "how": self.cleaned_data["how_citizen"],
                "birthplace": self.cleaned_data["birthplace"],
            }
        }


class OverseasPreviousNameForm(about_you.PreviousNameForm):
    title = _("Have you changed your name since you left the UK?")
    summary_label = _("Changed name since leaving the UK")
    changed = about_you.name_changed_field(
        _("Select whether you have changed your name since you left the UK")
    )


class OverseasAddressForm(StepForm):
    title = _("What is your address abroad?")
    country = forms.ChoiceField(
        label=_("Country"),
        error_messages={
            "required": _("Select the country you live in"),
            "invalid_choice": _("Select the country you live in"),
        },
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=500,
        widget=forms.Textarea,
        help_text=_("Include the postcode or zip code, if there is one."),
        error_messages={
            "required": _("Enter your address abroad"),
            "max_length": _("Address must be 500 characters or fewer"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ChoiceField, self.fields["country"]
        ).choices = about_you.country_choices()

    def summary_rows(self):
        lines = ", ".join(self.cleaned_data["address"].split("\n"))
        country = about_you.country_name(self.cleaned_data["country"])
        return [(_("Address abroad"), "%s, %s" % (lines.replace("\r", ""), country))]

    def details(self):
        return {
            "address_abroad": {
                "lines": [
                    line.strip()
                    for line in self.cleaned_data["address"].splitlines()
                    if line.strip()
                ],
                "country": self.cleaned_data["country"],
            }
        }


class AttestationForm(StepForm):
    title = _("Someone to confirm who you are (optional)")
    attest = forms.ChoiceField(
        label=_("Is there someone who can confirm who you are?"),
        choices=[
            (
                "yes",
                _("Yes, someone registered to vote in the UK can confirm who I am"),
            ),
            ("no", _("No, or not now")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether someone can confirm who you are")
        },
    )

    def summary_rows(self):
        if self.cleaned_data["attest"] == "yes":
            return []  # the person is shown instead
        return [(_("Someone to confirm who you are"), _("No"))]


def attests(ctx) -> bool:
    return ctx.value("attestation", "attest") == "yes"


class AttestorForm(StepForm):
    title = _("Who can confirm who you are?")
    attestor_name = forms.CharField(
        max_length=120,
        label=_("Their full name"),
        error_messages={
            "required": _("Enter their full name"),
            "max_length": _("Their full name must be 120 characters or fewer"),
        },
    )
    attestor_postcode = forms.CharField(
        max_length=16,
        label=_("The postcode where they are registered to vote"),
        error_messages={
            "required": _("Enter the postcode where they are registered to vote"),
            "max_length": _("Enter a real postcode, like SW1A 1AA"),
        },
    )
    attestor_email = forms.EmailField(
        max_length=254,
        label=_("Their email address"),
        error_messages={
            "required": _("Enter their email address"),
            "invalid": _(
                "Enter their email address in the correct format, like name@example.com"
            ),
            "max_length": _("Their email address must be 254 characters or fewer"),
        },
    )

    def clean_attestor_name(self) -> str:
        return validate_name(self.cleaned_data["attestor_name"], NAMES_INVALID)

    def clean_attestor_postcode(self) -> str:
        postcode = normalise_postcode(self.cleaned_data["attestor_postcode"])
        if not postcode:
            raise forms.ValidationError(_("Enter a real postcode, like SW1A 1AA"))
        return postcode

    def summary_rows(self):
        return [
            (
                _("Someone to confirm who you are"),
                "%s, %s, %s"
                % (
                    self.cleaned_data["attestor_name"],
                    self.cleaned_data["attestor_postcode"],
                    self.cleaned_data["attestor_email"],
                ),
            )
        ]

    def details(self):
        return {
            "attestor": {
                "name": self.cleaned_data["attestor_name"],
                "postcode": self.cleaned_data["attestor_postcode"],
                "email": self.cleaned_data["attestor_email"],
            }
        }


class WaysToVoteForm(StepForm):
    title = _("Voting by post or by proxy")
    way = forms.ChoiceField(
        label=_("How do you want to vote?"),
        choices=[
            ("post", _("By post")),
            ("proxy", _("By proxy (someone you trust votes for you)")),
            ("in-person", _("In person, at a polling station in the UK")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how you want to vote")},
    )

    def summary_rows(self):
        return [
            (
                _("How you want to vote"),
                choice_label(self.fields["way"], self.cleaned_data["way"]),
            )
        ]

    def application_fields(self):
        return {"postal_vote": "yes" if self.cleaned_data["way"] == "post" else ""}

    def details(self):
        return {"ways_to_vote": self.cleaned_data["way"]}


class EmailContactForm(choices.ContactForm):
    """Contact details where an email address is essential: post abroad is slow."""

    title = _("How can we contact you?")
    email = forms.CharField(
        max_length=254,
        label=_("Email address"),
        help_text=_(
            "We'll send you a confirmation and tell you when your council has decided."
        ),
        error_messages={
            "required": _("Enter your email address"),
            "max_length": _("Email address must be 254 characters or fewer"),
        },
    )
