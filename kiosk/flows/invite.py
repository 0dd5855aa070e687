"""邀请访客: a resident without a smartphone invites a visitor and takes the pass home on paper.

The resident is identified first (community card, resident code or room + phone digits;
:mod:`kiosk.flows.resident`). They pick the day and time window and the visitor's name;
the platform signs the pass (the kiosk never holds the signing key) and the kiosk prints an
invitation slip with the pass QR code and its short code, to hand over or photograph.

The request id is chosen once per invitation, so a double tap or a retry after a lost
answer prints the same pass, never two.
"""

from __future__ import annotations

import logging
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
from kiosk.session import VisitorSession
from kiosk.tasks import Runner

if TYPE_CHECKING:
    from hardware.protocols import Receipt
    from kiosk.platform.api import Actor, IssuedPass, Platform

log = logging.getLogger(__name__)


def _uuid4() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class InvitationView:
    """What the done screen shows: masked already."""

    masked_visitor: str
    household_label: str
    window: str
    short_code: str


class InviteFlow(QObject):
    """Signals:
    issued: arg InvitationView: the pass is signed; the slip is printing.
    printed: the slip came out.
    print_failed: arg KioskError (the message gives the short code to write down).
    failed: arg KioskError: the pass could not be issued.
    """

    issued = Signal(object)
    printed = Signal()
    print_failed = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        platform: Callable[[], Platform],
        session: VisitorSession,
        tasks: Runner,
        *,
        print_slip: Callable[[Receipt], None],
        make_slip: Callable[[IssuedPass], Receipt],
        actor: Callable[[], Actor],
        tz: ZoneInfo,
        new_id: Callable[[], str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._platform = platform
        self._session = session
        self._tasks = tasks
        self._make_slip = make_slip
        self._actor = actor
        self._tz = tz
        # A UUID4 string, as kiosk.platform.api.new_id makes (not imported here: that
        # module stays off the start-up path).
        self._new_id = new_id if new_id is not None else _uuid4
        self.valid_from: datetime | None = None
        self.valid_until: datetime | None = None
        self.visitor_name = ""
        self._request_id = ""
        self._busy = False
        self._slips: SlipPrinter[IssuedPass] = SlipPrinter(
            tasks,
            print_slip,
            printed=self.printed.emit,
            failed=self.print_failed.emit,
            error=self._print_error,
            what="invitation slip",
            what_unprinted="invitation",
            logger=log,
        )
        # Answers that arrive after a reset belong to a visit that is over.
        self._generation = 0
        # The draft is the identified resident's: another resident starts afresh. (Bound
        # methods, not lambdas: the session would keep a lambda, and with it this flow.)
        session.ended.connect(self._on_session_changed)
        session.resident_changed.connect(self._on_session_changed)

    @property
    def busy(self) -> bool:
        return self._busy

    def start(self) -> None:
        self.reset()

    def choose_window(self, valid_from: datetime, valid_until: datetime) -> None:
        self.valid_from = valid_from
        self.valid_until = valid_until
        self._request_id = ""

    def set_name(self, name: str) -> None:
        self.visitor_name = name.strip()
        self._request_id = ""

    def window_text(self) -> str:
        if self.valid_from is None or self.valid_until is None:
            return ""
        start = self.valid_from.astimezone(self._tz)
        end = self.valid_until.astimezone(self._tz)
        return f"{start:%Y-%m-%d %H:%M} – {end:%H:%M}"

    def issue(self) -> None:
        """Ask the platform to sign the pass, then print the invitation."""
        resident = self._session.resident
        if (
            self._busy
            or resident is None
            or self.valid_from is None
            or self.valid_until is None
            or not self.visitor_name
        ):
            return
        from kiosk.platform.api import IssuePassRequest

        if not self._request_id:
            self._request_id = self._new_id()
        request = IssuePassRequest(
            household_id=resident.household_id,
            visitor_name=self.visitor_name,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            request_id=self._request_id,
        )
        actor = self._actor()
        self._busy = True
        generation = self._generation

        def done(issued: IssuedPass) -> None:
            from kiosk.security.short_codes import format_code

            self._busy = False
            if generation != self._generation:
                return  # the visit ended while the pass was being signed
            log.info("invitation issued")
            self.issued.emit(
                InvitationView(
                    masked_visitor=mask_name(issued.visitor_name),
                    household_label=issued.household_label,
                    window=self.window_text(),
                    short_code=format_code(issued.short_code),
                )
            )
            self._print_slip(issued)

        def failed(exc: BaseException) -> None:
            self._busy = False
            if generation == self._generation:
                self._fail(exc)

        self._tasks.run(lambda: self._platform().issue_pass(request, actor=actor), done, failed)

    def reprint(self) -> None:
        self._slips.reprint()

    def reset(self) -> None:
        """Forget the draft and the last slip (end of visit, another resident, 完成)."""
        self._generation += 1
        self.valid_from = None
        self.valid_until = None
        self.visitor_name = ""
        self._request_id = ""
        self._slips.forget()

    def _on_session_changed(self, _arg: object) -> None:
        self.reset()

    def _print_slip(self, issued: IssuedPass) -> None:
        self._slips.print(issued, lambda: self._make_slip(issued))

    @staticmethod
    def _print_error(issued: IssuedPass) -> KioskError:
        from kiosk.security.short_codes import format_code

        return KioskError(prompts.INVITE_PRINT_FAILED, code=format_code(issued.short_code))

    def _fail(self, exc: BaseException) -> None:
        from kiosk.platform.api import (
            InvalidRequestError,
            NotSupportedError,
            PlatformUnavailableError,
        )

        self._busy = False
        if isinstance(exc, NotSupportedError):
            self.failed.emit(KioskError(prompts.INVITE_NOT_HERE))
        elif isinstance(exc, InvalidRequestError):
            self.failed.emit(KioskError(prompts.INVITE_BAD_WINDOW))
        elif isinstance(exc, PlatformUnavailableError):
            self.failed.emit(KioskError(prompts.PLATFORM_UNAVAILABLE))
        else:
            log.error("invitation failed: %s", type(exc).__name__)
            self.failed.emit(KioskError(prompts.TASK_FAILED))
