"""Pieces every threaded back-end shares: safe callback delivery and a status cell.

NOTE: Qt-free zone. Only exception types are logged: values may be personal or health data.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from hardware.protocols import DeviceState, DeviceStatus, StateCallback

__all__ = ["StatusReporter", "deliver"]

_log = logging.getLogger(__name__)


def deliver(callback: Callable[[Any], None] | None, value: object, what: str) -> None:
    """Call a user callback; a failure in it is logged (type only) and never stops a back-end."""
    if callback is None:
        return
    try:
        callback(value)
    except Exception as exc:
        _log.error("%s callback raised %s", what, type(exc).__name__)


class StatusReporter:
    """Thread-safe current :class:`DeviceStatus`; calls ``on_state`` when it changes."""

    def __init__(self, initial: DeviceStatus | None = None) -> None:
        self._lock = threading.Lock()
        self._status = initial or DeviceStatus(DeviceState.UNKNOWN, "not started")
        self._callback: StateCallback | None = None

    def attach(self, callback: StateCallback | None) -> None:
        with self._lock:
            self._callback = callback

    def get(self) -> DeviceStatus:
        with self._lock:
            return self._status

    def set(self, state: DeviceState, detail: str = "") -> bool:
        """Set the status; report it (from the calling thread) if it changed. True if changed."""
        status = DeviceStatus(state, detail)
        with self._lock:
            if status == self._status:
                return False
            self._status = status
            callback = self._callback
        deliver(callback, status, "on_state")
        return True
