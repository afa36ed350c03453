"""The open register, postal voting, contact details and the declaration."""

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from ier.citizen.forms.base import StepForm, choice_label
from ier.registration.validators import validate_phone


class OpenRegisterForm(StepForm):
    title = _("Do you want to be on the open register?")
    open_register = forms.ChoiceField(
        label=_("Do you want your name and address on the open register?"),
        choices=[
            ("yes", _("Yes, include my name and address on the open register")),
            ("no", _("No, do not include my name and address on the open register")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether you want to be on the open register")
        },
    )

    def summary_rows(self):
        return [
            (
                _("Open register"),
                choice_label(
                    self.fields["open_register"], self.cleaned_data["open_register"]
                ),
            )
        ]

    def application_fields(self):
        return {"open_register": self.cleaned_data["open_register"] == "yes"}


class PostalVoteForm(StepForm):
    title = _("Do you want to apply for a postal vote?")
    postal_vote = forms.ChoiceField(
        choices=[
            ("yes", _("Yes, I want to vote by post")),
            ("no-in-person", _("No, I will vote in person")),
            ("no-already-have", _("No, I already have a postal vote")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Postal votes are applied for separately. If you say yes we will show you "
            "how to apply when you have sent this application."
        ),
        error_messages={
            "required": _("Select whether you want to apply for a postal vote")
        },
    )

    def summary_rows(self):
        answer = self.cleaned_data["postal_vote"]
        return [(_("Postal vote"), choice_label(self.fields["postal_vote"], answer))]

    def application_fields(self):
        return {"postal_vote": self.cleaned_data["postal_vote"]}


class ContactForm(StepForm):
    title = _("How can we contact you? (optional)")
    email = forms.CharField(
        required=False,
        max_length=254,
        label=_("Email address"),
        help_text=_(
            "We'll send you a confirmation and tell you when your council has decided."
        ),
        error_messages={
            "max_length": _("Email address must be 254 characters or fewer")
        },
    )
    phone = forms.CharField(
        required=False,
        max_length=30,
        label=_("Phone number"),
        help_text=_("For international numbers include the country code."),
        error_messages={"max_length": _("Phone number must be 30 characters or fewer")},
    )

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip()
        if email:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _(
                        "Enter an email address in the correct format, "
                        "like name@example.com"
                    )
                ) from None
        return email

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        return validate_phone(phone) if phone else ""

    def summary_rows(self):
        return [
            (_("Email address"), self.cleaned_data["email"] or _("Not given")),
            (_("Phone number"), self.cleaned_data["phone"] or _("Not given")),
        ]

    def application_fields(self):
        return {
            "email": self.cleaned_data["email"],
            "phone": self.cleaned_data["phone"],
        }


class DeclarationForm(StepForm):
    title = _("Check your answers before sending your application")
    declaration = forms.MultipleChoiceField(
        label=_("Declaration"),
        choices=[
            (
                "on",
                _(
                    "I confirm that the information I have given is true, to the best "
                    "of my knowledge"
                ),
            )
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Confirm that the information you have given is true")
        },
    )
