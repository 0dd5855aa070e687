"""The only thing that switches screens."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget

from kiosk.voice import VoiceService
from ui.screen import Screen

log = logging.getLogger(__name__)

ATTRACT = "attract"
HOME = "home"


class Navigator(QObject):
    """go/back/home over a QStackedWidget, with will/did signals and speech on entry.

    Signals:
        screen_will_change: (old Screen or None, new Screen) before the switch.
        screen_did_change: (old Screen or None, new Screen) after ``on_enter``.
    """

    screen_will_change = Signal(object, object)
    screen_did_change = Signal(object, object)
    screen_built = Signal(object)

    def __init__(self, stack: QStackedWidget, voice: VoiceService) -> None:
        super().__init__(stack)
        self._stack = stack
        self._voice = voice
        self._screens: dict[str, Screen] = {}
        self._pending: dict[str, Callable[[], Screen]] = {}
        self._history: list[str] = []

    def add(self, screen: Screen) -> None:
        self._pending.pop(screen.screen_id, None)
        self._screens[screen.screen_id] = screen
        self._stack.addWidget(screen)

    def add_later(self, screen_id: str, factory: Callable[[], Screen]) -> None:
        """Register a screen that is built by :meth:`build_pending` (after the first frame),
        or at once when something asks for it first."""
        self._pending[screen_id] = factory

    def build_pending(self) -> None:
        while self.build_next():
            pass

    def build_next(self) -> bool:
        """Build one waiting screen; False when none is left."""
        for screen_id in self._pending:
            self.screen(screen_id)
            return True
        return False

    def screen(self, screen_id: str) -> Screen:
        found = self._screens.get(screen_id)
        if found is None and screen_id in self._pending:
            found = self._pending.pop(screen_id)()
            self.add(found)
            self.screen_built.emit(found)
        if found is None:
            raise KeyError(screen_id)
        return found

    def screens(self) -> list[Screen]:
        return list(self._screens.values())

    @property
    def current(self) -> Screen | None:
        w = self._stack.currentWidget()
        return w if isinstance(w, Screen) else None

    def can_go_back(self) -> bool:
        return bool(self._history)

    def go(self, screen_id: str, **params: object) -> None:
        old = self.current
        if old is not None and old.screen_id != screen_id:
            self._history.append(old.screen_id)
        self._switch(screen_id, params)

    def back(self) -> None:
        if not self._history:
            return
        self._switch(self._history.pop(), {})

    def home(self) -> None:
        self._history.clear()
        self._switch(HOME, {})

    def reset_to(self, screen_id: str) -> None:
        self._history.clear()
        self._switch(screen_id, {})

    def speak_current(self, *, auto: bool = True) -> None:
        screen = self.current
        if screen is None:
            return
        self._voice.say(_join(screen.spoken_intro()), owner=screen, auto=auto)

    def _switch(self, screen_id: str, params: dict[str, object]) -> None:
        new = self.screen(screen_id)
        old = self.current
        if old is not None:
            old.on_leave()
            self._voice.stop_owned_by(old)
        self.screen_will_change.emit(old, new)
        self._voice.interrupt()
        self._stack.setCurrentWidget(new)
        new.on_enter(**params)
        log.info("screen %s", screen_id)
        self.screen_did_change.emit(old, new)
        self.speak_current()


def _join(parts: list[str]) -> str:
    return " ".join(p.strip() for p in parts if p.strip())
