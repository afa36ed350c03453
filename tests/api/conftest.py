import pytest
from django.core.cache import cache

from tests.api.factories import create_token, two_authorities


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def authorities(db):
    return two_authorities()


@pytest.fixture
def authority(authorities):
    return authorities[0]


@pytest.fixture
def other_authority(authorities):
    return authorities[1]


@pytest.fixture
def secret(authority):
    return create_token(authority)
