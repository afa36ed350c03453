"""The reference client's `ier ems-submit FILE.csv`, against the live test server
(a real HTTP server on a port of its own, committing for real)."""

import csv
import io

import pytest

from ier.api import submit_client
from ier.registration.models import Application
from tests.api.factories import create_token, two_authorities
from tests.api.test_submissions import address_of

pytestmark = pytest.mark.django_db(transaction=True)


def a_file(tmp_path, rows: list[dict]) -> str:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=submit_client.COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    path = tmp_path / "forms.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    return str(path)


def a_row(address, **fields) -> dict:
    row = {
        "channel": "paper",
        "first_name": "Gwen",
        "last_name": "Example",
        "date_of_birth": "1979-03-04",
        "nationalities": "GB",
        "nino": "AB123456C",
        "address_uprn": str(address.uprn),
        "moved": "no",
        "open_register": "no",
        "postal_vote": "yes",
    }
    row.update(fields)
    return row


def test_a_file_is_sent_and_each_line_reported(live_server, tmp_path, capsys):
    authority, _other = two_authorities()
    secret = create_token(authority)
    address = address_of(authority)
    path = a_file(
        tmp_path,
        [
            a_row(address, council_reference="P-1"),
            a_row(address, council_reference="P-2", nino="12345"),
            a_row(address, first_name="Huw", channel="in_person", nationalities=""),
            a_row(
                address,
                first_name="Iolo",
                nationalities="",
                nationality_reason="Not known",
                open_register="yes",
            ),
        ],
    )
    url = live_server.url + "/api/v1"

    code = submit_client.main([path, "--url", url, "--token", secret])

    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0].startswith("row 1 (P-1): accepted ")
    assert out[1] == (
        "row 2 (P-2): refused: nino: Enter a National Insurance number in the "
        "correct format, like QQ 12 34 56 C"
    )
    assert out[2].startswith("row 3: refused: nationalities: ")
    assert out[3].startswith("row 4: accepted ")
    assert out[4] == "4 lines: 2 accepted, 0 already received, 2 refused"
    made = Application.objects.order_by("first_name")
    assert [(a.first_name, a.channel, a.open_register) for a in made] == [
        ("Gwen", "paper", False),
        ("Iolo", "paper", True),
    ]

    again = submit_client.main([path, "--url", url, "--token", secret])

    out = capsys.readouterr().out.splitlines()
    assert again == 1
    assert out[0].startswith("row 1 (P-1): already received ")
    assert out[3].startswith("row 4: already received ")
    assert Application.objects.count() == 2


def test_a_file_with_every_line_accepted_exits_zero(live_server, tmp_path, capsys):
    authority, _other = two_authorities()
    secret = create_token(authority)
    path = a_file(tmp_path, [a_row(address_of(authority))])

    code = submit_client.main(
        [path, "--url", live_server.url + "/api/v1", "--token", secret]
    )

    assert code == 0
    assert capsys.readouterr().out.endswith(
        "1 lines: 1 accepted, 0 already received, 0 refused\n"
    )


def test_a_file_with_an_unknown_column_is_refused_before_anything_is_sent(
    tmp_path, caplog
):
    path = tmp_path / "forms.csv"
    path.write_text("first_name,shoe_size\nAnn,9\n", encoding="utf-8")

    code = submit_client.main(
        [str(path), "--url", "http://127.0.0.1:9/api/v1", "--token", "x"]
    )

    assert code == 1
    assert "unknown columns: shoe_size" in caplog.text
