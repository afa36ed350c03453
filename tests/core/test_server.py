"""Each gunicorn worker gets a core of its own: the one the node's live workers use
least, so a worker started in place of one that stopped takes the core it left."""

import os
import subprocess
import sys
from types import SimpleNamespace

from ier.core.server import choose_cpu, pin_to_cpu


class Master:
    """Just enough of gunicorn's arbiter: its live workers by pid."""

    def __init__(self):
        self.WORKERS = {}

    def spawn(self):
        worker = SimpleNamespace()
        choose_cpu(self, worker)
        self.WORKERS[len(self.WORKERS) + 100] = worker
        return worker


def test_workers_spread_over_the_cores(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2})
    master = Master()
    assert [master.spawn().cpu for _ in range(5)] == [0, 1, 2, 0, 1]


def test_a_replacement_takes_the_core_its_predecessor_left(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {4, 6})
    master = Master()
    master.spawn(), master.spawn(), master.spawn()  # cores 4, 6, 4
    retired = next(pid for pid, w in master.WORKERS.items() if w.cpu == 6)
    del master.WORKERS[retired]
    assert master.spawn().cpu == 6


def test_pinning_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("IER_GUNICORN_PIN_WORKERS", "0")
    worker = Master().spawn()
    assert not hasattr(worker, "cpu")


PIN_PROBE = """
import os
from types import SimpleNamespace
from ier.core.server import pin_to_cpu
core = max(os.sched_getaffinity(0))
pin_to_cpu(None, SimpleNamespace(cpu=core))
print(core, sorted(os.sched_getaffinity(0)))
"""


def test_a_worker_runs_on_its_core_only():
    """In a process of its own, as a forked worker would."""
    output = subprocess.run(
        [sys.executable, "-c", PIN_PROBE],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split(maxsplit=1)
    assert output[1].strip() == "[%s]" % output[0]


def test_a_worker_without_a_core_is_left_alone():
    before = os.sched_getaffinity(0)
    pin_to_cpu(None, SimpleNamespace())
    assert os.sched_getaffinity(0) == before
