"""Pieces shared by the health device back-ends (Bluetooth LE, serial, simulated).

NOTE: Qt-free zone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Final, Literal, TypeAlias, get_args

from hardware.protocols import DeviceState, DeviceStatus, StateCallback

__all__ = [
    "HEALTH_KINDS",
    "Backoff",
    "HealthKind",
    "StatusReporter",
    "check_kind",
    "deliver",
]

_log = logging.getLogger(__name__)

HealthKind: TypeAlias = Literal[
    "blood_pressure", "weight", "thermometer", "pulse_oximeter", "glucose"
]
"""The kinds of health measuring device the kiosk knows."""

HEALTH_KINDS: Final[tuple[HealthKind, ...]] = get_args(HealthKind)


def check_kind(kind: str) -> HealthKind:
    """``kind`` as a :data:`HealthKind`, or ``ValueError`` naming the valid ones."""
    for known in HEALTH_KINDS:
        if kind == known:
            return known
    raise ValueError(
        f"unknown health device kind {kind!r}; choose one of {', '.join(HEALTH_KINDS)}"
    )


def deliver(callback: Callable[[Any], None] | None, value: object, what: str) -> None:
    """Call a user callback; a failure in it is logged (type only) and never stops a back-end.

    Only the exception type is logged: the value may be health data.
    """
    if callback is None:
        return
    try:
        callback(value)
    except Exception as exc:
        _log.error("%s callback raised %s", what, type(exc).__name__)


class StatusReporter:
    """Thread-safe current :class:`DeviceStatus`; calls ``on_state`` when it changes."""

    def __init__(self, initial: DeviceStatus) -> None:
        self._lock = threading.Lock()
        self._status = initial
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


class Backoff:
    """Reconnect delays: ``initial``, doubling up to ``maximum``; :meth:`reset` after success."""

    def __init__(self, initial_s: float, maximum_s: float) -> None:
        if initial_s < 0 or maximum_s < initial_s:
            raise ValueError("backoff needs 0 <= initial_s <= maximum_s")
        self._initial = initial_s
        self._maximum = maximum_s
        self._next = initial_s

    def next(self) -> float:
        delay = self._next
        self._next = min(self._maximum, self._next * 2)
        return delay

    def reset(self) -> None:
        self._next = self._initial
