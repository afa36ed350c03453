"""Deployment checks for the security settings (`ier check --deploy`, to run before
each release): keys that will not work, a security.txt that has expired or lies too
far ahead, a placeholder contact, a run directory the node cannot use safely."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from ier.core.runfiles import run_directory_problem

PLACEHOLDER_CONTACT = "mailto:security@example.invalid"


def _fernet_key_errors() -> list[Error]:
    errors = []
    for index, key in enumerate(settings.FIELD_ENCRYPTION_KEYS):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            errors.append(
                Error(
                    "Field encryption key number %d is not a Fernet key." % (index + 1),
                    hint="Make one with Fernet.generate_key(); see docs/security.md.",
                    id="ier.security.E001",
                )
            )
    return errors


def _expiry_problems(now: datetime) -> list[Warning]:
    text = str(settings.SECURITY_TXT_EXPIRES)
    try:
        expires = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return [
            Warning("IER_SECURITY_TXT_EXPIRES is not a date.", id="ier.security.W001")
        ]
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if expires <= now:
        return [
            Warning(
                "security.txt expired on %s." % text,
                hint="Set IER_SECURITY_TXT_EXPIRES to a date under a year ahead.",
                id="ier.security.W002",
            )
        ]
    if expires > now + timedelta(days=366):
        return [
            Warning(
                "security.txt expires more than a year ahead (RFC 9116 advises less).",
                id="ier.security.W003",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def security_settings(app_configs=None, **kwargs) -> list[Error | Warning]:
    problems: list[Error | Warning] = []
    problems.extend(_fernet_key_errors())
    problems.extend(_expiry_problems(datetime.now(UTC)))
    run_problem = run_directory_problem(Path(settings.RUN_DIR))
    if run_problem:
        problems.append(
            Error(
                "The run directory cannot be used: %s." % run_problem,
                hint="Set IER_RUN_DIR to a directory of the service's user alone "
                "(mode 0700), e.g. /run/ier; see docs/security.md.",
                id="ier.security.E002",
            )
        )
    if settings.SECURITY_CONTACT == PLACEHOLDER_CONTACT:
        problems.append(
            Warning(
                "IER_SECURITY_CONTACT is the placeholder address.",
                id="ier.security.W004",
            )
        )
    return problems
