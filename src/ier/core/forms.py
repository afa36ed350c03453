"""A thin bridge from Django forms to the GOV.UK Design System macros.

Pages call one macro per field with the params this module builds from the bound
field: id, name, value, checked items and the error message, so wording stays in the
template and behaviour stays in the form."""

import copy
from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import QueryDict
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from markupsafe import Markup

from ier.core.caches import BoundedCache
from ier.core.text import holds_nul


def _printable(value: Any) -> Any:
    """Text without control characters or Unicode non-characters: nobody types them,
    and echoed back they would make the page invalid HTML."""
    if not isinstance(value, str) or value.isprintable():
        # Printable text holds none of them (they are all of categories Cc or Cn).
        return value
    return "".join(
        c
        for c in value
        if c in "\t\n\r"
        or not (
            ord(c) < 0x20
            or 0x7F <= ord(c) <= 0x9F
            or 0xFDD0 <= ord(c) <= 0xFDEF
            or (ord(c) & 0xFFFE) == 0xFFFE
        )
    )


def printable_data(data: Any) -> Any:
    if hasattr(data, "getlist"):
        # A new QueryDict filled from the lists: `data.copy()` deep-copies every
        # value first, only for each to be replaced.
        cleaned = QueryDict(mutable=True, encoding=getattr(data, "encoding", None))
        for key, values in data.lists():
            cleaned.setlist(key, [_printable(v) for v in values])
        return cleaned
    return {key: _printable(value) for key, value in data.items()}


def _keys_with_nul(data: Any) -> set[str]:
    values = data.lists() if hasattr(data, "lists") else data.items()
    return {
        key
        for key, value in values
        if any(holds_nul(v) for v in (value if isinstance(value, list) else [value]))
    }


def _never_echo_invalid_choices(field: forms.Field) -> None:
    # Django's default message repeats the value sent, which a person never chose;
    # the field's own "required" message says what to do instead.
    message = field.error_messages.get("invalid_choice")
    with translation.override(None):  # the message as written, in any language
        repeats_value = message is not None and "%(value)s" in str(message)
    if repeats_value:
        field.error_messages["invalid_choice"] = field.error_messages["required"]


def _plain_copy(obj: Any) -> Any:
    """What `copy.copy` makes of a plain object (a new instance sharing its
    attributes), without the generic `__reduce_ex__` round trip."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


def _copies_plainly(cls: type) -> bool:
    """Whether `copy.copy` of an instance of `cls` is `_plain_copy`."""
    return (
        getattr(cls, "__copy__", None) is None
        and cls.__reduce_ex__ is object.__reduce_ex__
        and cls.__reduce__ is object.__reduce__
        and getattr(cls, "__getstate__", object.__getstate__) is object.__getstate__
        and not any("__slots__" in vars(k) for k in cls.__mro__)
        and cls.__new__ is object.__new__
    )


#: The Django copy methods `_copy_widget` and `_copy_field` repeat; a class with
#: any other (or one that copies in its own way) is deep-copied by `copy`.
_WIDGET_COPIES = {
    forms.Widget.__deepcopy__: "widget",
    forms.widgets.ChoiceWidget.__deepcopy__: "choices",
    forms.MultiWidget.__deepcopy__: "widgets",
}
_FIELD_COPIES = {
    forms.Field.__deepcopy__: "field",
    forms.ChoiceField.__deepcopy__: "choices",
    forms.MultiValueField.__deepcopy__: "fields",
}
#: Per field or widget class, whether it copies plainly: bounded by the classes in
#: the code, and holds no values (docs/adr/0007-process-caches.md).
_PLAIN: dict[type, bool] = {}


def _plain(cls: type) -> bool:
    known = _PLAIN.get(cls)
    if known is None:
        known = _PLAIN[cls] = _copies_plainly(cls)
    return known


def _copy_widget(widget: forms.Widget, memo: dict[int, Any]) -> forms.Widget:
    """Django's `Widget.__deepcopy__` (and `ChoiceWidget`'s), done directly."""
    if id(widget) in memo:
        return memo[id(widget)]
    kind = _WIDGET_COPIES.get(type(widget).__deepcopy__)
    if kind is None or not _plain(type(widget)):
        return copy.deepcopy(widget, memo)
    result = _plain_copy(widget)
    result.attrs = widget.attrs.copy()
    if kind == "choices":
        # Set past the `choices` setter: these are normalised already.
        result._choices = copy.copy(widget._choices)  # type: ignore[attr-defined]
    elif kind == "widgets":  # Django copies the parts with a memo of their own
        parts: dict[int, Any] = {}
        result.widgets = [  # type: ignore[attr-defined]
            _copy_widget(part, parts)
            for part in widget.widgets  # type: ignore[attr-defined]
        ]
    memo[id(widget)] = result
    return result


def _copy_field(field: forms.Field, memo: dict[int, Any]) -> forms.Field:
    """A form's own copy of a declared field: what Django's `__deepcopy__` makes,
    without its generic copies, except that choices are copied as a new list
    rather than deeply: they are immutable tuples of (lazy) text, and forms here
    replace a field's choices, never edit them."""
    if id(field) in memo:
        return memo[id(field)]
    kind = _FIELD_COPIES.get(type(field).__deepcopy__)
    if kind is None or not _plain(type(field)):
        return copy.deepcopy(field, memo)
    result = _plain_copy(field)
    memo[id(field)] = result
    result.widget = _copy_widget(field.widget, memo)
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    if kind == "choices":
        result._choices = copy.copy(field._choices)  # type: ignore[attr-defined]
    elif kind == "fields":
        result.fields = tuple(  # type: ignore[attr-defined]
            _copy_field(part, memo)
            for part in field.fields  # type: ignore[attr-defined]
        )
    return result


class _DeclaredFields(dict):
    """A form class's declared fields, copied for each form more cheaply than
    Django's deep copy (each page builds several forms)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: _copy_field(field, memo) for name, field in self.items()}


class GovukForm(forms.Form):
    """Ids equal names (so the error summary can link to them) and no label suffix."""

    #: Conditional reveals: {radio field: {value: [fields shown under that answer]}}.
    reveals: dict[str, dict[str, list[str]]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        if type(cls.__dict__.get("base_fields")) is dict:
            # Once per class: each form's fields are copies of these.
            for field in cls.base_fields.values():
                _never_echo_invalid_choices(field)
            cls.base_fields = _DeclaredFields(cls.base_fields)
        kwargs.setdefault("auto_id", "%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self._sent_nul = _keys_with_nul(self.data)
            self.data = printable_data(self.data)

    def rebind(self, data: Any) -> None:
        """Bind this form to other data, to be validated afresh, as a new form
        given `data` would be: for checking many records with one form, whose
        fields are then built once rather than for each record."""
        self.is_bound = True
        self._sent_nul = _keys_with_nul(data)
        self.data = printable_data(data)
        self._errors = None  # type: ignore[assignment]
        self._bound_fields_cache.clear()  # type: ignore[attr-defined]

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound:
            self._refuse_nul()

    def _refuse_nul(self) -> None:
        """A NUL sent in a field is an error on that field (the value shown again
        has it removed, with the other control characters). No database column can
        hold one, and no person types one."""
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if any(k == key or k.startswith(key + "-") for k in self._sent_nul):
                label = field.label or _("This answer")
                if isinstance(field, GovukDateField):
                    label = field.label_text.capitalize()
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("%(field)s must not include a null character"),
                        code="nul_character",
                        params={"field": label},
                    ),
                )

    def error_summary(self) -> list[dict[str, str]]:
        """One entry per error, in page order, linking to the field that has it."""
        items = []
        for name, errors in self.errors.items():
            anchor = self.anchor_for(name)
            for error in errors:
                items.append({"text": str(error), "href": "#" + anchor})
        return items

    def anchor_for(self, name: str) -> str:
        if name == NON_FIELD_ERRORS:
            name = next(iter(self.fields))
        if isinstance(self.fields.get(name), GovukDateField):
            part = self.date_error_parts.get(name) or ["day"]
            return "%s-%s" % (name, part[0])
        return name

    @property
    def date_error_parts(self) -> dict[str, list[str]]:
        return self.__dict__.setdefault("_date_error_parts", {})

    def add_error(self, field: str | None, error: Any) -> None:
        if isinstance(error, DateInvalid) and field:
            self.date_error_parts[field] = error.parts
        super().add_error(field, error)


class DateParts(forms.MultiWidget):
    """Three text inputs named NAME-day, NAME-month and NAME-year."""

    def __init__(self) -> None:
        super().__init__(
            widgets={
                "-day": forms.TextInput(),
                "-month": forms.TextInput(),
                "-year": forms.TextInput(),
            }
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return {
            part: (data.get("%s-%s" % (name, part)) or "").strip()
            for part in ("day", "month", "year")
        }


class DateInvalid(forms.ValidationError):
    """A date error that knows which of day, month and year to highlight."""

    def __init__(self, message: Any, parts: list[str]) -> None:
        super().__init__(message, code="invalid_date")
        self.parts = parts


class GovukDateField(forms.Field):
    """A date typed as day, month and year, checked the way GOV.UK asks: say which
    part is missing, then whether it is a real date, then the field's own limits."""

    widget = DateParts

    def __init__(self, *, label_text: Any, **kwargs: Any) -> None:
        self.label_text = label_text
        #: e.g. "bday" for autocomplete="bday-day" and so on, on a date of birth.
        self.autocomplete_prefix = ""
        super().__init__(**kwargs)

    def clean(self, value: Any) -> date | None:
        parts = value if isinstance(value, dict) else {}
        present = {k: v for k, v in parts.items() if v}
        if not present:
            if self.required:
                raise DateInvalid(
                    _("Enter your %(field)s") % {"field": self.label_text},
                    ["day", "month", "year"],
                )
            return None
        missing = [p for p in ("day", "month", "year") if not parts.get(p)]
        if missing:
            raise DateInvalid(self._missing_message(missing), missing)
        return self._real_date(parts)

    def _missing_message(self, missing: list[str]) -> Any:
        names = {"day": _("a day"), "month": _("a month"), "year": _("a year")}
        if len(missing) == 2:
            return _("%(field)s must include %(a)s and %(b)s") % {
                "field": self.label_text.capitalize(),
                "a": names[missing[0]],
                "b": names[missing[1]],
            }
        return _("%(field)s must include %(part)s") % {
            "field": self.label_text.capitalize(),
            "part": names[missing[0]],
        }

    def _real_date(self, parts: dict[str, str]) -> date:
        try:
            day, month, year = (
                int(parts["day"]),
                int(parts["month"]),
                int(parts["year"]),
            )
        except ValueError:
            wrong = [p for p in ("day", "month", "year") if not parts[p].isdigit()]
            raise DateInvalid(self._not_real(), wrong or ["day"]) from None
        if len(parts["year"]) != 4:
            raise DateInvalid(_("Year must include 4 numbers"), ["year"])
        try:
            return date(year, month, day)
        except ValueError:
            wrong = ["month"] if not 1 <= month <= 12 else ["day"]
            raise DateInvalid(self._not_real(), wrong) from None

    def _not_real(self) -> Any:
        return _("%(field)s must be a real date") % {
            "field": self.label_text.capitalize()
        }


def field_params(form: GovukForm, name: str, **params: Any) -> dict[str, Any]:
    """Params for the GOV.UK macro that renders `form[name]`, merged with `params`."""
    bound = form[name]
    field = bound.field
    result: dict[str, Any] = {"id": name, "name": bound.html_name}
    errors = bound.errors
    if errors:
        result["errorMessage"] = {"text": str(errors[0])}
    if isinstance(field, GovukDateField):
        result.update(_date_params(form, bound, bool(errors)))
    elif isinstance(field, OptionsField):
        result["value"] = bound.value() or ""
    elif isinstance(field.widget, forms.CheckboxSelectMultiple):
        selected = {str(v) for v in (bound.value() or [])}
        result["items"] = _items(field, params.pop("hints", {}), selected, params)
    elif isinstance(field.widget, forms.RadioSelect | forms.Select):
        value = bound.value()
        selected = {str(value)} if value not in (None, "") else set()
        result["items"] = _items(field, params.pop("hints", {}), selected, params)
    elif isinstance(field.widget, forms.CheckboxInput):
        result["checked"] = bool(bound.value())
    elif isinstance(field.widget, forms.PasswordInput):
        pass  # what was typed is never sent back, not even to its own box
    else:
        value = bound.value()
        result["value"] = "" if value is None else str(value)
    result.update(params)
    return result


def _items(field, hints, selected, params) -> list[dict[str, Any]]:
    conditionals = params.pop("conditionals", {})
    items = []
    for value, label in field.choices:
        if value == "" and "Select" not in str(type(field.widget).__name__):
            continue
        item: dict[str, Any] = {"value": value, "text": str(label)}
        if str(value) in selected:
            item[
                "checked" if not isinstance(field.widget, forms.Select) else "selected"
            ] = True
        if value in hints:
            item["hint"] = {"text": str(hints[value])}
        if value in conditionals:
            item["conditional"] = {"html": conditionals[value]}
        items.append(item)
    return items


def _date_params(form: GovukForm, bound, has_error: bool) -> dict[str, Any]:
    value = bound.value()
    if isinstance(value, date):
        parts = {
            "day": str(value.day),
            "month": str(value.month),
            "year": str(value.year),
        }
    elif isinstance(value, dict):
        parts = value
    else:
        parts = {"day": "", "month": "", "year": ""}
    wrong = set(form.date_error_parts.get(bound.name, [])) if has_error else set()
    widths = {"day": 2, "month": 2, "year": 4}
    autocomplete = getattr(bound.field, "autocomplete_prefix", "")
    items = []
    for part in ("day", "month", "year"):
        classes = "govuk-input--width-%d" % widths[part]
        if part in wrong:
            classes += " govuk-input--error"
        item = {
            "id": "%s-%s" % (bound.name, part),
            "name": "%s-%s" % (bound.html_name, part),
            "label": str(
                {"day": _("Day"), "month": _("Month"), "year": _("Year")}[part]
            ),
            "value": parts.get(part, ""),
            "classes": classes,
            "inputmode": "numeric",
        }
        if autocomplete:
            item["autocomplete"] = "%s-%s" % (autocomplete, part)
        items.append(item)
    return {"items": items, "id": bound.name}


def field_kind(form: GovukForm, name: str) -> str:
    """Which GOV.UK component renders the field."""
    field = form.fields[name]
    widget = field.widget
    if isinstance(field, GovukDateField):
        return "date"
    if isinstance(field, OptionsField):
        return "options"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


class OptionsField(forms.CharField):
    """One of many options (countries, the addresses at a postcode).

    Django's ChoiceField normalises its choices every time a form is made, which for
    a list of 250 countries costs more than the rest of the page. Here the options
    come from a callable (cached by the caller where they never change), an answer is
    checked by `accepts`, and the <option> list is rendered by `options_html`."""

    widget = forms.Select

    def __init__(
        self, *, options=None, accepts=None, prompt="", invalid_message="", **kw
    ):
        self.options = options or (lambda: ())
        self.accepts = accepts
        self.prompt = prompt
        self.invalid_message = invalid_message
        super().__init__(**kw)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return value
        accepted = (
            self.accepts(value) if self.accepts else value in _values(self.options())
        )
        if not accepted:
            raise forms.ValidationError(self.invalid_message, code="invalid_choice")
        return value


#: Keyed by the options object's id and kept with it, so an id reused by a later
#: object is never mistaken for it. Country lists are the same object on every view
#: and stay; an address list is new on every view and soon drops out.
OPTION_VALUES = BoundedCache(
    64,
    "the accepted values of recently shown option lists (countries, the "
    "addresses at a postcode)",
)
OPTION_MARKUP = BoundedCache(
    64,
    "the <option> markup of recently shown option lists (countries, the "
    "addresses at a postcode)",
)


def _remembered(cache: BoundedCache, options, build) -> Any:
    cached = cache.get(id(options))
    if cached is None or cached[0] is not options:
        cached = (options, build(options))
        cache.put(id(options), cached)
    return cached[1]


def _values(options) -> frozenset[str]:
    return _remembered(
        OPTION_VALUES,
        options,
        lambda listed: frozenset(str(value) for value, _label in listed),
    )


def _options_markup(options) -> str:
    return _remembered(
        OPTION_MARKUP,
        options,
        lambda listed: "".join(
            '<option value="%s">%s</option>' % (escape(value), escape(label))
            for value, label in listed
        ),
    )


def options_html(form: GovukForm, name: str) -> Markup:
    """The <option> elements of an OptionsField, with the answer given selected."""
    field = cast(OptionsField, form.fields[name])
    value = form[name].value() or ""
    markup = '<option value="">%s</option>' % escape(field.prompt) + _options_markup(
        field.options()
    )
    if value:
        needle = 'value="%s">' % escape(value)
        markup = markup.replace(needle, 'value="%s" selected>' % escape(value), 1)
    return Markup(markup)  # noqa: S704 - every part above is escaped
