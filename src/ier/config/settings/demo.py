"""Demo mode: runs on one machine with SQLite under var/ and keys it makes itself.

Keys are generated on first start and kept in var/demo-keys.json, so they are never
in the source tree and a restart does not invalidate the citizen's cookie."""

import json
import secrets

from cryptography.fernet import Fernet

from ier.config.settings.base import *  # noqa: F403
from ier.config.settings.base import VAR_DIR, env

IER_MODE = "demo"


def _demo_keys() -> dict:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "demo-keys.json"
    if path.exists():
        return json.loads(path.read_text())
    keys = {
        "secret_key": secrets.token_urlsafe(50),
        "cookie_key": Fernet.generate_key().decode(),
        "field_key": Fernet.generate_key().decode(),
        "lookup_hash_key": secrets.token_hex(32),
        "identity_token": secrets.token_urlsafe(32),
    }
    path.write_text(json.dumps(keys))
    path.chmod(0o600)
    return keys


_KEYS = _demo_keys()
SECRET_KEY = env("IER_SECRET_KEY") or _KEYS["secret_key"]
JOURNEY_COOKIE_KEYS = [_KEYS["cookie_key"]]
FIELD_ENCRYPTION_KEYS = [_KEYS["field_key"]]
LOOKUP_HASH_KEY = _KEYS["lookup_hash_key"]
IDENTITY_SERVICE_TOKEN = env("IER_IDENTITY_SERVICE_TOKEN") or _KEYS["identity_token"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
COOKIE_SECURE = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Emails are written to files under var/mail, one per email, rather than to the
# logs: they hold links that work as keys.
EMAIL_BACKEND = env(
    "IER_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
