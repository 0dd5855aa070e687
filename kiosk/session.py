"""The visit: who is at the kiosk, in which mode, and when the visit ends.

A ``VisitorSession`` begins at the first touch and ends on 结束, on idle timeout, or when a card
is removed. Ending it emits ``ended``; the window then wipes every personal datum from screens,
flows and the speech queue, and the mode, language and volume go back to the station defaults.

Who acts: a visit may have an identified resident (``resident``: card, resident QR code or
room + phone digits) and a signed-in volunteer (assisted mode). Flows name the actor of a
platform write with :meth:`VisitorSession.actor`: "volunteer V for resident R" (代办) when
both are there, the volunteer alone, the resident alone, or the kiosk itself.
"""

from __future__ import annotations

import enum
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.config import SessionConfig
from kiosk.masking import mask_name

if TYPE_CHECKING:
    from kiosk.platform.api import Actor, ResidentIdentity

log = logging.getLogger(__name__)

#: The system actor's name for what the kiosk does by itself (a visitor's self check-in).
KIOSK_ACTOR = "kiosk"


class Mode(enum.Enum):
    """What the kiosk looks like and allows. Derived from the session's flags."""

    STANDARD = "standard"
    ELDERLY = "elderly"
    ASSISTED = "assisted"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Volunteer:
    """A signed-in volunteer (assisted mode). ``name`` is never shown unmasked."""

    volunteer_id: int
    name: str

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)


IdentifiedBy = Literal["card", "qr", "room"]


@dataclass(frozen=True, slots=True, repr=False)
class Resident:
    """The resident this visit is for, once identified. Holds no full name.

    Attributes:
        resident_id: Platform id.
        household_id: Platform id of their home.
        masked_name: ``张*明``: what public screens may show.
        household_label: ``3栋2单元501``.
        identified_by: ``"card"``, ``"qr"`` or ``"room"`` (room + last four phone digits).
        assisted_by: The volunteer signed in when the resident was identified (for them, or
            confirmed by them), else ``None``. Such an identification ends with the
            volunteer's sign-in.
    """

    resident_id: int
    household_id: int
    masked_name: str
    household_label: str
    identified_by: IdentifiedBy
    assisted_by: int | None = None

    def __repr__(self) -> str:
        # NOTE: no name and no address, not even masked: reprs end up in logs.
        return (
            f"Resident(resident_id={self.resident_id}, household_id={self.household_id}, "
            f"identified_by={self.identified_by!r}, assisted_by={self.assisted_by})"
        )


class EndReason(enum.Enum):
    FINISHED = "finished"
    IDLE = "idle"
    CARD_REMOVED = "card_removed"
    ADMIN = "admin"


class VisitorSession(QObject):
    """State of the current visit.

    Signals:
        started: A visit began.
        ended: The visit ended; arg: an ``EndReason``. Listeners wipe personal data.
        mode_changed: The derived ``Mode`` changed; arg: the new Mode.
        text_step_changed: The 长辈模式 text size step changed; arg: the step index.
        resident_changed: A resident was identified, or the identification ended; arg: the
            ``Resident`` or ``None``. Emitted before ``ended`` when a visit ends.
        volunteer_changed: A volunteer signed in (a renewal by the same volunteer too) or
            out; arg: the ``Volunteer`` or ``None``.
    """

    started = Signal()
    ended = Signal(object)
    mode_changed = Signal(object)
    text_step_changed = Signal(int)
    resident_changed = Signal(object)
    volunteer_changed = Signal(object)

    TEXT_STEPS: tuple[float, ...] = (1.0, 1.3, 1.67)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._active = False
        self._elderly = False
        self._volunteer: Volunteer | None = None
        self._resident: Resident | None = None
        self._admin = False
        self._text_step = 0

    @property
    def active(self) -> bool:
        return self._active

    @property
    def elderly(self) -> bool:
        return self._elderly

    @property
    def volunteer(self) -> Volunteer | None:
        return self._volunteer

    @property
    def resident(self) -> Resident | None:
        return self._resident

    @property
    def admin(self) -> bool:
        return self._admin

    @property
    def text_step(self) -> int:
        return self._text_step

    @property
    def text_scale(self) -> float:
        return self.TEXT_STEPS[self._text_step] if self._elderly else 1.0

    @property
    def mode(self) -> Mode:
        if self._admin:
            return Mode.ADMIN
        if self._volunteer is not None:
            return Mode.ASSISTED
        if self._elderly:
            return Mode.ELDERLY
        return Mode.STANDARD

    def begin(self) -> None:
        if self._active:
            return
        self._active = True
        log.info("session started")
        self.started.emit()

    def end(self, reason: EndReason) -> None:
        """End the visit and return every setting to the station default."""
        was_active = self._active
        before = self.mode
        had_resident = self._resident is not None
        had_volunteer = self._volunteer is not None
        self._active = False
        self._elderly = False
        self._volunteer = None
        self._resident = None
        self._admin = False
        self._text_step = 0
        log.info("session ended: %s", reason.value)
        if before is not self.mode:
            self.mode_changed.emit(self.mode)
        if had_volunteer:
            self.volunteer_changed.emit(None)
        if had_resident:
            self.resident_changed.emit(None)
        if was_active or reason is EndReason.ADMIN:
            self.ended.emit(reason)

    def _change(self, apply: Callable[[], None]) -> None:
        before = self.mode
        apply()
        if self.mode is not before:
            self.mode_changed.emit(self.mode)

    def set_elderly(self, on: bool) -> None:
        """Turn 长辈模式 on or off. The theme follows this flag in assisted mode too, so
        ``mode_changed`` is emitted whenever the flag changes."""
        if on == self._elderly:
            return
        self._elderly = on
        self._text_step = 0
        self.mode_changed.emit(self.mode)

    def set_text_step(self, step: int) -> None:
        if not 0 <= step < len(self.TEXT_STEPS):
            raise ValueError(f"text step {step} out of range")
        self._text_step = step
        self.text_step_changed.emit(step)

    def sign_in_volunteer(self, volunteer: Volunteer) -> None:
        """Start assisted mode (or renew it: the volunteer entered their PIN again)."""

        def apply() -> None:
            self._volunteer = volunteer

        self.begin()
        self._change(apply)
        self.volunteer_changed.emit(volunteer)

    def sign_out_volunteer(self) -> None:
        """End assisted mode; the visit goes on.

        A resident identified while the volunteer was signed in is forgotten as well: the
        volunteer may have identified them in their absence (代办), so their data must not
        stay on the screen for whoever touches it next. A resident who identified before
        the volunteer signed in stays.
        """
        if self._volunteer is None:
            return

        def apply() -> None:
            self._volunteer = None

        self._change(apply)
        self.volunteer_changed.emit(None)
        if self._resident is not None and self._resident.assisted_by is not None:
            self.sign_out_resident()

    def identify_resident(self, identity: ResidentIdentity, *, via: IdentifiedBy) -> Resident:
        """The visit is now for this resident (replacing anyone identified before).

        Only the masked name is kept. In assisted mode the signed-in volunteer is recorded
        as ``assisted_by``. Starts the visit if it has not started.

        Returns:
            The session's ``Resident``.
        """
        volunteer = self._volunteer
        resident = Resident(
            resident_id=identity.resident_id,
            household_id=identity.household_id,
            masked_name=mask_name(identity.name),
            household_label=identity.household_label,
            identified_by=via,
            assisted_by=volunteer.volunteer_id if volunteer is not None else None,
        )
        self.begin()
        self._resident = resident
        log.info("resident identified by %s", via)
        self.resident_changed.emit(resident)
        return resident

    def sign_out_resident(self) -> None:
        """Forget the identified resident; the visit goes on."""
        if self._resident is None:
            return
        self._resident = None
        log.info("resident identification ended")
        self.resident_changed.emit(None)

    def actor(self) -> Actor:  # the import is here: it stays off the start-up path
        """Who a platform write is made by, now.

        Admin mode: the admin. Assisted mode: the volunteer, "for resident R" once a resident
        is identified. Otherwise the identified resident, or the kiosk itself
        (``Actor.system("kiosk")``: a visitor's self check-in).
        """
        from kiosk.platform.api import Actor

        if self._admin:
            return Actor.admin()
        resident_id = self._resident.resident_id if self._resident is not None else None
        if self._volunteer is not None:
            return Actor.volunteer(self._volunteer.volunteer_id, for_resident=resident_id)
        if resident_id is not None:
            return Actor.resident(resident_id)
        return Actor.system(KIOSK_ACTOR)

    def enter_admin(self) -> None:
        def apply() -> None:
            self._admin = True

        self._change(apply)

    def leave_admin(self) -> None:
        def apply() -> None:
            self._admin = False

        self._change(apply)


class IdleWatcher(QObject):
    """Ends the visit after a period without touches, warning first; limits assisted mode.

    The clock is injected so tests need not wait. ``touch()`` is called by the window's event
    filter on every press; ``check()`` runs on a timer.

    Assisted mode (a volunteer signed in) has limits of its own. Touches cannot tell *who* is
    touching, which shapes them:

    * **Idle.** While a volunteer is signed in, the visit's idle limit is the longer of the
      mode's (60 s standard, 120 s 长辈模式) and ``volunteer_idle_s`` (default 180 s).
      Volunteer-assisted visits pause more (talking a resident through a bill, waiting while
      they find their phone), and a volunteer who ends the visit by accident must sign in
      again with card and PIN. The volunteer is present and accountable (the banner names
      them) and ends the visit with 结束. When this limit passes the whole visit ends, which
      also signs the volunteer out: nobody has touched the screen, so there is no visit left
      to continue. If ``volunteer_idle_s`` is configured *shorter* than the mode's limit, the
      volunteer is signed out at ``volunteer_idle_s`` (warning first, a touch extends it) and
      the visit goes on with its own limit.
    * **Maximum.** A sign-in lasts at most ``volunteer_max_s`` (default 30 min) however busy
      the screen is. Without it, continuous touches keep assisted mode alive for ever: the
      volunteer leaves, the resident or the next person in the queue goes on, and the
      volunteer's rights (acting for a resident, manual readings, deciding walk-ins) pass to
      them. The warning comes ``warning_s`` ahead and a touch does not clear it; presenting
      the card or volunteer code and the PIN again renews the sign-in. 30 minutes covers a
      long 代办 session (several bills and a health check) and is half NIST 800-63B's AAL2
      inactivity limit for a terminal that is shared by design.

    Signals:
        warning: The visit ends soon; arg: whole seconds left.
        warning_cleared: The user touched the screen; the warning is gone.
        expired: The idle limit passed.
        volunteer_warning: Assisted mode ends soon (its maximum, or its idle limit where
            that comes before the visit's); arg: whole seconds left.
        volunteer_warning_cleared: That warning is gone (a touch before an idle sign-out,
            or the volunteer signed in again or out).
        volunteer_expired: The watcher signed the volunteer out; arg: ``"idle"`` or ``"max"``.
    """

    warning = Signal(int)
    warning_cleared = Signal()
    expired = Signal()
    volunteer_warning = Signal(int)
    volunteer_warning_cleared = Signal()
    volunteer_expired = Signal(str)

    def __init__(
        self,
        session: VisitorSession,
        config: SessionConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        tick_ms: int = 500,
        volunteer_idle_s: float = 180.0,
        volunteer_max_s: float = 1800.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if volunteer_idle_s <= config.warning_s or volunteer_max_s <= config.warning_s:
            raise ValueError("volunteer limits must be longer than the warning")
        self._session = session
        self._cfg = config
        self._clock = clock
        self._last = clock()
        self._warned = False
        self.volunteer_idle_s = volunteer_idle_s
        self.volunteer_max_s = volunteer_max_s
        self._volunteer_since: float | None = None
        self._volunteer_warned: str | None = None
        self.extensions = 0
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.check)
        session.started.connect(self._on_started)
        session.ended.connect(self._on_ended)
        session.volunteer_changed.connect(self._on_volunteer_changed)

    @property
    def limit_s(self) -> float:
        """The visit's idle limit now."""
        base = self._mode_limit_s()
        if self._session.volunteer is not None:
            return max(base, self.volunteer_idle_s)
        return base

    def _mode_limit_s(self) -> int:
        return self._cfg.idle_elderly_s if self._session.elderly else self._cfg.idle_standard_s

    @property
    def warning_s(self) -> int:
        return self._cfg.warning_s

    def seconds_idle(self) -> float:
        return self._clock() - self._last

    def volunteer_seconds_left(self) -> float | None:
        """Seconds until the volunteer's sign-in reaches its maximum, or ``None``."""
        if self._volunteer_since is None or self._session.volunteer is None:
            return None
        return self.volunteer_max_s - (self._clock() - self._volunteer_since)

    def touch(self) -> None:
        self._last = self._clock()
        if self._warned:
            self._warned = False
            self.warning_cleared.emit()
        if self._volunteer_warned == "idle":
            self._volunteer_warned = None
            self.volunteer_warning_cleared.emit()

    def extend(self) -> None:
        """The 继续使用 button: restart the idle period."""
        self.extensions += 1
        self.touch()

    def check(self) -> None:
        if not self._session.active:
            return
        idle = self.seconds_idle()
        left = self.limit_s - idle
        if left <= 0:
            self._warned = False
            self.expired.emit()
            return
        if left <= self.warning_s and not self._warned:
            self._warned = True
            self.warning.emit(math.ceil(left))
        if self._session.volunteer is not None:
            self._check_volunteer(idle)

    def _check_volunteer(self, idle: float) -> None:
        limits: list[tuple[float, str]] = []
        max_left = self.volunteer_seconds_left()
        if max_left is not None:
            limits.append((max_left, "max"))
        if self.volunteer_idle_s < self._mode_limit_s():
            # Otherwise the visit's own end (and warning) comes first or at the same time.
            limits.append((self.volunteer_idle_s - idle, "idle"))
        if not limits:
            return
        left, kind = min(limits)
        if left <= 0:
            self._session.sign_out_volunteer()  # clears the warning (volunteer_changed)
            log.info("assisted mode ended: volunteer %s limit", kind)
            self.volunteer_expired.emit(kind)
        elif left <= self.warning_s and self._volunteer_warned != kind:
            self._volunteer_warned = kind
            self.volunteer_warning.emit(math.ceil(left))

    def _on_started(self) -> None:
        self.extensions = 0
        self.touch()
        self._timer.start()

    def _on_ended(self, _reason: object) -> None:
        self._timer.stop()
        self._warned = False
        self._volunteer_warned = None

    def _on_volunteer_changed(self, volunteer: Volunteer | None) -> None:
        now = self._clock()
        self._volunteer_since = now if volunteer is not None else None
        if self._volunteer_warned is not None:
            self._volunteer_warned = None
            self.volunteer_warning_cleared.emit()
        if volunteer is None and self._session.active:
            # Leaving assisted mode shortens the idle limit. A visit already idle for longer
            # than that still gets its full warning before it ends (ACCESSIBILITY.md item 16).
            self._last = max(self._last, now - (self._mode_limit_s() - self.warning_s))
