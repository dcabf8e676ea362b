"""A small cache of built dashboard pages, so 50 people looking at the same indicator do not
each make it anew.

The key holds everything the page depends on: the result file (its identity), what the user
may see unsuppressed (the set of visible units, not the user: two analysts with the same
scope share entries), the language and the page's path and query. A new result file gives
new keys, and old entries fall out as the cache fills. With each entry the cache keeps what
building it revealed, so a cached page is audited exactly like a freshly built one.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from tvaers.dashboards.summary import View

SIZE = 512


class PageCache:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[Any, Counter]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, view: View, extra: Hashable, build: Callable[[], Any]) -> Any:
        """``build()``'s result for this view and ``extra`` (the page's own choices)."""
        if view.snapshot is None or view.access is None:
            return build()  # nothing computed yet: nothing worth keeping
        key = (view.snap.key, view.access.signature(), view.lang, view.request.url.path, extra)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
        if hit is not None:
            value, revealed = hit
            view.access.revealed.update(revealed)
            return value
        before = Counter(view.access.revealed)
        value = build()
        revealed = Counter(view.access.revealed)
        revealed.subtract(before)
        with self._lock:
            self._entries[key] = (value, +revealed)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value
