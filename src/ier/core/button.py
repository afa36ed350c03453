"""The design system's button, written by a function instead of its macro.

Most pages of the journey show a button of their own ("Start now", "Find address",
"Accept and send"), and the macro (`govukButton`) costs about fifty microseconds a
call: a nested macro for the attributes, another for the start icon, `trim` and
`indent`. This function writes the same bytes directly for the parameters pages
give it; for any other (`attributes`, values that are not text or flags) it says so
and the macro is called instead. tests/core/test_button.py holds it to the macro's
output for generated parameters, in English and Welsh and with text that needs
escaping.
"""

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

#: The parameters this function writes; with any other the macro is used.
TEXT_PARAMS = frozenset(
    {"text", "html", "href", "classes", "type", "name", "value", "id"}
)
FLAG_PARAMS = frozenset({"isStartButton", "preventDoubleClick", "disabled"})

START_ICON = (
    '  <svg class="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg"'
    ' width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true"'
    ' focusable="false">\n'
    '    <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/>\n'
    "  </svg>"
)


def written_button(params: Any) -> Markup | None:
    """What `govukButton(params)` renders, or None where the parameters are not
    all ones this function writes (the caller then calls the macro)."""
    if not _writable(params):
        return None
    if params.get("html"):
        content = _indented(str(params["html"]).strip())
    else:
        content = str(escape(params.get("text", "")))
    if params.get("isStartButton"):
        content += START_ICON
    if params.get("href"):
        opening = '<a href="%s" role="button" draggable="false"' % escape(
            params["href"]
        )
        closing = "</a>"
    else:
        opening = _button_opening(params)
        closing = "</button>"
    return Markup(  # noqa: S704 - every value above is escaped or is markup
        "%s%s>\n  %s\n%s" % (opening, _common(params), content, closing)
    )


def _common(params: Mapping[str, Any]) -> str:
    """The attributes of both a link and a button."""
    classes = "govuk-button"
    if params.get("classes"):
        classes += " " + params["classes"]
    if params.get("isStartButton"):
        classes += " govuk-button--start"
    common = ' class="%s" data-module="govuk-button"' % escape(classes)
    if params.get("id"):
        common += ' id="%s"' % escape(params["id"])
    return common


def _button_opening(params: Mapping[str, Any]) -> str:
    opening = '<button type="%s"' % escape(params.get("type") or "submit")
    if params.get("value"):
        opening += ' value="%s"' % escape(params["value"])
    if params.get("name"):
        opening += ' name="%s"' % escape(params["name"])
    if params.get("disabled"):
        opening += ' disabled aria-disabled="true"'
    if "preventDoubleClick" in params:
        opening += ' data-prevent-double-click="%s"' % (
            "true" if params["preventDoubleClick"] else "false"
        )
    return opening


def _writable(params: Any) -> bool:
    if not isinstance(params, Mapping):
        return False
    for name, value in params.items():
        if name in FLAG_PARAMS:
            if type(value) is not bool:
                return False
        elif name in TEXT_PARAMS:
            # Markup only where the macro would show it as it is: in `html`.
            if type(value) is not str and not (
                isinstance(value, Markup) and name in ("text", "html")
            ):
                return False
        else:
            return False
    return True


def _indented(html: str) -> str:
    """Jinja's `indent(2)`: every line after the first indented, blank ones not."""
    first, *rest = (html + "\n").splitlines()
    return "\n".join([first, *("  " + line if line else line for line in rest)])
