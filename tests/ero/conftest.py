import pytest
from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY

from ier.ero.models import AuthenticatorDevice, Role
from tests.api.factories import create_officer, two_authorities


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _evidence_dir(settings, tmp_path):
    settings.EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def authorities(db):
    return two_authorities()


@pytest.fixture
def authority(authorities):
    return authorities[0]


@pytest.fixture
def other_authority(authorities):
    return authorities[1]


def sign_in(client, officer):
    """Signed in with password and a verified authenticator device."""
    client.force_login(officer.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = AuthenticatorDevice.objects.get(
        user=officer.user
    ).persistent_id
    session.save()
    return client


@pytest.fixture
def officer(authority):
    return create_officer(authority)


@pytest.fixture
def manager(authority):
    return create_officer(authority, role=Role.MANAGER)


@pytest.fixture
def officer_client(client, officer):
    return sign_in(client, officer)


@pytest.fixture
def manager_client(client, manager):
    return sign_in(client, manager)
