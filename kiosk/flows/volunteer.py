"""Volunteer sign-in: staff card or volunteer QR code, then PIN, starts assisted mode (代办).

Every action afterwards is recorded as "volunteer V for resident R" by the platform (the
session's :meth:`~kiosk.session.VisitorSession.actor`). Assisted mode ends on 结束协助, when
the visit ends (结束, idle timeout), or at one of its own limits
(:class:`kiosk.session.IdleWatcher`: its idle limit and a maximum of 30 minutes a sign-in).
Signing in again while signed in renews the sign-in.

The volunteer code (``KV1.…``) shown by the platform's app only says who the volunteer is; the
PIN is asked for afterwards exactly as after a card, so a copied code opens nothing.
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
from kiosk.prompts import QT_TRANSLATE_NOOP, Prompt
from kiosk.session import VisitorSession, Volunteer
from kiosk.tasks import Runner

if TYPE_CHECKING:
    from kiosk.platform.api import Platform, VolunteerIdentity

log = logging.getLogger(__name__)

# NOTE: each literal is wrapped in QT_TRANSLATE_NOOP at its definition so lupdate sees it.
VOLUNTEER_CODE_EXPIRED = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This volunteer code has expired. Please refresh the code in the app and show it again.",
    ),
)
VOLUNTEER_CODE_REFUSED = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This code cannot be used here. Please show the volunteer code of the community app, "
        "or use your staff card.",
    ),
)
VOLUNTEER_NOT_ACTIVE = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This volunteer is not registered or not active at this station. "
        "Please ask the station staff.",
    ),
)
VOLUNTEER_UNAVAILABLE = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Volunteer sign-in is not possible right now: the community platform cannot be "
        "reached. Please try again in a moment.",
    ),
)
#: A PIN (volunteer or admin) locked by the hard cap: only staff can unlock it.
PIN_LOCKED_ASK_STAFF = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Too many wrong PINs. This PIN is locked until the station staff unlock it. "
        "Please ask the station staff.",
    ),
)
VOLUNTEER_EXPIRING = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Assisted mode ends in {seconds} seconds. To go on, the volunteer signs in again "
        "with card or code and PIN.",
    ),
)
VOLUNTEER_ENDED_MAX = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Assisted mode has ended: a volunteer sign-in lasts {minutes} minutes. "
        "The volunteer can sign in again to go on.",
    ),
)
VOLUNTEER_ENDED_IDLE = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP("Prompt", "Assisted mode has ended because the screen was not used."),
)


def is_permanent_lock(until: datetime | None) -> bool:
    """Whether a lock is the hard cap's (staff must unlock), not a delay that ends."""
    from kiosk.store.lockouts import is_permanent

    return is_permanent(until)


def lock_error(until: datetime, now: datetime, prompt: Prompt) -> KioskError:
    """The message for a lock ending at ``until``: ``prompt`` with ``{minutes}`` left, or
    :data:`PIN_LOCKED_ASK_STAFF` for a lock only staff can end."""
    if is_permanent_lock(until):
        return KioskError(PIN_LOCKED_ASK_STAFF)
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return KioskError(prompt, minutes=minutes)


class VolunteerState(enum.Enum):
    IDLE = "idle"
    ENTER_PIN = "enter_pin"
    SIGNED_IN = "signed_in"


class VolunteerFlow(QObject):
    """Knows no screens.

    Signals:
        card_recognised: A volunteer's card or code was presented; arg: the masked name.
        not_a_volunteer: The card belongs to no active volunteer; arg: its hash (for the
            resident path).
        identification_failed: A volunteer code was refused, names no active volunteer, or
            the platform could not be asked; arg: KioskError to show and speak wherever the
            code was shown.
        signed_in: PIN accepted; assisted mode is on; arg: the session Volunteer.
        rejected: PIN refused or locked; arg: KioskError to show and speak.
    """

    card_recognised = Signal(str)
    not_a_volunteer = Signal(str)
    identification_failed = Signal(object)
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
        # Answers that arrive after a reset (the visit ended meanwhile) are dropped.
        self._generation = 0
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
            else:
                self._recognised(identity)

        self._run_identification(work, done)

    def qr_presented(self, token: str) -> None:
        """A volunteer code (``KV1.…``) was read by the camera: whose is it? Then the PIN."""

        def work() -> VolunteerIdentity:
            return self._platform().identify_volunteer_by_qr(token)

        self._run_identification(work, self._recognised)

    def submit_pin(self, pin: str) -> None:
        candidate = self._candidate
        if candidate is None or self.state is not VolunteerState.ENTER_PIN:
            return
        generation = self._generation

        def work() -> VolunteerIdentity:
            return self._platform().verify_volunteer_pin(candidate.volunteer_id, pin)

        def done(identity: VolunteerIdentity) -> None:
            if generation != self._generation:
                return
            volunteer = Volunteer(identity.volunteer_id, identity.name)
            self.state = VolunteerState.SIGNED_IN
            self._candidate = None
            self._session.sign_in_volunteer(volunteer)
            log.info("volunteer %d signed in", identity.volunteer_id)
            self.signed_in.emit(volunteer)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._pin_failed(exc)

        self._tasks.run(work, done, failed)

    def reset(self) -> None:
        self._generation += 1
        self._candidate = None
        self.state = VolunteerState.IDLE

    # ---------------------------------------------------------------- internals

    def _run_identification(
        self,
        work: Callable[[], VolunteerIdentity | None],
        done: Callable[[VolunteerIdentity | None], None],
    ) -> None:
        generation = self._generation

        def on_done(identity: VolunteerIdentity | None) -> None:
            if generation == self._generation:
                done(identity)

        def on_error(exc: BaseException) -> None:
            if generation == self._generation:
                self.identification_failed.emit(self._identification_error(exc))

        self._tasks.run(work, on_done, on_error)

    def _recognised(self, identity: VolunteerIdentity | None) -> None:
        assert identity is not None
        self._candidate = identity
        self.state = VolunteerState.ENTER_PIN
        self.card_recognised.emit(Volunteer(identity.volunteer_id, identity.name).masked_name)

    @staticmethod
    def _identification_error(exc: BaseException) -> KioskError:
        from kiosk.platform.api import (
            IdentityCodeRejectedError,
            PlatformUnavailableError,
            VolunteerNotFoundError,
        )

        if isinstance(exc, IdentityCodeRejectedError):
            log.info("volunteer code refused: %s", exc.reason)
            if exc.reason == "expired":
                return KioskError(VOLUNTEER_CODE_EXPIRED)
            return KioskError(VOLUNTEER_CODE_REFUSED)
        if isinstance(exc, VolunteerNotFoundError):
            log.info("volunteer code names no active volunteer")
            return KioskError(VOLUNTEER_NOT_ACTIVE)
        if isinstance(exc, PlatformUnavailableError):
            log.warning("volunteer identification: platform unavailable")
            return KioskError(VOLUNTEER_UNAVAILABLE)
        log.error("volunteer identification failed: %s", type(exc).__name__)
        return KioskError(prompts.TASK_FAILED)

    def _pin_failed(self, exc: BaseException) -> None:
        from kiosk.platform.api import (
            LockedOutError,
            PinNotSetError,
            PlatformUnavailableError,
            WrongPinError,
        )

        now = self._clock()
        if isinstance(exc, LockedOutError) or (
            isinstance(exc, WrongPinError) and exc.locked_until and exc.locked_until > now
        ):
            until = exc.locked_until
            assert until is not None
            self.rejected.emit(lock_error(until, now, prompts.VOLUNTEER_LOCKED))
        elif isinstance(exc, WrongPinError):
            left = max(0, self._max_failures - exc.failures)
            self.rejected.emit(KioskError(prompts.ADMIN_WRONG_PIN, left=left))
        elif isinstance(exc, PinNotSetError):
            self.rejected.emit(KioskError(prompts.VOLUNTEER_NO_PIN))
        elif isinstance(exc, PlatformUnavailableError):
            log.warning("volunteer PIN check: platform unavailable")
            self.rejected.emit(KioskError(VOLUNTEER_UNAVAILABLE))
        else:
            log.error("volunteer sign-in failed: %s", type(exc).__name__)
            self.rejected.emit(KioskError(prompts.TASK_FAILED))
