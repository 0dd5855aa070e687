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

Photo (only where ``visitors.photo`` is on; the screen shows the camera notice first): a
face is sensitive personal information (PIPL art. 28), so it is asked for, never required.
:meth:`WalkInFlow.take_photo` turns the newest camera frame into JPEG bytes that only this
flow holds; they are attached to the visit after admission (when the platform keeps photos)
and dropped then, on cancel and at reset. :meth:`WalkInFlow.decline_photo` registers the
visit without one; the log notes that a photo was declined (nothing about who).
"""

from __future__ import annotations

import enum
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.masking import mask_name
from kiosk.prompts import QT_TRANSLATE_NOOP, Prompt
from kiosk.session import VisitorSession
from kiosk.tasks import Runner

if TYPE_CHECKING:
    from kiosk.flows.checkin import CheckInFlow
    from kiosk.platform.api import Actor, ApprovalTicket, Platform, Visit

log = logging.getLogger(__name__)


def _uuid4() -> str:
    return str(uuid.uuid4())


POLL_S = 3.0

# The reasons a walk-in chooses from, in the order offered: the values of
# ``kiosk.platform.api.VISIT_REASONS``, repeated here so screens need not import the
# platform (a test checks that the two agree).
REASONS: Final = ("family", "friend", "delivery", "repair", "housekeeping", "other")

# JPEG quality of a visitor photo, and its longest side in pixels (a face at the kiosk
# needs no more; the platform takes at most 4 MiB).
PHOTO_QUALITY = 85
PHOTO_MAX_SIDE = 1280

# NOTE: each literal is wrapped in QT_TRANSLATE_NOOP at its definition so lupdate sees it.
WALKIN_PHOTO_FAILED = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "The photo could not be taken. Touch Take photo to try again, "
        "or No photo to go on without one.",
    ),
)


def encode_jpeg(
    frame: object, *, quality: int = PHOTO_QUALITY, max_side: int = PHOTO_MAX_SIDE
) -> bytes:
    """A camera frame (``uint8`` BGR, grey or BGRA array) as JPEG bytes, scaled down to
    ``max_side``. Raises ValueError for anything that is not a frame. Worker threads."""
    import cv2
    import numpy as np

    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.size == 0:
        raise ValueError("not a camera frame")
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    if frame.ndim == 3 and frame.shape[2] == 4:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    if not (frame.ndim == 2 or (frame.ndim == 3 and frame.shape[2] == 3)):
        raise ValueError("not a camera frame")
    height, width = frame.shape[:2]
    scale = max_side / max(height, width)
    if scale < 1:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    ok, buffer = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("the frame could not be encoded")
    return bytes(buffer.tobytes())


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
    waiting: arg WaitView: asked the host / still waiting / the host did not answer / a
        volunteer signed in or out while waiting (who may approve changed).
    refused: arg KioskError: the host said no (a kind message).
    referred: arg KioskError: please go to the service desk (neutral).
    failed: arg KioskError: the platform is away or something broke.
    photo_taken: the visitor's photo is held, ready to attach after admission.
    photo_failed: arg KioskError: no photo could be made of the camera's frame.
    """

    changed = Signal()
    households = Signal(list)
    waiting = Signal(object)
    refused = Signal(object)
    referred = Signal(object)
    failed = Signal(object)
    photo_taken = Signal()
    photo_failed = Signal(object)

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
        # A UUID4 string, as kiosk.platform.api.new_id makes (not imported here: that
        # module stays off the start-up path).
        self._new_id = new_id if new_id is not None else _uuid4
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
        self._photo: bytes | None = None
        self.photo_declined = False
        # Answers that arrive after a reset (a photo being encoded) belong to no one.
        self._generation = 0
        self.state = WalkInState.EDITING
        # Bound methods, not lambdas: a lambda kept by the session would keep this flow alive
        # with it (a cycle through Qt that the garbage collector cannot see).
        session.ended.connect(self._on_session_ended)
        session.volunteer_changed.connect(self._on_volunteer_changed)

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

    def shown_name(self) -> str:
        """The visitor's name as screens show it: masked (a form of address such as
        ``王先生`` stays as it is; see :func:`kiosk.masking.mask_name`)."""
        return mask_name(self.visitor_name)

    # ------------------------------------------------------------------ the photo

    @property
    def has_photo(self) -> bool:
        return self._photo is not None

    def take_photo(self, frame: object) -> None:
        """Keep ``frame`` (the camera's newest, or None) as the visitor's photo, as JPEG.

        Answers ``photo_taken``, or ``photo_failed`` when there is no usable frame.
        """
        if self.state is not WalkInState.EDITING:
            return
        self._photo = None
        self.photo_declined = False
        generation = self._generation

        def done(jpeg: bytes) -> None:
            if generation != self._generation:
                return  # the visit ended while the frame was being encoded
            self._photo = jpeg
            log.info("visitor photo taken")
            self.photo_taken.emit()

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            log.warning("visitor photo not taken: %s", type(exc).__name__)
            self.photo_failed.emit(KioskError(WALKIN_PHOTO_FAILED))

        self._tasks.run(lambda: encode_jpeg(frame), done, failed)

    def decline_photo(self) -> None:
        """不拍照: register without a photo (it is optional; the choice is logged)."""
        self._photo = None
        self.photo_declined = True
        log.info("visitor declined the photo")

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

        self._tasks.run(work, self._ticket_answer(), self._current(failed))

    def poll(self) -> None:
        """Ask the platform where the ticket stands (the timer calls this)."""
        ticket = self._ticket
        if ticket is None or self.state is not WalkInState.WAITING or self._polling:
            return
        self._polling = True
        approval_id = ticket.approval_id
        answer = self._ticket_answer()

        def done(new: ApprovalTicket) -> None:
            self._polling = False
            answer(new)

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
            from kiosk.platform.api import ConflictError

            self.state = WalkInState.WAITING
            if isinstance(exc, ConflictError):
                # Decided meanwhile (the host answered, or it was cancelled): show that.
                self.poll()
                return
            self._fail(exc)

        self._tasks.run(work, self._ticket_answer(), self._current(failed))

    def cancel(self) -> None:
        """The visitor gives up waiting, or goes back to edit. The photo is dropped."""
        self._generation += 1
        self._timer.stop()
        self._polling = False
        self._withdraw(self._ticket)
        self._ticket = None
        self._request_id = ""
        self._photo = None
        self.state = WalkInState.EDITING

    def reset(self) -> None:
        """Forget the visitor (end of visit, or a new walk-in). A request still waiting for
        the host is withdrawn, so nobody approves a visitor who has gone."""
        self._generation += 1
        self._timer.stop()
        self._withdraw(self._ticket)
        self._polling = False
        self._photo = None
        self.photo_declined = False
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

    def _on_session_ended(self, _reason: object) -> None:
        self.reset()

    def _current(self, fn: Callable[[BaseException], None]) -> Callable[[BaseException], None]:
        """``fn``, or nothing if the walk-in was cancelled or reset before the answer came."""
        generation = self._generation

        def call(exc: BaseException) -> None:
            if generation == self._generation:
                fn(exc)

        return call

    def _ticket_answer(self) -> Callable[[ApprovalTicket], None]:
        """Handles a ticket from the platform; one for a walk-in that has since been
        cancelled or reset is withdrawn instead (the visitor has gone)."""
        generation = self._generation

        def done(ticket: ApprovalTicket) -> None:
            if generation != self._generation:
                self._withdraw(ticket)
                return
            self._on_ticket(ticket)

        return done

    def _withdraw(self, ticket: ApprovalTicket | None) -> None:
        """Cancel ``ticket`` at the platform if the host could still answer it."""
        if ticket is None or ticket.state not in ("pending", "expired"):
            return
        actor = self._actor()
        approval_id = ticket.approval_id
        self._tasks.run(
            lambda: self._platform().cancel_approval(approval_id, actor=actor),
            None,
            lambda exc: log.warning("cancel failed: %s", type(exc).__name__),
        )

    def _on_volunteer_changed(self, _volunteer: object) -> None:
        """Who may approve changed: tell the waiting screen again."""
        ticket = self._ticket
        if self.state is WalkInState.WAITING and ticket is not None:
            self.waiting.emit(self._wait_view(ticket))

    def _wait_view(self, ticket: ApprovalTicket) -> WaitView:
        return WaitView(
            state=ticket.state,
            host_reachable=ticket.host_reachable,
            volunteer_may_approve=self._volunteer_may_approve(ticket),
            household_label=self.household_label,
        )

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
            self.waiting.emit(self._wait_view(ticket))
        elif state == "refused":
            self._timer.stop()
            self.state = WalkInState.DONE
            self.refused.emit(KioskError(prompts.WALKIN_REFUSED))
        elif state == "referred":
            self._timer.stop()
            self.state = WalkInState.DONE
            log.info("walk-in referred to the service desk")
            self.referred.emit(KioskError(prompts.WALKIN_REFERRED))
        else:  # cancelled elsewhere (staff, another kiosk): say so rather than wait forever
            self._timer.stop()
            self.state = WalkInState.EDITING
            self._ticket = None
            self._request_id = ""
            log.warning("walk-in request was cancelled elsewhere")
            self.failed.emit(KioskError(prompts.TASK_FAILED))

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
            self._attach_photo(visit.id, actor)

        def failed(exc: BaseException) -> None:
            self.state = WalkInState.WAITING
            self._fail(exc)

        self._tasks.run(lambda: self._platform().check_in(request, actor=actor), done, failed)

    def _attach_photo(self, visit_id: str, actor: Actor) -> None:
        """Hand the photo to the platform (if it keeps photos) and let go of it."""
        jpeg, self._photo = self._photo, None
        if jpeg is None:
            return

        def work() -> bool:
            # Not part of the Platform protocol: a platform without photos has no such call.
            attach = getattr(self._platform(), "attach_visit_photo", None)
            if attach is None:
                return False
            attach(visit_id, jpeg, actor=actor)
            return True

        def done(attached: bool) -> None:
            if attached:
                log.info("visitor photo attached")
            else:
                log.info("the platform keeps no visitor photos; photo dropped")

        self._tasks.run(
            work, done, lambda exc: log.warning("photo not attached: %s", type(exc).__name__)
        )

    def _fail(self, exc: BaseException) -> None:
        from kiosk.platform.api import PlatformUnavailableError

        if isinstance(exc, PlatformUnavailableError):
            self.failed.emit(KioskError(prompts.PLATFORM_UNAVAILABLE))
        else:
            log.error("walk-in failed: %s", type(exc).__name__)
            self.failed.emit(KioskError(prompts.TASK_FAILED))
