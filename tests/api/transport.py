"""An httpx transport that sends requests through Django's test client, so the
reference client can be exercised in-process against the test database."""

import httpx
from django.test import Client


class DjangoTransport(httpx.BaseTransport):
    def __init__(self) -> None:
        self.django = Client()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower() not in ("host", "content-length")
        }
        path = request.url.raw_path.decode()
        response = self.django.generic(
            request.method,
            path,
            data=request.read(),
            content_type=request.headers.get("content-type", ""),
            headers=headers,
        )
        return httpx.Response(
            response.status_code,
            headers=dict(response.items()),
            content=response.content,
            request=request,
        )


class LosesResponses(DjangoTransport):
    """Delivers every request, but the responses at the given positions (counting
    from 1) never arrive: the client times out although the server did the work."""

    def __init__(self, positions: set[int]) -> None:
        super().__init__()
        self.positions = positions
        self.sent = 0
        self.lost: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.sent += 1
        if self.sent in self.positions:
            self.lost.append(request.method)
            raise httpx.ReadTimeout("response lost", request=request)
        return response
