"""Admin mode: hidden entry, PIN (set on first start), device states, the only exit."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk import prompts
from kiosk.devices import DeviceRow
from kiosk.errors import KioskError
from kiosk.masking import mask_name
from kiosk.pins import AuthResult, WeakPinError
from kiosk.session import VisitorSession
from kiosk.tasks import Runner

if TYPE_CHECKING:
    from kiosk.platform.api import Visit
    from kiosk.services.admin_auth import AdminAuth

log = logging.getLogger(__name__)


class AdminState(enum.Enum):
    NEEDS_SETUP = "needs_setup"
    ENTER_PIN = "enter_pin"
    UNLOCKED = "unlocked"


@dataclass(frozen=True, slots=True)
class VisitorInside:
    """One visitor who has not checked out, as staff see them (evacuation list).

    Built on the worker from a platform ``Visit``: the full name never reaches the GUI.

    Attributes:
        masked_name: ``张*明``.
        host_label: The household visited (``3栋2单元501``); ``None`` for the station itself.
        checked_in_at: Aware UTC time of arrival.
        kiosk_id: The kiosk that checked the visitor in.
    """

    masked_name: str
    host_label: str | None
    checked_in_at: datetime
    kiosk_id: str

    @classmethod
    def from_visit(cls, visit: Visit) -> VisitorInside:
        return cls(
            masked_name=mask_name(visit.visitor_name),
            host_label=visit.host_label,
            checked_in_at=visit.checked_in_at,
            kiosk_id=visit.kiosk_id,
        )


class AdminFlow(QObject):
    """PIN check and admin actions. Knows no screens.

    Signals:
        state_changed: arg: the new AdminState.
        rejected: A PIN was refused; arg: KioskError with the reason to show and speak.
        devices_loaded: arg: list of DeviceRow.
        visitors_inside: arg: list of VisitorInside, oldest arrival first. Only ever
            emitted while admin mode is on.
        visitors_failed: The list could not be read; arg: KioskError to show.
        exit_requested: Staff chose to leave the kiosk application.
    """

    state_changed = Signal(object)
    rejected = Signal(object)
    devices_loaded = Signal(list)
    visitors_inside = Signal(list)
    visitors_failed = Signal(object)
    exit_requested = Signal()

    def __init__(
        self,
        auth: Callable[[], AdminAuth],
        session: VisitorSession,
        tasks: Runner,
        devices: Callable[[], list[DeviceRow]],
        *,
        max_failures: int,
        visits: Callable[[], list[Visit]] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QObject | None = None,
    ) -> None:
        """``visits`` returns the visits not checked out yet (``Platform.visits_inside``);
        it is called on a worker. Without it the visitor list reports a failure."""
        super().__init__(parent)
        self._auth = auth
        self._session = session
        self._tasks = tasks
        self._devices = devices
        self._visits = visits
        self._max_failures = max_failures
        self._clock = clock
        self._state = AdminState.ENTER_PIN
        self._busy = False

    @property
    def state(self) -> AdminState:
        return self._state

    @property
    def busy(self) -> bool:
        return self._busy

    def start(self) -> None:
        """Called when the hidden corner is held: decide between setup and PIN entry."""

        def done(has_pin: bool) -> None:
            self._set_state(AdminState.ENTER_PIN if has_pin else AdminState.NEEDS_SETUP)

        self._tasks.run(lambda: self._auth().has_pin(), done)

    def submit_new_pin(self, pin: str, confirm: str) -> None:
        if self._state is not AdminState.NEEDS_SETUP or self._busy:
            return
        if pin != confirm:
            self.rejected.emit(KioskError(prompts.ADMIN_PIN_MISMATCH))
            return
        self._busy = True

        def work() -> None:
            self._auth().set_pin(pin)

        def failed(exc: BaseException) -> None:
            self._busy = False
            if isinstance(exc, WeakPinError):
                self.rejected.emit(KioskError(prompts.ADMIN_PIN_WEAK))
            else:
                log.error("setting the admin PIN failed: %s", type(exc).__name__)
                self.rejected.emit(KioskError(prompts.TASK_FAILED))

        def done(_: None) -> None:
            self._busy = False
            self._unlock()

        self._tasks.run(work, done, failed)

    def submit_pin(self, pin: str) -> None:
        if self._state is not AdminState.ENTER_PIN or self._busy:
            return
        self._busy = True

        def done(result: AuthResult) -> None:
            self._busy = False
            if result.ok:
                self._unlock()
                return
            if result.locked_until is not None and result.locked_until > self._clock():
                from kiosk.flows.volunteer import lock_error

                self.rejected.emit(
                    lock_error(result.locked_until, self._clock(), prompts.ADMIN_LOCKED)
                )
            else:
                left = max(0, self._max_failures - result.failures)
                self.rejected.emit(KioskError(prompts.ADMIN_WRONG_PIN, left=left))

        def failed(exc: BaseException) -> None:
            self._busy = False
            log.error("PIN check failed: %s", type(exc).__name__)
            self.rejected.emit(KioskError(prompts.TASK_FAILED))

        self._tasks.run(lambda: self._auth().verify(pin), done, failed)

    def load_devices(self) -> None:
        self._tasks.run(self._devices, self.devices_loaded.emit)

    def load_visitors_inside(self) -> None:
        """Read who is inside (for an evacuation) on a worker; staff only.

        Outside admin mode nothing is read. A result that arrives after admin mode ended
        is dropped, so the names never reach a visitor's screen.
        """
        if not self._session.admin:
            log.info("visitor list refused: not in admin mode")
            return
        visits = self._visits
        if visits is None:
            log.error("visitor list unavailable: no visit source configured")
            self.visitors_failed.emit(KioskError(prompts.TASK_FAILED))
            return

        def work() -> list[VisitorInside]:
            return [VisitorInside.from_visit(v) for v in visits()]

        def done(rows: list[VisitorInside]) -> None:
            if self._session.admin:
                self.visitors_inside.emit(rows)

        def failed(exc: BaseException) -> None:
            log.error("visitor list could not be read: %s", type(exc).__name__)
            if self._session.admin:
                self.visitors_failed.emit(KioskError(prompts.TASK_FAILED))

        self._tasks.run(work, done, failed)

    def request_exit(self) -> None:
        if self._state is AdminState.UNLOCKED:
            log.info("kiosk exit requested by admin")
            self.exit_requested.emit()

    def sign_out(self) -> None:
        self._session.leave_admin()
        self._set_state(AdminState.ENTER_PIN)

    def _unlock(self) -> None:
        self._session.enter_admin()
        self._set_state(AdminState.UNLOCKED)

    def _set_state(self, state: AdminState) -> None:
        self._state = state
        self.state_changed.emit(state)
