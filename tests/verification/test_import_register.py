import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ier.registration.models import RegisterEntry
from ier.registration.register import register_match_key
from ier.verification.models import RegisterImport
from tests.citizen.helpers import an_address

pytestmark = pytest.mark.django_db
HEADER = (
    "elector_id,first_name,middle_names,surname,date_of_birth,address_line_1,"
    "address_line_2,town,postcode\n"
)


def a_register(tmp_path: Path, *rows: str, name="register.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def run(path, *extra, authority=None):
    out = io.StringIO()
    gss = authority or an_address().authority.gss_code
    call_command(
        "import_register", "--authority", gss, "--file", str(path), *extra, stdout=out
    )
    return out.getvalue()


ROWS = (
    "A1,Siân,Mair,O'Brien-Jones,1985-02-14,12 Mill Road,,Cardiff,cf10 1aa",
    "A2,John,,Smith,,Flat 2,3 High Street,Cardiff,CF10 1AB",
)


def test_a_register_is_loaded_with_its_match_keys(tmp_path):
    output = run(a_register(tmp_path, *ROWS))
    assert "2 rows read, 2 loaded, 0 rejected" in output
    entry = RegisterEntry.objects.get(elector_number="A1")
    assert entry.postcode == "CF10 1AA"
    assert entry.match_key == register_match_key(
        "Sian", "OBrien Jones", entry.date_of_birth, "CF101AA"
    )
    assert RegisterEntry.objects.get(elector_number="A2").date_of_birth is None


def test_loading_the_same_file_twice_changes_nothing(tmp_path):
    path = a_register(tmp_path, *ROWS)
    run(path)
    first = dict(RegisterEntry.objects.values_list("elector_number", "match_key"))
    run(path)
    assert (
        dict(RegisterEntry.objects.values_list("elector_number", "match_key")) == first
    )
    assert RegisterImport.objects.count() == 2


def test_a_dry_run_saves_nothing_but_is_recorded(tmp_path):
    output = run(a_register(tmp_path, *ROWS), "--dry-run")
    assert output.startswith("Dry run, nothing saved.")
    assert not RegisterEntry.objects.exists()
    assert RegisterImport.objects.get().dry_run


def test_rows_in_small_chunks_and_a_repeated_elector_number(tmp_path):
    rows = [*ROWS, "A1,Sian,,Jones,1985-02-14,12 Mill Road,,Cardiff,CF10 1AA"]
    run(a_register(tmp_path, *rows), "--chunk-size", "1")
    assert RegisterEntry.objects.count() == 2
    assert RegisterEntry.objects.get(elector_number="A1").last_name == "Jones"


def test_bad_rows_are_rejected_by_row_number_without_their_contents(tmp_path):
    rows = [*ROWS, ",Nobody,,X,,,,,", "A3,Ann,,Lee,14/02/1985,,,,"]
    output = run(a_register(tmp_path, *rows))
    assert "3 loaded" not in output and "2 rejected" in output
    run_record = RegisterImport.objects.get()
    assert run_record.problems == [
        {"row": 4, "problem": "elector_id and first_name are required"},
        {"row": 5, "problem": "date_of_birth is not an ISO 8601 date"},
    ]
    assert "Ann" not in str(run_record.problems)


def test_rows_with_stacked_accents_or_a_nul_are_rejected_by_column(tmp_path):
    """PostgreSQL cannot store a NUL, and a name with accents piled four high
    garbles the portal: each such row is refused, naming the column."""
    rows = [
        "A1,علی\u200cرضا,,Ahmadi,,,,Cardiff,",
        "A2,Ann,,Le\u0301\u0301\u0301\u0301e,,,,Cardiff,",
        "A3,Ann,,Lee,,,,Card\x00iff,",
    ]
    output = run(a_register(tmp_path, *rows))
    assert "1 loaded, 2 rejected" in output
    assert RegisterEntry.objects.get().first_name == "علی\u200cرضا"
    assert RegisterImport.objects.get().problems == [
        {"row": 3, "problem": "not a name: surname"},
        {"row": 4, "problem": "holds a NUL character: town"},
    ]


def test_replace_removes_entries_no_longer_in_the_file(tmp_path):
    run(a_register(tmp_path, *ROWS))
    output = run(a_register(tmp_path, ROWS[0], name="smaller.csv"), "--replace")
    assert "1 removed" in output
    assert list(RegisterEntry.objects.values_list("elector_number", flat=True)) == [
        "A1"
    ]


def test_a_file_without_the_columns_or_an_unknown_council_is_refused(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\n1,x\n")
    with pytest.raises(CommandError, match="missing columns"):
        run(bad)
    assert RegisterImport.objects.get().outcome == RegisterImport.Outcome.FAILED
    with pytest.raises(CommandError, match="No authority"):
        run(a_register(tmp_path, *ROWS), authority="X99999999")


def test_a_register_in_the_ems_apis_first_column_names_is_loaded(tmp_path):
    """`elector_number` and `last_name` are read as `elector_id` and `surname`, and a
    `uprn` column (which only the EMS API loads) is allowed."""
    path = tmp_path / "older.csv"
    path.write_text(
        "elector_number,first_name,middle_names,last_name,date_of_birth,"
        "address_line_1,address_line_2,town,postcode,uprn\n"
        "B1,Tom,,Jones,,2 High St,,Town,AB1 2CD,100\n",
        encoding="utf-8",
    )
    assert "1 rows read, 1 loaded, 0 rejected" in run(path)
    assert RegisterEntry.objects.get(elector_number="B1").last_name == "Jones"
