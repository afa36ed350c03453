"""The design system's summary list, written by a function instead of its macro.

"Check your answers" shows every answer a person gave in a summary list, on every
visit, and the markup holds what they typed, so it cannot be kept between requests.
The macro (`govukSummaryList`) builds each row through nested macro calls, `trim`
and `indent`; this function writes the same bytes directly, for the rows the
journey makes. tests/core/test_summary_list.py holds it to the macro's output, row
kind by row kind, in English and Welsh and with text that needs escaping.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

#: The parts of the macro's parameters this function writes; anything else (cards,
#: classes, attributes, several actions to a row) is refused rather than dropped.
ROW_KEYS = frozenset({"key", "value", "actions"})
TEXT_KEYS = frozenset({"text", "html"})
ACTION_KEYS = frozenset({"href", "text", "html", "visuallyHiddenText"})


def summary_list(rows: Iterable[Mapping[str, Any] | None]) -> Markup:
    """What `govukSummaryList({"rows": rows})` renders, for rows of a key and a
    value (each `text` or `html`) and at most one action (`href`, `text` or `html`,
    `visuallyHiddenText`)."""
    shown = [row for row in rows if row]
    with_actions = [_action(row) for row in shown]
    any_actions = any(action is not None for action in with_actions)
    parts = ['<dl class="govuk-summary-list">\n']
    for row, action in zip(shown, with_actions, strict=True):
        parts.append(
            '  <div class="govuk-summary-list__row%s">\n'
            '    <dt class="govuk-summary-list__key">\n'
            "      %s\n"
            "    </dt>\n"
            '    <dd class="govuk-summary-list__value">\n'
            "      %s\n"
            "    </dd>\n"
            % (
                " govuk-summary-list__row--no-actions"
                if any_actions and action is None
                else "",
                _content(row.get("key")),
                _content(row.get("value")),
            )
        )
        if action is not None:
            parts.append(
                '    <dd class="govuk-summary-list__actions">\n'
                "      %s\n"
                "    </dd>\n" % _action_link(action)
            )
        parts.append("  </div>\n")
    parts.append("</dl>")
    # Every piece of text the rows hold was escaped above, as the macro escapes it.
    return Markup("".join(parts))  # noqa: S704


def _action(row: Mapping[str, Any]) -> Mapping[str, Any] | None:
    unknown = set(row) - ROW_KEYS
    if unknown:
        raise ValueError("summary list rows here take no %s" % sorted(unknown))
    items = (row.get("actions") or {}).get("items") or []
    if len(items) > 1:
        raise ValueError("summary list rows here take one action at most")
    if not items:
        return None
    action = items[0]
    if set(action) - ACTION_KEYS:
        raise ValueError("summary list actions here take no %s" % sorted(action))
    return action


def _content(part: Mapping[str, Any] | None) -> str:
    """A key or a value: its html trimmed and indented by six, or its text escaped."""
    part = part or {}
    if set(part) - TEXT_KEYS:
        raise ValueError("summary list keys and values take only text or html")
    if part.get("html"):
        return _indent(str(part["html"]).strip(), 6)
    return str(escape(part.get("text", "")))


def _action_link(action: Mapping[str, Any]) -> str:
    if action.get("html"):
        label = _indent(str(action["html"]), 4)
    else:
        label = str(escape(action.get("text", "")))
    hidden = action.get("visuallyHiddenText")
    if hidden:
        label += '<span class="govuk-visually-hidden"> %s</span>' % escape(hidden)
    href = escape(action.get("href", ""))
    link = '<a class="govuk-link" href="%s">%s</a>' % (href, label)
    return _indent(link.strip(), 6)


def _indent(text: str, width: int) -> str:
    """Jinja's `indent` filter: every line but the first, unless blank, indented."""
    first, *rest = (text + "\n").splitlines()
    pad = " " * width
    return "\n".join([first, *(pad + line if line else line for line in rest)])
