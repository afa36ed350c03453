"""Corrections by the council's EMS: `POST /api/v1/applications/{ref}/corrections`."""

import pytest
from django.db import connection

from ier.api import sandbox
from ier.ero.models import AuditEntry
from ier.geography.models import Address
from ier.registration.models import (
    Application,
    ApplicationEvent,
    Correction,
    RegisterEntry,
    Status,
)
from ier.registration.register import register_match_key
from ier.verification import pipeline
from ier.verification.models import DuplicateCheck
from ier.verification.synthetic import submit_cases
from tests.api.factories import bearer, create_application, create_token
from tests.verification.helpers import a_verifier, drain, on_record, some_addresses

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/%s/corrections"


def correct(client, secret, reference, changes, reason="Typing slip", **headers):
    return client.post(
        URL % reference,
        {"reason": reason, "changes": changes},
        content_type="application/json",
        **bearer(secret),
        **headers,
    )


def new_items(client, secret):
    response = client.get("/api/v1/applications?state=new", **bearer(secret))
    assert response.status_code == 200
    return {item["reference"]: item for item in response.json()["items"]}


def slipped_nino(nino: str) -> str:
    """The NINO with one digit typed wrong."""
    digit = nino[2]
    return nino[:2] + str((int(digit) + 1) % 10) + nino[3:]


def test_a_nino_slip_corrected_by_the_ems_turns_red_into_green(client):
    """End to end over HTTP, with the stand-in identity service: an application
    whose NINO was keyed with one digit wrong is verified red; the EMS corrects
    the NINO; the application is verified again, green, and listed as new again,
    flagged as corrected."""
    _people, cases = on_record(60)
    case = next(c for c in cases if c.variation == "exact" and c.nino)
    (pk,) = submit_cases([case], some_addresses(1))
    application = Application.objects.get(pk=pk)
    right = application.nino
    application.nino = slipped_nino(right)
    application.save()
    drain(a_verifier())
    application.refresh_from_db()
    assert application.status == Status.NOT_VERIFIED

    secret = create_token(application.authority)
    listed = new_items(client, secret)
    assert listed[application.reference]["verification"]["result"] == "red"
    one = "/api/v1/applications/%s" % application.reference
    assert client.get(one, **bearer(secret)).json()["verification"]["result"] == "red"
    acknowledged = client.post(
        "/api/v1/acknowledgements",
        {"references": [application.reference]},
        content_type="application/json",
        **bearer(secret),
    )
    assert acknowledged.json()["acknowledged"] == [application.reference]
    assert application.reference not in new_items(client, secret)

    response = correct(client, secret, application.reference, {"nino": right})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["fields"], body["replayed"]) == (
        "submitted",
        ["nino"],
        False,
    )
    drain(a_verifier())
    application.refresh_from_db()
    assert application.status == Status.VERIFIED
    item = new_items(client, secret)[application.reference]
    assert item["verification"]["result"] == "green"
    # Read alone, too: no earlier answer about the application is kept anywhere.
    assert client.get(one, **bearer(secret)).json()["verification"]["result"] == (
        "green"
    )
    assert item["flags"]["corrected"] is True
    assert item["corrected_at"] is not None
    assert item["downloaded_at"] is None
    events = list(
        ApplicationEvent.objects.filter(application=application).values_list(
            "event", "to_status"
        )
    )
    assert ("corrected", "submitted") in events
    assert events[-1][1] == "verified"


def test_the_correction_is_audited_before_and_after_encrypted(
    client, authority, secret
):
    app = create_application(authority, Status.NOT_VERIFIED)
    before = app.nino
    response = correct(
        client, secret, app.reference, {"nino": "AB 12 34 56 C", "last_name": "Smyth"}
    )
    assert response.status_code == 201
    correction = Correction.objects.get(application=app)
    assert correction.fields == ["last_name", "nino"]
    assert correction.before == {"nino": before, "last_name": "Example"}
    assert correction.after == {"nino": "AB123456C", "last_name": "Smyth"}
    assert (correction.reason, correction.source) == ("Typing slip", "ems")
    assert correction.actor.startswith("ems:")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT before, after FROM registration_correction WHERE id = %s",
            [correction.pk],
        )
        raw = " ".join(cursor.fetchone())
    assert "AB123456C" not in raw and "Smyth" not in raw
    entry = AuditEntry.objects.get(action="api.correction")
    assert entry.reference == app.reference
    assert entry.detail == {"fields": ["last_name", "nino"]}
    assert "AB123456C" not in str(entry.detail)


def test_a_retry_with_the_same_idempotency_key_changes_nothing(
    client, authority, secret
):
    app = create_application(authority, Status.PARTIAL)
    first = correct(
        client, secret, app.reference, {"first_name": "Ann"}, HTTP_IDEMPOTENCY_KEY="k1"
    )
    again = correct(
        client, secret, app.reference, {"first_name": "Ann"}, HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["replayed"] is True
    assert again.json()["correction_id"] == first.json()["correction_id"]
    assert Correction.objects.filter(application=app).count() == 1
    assert (
        ApplicationEvent.objects.filter(application=app, event="corrected").count() == 1
    )


def test_a_retry_without_a_key_is_answered_with_the_same_correction(
    client, authority, secret
):
    app = create_application(authority, Status.PARTIAL)
    first = correct(client, secret, app.reference, {"first_name": "Bethan"})
    again = correct(client, secret, app.reference, {"first_name": "Bethan"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["correction_id"] == first.json()["correction_id"]
    assert Correction.objects.filter(application=app).count() == 1


def test_the_same_values_with_no_earlier_correction_are_no_change(
    client, authority, secret
):
    app = create_application(authority, Status.PARTIAL)
    response = correct(client, secret, app.reference, {"last_name": "Example"})
    assert response.status_code == 422
    assert response.json()["code"] == "no_change"


def test_a_key_reused_for_another_application_is_a_conflict(client, authority, secret):
    first = create_application(authority, Status.PARTIAL)
    second = create_application(authority, Status.PARTIAL)
    correct(
        client, secret, first.reference, {"first_name": "Ann"}, HTTP_IDEMPOTENCY_KEY="k"
    )
    response = correct(
        client,
        secret,
        second.reference,
        {"first_name": "Ann"},
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert not Correction.objects.filter(application=second).exists()


def test_each_refused_field_has_its_own_problem(client, authority, secret):
    app = create_application(authority, Status.NOT_VERIFIED)
    response = correct(
        client,
        secret,
        app.reference,
        {
            "nino": "QQ 12 34 56",
            "first_name": "Ann3",
            "address_postcode": "ZZ99 9ZZZ",
            "nationalities": ["XX"],
        },
    )
    assert response.status_code == 422
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    located = {tuple(e["location"]): e["message"] for e in problem["errors"]}
    assert set(located) == {
        ("body", "changes", "nino"),
        ("body", "changes", "first_name"),
        ("body", "changes", "address_postcode"),
        ("body", "changes", "nationalities"),
    }
    assert "correct format" in located[("body", "changes", "nino")]
    app.refresh_from_db()
    assert app.status == Status.NOT_VERIFIED
    assert not Correction.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(client, authority, secret):
    app = create_application(authority, Status.NOT_VERIFIED)
    response = correct(client, secret, app.reference, {"date_of_birth": "2999-01-01"})
    assert response.status_code == 422
    assert (
        response.json()["errors"][0]["message"] == "Date of birth must be in the past"
    )


def test_unknown_fields_and_an_empty_change_are_refused(client, authority, secret):
    app = create_application(authority, Status.NOT_VERIFIED)
    assert correct(client, secret, app.reference, {"status": "x"}).status_code == 422
    assert correct(client, secret, app.reference, {}).status_code == 422
    blank = correct(client, secret, app.reference, {"first_name": "Ann"}, reason="  ")
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["location"] == ["body", "reason"]


def test_an_address_by_uprn_takes_its_lines_and_must_be_in_the_area(
    client, authority, other_authority, secret
):
    app = create_application(authority, Status.NOT_VERIFIED)
    ours = Address.objects.filter(authority=authority, synthetic=True).first()
    theirs = Address.objects.filter(authority=other_authority, synthetic=True).first()
    refused = correct(client, secret, app.reference, {"address_uprn": theirs.uprn})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["location"] == [
        "body",
        "changes",
        "address_uprn",
    ]
    made = correct(client, secret, app.reference, {"address_uprn": ours.uprn})
    assert made.status_code == 201
    app.refresh_from_db()
    assert (app.address_uprn, app.address_line_1, app.address_postcode) == (
        ours.uprn,
        ours.line_1,
        ours.postcode,
    )


def test_a_decided_application_cannot_be_corrected(client, authority, secret):
    app = create_application(authority, Status.ACCEPTED)
    response = correct(client, secret, app.reference, {"first_name": "Ann"})
    assert response.status_code == 409
    assert response.json()["current_status"] == "accepted"


def test_another_council_cannot_correct(client, authority, other_authority):
    app = create_application(authority, Status.NOT_VERIFIED)
    theirs = create_token(other_authority)
    response = correct(client, theirs, app.reference, {"first_name": "Ann"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Correction.objects.exists()
    app.refresh_from_db()
    assert app.status == Status.NOT_VERIFIED


def test_without_a_token_nothing_is_corrected(client, authority):
    app = create_application(authority, Status.NOT_VERIFIED)
    response = client.post(
        URL % app.reference,
        {"reason": "x", "changes": {"first_name": "Ann"}},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not Correction.objects.exists()


def test_the_sandbox_answers_every_shape_without_touching_data(client):
    secret = "ier_sandbox_valid"
    red = next(
        r for r, status in sandbox.REFERENCES.items() if status == "not_verified"
    )
    made = correct(client, secret, red, {"first_name": "Ann"})
    assert made.status_code == 201
    assert made.json()["status"] == "submitted"
    decided = correct(client, secret, sandbox.DETERMINED, {"first_name": "Ann"})
    assert decided.status_code == 409
    assert (
        correct(client, secret, "SNDBX0000", {"first_name": "Ann"}).status_code == 404
    )
    assert not Correction.objects.exists()


def test_documented_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/applications/{reference}/corrections"]["post"]
    assert {"201", "200", "409", "422"} <= set(map(str, operation["responses"]))
    assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])


def test_corrected_details_are_checked_for_duplicates_again(client, authority, secret):
    app = create_application(authority, Status.NOT_VERIFIED)
    RegisterEntry.objects.create(
        authority=authority,
        elector_number="E1",
        first_name=app.first_name,
        last_name="Smyth",
        date_of_birth=app.date_of_birth,
        postcode=app.address_postcode,
        match_key=register_match_key(
            app.first_name, "Smyth", app.date_of_birth, app.address_postcode
        ),
    )
    assert not app.possible_duplicate
    response = correct(client, secret, app.reference, {"last_name": "Smyth"})
    assert response.status_code == 201
    app.refresh_from_db()
    assert app.possible_duplicate
    assert DuplicateCheck.objects.filter(application=app).count() == 1
    correct(client, secret, app.reference, {"last_name": "Example"}, reason="Undo")
    app.refresh_from_db()
    assert not app.possible_duplicate


def test_a_correction_made_while_the_old_details_are_checked_is_what_counts(client):
    """A worker has claimed the application with the slipped NINO and is asking the
    identity service about it when the EMS corrects it: the answer about the old
    details is not recorded, and the corrected details are verified instead."""
    _people, cases = on_record(60)
    case = next(c for c in cases if c.variation == "exact" and c.nino)
    (pk,) = submit_cases([case], some_addresses(1))
    application = Application.objects.get(pk=pk)
    right = application.nino
    application.nino = slipped_nino(right)
    application.save()
    verifier = a_verifier()
    batch = pipeline.claim_batch("test-worker", 10)
    application.refresh_from_db()
    assert application.status == Status.VERIFYING
    secret = create_token(application.authority)
    response = correct(client, secret, application.reference, {"nino": right})
    assert response.status_code == 201
    assert verifier.verify(batch) == 0  # the claim ended with the correction
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not application.verifications.exists()
    drain(verifier)
    application.refresh_from_db()
    assert application.status == Status.VERIFIED
    assert application.verifications.get().result == Status.VERIFIED
