"""Your address, any address you moved from, and any other address you live at."""

from functools import cached_property
from typing import Any, cast

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ier.citizen import addressing
from ier.citizen.forms.base import StepForm, choice_label
from ier.core.forms import OptionsField
from ier.geography.postcodes import is_northern_ireland, normalise_postcode
from ier.registration.validators import clean_name


class PostcodeForm(StepForm):
    """The postcode to look addresses up by."""

    slug = "address"
    title = _("What is your address?")
    must_route = True
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=16,
        error_messages={
            "required": _("Enter your postcode"),
            "max_length": _("Enter a real postcode, like SW1A 1AA"),
        },
    )

    def clean_postcode(self) -> str:
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if not postcode:
            raise forms.ValidationError(_("Enter a real postcode, like SW1A 1AA"))
        if (
            self.must_route
            and not is_northern_ireland(postcode)
            and not addressing.postcode_known(postcode)
        ):
            raise forms.ValidationError(
                _(
                    "We cannot find this postcode. Check it is right, or contact "
                    "your council's electoral services team"
                )
            )
        return postcode

    def summary_rows(self):
        address = self.ctx.chosen_address(self.slug)
        label = _("Address") if self.slug == "address" else _("Previous address")
        return [(label, addressing.single_line(address))] if address else []

    def application_fields(self):
        return address_fields(self.ctx, self.slug)


class PreviousPostcodeForm(PostcodeForm):
    slug = "previous-address"
    must_route = False

    @property
    def title(self):  # type: ignore[override]
        if self.ctx is not None and self.ctx.value("moved", "moved") == "from-abroad":
            return _("What was your last UK address?")
        return _("What was your previous address?")


#: The list's prompt, worked out when it is shown (made once: each `lazy` call
#: builds a class).
_lazy_prompt = lazy(lambda form: form.prompt, str)


class AddressSelectForm(StepForm):
    """Pick the address from those at the postcode."""

    slug = "address"
    title = _("Select your address")
    uprn = OptionsField(
        label=_("Select your address"),
        invalid_message=_("Select your address"),
        error_messages={"required": _("Select your address")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        value = self.ctx.value(self.slug, "postcode") if self.ctx else None
        self.postcode = normalise_postcode(value)
        field = cast(OptionsField, self.fields["uprn"])
        field.options = self.address_options
        field.accepts = self.is_address_here
        # Lazy: counting the addresses loads them, which only the page view needs.
        field.prompt = _lazy_prompt(self)

    @cached_property
    def _options(self) -> tuple[tuple[str, str], ...]:
        """The addresses at the postcode, loaded only when the page is shown."""
        return addressing.address_options(self.postcode) if self.postcode else ()

    def address_options(self) -> tuple[tuple[str, str], ...]:
        return self._options

    @property
    def prompt(self) -> str:
        count = len(self._options)
        return ngettext(
            "%(count)d address found", "%(count)d addresses found", count
        ) % {"count": count}

    def is_address_here(self, uprn: str) -> bool:
        return self.postcode is not None and addressing.address_at(uprn, self.postcode)

    def clean_uprn(self) -> str:
        uprn = self.cleaned_data["uprn"]
        if self.slug == "previous-address" and self.ctx is not None:
            current = self.ctx.value("address-select", "uprn")
            if (
                current
                and str(current) == str(uprn)
                and self.ctx.value("moved", "moved") == "from-uk"
            ):
                raise forms.ValidationError(
                    _(
                        "Your previous address cannot be the same as your current "
                        "address"
                    )
                )
        return uprn


class PreviousAddressSelectForm(AddressSelectForm):
    slug = "previous-address"
    title = _("Select your previous address")


class AddressManualForm(StepForm):
    """An address typed in when it is not in the list."""

    slug = "address"
    title = _("Enter your address")
    line_1 = forms.CharField(
        label=_("Address line 1"),
        max_length=100,
        error_messages={
            "required": _("Enter address line 1, typically the building and street"),
            "max_length": _("Address line 1 must be 100 characters or fewer"),
        },
    )
    line_2 = forms.CharField(
        label=_("Address line 2 (optional)"),
        max_length=100,
        required=False,
        error_messages={
            "max_length": _("Address line 2 must be 100 characters or fewer")
        },
    )
    town = forms.CharField(
        label=_("Town or city"),
        max_length=60,
        error_messages={
            "required": _("Enter town or city"),
            "max_length": _("Town or city must be 60 characters or fewer"),
        },
    )

    # Asked only where the postcode lies in more than one council (see __init__).
    authority = forms.ChoiceField(
        label=_("Which council area is this address in?"),
        widget=forms.RadioSelect,
        help_text=_(
            "Your postcode is in more than one council area. A council tax bill "
            "shows which council your address is in."
        ),
        error_messages={
            "required": _("Select which council area this address is in"),
            "invalid_choice": _("Select which council area this address is in"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        postcode = self.postcode()
        councils = addressing.authorities_for_postcode(postcode) if postcode else []
        if len(councils) > 1:
            cast(forms.ChoiceField, self.fields["authority"]).choices = [
                (council.gss_code, council.display_name) for council in councils
            ]
        else:
            # One council (or none yet): the postcode directory decides.
            del self.fields["authority"]

    def clean(self):
        cleaned = super().clean()
        for name in ("line_1", "line_2", "town"):
            if cleaned.get(name):
                cleaned[name] = clean_name(cleaned[name])
        return cleaned

    def postcode(self) -> str | None:
        return (
            normalise_postcode(self.ctx.value(self.slug, "postcode"))
            if self.ctx
            else None
        )


class PreviousAddressManualForm(AddressManualForm):
    slug = "previous-address"
    title = _("Enter your previous address")


def address_fields(ctx, prefix: str) -> dict[str, Any]:
    address = ctx.chosen_address(prefix)
    if not address:
        return {}
    key = "address" if prefix == "address" else "previous"
    return {
        "%s_uprn" % key: address["uprn"],
        "%s_line_1" % key: address["lines"][0],
        "%s_line_2" % key: address["lines"][1],
        "%s_line_3" % key: address["lines"][2],
        "%s_town" % key: address["lines"][3],
        "%s_postcode" % key: address["postcode"],
        "%s_manual" % key: address["manual"],
    }


def address_complete(prefix: str):
    """The select step is complete once an address is picked or typed in by hand."""

    def complete(ctx) -> bool:
        return ctx.chosen_address(prefix) is not None

    return complete


class MovedForm(StepForm):
    title = _("Have you moved to your address in the last 12 months?")
    moved = forms.ChoiceField(
        choices=[
            ("no", _("No")),
            ("from-uk", _("Yes, from another address in the UK")),
            ("from-abroad", _("Yes, from abroad")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether you have moved in the last 12 months")
        },
    )

    def summary_rows(self):
        moved = choice_label(self.fields["moved"], self.cleaned_data["moved"])
        return [(_("Moved in the last 12 months"), moved)]

    def application_fields(self):
        return {"moved": self.cleaned_data["moved"]}


def moved_from_abroad(ctx) -> bool:
    return ctx.value("moved", "moved") == "from-abroad"


class OverseasVoterForm(StepForm):
    title = _("Were you registered as an overseas voter while you lived abroad?")
    registered_overseas = forms.ChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether you were registered as an overseas voter")
        },
    )

    def summary_rows(self):
        answer = self.cleaned_data["registered_overseas"]
        label = choice_label(self.fields["registered_overseas"], answer)
        return [(_("Registered as an overseas voter"), label)]

    def details(self):
        return {
            "registered_overseas": self.cleaned_data["registered_overseas"] == "yes"
        }


def previous_address_applies(ctx) -> bool:
    moved = ctx.value("moved", "moved")
    return moved == "from-uk" or (
        moved == "from-abroad"
        and ctx.value("overseas-voter", "registered_overseas") == "yes"
    )


def previous_select_applies(ctx) -> bool:
    postcode = normalise_postcode(ctx.value("previous-address", "postcode"))
    return previous_address_applies(ctx) and not (
        postcode and is_northern_ireland(postcode)
    )


class OtherAddressForm(StepForm):
    title = _("Do you also live at another address?")
    other_address = forms.ChoiceField(
        choices=[
            ("no", _("No")),
            ("second-home", _("Yes, I have a second home")),
            (
                "student",
                _("Yes, I'm a student with a home address and a term-time address"),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether you live at another address")},
    )

    def summary_rows(self):
        return [
            (
                _("Another address"),
                choice_label(
                    self.fields["other_address"], self.cleaned_data["other_address"]
                ),
            )
        ]

    def application_fields(self):
        return {"other_address": self.cleaned_data["other_address"]}
