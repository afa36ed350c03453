"""Talking to the identity service over HTTP: a bearer token, timeouts, and errors
sorted into "try again later" and "this request is wrong"."""

import logging
import time
from typing import Any

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)


class IdentityServiceError(Exception):
    """The identity service gave no usable answer; `code` says why, for the record."""

    code = "identity_service_error"


class IdentityServiceUnavailable(IdentityServiceError):
    """Down, slow, overloaded or failing: worth trying again later."""

    code = "identity_service_unavailable"


class IdentityServiceRefused(IdentityServiceError):
    """It answered, but refused the request (a wrong token, a malformed batch)."""

    code = "identity_service_refused"


class IdentityClient:
    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        timeout: float | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        self.http = httpx.Client(
            base_url=base_url or settings.IDENTITY_SERVICE_URL,
            headers={
                "Authorization": "Bearer %s"
                % (token or settings.IDENTITY_SERVICE_TOKEN)
            },
            timeout=httpx.Timeout(
                timeout or settings.IDENTITY_SERVICE_TIMEOUT,
                connect=settings.IDENTITY_SERVICE_CONNECT_TIMEOUT,
            ),
            transport=transport,
        )

    def close(self) -> None:
        self.http.close()

    def match_batch(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One answer per request, in the same order."""
        body = self._post("/v1/match/batch", {"requests": requests})
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list) or [r.get("id") for r in results] != [
            r["id"] for r in requests
        ]:
            raise IdentityServiceRefused("the answers do not match the requests")
        return results

    def _post(self, path: str, payload: dict[str, Any]) -> Any:
        try:
            response = self.http.post(path, json=payload)
        except httpx.TransportError as error:
            raise IdentityServiceUnavailable(type(error).__name__) from error
        if response.status_code == 429 or response.status_code >= 500:
            raise IdentityServiceUnavailable("HTTP %d" % response.status_code)
        if response.status_code != 200:
            raise IdentityServiceRefused("HTTP %d" % response.status_code)
        try:
            return response.json()
        except ValueError as error:
            raise IdentityServiceUnavailable("unreadable answer") from error

    def is_reachable(self, timeout: float) -> bool:
        try:
            response = self.http.get("/v1/health", timeout=timeout)
        except httpx.HTTPError:
            return False
        return response.status_code == 200


_reachability: dict[str, tuple[float, bool]] = {}
REACHABILITY_TTL_SECONDS = 5.0


def identity_service_reachable() -> bool:
    """For /readyz: a short health request, remembered for a few seconds so that
    frequent probes neither wait on nor load the identity service."""
    url = settings.IDENTITY_SERVICE_URL
    now = time.monotonic()
    remembered = _reachability.get(url)
    if remembered and now - remembered[0] < REACHABILITY_TTL_SECONDS:
        return remembered[1]
    client = IdentityClient(
        base_url=url, timeout=settings.IDENTITY_SERVICE_READY_TIMEOUT
    )
    try:
        reachable = client.is_reachable(settings.IDENTITY_SERVICE_READY_TIMEOUT)
    finally:
        client.close()
    if not reachable:
        logger.warning("readiness check: identity service unreachable")
    _reachability[url] = (now, reachable)
    return reachable
