"""KioskWindow: frameless full screen; global bars, the screen stack and system overlays.

It owns the wiring between the visit (session, idle watcher), voice, language and theme, the
lockdown (no keyboard escape, no close except from the admin screen) and the end-of-visit
wipe.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QApplication, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.session import EndReason, Mode
from ui import navigator as nav
from ui.context import ScreenContext
from ui.navigator import Navigator
from ui.registry import SCREENS
from ui.screen import Screen
from ui.widgets.assist_banner import AssistBanner
from ui.widgets.global_bar import BottomBar, TopBar
from ui.widgets.overlay import IdleOverlay, MessageOverlay

if TYPE_CHECKING:
    from kiosk.services.help import HelpTicket

log = logging.getLogger(__name__)

#: Keys that must never leave or disturb the kiosk from visitor or volunteer mode.
_BLOCKED_KEYS = {
    Qt.Key.Key_Escape,
    Qt.Key.Key_F4,
    Qt.Key.Key_Q,
    Qt.Key.Key_W,
    Qt.Key.Key_Tab,
    Qt.Key.Key_Super_L,
    Qt.Key.Key_Super_R,
    Qt.Key.Key_Meta,
    Qt.Key.Key_Menu,
    Qt.Key.Key_Print,
}


#: Screens built before the first frame even when the rest wait (see ``add_screens``).
EAGER_SCREENS = frozenset({nav.ATTRACT, nav.HOME, "checkin", "volunteer_pin"})


class KioskWindow(QWidget):
    """The one top-level window.

    Attributes:
        navigator: Switches screens.
        top_bar, bottom_bar: The global bars.
        banner: Assisted-mode banner.
        idle_overlay, message_overlay: System overlays.
    """

    def __init__(self, ctx: ScreenContext, stack: QStackedWidget) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("kioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle(ctx.settings.station.name)
        self._allow_close = False
        self._filtered: QObject | None = None

        self.top_bar = TopBar(ctx.settings.station.name, ctx.settings.admin.long_press_s)
        self.banner = AssistBanner()
        self.stack = stack
        self.bottom_bar = BottomBar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.bottom_bar)

        self.navigator: Navigator = ctx.navigator
        self.idle_overlay = IdleOverlay(self)
        self.message_overlay = MessageOverlay(self)

        self._wire()
        self._style_sheet = ""
        self.apply_theme()

    # ---------------------------------------------------------------- building
    def add_screens(self, *, defer: bool = False) -> None:
        """Build every registered screen; with ``defer``, only those a visitor may see at
        once (attract, home, check-in, whose flow moves to its screens from anywhere) and
        register the rest to be built after the first frame, one per event-loop turn
        (``Kiosk.build_screens_soon``)."""
        for cls in SCREENS.values():
            if defer and cls.screen_id not in EAGER_SCREENS:
                self.navigator.add_later(cls.screen_id, partial(cls, self.ctx))
            else:
                self.navigator.add(cls(self.ctx))
        self.navigator.screen_built.connect(self._on_screen_built)
        self.apply_theme()

    def _on_screen_built(self, screen: Screen) -> None:
        screen.apply_metrics(self.ctx.theme.gap_px())

    def _wire(self) -> None:
        c = self.ctx
        self.top_bar.back_clicked.connect(self.navigator.back)
        self.top_bar.home_clicked.connect(self._go_home)
        self.top_bar.help_clicked.connect(self._on_help)
        self.top_bar.admin_held.connect(self._open_admin)
        self.bottom_bar.elderly_clicked.connect(self._toggle_elderly)
        self.bottom_bar.language_clicked.connect(c.language.toggle)
        self.bottom_bar.volume_clicked.connect(self._next_volume)
        self.bottom_bar.repeat_clicked.connect(c.voice.repeat_last)
        self.bottom_bar.stop_clicked.connect(c.voice.stop)
        self.bottom_bar.text_size_clicked.connect(self._next_text_size)
        self.banner.sign_out_clicked.connect(c.session.sign_out_volunteer)
        self.navigator.screen_did_change.connect(self._on_screen_changed)
        c.session.mode_changed.connect(self._on_mode_changed)
        c.session.text_step_changed.connect(lambda _s: self.apply_theme())
        c.session.ended.connect(self._on_session_ended)
        c.language.language_changed.connect(self._on_language_changed)
        c.voice.settings_changed.connect(self._sync_bars)
        c.idle.warning.connect(self._on_idle_warning)
        c.idle.warning_cleared.connect(self.idle_overlay.hide)
        c.idle.expired.connect(lambda: c.session.end(EndReason.IDLE))
        c.idle.volunteer_warning.connect(self._on_volunteer_warning)
        c.idle.volunteer_warning_cleared.connect(self._on_volunteer_warning_cleared)
        c.idle.volunteer_expired.connect(self._on_volunteer_expired)
        self.idle_overlay.continue_clicked.connect(self._on_continue)
        self.idle_overlay.finish_clicked.connect(lambda: c.session.end(EndReason.FINISHED))
        c.help.requested.connect(self._on_help_requested)
        c.help.failed.connect(self._on_help_failed)
        c.admin.exit_requested.connect(self.exit_kiosk)

    # ---------------------------------------------------------------- theme and bars
    def apply_theme(self) -> None:
        c = self.ctx
        c.theme.set_mode(elderly=c.session.elderly, text_scale=c.session.text_scale)
        sheet = c.theme.style_sheet()
        # Re-applying the same sheet re-polishes every widget of every screen (tens of ms
        # each time, at start-up three times): only a changed mode or text step needs it.
        # Widgets added later pick the window's sheet up when they are first polished.
        if sheet != self._style_sheet:
            self._style_sheet = sheet
            self.setStyleSheet(sheet)
        gap, target = c.theme.gap_px(), c.theme.target_px()
        self.top_bar.apply_metrics(gap, target)
        self.bottom_bar.apply_metrics(gap)
        self.banner.apply_metrics(gap)
        card_width = min(self.width() - gap * 8, c.theme.px(200)) if self.width() > 0 else 600
        for overlay in (self.idle_overlay, self.message_overlay):
            overlay.apply_metrics(gap, max(card_width, c.theme.px(120)))
        for screen in self.navigator.screens():
            screen.apply_metrics(gap)
        self.bottom_bar.reflow(self.width())
        self._sync_bars()

    def _sync_bars(self) -> None:
        c = self.ctx
        self.bottom_bar.set_state(
            elderly=c.session.elderly,
            volume=(c.voice.volume_step, c.voice.volume_steps),
            text_step=(c.session.text_step + 1, len(c.session.TEXT_STEPS)),
            language_target="en" if c.language.current == "zh_CN" else "zh_CN",
        )
        self.bottom_bar.reflow(self.width())
        current = self.navigator.current
        self.top_bar.back.setVisible(
            current is not None and current.shows_back and self.navigator.can_go_back()
        )
        self.top_bar.home.setVisible(current is not None and current.screen_id != nav.HOME)
        volunteer = c.session.volunteer
        if volunteer is not None:
            self.banner.show_volunteer(volunteer.masked_name)
        else:
            self.banner.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.apply_theme()

    # ---------------------------------------------------------------- reactions
    def _on_screen_changed(self, _old: Screen | None, _new: Screen) -> None:
        self._sync_bars()

    def _go_home(self) -> None:
        self.ctx.session.begin()
        self.navigator.home()

    def _toggle_elderly(self) -> None:
        self.ctx.session.begin()
        self.ctx.session.set_elderly(not self.ctx.session.elderly)

    def _on_mode_changed(self, _mode: Mode) -> None:
        c = self.ctx
        was_enabled = c.voice.enabled
        c.voice.set_enabled(c.session.elderly)
        self.apply_theme()
        if c.session.elderly and not was_enabled:
            c.voice.interrupt()
            c.voice.say(self._bar_orientation())
            self.navigator.speak_current()
        elif was_enabled and not c.session.elderly:
            c.voice.interrupt()
            c.voice.say(prompts.ELDERLY_OFF)

    def _bar_orientation(self) -> str:
        sep = self.tr(", ")
        bottom = [
            b.accessibleName()
            for b in (
                self.bottom_bar.elderly,
                self.bottom_bar.language,
                self.bottom_bar.volume,
                self.bottom_bar.repeat,
                self.bottom_bar.stop,
                self.bottom_bar.text_size,
            )
        ]
        top = [self.top_bar.back.text(), self.top_bar.home.text(), self.top_bar.help.text()]
        return prompts.GLOBAL_BAR.text(controls=sep.join(bottom), top=sep.join(top))

    def _next_volume(self) -> None:
        v = self.ctx.voice
        step = v.volume_step + 1 if v.volume_step < v.volume_steps else 1
        v.set_volume_step(step)
        v.say(prompts.VOLUME_LEVEL, level=step)

    def _next_text_size(self) -> None:
        s = self.ctx.session
        step = (s.text_step + 1) % len(s.TEXT_STEPS)
        s.set_text_step(step)
        self.ctx.voice.say(prompts.TEXT_SIZE_LEVEL, level=step + 1, auto=True)

    def _on_language_changed(self, _code: str) -> None:
        self._sync_bars()
        if self.ctx.session.active:
            self.navigator.speak_current()

    def _on_help(self) -> None:
        self.ctx.session.begin()
        current = self.navigator.current
        self.ctx.help.request(current.screen_id if current else "unknown")

    def _on_help_requested(self, _ticket: HelpTicket) -> None:
        self.message_overlay.show_message(prompts.HELP_SENT.text())
        self.ctx.voice.say(prompts.HELP_SENT)

    def _on_help_failed(self, error: KioskError) -> None:
        self.message_overlay.show_message(error.text(), error=True)
        self.ctx.voice.say(error.text())

    def _on_idle_warning(self, seconds: int) -> None:
        self.idle_overlay.set_seconds(seconds)
        self.idle_overlay.open()
        self.ctx.voice.interrupt()
        self.ctx.voice.say(prompts.IDLE_WARNING, seconds=seconds)

    def _on_volunteer_warning(self, seconds: int) -> None:
        from kiosk.flows.volunteer import VOLUNTEER_EXPIRING

        text = VOLUNTEER_EXPIRING.text(seconds=seconds)
        self._volunteer_warning_shown = True
        self.message_overlay.show_message(text)
        self.ctx.voice.say(text)

    def _on_volunteer_warning_cleared(self) -> None:
        if getattr(self, "_volunteer_warning_shown", False):
            self._volunteer_warning_shown = False
            self.message_overlay.hide()

    def _on_volunteer_expired(self, kind: str) -> None:
        from kiosk.flows.volunteer import VOLUNTEER_ENDED_IDLE, VOLUNTEER_ENDED_MAX

        self._volunteer_warning_shown = False
        if kind == "max":
            minutes = max(1, self.ctx.settings.session.volunteer_max_s // 60)
            text = VOLUNTEER_ENDED_MAX.text(minutes=minutes)
        else:
            text = VOLUNTEER_ENDED_IDLE.text()
        self.message_overlay.show_message(text)
        self.ctx.voice.say(text)

    def _on_continue(self) -> None:
        self.ctx.idle.extend()
        self.idle_overlay.hide()
        self.ctx.voice.stop()

    def _open_admin(self) -> None:
        log.info("admin corner held")
        self.navigator.go("admin_pin")

    def _on_session_ended(self, reason: EndReason) -> None:
        """Wipe every personal datum and return to the station defaults."""
        c = self.ctx
        c.voice.reset()
        self.idle_overlay.hide()
        self.message_overlay.hide()
        self.message_overlay.message.clear()
        for screen in self.navigator.screens():
            screen.clear_personal_data()
        for edit in self.findChildren(QLineEdit):
            edit.setText("")  # setText, unlike clear(), also drops the undo history
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        c.language.reset()
        self.apply_theme()
        self.navigator.reset_to(nav.ATTRACT)
        log.info("visit wiped (%s)", reason.value)

    # ---------------------------------------------------------------- lockdown
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        handle = self.windowHandle()
        if handle is not None and handle is not self._filtered:
            # Every touch, click and key reaches the QWindow before any widget, so one filter
            # there sees all real input. (An application-wide Python filter would also see the
            # thousands of internal events of every widget, at a real start-up cost.)
            handle.installEventFilter(self)
            self._filtered = handle

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        t = event.type()
        if t in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.ctx.idle.touch()
            self.ctx.voice.interrupt()
        elif (
            t in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and isinstance(event, QKeyEvent)
            and self._is_escape_chord(event)
        ):
            event.accept()
            return True
        return False

    def _is_escape_chord(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        mods = event.modifiers()
        if key in (Qt.Key.Key_Escape, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Menu):
            return True
        if mods & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier):
            return True
        if mods & Qt.KeyboardModifier.ControlModifier and key in _BLOCKED_KEYS:
            return True
        return key == Qt.Key.Key_F4

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._allow_close:
            event.accept()
        else:
            event.ignore()

    def exit_kiosk(self) -> None:
        """Only reachable from the unlocked admin screen."""
        if not self.ctx.session.admin:
            return
        self._allow_close = True
        self.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()
