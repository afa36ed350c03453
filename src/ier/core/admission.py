"""Admission control: beyond a node's capacity, people already in a journey keep being
served and new arrivals get a fast "the service is busy" page (503, Retry-After)
instead of a timeout.

The node's load is the number of requests in flight in all its worker processes. Each
process owns one slot of a small memory-mapped file (one file per gunicorn master), so
reading the node's total is one read of a few kilobytes and no lock. A process killed
mid-request leaves a stale count in its slot; the next process to claim a slot clears
every slot whose process has gone. The file lives in the node's private run directory
(`RUN_DIR`, see ier.core.runfiles). See docs/capacity.md for the sizing.
"""

import fcntl
import logging
import mmap
import os
import struct
import threading
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from ier.core.runfiles import open_private_file

logger = logging.getLogger(__name__)

SLOTS = 256
_SLOT = struct.Struct("=ii")  # pid, requests in flight
_ADMISSION_SALT = "ier.core.admission"


def default_counter_path() -> Path:
    """One file per node: gunicorn's workers share their master's pid as parent."""
    return Path(settings.RUN_DIR) / ("in-flight-%d" % os.getppid())


class InFlightCounter:
    """Requests in flight on this node, across processes and threads."""

    def __init__(self, path: Path | None = None):
        # Resolved in the worker, not in a preloading master: its parent names the node.
        self.path = path
        self._lock = threading.Lock()
        self._pid = 0
        self._index = -1
        self._map: mmap.mmap | None = None

    def _open(self) -> mmap.mmap:
        size = SLOTS * _SLOT.size
        self.path = self.path or default_counter_path()
        fd = open_private_file(self.path.parent, self.path.name)
        try:
            if os.fstat(fd).st_size < size:
                os.ftruncate(fd, size)
            mapped = mmap.mmap(fd, size)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                self._index = self._claim(mapped)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
        return mapped

    def _claim(self, mapped: mmap.mmap) -> int:
        """Clear the slots of processes that have gone, then take a free one."""
        free = -1
        for index in range(SLOTS):
            pid, _count = _SLOT.unpack_from(mapped, index * _SLOT.size)
            if pid and not _alive(pid):
                _SLOT.pack_into(mapped, index * _SLOT.size, 0, 0)
                pid = 0
            if not pid and free < 0:
                free = index
        if free < 0:
            raise RuntimeError("no free admission slot")
        _SLOT.pack_into(mapped, free * _SLOT.size, os.getpid(), 0)
        return free

    def _own_slot(self) -> mmap.mmap:
        if self._pid != os.getpid():  # first use, or a fork since
            self._map = self._open()
            self._pid = os.getpid()
        assert self._map is not None
        return self._map

    def add(self, delta: int) -> None:
        with self._lock:
            mapped = self._own_slot()
            offset = self._index * _SLOT.size
            pid, count = _SLOT.unpack_from(mapped, offset)
            _SLOT.pack_into(mapped, offset, pid, max(0, count + delta))

    def total(self) -> int:
        with self._lock:
            mapped = self._own_slot()
        counts = memoryview(mapped).cast("i")[1::2]
        return sum(counts)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_counters: dict[str, InFlightCounter] = {}


def node_counter() -> InFlightCounter:
    """This process's counter on the node's file (one per configured path)."""
    configured = settings.ADMISSION_COUNTER_PATH or ""
    if configured not in _counters:
        _counters[configured] = InFlightCounter(
            Path(configured) if configured else None
        )
    return _counters[configured]


def _always_admitted(path: str) -> bool:
    return path.startswith(tuple(settings.ADMISSION_ALWAYS_PATHS))


def _holds_place(request: HttpRequest) -> bool:
    """Already in a journey (an answers cookie) or admitted a short while ago."""
    if settings.JOURNEY_COOKIE_NAME in request.COOKIES:
        return True
    token = request.COOKIES.get(settings.ADMISSION_COOKIE_NAME)
    if not token:
        return False
    try:
        signing.loads(
            token, salt=_ADMISSION_SALT, max_age=settings.ADMISSION_COOKIE_SECONDS
        )
    except signing.BadSignature:
        return False
    return True


def busy_response(request: HttpRequest) -> HttpResponse:
    language = "cy" if request.path_info.startswith("/cy/") else "en"
    retry = settings.ADMISSION_RETRY_AFTER_SECONDS
    with translation.override(language):
        response = render(
            request,
            "core/busy.html",
            {
                "minutes": max(1, round(retry / 60)),
                "idle_minutes": settings.JOURNEY_IDLE_SECONDS // 60,
            },
            status=503,
        )
    response["Retry-After"] = str(retry)
    # Expected under load and logged once above as "admission refused", not as an error.
    response._has_been_logged = True  # type: ignore[attr-defined]
    response["Cache-Control"] = "no-store"
    return response


class AdmissionMiddleware:
    """Admits a person already in a journey while the node is below its hard limit,
    a new arrival only below the lower limit; health checks, assets, the officers'
    portal and the EMS API always pass. A limit of 0 switches the check off."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.counter = node_counter()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _always_admitted(request.path_info):
            return self.get_response(request)
        refused = self._refuse(request)
        if refused is not None:
            return refused
        self.counter.add(1)
        try:
            response = self.get_response(request)
        finally:
            self.counter.add(-1)
        if not _holds_place(request):
            response.set_cookie(
                settings.ADMISSION_COOKIE_NAME,
                signing.dumps(1, salt=_ADMISSION_SALT),
                max_age=settings.ADMISSION_COOKIE_SECONDS,
                secure=settings.COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def _refuse(self, request: HttpRequest) -> HttpResponse | None:
        hard, new = settings.ADMISSION_MAX_IN_FLIGHT, settings.ADMISSION_NEW_IN_FLIGHT
        if not hard and not new:
            return None
        in_flight = self.counter.total()
        limit = hard if _holds_place(request) else new
        if not limit or in_flight < limit:
            return None
        logger.warning(
            "admission refused", extra={"in_flight": in_flight, "limit": limit}
        )
        return busy_response(request)
