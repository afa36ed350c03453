import pytest
from django.core.cache import cache

#: What a production node's environment must hold before its settings load (the
#: values are stand-ins of the right shape).
PRODUCTION_SECRETS = {
    "DJANGO_SETTINGS_MODULE": "ier.config.settings.production",
    "IER_SECRET_KEY": "x" * 50,
    "IER_COOKIE_KEYS": "A" * 43 + "=",
    "IER_FIELD_KEYS": "A" * 43 + "=",
    "IER_LOOKUP_HASH_KEY": "k" * 32,
    "IER_IDENTITY_SERVICE_TOKEN": "t" * 32,
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counts live in the cache where Redis is set (in the database,
    rolled back after each test, otherwise); each test starts from zero."""
    cache.clear()
    yield
    cache.clear()
