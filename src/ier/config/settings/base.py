"""Settings shared by every mode. Values that differ per deployment come from the
environment; see `.env.example` for the full list."""

import os
from pathlib import Path
from typing import Any, overload

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = Path(os.environ.get("IER_PROJECT_DIR", PACKAGE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("IER_VAR_DIR", PROJECT_DIR / "var"))


@overload
def env(name: str) -> str | None: ...
@overload
def env(name: str, default: str) -> str: ...
def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """A whole number from the environment; `default` when unset or blank."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(
            "The environment variable %s must be set outside demo mode." % name
        )
    return value


# Apps, middleware, URLs and templates.
DEBUG = False
ALLOWED_HOSTS = [h for h in (env("IER_ALLOWED_HOSTS", "") or "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_otp",
    "django_tasks",
    "django_tasks_db",
    "ier.core",
    "ier.geography",
    "ier.registration",
    "ier.elections",
    "ier.citizen",
    "ier.verification",
    "ier.identity",
    "ier.ero",
    "ier.api",
    "ier.confirmation",
    "ier.performance",
    "ier.ops",
    "axes",
]

MIDDLEWARE = [
    "ier.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ier.core.middleware.ContentSecurityPolicyMiddleware",
    "ier.core.middleware.SecurityHeadersMiddleware",
    # Admission control: the busy page before any work (see "Capacity" below).
    "ier.core.admission.AdmissionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ier.core.middleware.PathLanguageMiddleware",
    "ier.core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Django's, with the storage made only for a request that uses it.
    "ier.core.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ier.core.middleware.HoneypotMiddleware",
    "ier.core.middleware.RateLimitMiddleware",
]

ROOT_URLCONF = "ier.config.urls"
WSGI_APPLICATION = "ier.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "ier.config.jinja2.environment",
            "context_processors": [
                "ier.core.context_processors.service",
            ],
        },
    },
    {
        # Django's admin still renders with the Django template language.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
SERVICE_NAME = _("Register to vote")


# Databases: the service's own, and the stand-in identity service's
# (docs/identity-service.md).
def database_from_url(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    )
    if config["ENGINE"].endswith("sqlite3"):
        # WAL lets the worker read while the web tier writes.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        # Kept open: opening the file and setting the pragmas each request costs
        # more than the request.
        config["CONN_MAX_AGE"] = 600
    elif IER_DB_PREPARED_STATEMENTS:
        # Only the statements that ask for it are prepared (`ier.core.inserts`:
        # those every submission sends); Django's own queries never are.
        config["OPTIONS"] = {"prepare_threshold": PREPARE_ONLY_WHEN_ASKED}
    return config


#: Prepared statements on PostgreSQL for the statements every submission sends
#: (`ier.core.inserts`). Turn off behind a connection pooler that cannot keep them
#: (PgBouncer before 1.21, or with `max_prepared_statements = 0`).
IER_DB_PREPARED_STATEMENTS = env_bool("IER_DB_PREPARED_STATEMENTS", True)
#: psycopg prepares a statement after this many runs unless asked to at once;
#: never reached, so only statements that ask are prepared.
PREPARE_ONLY_WHEN_ASKED = 2**62


DATABASES = {
    "default": database_from_url(
        env("DATABASE_URL") or "sqlite:///%s" % (VAR_DIR / "ier.sqlite3")
    ),
    "identity": database_from_url(
        env("IER_IDENTITY_DATABASE_URL")
        or "sqlite:///%s" % (VAR_DIR / "identity.sqlite3")
    ),
}
DATABASE_ROUTERS = ["ier.identity.routers.IdentityRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Language and time.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True


# Static files.
STATIC_URL = "/assets/"
STATIC_ROOT = VAR_DIR / "static"
GOVUK_FRONTEND_DIR = PROJECT_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
# The compiled CSS asks for /assets/fonts and /assets/images, so those sit at the root.
STATICFILES_DIRS = [
    GOVUK_FRONTEND_DIR / "assets",
    ("govuk", GOVUK_FRONTEND_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 3600


# Security headers and cookies (docs/security.md).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "ier.core.views.csrf_failure"
COOKIE_SECURE = True
# Portal and admin sessions end with the browser, and 8 hours after the last request
# that changed the session; the portal's own idle limit (ERO_IDLE_SECONDS) is shorter.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": (
            "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
        )
    },
]

# /.well-known/security.txt (RFC 9116): where to report a vulnerability, and until when
# that file may be trusted. Deployments set both; the expiry must be under a year away.
SECURITY_CONTACT = env("IER_SECURITY_CONTACT") or "mailto:security@example.invalid"
SECURITY_TXT_EXPIRES = env("IER_SECURITY_TXT_EXPIRES") or "2027-11-01T00:00:00Z"
SECURITY_POLICY_URL = env("IER_SECURITY_POLICY_URL", "") or ""


# Rate limits and the honeypot.
# Per-address limits (count, window in seconds) by view name or "namespace:*";
# citizen and portal pages count sends only, the API counts every request. The
# application limit is high on purpose: on deadline night whole households, halls of
# residence and mobile networks share one address; it stops a script, not a family.
RATE_LIMITS = {
    "registration:check": (1000, 3600),
    "ero:sign-in": (30, 900),
    "ero:sign-in-code": (30, 900),
    "api:*": (1200, 60),
}
# Load balancers and proxies in front of the web tier, each appending to
# X-Forwarded-For; 0 trusts the header not at all (the demo, tests).
TRUSTED_PROXY_COUNT = env_int("IER_TRUSTED_PROXY_COUNT", 0)
HONEYPOT_FIELD = "website"
HONEYPOT_VIEWS = {"registration:check", "status:lookup"}
# Rate-limit counts: in Redis where it is configured, otherwise in the database, so
# every worker and node shares them (ier.core.ratelimit).
RATE_COUNTS = "cache" if env("IER_REDIS_URL") else "database"

# Sign-in lockout: django-axes counts failures per account in the database, which
# every worker and node shares (ier.ero.lockout). The portal checks the lockout
# itself and says so in its own words, so axes' middleware is not used.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "ier.ero.lockout.username"
AXES_FAILURE_LIMIT = "ier.ero.lockout.failure_limit"
AXES_COOLOFF_TIME = "ier.ero.lockout.cool_off"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the portal's own audit log
AXES_CLIENT_IP_CALLABLE = "ier.core.ratelimit.client_address"
AXES_VERBOSE = False
# Per-address limits on sign-in are the rate limits (RATE_LIMITS), not axes.
SILENCED_SYSTEM_CHECKS = ["axes.W002", "axes.W006"]


# The citizen's journey and status page.
# The answers: an encrypted, expiring cookie (see ier.citizen.session).
JOURNEY_COOKIE_NAME = "ier_answers"
JOURNEY_IDLE_SECONDS = env_int("IER_JOURNEY_IDLE_SECONDS", 1200)
JOURNEY_WARNING_SECONDS = 120
# A page view that changes no answer re-seals the cookie only once its seal is this
# old; the answers expire this much after the idle time since the seal, so never
# sooner than the idle time after the person's last request.
JOURNEY_RESEAL_SECONDS = 60
STATUS_LOOKUPS_PER_WINDOW = env_int("IER_STATUS_LOOKUPS_PER_WINDOW", 10)
STATUS_LOOKUP_WINDOW = 900
# "Am I registered?" holds every answer back to at least this long, so how long it
# took cannot tell a near miss (right name, wrong address) from a stranger.
REGISTER_CHECK_MINIMUM_MS = env_int("IER_REGISTER_CHECK_MINIMUM_MS", 300)


# Emails to applicants (docs/notifications.md).
EMAIL_BACKEND = env("IER_EMAIL_BACKEND", "ier.registration.notify.LogOnlyEmailBackend")
DEFAULT_FROM_EMAIL = env("IER_FROM_EMAIL", "register-to-vote@example.invalid")
# The address of the service as citizens reach it, for links in emails.
SERVICE_URL = env("IER_SERVICE_URL", "http://127.0.0.1:8000") or "http://127.0.0.1:8000"
# GOV.UK Notify, used when EMAIL_BACKEND is ier.registration.notify.NotifyEmailBackend.
NOTIFY_API_KEY = env("IER_NOTIFY_API_KEY", "") or ""
NOTIFY_TEMPLATE_ID = env("IER_NOTIFY_TEMPLATE_ID", "") or ""
NOTIFY_BASE_URL = env("IER_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT_SECONDS = 10.0


# Background tasks.
TASKS: dict[str, Any] = {
    "default": {
        "BACKEND": "django_tasks_db.backend.DatabaseBackend",
        "QUEUES": ["default", "verification"],
    }
}


# Verification, duplicate checks and the identity service (docs/verification.md and
# docs/identity-service.md).
IDENTITY_SERVICE_URL = env("IER_IDENTITY_SERVICE_URL", "http://127.0.0.1:8001")
IDENTITY_SERVICE_TOKEN = env("IER_IDENTITY_SERVICE_TOKEN")
IDENTITY_SERVICE_TIMEOUT = float(env("IER_IDENTITY_SERVICE_TIMEOUT", "5") or 5)
IDENTITY_SERVICE_CONNECT_TIMEOUT = 1.0
IDENTITY_SERVICE_READY_TIMEOUT = 0.5
VERIFICATION_BATCH_SIZE = env_int("IER_VERIFICATION_BATCH_SIZE", 500)
VERIFICATION_ATTEMPTS_PER_BATCH = 3
VERIFICATION_RETRY_BASE_SECONDS = 0.2
VERIFICATION_REQUEUE_BASE_SECONDS = 1.0
VERIFICATION_REQUEUE_MAX_SECONDS = 300
VERIFICATION_BREAKER_FAILURES = 2
VERIFICATION_BREAKER_COOLDOWN_SECONDS = 2.0
VERIFICATION_BREAKER_MAX_COOLDOWN_SECONDS = 60.0
VERIFICATION_STUCK_SECONDS = env_int("IER_VERIFICATION_STUCK_SECONDS", 600)
VERIFICATION_SWEEP_SECONDS = 60
NINO_REUSE_WINDOW_DAYS = env_int("IER_NINO_REUSE_WINDOW_DAYS", 30)
NINO_REUSE_THRESHOLD = env_int("IER_NINO_REUSE_THRESHOLD", 3)
# The worker's second look for duplicates: an earlier application from the same person
# submitted at most this long before (the submissions it catches overlap by less than
# a second; see docs/verification.md).
DUPLICATE_SECOND_LOOK_SECONDS = 3600


# Officers' portal and EMS API (docs/portal.md and docs/ems-api.md).
EMS_API_MAX_BODY_BYTES = 1024 * 1024
# A batch of 500 applications from other channels (docs/ems-api.md).
EMS_SUBMISSION_MAX_BYTES = env_int("IER_EMS_SUBMISSION_MAX_BYTES", 2 * 1024 * 1024)
EMS_REGISTER_MAX_BYTES = env_int("IER_EMS_REGISTER_MAX_BYTES", 512 * 1024 * 1024)
EMS_API_REQUESTS_PER_MINUTE = env_int("IER_EMS_API_REQUESTS_PER_MINUTE", 600)
# The public elections API and iCalendar feed: per client address, every process.
ELECTIONS_API_REQUESTS_PER_MINUTE = env_int("IER_ELECTIONS_API_REQUESTS_PER_MINUTE", 60)
EMS_TOKEN_DAYS = 365
ERO_IDLE_SECONDS = env_int("IER_ERO_IDLE_SECONDS", 900)
ERO_SIGNIN_FAILURES = 5
ERO_LOCKOUT_SECONDS = 900
ERO_INVITATION_DAYS = 7
EVIDENCE_DIR = Path(env("IER_EVIDENCE_DIR") or VAR_DIR / "evidence")
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_FILES = 5
EVIDENCE_LINK_DAYS = 14
# Uploads one evidence link takes, refused ones included, before it stops working.
EVIDENCE_UPLOAD_ATTEMPTS = 10
# The applicant's link to correct their details (issue 20): single use, expiring,
# and the tries it takes (mistakes included) before it stops working.
CORRECTION_LINK_DAYS = 14
CORRECTION_ATTEMPTS = 10
LOGIN_URL = "ero:sign-in"
OTP_TOTP_ISSUER = "Register to vote"


# Capacity, admission control and the performance page (docs/capacity.md).
# Requests in flight on one node (all its gunicorn workers and threads): a new arrival
# is admitted below ADMISSION_NEW_IN_FLIGHT, someone already in a journey below
# ADMISSION_MAX_IN_FLIGHT; others get the busy page. 0 switches a limit off.
ADMISSION_NEW_IN_FLIGHT = env_int("IER_ADMISSION_NEW_IN_FLIGHT", 12)
ADMISSION_MAX_IN_FLIGHT = env_int("IER_ADMISSION_MAX_IN_FLIGHT", 64)
ADMISSION_RETRY_AFTER_SECONDS = env_int("IER_ADMISSION_RETRY_AFTER", 120)
ADMISSION_COOKIE_NAME = "ier_admitted"
ADMISSION_COOKIE_SECONDS = 30 * 60
ADMISSION_COUNTER_PATH = env("IER_ADMISSION_COUNTER_PATH")  # default: one per node
# Files a node keeps while it runs (the admission counter): a directory of the
# service's user alone, made 0700 if missing; a tmpfs such as /run/ier in production.
RUN_DIR = Path(env("IER_RUN_DIR") or VAR_DIR / "run")
ADMISSION_ALWAYS_PATHS = [
    "/assets/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/ero/",
    "/api/",
    "/evidence/",
    "/django-admin/",
]
# /metrics answers only requests bearing this token (unset: /metrics is switched off).
METRICS_TOKEN = env("IER_METRICS_TOKEN", "") or ""
HEALTH_RECORD_SECONDS = 60


# Retention (`ier purge`; docs/security.md, "Retention"), in days. Determined
# applications go this long after the determination; a council's register copy this
# long after its EMS last sent it; feedback comments (not ratings) this long after
# they were written; finished background task records this long after they ran.
RETENTION_DAYS = env_int("IER_RETENTION_DAYS", 90)
REGISTER_RETENTION_DAYS = env_int("IER_REGISTER_RETENTION_DAYS", 90)
FEEDBACK_RETENTION_DAYS = env_int("IER_FEEDBACK_RETENTION_DAYS", 90)
TASK_RESULT_RETENTION_DAYS = env_int("IER_TASK_RESULT_RETENTION_DAYS", 30)
PURGE_CHUNK_SIZE = 500
REGISTER_PURGE_CHUNK_SIZE = 10000
REFERENCE_DATA_DIR = PACKAGE_DIR / "geography" / "data"


# Logging and caches.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ier.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("IER_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # httpx logs every request at INFO: one line per batch and readiness probe.
        "httpx": {"level": "WARNING"},
        # axes logs the account and address of each failure: personal data, kept out.
        "axes": {"level": "ERROR"},
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("IER_REDIS_URL"),
    }
    if env("IER_REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
