"""Collects what a health monitor reports, from any thread, and waits for it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from hardware.protocols import DeviceState, DeviceStatus

WAIT_S = 3.0


class Recorder:
    """``on_reading`` / ``on_state`` callbacks that record, with waits for the tests."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.readings: list[Any] = []
        self.states: list[DeviceStatus] = []
        self.threads: set[str] = set()

    def on_reading(self, reading: Any) -> None:
        with self._cond:
            self.readings.append(reading)
            self.threads.add(threading.current_thread().name)
            self._cond.notify_all()

    def on_state(self, status: DeviceStatus) -> None:
        with self._cond:
            self.states.append(status)
            self.threads.add(threading.current_thread().name)
            self._cond.notify_all()

    def wait(self, predicate: Callable[[], bool], timeout: float = WAIT_S) -> None:
        with self._cond:
            if not self._cond.wait_for(predicate, timeout):
                raise AssertionError(
                    f"timed out; readings={len(self.readings)} states={self.states}"
                )

    def wait_readings(self, count: int, timeout: float = WAIT_S) -> list[Any]:
        self.wait(lambda: len(self.readings) >= count, timeout)
        with self._cond:
            return list(self.readings)

    def wait_state(
        self, state: DeviceState, detail: str | None = None, timeout: float = WAIT_S
    ) -> DeviceStatus:
        """Wait until a status with ``state`` (and ``detail``, if given) has been reported."""
        found: list[DeviceStatus] = []

        def seen() -> bool:
            for status in self.states:
                if status.state is state and (detail is None or status.detail == detail):
                    found.append(status)
                    return True
            return False

        self.wait(seen, timeout)
        return found[0]

    def wait_state_count(self, state: DeviceState, count: int, timeout: float = WAIT_S) -> None:
        self.wait(lambda: sum(s.state is state for s in self.states) >= count, timeout)

    def clear(self) -> None:
        with self._cond:
            self.readings.clear()
            self.states.clear()


def wait_until(predicate: Callable[[], bool], timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)
