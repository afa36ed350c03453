"""The EMS API: one NinjaAPI, its routers, its errors and its documentation."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from ier.api import problems
from ier.api.auth import TokenAuth
from ier.api.endpoints import acknowledgements, determinations, register
from ier.api.endpoints import corrections as corrections_api
from ier.api.endpoints import elections as elections_api
from ier.api.endpoints import notices as notices_api
from ier.api.endpoints import submissions as submissions_api

PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
    },
    "additionalProperties": True,
}
# Every operation may answer with these; some add their own (see EXTRA_PROBLEMS).
COMMON_PROBLEMS = [400, 401, 404, 413, 422, 429]
EXTRA_PROBLEMS = {"post": [409], "put": [411, 415]}
DESCRIPTION = """Pull the applications for your authority, acknowledge them, report
determinations and keep your register entries up to date. Read the supplier guide
(docs/ems-api.md) for authentication, pagination, acknowledgement semantics, errors,
rate limits and the sandbox."""


class ServerRenderedDocs(DocsBase):
    """A GOV.UK page made from the OpenAPI document, with no script, so it obeys the
    service's content security policy and works without JavaScript."""

    def render_page(
        self, request: HttpRequest, api: NinjaAPI, **kwargs: Any
    ) -> HttpResponse:
        schema = api.get_openapi_schema()
        operations = [
            {
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "responses": sorted(str(code) for code in op.get("responses", {})),
            }
            for path, methods in schema["paths"].items()
            for method, op in methods.items()
        ]
        return render(
            request,
            "api/docs.html",
            {
                "operations": operations,
                "openapi_url": self.get_openapi_url(api, kwargs),
                "title": api.title,
            },
        )


class EmsApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema["components"].setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                _add_problem_responses(method, operation)
        return schema


def _add_problem_responses(method: str, operation: dict) -> None:
    content = {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    for status in COMMON_PROBLEMS + EXTRA_PROBLEMS.get(method, []):
        operation["responses"][status] = {"description": "Problem", "content": content}


api = EmsApi(
    title="Register to vote: EMS API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    docs=ServerRenderedDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
# With POST /applications (applications from paper, phone and in person) on it.
api.add_router("", submissions_api.router)
api.add_router("", acknowledgements.router)
api.add_router("", determinations.router)
api.add_router("", register.router)
# Public and token-free (issue 21): elections and deadlines at a postcode.
api.add_router("", elections_api.router)
# Moved-out notices for the council a home mover left (issue 20).
api.add_router("", notices_api.router)
# Corrections by the council's EMS (issue 20).
api.add_router("", corrections_api.router)
