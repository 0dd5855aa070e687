"""Printing a slip for a flow: lay it out, print it on a worker, report, and keep it for
重新打印 (the visitor's slip after check-in, the invitation).

A slip that cannot be laid out, or that the printer does not take, is reported with the
flow's own message (which gives the code to write down); nothing is retried by itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from kiosk.errors import KioskError
from kiosk.tasks import Runner

if TYPE_CHECKING:
    from hardware.protocols import Receipt

log = logging.getLogger(__name__)

T = TypeVar("T")


class SlipPrinter(Generic[T]):
    """Prints the slips of one flow; remembers the last one laid out.

    Args:
        tasks: Where the printing runs (never on the UI thread).
        print_slip: Sends a laid-out slip to the printer.
        printed: Called when the slip came out.
        failed: Called with the flow's message when it did not.
        error: The message for a slip about ``T`` that did not come out.
        what: What the log calls the slip ("visitor slip"); nothing about who.
        what_unprinted: What the log calls it when it did not print (default ``what``).
        logger: The flow's logger.
    """

    def __init__(
        self,
        tasks: Runner,
        print_slip: Callable[[Receipt], None],
        *,
        printed: Callable[[], None],
        failed: Callable[[KioskError], None],
        error: Callable[[T], KioskError],
        what: str,
        what_unprinted: str = "",
        logger: logging.Logger = log,
    ) -> None:
        self._tasks = tasks
        self._print = print_slip
        self._printed = printed
        self._failed = failed
        self._error = error
        self._what = what
        self._what_unprinted = what_unprinted or what
        self._log = logger
        self._last: tuple[T, Receipt] | None = None

    def print(self, item: T, lay_out: Callable[[], Receipt]) -> None:
        """Lay out the slip for ``item`` and print it."""
        try:
            slip = lay_out()
        except Exception as exc:
            self._log.error("%s could not be laid out: %s", self._what, type(exc).__name__)
            self._failed(self._error(item))
            return
        self._last = (item, slip)
        self._send(item, slip)

    def reprint(self) -> None:
        """Print the last slip laid out again (e.g. after paper was refilled)."""
        if self._last is not None:
            self._send(*self._last)

    def forget(self) -> None:
        self._last = None

    def _send(self, item: T, slip: Receipt) -> None:
        def failed(exc: BaseException) -> None:
            self._log.warning("%s not printed: %s", self._what_unprinted, type(exc).__name__)
            self._failed(self._error(item))

        self._tasks.run(lambda: self._print(slip), lambda _r: self._printed(), failed)
