"""The service declaration: armed forces, Crown servants and British Council staff
serving abroad, and their husbands, wives and civil partners.

A service voter is registered at the UK address where they would live if they were
not serving, or else at their last UK address (docs/rules.md)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ier.citizen.forms import address
from ier.citizen.forms.base import StepForm, choice_label


class ForcesStatementForm(StepForm):
    title = _("Which of these describes you?")
    statement = forms.MultipleChoiceField(
        choices=[
            ("member", _("I'm a member of the armed forces")),
            (
                "partner",
                _(
                    "I'm the husband, wife or civil partner of a member of the armed "
                    "forces"
                ),
            ),
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
        error_messages={"required": _("Select which of these describes you")},
    )

    def summary_rows(self):
        labels = [
            choice_label(self.fields["statement"], value)
            for value in self.cleaned_data["statement"]
        ]
        return [(_("You are"), "; ".join(labels))]

    def details(self):
        chosen = self.cleaned_data["statement"]
        return {
            "service": {
                "category": "forces",
                "member": "member" in chosen,
                "partner": "partner" in chosen,
            }
        }


CROWN_STATEMENTS = [
    ("crown", _("I'm a Crown servant working outside the UK")),
    (
        "crown-partner",
        _(
            "I'm the husband, wife or civil partner of a Crown servant working "
            "outside the UK"
        ),
    ),
    ("council", _("I'm a British Council employee working outside the UK")),
    (
        "council-partner",
        _(
            "I'm the husband, wife or civil partner of a British Council employee "
            "working outside the UK"
        ),
    ),
]


class CrownStatementForm(StepForm):
    title = _("Which of these describes you?")
    statement = forms.ChoiceField(
        choices=CROWN_STATEMENTS,
        widget=forms.RadioSelect,
        help_text=_(
            "Crown servants include diplomats and other civil servants posted abroad."
        ),
        error_messages={"required": _("Select which of these describes you")},
    )

    def summary_rows(self):
        value = self.cleaned_data["statement"]
        return [(_("You are"), choice_label(self.fields["statement"], value))]

    def details(self):
        value = self.cleaned_data["statement"]
        return {
            "service": {
                "category": "british-council"
                if value.startswith("council")
                else "crown",
                "member": not value.endswith("partner"),
                "partner": value.endswith("partner"),
            }
        }


def partner_only(ctx) -> bool:
    """The person applies as the partner of someone serving, not in their own right."""
    chosen = ctx.value("service-statement", "statement")
    if isinstance(chosen, list):
        return chosen == ["partner"]
    return bool(chosen) and str(chosen).endswith("partner")


class UkAddressForm(StepForm):
    title = _("Do you have a UK address?")
    uk_address = forms.ChoiceField(
        choices=[
            ("yes", _("Yes, I would live there if I were not serving abroad")),
            ("no", _("No, but I can give my last UK address")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether you have a UK address")},
    )

    def summary_rows(self):
        value = self.cleaned_data["uk_address"]
        return [(_("UK address"), choice_label(self.fields["uk_address"], value))]

    def details(self):
        return {"has_uk_address": self.cleaned_data["uk_address"] == "yes"}


def has_uk_address(ctx) -> bool:
    return ctx.value("uk-address", "uk_address") == "yes"


class ServicePostcodeForm(address.PostcodeForm):
    @property
    def title(self):  # type: ignore[override]
        if self.ctx is not None and not has_uk_address(self.ctx):
            return _("What was your last UK address?")
        return _("What is your UK address?")


class ServiceDetailsForm(StepForm):
    service = forms.ChoiceField(
        label=_("Service"),
        choices=[
            ("navy", _("Royal Navy or Royal Marines")),
            ("army", _("British Army")),
            ("raf", _("Royal Air Force")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the service")},
    )
    rank = forms.CharField(
        label=_("Rank or rating"),
        max_length=60,
        error_messages={
            "required": _("Enter the rank or rating"),
            "max_length": _("Rank or rating must be 60 characters or fewer"),
        },
    )
    service_number = forms.CharField(
        label=_("Service number"),
        max_length=20,
        error_messages={
            "required": _("Enter the service number"),
            "max_length": _("Service number must be 20 characters or fewer"),
        },
    )
    unit = forms.CharField(
        label=_("Unit, regiment or corps"),
        max_length=100,
        error_messages={
            "required": _("Enter the unit, regiment or corps"),
            "max_length": _("Unit, regiment or corps must be 100 characters or fewer"),
        },
    )

    @property
    def title(self):  # type: ignore[override]
        if self.ctx is not None and partner_only(self.ctx):
            return _("Your partner's service details")
        return _("Your service details")

    def clean_service_number(self) -> str:
        return " ".join(self.cleaned_data["service_number"].upper().split())

    def summary_rows(self):
        service = choice_label(self.fields["service"], self.cleaned_data["service"])
        return [
            (_("Service"), service),
            (_("Rank or rating"), self.cleaned_data["rank"]),
            (_("Service number"), self.cleaned_data["service_number"]),
            (_("Unit, regiment or corps"), self.cleaned_data["unit"]),
        ]

    def details(self):
        return {
            "service_details": {
                name: self.cleaned_data[name]
                for name in ("service", "rank", "service_number", "unit")
            }
        }


class JobForm(StepForm):
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=100,
        error_messages={
            "required": _("Enter the job title"),
            "max_length": _("Job title must be 100 characters or fewer"),
        },
    )
    department = forms.CharField(
        label=_("Government department, agency or body"),
        max_length=150,
        help_text=_(
            "For example, Foreign, Commonwealth and Development Office, or British "
            "Council."
        ),
        error_messages={
            "required": _("Enter the government department, agency or body"),
            "max_length": _(
                "Government department, agency or body must be 150 characters or fewer"
            ),
        },
    )
    staff_number = forms.CharField(
        label=_("Payroll number or staff ID"),
        max_length=30,
        error_messages={
            "required": _("Enter the payroll number or staff ID"),
            "max_length": _(
                "Payroll number or staff ID must be 30 characters or fewer"
            ),
        },
    )

    @property
    def title(self):  # type: ignore[override]
        if self.ctx is not None and partner_only(self.ctx):
            return _("Your partner's job")
        return _("Your job")

    def summary_rows(self):
        return [
            (_("Job title"), self.cleaned_data["job_title"]),
            (
                _("Government department, agency or body"),
                self.cleaned_data["department"],
            ),
            (_("Payroll number or staff ID"), self.cleaned_data["staff_number"]),
        ]

    def details(self):
        return {
            "service_details": {
                name: self.cleaned_data[name]
                for name in ("job_title", "department", "staff_number")
            }
        }


WRITE_TO = [
    ("uk", _("At my UK address")),
    ("bfpo", _("At a British Forces Post Office (BFPO) address")),
    ("other", _("At another address")),
]


class CorrespondenceForm(StepForm):
    """Where the council writes: the UK address may be empty while the person serves."""

    title = _("Where should we write to you?")
    #: Whether a British Forces Post Office address is offered (armed forces only).
    offers_bfpo = True
    write_to = forms.ChoiceField(
        choices=WRITE_TO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select where we should write to you")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["write_to"])
        offered = [
            (value, label)
            for value, label in WRITE_TO
            if (value != "bfpo" or self.offers_bfpo)
            and (value != "uk" or self.ctx is None or has_uk_address(self.ctx))
        ]
        field.choices = offered

    def summary_rows(self):
        value = self.cleaned_data["write_to"]
        if value != "uk":
            return []  # the address itself is shown instead
        return [
            (_("Where we write to you"), choice_label(self.fields["write_to"], value))
        ]

    def details(self):
        if self.cleaned_data["write_to"] != "uk":
            return {}
        return {"correspondence": {"to": "uk", "lines": []}}


class CrownCorrespondenceForm(CorrespondenceForm):
    offers_bfpo = False


def writes_elsewhere(ctx) -> bool:
    return ctx.value("correspondence-address", "write_to") in {"bfpo", "other"}


class CorrespondenceAddressForm(StepForm):
    address = forms.CharField(
        max_length=500,
        widget=forms.Textarea,
        error_messages={
            "required": _("Enter the address"),
            "max_length": _("Address must be 500 characters or fewer"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.bfpo:
            self.fields["address"].label = _("BFPO address")
            self.fields["address"].help_text = _(
                "Include your name, service number, unit and BFPO number."
            )
        else:
            self.fields["address"].label = _("Address")
            self.fields["address"].help_text = _("Include the country.")

    @property
    def bfpo(self) -> bool:
        return (
            self.ctx is not None
            and self.ctx.value("correspondence-address", "write_to") == "bfpo"
        )

    @property
    def title(self):  # type: ignore[override]
        if self.bfpo:
            return _("What is your BFPO address?")
        return _("What address should we write to?")

    def lines(self) -> list[str]:
        text = self.cleaned_data["address"]
        return [line.strip() for line in text.splitlines() if line.strip()]

    def summary_rows(self):
        return [(_("Where we write to you"), ", ".join(self.lines()))]

    def details(self):
        to = "bfpo" if self.bfpo else "other"
        return {"correspondence": {"to": to, "lines": self.lines()}}
