"""schemathesis over the moved-out notice endpoints, with a token whose council
has notices new and acknowledged: no 5xx, and every answer as the schema says.
Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL (which refuses a NUL in
text: the references a client sends are checked for one)."""

import pytest
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings

from ier.registration import lifecycle, notices
from ier.registration.models import MovedOutNotice, Status
from tests.api.factories import create_token, two_authorities
from tests.api.test_schema import in_test_transaction, schema
from tests.registration.movers import create_home_mover

__all__ = ["in_test_transaction"]

notice_operations = schema.include(path_regex="^/api/v1/notices")


@pytest.fixture
def token(db):
    """A token of a council with three notices, one of them acknowledged."""
    new, old = two_authorities()
    movers = [create_home_mover(new, old) for _ in range(3)]
    lifecycle.move_locked(
        [m.pk for m in movers],
        Status.DOWNLOADED,
        Status.ACCEPTED,
        "ems:test",
        timezone.now(),
    )
    first = MovedOutNotice.objects.filter(authority=old).order_by("pk").first()
    notices.acknowledge(old, [first.reference], "ems:test")
    return create_token(old)


NOTICE_SCHEMAS = (
    "NoticePage",
    "NoticeOut",
    "NoticeName",
    "OldAddress",
    "NewCouncil",
    "NoticeAcknowledgementIn",
    "NoticeAcknowledgementOut",
)


def test_the_schema_documents_every_notice_operation_and_field(client, db):
    document = client.get("/api/v1/openapi.json").json()
    assert document["paths"]["/api/v1/notices"]["get"]["summary"]
    assert document["paths"]["/api/v1/notices/{reference}"]["get"]["summary"]
    assert document["paths"]["/api/v1/notices/acknowledgements"]["post"]["summary"]
    components = document["components"]["schemas"]
    undocumented = [
        "%s.%s" % (name, field)
        for name in NOTICE_SCHEMAS
        for field, spec in components[name]["properties"].items()
        if not spec.get("description")
    ]
    assert undocumented == []
    parameters = document["paths"]["/api/v1/notices"]["get"]["parameters"]
    assert all(p.get("description") for p in parameters)


@notice_operations.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@override_settings(EMS_API_REQUESTS_PER_MINUTE=100_000)
def test_notice_endpoints_conform_to_their_schema(case, token, in_test_transaction):
    case.call_and_validate(headers={"Authorization": "Bearer %s" % token})
