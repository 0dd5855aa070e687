"""Admin entry and lockdown: the hidden corner, the PIN (first start, weak, mismatch, wrong,
lockout), the audit trail, and that no key chord or close request leaves the kiosk except
关闭程序 on the unlocked admin screen."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeyEvent, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk import prompts
from kiosk.config import Settings
from kiosk.flows.admin import AdminState
from kiosk.services.admin_auth import AdminAuth
from kiosk.services.audit import AuditLog
from kiosk.store.models import AuditEvent
from ui.app import Kiosk
from ui.registry import SCREENS
from ui.screen import Screen
from ui.screens.admin import AdminScreen
from ui.screens.admin_pin import AdminPinScreen

LEFT = Qt.MouseButton.LeftButton
GOOD_PIN = "482916"
WRONG_PIN = "964205"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings with the shortest hold the configuration allows (1 s)."""
    return settings.replace(admin=settings.admin.replace(long_press_s=1.0))


def _current(kiosk: Kiosk) -> Screen:
    screen = kiosk.ctx.navigator.current
    assert screen is not None
    return screen


def _open_pin_screen(kiosk: Kiosk) -> AdminPinScreen:
    kiosk.window.top_bar.corner.held.emit()  # what a long press does (tested below)
    screen = _current(kiosk)
    assert isinstance(screen, AdminPinScreen)
    return screen


def _type_pin(qtbot: QtBot, screen: AdminPinScreen, pin: str) -> None:
    for i, digit in enumerate(pin, start=1):
        qtbot.mouseClick(screen.keypad.keys[digit], LEFT)
        assert screen.dots.text() == "●" * i, "digits are shown as dots only"
    qtbot.mouseClick(screen.keypad.ok_key, LEFT)


def _set_pin_directly(kiosk: Kiosk, pin: str) -> None:
    AdminAuth(kiosk.database, kiosk.settings.admin, AuditLog(kiosk.database)).set_pin(pin)


def _audit_rows(kiosk: Kiosk, event_type: str) -> list[AuditEvent]:
    with kiosk.database.session(write=False) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.event_type == event_type)
                .order_by(AuditEvent.seq)
            )
        )


def _device_rows(admin: AdminScreen, qtbot: QtBot) -> dict[str, list[str]]:
    """The device table as shown: {device label: [device, driver, state]}."""
    labels: list[list[QLabel]] = []
    for r in range(1, admin.table.rowCount()):
        items = [admin.table.itemAtPosition(r, c) for c in range(3)]
        row = [i.widget() for i in items if i is not None]
        if row:
            assert len(row) == 3
            labels.append([w for w in row if isinstance(w, QLabel)])
    assert labels, "no device rows"
    # Cells added to a visible table are shown on the next pass of the event loop.
    qtbot.waitUntil(lambda: all(w.isVisibleTo(admin) for row in labels for w in row))
    return {row[0].text(): [w.text() for w in row] for row in labels}


def _texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]


# ---------------------------------------------------------------- the hidden corner


@pytest.mark.gui
def test_holding_the_corner_opens_the_pin_screen(kiosk: Kiosk, qtbot: QtBot) -> None:
    hold = kiosk.settings.admin.long_press_s
    corner = kiosk.window.top_bar.corner
    started = time.monotonic()
    qtbot.mousePress(corner, LEFT)
    qtbot.waitUntil(lambda: _current(kiosk).screen_id == "admin_pin", timeout=int(hold * 3000))
    # (A coarse QTimer may fire up to 5 % early.)
    assert time.monotonic() - started >= hold * 0.9, "opened before the hold time"
    qtbot.mouseRelease(corner, LEFT)
    assert _current(kiosk).title_label.text() == "设置管理员密码"  # first start: no PIN yet


@pytest.mark.gui
def test_releasing_the_corner_early_opens_nothing(kiosk: Kiosk, qtbot: QtBot) -> None:
    hold_ms = int(kiosk.settings.admin.long_press_s * 1000)
    corner = kiosk.window.top_bar.corner
    qtbot.mousePress(corner, LEFT)
    qtbot.wait(hold_ms // 3)
    qtbot.mouseRelease(corner, LEFT)
    qtbot.wait(hold_ms + 200)
    assert _current(kiosk).screen_id == "attract"
    assert not kiosk.ctx.session.admin


# ---------------------------------------------------------------- first start


@pytest.mark.gui
def test_first_start_asks_twice_then_unlocks_with_device_rows(kiosk: Kiosk, qtbot: QtBot) -> None:
    screen = _open_pin_screen(kiosk)
    assert screen.title_label.text() == "设置管理员密码"
    assert screen.instruction.text() == prompts.ADMIN_SET_PIN.text()
    _type_pin(qtbot, screen, GOOD_PIN)
    assert screen.instruction.text() == "请再输入一次新密码确认。"
    assert screen.dots.text() == "—"
    assert not kiosk.ctx.session.admin
    _type_pin(qtbot, screen, GOOD_PIN)

    assert kiosk.ctx.session.admin
    admin = _current(kiosk)
    assert isinstance(admin, AdminScreen)
    assert admin.title_label.text() == "管理"
    rows = _device_rows(admin, qtbot)
    assert rows["语音"][1] == "recording"
    assert rows["语音"][2].startswith("正常")
    assert rows["数据库"][1] == "sqlite"
    assert rows["数据库"][2] == "正常"
    assert len(_audit_rows(kiosk, "admin.pin_set")) == 1
    # Neither the screen nor the speech ever carried the digits.
    assert not any(GOOD_PIN in t for t in kiosk.ctx.voice.history)


@pytest.mark.gui
@pytest.mark.parametrize("weak", ["123456", "111111", "654321"])
def test_weak_pin_is_refused_with_a_message(kiosk: Kiosk, qtbot: QtBot, weak: str) -> None:
    screen = _open_pin_screen(kiosk)
    _type_pin(qtbot, screen, weak)
    _type_pin(qtbot, screen, weak)
    message = prompts.ADMIN_PIN_WEAK.text()
    assert "太容易" in message
    assert screen.status.text() == message
    assert screen.status.isVisible()
    assert not kiosk.ctx.session.admin
    assert kiosk.ctx.admin.state is AdminState.NEEDS_SETUP
    assert _current(kiosk) is screen
    assert _audit_rows(kiosk, "admin.pin_set") == []
    # The message is kept for 重听 (and spoken at once in 长辈模式).
    assert kiosk.ctx.voice.last_text() == message
    qtbot.mouseClick(kiosk.window.bottom_bar.repeat, LEFT)
    assert kiosk.ctx.voice.wait_idle(5)
    assert kiosk.ctx.voice.engine.texts[-1] == message  # type: ignore[attr-defined]


@pytest.mark.gui
def test_mismatched_confirmation_is_refused_and_setup_starts_over(
    kiosk: Kiosk, qtbot: QtBot
) -> None:
    screen = _open_pin_screen(kiosk)
    _type_pin(qtbot, screen, GOOD_PIN)
    _type_pin(qtbot, screen, "482917")
    assert screen.status.text() == prompts.ADMIN_PIN_MISMATCH.text()
    assert "不一致" in screen.status.text()
    assert not kiosk.ctx.session.admin
    assert screen.instruction.text() == prompts.ADMIN_SET_PIN.text(), "asks for the first PIN"
    _type_pin(qtbot, screen, GOOD_PIN)
    _type_pin(qtbot, screen, GOOD_PIN)
    assert kiosk.ctx.session.admin


# ---------------------------------------------------------------- sign-in and lockout


@pytest.mark.gui
def test_wrong_pins_lock_after_five_and_the_audit_never_holds_a_pin(
    kiosk: Kiosk, qtbot: QtBot
) -> None:
    _set_pin_directly(kiosk, GOOD_PIN)
    screen = _open_pin_screen(kiosk)
    assert screen.title_label.text() == "管理员登录"
    max_failures = kiosk.settings.admin.max_failures
    assert max_failures == 5
    for attempt in range(1, max_failures):
        _type_pin(qtbot, screen, WRONG_PIN)
        assert screen.status.text() == prompts.ADMIN_WRONG_PIN.text(left=max_failures - attempt)
        assert not kiosk.ctx.session.admin
    _type_pin(qtbot, screen, WRONG_PIN)
    minutes = kiosk.settings.admin.lockout_s // 60
    locked = prompts.ADMIN_LOCKED.text(minutes=minutes)
    assert screen.status.text() == locked
    assert "锁定" in locked
    assert str(minutes) in locked
    # While locked, even the right PIN is refused.
    _type_pin(qtbot, screen, GOOD_PIN)
    assert screen.status.text() == locked
    assert not kiosk.ctx.session.admin
    assert _current(kiosk) is screen

    rows = _audit_rows(kiosk, "admin.login")
    assert len(rows) == max_failures + 1, "one row per attempt"
    results = [json.loads(row.detail)["result"] for row in rows]
    assert results == ["failure"] * max_failures + ["locked"]
    for row in rows:
        stored = " ".join(str(v) for v in (row.detail, row.actor_id, row.on_behalf_of))
        assert WRONG_PIN not in stored
        assert GOOD_PIN not in stored
    for text in [*kiosk.ctx.voice.history, *_texts(kiosk.window)]:
        assert WRONG_PIN not in text
        assert GOOD_PIN not in text


@pytest.mark.gui
def test_right_pin_unlocks_and_leaving_admin_signs_out(kiosk: Kiosk, qtbot: QtBot) -> None:
    _set_pin_directly(kiosk, GOOD_PIN)
    screen = _open_pin_screen(kiosk)
    _type_pin(qtbot, screen, GOOD_PIN)
    assert kiosk.ctx.session.admin
    assert isinstance(_current(kiosk), AdminScreen)
    qtbot.mouseClick(kiosk.window.top_bar.home, LEFT)
    assert not kiosk.ctx.session.admin, "admin rights end with the admin screen"
    assert [json.loads(r.detail)["result"] for r in _audit_rows(kiosk, "admin.login")] == [
        "success"
    ]


# ---------------------------------------------------------------- lockdown


class _KeyProbe(QLineEdit):
    """A focusable field that records the keys that reach it."""

    MODIFIER_KEYS = (Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Shift, Qt.Key.Key_Meta)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.keys: list[Qt.Key] = []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() not in self.MODIFIER_KEYS:
            self.keys.append(Qt.Key(event.key()))
        super().keyPressEvent(event)


CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier
CHORDS = [
    ("Escape", Qt.Key.Key_Escape, NONE),
    ("Alt+F4", Qt.Key.Key_F4, ALT),
    ("Ctrl+Q", Qt.Key.Key_Q, CTRL),
    ("Ctrl+W", Qt.Key.Key_W, CTRL),
    ("Alt+Tab", Qt.Key.Key_Tab, ALT),
]


@pytest.mark.gui
def test_escape_chords_do_nothing(kiosk: Kiosk, qtbot: QtBot) -> None:
    """Keys are sent as the platform delivers them: to the window, then the focused field."""
    window = kiosk.window
    kiosk.ctx.session.begin()
    kiosk.ctx.navigator.go("notices")
    window.activateWindow()
    qtbot.waitActive(window)
    probe = _KeyProbe(window)
    probe.show()
    probe.setFocus()
    handle = window.windowHandle()
    assert handle is not None

    for _name, key, mods in CHORDS:
        QTest.keyClick(handle, key, mods)
    QTest.keyClick(handle, Qt.Key.Key_A)  # an ordinary key still arrives

    assert probe.keys == [Qt.Key.Key_A]
    assert probe.text() == "a"
    assert window.isVisible()
    assert _current(kiosk).screen_id == "notices"
    assert kiosk.ctx.session.active


@pytest.mark.gui
def test_the_kiosk_defines_no_keyboard_shortcuts(kiosk: Kiosk) -> None:
    """Shortcuts are matched before the window sees a key, so none may exist at all."""
    for screen_id in sorted(SCREENS):
        kiosk.ctx.navigator.go(screen_id)
    assert not kiosk.window.findChildren(QShortcut)
    for action in kiosk.window.findChildren(QAction):
        assert action.shortcut().isEmpty(), action.text()
    for widget in kiosk.window.findChildren(QWidget):
        for action in widget.actions():
            assert action.shortcut().isEmpty(), action.text()


@pytest.mark.gui
def test_close_requests_are_ignored_outside_admin(kiosk: Kiosk, qtbot: QtBot) -> None:
    window = kiosk.window
    assert window.close() is False
    assert window.isVisible()
    window.exit_kiosk()
    assert window.isVisible()
    kiosk.ctx.admin.request_exit()  # not unlocked: ignored
    assert window.isVisible()


@pytest.mark.gui
def test_exit_button_on_the_unlocked_admin_screen_closes_the_kiosk(
    kiosk: Kiosk, qtbot: QtBot
) -> None:
    screen = _open_pin_screen(kiosk)
    _type_pin(qtbot, screen, GOOD_PIN)
    _type_pin(qtbot, screen, GOOD_PIN)
    admin = _current(kiosk)
    assert isinstance(admin, AdminScreen)
    assert admin.exit_app.text() == "关闭程序"
    assert kiosk.window.isVisible()
    qtbot.mouseClick(admin.exit_app, LEFT)
    assert not kiosk.window.isVisible()
