"""Running the WSGI application under gunicorn from the `ier` command."""

import multiprocessing
from typing import Any

from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):
    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if value is not None and key in self.cfg.settings:
                self.cfg.set(key, value)

    def load(self):
        from ier.config.wsgi import application

        return application


def default_workers() -> int:
    # Sync workers: a page costs CPU, not waiting, so one worker per core plus one.
    return multiprocessing.cpu_count() + 1


def serve(bind: str, workers: int | None = None, **extra: Any) -> None:
    options = {
        "bind": bind,
        "workers": workers or default_workers(),
        "worker_class": "sync",
        "timeout": 30,
        "graceful_timeout": 20,
        "keepalive": 5,
        "max_requests": 20000,
        "max_requests_jitter": 2000,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "preload_app": True,
        **extra,
    }
    GunicornServer(options).run()
