"""KeyboardWedgeFilter: card bursts are taken, human typing still reaches the focused field.

Key events carry explicit timestamps (as xcb's do), so the burst timing is exact whatever the
machine's load; tests that need the release timer to fire also wait for real.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from hardware.card_reader.wedge import WedgeDecoder
from hardware.cards import card_uid_hash
from hardware.protocols import CardEvent, CardReader, DeviceState
from ui.card_wedge import KeyboardWedgeCardReader, KeyboardWedgeFilter

pytestmark = pytest.mark.gui

KEY = b"kiosk-test-card-key-0123456789ab"
UID = "04A1B2C3"
UID_HASH = card_uid_hash(UID, KEY)


@pytest.fixture(autouse=True)
def no_raw_uid_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    text = "\n".join(r.getMessage() for r in caplog.get_records("call"))
    for form in (UID, UID.lower(), "04:A1:B2:C3", "04 A1 B2 C3"):
        assert form not in text


def qt_key(ch: str) -> Qt.Key:
    if ch.isdigit():
        return Qt.Key(Qt.Key.Key_0.value + int(ch))
    return Qt.Key(Qt.Key.Key_A.value + ord(ch.upper()) - ord("A"))


class Keyboard:
    """Sends key press/release pairs with timestamps (ms) to the focus widget."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.t_ms = 100_000

    def send(
        self,
        key: Qt.Key,
        text: str = "",
        *,
        after_ms: int,
        mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        autorepeat: bool = False,
        real: bool = False,
    ) -> None:
        if real:
            self.qtbot.wait(after_ms)
        self.t_ms += after_ms
        target = QApplication.focusWidget()
        assert target is not None
        for etype in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(etype, key, mods, text, autorepeat)
            event.setTimestamp(self.t_ms)
            QApplication.sendEvent(target, event)

    def type(self, text: str, gap_ms: int, *, real: bool = False) -> None:
        for ch in text:
            mods = Qt.KeyboardModifier.NoModifier
            if ch.isupper():  # readers type upper-case hex with Shift
                self.send(Qt.Key.Key_Shift, after_ms=0, mods=Qt.KeyboardModifier.ShiftModifier)
                mods = Qt.KeyboardModifier.ShiftModifier
            self.send(qt_key(ch), ch, after_ms=gap_ms, mods=mods, real=real)

    def enter(self, after_ms: int, *, real: bool = False, text: str = "\r") -> None:
        self.send(Qt.Key.Key_Return, text, after_ms=after_ms, real=real)


@pytest.fixture
def form(qtbot: QtBot) -> Iterator[tuple[QLineEdit, QLineEdit]]:
    window = QWidget()
    layout = QVBoxLayout(window)
    edit, other = QLineEdit(), QLineEdit()
    layout.addWidget(edit)
    layout.addWidget(other)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    yield edit, other  # the window stays referenced until the test ends
    window.close()


@pytest.fixture
def edit(form: tuple[QLineEdit, QLineEdit]) -> QLineEdit:
    return form[0]


@pytest.fixture
def wedge(qtbot: QtBot) -> Iterator[KeyboardWedgeFilter]:
    f = KeyboardWedgeFilter(KEY)
    f.install()
    yield f
    f.uninstall()
    f.deleteLater()


@pytest.fixture
def cards(wedge: KeyboardWedgeFilter) -> list[str]:
    got: list[str] = []
    wedge.card_read.connect(got.append)
    return got


@pytest.fixture
def keyboard(qtbot: QtBot) -> Keyboard:
    return Keyboard(qtbot)


@pytest.fixture
def returns(edit: QLineEdit) -> list[str]:
    """The line edit's text each time it got Enter."""
    got: list[str] = []
    edit.returnPressed.connect(lambda: got.append(edit.text()))
    return got


def test_burst_is_a_card_and_never_reaches_the_field(
    qtbot: QtBot,
    edit: QLineEdit,
    keyboard: Keyboard,
    cards: list[str],
    returns: list[str],
    wedge: KeyboardWedgeFilter,
) -> None:
    keyboard.type(UID, 5)
    assert wedge.holding == 8
    assert edit.text() == ""
    keyboard.enter(5)
    assert cards == [UID_HASH]
    qtbot.wait(120)  # long past the release delay: nothing comes back
    assert edit.text() == ""
    assert returns == []
    assert wedge.holding == 0


def test_lower_case_and_lf_give_the_same_card(
    edit: QLineEdit, keyboard: Keyboard, cards: list[str]
) -> None:
    keyboard.type(UID.lower(), 1)
    keyboard.enter(1, text="\n")
    assert cards == [UID_HASH]
    assert edit.text() == ""


def test_slow_human_typing_reaches_the_field(
    qtbot: QtBot, edit: QLineEdit, keyboard: Keyboard, cards: list[str], returns: list[str]
) -> None:
    keyboard.type("1234", 120, real=True)
    qtbot.waitUntil(lambda: edit.text() == "1234", timeout=1000)
    keyboard.enter(120, real=True)
    assert returns == ["1234"]
    assert cards == []


def test_gap_releases_held_keys_without_the_timer(
    edit: QLineEdit, keyboard: Keyboard, cards: list[str]
) -> None:
    """Even when no timer ran in between, a slow next key delivers the earlier ones first."""
    keyboard.type("12", 120)
    assert edit.text() == "1"
    keyboard.type("3", 120)
    assert edit.text() == "12"


def test_burst_then_typing(
    qtbot: QtBot, edit: QLineEdit, keyboard: Keyboard, cards: list[str], returns: list[str]
) -> None:
    keyboard.type(UID, 5)
    keyboard.enter(5)
    keyboard.type("56", 150, real=True)
    qtbot.waitUntil(lambda: edit.text() == "56", timeout=1000)
    keyboard.enter(150, real=True)
    assert cards == [UID_HASH]
    assert returns == ["56"]


def test_typing_then_burst(
    qtbot: QtBot, edit: QLineEdit, keyboard: Keyboard, cards: list[str]
) -> None:
    keyboard.type("ab", 150, real=True)
    keyboard.t_ms += 200  # the card comes a moment later
    keyboard.type(UID, 4)
    keyboard.enter(4)
    qtbot.wait(100)
    assert cards == [UID_HASH]
    assert edit.text() == "ab"


def test_enter_alone_does_nothing_special(
    edit: QLineEdit, keyboard: Keyboard, cards: list[str], returns: list[str]
) -> None:
    keyboard.enter(500)
    assert returns == [""]
    assert cards == []


def test_short_fast_burst_is_typing_in_order(
    edit: QLineEdit, keyboard: Keyboard, cards: list[str], returns: list[str]
) -> None:
    keyboard.type("12", 5)
    keyboard.enter(5)
    assert returns == ["12"]  # the held keys arrived before the Enter
    assert cards == []


def test_slow_enter_after_a_fast_burst_is_typing(
    qtbot: QtBot, edit: QLineEdit, keyboard: Keyboard, cards: list[str], returns: list[str]
) -> None:
    keyboard.type(UID, 5)
    qtbot.waitUntil(lambda: edit.text() == UID, timeout=1000)  # the release timer
    keyboard.enter(200, real=True)
    assert returns == [UID]
    assert cards == []


def test_disallowed_key_in_a_burst_makes_it_typing(
    edit: QLineEdit, keyboard: Keyboard, cards: list[str], returns: list[str]
) -> None:
    keyboard.type("04", 5)
    keyboard.send(Qt.Key.Key_X, "x", after_ms=5)
    keyboard.type("A1B2C3", 5)
    keyboard.enter(5)
    assert returns == ["04xA1B2C3"]
    assert cards == []


@pytest.mark.parametrize(
    ("key", "text", "mods"),
    [
        (Qt.Key.Key_Backspace, "\b", Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Left, "", Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_A, "a", Qt.KeyboardModifier.ControlModifier),
    ],
)
def test_editing_keys_interrupt_a_burst(
    edit: QLineEdit,
    keyboard: Keyboard,
    cards: list[str],
    key: Qt.Key,
    text: str,
    mods: Qt.KeyboardModifier,
) -> None:
    keyboard.type("0123", 5)
    keyboard.send(key, text, after_ms=5, mods=mods)
    keyboard.type("4567", 5)
    keyboard.enter(5)
    assert cards == []
    assert "4567" in edit.text()


def test_auto_repeat_is_never_a_card(
    edit: QLineEdit, keyboard: Keyboard, cards: list[str], returns: list[str]
) -> None:
    keyboard.send(Qt.Key.Key_1, "1", after_ms=5)
    for _ in range(6):
        keyboard.send(Qt.Key.Key_1, "1", after_ms=20, autorepeat=True)
    keyboard.enter(20)
    assert cards == []
    assert returns == ["1111111"]


def test_focus_move_during_a_burst_delivers_to_the_original_widget(
    form: tuple[QLineEdit, QLineEdit], keyboard: Keyboard, cards: list[str]
) -> None:
    edit, other = form
    keyboard.type("12", 5)
    other.setFocus()  # offscreen: synchronous for an active window
    keyboard.type("34", 5)
    keyboard.enter(5)
    assert edit.text() == "12"
    assert other.text() == "34"
    assert cards == []


def test_event_timestamps_absent_use_the_clock(qtbot: QtBot, edit: QLineEdit) -> None:
    now = [50.0]
    wedge = KeyboardWedgeFilter(KEY, clock=lambda: now[0])
    wedge.install()
    got: list[str] = []
    wedge.card_read.connect(got.append)
    try:
        for ch in UID:  # QTest sends straight to the widget with timestamp 0
            QTest.keyClick(edit, qt_key(ch))
            now[0] += 0.005
        QTest.keyClick(edit, Qt.Key.Key_Return)
        assert got == [UID_HASH]
        for ch in "78":
            now[0] += 0.2
            QTest.keyClick(edit, qt_key(ch))
        qtbot.waitUntil(lambda: edit.text() == "78", timeout=1000)
        assert got == [UID_HASH]
    finally:
        wedge.uninstall()


def test_through_the_window_like_a_real_keyboard(qtbot: QtBot, edit: QLineEdit) -> None:
    """QTest on the QWindow goes the platform way (window first, then the focus widget),
    with real elapsed-time timestamps. The gap limit is widened here so a loaded test
    machine cannot split the burst; the timing rule itself is tested with exact stamps."""
    wedge = KeyboardWedgeFilter(KEY, decoder=WedgeDecoder(max_gap_s=0.150))
    wedge.install()
    cards: list[str] = []
    wedge.card_read.connect(cards.append)
    try:
        window = edit.window().windowHandle()
        for ch in UID:
            QTest.keyClick(window, qt_key(ch))
        QTest.keyClick(window, Qt.Key.Key_Return)
        assert cards == [UID_HASH]
        assert edit.text() == ""
        for ch in "90":
            qtbot.wait(400)
            QTest.keyClick(window, qt_key(ch))
        qtbot.waitUntil(lambda: edit.text() == "90", timeout=2000)
        assert cards == [UID_HASH]
    finally:
        wedge.uninstall()
        wedge.deleteLater()


def test_uninstall_delivers_held_keys_and_stops_filtering(
    edit: QLineEdit, keyboard: Keyboard
) -> None:
    wedge = KeyboardWedgeFilter(KEY)
    wedge.install()
    keyboard.type("04A1", 5)
    assert edit.text() == ""
    wedge.uninstall()
    assert edit.text() == "04A1"
    assert not wedge.installed
    keyboard.type("B2C3", 5)
    assert edit.text() == "04A1B2C3"


def test_bad_key_is_refused() -> None:
    with pytest.raises(ValueError, match="key"):
        KeyboardWedgeFilter(b"short")


def test_card_reader_adapter(qtbot: QtBot, edit: QLineEdit, keyboard: Keyboard) -> None:
    reader = KeyboardWedgeCardReader(KEY, max_gap_ms=30, reader_name="wedge")
    assert isinstance(reader, CardReader)
    events: list[CardEvent] = []
    states: list[DeviceState] = []
    reader.start(events.append, lambda s: states.append(s.state))
    try:
        assert reader.status().state is DeviceState.UNKNOWN  # a wedge cannot be asked
        keyboard.type(UID, 5)
        keyboard.enter(5)
        assert events == [CardEvent("inserted", UID_HASH, "wedge")]
        assert reader.status().state is DeviceState.READY
        assert edit.text() == ""
    finally:
        reader.stop()
    assert states == [DeviceState.UNKNOWN, DeviceState.READY, DeviceState.UNKNOWN]
    keyboard.type(UID, 5)  # stopped: a burst is just typing again
    assert edit.text() == UID
