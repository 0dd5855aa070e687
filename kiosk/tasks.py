"""Run blocking work off the GUI thread and deliver its result on the GUI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")


class Runner(Protocol):
    """What flows and services need from a task runner."""

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None: ...


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from a worker are queued to it."""

    done = Signal(object)
    error = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # delivered to on_error on the GUI thread
            self._relay.error.emit(exc)
        else:
            self._relay.done.emit(result)


class TaskRunner(QObject):
    """Runs callables on a thread pool; callbacks run on the thread that owns the runner.

    A task that fails without an ``on_error`` callback is logged (type only: exception texts
    may carry personal data).
    """

    def __init__(self, max_threads: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relays: set[_Relay] = set()
        self._lock = threading.Lock()

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        relay = _Relay()
        relay.moveToThread(self.thread())
        self._relays.add(relay)

        @Slot(object)
        def finished(result: object) -> None:
            self._relays.discard(relay)
            if on_done is not None:
                on_done(result)  # type: ignore[arg-type]

        @Slot(object)
        def failed(exc: object) -> None:
            self._relays.discard(relay)
            if on_error is not None:
                on_error(exc)  # type: ignore[arg-type]
            else:
                log.error("background task failed: %s", type(exc).__name__)

        relay.done.connect(finished)
        relay.error.connect(failed)
        self._pool.start(_Job(fn, relay))

    def pending(self) -> int:
        return len(self._relays)

    def wait_for_done(self, timeout_ms: int = 30000) -> bool:
        """Block until all workers finished (shutdown and tests); results still need events."""
        return bool(self._pool.waitForDone(timeout_ms))


class InlineRunner:
    """Runs tasks synchronously on the caller's thread. For tests of flows and services."""

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        try:
            result = fn()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
        else:
            if on_done is not None:
                on_done(result)
