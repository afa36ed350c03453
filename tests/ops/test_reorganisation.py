"""Councils merged or abolished: their postcodes, addresses, pending applications and
register entries move to the successor from the date, with the move in each
application's history and in both councils' audit logs."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ier.ero.models import AuditEntry
from ier.geography.models import Address, Authority, PostcodeArea
from ier.ops.reorganisation import apply_changes, read_changes
from ier.registration.models import (
    Application,
    ApplicationEvent,
    RegisterEntry,
    Status,
)
from ier.registration.register import register_entry_key

pytestmark = pytest.mark.django_db

OLD, NEW = "E06000001", "E06000002"  # Hartlepool into Middlesbrough, for the test


def an_application(authority, status=Status.SUBMITTED, n=1):
    return Application.objects.create(
        reference="REORG%04d" % n,
        idempotency_key="reorg-%d" % n,
        journey="ordinary",
        status=status,
        authority=authority,
        first_name="Ann",
        last_name="Other",
        address_line_1="1 High Street",
        address_postcode="TS24 8AY",
    )


def an_entry(authority, elector_number, first_name="Ann"):
    entry = RegisterEntry(
        authority=authority,
        elector_number=elector_number,
        first_name=first_name,
        last_name="Other",
        postcode="TS24 8AY",
    )
    entry.match_key = register_entry_key(entry)
    entry.save()
    return entry


def elector_numbers(authority):
    return sorted(
        RegisterEntry.objects.filter(authority=authority).values_list(
            "elector_number", flat=True
        )
    )


def write_csv(tmp_path, rows, header="old_gss_code,new_gss_code,date"):
    path = tmp_path / "changes.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def run(path, *args):
    out = StringIO()
    call_command("apply_reorganisation", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def councils():
    return Authority.objects.get(gss_code=OLD), Authority.objects.get(gss_code=NEW)


def test_pending_applications_move_with_their_council_and_keep_their_status(
    tmp_path, councils
):
    old, new = councils
    pending = an_application(old, Status.VERIFIED, n=1)
    decided = an_application(old, Status.ACCEPTED, n=2)
    run(write_csv(tmp_path, ["%s,%s,2023-04-01" % (OLD, NEW)]))

    pending.refresh_from_db()
    decided.refresh_from_db()
    assert (pending.authority, pending.status) == (new, Status.VERIFIED)
    assert decided.authority == old
    event = ApplicationEvent.objects.get(application=pending, event="authority_changed")
    assert (event.from_status, event.to_status) == (Status.VERIFIED, Status.VERIFIED)
    assert event.detail["from"] == OLD and event.detail["to"] == NEW
    assert event.actor == "reorganisation"
    old.refresh_from_db()
    assert (old.replaced_by, old.replaced_from) == (new, date(2023, 4, 1))


def test_the_old_councils_postcodes_and_addresses_go_to_the_successor(
    tmp_path, councils
):
    old, new = councils
    addresses = Address.objects.filter(authority=old).count()
    assert addresses
    run(write_csv(tmp_path, ["%s,%s,2023-04-01" % (OLD, NEW)]))
    assert not Address.objects.filter(authority=old).exists()
    assert not PostcodeArea.objects.filter(authority=old).exists()
    assert Address.objects.filter(authority=new).count() >= addresses


def test_applying_the_same_file_again_changes_nothing(tmp_path, councils):
    old, _ = councils
    application = an_application(old)
    path = write_csv(tmp_path, ["%s,%s,2023-04-01" % (OLD, NEW)])
    run(path)
    again = run(path)
    assert "already recorded" in again
    assert "Moved 0 applications, 0 addresses, 0 postcodes" in again
    assert application.events.filter(event="authority_changed").count() == 1


def test_a_dry_run_says_what_would_move_and_moves_nothing(tmp_path, councils):
    old, _ = councils
    application = an_application(old)
    out = run(write_csv(tmp_path, ["%s,%s,2023-04-01" % (OLD, NEW)]), "--dry-run")
    assert "Would move 1 applications" in out
    application.refresh_from_db()
    assert application.authority == old
    old.refresh_from_db()
    assert old.replaced_by is None


def test_a_change_in_the_future_is_recorded_but_moves_nothing_yet(tmp_path, councils):
    old, _ = councils
    application = an_application(old)
    changes = read_changes(write_csv(tmp_path, ["%s,%s,2031-04-01" % (OLD, NEW)]))
    [outcome] = apply_changes(changes, today=date(2026, 11, 25))
    assert outcome.recorded and not outcome.due
    application.refresh_from_db()
    assert application.authority == old
    [later] = apply_changes(changes, today=date(2031, 4, 1))
    assert later.applications == [application.reference]


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (["E06000001,E99999999,2023-04-01"], None, "there is no authority E99999999"),
        (["E06000001,E06000002,1 April 2023"], None, "not a date like 2023-04-01"),
        (["E06000001,E06000001,2023-04-01"], None, "cannot replace itself"),
        (["E06000001,E06000002"], "old,new", "lacks the columns"),
    ],
)
def test_a_file_with_a_mistake_is_refused_before_anything_changes(
    tmp_path, councils, rows, header, message
):
    path = write_csv(tmp_path, rows, header or "old_gss_code,new_gss_code,date")
    with pytest.raises(CommandError, match=message):
        run(path)
    assert not Authority.objects.filter(replaced_by__isnull=False).exists()


def test_register_entries_move_to_the_successor_under_the_old_councils_code(
    tmp_path, councils
):
    old, new = councils
    moved = an_entry(old, "AA-1")
    an_entry(new, "AA-1", first_name="Bob")  # the successor's own elector AA-1
    out = run(write_csv(tmp_path, ["%s,%s,2023-04-01" % (OLD, NEW)]))

    assert "1 register entries" in out
    assert elector_numbers(old) == []
    assert elector_numbers(new) == ["AA-1", "%s:AA-1" % OLD]
    moved.refresh_from_db()
    # Still found by the "already registered" check, now in the successor's area.
    assert moved.match_key == register_entry_key(moved)
    assert (moved.authority, moved.first_name) == (new, "Ann")


def test_two_merged_councils_keep_their_clashing_elector_numbers_apart(tmp_path):
    first, second, successor = (
        Authority.objects.get(gss_code=code)
        for code in ("E06000001", "E06000003", "E06000002")
    )
    an_entry(first, "AB-7")
    an_entry(second, "AB-7", first_name="Cy")
    run(
        write_csv(
            tmp_path,
            ["E06000001,E06000002,2023-04-01", "E06000003,E06000002,2023-04-01"],
        )
    )
    assert elector_numbers(successor) == ["E06000001:AB-7", "E06000003:AB-7"]


def test_a_register_sent_again_by_the_old_council_replaces_what_moved_before(
    tmp_path, councils
):
    old, new = councils
    an_entry(old, "AA-1")
    an_entry(old, "AA-2")
    path = write_csv(tmp_path, ["%s,%s,2023-04-01" % (OLD, NEW)])
    run(path)
    an_entry(old, "AA-1")  # the old council's EMS uploads once more, smaller
    out = run(path)
    assert "1 register entries" in out
    assert "2 register entries moved earlier were replaced" in out
    assert elector_numbers(new) == ["%s:AA-1" % OLD]


def test_elector_numbers_too_long_to_prefix_stop_the_whole_file(tmp_path, councils):
    old, _ = councils
    application = an_application(old)
    an_entry(old, "X" * 25)
    with pytest.raises(CommandError, match="longer than 20 characters"):
        run(write_csv(tmp_path, ["%s,%s,2023-04-01" % (OLD, NEW)]))
    application.refresh_from_db()
    old.refresh_from_db()
    assert (application.authority, old.replaced_by) == (old, None)
    assert elector_numbers(old) == ["X" * 25]


def test_both_councils_audit_logs_say_what_moved(tmp_path, councils):
    old, new = councils
    an_application(old)
    an_entry(old, "AA-1")
    path = write_csv(tmp_path, ["%s,%s,2023-04-01" % (OLD, NEW)])
    run(path)
    for authority in (old, new):
        [entry] = AuditEntry.objects.for_authority(authority).filter(
            action="reorganisation"
        )
        assert entry.actor == "reorganisation"
        assert entry.detail["from"] == OLD and entry.detail["to"] == NEW
        assert entry.detail["applications"] == 1
        assert entry.detail["register_entries"] == 1
        assert entry.detail["elector_number_prefix"] == "%s:" % OLD
    run(path)  # nothing more to move: nothing more to say
    assert AuditEntry.objects.filter(action="reorganisation").count() == 2


def test_a_dry_run_moves_no_register_entry_and_audits_nothing(tmp_path, councils):
    old, _ = councils
    an_entry(old, "AA-1")
    out = run(write_csv(tmp_path, ["%s,%s,2023-04-01" % (OLD, NEW)]), "--dry-run")
    assert "Would move 0 applications" in out and "1 register entries" in out
    assert elector_numbers(old) == ["AA-1"]
    assert not AuditEntry.objects.filter(action="reorganisation").exists()


def test_other_councils_of_the_same_scottish_office_stay_where_they_are(tmp_path):
    """Central Scotland VJB serves Clackmannanshire, Falkirk and Stirling: merging
    Clackmannanshire into Stirling leaves Falkirk's applications and register."""
    clackmannanshire, falkirk, stirling = (
        Authority.objects.get(gss_code=code)
        for code in ("S12000005", "S12000014", "S12000030")
    )
    assert clackmannanshire.registration_office == falkirk.registration_office
    merged = an_application(clackmannanshire, n=1)
    kept = an_application(falkirk, n=2)
    an_entry(clackmannanshire, "CA-1")
    an_entry(falkirk, "FA-1")
    run(write_csv(tmp_path, ["S12000005,S12000030,2023-04-01"]))
    merged.refresh_from_db()
    kept.refresh_from_db()
    assert (merged.authority, kept.authority) == (stirling, falkirk)
    assert elector_numbers(falkirk) == ["FA-1"]
    assert elector_numbers(stirling) == ["S12000005:CA-1"]
