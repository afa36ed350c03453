"""Bounded caches kept by a web process between requests.

Every such cache says what it holds and how many entries it keeps at most; the
whole list, and why each is safe to keep, is in docs/adr/0007-process-caches.md."""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class BoundedCache:
    """At most `limit` entries, the least recently used dropped first; safe to
    share between the threads of a worker."""

    def __init__(self, limit: int, holds: str) -> None:
        self.limit = limit
        #: What the entries are, in a sentence: read by people, not by code.
        self.holds = holds
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._entries)

    def values(self) -> list[Any]:
        with self._lock:
            return list(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)
