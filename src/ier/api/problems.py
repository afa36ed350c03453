"""Errors as problem details (RFC 9457): one JSON shape for every mistake a client
can make, so an EMS can act on `status` and `code` without parsing prose."""

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypeVar, cast

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import BaseModel

from ier.registration import handover

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"

E = TypeVar("E", bound=Exception)


class Problem(Exception):
    """Raised by endpoint code to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(
    request: HttpRequest,
    status: int,
    code: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.path,
        **extra,
    }
    response = JsonResponse(body, status=status, content_type=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _problem(request, exc: Problem) -> HttpResponse:
    return problem_response(
        request, exc.status, exc.code, exc.detail, exc.headers, **exc.extra
    )


#: The hand-over's errors as HTTP: status and code for each.
HANDOVER_PROBLEMS: dict[type[handover.HandoverError], tuple[int, str]] = {
    handover.UnknownCursor: (400, "invalid_cursor"),
    handover.ApplicationNotFound: (404, "not_found"),
    handover.OutcomeNotAllowed: (409, "conflict"),
    handover.DateOutOfRange: (422, "invalid_date"),
}


def _handover(request, exc: handover.HandoverError) -> HttpResponse:
    status, code = HANDOVER_PROBLEMS[type(exc)]
    extra: dict[str, Any] = {}
    if isinstance(exc, handover.OutcomeNotAllowed):
        extra["current_status"] = exc.current_status
    if isinstance(exc, handover.DateOutOfRange):
        message = "must be between %s and %s" % (exc.earliest, exc.latest)
        extra["errors"] = [{"location": ["body", "date"], "message": message}]
    return problem_response(request, status, code, str(exc), **extra)


def _validation(request, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "location": [str(part) for part in error.get("loc", ())],
            "message": str(error.get("msg", "")),
        }
        for error in exc.errors
    ]
    return problem_response(
        request,
        422,
        "invalid_request",
        "The request has values this API cannot accept.",
        errors=errors,
    )


def _authentication(request, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request,
        401,
        "unauthorised",
        "Send a valid, unexpired token as 'Authorization: Bearer <token>'.",
        headers={"WWW-Authenticate": 'Bearer realm="ems"'},
    )


def _http_error(request, exc: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        404: "not_found",
        405: "method_not_allowed",
        413: "too_large",
        429: "rate_limited",
    }
    return problem_response(
        request, exc.status_code, codes.get(exc.status_code, "error"), str(exc)
    )


def _not_found(request, exc: Http404) -> HttpResponse:
    return problem_response(request, 404, "not_found", "There is nothing here.")


def _too_big(request, exc: Exception) -> HttpResponse:
    return problem_response(request, 413, "too_large", "The request body is too large.")


def _unexpected(request, exc: Exception) -> HttpResponse:
    logger.exception("unexpected API error")
    return problem_response(
        request,
        500,
        "internal_error",
        "Something went wrong on our side. Try again later.",
    )


def _handle(
    api: NinjaAPI,
    exc_class: type[E],
    handler: Callable[[HttpRequest, E], HttpResponse],
) -> None:
    # django-ninja declares a handler's second argument as "the exception or its
    # class", yet only ever passes the exception it caught.
    api.add_exception_handler(exc_class, cast(Any, handler))


def install(api: NinjaAPI) -> None:
    _handle(api, Exception, _unexpected)
    _handle(api, Problem, _problem)
    _handle(api, handover.HandoverError, _handover)
    _handle(api, ValidationError, _validation)
    _handle(api, AuthenticationError, _authentication)
    _handle(api, HttpError, _http_error)
    _handle(api, Http404, _not_found)
    _handle(api, RequestDataTooBig, _too_big)


def refuse_unknown_parameters(request: HttpRequest, filters: type[BaseModel]) -> None:
    """A list's query names none but its `filters` schema's fields: a misspelt
    filter would otherwise be ignored and return everything."""
    unknown = sorted(set(request.GET) - set(filters.model_fields))
    if unknown:
        raise Problem(
            422,
            "unknown_parameter",
            "This list has no such filter.",
            errors=[
                {"location": ["query", name], "message": "unknown parameter"}
                for name in unknown
            ],
        )
