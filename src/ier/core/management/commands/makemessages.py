"""`ier makemessages -l cy`: Django's makemessages, reading Jinja templates with
Jinja's own extractor.

Django's command parses templates as Django templates, which our Jinja2 templates
are not (`_("Hello %(name)s", name=x)` and `{% do %}` mean nothing to it). So Python
files still go through xgettext as usual, and every `.html` and `.txt` template is
read with `jinja2.ext.babel_extract`; both land in one POT file, which Django then
merges into each catalogue. Only the citizen-facing apps are read: the officers'
portal (with the verification results it shows), the EMS API, the identity stand-in
and the bulk-confirmation tool are English only. See
docs/welsh.md."""

import os
import re
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import makemessages
from django.core.management.utils import is_ignored_path
from jinja2.ext import babel_extract

TEMPLATE_EXTENSIONS = (".html", ".txt")
KEYWORDS = ("_", "gettext", "ngettext")
# The template environment's extensions, so the extractor parses what we write.
JINJA_OPTIONS = {"extensions": "jinja2.ext.do", "trim_blocks": "1"}
NOT_CITIZEN_FACING = ["ero", "api", "confirmation", "identity", "verification"]


def template_messages(root: Path, ignore_patterns: list[str]) -> dict:
    """{(msgid, msgid_plural): [locations]} for every gettext call in the templates."""
    found: dict = defaultdict(list)
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.suffix not in TEMPLATE_EXTENSIONS or any(
            is_ignored_path(str(part), ignore_patterns)
            for part in (relative, *relative.parents[:-1])
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


_PO_LINE = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def read_catalogue(path: str) -> dict:
    """{(msgid, msgid_plural): [translations]} from a PO or POT file, leaving out
    the header and any entry marked fuzzy (a guess msgmerge made, not a translation)."""
    entries: dict = {}
    text = Path(path).read_text(encoding="utf-8") if os.path.exists(path) else ""
    for block in text.split("\n\n"):
        fields: dict = defaultdict(str)
        key = None
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            match = _PO_LINE.match(line)
            if match:
                key = match[1]
                fields[key] += _unquote(match[2])
            elif line.startswith('"') and key:
                fields[key] += _unquote(line[1:-1])
        if fields.get("msgid") and not fuzzy:
            translations = [
                v for k, v in sorted(fields.items()) if k.startswith("msgstr")
            ]
            entries[(fields["msgid"], fields.get("msgid_plural") or None)] = (
                translations
            )
    return entries


def untranslated(potfile: str, pofile: str) -> list[str]:
    """Messages in the POT file that the catalogue lacks, or has only in part."""
    catalogue = read_catalogue(pofile)
    return sorted(
        key[0]
        for key in read_catalogue(potfile)
        if not catalogue.get(key) or not all(catalogue[key])
    )


class Command(makemessages.Command):
    help = (
        "Django's makemessages for the citizen-facing apps, reading Jinja templates "
        "(.html, .txt) with Jinja's extractor. Run as `ier makemessages -l cy`."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change no catalogue; fail if any message lacks a translation.",
        )

    def handle(self, *args, **options):
        self.check_only = options["check"]
        self.missing: list[str] = []
        options["extensions"] = ["py"]
        options["ignore_patterns"] = list(options["ignore_patterns"]) + [
            "%s/*" % name for name in NOT_CITIZEN_FACING
        ]
        # Django's command reads the tree below the working directory.
        previous = os.getcwd()
        os.chdir(settings.PACKAGE_DIR)
        try:
            super().handle(*args, **options)
        finally:
            os.chdir(previous)
        if self.missing:
            raise CommandError(
                "%d messages have no translation:\n%s"
                % (len(self.missing), "\n".join(self.missing))
            )

    def process_files(self, file_list):
        super().process_files(file_list)
        messages = template_messages(Path("."), self.ignore_patterns)
        # Set by Django's command before it processes any file.
        assert self.default_locale_path is not None
        potfile = os.path.join(self.default_locale_path, "%s.pot" % self.domain)
        makemessages.write_pot_file(potfile, pot_text(messages))

    def write_po_file(self, potfile, locale):
        if not self.check_only:
            return super().write_po_file(potfile, locale)
        pofile = os.path.join(
            os.path.dirname(potfile), locale, "LC_MESSAGES", "%s.po" % self.domain
        )
        self.missing.extend(untranslated(potfile, pofile))
        return None
