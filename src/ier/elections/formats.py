"""One adapter per elections file format: each turns a file into `ElectionRow`s.

Per-source quirks live in data files, not in code (data/everyelection_*.csv)."""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ier.geography.divisions import is_constituency

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class ElectionRow:
    """An election as a file describes it, before it is matched to councils."""

    election_id: str
    title: str
    poll_date: date | None
    election_type: str
    organisation: str = ""
    organisation_gss: str = ""
    division: str = ""
    division_gss: str = ""
    cancelled: bool = False
    # GSS codes of the councils the row names directly.
    council_codes: list[str] = field(default_factory=list)
    # Nations covered in full (a general election, a Senedd election).
    whole_nations: list[str] = field(default_factory=list)
    # A UK Parliament constituency's by-election: it covers the postcodes the
    # postcode directory places in `division_gss`, and so their councils.
    by_constituency: bool = False
    # Why the row is left out, if it is ("covered_by_group", ...).
    skip: str = ""


def _gss(identifier: str | None) -> str:
    """ "E05010853" from EveryElection's "gss:E05010853"; "" for other schemes."""
    scheme, _, code = (identifier or "").partition(":")
    return code if scheme == "gss" and len(code) == 9 else ""


def _csv_map(name: str) -> dict[str, list[str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return {
            row["key"]: row["value"].split()
            for row in csv.DictReader(row for row in handle if not row.startswith("#"))
        }


class EveryElectionJson:
    """Democracy Club's EveryElection API export: a page of its `/api/elections/`
    endpoint ({"count", "next", "previous", "results": [...]}) or a list of its
    election objects, concatenated pages being a list too.

    EveryElection is hierarchical: an election group (`local.2026-05-07`), an
    organisation group (`local.sheffield.2026-05-07`) and ballots
    (`local.sheffield.gleadless-valley.2026-05-07`). One row is kept for each
    organisation's poll: the organisation group, or a ballot whose group is not in
    the file or holds only by-elections; national polls are kept as their election
    group when it is a general election's."""

    format = "everyelection"

    def __init__(self) -> None:
        # Organisations are named by Democracy Club's own identifiers (the Local
        # Authority Register's three-letter codes); these give each one's GSS code.
        self.organisations = {
            key: codes[0]
            for key, codes in _csv_map("everyelection_organisations.csv").items()
        }
        # Election types that cover whole nations, as their election group.
        self.national = _csv_map("everyelection_national_types.csv")

    def rows(self, path: Path) -> Iterator[ElectionRow]:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["results"] if isinstance(data, dict) else data
        general = general_election_groups(entries)
        for entry in entries:
            yield self.row(entry, general)

    def row(self, entry: dict, general: frozenset[str] = frozenset()) -> ElectionRow:
        kind = (entry.get("election_type") or {}).get("election_type", "")
        organisation = entry.get("organisation") or {}
        division = entry.get("division") or {}
        row = ElectionRow(
            election_id=entry["election_id"],
            title=entry.get("election_title") or entry["election_id"],
            poll_date=date.fromisoformat(entry["poll_open_date"]),
            election_type=kind,
            organisation=organisation.get("official_name", ""),
            organisation_gss=organisation.get("gss")
            or self.organisations.get(organisation.get("official_identifier", ""), ""),
            division=division.get("name", ""),
            division_gss=_gss(division.get("official_identifier")),
            cancelled=bool(entry.get("cancelled")),
        )
        if kind in self.national:
            self._place_national(row, entry, general)
        else:
            self._place_local(row, entry, general)
        return row

    def _place_national(self, row: ElectionRow, entry: dict, general) -> None:
        group_type = entry.get("group_type")
        if group_type == "election" and row.election_id in general:
            row.whole_nations = self.national[row.election_type]
        elif entry.get("group") in general:
            row.skip = "covered_by_group"
        elif group_type:
            # A group of by-elections only (`parl.2025-05-01` holding just
            # `parl.runcorn-and-helsby.by.2025-05-01`): its ballots are kept.
            row.skip = "by_election_group"
        elif entry.get("deleted"):
            row.skip = "deleted"
        elif row.election_type == "parl" and is_constituency(row.division_gss):
            # A constituency's by-election, exported without a general
            # election's group: placed by the postcode directory's `pcon`.
            row.by_constituency = True
        else:
            # Another national body's constituency (a Senedd or Scottish
            # Parliament by-election): the postcode directory we load has no
            # column for those constituencies, so it cannot be placed.
            row.skip = "devolved_constituency"

    @staticmethod
    def _place_local(row: ElectionRow, entry: dict, general) -> None:
        group_type = entry.get("group_type")
        if group_type == "election":
            row.skip = "election_group"
        elif group_type == "organisation" and row.election_id not in general:
            # A council's group for a day of by-elections only: its ballots are
            # kept, each with its ward, rather than a poll across the council.
            row.skip = "by_election_group"
        elif entry.get("group") in general and not group_type:
            row.skip = "covered_by_group"
        elif entry.get("deleted"):
            row.skip = "deleted"
        row.council_codes = [c for c in (row.organisation_gss, row.division_gss) if c]


def is_by_election(election_id: str) -> bool:
    """Whether an EveryElection id is a by-election's ballot: its contest type,
    `by`, comes just before the date (`parl.runcorn-and-helsby.by.2025-05-01`)."""
    parts = election_id.split(".")
    return len(parts) > 2 and parts[-2] == "by"


def general_election_groups(entries: list[dict]) -> frozenset[str]:
    """The groups in an export that hold at least one ballot that is not a
    by-election: a general election's group, not the group EveryElection also
    makes for a day's by-elections. A group's ballots are its `children` and the
    entries naming it as their `group`, followed down through subtype and
    organisation groups that are in the file; a child not in the file, or a group
    listing none, is judged by its own id. Only groups in the file are returned."""
    children: dict[str, set[str]] = {}
    for entry in entries:
        children.setdefault(entry["election_id"], set()).update(
            entry.get("children") or []
        )
        if entry.get("group"):
            children.setdefault(entry["group"], set()).add(entry["election_id"])

    def has_general_ballot(election_id: str, seen: frozenset[str]) -> bool:
        below = children.get(election_id)
        if not below:
            return not is_by_election(election_id)
        return any(
            has_general_ballot(child, seen | {election_id}) for child in below - seen
        )

    groups = {e["election_id"] for e in entries if e.get("group_type")}
    return frozenset(
        group
        for group in children
        if group in groups and has_general_ballot(group, frozenset())
    )


COUNCIL_CSV_COLUMNS = {"election_id", "title", "poll_date", "election_type", "councils"}


class CouncilCsv:
    """A council's own by-elections (docs/elections.md): one row per poll, the
    councils it covers as GSS codes separated by spaces."""

    format = "council_csv"

    def rows(self, path: Path) -> Iterator[ElectionRow]:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = COUNCIL_CSV_COLUMNS - set(reader.fieldnames or [])
            if missing:
                raise ValueError(
                    "%s lacks the columns: %s" % (path.name, ", ".join(sorted(missing)))
                )
            for line in reader:
                yield self.row({k: (v or "").strip() for k, v in line.items() if k})

    def row(self, line: dict[str, str]) -> ElectionRow:
        try:
            poll_date = date.fromisoformat(line["poll_date"])
        except ValueError:
            poll_date = None
        row = ElectionRow(
            election_id=line["election_id"],
            title=line["title"] or line["election_id"],
            poll_date=poll_date,
            election_type=line["election_type"] or "local",
            division=line.get("division", ""),
            division_gss=line.get("division_gss", ""),
            cancelled=line.get("cancelled", "").lower() in {"yes", "true", "1"},
            council_codes=line["councils"].replace(";", " ").split(),
        )
        if not row.election_id:
            row.skip = "no_election_id"
        elif poll_date is None:
            row.skip = "bad_poll_date"
        return row


FORMATS: dict[str, type[EveryElectionJson] | type[CouncilCsv]] = {
    "everyelection": EveryElectionJson,
    "council_csv": CouncilCsv,
}


def format_for(path: Path, name: str | None) -> EveryElectionJson | CouncilCsv:
    """The adapter named, or the one the file's extension suggests."""
    by_suffix = "council_csv" if path.suffix.lower() == ".csv" else "everyelection"
    return FORMATS[name or by_suffix]()
