"""A NUL (U+0000) in anything a client sends is refused with a problem naming where
it was. PostgreSQL cannot store one, so before this a NUL reaching a query was a 500
there (SQLite stores it, which is why only the PostgreSQL run shows the difference)."""

import re

import pytest
from django.utils import timezone

from ier.registration.models import RegisterEntry, Status
from tests.api.factories import bearer, create_application
from tests.api.test_register import HEADER, upload

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_path_is_a_400_problem(client, secret):
    response = client.get("/api/v1/applications/%00", **bearer(secret))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "nul_character"
    assert response.json()["location"] == ["path"]


def test_a_nul_in_a_query_string_is_a_400_naming_the_parameter(client, secret):
    response = client.get("/api/v1/applications?cursor=1%002", **bearer(secret))
    assert response.status_code == 400
    assert response.json()["location"] == ["query", "cursor"]


def test_a_nul_in_a_reference_to_acknowledge_names_its_place(client, authority, secret):
    application = create_application(authority, Status.VERIFIED)
    response = client.post(
        "/api/v1/acknowledgements",
        {"references": [application.reference, "RTV\x00"]},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == [
        "body",
        "payload",
        "references",
        "1",
    ]
    application.refresh_from_db()
    assert application.status == Status.VERIFIED


def test_a_nul_in_a_determination_reason_is_refused(client, authority, secret):
    application = create_application(authority, Status.DOWNLOADED)
    response = client.post(
        "/api/v1/applications/%s/determination" % application.reference,
        {
            "outcome": "rejected",
            "date": timezone.localdate().isoformat(),
            "reason": "moved\x00away",
        },
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["body", "payload", "reason"]


def test_a_nul_in_a_register_line_names_the_line_and_column(client, secret):
    body = HEADER + "A1,Ann,,Lee,,,,,,\nA2,Bob,,Ray,,1 High\x00 St,,,,\n"
    response = upload(client, secret, body)
    assert response.status_code == 422
    assert response.json()["line"] == 3
    assert "address_line_1" in response.json()["detail"]
    assert not RegisterEntry.objects.exists()


def test_every_text_the_api_accepts_is_documented_as_holding_no_nul(client):
    """The OpenAPI document says so for every string a client sends, so a schema
    fuzzer (and an EMS developer) knows; a new field that forgets fails here."""
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                _assert_nul_free(parameter["schema"], schemas, (method, path))
            body = operation.get("requestBody", {}).get("content", {})
            json_body = body.get("application/json", {}).get("schema")
            if json_body:
                _assert_nul_free(json_body, schemas, (method, path))


def _assert_nul_free(schema, schemas, where):
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    for option in schema.get("anyOf", []) + schema.get("allOf", []):
        _assert_nul_free(option, schemas, where)
    if schema.get("type") == "string" and not {"enum", "format"} & set(schema):
        assert "pattern" in schema, (where, schema)
        assert re.search(schema["pattern"], "\x00") is None, (where, schema)
    for child in schema.get("properties", {}).values():
        _assert_nul_free(child, schemas, where)
    if "items" in schema:
        _assert_nul_free(schema["items"], schemas, where)
