"""gunicorn settings for one web node (see docs/capacity.md for the sizing).

    gunicorn -c deploy/gunicorn.conf.py ier.config.wsgi:application

Threaded workers (gthread): a page is mostly CPU, so one process per core does the
work, and a few threads per process let the node accept more requests than it has
cores. Admission control (ier.core.admission) counts the requests in flight across
all of them and turns new arrivals away with the busy page before they queue.
Each worker is pinned to a core of its own (IER_GUNICORN_PIN_WORKERS=0 turns that
off; see ier.core.server.choose_cpu).
"""

import multiprocessing
import os

from ier.core.server import choose_cpu as pre_fork  # noqa: F401 - gunicorn hooks
from ier.core.server import pin_to_cpu as post_fork  # noqa: F401

bind = os.environ.get("IER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("IER_GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("IER_GUNICORN_THREADS", "8"))
# Connections waiting for a thread; beyond this the kernel's backlog holds them.
worker_connections = 1000
backlog = 2048
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 20000
max_requests_jitter = 2000
preload_app = True
accesslog = None
errorlog = "-"
loglevel = "warning"
