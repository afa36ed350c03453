"""Production: every secret and the database come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from ier.config.settings.base import *  # noqa: F403
from ier.config.settings.base import database_from_url, env, env_bool, required_env

IER_MODE = "production"
SECRET_KEY = required_env("IER_SECRET_KEY")
JOURNEY_COOKIE_KEYS = required_env("IER_COOKIE_KEYS").split(",")
FIELD_ENCRYPTION_KEYS = required_env("IER_FIELD_KEYS").split(",")
LOOKUP_HASH_KEY = required_env("IER_LOOKUP_HASH_KEY")
DATABASES = {"default": database_from_url(required_env("DATABASE_URL"))}
# The identity stand-in's own database, used only by `ier identity-service`.
DATABASES["identity"] = database_from_url(
    env("IER_IDENTITY_DATABASE_URL") or required_env("DATABASE_URL")
)
IDENTITY_SERVICE_TOKEN = required_env("IER_IDENTITY_SERVICE_TOKEN")

SECURE_SSL_REDIRECT = env_bool("IER_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
COOKIE_SECURE = True

# Security and privacy (issue 10; see docs/security.md).
# Production runs behind a load balancer: one trusted X-Forwarded-For hop by default.
TRUSTED_PROXY_COUNT = int(env("IER_TRUSTED_PROXY_COUNT", "1") or 0)
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# Sign-in, limits, uploads and email (issue 16; see docs/security.md).
# Emails must be sent: a backend that prints them into the logs (links included) or
# drops them starts only when asked to.
UNSENDING_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "ier.registration.notify.LogOnlyEmailBackend",
}
EMAIL_UNSENT_ALLOWED = env_bool("IER_EMAIL_UNSENT_ALLOWED")
if EMAIL_BACKEND in UNSENDING_EMAIL_BACKENDS and not EMAIL_UNSENT_ALLOWED:  # noqa: F405
    raise ImproperlyConfigured(
        "IER_EMAIL_BACKEND must send emails in production (%s does not); set "
        "IER_EMAIL_UNSENT_ALLOWED=true to start without." % EMAIL_BACKEND  # noqa: F405
    )
