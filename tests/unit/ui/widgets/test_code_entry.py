"""CodeEntry: 9-digit short codes typed on the large keypad, shown grouped, checked with the
validator; a wrong code is refused next to the field with the digits kept (item 21)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.security.short_codes import check_digit, new_code
from tests.unit.ui.widgets.conftest import HostFactory
from tests.unit.ui.widgets.helpers import layout_problems, mm
from ui.widgets.code_entry import CodeEntry, group_digits

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
VALID = "12345678" + check_digit("12345678")
WRONG_CHECK = VALID[:-1] + str((int(VALID[-1]) + 1) % 10)


def _type(qtbot: QtBot, entry: CodeEntry, digits: str) -> None:
    for d in digits:
        qtbot.mouseClick(entry.keypad.keys[d], LEFT)


def test_group_digits() -> None:
    assert group_digits("123456789", (3, 3, 3)) == "123 456 789"
    assert group_digits("1234", (3, 3, 3)) == "123 4-- ---"
    assert group_digits("", (3, 3, 3)) == "--- --- ---"
    assert group_digits("1234", (3, 3, 3), pad=False) == "123 4"
    assert group_digits("13812345678", (3, 4, 4)) == "138 1234 5678"


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize("mode", ["standard", "elderly"])
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_typed_digits_are_shown_grouped_and_submitted(
    qtbot: QtBot, host: HostFactory, mode: str, orientation: str
) -> None:
    entry = CodeEntry()
    h = host(entry, mode, orientation)
    assert entry.display.text() == "--- --- ---"
    _type(qtbot, entry, VALID[:4])
    assert entry.display.text() == "123 4-- ---"
    _type(qtbot, entry, VALID[4:])
    assert entry.display.text() == f"{VALID[:3]} {VALID[3:6]} {VALID[6:]}"
    assert entry.keypad.ok_key.text() == "确定"
    assert layout_problems(h) == []
    # Landscape puts the field beside the keypad (no room under the title for both); the
    # elderly-size keypad leaves no room beside it in portrait.
    if orientation == "landscape":
        assert entry.side_by_side()
    elif mode == "elderly":
        assert not entry.side_by_side()
    with qtbot.waitSignal(entry.submitted) as blocker, qtbot.assertNotEmitted(entry.invalid):
        qtbot.mouseClick(entry.keypad.ok_key, LEFT)
    assert blocker.args == [VALID]
    assert entry.code() == VALID, "kept until the screen clears it"
    assert entry.status.text() == ""


@pytest.mark.usefixtures("chinese")
def test_wrong_check_digit_is_refused_next_to_the_field_and_digits_stay(
    qtbot: QtBot, host: HostFactory
) -> None:
    entry = CodeEntry()
    h = host(entry, "elderly")
    _type(qtbot, entry, WRONG_CHECK)
    with qtbot.waitSignal(entry.invalid) as blocker, qtbot.assertNotEmitted(entry.submitted):
        qtbot.mouseClick(entry.keypad.ok_key, LEFT)
    assert entry.status.text() == "号码有误，请核对后重新输入"
    assert blocker.args == ["号码有误，请核对后重新输入"], "the screen speaks what is shown"
    assert entry.code() == WRONG_CHECK
    assert entry.status.isVisible()
    assert entry.status.property("kiosk_status") is True
    assert entry.status.property("role") == "status-error"
    assert layout_problems(h) == []
    # The message sits next to the field: right under the digits.
    assert 0 <= entry.status.y() - entry.display.geometry().bottom() <= mm(6)
    # Correcting the last digit takes the message away.
    qtbot.mouseClick(entry.keypad.delete_key, LEFT)
    assert entry.status.text() == ""
    _type(qtbot, entry, VALID[-1])
    with qtbot.waitSignal(entry.submitted) as ok:
        qtbot.mouseClick(entry.keypad.ok_key, LEFT)
    assert ok.args == [VALID]


@pytest.mark.usefixtures("chinese")
def test_short_code_says_how_many_digits_are_missing(qtbot: QtBot, host: HostFactory) -> None:
    entry = CodeEntry()
    host(entry, "elderly")
    _type(qtbot, entry, "1234")
    with qtbot.waitSignal(entry.invalid) as blocker:
        qtbot.mouseClick(entry.keypad.ok_key, LEFT)
    assert blocker.args == ["号码共9位，还差5位，请继续输入。"]
    assert entry.code() == "1234"
    qtbot.mouseClick(entry.keypad.ok_key, LEFT)
    assert entry.status.text() == "号码共9位，还差5位，请继续输入。"


def test_at_most_nine_digits(qtbot: QtBot, host: HostFactory) -> None:
    entry = CodeEntry()
    host(entry)
    _type(qtbot, entry, VALID + "12")
    assert entry.code() == VALID


def test_delete_removes_the_last_digit(qtbot: QtBot, host: HostFactory) -> None:
    entry = CodeEntry()
    host(entry)
    _type(qtbot, entry, "987")
    qtbot.mouseClick(entry.keypad.delete_key, LEFT)
    assert entry.code() == "98"
    assert entry.display.text() == "98- --- ---"
    for _ in range(3):
        qtbot.mouseClick(entry.keypad.delete_key, LEFT)
    assert entry.code() == ""


def test_validator_is_injected(qtbot: QtBot, host: HostFactory) -> None:
    seen: list[str] = []

    def accept_all(code: str) -> bool:
        seen.append(code)
        return True

    entry = CodeEntry(accept_all)
    host(entry)
    _type(qtbot, entry, "000000001")
    with qtbot.waitSignal(entry.submitted):
        qtbot.mouseClick(entry.keypad.ok_key, LEFT)
    assert seen == ["000000001"]


def test_a_random_code_passes_the_default_validator(qtbot: QtBot, host: HostFactory) -> None:
    entry = CodeEntry()
    host(entry)
    code = new_code()
    _type(qtbot, entry, code)
    with qtbot.waitSignal(entry.submitted) as blocker:
        qtbot.mouseClick(entry.keypad.ok_key, LEFT)
    assert blocker.args == [code]


def test_show_error_from_the_screen_and_clear(host: HostFactory) -> None:
    entry = CodeEntry()
    host(entry)
    entry.set_digits("123 456-789x")
    assert entry.code() == "123456789"
    entry.show_error("<b>没有找到这个号码</b>")
    assert entry.status.text() == "<b>没有找到这个号码</b>"
    assert entry.status.textFormat() == Qt.TextFormat.PlainText
    assert entry.code() == "123456789"
    entry.clear()
    assert entry.code() == ""
    assert entry.error_text() == ""
    assert entry.display.text() == "--- --- ---"


def test_ok_fires_on_release_only(qtbot: QtBot, host: HostFactory) -> None:
    entry = CodeEntry()
    host(entry, "elderly")
    _type(qtbot, entry, VALID)
    with qtbot.assertNotEmitted(entry.submitted):
        qtbot.mousePress(entry.keypad.ok_key, LEFT)
    with qtbot.waitSignal(entry.submitted):
        qtbot.mouseRelease(entry.keypad.ok_key, LEFT)


def test_message_follows_a_language_change(
    qtbot: QtBot, host: HostFactory, request: pytest.FixtureRequest
) -> None:
    entry = CodeEntry()
    host(entry, "elderly")
    _type(qtbot, entry, WRONG_CHECK)
    qtbot.mouseClick(entry.keypad.ok_key, LEFT)
    assert entry.status.text() == "The number is not right. Please check it and type it again."
    request.getfixturevalue("chinese")
    qtbot.waitUntil(lambda: entry.status.text() == "号码有误，请核对后重新输入")
    assert entry.code() == WRONG_CHECK


def test_keys_meet_the_elderly_size_and_stay_a_keypad_not_a_wall(host: HostFactory) -> None:
    entry = CodeEntry()
    h = host(entry, "elderly")
    for key in [*entry.keypad.keys.values(), entry.keypad.ok_key, entry.keypad.delete_key]:
        assert key.width() >= mm(20)
        assert key.height() >= mm(20)
    # One tile (42 mm in 长辈模式) per key at most, not stretched across the panel.
    assert entry.keypad.width() <= h.theme.tile_px() * 3 + h.theme.gap_px() * 2
    QApplication.processEvents()
