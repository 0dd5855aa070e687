"""Duplicate-scan suppression shared by every QR scanner back-end.

NOTE: Qt-free zone. A visitor holds a pass in front of the camera for a second or two, so the
same text is decoded from dozens of frames; the kiosk wants it once. The rule: a text is
*dropped* when it was last seen less than ``window_s`` ago, and every sighting (reported or
dropped) restarts its window. A pass held up for ten seconds is therefore reported once, and
shown again after being taken away for at least ``window_s`` it is reported again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["Debouncer"]


class Debouncer:
    """Decides whether a decoded text is new. Thread-safe.

    Texts are kept only while their window is open (at most ``window_s`` after their last
    sighting), so memory stays bounded however many passes are scanned.

    Attributes:
        window_s: Seconds after its last sighting during which a text is a duplicate.
    """

    def __init__(self, window_s: float = 3.0, *, clock: Callable[[], float] = time.monotonic):
        if window_s < 0:
            raise ValueError(f"window_s must be >= 0, got {window_s}")
        self.window_s = window_s
        self._clock = clock
        self._last_seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def accept(self, text: str) -> bool:
        """Record a sighting of ``text``; True if it should be reported, False if a duplicate."""
        now = self._clock()
        with self._lock:
            self._prune(now)
            last = self._last_seen.get(text)
            self._last_seen[text] = now
        return last is None or now - last >= self.window_s

    def reset(self) -> None:
        """Forget every text (the next sighting of anything is reported)."""
        with self._lock:
            self._last_seen.clear()

    def __len__(self) -> int:
        """How many texts are currently inside their window."""
        now = self._clock()
        with self._lock:
            self._prune(now)
            return len(self._last_seen)

    def _prune(self, now: float) -> None:
        expired = [t for t, seen in self._last_seen.items() if now - seen >= self.window_s]
        for text in expired:
            del self._last_seen[text]
