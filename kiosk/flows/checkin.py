"""Visitor check-in with a pass, and sign-out: a state machine that knows no screens.

Paths (ARCHITECTURE §3, issue "Visitor check-in"):

* A pass QR code read by the camera (on the attract, home or check-in screen) or a short
  code typed on the keypad → the pass is verified offline and previewed → the confirmation
  screen shows the masked visitor, the host household and the validity → one tap on
  确认登记 admits the visitor (the pass's use is redeemed in the same transaction as the
  visit) → the slip prints, with the exit QR code. From the home screen that is two taps.
* A slip's exit QR code (anywhere a pass is accepted) or its exit code typed on the
  keypad → the departure is recorded.
* Every refusal has its own message (:data:`REJECTION_PROMPTS`), is audited by the
  service, and never ends in a crash.

The confirmation's visit id is chosen when the preview arrives, so a double tap, or a retry
after a lost answer, records one visit. Wrong short codes in a row pause the keypad
(``wrong_code_limit`` from the config) against guessing.
"""

from __future__ import annotations

import enum
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.flows._slip_printing import SlipPrinter
from kiosk.masking import mask_name
from kiosk.prompts import Prompt
from kiosk.session import VisitorSession
from kiosk.tasks import Runner

if TYPE_CHECKING:
    from hardware.protocols import Receipt
    from kiosk.platform.api import Actor, Visit
    from kiosk.services.visitors import PassPreview, VisitorService

log = logging.getLogger(__name__)


def _uuid4() -> str:
    return str(uuid.uuid4())


CODE_PAUSE_S = 60

# Kept here as literals so routing a scan imports no cryptography on the start-up path;
# a test checks them against kiosk.security.passes.TOKEN_PREFIX and
# kiosk.platform.api.EXIT_TOKEN_PREFIX.
PASS_PREFIX = "KP"
EXIT_PREFIX = "KX1."


def classify_scan(text: str) -> str:
    """Route a camera read without verifying it: ``"pass"`` (``KP…``, any version: the
    verifier names an unknown one), ``"exit"`` (a slip's exit code) or ``"other"``."""
    if text.startswith(EXIT_PREFIX):
        return "exit"
    if text.startswith(PASS_PREFIX):
        return "pass"
    return "other"


class CheckInState(enum.Enum):
    IDLE = "idle"
    CHECKING = "checking"
    CONFIRM = "confirm"
    ADMITTING = "admitting"
    ADMITTED = "admitted"
    REJECTED = "rejected"


def rejection_prompt(reason: str) -> Prompt:
    """The message for a :class:`~kiosk.security.passes.PassRejection` value."""
    return REJECTION_PROMPTS.get(reason, prompts.PASS_UNREADABLE)


REJECTION_PROMPTS: dict[str, Prompt] = {
    "bad_signature": prompts.PASS_FORGED,
    "wrong_key": prompts.PASS_FORGED,
    "malformed": prompts.PASS_UNREADABLE,
    "oversized": prompts.PASS_UNREADABLE,
    "not_ascii": prompts.PASS_UNREADABLE,
    "unsupported_version": prompts.PASS_NEWER_FORMAT,
    "other_community": prompts.PASS_OTHER_COMMUNITY,
    "not_yet_valid": prompts.PASS_NOT_YET_VALID,
    "expired": prompts.PASS_EXPIRED,
    "already_used": prompts.PASS_ALREADY_USED,
}


def spoken_name(name: str) -> str:
    """A masked name as speech says it: ``张*明`` → ``张某明`` (a star is not read well)."""
    return mask_name(name).replace("*", "某")


@dataclass(frozen=True, slots=True)
class PassView:
    """What the confirmation screen shows: masked already."""

    masked_visitor: str
    spoken_visitor: str
    household_label: str
    valid_until: str


@dataclass(frozen=True, slots=True)
class VisitView:
    """What the result screen shows after check-in or sign-out: masked already."""

    masked_visitor: str
    spoken_visitor: str
    household_label: str
    exit_code: str
    time: str


class CheckInFlow(QObject):
    """Signals:
    checking: A pass is being verified (the screen shows "one moment").
    preview_ready: arg PassView: show the confirmation screen.
    rejected: arg KioskError: the pass was refused (or the platform is away).
    wrong_code: arg KioskError: a typed code is wrong, or the keypad is paused.
    admitted: arg VisitView: checked in; the slip is printing.
    slip_printed: the slip came out.
    slip_failed: arg KioskError: checked in, but no slip (the message gives the exit code).
    checked_out: arg VisitView.
    checkout_failed: arg KioskError.
    """

    checking = Signal()
    preview_ready = Signal(object)
    rejected = Signal(object)
    wrong_code = Signal(object)
    admitted = Signal(object)
    slip_printed = Signal()
    slip_failed = Signal(object)
    checked_out = Signal(object)
    checkout_failed = Signal(object)

    def __init__(
        self,
        service: Callable[[], VisitorService],
        session: VisitorSession,
        tasks: Runner,
        *,
        print_slip: Callable[[Receipt], None],
        make_slip: Callable[[Visit, datetime | None], Receipt],
        actor: Callable[[], Actor],
        tz: ZoneInfo,
        wrong_code_limit: int = 5,
        monotonic: Callable[[], float] = time.monotonic,
        new_id: Callable[[], str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._session = session
        self._tasks = tasks
        self._make_slip = make_slip
        self._actor = actor
        self._tz = tz
        self._wrong_limit = wrong_code_limit
        self._monotonic = monotonic
        # A UUID4 string, as kiosk.platform.api.new_id makes (not imported here: that
        # module stays off the start-up path).
        self._new_id = new_id if new_id is not None else _uuid4
        self._preview: PassPreview | None = None
        self._visit_id = ""
        self._slips: SlipPrinter[Visit] = SlipPrinter(
            tasks,
            print_slip,
            printed=self.slip_printed.emit,
            failed=self.slip_failed.emit,
            error=self._slip_error,
            what="visitor slip",
            logger=log,
        )
        self._wrong_codes = 0
        self._paused_until = 0.0
        self.state = CheckInState.IDLE
        session.ended.connect(lambda _r: self.reset())

    # ------------------------------------------------------------------ inputs

    @property
    def busy(self) -> bool:
        return self.state in (CheckInState.CHECKING, CheckInState.ADMITTING)

    def pass_scanned(self, token: str) -> None:
        """A pass QR code was read by the camera."""
        if self.busy:
            return
        self._begin_visit()
        actor = self._actor()
        self._verify(lambda: self._service().preview_token(token, actor=actor))

    def code_entered(self, code: str) -> None:
        """A short code was typed under the pass's QR code."""
        if self.busy:
            return
        if self._paused():
            return
        self._begin_visit()
        actor = self._actor()
        self._verify(lambda: self._service().preview_short_code(code, actor=actor))

    def confirm(self) -> None:
        """确认登记: admit the visitor and print the slip."""
        preview = self._preview
        if preview is None or self.state is not CheckInState.CONFIRM:
            return
        self.state = CheckInState.ADMITTING
        actor = self._actor()
        visit_id = self._visit_id

        def work() -> Visit:
            return self._service().check_in(preview, actor=actor, visit_id=visit_id)

        def done(visit: Visit) -> None:
            self._preview = None
            log.info("visitor checked in with a pass")
            self.announce_admitted(visit, preview.valid_until)

        self._tasks.run(work, done, self._failed)

    def announce_admitted(self, visit: Visit, valid_until: datetime | None) -> None:
        """A visitor was checked in (with a pass here, or as an approved walk-in): show the
        welcome and print the slip."""
        self.state = CheckInState.ADMITTED
        self.admitted.emit(self._visit_view(visit))
        self._print_slip(visit, valid_until)

    def cancel(self) -> None:
        """取消 on the confirmation screen: nothing was redeemed."""
        if self.state is CheckInState.ADMITTING:
            return
        self.reset()

    def reprint(self) -> None:
        """重新打印 the last slip of this visit (e.g. after paper was refilled)."""
        self._slips.reprint()

    def exit_scanned(self, text: str) -> None:
        """A slip's exit QR code was read."""
        if self.busy:
            return
        actor = self._actor()
        self._check_out(lambda: self._service().check_out_scanned(text, actor=actor))

    def exit_code_entered(self, code: str) -> None:
        if self.busy or self._paused():
            return
        actor = self._actor()
        self._check_out(lambda: self._service().check_out_code(code, actor=actor))

    def reset(self) -> None:
        """Forget everything about the visitor (end of visit, cancel)."""
        self._preview = None
        self._visit_id = ""
        self._slips.forget()
        if not self.busy:
            self.state = CheckInState.IDLE

    # ------------------------------------------------------------------ internals

    def _begin_visit(self) -> None:
        if not self._session.active:
            self._session.begin()

    def _paused(self) -> bool:
        left = self._paused_until - self._monotonic()
        if left > 0:
            self.wrong_code.emit(KioskError(prompts.CODE_PAUSED, seconds=max(1, round(left))))
            return True
        return False

    def _verify(self, work: Callable[[], PassPreview]) -> None:
        self.state = CheckInState.CHECKING
        self._preview = None
        self.checking.emit()

        def done(preview: PassPreview) -> None:
            self._wrong_codes = 0
            self._preview = preview
            self._visit_id = self._new_id()
            self.state = CheckInState.CONFIRM
            self.preview_ready.emit(
                PassView(
                    masked_visitor=preview.masked_visitor,
                    spoken_visitor=spoken_name(preview.verified.visitor_name),
                    household_label=preview.household.label,
                    valid_until=self._local(preview.valid_until),
                )
            )

        self._tasks.run(work, done, self._failed)

    def _check_out(self, work: Callable[[], Visit]) -> None:
        self._begin_visit()
        self.state = CheckInState.CHECKING
        self.checking.emit()

        def done(visit: Visit) -> None:
            self._wrong_codes = 0
            self.state = CheckInState.IDLE
            log.info("visitor signed out")
            self.checked_out.emit(self._visit_view(visit))

        def failed(exc: BaseException) -> None:
            from kiosk.platform.api import (
                PlatformUnavailableError,
                VisitAlreadyClosedError,
                VisitNotFoundError,
            )
            from kiosk.services.visitors import WrongCodeError

            self.state = CheckInState.IDLE
            if isinstance(exc, VisitAlreadyClosedError):
                self.checkout_failed.emit(KioskError(prompts.CHECKOUT_ALREADY))
            elif isinstance(exc, (WrongCodeError, VisitNotFoundError)):
                self._count_wrong_code()
                self.checkout_failed.emit(KioskError(prompts.CHECKOUT_UNKNOWN))
            elif isinstance(exc, PlatformUnavailableError):
                self.checkout_failed.emit(KioskError(prompts.PLATFORM_UNAVAILABLE))
            else:
                log.error("sign-out failed: %s", type(exc).__name__)
                self.checkout_failed.emit(KioskError(prompts.TASK_FAILED))

        self._tasks.run(work, done, failed)

    def _failed(self, exc: BaseException) -> None:
        from kiosk.platform.api import PlatformUnavailableError
        from kiosk.security.passes import PassRejectedError
        from kiosk.services.visitors import WrongCodeError

        admitting = self.state is CheckInState.ADMITTING
        if isinstance(exc, WrongCodeError):
            self.state = CheckInState.IDLE
            self._count_wrong_code()
            if not self._paused():
                self.wrong_code.emit(KioskError(prompts.CODE_WRONG))
            return
        if isinstance(exc, PlatformUnavailableError):
            # Keep the preview: the visitor can tap 确认登记 again when it is back.
            self.state = CheckInState.CONFIRM if admitting else CheckInState.IDLE
            self.rejected.emit(KioskError(prompts.PLATFORM_UNAVAILABLE))
            return
        self.state = CheckInState.REJECTED
        self._preview = None
        if isinstance(exc, PassRejectedError):
            log.info("pass refused: %s", exc.reason.value)
            self.rejected.emit(KioskError(rejection_prompt(exc.reason.value)))
        else:
            log.error("check-in failed: %s", type(exc).__name__)
            self.rejected.emit(KioskError(prompts.TASK_FAILED))

    def _count_wrong_code(self) -> None:
        self._wrong_codes += 1
        if self._wrong_codes >= self._wrong_limit:
            self._wrong_codes = 0
            self._paused_until = self._monotonic() + CODE_PAUSE_S

    def _print_slip(self, visit: Visit, valid_until: datetime | None) -> None:
        self._slips.print(visit, lambda: self._make_slip(visit, valid_until))

    @staticmethod
    def _slip_error(visit: Visit) -> KioskError:
        from kiosk.security.short_codes import format_code

        return KioskError(prompts.CHECKIN_SLIP_FAILED, code=format_code(visit.exit_code))

    def _local(self, moment: datetime) -> str:
        return moment.astimezone(self._tz).strftime("%Y-%m-%d %H:%M")

    def _visit_view(self, visit: Visit) -> VisitView:
        from kiosk.security.short_codes import format_code

        moment = visit.checked_out_at or visit.checked_in_at
        return VisitView(
            masked_visitor=mask_name(visit.visitor_name),
            spoken_visitor=spoken_name(visit.visitor_name),
            household_label=visit.host_label or "",
            exit_code=format_code(visit.exit_code) if visit.exit_code else "",
            time=self._local(moment),
        )
