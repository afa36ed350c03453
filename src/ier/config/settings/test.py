"""Test settings: SQLite in memory by default, PostgreSQL when DATABASE_URL is set."""

from cryptography.fernet import Fernet

from ier.config.settings.base import *  # noqa: F403
from ier.config.settings.base import database_from_url, env

IER_MODE = "test"
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else"  # noqa: S105
JOURNEY_COOKIE_KEYS = [Fernet.generate_key().decode()]
FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
LOOKUP_HASH_KEY = "test-lookup-hash-key"
IDENTITY_SERVICE_TOKEN = "test-identity-token"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
COOKIE_SECURE = False
DATABASES = {
    "default": database_from_url(env("DATABASE_URL") or "sqlite://:memory:"),
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests that need the padding of "Am I registered?" answers set it themselves.
REGISTER_CHECK_MINIMUM_MS = 0
