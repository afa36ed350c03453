"""Running the WSGI application under gunicorn from the `ier` command."""

import multiprocessing
import os
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
    # A page costs CPU, not waiting: one process per core does the work.
    return int(os.environ.get("IER_GUNICORN_WORKERS", multiprocessing.cpu_count()))


def pinning_workers() -> bool:
    return os.environ.get("IER_GUNICORN_PIN_WORKERS", "1") != "0"


def choose_cpu(server: Any, worker: Any) -> None:
    """gunicorn's pre_fork hook (in the master): give the new worker the core that
    the node's live workers use least. A worker's threads then hand each request to
    one another on one core, which costs measurably less CPU than when they move
    between cores (docs/performance.md); and a worker started in place of one that
    died or retired takes the core it left."""
    if not pinning_workers():
        return
    cores = sorted(os.sched_getaffinity(0))
    taken = [getattr(live, "cpu", None) for live in server.WORKERS.values()]
    worker.cpu = min(cores, key=lambda core: (taken.count(core), core))


def pin_to_cpu(server: Any, worker: Any) -> None:
    """gunicorn's post_fork hook (in the worker, before its threads start)."""
    core = getattr(worker, "cpu", None)
    if core is not None:
        os.sched_setaffinity(0, {core})


def serve(bind: str, workers: int | None = None, **extra: Any) -> None:
    """The same model as deploy/gunicorn.conf.py: threaded workers, so a node can
    hold more requests than it has cores and admission control (ier.core.admission)
    sees them and turns new arrivals away before they queue."""
    options = {
        "bind": bind,
        "workers": workers or default_workers(),
        "worker_class": os.environ.get("IER_GUNICORN_WORKER_CLASS", "gthread"),
        "threads": int(os.environ.get("IER_GUNICORN_THREADS", "8")),
        "backlog": 2048,
        "timeout": 30,
        "graceful_timeout": 20,
        "keepalive": 5,
        "max_requests": 20000,
        "max_requests_jitter": 2000,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "preload_app": True,
        "pre_fork": choose_cpu,
        "post_fork": pin_to_cpu,
        **extra,
    }
    GunicornServer(options).run()
