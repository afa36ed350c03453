"""Loading elections from EveryElection's export and from a council's CSV:
matched to councils by GSS code, recorded, re-runnable and reversible."""

from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from ier.elections.formats import general_election_groups, is_by_election
from ier.elections.importing import import_elections, undo
from ier.elections.models import Election, ElectionArea, ElectionImport
from ier.geography.models import Authority, Nation, PostcodeArea, PostcodeDivision

FIXTURES = Path(__file__).parent / "fixtures"
EVERYELECTION = FIXTURES / "everyelection_2024_2026.json"
pytestmark = pytest.mark.django_db


def councils(election_id: str) -> set[str]:
    return set(
        ElectionArea.objects.filter(election__election_id=election_id).values_list(
            "authority__gss_code", flat=True
        )
    )


def test_everyelection_export_loads_one_election_per_poll():
    outcome = import_elections(EVERYELECTION)
    assert outcome.loaded
    assert set(Election.objects.values_list("election_id", flat=True)) == {
        "parl.2024-07-04",
        "local.sheffield.2024-05-02",
        "senedd.2026-05-07",
        "sp.2026-05-07",
        "local.birmingham.2026-05-07",
        "local.denbighshire.rhuddlan.by.2026-02-12",
        "local.denbighshire.rhuddlan.by.2026-03-19",
    }
    run = outcome.run
    assert run.rows_read == 12
    assert run.created == 7
    # Denbighshire's group for the day holds only the Rhuddlan by-election: the
    # ballot is kept, with its ward, not the group as a council-wide poll.
    assert {reason: e["count"] for reason, e in run.skipped.items()} == {
        "by_election_group": 1,
        "covered_by_group": 2,
        "election_group": 1,
        "unknown_council": 1,
    }
    assert run.skipped["by_election_group"]["examples"] == [
        "local.denbighshire.2026-02-12"
    ]
    assert run.skipped["unknown_council"]["examples"] == ["local.norfolk.2025-05-01"]


def test_councils_come_from_gss_codes_and_nations():
    import_elections(EVERYELECTION)
    assert councils("local.sheffield.2024-05-02") == {"E08000019"}
    assert councils("local.denbighshire.rhuddlan.by.2026-02-12") == {"W06000004"}
    welsh = set(
        Authority.objects.filter(nation=Nation.WALES).values_list("gss_code", flat=True)
    )
    assert councils("senedd.2026-05-07") == welsh
    general = councils("parl.2024-07-04")
    assert "E08000019" in general and "S12000049" in general and "W06000015" in general
    rhuddlan = Election.objects.get(
        election_id="local.denbighshire.rhuddlan.by.2026-02-12"
    )
    assert (rhuddlan.division, rhuddlan.division_gss, rhuddlan.nation) == (
        "Rhuddlan",
        "W05001349",
        Nation.WALES,
    )
    assert Election.objects.get(election_id="parl.2024-07-04").nation == ""
    assert Election.objects.get(
        election_id="local.denbighshire.rhuddlan.by.2026-03-19"
    ).cancelled


def test_each_council_gets_the_deadline_of_its_own_nation():
    import_elections(EVERYELECTION)
    area = ElectionArea.objects.get(
        election__election_id="parl.2024-07-04", authority__gss_code="E08000019"
    )
    assert area.deadline_day == date(2024, 6, 18)
    assert area.deadline == datetime(2024, 6, 19, tzinfo=ZoneInfo("Europe/London"))


def test_loading_the_same_file_again_does_nothing_unless_forced():
    first = import_elections(EVERYELECTION)
    again = import_elections(EVERYELECTION)
    assert not again.loaded and again.run.pk == first.run.pk
    forced = import_elections(EVERYELECTION, force=True)
    assert forced.loaded and forced.run.created == 0 and forced.run.updated == 7
    assert Election.objects.count() == 7


def test_undo_removes_what_the_run_wrote_last():
    first = import_elections(EVERYELECTION)
    byelections = import_elections(FIXTURES / "council_byelections.csv")
    assert undo(byelections.run) == 2
    assert Election.objects.count() == 7
    assert ElectionImport.objects.get(pk=byelections.run.pk).state == "reversed"
    assert undo(first.run) == 7
    assert not ElectionArea.objects.exists()


def test_council_csv_loads_by_elections():
    outcome = import_elections(FIXTURES / "council_byelections.csv")
    assert outcome.run.format == "council_csv"
    assert councils("local.glasgow.partick-east.2025-12-11") == {"S12000049"}
    area = ElectionArea.objects.get(election__election_id__startswith="local.glasgow")
    # St Andrew's Day fell on a Sunday in 2025, so Monday 1 December was the bank
    # holiday in Scotland and does not count.
    assert area.deadline_day == date(2025, 11, 24)


def test_council_csv_rows_with_defects_are_skipped_with_reasons():
    outcome = import_elections(FIXTURES / "bad_rows.csv")
    assert list(Election.objects.values_list("election_id", flat=True)) == [
        "local.sheffield.ok.2026-03-05"
    ]
    assert {r: e["count"] for r, e in outcome.run.skipped.items()} == {
        "no_election_id": 1,
        "unknown_council": 1,
        "bad_poll_date": 1,
    }


def test_dry_run_saves_nothing():
    import_elections(EVERYELECTION, dry_run=True)
    assert not Election.objects.exists()
    assert not ElectionImport.objects.exists()


def test_command_reports_lists_and_undoes():
    out = StringIO()
    call_command(
        "import_elections", str(FIXTURES / "council_byelections.csv"), stdout=out
    )
    assert "2 created" in out.getvalue()
    call_command("import_elections", "--list", stdout=out)
    run = ElectionImport.objects.get()
    call_command("import_elections", "--undo", str(run.pk), stdout=out)
    assert "removed 2 elections" in out.getvalue()
    with pytest.raises(CommandError, match="lacks the columns"):
        call_command("import_elections", str(FIXTURES / "missing_column.csv"))


# A UK Parliament constituency's by-election, placed by the postcode directory

BY_ELECTION = FIXTURES / "everyelection_parl_byelection.json"
RUNCORN_AND_HELSBY = "E14001455"
RUNCORN_BALLOT = "parl.runcorn-and-helsby.by.2025-05-01"


def in_constituency(postcode: str, council: str, constituency: str) -> None:
    authority = Authority.objects.get(gss_code=council)
    PostcodeArea.objects.create(postcode=postcode, authority=authority)
    PostcodeDivision.objects.create(
        postcode=postcode, ward_gss="E05000001", constituency_gss=constituency
    )


def test_a_constituency_by_election_covers_the_councils_of_its_postcodes():
    in_constituency("WA7 1AA", "E06000006", RUNCORN_AND_HELSBY)  # Halton
    in_constituency("WA6 0AA", "E06000050", RUNCORN_AND_HELSBY)  # Cheshire West
    in_constituency("CH1 1AA", "E06000050", "E14001160")  # another constituency
    in_constituency("L1 1AA", "E08000012", "E14001345")  # Liverpool: not in it
    outcome = import_elections(BY_ELECTION)
    assert set(Election.objects.values_list("election_id", flat=True)) == {
        RUNCORN_BALLOT
    }
    assert councils(RUNCORN_BALLOT) == {"E06000006", "E06000050"}
    election = Election.objects.get(election_id=RUNCORN_BALLOT)
    assert (election.division, election.division_gss, election.nation) == (
        "Runcorn and Helsby",
        RUNCORN_AND_HELSBY,
        Nation.ENGLAND,
    )
    area = ElectionArea.objects.filter(election=election).first()
    assert area.deadline_day == date(2025, 4, 11)
    # The day's group of by-elections is not a general election; a Scottish
    # Parliament constituency is not placed: both left out, and said why.
    assert outcome.run.skipped == {
        "by_election_group": {"count": 1, "examples": ["parl.2025-05-01"]},
        "devolved_constituency": {
            "count": 1,
            "examples": ["sp.c.hamilton-larkhall-and-stonehouse.by.2025-06-05"],
        },
    }


def test_a_constituency_no_loaded_postcode_lies_in_is_left_out_and_reported():
    outcome = import_elections(BY_ELECTION)
    assert not Election.objects.exists()
    assert outcome.run.skipped["unknown_area"]["count"] == 1
    assert outcome.run.skipped["unknown_area"]["examples"][0] == RUNCORN_BALLOT


def test_a_general_elections_group_covers_great_britain_and_its_ballots():
    """A `parl` group holding ballots that are not by-elections is a general
    election: every council, its constituency ballots covered by it."""
    outcome = import_elections(FIXTURES / "everyelection_general_election.json")
    assert list(Election.objects.values_list("election_id", flat=True)) == [
        "parl.2024-07-04"
    ]
    assert {"E08000035", "S12000049", "W06000015"} <= councils("parl.2024-07-04")
    assert outcome.run.skipped == {
        "covered_by_group": {
            "count": 1,
            "examples": ["parl.leeds-north-west.2024-07-04"],
        }
    }


def test_a_group_is_told_from_a_by_election_by_the_ballots_it_holds():
    """EveryElection marks a by-election's ballot with `by` before the date; a
    group is a general election if any ballot below it (its `children`, or the
    entries naming it, through subtype groups) is not one."""
    by_election_day = {
        "election_id": "sp.2025-06-05",
        "group_type": "election",
        "children": ["sp.c.2025-06-05"],
    }
    subtype = {
        "election_id": "sp.c.2025-06-05",
        "group": "sp.2025-06-05",
        "group_type": "subtype",
        "children": ["sp.c.hamilton-larkhall-and-stonehouse.by.2025-06-05"],
    }
    assert general_election_groups([by_election_day, subtype]) == frozenset()
    general = {"election_id": "sp.2026-05-07", "group_type": "election"}
    ballot = {"election_id": "sp.c.glasgow-kelvin.2026-05-07", "group": "sp.2026-05-07"}
    assert general_election_groups([general, ballot]) == {"sp.2026-05-07"}
    assert is_by_election("local.east-devon.exmouth-halsdon.by.2025-12-04")
    assert not is_by_election("local.sheffield.gleadless-valley.2024-05-02")


def test_the_command_says_what_to_do_about_constituencies_it_cannot_place():
    """A Scottish Parliament or Senedd constituency cannot be placed by the
    postcode directory (it has no such column); the load says how to load it."""
    out = StringIO()
    call_command("import_elections", str(BY_ELECTION), stdout=out)
    report = out.getvalue()
    assert "skipped 1: devolved constituency" in report
    assert "load the by-election from a council CSV" in report
    assert "load the postcode directory with its constituencies (pcon)" in report
