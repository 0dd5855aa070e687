"""Volunteer sign-in: staff card, then PIN, starts assisted mode (代办).

Every action afterwards is recorded as "volunteer V for resident R" by the platform. Assisted
mode ends on 结束协助, when the visit ends (结束, idle timeout) or with the volunteer's card
being presented again at the sign-in screen's 取消.
"""

from __future__ import annotations

import enum
import logging
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.session import VisitorSession, Volunteer
from kiosk.tasks import Runner

if TYPE_CHECKING:
    from kiosk.platform.api import Platform, VolunteerIdentity

log = logging.getLogger(__name__)


class VolunteerState(enum.Enum):
    IDLE = "idle"
    ENTER_PIN = "enter_pin"
    SIGNED_IN = "signed_in"


class VolunteerFlow(QObject):
    """Knows no screens.

    Signals:
        card_recognised: A volunteer's card was presented; arg: the masked name.
        not_a_volunteer: The card belongs to no active volunteer; arg: its hash (for the
            resident path).
        signed_in: PIN accepted; assisted mode is on; arg: the session Volunteer.
        rejected: PIN refused or locked; arg: KioskError to show and speak.
    """

    card_recognised = Signal(str)
    not_a_volunteer = Signal(str)
    signed_in = Signal(object)
    rejected = Signal(object)

    def __init__(
        self,
        platform: Callable[[], Platform],
        session: VisitorSession,
        tasks: Runner,
        *,
        max_failures: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._platform = platform
        self._session = session
        self._tasks = tasks
        self._max_failures = max_failures
        self._clock = clock
        self._candidate: VolunteerIdentity | None = None
        self.state = VolunteerState.IDLE
        session.ended.connect(lambda _r: self.reset())

    def card_presented(self, uid_hash: str) -> None:
        """A card arrived: decide (off the GUI thread) whether it is a volunteer's."""

        def work() -> VolunteerIdentity | None:
            from kiosk.platform.api import VolunteerNotFoundError

            try:
                return self._platform().identify_volunteer_by_card(uid_hash)
            except VolunteerNotFoundError:
                return None

        def done(identity: VolunteerIdentity | None) -> None:
            if identity is None:
                self.not_a_volunteer.emit(uid_hash)
                return
            self._candidate = identity
            self.state = VolunteerState.ENTER_PIN
            self.card_recognised.emit(Volunteer(identity.volunteer_id, identity.name).masked_name)

        self._tasks.run(work, done, self._failed)

    def submit_pin(self, pin: str) -> None:
        candidate = self._candidate
        if candidate is None or self.state is not VolunteerState.ENTER_PIN:
            return

        def work() -> VolunteerIdentity:
            return self._platform().verify_volunteer_pin(candidate.volunteer_id, pin)

        def done(identity: VolunteerIdentity) -> None:
            volunteer = Volunteer(identity.volunteer_id, identity.name)
            self.state = VolunteerState.SIGNED_IN
            self._candidate = None
            self._session.sign_in_volunteer(volunteer)
            log.info("volunteer %d signed in", identity.volunteer_id)
            self.signed_in.emit(volunteer)

        self._tasks.run(work, done, self._failed)

    def reset(self) -> None:
        self._candidate = None
        self.state = VolunteerState.IDLE

    def _failed(self, exc: BaseException) -> None:
        from kiosk.platform.api import LockedOutError, PinNotSetError, WrongPinError

        now = self._clock()
        if isinstance(exc, LockedOutError) or (
            isinstance(exc, WrongPinError) and exc.locked_until and exc.locked_until > now
        ):
            until = exc.locked_until
            assert until is not None
            minutes = max(1, math.ceil((until - now).total_seconds() / 60))
            self.rejected.emit(KioskError(prompts.VOLUNTEER_LOCKED, minutes=minutes))
        elif isinstance(exc, WrongPinError):
            left = max(0, self._max_failures - exc.failures)
            self.rejected.emit(KioskError(prompts.ADMIN_WRONG_PIN, left=left))
        elif isinstance(exc, PinNotSetError):
            self.rejected.emit(KioskError(prompts.VOLUNTEER_NO_PIN))
        else:
            log.error("volunteer sign-in failed: %s", type(exc).__name__)
            self.rejected.emit(KioskError(prompts.TASK_FAILED))
