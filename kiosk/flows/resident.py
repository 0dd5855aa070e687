"""Who is the resident? Community card, resident QR code, or room + last four phone digits.

Knows no screens. Platform calls run on the task runner; the answers arrive on the GUI
thread. An identified resident is put into the session (:meth:`VisitorSession.identify_resident`,
which keeps only the masked name), so that flows act for them
(:meth:`VisitorSession.actor`: "volunteer V for resident R" in assisted mode).

Room + phone digits is the weakest of the three ways (four digits, known to family and
neighbours). Outside assisted mode it identifies at once (the platform counts misses per room
and locks the room, RELIABILITY.md case 33). In assisted mode the volunteer acts for someone
who may not be present, so the kiosk first shows the volunteer the masked name and home it
found (:attr:`ResidentFlow.needs_volunteer_confirmation`); the resident is identified only
after :meth:`ResidentFlow.confirm` (确认身份), and :meth:`ResidentFlow.decline` (不是本人)
drops the match. A card or a resident code in assisted mode identifies at once: they are
things the resident has.

A new attempt while one is being checked is ignored; answers that arrive after the visit
ended (or after :meth:`reset`) are dropped.
"""

from __future__ import annotations

import enum
import logging
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, Signal

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.flows.volunteer import is_permanent_lock
from kiosk.masking import mask_name
from kiosk.prompts import QT_TRANSLATE_NOOP, Prompt
from kiosk.session import IdentifiedBy, Resident, VisitorSession
from kiosk.tasks import Runner

if TYPE_CHECKING:
    from kiosk.platform.api import Platform, ResidentIdentity

log = logging.getLogger(__name__)

# NOTE: each literal is wrapped in QT_TRANSLATE_NOOP at its definition so lupdate sees it.
RESIDENT_IDENTIFY = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Please tell us who you are: tap your community card on the reader, show your "
        "resident code to the camera, or enter your room number.",
    ),
)
RESIDENT_CARD = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP("Prompt", "Tap your community card on the card reader and hold it there."),
)
RESIDENT_QR = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Open the community app, show your resident code and hold the phone up to the camera.",
    ),
)
RESIDENT_ROOM = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP("Prompt", "Choose your building, unit and room."),
)
RESIDENT_PHONE = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Enter the last 4 digits of the phone number registered for {household}, then press OK.",
    ),
)
RESIDENT_PHONE_INCOMPLETE = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP("Prompt", "Please enter all 4 digits of the phone number, then press OK."),
)
RESIDENT_CHECKING = Prompt("Prompt", QT_TRANSLATE_NOOP("Prompt", "Checking. One moment please."))
RESIDENT_CONFIRM = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Volunteer, please check: {name}, {household}. If this is the resident, "
        "touch Confirm identity.",
    ),
)
RESIDENT_WELCOME = Prompt("Prompt", QT_TRANSLATE_NOOP("Prompt", "Hello, {name}."))
RESIDENT_NOT_CONFIRMED = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt", "Not confirmed. Please check the room number and phone digits, or use a card."
    ),
)
RESIDENT_NO_MATCH = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "The room number and phone digits do not match. Please check them and try again. "
        "{left} attempts left.",
    ),
)
RESIDENT_NO_MATCH_PLAIN = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "The room number and phone digits do not match. Please check them and try again.",
    ),
)
RESIDENT_LOCKED = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Too many attempts for this room. Please try again in {minutes} minutes, "
        "use your card or resident code, or ask a volunteer.",
    ),
)
RESIDENT_LOCKED_STAFF = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Too many attempts for this room: it is locked until the station staff unlock it. "
        "Please use your card or resident code, or ask the station staff.",
    ),
)
RESIDENT_AMBIGUOUS = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "Several residents of this room have these phone digits. Please use your card or "
        "resident code, or ask a volunteer.",
    ),
)
RESIDENT_CODE_EXPIRED = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This resident code has expired. Please refresh the code in the app and show it again.",
    ),
)
RESIDENT_CODE_REFUSED = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This code cannot be used here. Please show the resident code of the community app, "
        "or use your card or room number.",
    ),
)
RESIDENT_CARD_UNKNOWN = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This card is not registered. Please use your resident code or room number, "
        "or ask a volunteer.",
    ),
)
RESIDENT_GONE = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt", "This resident is not registered at this station. Please ask a volunteer."
    ),
)
RESIDENT_UNAVAILABLE = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "The community platform cannot be reached right now. Please try again in a moment, "
        "or ask a volunteer.",
    ),
)


#: One home for the building/unit/room picker: (household_id, building, building name,
#: unit, room, label), the order of ``ui.widgets.household_picker.HouseholdOption``.
HomeChoice = tuple[int, str, str, str, str, str]


def identity_scan_kind(text: str) -> Literal["resident", "volunteer"] | None:
    """Which identity flow a camera read belongs to, by its prefix alone (``KR1.`` resident
    code, ``KV1.`` volunteer code), or ``None`` (a pass, an exit code, anything else).

    Proves nothing: the platform verifies the code. The token module (and with it the
    cryptography package) is imported on the first scan, not on the start-up path.
    """
    from kiosk.security.identity_tokens import IdentityKind, looks_like_identity_token

    kind = looks_like_identity_token(text)
    if kind is IdentityKind.RESIDENT:
        return "resident"
    if kind is IdentityKind.VOLUNTEER:
        return "volunteer"
    return None


def spoken_masked(masked_name: str) -> str:
    """A masked name as speech should say it: the star of ``张*明`` is read as 某."""
    return masked_name.replace("*", "某")


class ResidentState(enum.Enum):
    IDLE = "idle"
    CHECKING = "checking"
    CONFIRM = "confirm"


class ResidentFlow(QObject):
    """Identify the resident a visit is for.

    Signals:
        checking: An attempt is being checked (show "one moment").
        identified: The session now has this resident; arg: the session ``Resident``.
        rejected: The attempt failed; arg: KioskError to show and speak.
        needs_volunteer_confirmation: Assisted mode, room path: the volunteer must check the
            match; args: masked name, household label.
        households_loaded: The homes to pick from; arg: list of ``HomeChoice``.
        households_failed: They could not be read; arg: KioskError.
    """

    checking = Signal()
    identified = Signal(object)
    rejected = Signal(object)
    needs_volunteer_confirmation = Signal(str, str)
    households_loaded = Signal(list)
    households_failed = Signal(object)

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
        """``max_failures`` is the room lockout's (the platform's ``lockout`` policy: the
        admin section of the config) and gives "N attempts left"."""
        super().__init__(parent)
        self._platform = platform
        self._session = session
        self._tasks = tasks
        self._max_failures = max_failures
        self._clock = clock
        self._generation = 0
        self._pending: ResidentIdentity | None = None
        self.state = ResidentState.IDLE
        session.ended.connect(lambda _r: self.reset())

    # ---------------------------------------------------------------- the three ways

    def card_presented(self, uid_hash: str) -> None:
        """A community card (not a volunteer's) was tapped; arg: its keyed hash."""
        self._identify(lambda: self._platform().identify_resident_by_card(uid_hash), "card")

    def qr_presented(self, token: str) -> None:
        """A resident code (``KR1.…``) was read by the camera."""
        self._identify(lambda: self._platform().identify_resident_by_qr(token), "qr")

    def room_entered(self, building: str, unit: str, room: str, phone_last4: str) -> None:
        """Building, unit and room numbers plus the last four digits of the phone number."""
        self._identify(
            lambda: self._platform().identify_resident_by_room(building, unit, room, phone_last4),
            "room",
        )

    def load_households(self) -> None:
        """Read the community's homes for the picker (answer: ``households_loaded``)."""

        def work() -> list[HomeChoice]:
            return [
                (h.household_id, h.building, h.building_name, h.unit, h.room, h.label)
                for h in self._platform().find_households()
            ]

        def failed(exc: BaseException) -> None:
            self.households_failed.emit(self._error(exc, "room"))

        self._tasks.run(work, self.households_loaded.emit, failed)

    # ---------------------------------------------------------------- the volunteer's check

    def confirm(self) -> None:
        """确认身份: the volunteer confirms the room match."""
        identity = self._pending
        if identity is None or self.state is not ResidentState.CONFIRM:
            return
        self._pending = None
        self.state = ResidentState.IDLE
        self._finish(identity, "room")

    def decline(self) -> None:
        """不是本人: the match is not the person the volunteer is helping."""
        if self.state is not ResidentState.CONFIRM:
            return
        self._pending = None
        self.state = ResidentState.IDLE
        log.info("room identification declined by the volunteer")
        self.rejected.emit(KioskError(RESIDENT_NOT_CONFIRMED))

    def reset(self) -> None:
        """Forget any attempt in progress (the visit ended, or the screen was left)."""
        self._generation += 1
        self._pending = None
        self.state = ResidentState.IDLE

    # ---------------------------------------------------------------- internals

    def _identify(self, work: Callable[[], ResidentIdentity], via: IdentifiedBy) -> None:
        if self.state is ResidentState.CHECKING:
            return
        self._pending = None
        self.state = ResidentState.CHECKING
        generation = self._generation
        self.checking.emit()

        def done(identity: ResidentIdentity) -> None:
            if generation != self._generation:
                return
            if via == "room" and self._session.volunteer is not None:
                self._pending = identity
                self.state = ResidentState.CONFIRM
                self.needs_volunteer_confirmation.emit(
                    mask_name(identity.name), identity.household_label
                )
                return
            self.state = ResidentState.IDLE
            self._finish(identity, via)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.state = ResidentState.IDLE
            self.rejected.emit(self._error(exc, via))

        self._tasks.run(work, done, failed)

    def _finish(self, identity: ResidentIdentity, via: IdentifiedBy) -> None:
        resident: Resident = self._session.identify_resident(identity, via=via)
        self.identified.emit(resident)

    def _error(self, exc: BaseException, via: IdentifiedBy) -> KioskError:
        from kiosk.platform.api import (
            AmbiguousIdentityError,
            IdentificationFailedError,
            IdentityCodeRejectedError,
            LockedOutError,
            NotSupportedError,
            PlatformUnavailableError,
            ResidentNotFoundError,
        )

        now = self._clock()
        if isinstance(exc, LockedOutError) or (
            isinstance(exc, IdentificationFailedError)
            and exc.locked_until is not None
            and exc.locked_until > now
        ):
            until = exc.locked_until
            assert until is not None
            log.info("room identification locked")
            if is_permanent_lock(until):
                return KioskError(RESIDENT_LOCKED_STAFF)
            minutes = max(1, math.ceil((until - now).total_seconds() / 60))
            return KioskError(RESIDENT_LOCKED, minutes=minutes)
        if isinstance(exc, IdentificationFailedError):
            log.info("room identification: no match")
            if exc.failures > 0:
                left = max(0, self._max_failures - exc.failures)
                if left > 0:
                    return KioskError(RESIDENT_NO_MATCH, left=left)
            return KioskError(RESIDENT_NO_MATCH_PLAIN)
        if isinstance(exc, AmbiguousIdentityError):
            log.info("room identification: ambiguous")
            return KioskError(RESIDENT_AMBIGUOUS)
        if isinstance(exc, IdentityCodeRejectedError):
            log.info("resident code refused: %s", exc.reason)
            if exc.reason == "expired":
                return KioskError(RESIDENT_CODE_EXPIRED)
            return KioskError(RESIDENT_CODE_REFUSED)
        if isinstance(exc, NotSupportedError) and via == "qr":
            log.warning("resident codes are not supported by this platform")
            return KioskError(RESIDENT_CODE_REFUSED)
        if isinstance(exc, ResidentNotFoundError):
            log.info("resident %s names nobody", via)
            return KioskError(RESIDENT_CARD_UNKNOWN if via == "card" else RESIDENT_GONE)
        if isinstance(exc, PlatformUnavailableError):
            log.warning("resident identification: platform unavailable")
            return KioskError(RESIDENT_UNAVAILABLE)
        log.error("resident identification failed: %s", type(exc).__name__)
        return KioskError(prompts.TASK_FAILED)
