"""gunicorn settings for one web node (see docs/capacity.md for the sizing).

    gunicorn -c deploy/gunicorn.conf.py ier.config.wsgi:application

Threaded workers (gthread): a page is mostly CPU, so one process per core does the
work, and a few threads per process let the node accept more requests than it has
cores. Admission control (ier.core.admission) counts the requests in flight across
all of them and turns new arrivals away with the busy page before they queue.
"""

import multiprocessing
import os

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
