"""PhoneEntry: an optional mobile number, 跳过 beside it, a message next to the field when it is
not a mobile number, and the masked form for later confirmation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.unit.ui.widgets.conftest import HostFactory
from tests.unit.ui.widgets.helpers import layout_problems
from ui.widgets.phone_entry import PhoneEntry, is_mobile_number

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton


def _type(qtbot: QtBot, entry: PhoneEntry, digits: str) -> None:
    for d in digits:
        qtbot.mouseClick(entry.keypad.keys[d], LEFT)


def test_is_mobile_number() -> None:
    assert is_mobile_number("13812345678")
    assert is_mobile_number("19912345678")
    assert not is_mobile_number("1381234567")
    assert not is_mobile_number("23812345678")
    assert not is_mobile_number("12812345678")
    assert not is_mobile_number("１３８１２３４５６７８")


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize("mode", ["standard", "elderly"])
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_number_is_shown_as_typed_and_submitted(
    qtbot: QtBot, host: HostFactory, mode: str, orientation: str
) -> None:
    entry = PhoneEntry()
    h = host(entry, mode, orientation)
    assert entry.skip_button.text() == "跳过"
    _type(qtbot, entry, "1381234")
    assert entry.display.text() == "138 1234 ----"
    _type(qtbot, entry, "5678")
    assert entry.display.text() == "138 1234 5678"
    assert layout_problems(h) == []
    with qtbot.waitSignal(entry.submitted) as blocker:
        qtbot.mouseClick(entry.keypad.ok_key, LEFT)
    assert blocker.args == ["13812345678"]
    assert entry.masked() == "138****5678"


@pytest.mark.usefixtures("chinese")
def test_not_a_mobile_number_is_refused_and_kept(qtbot: QtBot, host: HostFactory) -> None:
    entry = PhoneEntry()
    h = host(entry, "elderly", "portrait")
    _type(qtbot, entry, "23812345678")
    with qtbot.waitSignal(entry.invalid) as blocker, qtbot.assertNotEmitted(entry.submitted):
        qtbot.mouseClick(entry.keypad.ok_key, LEFT)
    assert entry.status.text() == "手机号码为11位，以1开头，请核对后重新输入。"
    assert blocker.args == [entry.status.text()]
    assert entry.phone() == "23812345678"
    assert layout_problems(h) == []


@pytest.mark.usefixtures("chinese")
def test_ok_without_a_number_points_to_skip(qtbot: QtBot, host: HostFactory) -> None:
    entry = PhoneEntry()
    host(entry, "elderly")
    with qtbot.waitSignal(entry.invalid) as blocker:
        qtbot.mouseClick(entry.keypad.ok_key, LEFT)
    assert blocker.args == ["请输入手机号码，或按“跳过”。"]


def test_skip_drops_what_was_typed(qtbot: QtBot, host: HostFactory) -> None:
    entry = PhoneEntry()
    host(entry, "elderly")
    _type(qtbot, entry, "138")
    with qtbot.waitSignal(entry.skipped), qtbot.assertNotEmitted(entry.submitted):
        qtbot.mouseClick(entry.skip_button, LEFT)
    assert entry.phone() == ""
    assert entry.masked() == ""


def test_at_most_eleven_digits(qtbot: QtBot, host: HostFactory) -> None:
    entry = PhoneEntry()
    host(entry)
    _type(qtbot, entry, "1381234567890")
    assert entry.phone() == "13812345678"


def test_skip_sits_beside_the_number_in_portrait_and_under_it_in_landscape(
    host: HostFactory,
) -> None:
    portrait = PhoneEntry()
    host(portrait, "elderly", "portrait")
    assert abs(portrait.skip_button.y() - portrait.display.y()) < portrait.skip_button.height()
    assert portrait.skip_button.geometry().bottom() < portrait.keypad.y()
    landscape = PhoneEntry()
    host(landscape, "elderly", "landscape")
    assert landscape.skip_button.y() > landscape.status.y()
    assert landscape.skip_button.geometry().right() < landscape.keypad.x()


def test_skip_is_not_a_primary_action(host: HostFactory) -> None:
    entry = PhoneEntry()
    host(entry, "elderly")
    assert entry.skip_button.property("primary") is False
    assert entry.skip_button.accessibleName() == "Skip"
