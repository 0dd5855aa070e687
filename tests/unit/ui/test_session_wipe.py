"""Session and idle: warning ≥ 20 s ahead, one-tap 继续使用 (≥ 10 times), wipe at the end."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from kiosk.session import EndReason, IdleWatcher, Volunteer
from tests.helpers.fixtures import FakeClock
from ui import navigator as nav
from ui.app import Kiosk

MARKER = "王秀兰13812345678"


def _use_clock(kiosk: Kiosk, clock: FakeClock) -> IdleWatcher:
    idle = kiosk.ctx.idle
    idle._clock = clock  # the watcher's injected clock
    idle.touch()
    return idle


def _all_texts(kiosk: Kiosk) -> list[str]:
    texts = []
    for w in kiosk.window.findChildren(QLabel):
        texts.append(w.text())
    for w in kiosk.window.findChildren(QAbstractButton):
        texts.append(w.text())
    for w in kiosk.window.findChildren(QLineEdit):
        texts.append(w.text())
        w.undo()
        texts.append(w.text())
    return texts


@pytest.mark.gui
@pytest.mark.parametrize(("elderly", "limit"), [(False, 60), (True, 120)])
def test_warning_then_reset_at_the_limit(
    kiosk: Kiosk, qtbot: QtBot, elderly: bool, limit: int
) -> None:
    clock = FakeClock()
    kiosk.ctx.session.begin()
    kiosk.ctx.navigator.go(nav.HOME)
    kiosk.ctx.session.set_elderly(elderly)
    idle = _use_clock(kiosk, clock)
    assert idle.limit_s == limit
    warn = idle.warning_s
    assert warn >= 20
    clock.advance(limit - warn - 1)
    idle.check()
    assert not kiosk.window.idle_overlay.isVisible()
    clock.advance(1)
    idle.check()
    assert kiosk.window.idle_overlay.isVisible()
    assert str(warn) in kiosk.window.idle_overlay.message.text()
    # spoken as well, in standard mode too
    assert str(warn) in kiosk.ctx.voice.history[-1]
    clock.advance(warn)
    idle.check()
    assert not kiosk.ctx.session.active
    assert kiosk.ctx.navigator.current is kiosk.ctx.navigator.screen(nav.ATTRACT)
    assert not kiosk.ctx.session.elderly


@pytest.mark.gui
def test_continue_extends_at_least_ten_times(kiosk: Kiosk, qtbot: QtBot) -> None:
    clock = FakeClock()
    kiosk.ctx.session.begin()
    kiosk.ctx.navigator.go(nav.HOME)
    idle = _use_clock(kiosk, clock)
    for _ in range(12):
        clock.advance(idle.limit_s - 10)
        idle.check()
        assert kiosk.window.idle_overlay.isVisible()
        button = kiosk.window.idle_overlay.resume
        assert button.width() >= 47
        assert button.height() >= 47
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert not kiosk.window.idle_overlay.isVisible()
        assert kiosk.ctx.session.active
    assert idle.extensions == 12


@pytest.mark.gui
def test_session_end_wipes_marker_data_everywhere(kiosk: Kiosk, qtbot: QtBot) -> None:
    """Marker data in widgets, speech queue and 重听 memory is gone after an idle reset."""
    clock = FakeClock()
    s = kiosk.ctx.session
    s.begin()
    s.set_elderly(True)
    s.sign_in_volunteer(Volunteer(volunteer_id=7, name="李建国"))
    kiosk.ctx.navigator.go("notices")
    kiosk.ctx.voice.set_volume_step(5)
    kiosk.ctx.language.set_language("en")
    # plant the marker where a flow would put personal data
    screen = kiosk.ctx.navigator.current
    assert screen is not None
    screen.title_label.setText(MARKER)
    kiosk.window.message_overlay.show_message(MARKER)
    edit = QLineEdit(screen)
    edit.setText(MARKER)
    QApplication.clipboard().setText(MARKER)
    kiosk.ctx.voice.say(MARKER, sensitive=True)
    assert kiosk.window.banner.isVisible()
    assert "李*国" in kiosk.window.banner.label.text()

    idle = _use_clock(kiosk, clock)
    clock.advance(idle.limit_s + 1)
    idle.check()

    assert not s.active
    texts = _all_texts(kiosk)
    assert not [t for t in texts if MARKER in t or "13812345678" in t]
    assert QApplication.clipboard().text() == ""
    assert MARKER not in (kiosk.ctx.voice.last_text() or "")
    assert not [u for u in kiosk.ctx.voice.history[-2:] if MARKER in u]
    assert not kiosk.window.banner.isVisible()
    assert kiosk.ctx.language.current == "zh_CN"
    assert kiosk.ctx.voice.volume_step == kiosk.settings.voice.default_volume_step
    assert not s.elderly
    assert s.volunteer is None
    assert not kiosk.ctx.voice.enabled


@pytest.mark.gui
def test_finish_button_ends_the_visit(kiosk: Kiosk, qtbot: QtBot) -> None:
    kiosk.ctx.session.begin()
    kiosk.ctx.navigator.go(nav.HOME)
    home = kiosk.ctx.navigator.current
    qtbot.mouseClick(home.finish, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    assert not kiosk.ctx.session.active
    assert kiosk.ctx.navigator.current is kiosk.ctx.navigator.screen(nav.ATTRACT)
    _ = EndReason.FINISHED
