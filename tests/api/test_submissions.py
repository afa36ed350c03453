"""POST /api/v1/applications: a council's applications from paper, phone and in
person, over HTTP with a real token, on SQLite and (second pass) PostgreSQL."""

from datetime import date

import pytest
from django.test import Client

from ier.geography.models import Address
from ier.registration import handover
from ier.registration.models import Application, ApplicationEvent, Status
from ier.verification.models import DuplicateCheck
from tests.api.factories import bearer, create_token
from tests.verification.helpers import a_verifier, drain, on_record

URL = "/api/v1/applications"


def address_of(authority) -> Address:
    return Address.objects.filter(authority=authority, synthetic=True).order_by("uprn")[
        0
    ]


def a_record(address: Address, **fields) -> dict:
    """A line as an EMS sends it for a paper form, at `address` (by UPRN)."""
    record = {
        "channel": "paper",
        "council_reference": "",
        "first_name": "Ann",
        "last_name": "Example",
        "date_of_birth": "1980-01-02",
        "nationalities": ["GB"],
        "nino": "AB 12 34 56 C",
        "address_uprn": address.uprn,
        "moved": "no",
        "open_register": False,
        "postal_vote": "no-in-person",
    }
    record.update(fields)
    return record


def send(secret: str, *records: dict, key: str | None = None):
    headers = bearer(secret)
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return Client().post(
        URL,
        {"applications": list(records)},
        content_type="application/json",
        **headers,
    )


def test_a_keyed_paper_application_is_verified_green_and_handed_over(authority, secret):
    _people, cases = on_record(60)
    case = next(c for c in cases if c.variation == "exact")
    record = a_record(
        address_of(authority),
        council_reference="PAPER-0001",
        first_name=case.first_name,
        middle_names=case.middle_names,
        last_name=case.last_name,
        date_of_birth=case.date_of_birth.isoformat(),
        nino=case.nino,
    )

    answer = send(secret, record)

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["accepted"], body["refused"], body["already_received"]) == (1, 0, 0)
    (line,) = body["results"]
    assert line["outcome"] == "accepted" and line["errors"] == []
    application = Application.objects.get(reference=line["reference"])
    assert application.channel == "paper"
    assert application.council_reference == "PAPER-0001"
    assert application.authority_id == authority.pk
    assert application.date_of_birth == case.date_of_birth
    assert DuplicateCheck.objects.filter(application=application).count() == 1
    submitted = ApplicationEvent.objects.get(application=application)
    assert submitted.event == "submitted" and submitted.detail == {"channel": "paper"}

    drain(a_verifier())

    application.refresh_from_db()
    assert application.status == Status.VERIFIED
    listed = Client().get(URL, **bearer(secret)).json()["items"]
    (item,) = [i for i in listed if i["reference"] == application.reference]
    assert item["channel"] == "paper"
    assert item["council_reference"] == "PAPER-0001"
    acknowledged = Client().post(
        "/api/v1/acknowledgements",
        {"references": [application.reference]},
        content_type="application/json",
        **bearer(secret),
    )
    assert acknowledged.json()["acknowledged"] == [application.reference]
    application.refresh_from_db()
    assert application.status == Status.DOWNLOADED


def test_a_batch_with_one_bad_line_is_answered_line_by_line(authority, secret):
    address = address_of(authority)
    good = [
        a_record(address, first_name="Bea", council_reference="B-1"),
        a_record(address, first_name="Cai", council_reference="B-3", channel="phone"),
    ]
    bad = a_record(
        address, first_name="D4ve", nino="NOT A NINO", council_reference="B-2"
    )

    answer = send(secret, good[0], bad, good[1])

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["accepted"], body["refused"]) == (2, 1)
    first, second, third = body["results"]
    assert [first["outcome"], second["outcome"], third["outcome"]] == [
        "accepted",
        "refused",
        "accepted",
    ]
    assert second["reference"] is None
    assert {(e["field"], e["code"]) for e in second["errors"]} == {
        ("first_name", "invalid_name"),
        ("nino", "invalid_nino"),
    }
    assert "First name must only include letters" in second["errors"][0]["message"]
    made = Application.objects.filter(authority=authority).order_by("council_reference")
    assert [(a.council_reference, a.first_name, a.channel) for a in made] == [
        ("B-1", "Bea", "paper"),
        ("B-3", "Cai", "phone"),
    ]


@pytest.mark.parametrize(
    "fields, field, code",
    [
        ({"first_name": ""}, "first_name", "required"),
        ({"last_name": ""}, "last_name", "invalid"),
        ({"date_of_birth": "1980-02-30"}, "date_of_birth", "invalid_date"),
        ({"date_of_birth": None}, "date_of_birth", "invalid"),
        ({"nino": ""}, "nino", "invalid"),
        ({"nationalities": []}, "nationalities", "required"),
        ({"nationalities": ["XX"]}, "nationalities", "invalid_choice"),
        ({"moved": "sideways"}, "moved", "invalid_choice"),
        ({"postal_vote": ""}, "postal_vote", "required"),
        ({"open_register": None}, "open_register", "required"),
        ({"email": "not an email"}, "email", "invalid"),
        ({"phone": "12"}, "phone", "invalid_phone"),
        ({"moved": "from-uk"}, "previous_address_postcode", "required"),
        ({"address_uprn": 1}, "address_uprn", "unknown_uprn"),
    ],
)
def test_each_rule_of_the_online_journey_refuses_its_line(
    authority, secret, fields, field, code
):
    answer = send(secret, a_record(address_of(authority), **fields))

    (line,) = answer.json()["results"]
    assert line["outcome"] == "refused"
    assert (field, code) in {(e["field"], e["code"]) for e in line["errors"]}, line
    assert not Application.objects.exists()


def test_the_reasons_instead_of_a_date_of_birth_and_a_nino_are_accepted(
    authority, secret
):
    record = a_record(
        address_of(authority),
        date_of_birth=None,
        no_date_of_birth_reason="Not known",
        age_range="18-to-75",
        nino="",
        no_nino_reason="Never had one",
        nationalities=[],
        nationality_reason="Stateless",
    )

    (line,) = send(secret, record).json()["results"]

    assert line["outcome"] == "accepted", line
    application = Application.objects.get()
    assert application.date_of_birth is None
    assert (application.no_dob_reason, application.age_range) == (
        "Not known",
        "18-to-75",
    )
    assert (application.nino, application.no_nino_reason) == ("", "Never had one")
    assert application.nationality_reason == "Stateless"


def test_an_address_by_lines_and_postcode_is_routed_to_the_council(authority, secret):
    address = address_of(authority)
    record = a_record(
        address,
        address_uprn=None,
        address_line_1="Flat 2,  The Old  Mill",
        address_town="Exampletown",
        address_postcode=address.postcode.lower().replace(" ", ""),
        moved="from-uk",
        previous_address_line_1="1 Old Road",
        previous_address_town="Elsewhere",
        previous_address_postcode="SW1A 1AA",
    )

    (line,) = send(secret, record).json()["results"]

    assert line["outcome"] == "accepted", line
    application = Application.objects.get()
    assert application.authority_id == authority.pk
    assert application.address_manual and application.address_uprn is None
    assert application.address_line_1 == "Flat 2, The Old Mill"
    assert application.address_postcode == address.postcode
    assert (application.previous_line_1, application.previous_postcode) == (
        "1 Old Road",
        "SW1A 1AA",
    )


def test_a_retry_with_the_same_council_reference_makes_no_second_application(
    authority, secret
):
    record = a_record(address_of(authority), council_reference="PAPER-7")
    first = send(secret, record).json()["results"][0]

    again = send(secret, record).json()

    assert again["already_received"] == 1 and again["accepted"] == 0
    assert again["results"][0]["outcome"] == "already_received"
    assert again["results"][0]["reference"] == first["reference"]
    assert Application.objects.count() == 1
    assert ApplicationEvent.objects.count() == 1


def test_a_retry_with_the_same_idempotency_key_makes_no_second_application(
    authority, secret
):
    address = address_of(authority)
    records = [a_record(address, first_name="Eve"), a_record(address, first_name="Fay")]
    first = send(secret, *records, key="day-42").json()["results"]

    again = send(secret, *records, key="day-42").json()["results"]

    assert [line["outcome"] for line in again] == ["already_received"] * 2
    assert [line["reference"] for line in again] == [one["reference"] for one in first]
    assert Application.objects.count() == 2
    other_key = send(secret, *records, key="day-43").json()
    assert other_key["accepted"] == 2


def test_without_a_key_or_council_reference_each_send_is_a_new_application(
    authority, secret
):
    record = a_record(address_of(authority))
    send(secret, record)
    send(secret, record)

    assert Application.objects.count() == 2
    assert Application.objects.filter(possible_duplicate=True).count() == 1


def test_two_lines_of_one_batch_for_the_same_person_flag_each_other(authority, secret):
    record = a_record(address_of(authority))

    send(secret, record, record)

    flagged = Application.objects.filter(possible_duplicate=True)
    assert flagged.count() == 2


def test_an_address_in_another_council_is_refused(authority, other_authority, secret):
    elsewhere = address_of(other_authority)
    by_uprn = a_record(elsewhere)
    by_postcode = a_record(
        elsewhere,
        address_uprn=None,
        address_line_1="1 Any Street",
        address_town="Anytown",
        address_postcode=elsewhere.postcode,
    )

    results = send(secret, by_uprn, by_postcode).json()["results"]

    assert [line["outcome"] for line in results] == ["refused", "refused"]
    assert results[0]["errors"] == [
        {
            "field": "address_uprn",
            "message": "This address is not in your council's area",
            "code": "outside_area",
        }
    ]
    assert results[1]["errors"][0]["field"] == "address_postcode"
    assert results[1]["errors"][0]["code"] == "outside_area"
    assert not Application.objects.exists()


def test_a_council_cannot_submit_for_another_nor_see_what_another_sent(
    authority, other_authority, secret
):
    theirs = create_token(other_authority)
    record = a_record(address_of(other_authority), council_reference="SAME-1")
    mine = a_record(address_of(authority), council_reference="SAME-1")

    assert send(secret, record).json()["refused"] == 1
    accepted = send(theirs, record).json()["results"][0]
    ours = send(secret, mine).json()["results"][0]

    # The same council reference at two councils is two applications.
    assert ours["outcome"] == "accepted"
    assert ours["reference"] != accepted["reference"]
    listed = Client().get(URL + "?state=all", **bearer(secret)).json()["items"]
    assert accepted["reference"] not in [i["reference"] for i in listed]
    assert (
        Client().get(URL + "/" + accepted["reference"], **bearer(secret)).status_code
        == 404
    )


def test_a_malformed_request_is_refused_whole_with_a_problem(authority, secret):
    record = a_record(address_of(authority))
    wrong_type = dict(record, first_name=7)

    answer = send(secret, record, wrong_type)

    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    locations = [e["location"] for e in answer.json()["errors"]]
    assert ["body", "payload", "applications", "1", "first_name"] in locations
    assert not Application.objects.exists()
    too_many = send(secret, *[record] * 501)
    assert too_many.status_code == 422
    assert send(secret).status_code == 422


def test_the_sandbox_answers_every_outcome_without_touching_data(db):
    record = a_record(Address(uprn=1), council_reference="SANDBOX-REFUSED")
    results = send(
        "ier_sandbox_valid",
        record,
        dict(record, council_reference="SANDBOX-AGAIN"),
        dict(record, council_reference="X"),
    ).json()["results"]

    assert [line["outcome"] for line in results] == [
        "refused",
        "already_received",
        "accepted",
    ]
    assert not Application.objects.exists()


def test_a_keyed_application_counts_for_the_council_like_an_online_one(
    authority, secret
):
    send(secret, a_record(address_of(authority)))

    assert handover.counts(authority)["by_status"].get(Status.SUBMITTED) == 1
    assert date.today()  # the council's day is today's


def test_each_line_of_a_batch_is_checked_as_if_sent_alone(authority, secret):
    """The lines of a batch share the journey's forms: nothing one line sends or
    gets wrong may show in another's answer."""
    address = address_of(authority)
    lines = [
        a_record(address, nino="", no_nino_reason="Lost it", first_name="Ann"),
        a_record(address, first_name="B0b", nino="AB123456C"),
        a_record(address, first_name="Cat", date_of_birth=None),
        a_record(
            address,
            first_name="Dai",
            date_of_birth=None,
            no_date_of_birth_reason="Unknown",
            age_range="76-or-over",
        ),
        a_record(address, first_name="Eve", nationalities=["FR", "DE"]),
        a_record(address, first_name="Fay", email="fay@example.com"),
    ]
    alone = [send(secret, line).json()["results"][0] for line in lines]
    Application.objects.all().delete()

    together = send(secret, *lines).json()["results"]

    for one, batched in zip(alone, together, strict=True):
        assert batched["outcome"] == one["outcome"]
        assert batched["errors"] == one["errors"]
    made = {a.first_name: a for a in Application.objects.all()}
    assert sorted(made) == ["Ann", "Dai", "Eve", "Fay"]
    assert made["Ann"].no_nino_reason == "Lost it" and made["Ann"].nino == ""
    assert made["Dai"].age_range == "76-or-over" and made["Dai"].date_of_birth is None
    assert made["Eve"].nationalities == ["FR", "DE"]
    assert made["Fay"].email == "fay@example.com"
    assert made["Eve"].email == "" and made["Eve"].no_nino_reason == ""


def test_a_batch_larger_than_the_limit_is_refused_whole(authority, secret, settings):
    settings.EMS_SUBMISSION_MAX_BYTES = 2000
    record = a_record(address_of(authority))

    answer = send(secret, *[record] * 10)

    assert answer.status_code == 413
    assert answer.json()["code"] == "too_large"
    assert not Application.objects.exists()


def test_each_send_is_audited_without_personal_data(authority, secret):
    from ier.ero.models import AuditEntry

    record = a_record(address_of(authority), first_name="Uniquename")
    results = send(secret, record, dict(record, nino="bad")).json()["results"]

    entry = AuditEntry.objects.for_authority(authority).get(action="api.submit")
    assert entry.detail == {"accepted": [results[0]["reference"]], "refused": 1}
    assert entry.actor.startswith("ems:")
    assert "Uniquename" not in str(entry.detail)


def test_a_person_already_on_the_register_is_flagged_as_online(authority, secret):
    from ier.registration.models import RegisterEntry
    from ier.registration.register import register_match_key

    address = address_of(authority)
    entry = RegisterEntry.objects.create(
        authority=authority,
        elector_number="E1-1",
        first_name="Ann",
        last_name="Example",
        date_of_birth=date(1980, 1, 2),
        postcode=address.postcode,
        match_key=register_match_key(
            "Ann", "Example", date(1980, 1, 2), address.postcode
        ),
    )

    send(secret, a_record(address), a_record(address, first_name="Other"))

    flagged = Application.objects.get(first_name="Ann")
    assert flagged.possible_duplicate
    check = DuplicateCheck.objects.get(application=flagged)
    assert check.on_register and check.register_entry_id == entry.pk
    assert not Application.objects.get(first_name="Other").possible_duplicate
    event = ApplicationEvent.objects.get(
        application=flagged, event="possible_duplicate"
    )
    assert event.detail == {"on_register": True, "pending_applications": []}
