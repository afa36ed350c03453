"""Serving the identity service under gunicorn, as its own process."""

from typing import Any
from urllib.parse import urlsplit

from ier.core.server import GunicornServer


class IdentityServer(GunicornServer):
    def __init__(self, options: dict[str, Any], application):
        self.application = application
        super().__init__(options)

    def load(self):
        return self.application


def bind_from_url(url: str) -> str:
    """ "http://127.0.0.1:8001" -> "127.0.0.1:8001"."""
    parts = urlsplit(url)
    return "%s:%d" % (parts.hostname or "127.0.0.1", parts.port or 80)


def serve_identity(application, bind: str, workers: int) -> None:
    IdentityServer(
        {
            "bind": bind,
            "workers": workers,
            "worker_class": "sync",
            "timeout": 30,
            "graceful_timeout": 5,
            "keepalive": 30,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "preload_app": True,
        },
        application,
    ).run()
