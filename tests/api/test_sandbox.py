import pytest

from ier.api import sandbox
from ier.registration.references import is_valid_reference
from tests.api.factories import bearer

pytestmark = pytest.mark.django_db

SANDBOX = bearer("ier_sandbox_valid")


def test_sandbox_references_are_valid_references():
    assert all(is_valid_reference(r) for r in sandbox.REFERENCES)


def test_sandbox_lists_every_verification_result(client):
    items = client.get("/api/v1/applications", **SANDBOX).json()["items"]
    results = {i["verification"]["result"] for i in items}
    assert results == {"green", "amber", "red", "no_nino", "dark_red"}
    assert all(i["authority"] == sandbox.SANDBOX_AUTHORITY for i in items)


def test_sandbox_pages(client):
    first = client.get("/api/v1/applications", {"limit": 2}, **SANDBOX).json()
    second = client.get(
        "/api/v1/applications", {"limit": 2, "cursor": first["next_cursor"]}, **SANDBOX
    ).json()
    assert len(first["items"]) == 2
    assert first["items"][0]["reference"] != second["items"][0]["reference"]


def test_sandbox_gives_each_acknowledgement_shape(client):
    new = next(r for r, s in sandbox.REFERENCES.items() if s == "verified")
    body = client.post(
        "/api/v1/acknowledgements",
        {"references": [new, sandbox.DETERMINED, "BBBBBBBBBB"]},
        content_type="application/json",
        **SANDBOX,
    ).json()
    assert body == {
        "acknowledged": [new],
        "already_acknowledged": [sandbox.DETERMINED],
        "not_acknowledged": ["BBBBBBBBBB"],
    }


def test_sandbox_conflict_and_not_found(client):
    url = "/api/v1/applications/%s/determination"
    payload = {"outcome": "rejected", "date": "2026-01-06"}
    conflict = client.post(
        url % sandbox.DETERMINED, payload, content_type="application/json", **SANDBOX
    )
    missing = client.post(
        url % "BBBBBBBBBB", payload, content_type="application/json", **SANDBOX
    )
    assert (conflict.status_code, missing.status_code) == (409, 404)


def test_sandbox_expired_and_rate_limited_tokens(client):
    assert (
        client.get("/api/v1/counts", **bearer("ier_sandbox_expired")).status_code == 401
    )
    limited = client.get("/api/v1/counts", **bearer("ier_sandbox_rate_limited"))
    assert limited.status_code == 429


def test_sandbox_register_upload_checks_but_keeps_nothing(client):
    from ier.registration.models import RegisterEntry

    text = (
        "elector_number,first_name,middle_names,last_name,date_of_birth,"
        "address_line_1,address_line_2,town,postcode,uprn\nA1,Ann,,X,,,,,,\n"
    )
    response = client.put("/api/v1/register", text, content_type="text/csv", **SANDBOX)
    assert response.json() == {"entries": 1, "replaced": 0}
    assert RegisterEntry.objects.count() == 0


def test_sandbox_writes_no_audit(client):
    from ier.ero.models import AuditEntry

    client.get("/api/v1/applications", **SANDBOX)
    assert not AuditEntry.objects.exists()
