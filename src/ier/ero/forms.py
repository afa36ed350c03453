"""The portal's forms, with GOV.UK-style messages for every mistake."""

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ier.core.forms import GovukDateField, GovukForm
from ier.ero.models import Role
from ier.geography.postcodes import normalise_postcode
from ier.registration.models import Status
from ier.registration.validators import validate_phone


class SignInForm(GovukForm):
    email = forms.CharField(
        label=_("Email address"),
        max_length=150,
        error_messages={"required": _("Enter your email address")},
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        strip=False,
        error_messages={"required": _("Enter your password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(GovukForm):
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        help_text=_("The 6-digit code the app shows now"),
        error_messages={
            "required": _("Enter the code from your authenticator app"),
            "invalid": _("The code must be 6 digits"),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class SearchForm(GovukForm):
    STATUS_CHOICES = [("", _("Any status")), *Status.choices]
    q = forms.CharField(
        label=_("Reference, name or postcode"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=STATUS_CHOICES
    )


class NoteForm(GovukForm):
    text = forms.CharField(
        label=_("Add a note"),
        max_length=2000,
        widget=forms.Textarea,
        error_messages={
            "required": _("Enter the note"),
            "max_length": _("The note must be 2,000 characters or fewer"),
        },
    )


class DeterminationForm(GovukForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (Status.ACCEPTED.value, _("Accept: add to the register")),
            (Status.REJECTED.value, _("Reject")),
        ],
        error_messages={
            "required": _("Select whether to accept or reject the application")
        },
    )
    decided_on = GovukDateField(label_text=_("date of the decision"))
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea,
        error_messages={"max_length": _("The reason must be 500 characters or fewer")},
    )

    def clean_decided_on(self):
        value = self.cleaned_data["decided_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                _("The date of the decision must be today or in the past")
            )
        return value


class EvidenceRequestForm(GovukForm):
    message = forms.CharField(
        label=_("What the applicant should send"),
        max_length=1000,
        widget=forms.Textarea,
        help_text=_(
            "This goes in the email. Do not include their date of birth or "
            "National Insurance number."
        ),
        error_messages={
            "required": _("Enter what the applicant should send"),
            "max_length": _("The message must be 1,000 characters or fewer"),
        },
    )


class InviteForm(GovukForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=150,
        error_messages={
            "required": _("Enter the email address of the person to invite"),
            "invalid": _(
                "Enter an email address in the correct format, like name@example.gov.uk"
            ),
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        widget=forms.RadioSelect,
        choices=Role.choices,
        initial=Role.OFFICER,
        error_messages={"required": _("Select a role")},
    )


class SetPasswordForm(GovukForm):
    password = forms.CharField(
        label=_("Create a password"),
        strip=False,
        max_length=200,
        help_text=_("At least 12 characters. A few unrelated words make a good one."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Enter a password")},
    )
    confirm = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again")},
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("password") and data.get("confirm") != data["password"]:
            self.add_error("confirm", _("The passwords do not match"))
        return data


class TokenForm(GovukForm):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("Say what uses it, for example ‘EMS nightly download’"),
        error_messages={
            "required": _("Enter a name for the token"),
            "max_length": _("The name must be 100 characters or fewer"),
        },
    )


class ContactDetailsForm(GovukForm):
    """The electoral services contact details citizens are given. Empty fields are
    allowed (the pages then say how else to find the council), but not both ways
    to get in touch."""

    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=200,
        error_messages={
            "invalid": _(
                "Enter an email address in the correct format, like "
                "elections@example.gov.uk"
            ),
            "max_length": _("The email address must be 200 characters or fewer"),
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Telephone number"),
        required=False,
        max_length=40,
        error_messages={
            "max_length": _("The telephone number must be 40 characters or fewer")
        },
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    website = forms.URLField(
        label=_("Web page about registering to vote"),
        required=False,
        max_length=300,
        assume_scheme="https",
        error_messages={
            "invalid": _(
                "Enter a web address in the correct format, like "
                "https://www.example.gov.uk/elections"
            ),
            "max_length": _("The web address must be 300 characters or fewer"),
        },
    )
    address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=400,
        help_text=_(
            "Without the postcode, for example ‘Electoral Services, Town Hall, "
            "High Street, Townton’"
        ),
        error_messages={"max_length": _("The address must be 400 characters or fewer")},
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=10,
        error_messages={"max_length": _("Enter a real postcode, like TS24 8AY")},
    )

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone:
            validate_phone(phone)
        return phone

    def clean_postcode(self) -> str:
        typed = self.cleaned_data["postcode"]
        if not typed:
            return ""
        postcode = normalise_postcode(typed)
        if not postcode:
            raise forms.ValidationError(_("Enter a real postcode, like TS24 8AY"))
        return postcode

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            self.add_error(
                "email", _("Enter an email address or a telephone number, or both")
            )
        return cleaned


class EvidenceUploadForm(GovukForm):
    document = forms.FileField(
        label=_("Upload a document"),
        required=True,
        help_text=_("A photo (JPEG or PNG) or a PDF, up to 10MB"),
        error_messages={
            "required": _("Select a file"),
            "empty": _("The selected file is empty"),
        },
    )
    document_2 = forms.FileField(
        label=_("Upload another document (optional)"),
        required=False,
        error_messages={"empty": _("The selected file is empty")},
    )
    document_3 = forms.FileField(
        label=_("Upload another document (optional)"),
        required=False,
        error_messages={"empty": _("The selected file is empty")},
    )
