"""The visit: who is at the kiosk, in which mode, and when the visit ends.

A ``VisitorSession`` begins at the first touch and ends on 结束, on idle timeout, or when a card
is removed. Ending it emits ``ended``; the window then wipes every personal datum from screens,
flows and the speech queue, and the mode, language and volume go back to the station defaults.
"""

from __future__ import annotations

import enum
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.config import SessionConfig
from kiosk.masking import mask_name

log = logging.getLogger(__name__)


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
    """

    started = Signal()
    ended = Signal(object)
    mode_changed = Signal(object)
    text_step_changed = Signal(int)

    TEXT_STEPS: tuple[float, ...] = (1.0, 1.3, 1.67)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._active = False
        self._elderly = False
        self._volunteer: Volunteer | None = None
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
        self._active = False
        self._elderly = False
        self._volunteer = None
        self._admin = False
        self._text_step = 0
        log.info("session ended: %s", reason.value)
        if before is not self.mode:
            self.mode_changed.emit(self.mode)
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
        def apply() -> None:
            self._volunteer = volunteer

        self.begin()
        self._change(apply)

    def sign_out_volunteer(self) -> None:
        def apply() -> None:
            self._volunteer = None

        self._change(apply)

    def enter_admin(self) -> None:
        def apply() -> None:
            self._admin = True

        self._change(apply)

    def leave_admin(self) -> None:
        def apply() -> None:
            self._admin = False

        self._change(apply)


class IdleWatcher(QObject):
    """Ends the visit after a period without touches, warning first.

    The clock is injected so tests need not wait. ``touch()`` is called by the window's event
    filter on every press; ``check()`` runs on a timer.

    Signals:
        warning: The visit ends soon; arg: whole seconds left.
        warning_cleared: The user touched the screen; the warning is gone.
        expired: The idle limit passed.
    """

    warning = Signal(int)
    warning_cleared = Signal()
    expired = Signal()

    def __init__(
        self,
        session: VisitorSession,
        config: SessionConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        tick_ms: int = 500,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._cfg = config
        self._clock = clock
        self._last = clock()
        self._warned = False
        self.extensions = 0
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.check)
        session.started.connect(self._on_started)
        session.ended.connect(self._on_ended)

    @property
    def limit_s(self) -> int:
        if self._session.elderly:
            return self._cfg.idle_elderly_s
        return self._cfg.idle_standard_s

    @property
    def warning_s(self) -> int:
        return self._cfg.warning_s

    def seconds_idle(self) -> float:
        return self._clock() - self._last

    def touch(self) -> None:
        self._last = self._clock()
        if self._warned:
            self._warned = False
            self.warning_cleared.emit()

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
        elif left <= self.warning_s and not self._warned:
            self._warned = True
            self.warning.emit(math.ceil(left))

    def _on_started(self) -> None:
        self.extensions = 0
        self.touch()
        self._timer.start()

    def _on_ended(self, _reason: object) -> None:
        self._timer.stop()
        self._warned = False
