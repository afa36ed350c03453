import pytest
from django.test import Client

from tests.browser.fixtures import (  # noqa: F401 - one browser for every test module
    browser,
    page,
    page_without_js,
    service,
)
from tests.pagecheck import check_page


class CheckedClient(Client):
    """Django's test client, checking every HTML page it receives (opt out per call
    with check=False)."""

    def request(self, **request):
        check = request.pop("check", True)
        response = super().request(**request)
        if (
            check
            and response.status_code not in (301, 302, 303, 500)
            and "text/html" in response.get("Content-Type", "")
        ):
            check_page(response)
        return response


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached figures live in the cache: start each test
    with none, as a test on its own would."""
    from django.core.cache import cache

    from ier.citizen.addressing import _listed_address, _postcode_known
    from ier.citizen.validity import VALIDITY

    cache.clear()
    _listed_address.cache_clear()
    _postcode_known.cache_clear()
    VALIDITY.clear()
    yield


@pytest.fixture
def client():
    return CheckedClient()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the councils and a small synthetic country."""
    from ier.geography.importers import (
        default_authorities_file,
        default_scotland_file,
        import_authorities,
    )
    from ier.geography.seeding import seed_country

    with django_db_blocker.unblock():
        import_authorities(default_authorities_file(), default_scotland_file())
        seed_country(seed=7, postcodes_per_authority=2)
