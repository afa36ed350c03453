"""The public elections API over its OpenAPI document: whatever a client sends it
answers without a 5xx and as the document says, and a real postcode with a ward
by-election and a constituency by-election is answered in the documented shape."""

import pytest
import schemathesis
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings

from ier.config.wsgi import application as wsgi_app
from ier.elections.upcoming import forget_lookups
from ier.geography.models import PostcodeDivision
from tests.citizen.helpers import an_address
from tests.elections.factories import create_election, weeks_ahead

with override_settings(RATE_COUNTS="cache"):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app).include(
        path_regex="^/api/v1/elections"
    )


@pytest.fixture
def home(db):
    address = an_address("England")
    divisions = PostcodeDivision.objects.get(postcode=address.postcode)
    create_election([address.authority], weeks_ahead(6))
    create_election(
        [address.authority],
        weeks_ahead(4),
        election_id="local.test.ward.2027-01-07",
        division="Rose Hill",
        division_gss=divisions.ward_gss,
    )
    create_election(
        [address.authority],
        weeks_ahead(5),
        election_type="parl",
        election_id="parl.test.2027-01-14",
        division="Hartlepool North",
        division_gss=divisions.constituency_gss,
    )
    forget_lookups()
    return address


@pytest.fixture
def in_test_transaction():
    request_started.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@override_settings(ELECTIONS_API_REQUESTS_PER_MINUTE=100_000)
def test_elections_api_conforms_to_its_schema(case, home, in_test_transaction):
    case.call_and_validate()


@override_settings(ELECTIONS_API_REQUESTS_PER_MINUTE=100_000)
@pytest.mark.parametrize("path", ["/api/v1/elections", "/api/v1/elections.ics"])
def test_a_postcode_with_by_elections_is_answered_as_documented(
    home, in_test_transaction, path
):
    case = schema[path]["GET"].Case(query={"postcode": home.postcode.lower()})
    response = case.call_and_validate()
    assert response.status_code == 200
    if path.endswith(".ics"):
        unfolded = response.content.replace(b"\r\n ", b"")  # RFC 5545 folding
        assert b"Rose Hill" in unfolded
        assert b"UK Parliament by-election in Hartlepool North" in unfolded
    else:
        assert len(response.json()["elections"]) == 3
