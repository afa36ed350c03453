"""Loading the ONS Postcode Directory and AddressBase from their published layouts,
one small fixture file per data defect."""

import csv
import itertools
import multiprocessing
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from ier.citizen.addressing import addresses_at, authorities_for_postcode
from ier.geography import loading
from ier.geography.layouts import AddressBaseCore, AddressBasePlus, OnsPostcodeDirectory
from ier.geography.loading import Loader, read_custodians
from ier.geography.models import (
    Address,
    AreaSource,
    Authority,
    ImportRun,
    PostcodeArea,
    PostcodeDivision,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def load_onspd(name, **options):
    return Loader(OnsPostcodeDirectory(), progress=False, **options).load(
        FIXTURES / "onspd" / name
    )[0]


def load_plus(name, custodians=True, **options):
    mapping = (
        read_custodians(FIXTURES / "plus" / "custodians.csv") if custodians else None
    )
    loader = Loader(AddressBasePlus(), custodians=mapping, progress=False, **options)
    return loader.load(FIXTURES / "plus" / name)[0]


def load_core(name):
    return Loader(AddressBaseCore(), progress=False).load(FIXTURES / "core" / name)[0]


def gss_at(postcode):
    return sorted(a.gss_code for a in authorities_for_postcode(postcode))


def rejected(run):
    return {reason: entry["count"] for reason, entry in run.rejections.items()}


# The ONS Postcode Directory


def test_the_directory_places_each_postcode_in_its_council():
    run = load_onspd("valid.csv")
    assert run.state == ImportRun.State.COMPLETE
    assert (run.rows_done, run.rows_loaded, run.rows_rejected) == (5, 5, 0)
    assert gss_at("TS24 8AY") == ["E06000001"]
    assert gss_at("CF10 4UW") == ["W06000015"]


def test_terminated_postcodes_are_left_out_and_reported():
    run = load_onspd("terminated.csv")
    assert rejected(run) == {"terminated": 1}
    assert gss_at("TS24 0XX") == []
    assert run.rejections["terminated"]["examples"] == ["line 3: TS24 0XX"]


def test_rows_that_are_not_postcodes_are_rejected_with_their_line():
    run = load_onspd("bad_postcodes.csv")
    assert rejected(run) == {"bad_postcode": 2}
    assert run.rejections["bad_postcode"]["examples"][0] == "line 3: NOT A CODE"


def test_postcodes_outside_any_council_we_know_are_rejected():
    """The Channel Islands and the Isle of Man have pseudo-codes in the directory."""
    run = load_onspd("unknown_council.csv")
    assert rejected(run) == {"unknown_council": 2}
    assert gss_at("TS24 8AY") == ["E06000001"]


def test_northern_ireland_postcodes_go_to_the_electoral_office():
    load_onspd("northern_ireland.csv")
    assert gss_at("BT1 1ER") == ["N92000002"]


def test_newer_releases_name_the_council_column_by_year():
    load_onspd("lad_columns.csv")
    assert gss_at("TS24 8AY") == ["E06000001"]


def test_loading_the_same_directory_twice_changes_nothing():
    first = load_onspd("valid.csv")
    count = PostcodeArea.objects.filter(source=AreaSource.DIRECTORY).count()
    again, loaded = Loader(OnsPostcodeDirectory(), progress=False).load(
        FIXTURES / "onspd" / "valid.csv"
    )
    assert not loaded
    assert again.pk == first.pk
    assert PostcodeArea.objects.filter(source=AreaSource.DIRECTORY).count() == count


def test_a_new_directory_replaces_the_last_one():
    load_onspd("valid.csv")
    load_onspd("terminated.csv")
    assert gss_at("TS1 9FX") == []
    assert gss_at("TS24 8AY") == ["E06000001"]


def test_a_partial_directory_keeps_the_postcodes_it_lacks():
    load_onspd("valid.csv")
    load_onspd("terminated.csv", replace_directory=False)
    assert gss_at("TS1 9FX") == ["E06000002"]


def test_a_file_that_is_not_the_directory_is_refused():
    with pytest.raises(ValueError, match="not an ONS Postcode Directory"):
        load_onspd("../core/valid.csv")


# AddressBase Plus


def test_addresses_are_loaded_with_lines_a_person_reads():
    run = load_plus("valid.csv")
    assert (run.rows_done, run.rows_loaded, run.rows_rejected) == (8, 8, 0)
    flat = Address.objects.get(uprn=100110000102)
    assert (flat.line_1, flat.line_2, flat.line_3, flat.town) == (
        "Flat 2",
        "Rose Court",
        "4 Victoria Road",
        "Hartlepool",
    )
    assert flat.authority.gss_code == "E06000001"
    assert flat.import_run == run
    assert Address.objects.get(uprn=100210000001).authority.gss_code == "E06000002"


def test_a_row_holding_a_nul_is_rejected_with_its_line(tmp_path):
    """PostgreSQL cannot store a NUL: the row is reported, the rest loaded."""
    lines = (FIXTURES / "plus" / "valid.csv").read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace("VICTORIA ROAD", "VICTORIA\x00ROAD", 1)
    (tmp_path / "plus").mkdir()
    (tmp_path / "plus" / "custodians.csv").write_text(
        (FIXTURES / "plus" / "custodians.csv").read_text()
    )
    (tmp_path / "plus" / "nul.csv").write_text("".join(lines))
    mapping = read_custodians(tmp_path / "plus" / "custodians.csv")
    loader = Loader(AddressBasePlus(), custodians=mapping, progress=False)
    run = loader.load(tmp_path / "plus" / "nul.csv")[0]
    assert (run.rows_done, run.rows_loaded, run.rows_rejected) == (8, 7, 1)
    assert run.rejections["nul_character"]["examples"] == ["line 3: column 50"]
    assert not Address.objects.filter(uprn=100110000002).exists()


def test_addresses_at_a_postcode_read_in_house_then_flat_order():
    load_plus("valid.csv")
    lines = [a.single_line.split(", Hartlepool")[0] for a in addresses_at("TS24 8AY")]
    assert lines == [
        "The Old School House, Victoria Road",
        "2 Victoria Road",
        "2A Victoria Road",
        "1, Rose Court, 4 Victoria Road",
        "Flat 2, Rose Court, 4 Victoria Road",
        "Flat 10, Rose Court, 4 Victoria Road",
        "10 Victoria Road",
    ]


def test_a_uprn_twice_in_a_file_keeps_the_first_and_reports_the_second():
    run = load_plus("duplicate_uprns.csv")
    assert rejected(run) == {"duplicate_uprn": 1}
    assert Address.objects.get(uprn=100110000010).line_1 == "10 Victoria Road"


def test_a_uprn_repeated_in_a_later_chunk_is_also_a_duplicate():
    run = load_plus("duplicate_uprns.csv", chunk_rows=1)
    assert rejected(run) == {"duplicate_uprn": 1}
    assert Address.objects.get(uprn=100110000010).line_1 == "10 Victoria Road"


def test_addresses_without_a_usable_postcode_are_rejected():
    run = load_plus("bad_postcodes.csv")
    assert rejected(run) == {"bad_postcode": 2}
    assert not Address.objects.filter(uprn__in=[100110000020, 100110000030]).exists()


def test_rows_without_a_uprn_are_rejected():
    run = load_plus("bad_uprns.csv")
    assert rejected(run) == {"bad_uprn": 2}


def test_only_places_people_live_are_loaded():
    """Shops and garages are left out; a flat over a shop is kept; demolished gone."""
    run = load_plus("not_residential.csv")
    assert rejected(run) == {"not_residential": 2, "no_longer_exists": 1}
    assert Address.objects.filter(uprn=100110000042).exists()


def test_an_address_in_another_council_makes_its_postcode_cross_the_boundary():
    """The directory puts the postcode in one council; an address at it is in
    another: the postcode then lists both, and each address keeps its own."""
    load_onspd("valid.csv")
    run = load_plus("postcode_mismatch.csv")
    assert run.rows_rejected == 0
    assert gss_at("TS24 9BB") == ["E06000001", "E06000002"]
    assert Address.objects.get(uprn=100210000052).authority.gss_code == "E06000002"


def test_without_custodian_codes_addresses_take_the_directory_council():
    load_onspd("valid.csv")
    run = load_plus("no_council.csv", custodians=False)
    assert Address.objects.get(uprn=100110000060).authority.gss_code == "E06000001"
    assert rejected(run) == {"no_council": 1}


def test_a_change_only_update_deletes_addresses():
    load_plus("valid.csv")
    load_plus("deletions.csv")
    assert not Address.objects.filter(uprn=100110000010).exists()


def test_addresses_of_an_abolished_council_go_to_its_successor():
    old = Authority.objects.get(gss_code="E06000001")
    new = Authority.objects.get(gss_code="E06000002")
    old.replaced_by, old.replaced_from = new, date(2020, 4, 1)
    old.save()
    load_plus("valid.csv")
    assert Address.objects.get(uprn=100110000010).authority == new


# AddressBase Core


def test_core_addresses_are_routed_by_their_gss_code():
    run = load_core("valid.csv")
    assert run.rows_rejected == 0
    assert Address.objects.get(uprn=300000000001).authority.gss_code == "W06000015"
    assert [a.line_1 for a in addresses_at("TS24 8AY")] == [
        "2 Victoria Road",
        "Flat 2",
        "Flat 10",
        "10 Victoria Road",
    ]


def test_core_addresses_of_an_unknown_council_are_rejected():
    run = load_core("unknown_council.csv")
    assert rejected(run) == {"unknown_council": 1}


# Runs: restartable, idempotent, reversible


def test_a_load_that_stops_part_way_resumes_where_it_stopped(monkeypatch):
    calls = {"n": 0}
    original = loading.Loader._commit

    def fail_on_third_chunk(self, run, chunk, count):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return original(self, run, chunk, count)

    monkeypatch.setattr(loading.Loader, "_commit", fail_on_third_chunk)
    with pytest.raises(KeyboardInterrupt):
        load_plus("valid.csv", chunk_rows=3)
    stopped = ImportRun.objects.get()
    assert (stopped.state, stopped.rows_done) == (ImportRun.State.FAILED, 6)
    assert Address.objects.filter(import_run=stopped).count() == 6

    resumed = load_plus("valid.csv", chunk_rows=3)
    assert resumed.pk == stopped.pk
    assert (resumed.state, resumed.rows_done, resumed.rows_loaded) == (
        ImportRun.State.COMPLETE,
        8,
        8,
    )
    assert Address.objects.filter(import_run=resumed).count() == 8


def test_loading_the_same_addresses_again_changes_nothing():
    load_plus("valid.csv")
    before = list(
        Address.objects.filter(import_run__isnull=False).values_list(
            "uprn", "line_1", "sort_key"
        )
    )
    _, loaded = Loader(AddressBasePlus(), progress=False).load(
        FIXTURES / "plus" / "valid.csv"
    )
    assert not loaded
    assert (
        list(
            Address.objects.filter(import_run__isnull=False).values_list(
                "uprn", "line_1", "sort_key"
            )
        )
        == before
    )


def test_undoing_a_run_removes_what_it_loaded():
    load_onspd("valid.csv")
    run = load_plus("postcode_mismatch.csv")
    loading.undo(run)
    assert not Address.objects.filter(import_run=run).exists()
    assert gss_at("TS24 9BB") == ["E06000001"]
    run.refresh_from_db()
    assert run.state == ImportRun.State.REVERSED


def test_the_commands_report_what_they_rejected_and_why():
    out = StringIO()
    call_command(
        "import_onspd",
        str(FIXTURES / "onspd" / "valid.csv"),
        "--no-progress",
        stdout=out,
    )
    call_command(
        "import_addressbase",
        str(FIXTURES / "plus" / "not_residential.csv"),
        "--custodians",
        str(FIXTURES / "plus" / "custodians.csv"),
        "--no-progress",
        stdout=out,
    )
    text = out.getvalue()
    assert "5 rows read, 5 loaded, 0 rejected" in text
    assert "rejected 2: not residential" in text
    assert "line 2: 100110000040 CR01" in text
    listing = StringIO()
    call_command("import_runs", stdout=listing)
    assert "AddressBase Plus not_residential.csv: complete" in listing.getvalue()


def test_writing_alongside_reading_keeps_chunk_order_and_reports_a_failure(monkeypatch):
    """On PostgreSQL a second thread writes each chunk while the next is parsed."""
    written = []

    def commit(self, run, chunk, count):
        if chunk == "bad":
            raise RuntimeError("disk full")
        written.append(chunk)

    monkeypatch.setattr(loading.Loader, "_commit", commit)
    loader = Loader(AddressBasePlus(), progress=False)
    bar = loading.tqdm(disable=True)
    loader._write_alongside(None, iter([(n, 1) for n in range(20)]), bar)
    assert written == list(range(20))

    written.clear()
    chunks = iter([(1, 1), ("bad", 1), *[(n, 1) for n in range(3, 50)]])
    with pytest.raises(RuntimeError, match="disk full"):
        loader._write_alongside(None, chunks, bar)
    assert written[0] == 1
    assert "bad" not in written


def test_gzipped_files_load_as_they_are(tmp_path):
    import gzip

    packed = tmp_path / "ONSPD_TEST_UK.csv.gz"
    packed.write_bytes(gzip.compress((FIXTURES / "onspd" / "valid.csv").read_bytes()))
    run, loaded = Loader(OnsPostcodeDirectory(), progress=False).load(packed)
    assert loaded and run.rows_loaded == 5
    assert gss_at("CF10 4UW") == ["W06000015"]


@pytest.mark.parametrize(
    "name,custodians",
    [
        ("plus/valid.csv", True),
        ("plus/duplicate_uprns.csv", True),
        ("plus/bad_postcodes.csv", True),
        ("plus/valid.csv", False),
        ("core/valid.csv", False),
        ("onspd/valid.csv", False),
    ],
)
def test_parsing_processes_sort_rows_as_the_loader_itself_does(name, custodians):
    """With --workers, text blocks go to parsing processes; each block must come
    back with the same rows and rejections the single-process path makes, already
    formatted for COPY unless a row waits for the postcode directory."""
    layout = {"plus": AddressBasePlus, "core": AddressBaseCore}.get(
        name.split("/")[0], OnsPostcodeDirectory
    )
    mapping = (
        read_custodians(FIXTURES / "plus" / "custodians.csv") if custodians else None
    )
    single = Loader(layout(), custodians=mapping, progress=False, chunk_rows=2)
    expected = []
    with loading.open_text(FIXTURES / name) as handle:
        for start, rows in single._chunks(handle, 1):
            chunk = single._sort(rows, start, route=False)
            placed = custodians or name.startswith(("core", "onspd"))
            text = loading.copy_text_of(single._records(chunk, 7)) if placed else ""
            kept = {} if placed else chunk.rows
            expected.append((kept, text, chunk.rejected, chunk.examples, len(rows)))

    parallel = Loader(layout(), custodians=mapping, progress=False, chunk_rows=2)
    with loading.open_text(FIXTURES / name) as handle:
        line, ahead = loading.bind_header(handle, parallel.layout)
        blocks = loading.text_blocks(
            itertools.chain(ahead, handle), line, 1, parallel.chunk_rows
        )
        context = multiprocessing.get_context("fork")
        with context.Pool(2, loading._start_worker, (parallel, 7)) as pool:
            got = [
                (c.rows, c.copy_text, c.rejected, c.examples, count)
                for c, count in pool.imap(loading._prepare_block, blocks)
            ]
    assert got == expected
    assert all(not rows for rows, *_ in got) == placed


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="rows are pre-formatted for COPY only"
)
def test_chunks_formatted_by_parsing_processes_are_written_and_counted():
    """On PostgreSQL, `--workers` chunks arrive as COPY text: a UPRN repeated in a
    later chunk is still a duplicate, and the first row wins."""
    mapping = read_custodians(FIXTURES / "plus" / "custodians.csv")
    loader = Loader(AddressBasePlus(), custodians=mapping, progress=False, chunk_rows=1)
    run = ImportRun.objects.create(
        kind=ImportRun.Kind.ADDRESSBASE, layout="plus", fingerprint="test"
    )
    with loading.open_text(FIXTURES / "plus" / "duplicate_uprns.csv") as handle:
        line, ahead = loading.bind_header(handle, loader.layout)
        blocks = loading.text_blocks(itertools.chain(ahead, handle), line, 0, 1)
        context = multiprocessing.get_context("fork")
        with context.Pool(2, loading._start_worker, (loader, run.pk)) as pool:
            chunks = list(pool.imap(loading._prepare_block, blocks))
    assert all(chunk.copy_rows == 1 and not chunk.rows for chunk, _ in chunks)
    for chunk, count in chunks:
        loader._commit(run, chunk, count)
    run.refresh_from_db()
    assert (run.rows_done, run.rows_loaded) == (3, 2)
    assert rejected(run) == {"duplicate_uprn": 1}
    assert Address.objects.get(uprn=100110000010).line_1 == "10 Victoria Road"


@pytest.mark.parametrize(
    "text",
    [
        "1,,I,RD04\n2,x,,\n\n3\n",
        "1,,I,RD04\r\n2,x,,\r\n",
        '1,"a, b",I\n2,"two\nlines",\n',
        "1,,I",
    ],
)
def test_rows_are_split_as_the_csv_module_reads_them(text):
    assert loading.split_rows(text) == list(csv.reader(StringIO(text, newline="")))


def test_text_blocks_keep_a_quoted_field_that_runs_over_two_lines():
    text = 'UPRN,NAME\n1,"two\nlines"\n2,plain\n3,"a, b"\n'
    layout = AddressBaseCore()
    handle = StringIO(text, newline="")
    layout.looks_like_header = lambda row: True
    layout.bind = lambda header: None
    line, ahead = loading.bind_header(handle, layout)
    blocks = list(loading.text_blocks(itertools.chain(ahead, handle), line, 0, 2))
    assert [(start, count) for start, _, count in blocks] == [(2, 2), (4, 1)]
    rows = [
        row for _, text, _ in blocks for row in csv.reader(StringIO(text, newline=""))
    ]
    assert rows == [["1", "two\nlines"], ["2", "plain"], ["3", "a, b"]]


# The directory's electoral divisions


def divisions_at(postcode):
    return PostcodeDivision.objects.filter(postcode=postcode).values_list(
        "ward_gss", "county_division_gss", "constituency_gss"
    )


def test_the_directory_gives_each_postcode_its_ward_division_and_constituency():
    run = load_onspd("divisions.csv")
    assert list(divisions_at("TS24 8AY")) == [("E05008942", "", "E14001277")]
    assert list(divisions_at("CB1 1AA")) == [("E05013050", "E58000100", "E14001143")]
    assert list(divisions_at("CF10 4UW")) == [("W05001000", "", "W07000110")]
    # No division at all: no row, so the elections there are shown council-wide.
    assert not divisions_at("TS1 9FX").exists()
    loaded = PostcodeDivision.objects.filter(synthetic=False)
    assert set(loaded.values_list("import_run", flat=True)) == {run.pk}


def test_newer_releases_name_the_division_columns_by_year():
    load_onspd("divisions_by_year.csv")
    assert list(divisions_at("TS24 8AY")) == [("E05008942", "", "E14001277")]


def test_a_new_directory_replaces_the_divisions_of_the_last_one():
    load_onspd("divisions.csv")
    load_onspd("valid.csv")
    assert not divisions_at("CB1 1AA").exists()
    assert list(divisions_at("TS24 8AY")) == [("E05000000", "", "E14000000")]
    # The synthetic country's divisions are not the directory's to replace.
    assert PostcodeDivision.objects.filter(synthetic=True).exists()


def test_undoing_a_directory_removes_its_divisions():
    run = load_onspd("divisions.csv")
    loading.undo(run)
    assert not PostcodeDivision.objects.filter(synthetic=False).exists()
    # The synthetic country's are no run's: undoing a directory leaves them.
    assert PostcodeDivision.objects.filter(synthetic=True).exists()


def test_a_directory_load_that_stops_part_way_resumes_with_its_divisions(
    monkeypatch,
):
    calls = {"n": 0}
    original = loading.Loader._commit

    def fail_on_second_chunk(self, run, chunk, count):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return original(self, run, chunk, count)

    monkeypatch.setattr(loading.Loader, "_commit", fail_on_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        load_onspd("divisions.csv", chunk_rows=2)
    assert PostcodeDivision.objects.filter(synthetic=False).count() == 2
    monkeypatch.setattr(loading.Loader, "_commit", original)
    resumed = load_onspd("divisions.csv", chunk_rows=2)
    assert resumed.state == ImportRun.State.COMPLETE
    assert PostcodeDivision.objects.filter(synthetic=False).count() == 4


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="rows are pre-formatted for COPY only"
)
def test_parsing_processes_carry_each_postcodes_divisions_to_the_writer():
    """With --workers, a directory chunk comes back as COPY text for its councils
    and its divisions beside it; both are written."""
    loader = Loader(OnsPostcodeDirectory(), progress=False, chunk_rows=2)
    run = ImportRun.objects.create(
        kind=ImportRun.Kind.ONSPD, layout="onspd", fingerprint="test"
    )
    with loading.open_text(FIXTURES / "onspd" / "divisions.csv") as handle:
        line, ahead = loading.bind_header(handle, loader.layout)
        blocks = loading.text_blocks(itertools.chain(ahead, handle), line, 0, 2)
        context = multiprocessing.get_context("fork")
        with context.Pool(2, loading._start_worker, (loader, run.pk)) as pool:
            chunks = list(pool.imap(loading._prepare_block, blocks))
    assert all(chunk.copy_rows and not chunk.rows for chunk, _ in chunks)
    for chunk, count in chunks:
        loader._commit(run, chunk, count)
    assert list(divisions_at("CB1 1AA")) == [("E05013050", "E58000100", "E14001143")]
    assert PostcodeDivision.objects.filter(import_run=run).count() == 4


def test_the_directory_command_says_how_many_postcodes_have_divisions():
    out = StringIO()
    call_command(
        "import_onspd",
        str(FIXTURES / "onspd" / "divisions.csv"),
        "--no-progress",
        stdout=out,
    )
    assert "4 postcodes with electoral divisions" in out.getvalue()
