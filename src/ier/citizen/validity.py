"""Recent validation results of a journey's stored answers, kept (as digests, with
the facts each depended on) so that the next request need not validate them again
while those facts hold; and turning stored answers back into form data."""

import hashlib
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from django.http import QueryDict

if TYPE_CHECKING:
    from ier.citizen.journey import Context, Step


def to_querydict(stored: dict[str, Any]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in stored.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def _digest(value: Any) -> bytes:
    return hashlib.blake2b(repr(value).encode(), digest_size=16).digest()


class _Reader:
    """Stands in for a Context while a step's form is built and validated, and
    notes every fact the form reads from it (with a digest of what it read), so the
    result can be reused while those facts are unchanged. A read it cannot follow
    makes the result not reusable."""

    TRACKED_METHODS = ("raw", "value", "chosen_address")

    def __init__(self, ctx: "Context"):
        self._ctx = ctx
        self.reads: list[tuple[Any, ...]] = []
        self.followable = True

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._ctx, name)
        if name in self.TRACKED_METHODS:

            def read(*args: Any) -> Any:
                result = value(*args)
                self.reads.append((name, args, _digest(result)))
                return result

            return read
        if callable(value) or name.startswith("_") or name == "answers":
            self.followable = False
        else:
            self.reads.append((name, None, _digest(value)))
        return value

    @staticmethod
    def still_true(ctx: "Context", reads: tuple[tuple[Any, ...], ...]) -> bool:
        for name, args, digest in reads:
            current = getattr(ctx, name)
            if args is not None:
                current = current(*args)
            if _digest(current) != digest:
                return False
        return True


class Validity:
    """Recent validation results of stored answers, by step and answer digest.

    Every answer sent re-checks the answers before it (so a change to an earlier
    answer is caught). Each check's result is kept with the facts it depended on, so
    the next request reuses it while they hold. Only digests are kept, never the
    answers; entries expire, since some checks consult tables that can change (the
    address list), and submission always validates every answer afresh."""

    def __init__(self, size: int = 20000, seconds: float = 300.0):
        self.size = size
        self.seconds = seconds
        self._entries: OrderedDict[tuple[Any, ...], list[tuple[Any, ...]]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def holds(self, step: "Step", ctx: "Context") -> bool:
        raw = ctx.raw(step.slug)
        key = (step.form_class, step.slug, _digest(raw))
        now = time.monotonic()
        with self._lock:
            known = list(self._entries.get(key, ()))
        for expires, reads, valid in known:
            if expires > now and _Reader.still_true(ctx, reads):
                return valid
        reader = _Reader(ctx)
        form = step.form_class(data=to_querydict(raw), ctx=reader)
        valid = form.is_valid()
        ctx._forms[step.slug] = form
        if reader.followable:
            entry = (now + self.seconds, tuple(reader.reads), valid)
            with self._lock:
                entries = self._entries.setdefault(key, [])
                live = [e for e in entries if e[0] > now][-3:]
                entries[:] = [*live, entry]
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return valid

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


VALIDITY = Validity()
