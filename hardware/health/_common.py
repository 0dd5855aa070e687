"""Pieces shared by the health device back-ends (Bluetooth LE, serial, simulated).

NOTE: Qt-free zone.
"""

from __future__ import annotations

import logging
from typing import Final, Literal, TypeAlias, get_args

from hardware.status import StatusReporter, deliver

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
