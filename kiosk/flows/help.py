"""呼叫志愿者: record a help request durably, then tell the user help is coming."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.session import VisitorSession
from kiosk.tasks import Runner

if TYPE_CHECKING:
    from kiosk.services.help import HelpTicket

log = logging.getLogger(__name__)


class _Requests(Protocol):
    def request(
        self, screen_id: str, mode: str, *, volunteer_id: int | None = None
    ) -> HelpTicket: ...


class HelpFlow(QObject):
    """One tap on the help button.

    Signals:
        requested: The request was written to the store; arg: the HelpTicket.
        failed: It could not be recorded; arg: a KioskError.
    """

    requested = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        service: Callable[[], _Requests],
        session: VisitorSession,
        tasks: Runner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._session = session
        self._tasks = tasks
        self._busy = False

    @property
    def busy(self) -> bool:
        return self._busy

    def request(self, screen_id: str) -> None:
        if self._busy:  # a double tap records one request
            return
        self._busy = True
        mode = self._session.mode.value
        volunteer = self._session.volunteer
        vid = volunteer.volunteer_id if volunteer else None

        def work() -> HelpTicket:
            return self._service().request(screen_id, mode, volunteer_id=vid)

        self._tasks.run(work, self._on_done, self._on_error)

    def _on_done(self, ticket: HelpTicket) -> None:
        self._busy = False
        log.info("help requested on screen %s", ticket.id[:8])
        self.requested.emit(ticket)

    def _on_error(self, exc: BaseException) -> None:
        self._busy = False
        log.error("help request failed: %s", type(exc).__name__)
        self.failed.emit(KioskError(prompts.HELP_FAILED))
