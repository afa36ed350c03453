"""What every step's form shares: the journey context, the inputs it owns, and how
its answers appear on "check your answers" and in the application."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ier.core.forms import GovukDateField, GovukForm

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class StepForm(GovukForm):
    #: The question, shown as the page's <h1> (and so its <title>).
    title: Any = ""

    def __init__(self, *args: Any, ctx: Any = None, **kwargs: Any) -> None:
        self.ctx = ctx
        super().__init__(*args, **kwargs)

    def input_names(self) -> list[str]:
        names: list[str] = []
        inactive = self.revealed_fields() - self._active_revealed()
        for name, field in self.fields.items():
            if name in inactive:
                continue
            html = self[name].html_name
            if isinstance(field, GovukDateField):
                names.extend("%s-%s" % (html, p) for p in ("day", "month", "year"))
            else:
                names.append(html)
        return names

    def multi_value_names(self) -> set[str]:
        return {
            self[name].html_name
            for name, field in self.fields.items()
            if isinstance(field, forms.MultipleChoiceField)
        }

    def revealed_fields(self) -> set[str]:
        return {
            f
            for by_value in self.reveals.values()
            for fs in by_value.values()
            for f in fs
        }

    def top_level_fields(self) -> list[str]:
        hidden = self.revealed_fields()
        return [name for name in self.fields if name not in hidden]

    def revealed_when(self, field: str, value: str) -> bool:
        """Whether the bound data chooses `value` for the radio or checkbox `field`."""
        if not self.is_bound:
            return False
        chosen = self.data.getlist(self[field].html_name)  # type: ignore[attr-defined]
        return value in chosen

    #: Messages for revealed fields that become required under their answer.
    reveal_required: dict[str, Any] = {}

    def _active_revealed(self) -> set[str]:
        active = set()
        for field, by_value in self.reveals.items():
            for value, names in by_value.items():
                if self.revealed_when(field, value):
                    active.update(names)
        return active

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        inactive = self.revealed_fields() - self._active_revealed()
        for name in inactive:
            # An answer typed under an option the person then did not choose is
            # neither checked nor kept.
            self._errors.pop(name, None)  # type: ignore[attr-defined]
            self.cleaned_data[name] = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self._active_revealed():
            if (
                name in self.reveal_required
                and not cleaned.get(name)
                and name not in self.errors
            ):
                self.add_error(name, self.reveal_required[name])
        return cleaned

    def summary_rows(self) -> list[tuple[Any, str]]:
        """(question, answer) pairs for "check your answers"."""
        return []

    def application_fields(self) -> dict[str, Any]:
        """The columns of the application this step fills in."""
        return {}

    def details(self) -> dict[str, Any]:
        """Answers with no column of their own, kept in the application's details."""
        return {}


def choice_label(field: Any, value: Any) -> str:
    return str(dict(field.choices).get(value, value))
