"""Who is calling: a token of one authority, or a reserved sandbox token."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from ier.api import sandbox, tokens
from ier.api.models import ApiToken
from ier.api.problems import Problem
from ier.core import ratelimit
from ier.geography.models import Authority

RATE_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Caller:
    """What every endpoint receives as `request.auth`."""

    authority: Authority | None
    token: ApiToken | None
    sandbox: bool = False

    @property
    def actor(self) -> str:
        if self.sandbox or self.token is None:
            return "ems:sandbox"
        return "ems:%s" % self.token.prefix

    @property
    def own_authority(self) -> Authority:
        """The authority a real token belongs to. A sandbox call has none: its
        endpoint answers from the sandbox before it reaches any real data."""
        if self.authority is None:
            raise RuntimeError("a sandbox call reached real data")
        return self.authority


class CallerRequest(HttpRequest):
    """The request an endpoint receives once `TokenAuth` has let the call in."""

    auth: Caller


def _check_body_size(request: HttpRequest, limit: int) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Problem(400, "bad_request", "Content-Length is not a number.") from None
    if length > limit:
        raise Problem(
            413, "too_large", "The request body is larger than %d bytes." % limit
        )


def _check_rate(identity: str) -> None:
    if not ratelimit.hit(
        "ems-api", identity, settings.EMS_API_REQUESTS_PER_MINUTE, RATE_WINDOW_SECONDS
    ):
        raise Problem(
            429,
            "rate_limited",
            "This token has made too many requests. Wait, then try again.",
            headers={"Retry-After": str(RATE_WINDOW_SECONDS)},
        )


def _touch(token: ApiToken) -> None:
    # Written at most once a minute, so a busy client does not write on every call.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        own = ApiToken.objects.for_authority(token.authority)
        own.filter(pk=token.pk).update(last_used_at=now)


class TokenAuth(HttpBearer):
    """Bearer tokens. The setting named by `body_limit_setting` bounds the request
    size, checked before anything is read."""

    def __init__(self, body_limit_setting: str = "EMS_API_MAX_BODY_BYTES") -> None:
        super().__init__()
        self.body_limit_setting = body_limit_setting

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        _check_body_size(request, getattr(settings, self.body_limit_setting))
        reserved = sandbox.token_outcome(token)
        if reserved is not None:
            return self._sandbox_caller(reserved)
        found = tokens.find_usable(token)
        if found is None:
            return None
        _check_rate("token:%s" % found.pk)
        _touch(found)
        return Caller(authority=found.authority, token=found)

    def _sandbox_caller(self, outcome: str) -> Caller | None:
        if outcome == sandbox.EXPIRED:
            return None
        if outcome == sandbox.RATE_LIMITED:
            raise Problem(
                429,
                "rate_limited",
                "This token has made too many requests. Wait, then try again.",
                headers={"Retry-After": str(RATE_WINDOW_SECONDS)},
            )
        _check_rate("sandbox")
        return Caller(authority=None, token=None, sandbox=True)
