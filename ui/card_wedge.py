"""USB keyboard-wedge card readers: an application-wide key filter that takes card bursts.

A wedge reader types the card UID at 1–20 ms a key and presses Enter. :class:`KeyboardWedgeFilter`
sits on the QApplication and watches key presses on their way to the focus widget (or to the
window when nothing has focus):

* a printable key that may start or continue a burst is *held back* (not delivered);
* when Enter ends a fast enough burst (:class:`hardware.card_reader.wedge.WedgeDecoder`) it
  emits ``card_read(uid_hash)``, and neither the burst nor its Enter (nor their key releases)
  reach the widget: a card never lands in a text field;
* when the burst stops being possible (a slow key, a key that is not allowed, Ctrl/Alt
  chords, auto-repeat, Enter too late or too early, or nothing more within the release delay)
  the held keys are re-sent, in order, to the widget they were meant for: a person's typing
  arrives a few tens of milliseconds late, but it arrives.

Modifier-only presses (Shift for upper-case hex, Caps Lock, Num Lock…) are ignored; CR and
LF both end a burst.

Time: key event timestamps when the platform provides them (xcb does, in ms, so a busy GUI
thread cannot squeeze a person's typing into a "burst"); otherwise the injected ``clock``.
The release timer waits ``max_gap`` plus a margin (``release_margin_ms``) so that keys still
queued behind a late timer are not split off a card.

Limits: a desktop input method (fcitx / IBus) that swallows key presses hides them from this
filter; QShortcuts bound to plain hex digits fire before the filter sees the key. The
production alternative without both limits is reading the reader's evdev device with a grab.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from hardware.card_reader.wedge import WedgeDecoder
from hardware.cards import MIN_KEY_BYTES, card_uid_hash
from hardware.protocols import CardEvent, DeviceState, DeviceStatus, StateCallback

__all__ = ["KeyboardWedgeCardReader", "KeyboardWedgeFilter"]

_log = logging.getLogger(__name__)

_MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_Super_L,
        Qt.Key.Key_Super_R,
        Qt.Key.Key_Hyper_L,
        Qt.Key.Key_Hyper_R,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
        Qt.Key.Key_ScrollLock,
        Qt.Key.Key_Mode_switch,
    }
)
_ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
_CHORD_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def _check_key(key: bytes) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"card hash key must be at least {MIN_KEY_BYTES} bytes")
    return bytes(key)


#: Releases still owed for swallowed presses are forgotten after this long.
_CONSUMED_RELEASE_TTL_S = 1.0


def _qt_key(event: QKeyEvent) -> int:
    return int(event.key())


@dataclass(slots=True)
class _Held:
    """A key press kept back, and its release if that came while it was held."""

    press: QKeyEvent
    release: QKeyEvent | None = None


def _pointer(obj: QEvent) -> int:
    return int(shiboken6.getCppPointer(obj)[0])


class KeyboardWedgeFilter(QObject):
    """Application-wide event filter for keyboard-wedge card readers (GUI thread only).

    Signals:
        card_read: A card burst ended with Enter; arg: the UID's keyed hash (64 hex chars).
    """

    card_read = Signal(str)

    def __init__(
        self,
        key: bytes,
        *,
        decoder: WedgeDecoder | None = None,
        release_margin_ms: int = 20,
        clock: Callable[[], float] = time.monotonic,
        use_event_timestamps: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._key = _check_key(key)
        self.decoder = decoder or WedgeDecoder()
        self._clock = clock
        self._use_event_timestamps = use_event_timestamps
        self._held: list[_Held] = []
        self._target: QWidget | None = None
        self._consumed: Counter[int] = Counter()
        self._consumed_at = 0.0
        self._replaying: int | None = None  # C++ address of the event being re-sent
        self._app: QCoreApplication | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(round(self.decoder.max_gap_s * 1000) + max(0, release_margin_ms))
        self._timer.timeout.connect(self._on_quiet)

    # ---------------------------------------------------------------- installation
    def install(self, app: QCoreApplication | None = None) -> None:
        """Install on ``app`` (default: the running application)."""
        target = app or QCoreApplication.instance()
        if target is None:
            raise RuntimeError("no QApplication to install the keyboard-wedge filter on")
        if self._app is not None:
            self.uninstall()
        target.installEventFilter(self)
        self._app = target

    def uninstall(self) -> None:
        """Remove the filter; keys held at that moment are delivered."""
        if self._app is not None and shiboken6.isValid(self._app):
            self._app.removeEventFilter(self)
        self._app = None
        self._release(self.decoder.flush())
        self.decoder.reset()
        self._consumed.clear()

    @property
    def installed(self) -> bool:
        return self._app is not None

    @property
    def holding(self) -> int:
        """How many key presses are held back right now."""
        return len(self._held)

    # ---------------------------------------------------------------- filtering
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        etype = event.type()
        if etype not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        if not isinstance(event, QKeyEvent) or not self._is_target(watched):
            return False
        if self._replaying is not None and _pointer(event) == self._replaying:
            return False
        assert isinstance(watched, QWidget)
        if etype == QEvent.Type.KeyPress:
            return self._on_press(watched, event)
        return self._on_release(event)

    @staticmethod
    def _is_target(watched: QObject) -> bool:
        """True for the first widget a key is delivered to (not for its parents after it)."""
        if not isinstance(watched, QWidget):
            return False
        grabber = QWidget.keyboardGrabber()
        if grabber is not None:
            return watched is grabber
        focus = QApplication.focusWidget()
        if focus is not None:
            return watched is focus
        return watched.isWindow()

    def _time(self, event: QKeyEvent) -> float:
        if self._use_event_timestamps:
            stamp = int(event.timestamp())
            if stamp:
                return stamp / 1000.0
        return self._clock()

    def _on_press(self, watched: QWidget, event: QKeyEvent) -> bool:
        key = _qt_key(event)
        if key in _MODIFIER_KEYS:
            return False
        if self._consumed and self._clock() - self._consumed_at > _CONSUMED_RELEASE_TTL_S:
            self._consumed.clear()
        t = self._time(event)
        text = event.text()
        if key in _ENTER_KEYS or text in ("\r", "\n"):
            if event.isAutoRepeat():
                self._release(self.decoder.interrupt(t))
                return False
            uid = self.decoder.enter(t)
            if uid is None:
                self._release(self.decoder.flush())
                return False
            self._take_card(uid, key)
            event.accept()
            return True
        if (
            event.isAutoRepeat()
            or event.modifiers() & _CHORD_MODIFIERS
            or len(text) != 1
            or not text.isprintable()
        ):
            self._release(self.decoder.interrupt(t))
            return False
        if self._held and watched is not self._target:  # focus moved under a burst
            self._release(self.decoder.flush())
        decision = self.decoder.feed(text, t)
        self._release(decision.release)
        if not decision.hold:
            return False
        if not self._held:
            self._target = watched
        self._held.append(_Held(event.clone()))
        self._timer.start()
        event.accept()
        return True

    def _on_release(self, event: QKeyEvent) -> bool:
        if event.isAutoRepeat():
            return False
        key = _qt_key(event)
        for item in self._held:
            if item.release is None and _qt_key(item.press) == key:
                item.release = event.clone()
                return True
        if self._consumed[key] > 0:
            self._consumed[key] -= 1
            if not self._consumed[key]:
                del self._consumed[key]
            return True
        return False

    def _on_quiet(self) -> None:
        self._release(self.decoder.flush())

    def _take_card(self, uid: str, enter_key: int) -> None:
        self._timer.stop()
        held, self._held, self._target = self._held, [], None
        for item in held:
            if item.release is None:
                self._consumed[_qt_key(item.press)] += 1
        self._consumed[enter_key] += 1
        self._consumed_at = self._clock()
        try:
            uid_hash = card_uid_hash(uid, self._key)
        except ValueError:
            _log.warning("keyboard wedge: a %d-key burst is not a card UID", len(uid))
            return
        _log.info("card read by keyboard wedge (hash %s...)", uid_hash[:8])
        self.card_read.emit(uid_hash)

    def _release(self, chars: str) -> None:
        """Re-send the first ``len(chars)`` held keys to the widget they were meant for."""
        if not chars:
            return
        count = len(chars)
        items, self._held = self._held[:count], self._held[count:]
        target = self._target
        if not self._held:
            self._timer.stop()
            self._target = None
        if target is None or not shiboken6.isValid(target):
            target = QApplication.focusWidget()
        if target is None:
            _log.debug("keyboard wedge: %d held keys dropped, no widget to take them", count)
            return
        for item in items:
            for replay in (item.press, item.release):
                if replay is None:
                    continue
                self._replaying = _pointer(replay)
                try:
                    QCoreApplication.sendEvent(target, replay)
                finally:
                    self._replaying = None
                if not shiboken6.isValid(target):
                    return


class KeyboardWedgeCardReader:
    """``CardReader`` for a keyboard-wedge reader: a :class:`KeyboardWedgeFilter` on the app.

    Use from the GUI thread; events are delivered on it. A wedge reader cannot be asked
    whether it is there, so the state is UNKNOWN until the first card has been read, then
    READY. Cards only arrive (``inserted``); a wedge reader never reports removal.
    """

    def __init__(
        self,
        key: bytes,
        *,
        max_gap_ms: int = 30,
        min_length: int = 4,
        max_length: int = 32,
        reader_name: str = "keyboard-wedge",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._key = _check_key(key)
        self._decoder_args = (max_gap_ms / 1000.0, min_length, max_length)
        self._make_decoder()  # fail early on bad settings
        self.reader_name = reader_name
        self._clock = clock
        self._status = DeviceStatus(DeviceState.UNKNOWN, "not started")
        self._on_state: StateCallback | None = None
        self._filter: KeyboardWedgeFilter | None = None
        self._on_event: Callable[[CardEvent], None] | None = None

    @property
    def filter(self) -> KeyboardWedgeFilter | None:
        return self._filter

    def start(self, on_event: Callable[[CardEvent], None], on_state: StateCallback) -> None:
        if self._filter is not None:
            raise RuntimeError("keyboard-wedge card reader already started")
        wedge = KeyboardWedgeFilter(self._key, decoder=self._make_decoder(), clock=self._clock)
        wedge.card_read.connect(self._on_card)
        wedge.install()
        self._filter = wedge
        self._on_event = on_event
        self._on_state = on_state
        self._set_status(DeviceState.UNKNOWN, "keyboard wedge: no card read yet")

    def stop(self) -> None:
        wedge, self._filter = self._filter, None
        if wedge is not None:
            wedge.uninstall()
            wedge.deleteLater()
        self._set_status(DeviceState.UNKNOWN, "stopped")
        self._on_state = None
        self._on_event = None

    def status(self) -> DeviceStatus:
        return self._status

    def _make_decoder(self) -> WedgeDecoder:
        max_gap_s, min_length, max_length = self._decoder_args
        return WedgeDecoder(max_gap_s=max_gap_s, min_length=min_length, max_length=max_length)

    def _set_status(self, state: DeviceState, detail: str) -> None:
        status = DeviceStatus(state, detail)
        if status == self._status:
            return
        self._status = status
        if self._on_state is not None:
            try:
                self._on_state(status)
            except Exception as exc:
                _log.error("card reader state callback raised %s", type(exc).__name__)

    def _on_card(self, uid_hash: str) -> None:
        self._set_status(DeviceState.READY, "keyboard wedge: cards arriving")
        if self._on_event is not None:
            try:
                self._on_event(CardEvent("inserted", uid_hash, self.reader_name))
            except Exception as exc:
                _log.error("card event callback raised %s", type(exc).__name__)
