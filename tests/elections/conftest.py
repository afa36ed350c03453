import pytest

from ier.elections.upcoming import forget_lookups


@pytest.fixture(autouse=True)
def _fresh_election_lookups():
    """Each test sees the elections it made, not a copy another test left."""
    forget_lookups()
    yield
    forget_lookups()


@pytest.fixture
def authority(db):
    from tests.api.factories import two_authorities

    return two_authorities()[0]
