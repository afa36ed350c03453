"""The identity service's HTTP JSON API, as a plain WSGI application.

It is a separate process with nothing of the citizen-facing site in it: no
sessions, templates or cookies, only three endpoints (see docs/identity-service.md).
Faults can be switched on to make it slow, flaky or down, for resilience tests."""

import hmac
import json
import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, close_old_connections

from ier.identity.lookup import InvalidRequest, answer_batch, claim_from

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_BATCH = 1000
JSON_HEADERS = [("Content-Type", "application/json"), ("Cache-Control", "no-store")]
REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass
class Faults:
    """Misbehaviour on purpose: a delay before every answer, a share of requests
    answered 503 at random, or every request answered 503."""

    delay_ms: int = 0
    failure_rate: float = 0.0
    unavailable: bool = False


class Problem(Exception):
    def __init__(self, status: int, code: str):
        super().__init__(code)
        self.status = status
        self.code = code


class IdentityService:
    def __init__(
        self,
        token: str,
        faults: Faults | None = None,
        seed: int | None = None,
        manage_connections: bool = True,
    ):
        if not token:
            raise ValueError("the identity service needs a bearer token")
        self.token = token.encode()
        self.faults = faults or Faults()
        # As Django does per request in its own handler; off when called in-process
        # by tests, whose connection is inside a transaction.
        self.manage_connections = manage_connections
        self.random = random.Random(seed)  # noqa: S311 - fault injection  # nosec B311
        self.routes: dict[tuple[str, str], Callable[[dict], Any]] = {
            ("GET", "/v1/health"): self.health,
            ("POST", "/v1/match"): self.match_one,
            ("POST", "/v1/match/batch"): self.match_batch,
        }

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if self.manage_connections:
            close_old_connections()
        try:
            status, body = 200, self.dispatch(environ)
        except Problem as problem:
            status, body = problem.status, {"error": problem.code}
        except DatabaseError:
            logger.exception("identity service: database error")
            status, body = 500, {"error": "internal_error"}
        payload = json.dumps(body, separators=(",", ":")).encode()
        headers = [*JSON_HEADERS, ("Content-Length", str(len(payload)))]
        if status == 503:
            headers.append(("Retry-After", "1"))
        start_response("%d %s" % (status, REASONS[status]), headers)
        return [payload]

    def dispatch(self, environ: dict) -> Any:
        self.misbehave()
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        handler = self.routes.get((method, path))
        if handler is None:
            known = any(route_path == path for _method, route_path in self.routes)
            raise Problem(
                405 if known else 404, "method_not_allowed" if known else "not_found"
            )
        if path != "/v1/health":
            self.authorise(environ)
        return handler(environ)

    def misbehave(self) -> None:
        if self.faults.delay_ms:
            time.sleep(self.faults.delay_ms / 1000)
        if self.faults.unavailable or (
            self.faults.failure_rate and self.random.random() < self.faults.failure_rate
        ):
            raise Problem(503, "unavailable")

    def authorise(self, environ: dict) -> None:
        header = environ.get("HTTP_AUTHORIZATION", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), self.token
        ):
            raise Problem(401, "unauthorised")

    def read_json(self, environ: dict) -> Any:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError as error:
            raise Problem(400, "invalid_json") from error
        if length > MAX_BODY_BYTES:
            raise Problem(413, "too_large")
        try:
            return json.loads(environ["wsgi.input"].read(length) or b"null")
        except ValueError as error:
            raise Problem(400, "invalid_json") from error

    def health(self, environ: dict) -> dict:
        return {"status": "ok"}

    def match_one(self, environ: dict) -> dict:
        item = self.read_json(environ)
        try:
            claim_from(item)
        except InvalidRequest as error:
            raise Problem(400, "invalid_request") from error
        return answer_batch([item])[0]

    def match_batch(self, environ: dict) -> dict:
        body = self.read_json(environ)
        items = body.get("requests") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise Problem(400, "invalid_request")
        if len(items) > MAX_BATCH:
            raise Problem(413, "too_many_requests_in_batch")
        results = answer_batch(items)
        logger.info("identity batch answered", extra={"size": len(results)})
        return {"results": results}
