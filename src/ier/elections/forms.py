"""The questions of the elections page and of "Am I registered?"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ier.core.forms import GovukDateField
from ier.geography.forms import ContactPostcodeForm


class ElectionsPostcodeForm(ContactPostcodeForm):
    """The same question and messages as finding your registration office."""


class RegisterCheckForm(ContactPostcodeForm):
    """Name, date of birth and address: what the register holds."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Enter your first name")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        error_messages={"required": _("Enter your last name")},
    )
    date_of_birth = GovukDateField(label_text=_("date of birth"))
    building = forms.CharField(
        label=_("House number or name"),
        max_length=100,
        help_text=_("For example, 12 or Rose Cottage. For a flat, the flat number."),
        error_messages={"required": _("Enter your house number or name")},
    )
    field_order = ["first_name", "last_name", "date_of_birth", "building", "postcode"]
