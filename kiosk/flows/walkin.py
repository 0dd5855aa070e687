"""Walk-in visitors: who they visit, their name, an optional phone and a reason, then the
host's approval through the platform (or a volunteer's at the kiosk), then the slip.

The flow knows no screens. Steps (each screen feeds one): ``choose_household`` →
``set_name`` → ``set_phone`` → ``set_reason`` → (optional photo) → ``submit``. While the
host is asked, the flow polls the platform every :data:`POLL_S` seconds and reports the
ticket; the visitor can cancel. When the host cannot be reached (no phone on file) or does
not answer in time, a signed-in volunteer may approve at the kiosk: the approval is then
recorded as the volunteer's.

A visitor on the staff's deny list gets a ``referred`` ticket: the kiosk says only
"please go to the service desk", the same words it uses whenever it cannot register a
walk-in by itself, and staff are notified by the platform. Nothing on screen or in speech
says why.

Admission reuses :class:`~kiosk.flows.checkin.CheckInFlow` for the slip and the result
screen, so a walk-in's slip is the same as a pass holder's.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.session import VisitorSession
from kiosk.tasks import Runner

if TYPE_CHECKING:
    from kiosk.flows.checkin import CheckInFlow
    from kiosk.platform.api import Actor, ApprovalTicket, Platform, Visit

log = logging.getLogger(__name__)

POLL_S = 3.0


class WalkInState(enum.Enum):
    EDITING = "editing"
    ASKING = "asking"
    WAITING = "waiting"
    ADMITTING = "admitting"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class WaitView:
    """What the waiting screen shows.

    Attributes:
        state: The ticket's state (``pending``, ``expired``...).
        host_reachable: The platform could ask the host.
        volunteer_may_approve: A signed-in volunteer can approve now.
    """

    state: str
    host_reachable: bool
    volunteer_may_approve: bool
    household_label: str


class WalkInFlow(QObject):
    """Signals:
    changed: the draft changed (screens refresh their summary).
    households: arg list[HouseholdSummary]: the community's homes, for the picker.
    waiting: arg WaitView: asked the host / still waiting / the host did not answer.
    refused: arg KioskError: the host said no (a kind message).
    referred: arg KioskError: please go to the service desk (neutral).
    failed: arg KioskError: the platform is away or something broke.
    """

    changed = Signal()
    households = Signal(list)
    waiting = Signal(object)
    refused = Signal(object)
    referred = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        platform: Callable[[], Platform],
        session: VisitorSession,
        tasks: Runner,
        checkin: CheckInFlow,
        *,
        actor: Callable[[], Actor],
        poll_s: float = POLL_S,
        new_id: Callable[[], str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._platform = platform
        self._session = session
        self._tasks = tasks
        self._checkin = checkin
        self._actor = actor
        if new_id is None:
            from kiosk.platform.api import new_id as _new_id

            new_id = _new_id
        self._new_id = new_id
        self._timer = QTimer(self)
        self._timer.setInterval(round(poll_s * 1000))
        self._timer.timeout.connect(self.poll)
        self._polling = False
        self.household_id: int | None = None
        self.household_label = ""
        self.visitor_name = ""
        self.phone: str | None = None
        self.reason: str | None = None
        self._request_id = ""
        self._visit_id = ""
        self._ticket: ApprovalTicket | None = None
        self.state = WalkInState.EDITING
        session.ended.connect(lambda _r: self.reset())

    # ------------------------------------------------------------------ the draft

    def load_households(self) -> None:
        """Fetch the community's homes for the picker (off the GUI thread)."""
        self._tasks.run(
            lambda: self._platform().find_households(),
            self.households.emit,
            self._fail,
        )

    def start(self) -> None:
        """A new walk-in (没有通行码)."""
        self.reset()
        if not self._session.active:
            self._session.begin()

    def choose_household(self, household_id: int, label: str) -> None:
        self.household_id = household_id
        self.household_label = label
        self.changed.emit()

    def set_name(self, name: str) -> None:
        self.visitor_name = name.strip()
        self.changed.emit()

    def set_phone(self, phone: str | None) -> None:
        self.phone = phone or None
        self.changed.emit()

    def set_reason(self, reason: str) -> None:
        self.reason = reason
        self.changed.emit()

    @property
    def ticket(self) -> ApprovalTicket | None:
        return self._ticket

    @property
    def complete(self) -> bool:
        return bool(self.household_id is not None and self.visitor_name and self.reason)

    # ------------------------------------------------------------------ approval

    def submit(self) -> None:
        """Ask the host household (once: a retried submit reuses the request id)."""
        if not self.complete or self.state is not WalkInState.EDITING:
            return
        from kiosk.platform.api import WalkInRequest

        assert self.household_id is not None
        assert self.reason is not None
        if not self._request_id:
            self._request_id = self._new_id()
        request = WalkInRequest(
            host_household_id=self.household_id,
            visitor_name=self.visitor_name,
            reason=self.reason,  # type: ignore[arg-type]
            phone=self.phone,
            request_id=self._request_id,
        )
        actor = self._actor()
        self.state = WalkInState.ASKING

        def work() -> ApprovalTicket:
            return self._platform().request_host_approval(request, actor=actor)

        def failed(exc: BaseException) -> None:
            self.state = WalkInState.EDITING
            self._fail(exc)

        self._tasks.run(work, self._on_ticket, failed)

    def poll(self) -> None:
        """Ask the platform where the ticket stands (the timer calls this)."""
        ticket = self._ticket
        if ticket is None or self.state is not WalkInState.WAITING or self._polling:
            return
        self._polling = True
        approval_id = ticket.approval_id

        def done(new: ApprovalTicket) -> None:
            self._polling = False
            self._on_ticket(new)

        def failed(exc: BaseException) -> None:
            # A missed poll is not a failure: the next one asks again.
            self._polling = False
            log.warning("approval poll failed: %s", type(exc).__name__)

        self._tasks.run(lambda: self._platform().approval_status(approval_id), done, failed)

    def volunteer_approve(self) -> None:
        """A signed-in volunteer approves at the kiosk (host unreachable or silent)."""
        ticket = self._ticket
        if ticket is None or self._session.volunteer is None:
            return
        if self.state is not WalkInState.WAITING:
            return
        actor = self._actor()
        approval_id = ticket.approval_id
        self._timer.stop()
        self.state = WalkInState.ASKING

        def work() -> ApprovalTicket:
            return self._platform().decide_approval(approval_id, True, actor=actor)

        def failed(exc: BaseException) -> None:
            self.state = WalkInState.WAITING
            self._fail(exc)

        self._tasks.run(work, self._on_ticket, failed)

    def cancel(self) -> None:
        """The visitor gives up waiting, or goes back to edit."""
        self._timer.stop()
        ticket = self._ticket
        if ticket is not None and ticket.state == "pending":
            actor = self._actor()
            approval_id = ticket.approval_id
            self._tasks.run(
                lambda: self._platform().cancel_approval(approval_id, actor=actor),
                None,
                lambda exc: log.warning("cancel failed: %s", type(exc).__name__),
            )
        self._ticket = None
        self._request_id = ""
        self.state = WalkInState.EDITING

    def reset(self) -> None:
        """Forget the visitor (end of visit, or a new walk-in)."""
        self._timer.stop()
        self._polling = False
        self.household_id = None
        self.household_label = ""
        self.visitor_name = ""
        self.phone = None
        self.reason = None
        self._request_id = ""
        self._visit_id = ""
        self._ticket = None
        self.state = WalkInState.EDITING

    # ------------------------------------------------------------------ internals

    def _volunteer_may_approve(self, ticket: ApprovalTicket) -> bool:
        if self._session.volunteer is None:
            return False
        return ticket.state == "expired" or (
            ticket.state == "pending" and not ticket.host_reachable
        )

    def _on_ticket(self, ticket: ApprovalTicket) -> None:
        self._ticket = ticket
        state = ticket.state
        if state == "approved":
            self._timer.stop()
            self._admit(ticket)
        elif state in ("pending", "expired"):
            self.state = WalkInState.WAITING
            if state == "pending" and not self._timer.isActive():
                self._timer.start()
            if state == "expired":
                self._timer.stop()
            self.waiting.emit(
                WaitView(
                    state=state,
                    host_reachable=ticket.host_reachable,
                    volunteer_may_approve=self._volunteer_may_approve(ticket),
                    household_label=self.household_label,
                )
            )
        elif state == "refused":
            self._timer.stop()
            self.state = WalkInState.DONE
            self.refused.emit(KioskError(prompts.WALKIN_REFUSED))
        elif state == "referred":
            self._timer.stop()
            self.state = WalkInState.DONE
            log.info("walk-in referred to the service desk")
            self.referred.emit(KioskError(prompts.WALKIN_REFERRED))
        else:  # cancelled elsewhere
            self._timer.stop()
            self.state = WalkInState.EDITING

    def _admit(self, ticket: ApprovalTicket) -> None:
        from kiosk.platform.api import CheckInRequest

        assert self.household_id is not None
        if not self._visit_id:
            self._visit_id = self._new_id()
        request = CheckInRequest(
            visitor_name=self.visitor_name,
            host_household_id=self.household_id,
            visit_id=self._visit_id,
            kind="walk_in",
            approval_id=ticket.approval_id,
            reason=self.reason,  # type: ignore[arg-type]
            phone=self.phone,
        )
        actor = self._actor()
        self.state = WalkInState.ADMITTING

        def done(visit: Visit) -> None:
            self.state = WalkInState.DONE
            log.info("walk-in visitor checked in")
            self._checkin.announce_admitted(visit, None)

        def failed(exc: BaseException) -> None:
            self.state = WalkInState.WAITING
            self._fail(exc)

        self._tasks.run(lambda: self._platform().check_in(request, actor=actor), done, failed)

    def _fail(self, exc: BaseException) -> None:
        from kiosk.platform.api import PlatformUnavailableError

        if isinstance(exc, PlatformUnavailableError):
            self.failed.emit(KioskError(prompts.PLATFORM_UNAVAILABLE))
        else:
            log.error("walk-in failed: %s", type(exc).__name__)
            self.failed.emit(KioskError(prompts.TASK_FAILED))
