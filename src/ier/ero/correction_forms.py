"""Forms for corrections (issue 20): the officer's, the officer's request to the
applicant, and the applicant's own. The rules for each value are the domain's
(`ier.registration.corrections`); these forms collect what was typed and show its
messages beside the fields, keeping everything typed."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ier.core.forms import GovukDateField, GovukForm
from ier.registration import corrections

#: The fields a person types (a UPRN is not typed: changed lines drop it).
TYPED = [f for f in corrections.FIELDS if not f.endswith("uprn")]
#: Groups an applicant can be asked to correct, and the fields they see for each.
APPLICANT_GROUPS: dict[str, list[str]] = {
    group: [f for f in fields if not f.endswith("uprn") and f != "address_line_3"]
    for group, fields in corrections.GROUPS.items()
    if group != "nationalities"
}
AUTOCOMPLETE = {
    "first_name": "given-name",
    "middle_names": "additional-name",
    "last_name": "family-name",
    "address_line_1": "address-line1",
    "address_line_2": "address-line2",
    "address_town": "address-level2",
    "address_postcode": "postal-code",
}


def _text_field(name: str) -> forms.CharField:
    limit = corrections.MAX_LENGTHS.get(name, 30)
    attrs: dict[str, str] = {}
    if name in AUTOCOMPLETE:
        attrs["autocomplete"] = AUTOCOMPLETE[name]
    if name in ("nino", "address_postcode", "previous_postcode"):
        attrs["spellcheck"] = "false"
    return forms.CharField(
        label=corrections.LABELS[name],
        required=False,
        max_length=limit,
        widget=forms.TextInput(attrs=attrs),
        error_messages={
            "max_length": corrections.TOO_LONG,
        },
    )


def _date_field() -> GovukDateField:
    return GovukDateField(label_text=_("date of birth"), required=False)


class _CorrectionFields(GovukForm):
    """A field per correctable value; the caller passes the names to show."""

    def __init__(self, *args: Any, names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in names:
            if name == "date_of_birth":
                field: forms.Field = _date_field()
                field.label = _("Date of birth")
            else:
                field = _text_field(name)
            self.fields[name] = field
        self.order_fields([*names, "reason"])

    def add_domain_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)


class OfficerCorrectionForm(_CorrectionFields):
    reason = forms.CharField(
        label=_("Why are you correcting these details?"),
        max_length=corrections.REASON_MAX,
        widget=forms.Textarea,
        help_text=_("For example, the applicant phoned to say a digit was wrong"),
        error_messages={
            "required": _("Enter why you are correcting these details"),
            "max_length": _("The reason must be 500 characters or fewer"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, names=["date_of_birth", *TYPED], **kwargs)
        self.fields["nationalities"].help_text = _(
            "Country codes separated by commas, like GB or GB, IE"
        )


class CorrectionRequestForm(GovukForm):
    groups = forms.MultipleChoiceField(
        label=_("Which details should the applicant check?"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(g, corrections.GROUP_LABELS[g]) for g in APPLICANT_GROUPS],
        error_messages={
            "required": _("Select the details the applicant should check"),
        },
    )
    message = forms.CharField(
        label=_("Message to the applicant (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        help_text=_(
            "This goes in the email. Do not include their date of birth or "
            "National Insurance number."
        ),
        error_messages={
            "max_length": _("The message must be 1,000 characters or fewer"),
        },
    )


class ApplicantCorrectionForm(_CorrectionFields):
    """Only the fields of the groups the officer chose, empty: the page shows none
    of the applicant's details, so a link that reaches someone else reveals
    nothing."""

    def __init__(self, *args: Any, groups: list[str], **kwargs: Any) -> None:
        names = [f for g in groups for f in APPLICANT_GROUPS.get(g, [])]
        super().__init__(*args, names=names, **kwargs)
        self.groups = groups
        for name, message in corrections.APPLICANT_REQUIRED.items():
            if name in self.fields:
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = message
        if "date_of_birth" in self.fields:
            self.fields["date_of_birth"].autocomplete_prefix = "bday"  # type: ignore[attr-defined]
