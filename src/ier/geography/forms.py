"""The postcode question of the "contact your electoral registration office" page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ier.core.forms import GovukForm
from ier.geography.postcodes import normalise_postcode


class ContactPostcodeForm(GovukForm):
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=16,
        help_text=_("For example, SW1A 1AA"),
        error_messages={
            "required": _("Enter a postcode"),
            "max_length": _("Enter a real postcode, like SW1A 1AA"),
        },
    )

    def clean_postcode(self) -> str:
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if not postcode:
            raise forms.ValidationError(_("Enter a real postcode, like SW1A 1AA"))
        return postcode
