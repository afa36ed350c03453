"""Malformed input is refused with a clear message, and nothing is half-written."""

import pytest

from ier.confirmation import cli
from ier.confirmation.inputs import FIELDS, MAX_FIELD_CHARS

REGISTER_HEADER = "elector_id," + ",".join(FIELDS)
REFERENCE_HEADER = "person_id," + ",".join(FIELDS)
GOOD_REGISTER = REGISTER_HEADER + "\nE1,Ann,,Smith,1980-01-02,1 High St,,Town,AB1 2CD\n"
GOOD_REFERENCE = (
    REFERENCE_HEADER + "\nP1,Ann,,Smith,1980-01-02,1 High St,,Town,AB1 2CD\n"
)


def run(tmp_path, register: bytes | str, reference: bytes | str = GOOD_REFERENCE):
    paths = {}
    for name, content in (("register", register), ("reference", reference)):
        paths[name] = tmp_path / (name + ".csv")
        data = content.encode("utf-8") if isinstance(content, str) else content
        paths[name].write_bytes(data)
    out = tmp_path / "results.csv"
    code = cli.confirm_main(
        [
            "--register",
            str(paths["register"]),
            "--reference",
            str(paths["reference"]),
            "--out",
            str(out),
            "--no-progress",
        ]
    )
    return code, out


def assert_refused(tmp_path, capsys, code, out, *expected):
    assert code == 2
    message = capsys.readouterr().err
    for text in expected:
        assert text in message
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if "results" in p.name] == []


@pytest.mark.parametrize(
    ("register", "expected"),
    [
        pytest.param(
            REGISTER_HEADER.replace("surname", "last_name") + "\n",
            ["register file", "lacks the column(s) surname"],
            id="missing column",
        ),
        pytest.param(
            REGISTER_HEADER + ",surname\n",
            ["repeats the column(s) surname"],
            id="repeated column",
        ),
        pytest.param("", ["is empty"], id="empty file"),
        pytest.param(
            REGISTER_HEADER + '\nE1,"Ann,,Smith,1980-01-02,1 High St,,Town,AB1 2CD\n',
            ["register file", "is not valid CSV"],
            id="unclosed quote",
        ),
        pytest.param(
            REGISTER_HEADER
            + "\nE1,Ann,,Smith,1980-01-02,1 High St,,Town,AB1 2CD,x,y\n",
            ["is not valid CSV"],
            id="too many fields",
        ),
        pytest.param(
            REGISTER_HEADER + "\nE1,Ann,Smith\n",
            ["is not valid CSV"],
            id="too few fields",
        ),
        pytest.param(
            GOOD_REGISTER + "E1,Bob,,Jones,,2 High St,,Town,AB1 2CD\n",
            ["elector_id 'E1' appears 2 times"],
            id="repeated id",
        ),
        pytest.param(
            GOOD_REGISTER + " ,Bob,,Jones,,2 High St,,Town,AB1 2CD\n",
            ["data row 2 has no elector_id"],
            id="empty id",
        ),
        pytest.param(
            GOOD_REGISTER + "E2,%s,,Jones,,,,," % ("x" * (MAX_FIELD_CHARS + 1)) + "\n",
            ["data row 2 has a field longer than 1000 characters"],
            id="huge field",
        ),
        pytest.param(
            GOOD_REGISTER + "E2,Bob,,Jones,,%s,,," % ("y" * 100_000) + "\n",
            ["is not valid CSV"],
            id="huge line",
        ),
    ],
)
def test_a_broken_register_is_refused(tmp_path, capsys, register, expected):
    code, out = run(tmp_path, register)
    assert_refused(tmp_path, capsys, code, out, *expected)


def test_a_file_in_another_encoding_is_refused(tmp_path, capsys):
    latin_1 = (REGISTER_HEADER + "\nE1,Zoë,,Brontë,,1 High St,,Town,AB1 2CD\n").encode(
        "latin-1"
    )
    code, out = run(tmp_path, latin_1)
    assert_refused(tmp_path, capsys, code, out, "is not valid CSV")


def test_a_header_in_another_encoding_is_refused(tmp_path, capsys):
    header = ("élector_id," + ",".join(FIELDS) + "\n").encode("latin-1")
    code, out = run(tmp_path, header)
    assert_refused(tmp_path, capsys, code, out, "is not UTF-8")


def test_a_broken_reference_is_refused(tmp_path, capsys):
    code, out = run(
        tmp_path, GOOD_REGISTER, REFERENCE_HEADER.replace("person_id", "id")
    )
    assert_refused(tmp_path, capsys, code, out, "reference file", "person_id")


def test_a_missing_file_is_refused(tmp_path, capsys):
    out = tmp_path / "results.csv"
    code = cli.confirm_main(
        [
            "--register",
            str(tmp_path / "nope.csv"),
            "--reference",
            str(tmp_path / "nope.csv"),
            "--out",
            str(out),
        ]
    )
    assert_refused(tmp_path, capsys, code, out, "does not exist")


def test_a_failed_run_leaves_a_previous_result_untouched(tmp_path, capsys):
    out = tmp_path / "results.csv"
    out.write_text("previous complete result\n", encoding="utf-8")
    code, _ = run(tmp_path, "")
    assert code == 2
    assert out.read_text(encoding="utf-8") == "previous complete result\n"


def test_messy_but_valid_rows_are_accepted(tmp_path):
    register = (
        "\ufeff" + REGISTER_HEADER + "\n"
        'E1,"MR. ANN-MARIE",, O\'Brien ,not a date,"1, High Street",,Town, ab12cd\n'
        "E2,,,,,,,,\n"
    )
    code, out = run(tmp_path, register)
    assert code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in lines] == ["elector_id", "E1", "E2"]


def test_the_register_file_has_the_columns_of_the_register():
    # `ier confirm` runs without Django, so it cannot import the register's module
    # (which loads the database models); its contract must still name the same
    # columns as the register's one definition, less the optional ones.
    from ier.confirmation.inputs import register_file
    from ier.registration import register

    assert register_file("R.csv").columns == register.REQUIRED_COLUMNS
