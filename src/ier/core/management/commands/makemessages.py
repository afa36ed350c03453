"""`ier makemessages -l cy`: Django's makemessages, reading Jinja templates with
Jinja's own extractor.

Django's command parses templates as Django templates, which our Jinja2 templates
are not (`_("Hello %(name)s", name=x)` and `{% do %}` mean nothing to it). So Python
files still go through xgettext as usual, and every `.html` and `.txt` template is
read with `jinja2.ext.babel_extract`; both land in one POT file, which Django then
merges into each catalogue. Only the citizen-facing apps are read: the officers'
portal, the EMS API and the bulk-confirmation tool are English only. See
docs/welsh.md."""

import os
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages
from django.core.management.utils import is_ignored_path
from jinja2.ext import babel_extract

TEMPLATE_EXTENSIONS = (".html", ".txt")
KEYWORDS = ("_", "gettext", "ngettext")
# The template environment's extensions, so the extractor parses what we write.
JINJA_OPTIONS = {"extensions": "jinja2.ext.do", "trim_blocks": "1"}
NOT_CITIZEN_FACING = ["ero", "api", "confirmation", "identity"]


def template_messages(root: Path, ignore_patterns: list[str]) -> dict:
    """{(msgid, msgid_plural): [locations]} for every gettext call in the templates."""
    found: dict = defaultdict(list)
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.suffix not in TEMPLATE_EXTENSIONS or is_ignored_path(
            str(relative), ignore_patterns
        ):
            continue
        with path.open("rb") as handle:
            for line, _function, message, _comments in babel_extract(
                handle, KEYWORDS, [], JINJA_OPTIONS
            ):
                texts = message if isinstance(message, tuple) else (message, None)
                if texts[0]:
                    found[(texts[0], texts[1])].append("%s:%d" % (relative, line))
    return found


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"%s"' % escaped


def pot_text(messages: dict) -> str:
    """The messages as a POT file, header first (Django strips it when appending)."""
    lines = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=CHARSET\\n"',
        "",
    ]
    for (msgid, plural), locations in messages.items():
        lines.extend("#: %s" % location for location in locations)
        if "%" in msgid or (plural and "%" in plural):
            lines.append("#, python-format")
        lines.append("msgid %s" % _quote(msgid))
        if plural:
            lines.append("msgid_plural %s" % _quote(plural))
            lines.extend(['msgstr[0] ""', 'msgstr[1] ""'])
        else:
            lines.append('msgstr ""')
        lines.append("")
    return "\n".join(lines) + "\n"


class Command(makemessages.Command):
    help = (
        "Django's makemessages for the citizen-facing apps, reading Jinja templates "
        "(.html, .txt) with Jinja's extractor. Run as `ier makemessages -l cy`."
    )

    def handle(self, *args, **options):
        os.chdir(settings.PACKAGE_DIR)
        options["extensions"] = ["py"]
        options["ignore_patterns"] = list(options["ignore_patterns"]) + [
            "%s/*" % name for name in NOT_CITIZEN_FACING
        ]
        super().handle(*args, **options)

    def process_files(self, file_list):
        super().process_files(file_list)
        messages = template_messages(Path("."), self.ignore_patterns)
        potfile = os.path.join(self.default_locale_path, "%s.pot" % self.domain)
        makemessages.write_pot_file(potfile, pot_text(messages))
