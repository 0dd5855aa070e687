"""HouseholdPicker: building → unit → (floor →) room by touch alone, with a breadcrumb, a
返回上一步, paging, and the household id and label at the end."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.unit.ui.widgets import samples
from tests.unit.ui.widgets.conftest import HostFactory
from tests.unit.ui.widgets.helpers import enabled_texts, layout_problems
from ui.widgets.household_picker import (
    BUILDING,
    FLOOR,
    ROOM,
    UNIT,
    HouseholdOption,
    HouseholdPicker,
    floor_of,
)

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton


def _tap(qtbot: QtBot, picker: HouseholdPicker, label: str) -> None:
    """Release on the visible choice showing ``label`` (paging forward to find it)."""
    for _ in range(picker.pages.page_count()):
        for b in picker.pages.buttons:
            if b.isVisible() and b.text() == label:
                qtbot.mouseClick(b, LEFT)
                return
        qtbot.mouseClick(picker.pages.next_button, LEFT)
    raise AssertionError(f"no choice {label!r} in {picker.pages.items()}")


def _choices(picker: HouseholdPicker) -> list[str]:
    return [b.text() for b in picker.pages.buttons if b.isVisible()]


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_building_unit_room_in_chinese(qtbot: QtBot, host: HostFactory, mode: str) -> None:
    picker = HouseholdPicker(samples.homes())
    h = host(picker, mode)
    assert picker.current_step() == BUILDING
    assert picker.header.prompt.text() == "请选择楼栋"
    assert _choices(picker) == ["1栋", "2栋", "3栋"]
    assert not picker.header.back_button.isVisible()
    assert not picker.header.breadcrumb.isVisible()
    assert layout_problems(h) == []

    with qtbot.waitSignal(picker.step_changed) as step:
        _tap(qtbot, picker, "2栋")
    assert step.args == ["请选择单元"]
    assert _choices(picker) == ["1单元", "2单元"]
    assert picker.header.breadcrumb.text() == "已选：2栋"
    assert picker.header.back_button.text() == "返回上一步"
    assert layout_problems(h) == []

    _tap(qtbot, picker, "2单元")
    assert picker.header.breadcrumb.text() == "已选：2栋 › 2单元"
    if mode == "standard":  # 12 rooms fit on one page of 12
        assert picker.current_step() == ROOM
    else:  # 12 rooms > 6: floors first
        assert picker.current_step() == FLOOR
        assert picker.header.prompt.text() == "请选择楼层"
        assert _choices(picker) == ["1层", "2层", "3层", "4层", "5层", "6层"]
        _tap(qtbot, picker, "5层")
        assert picker.header.breadcrumb.text() == "已选：2栋 › 2单元 › 5层"
        assert _choices(picker) == ["501", "502"]
    assert picker.header.prompt.text() == "请选择房号"
    assert layout_problems(h) == []
    with qtbot.waitSignal(picker.chosen) as chosen:
        _tap(qtbot, picker, "502")
    assert chosen.args == [259, "2栋2单元502"]


def test_a_building_with_one_unit_skips_the_unit_step(qtbot: QtBot, host: HostFactory) -> None:
    picker = HouseholdPicker(samples.homes())
    host(picker, "standard")
    _tap(qtbot, picker, "1栋")
    assert picker.current_step() == ROOM
    assert picker.path() == ["1栋", "Unit 1"]
    assert "101" in _choices(picker)
    # Back goes to the buildings, not to the skipped unit step.
    qtbot.mouseClick(picker.header.back_button, LEFT)
    assert picker.current_step() == BUILDING
    assert picker.path() == []


def test_24_rooms_go_through_the_floors_in_both_modes(qtbot: QtBot, host: HostFactory) -> None:
    for mode in ("standard", "elderly"):
        picker = HouseholdPicker(samples.homes())
        h = host(picker, mode)
        _tap(qtbot, picker, "3栋")
        _tap(qtbot, picker, "Unit 2")
        assert picker.current_step() == FLOOR
        assert len(picker.pages.items()) == 12
        assert picker.pages.page_count() == (1 if mode == "standard" else 2)
        assert layout_problems(h) == []
        _tap(qtbot, picker, "Floor 12")
        assert _choices(picker) == ["1201", "1202"]
        with qtbot.waitSignal(picker.chosen) as chosen:
            _tap(qtbot, picker, "1201")
        assert chosen.args == [422, "3栋2单元1201"]


def test_back_undoes_one_step_at_a_time(qtbot: QtBot, host: HostFactory) -> None:
    picker = HouseholdPicker(samples.homes())
    host(picker, "elderly")
    _tap(qtbot, picker, "3栋")
    _tap(qtbot, picker, "Unit 1")
    _tap(qtbot, picker, "Floor 7")
    assert picker.current_step() == ROOM
    with qtbot.waitSignal(picker.step_changed) as step:
        qtbot.mouseClick(picker.header.back_button, LEFT)
    assert step.args == ["Choose the floor"]
    assert picker.path() == ["3栋", "Unit 1"]
    qtbot.mouseClick(picker.header.back_button, LEFT)
    assert picker.current_step() == UNIT
    assert picker.path() == ["3栋"]
    qtbot.mouseClick(picker.header.back_button, LEFT)
    assert picker.current_step() == BUILDING
    assert not picker.header.back_button.isVisible()
    assert picker.go_back() is False


def test_reset_starts_again(qtbot: QtBot, host: HostFactory) -> None:
    picker = HouseholdPicker(samples.homes())
    host(picker, "elderly")
    _tap(qtbot, picker, "3栋")
    _tap(qtbot, picker, "Unit 1")
    picker.reset()
    assert picker.current_step() == BUILDING
    assert picker.path() == []
    assert _choices(picker) == ["1栋", "2栋", "3栋"]


def test_one_building_one_unit_goes_straight_to_the_rooms(host: HostFactory) -> None:
    homes = [
        (i, "5", "5号楼", "1", f"{f}0{r}", f"5号楼1单元{f}0{r}")
        for i, (f, r) in enumerate([(1, 1), (1, 2), (2, 1)])
    ]
    picker = HouseholdPicker(homes)
    host(picker, "elderly")
    assert picker.current_step() == ROOM
    assert picker.path() == ["5号楼", "Unit 1"]
    assert not picker.header.back_button.isVisible()
    assert _choices(picker) == ["101", "102", "201"]


def test_rooms_without_floor_numbers_are_paged(qtbot: QtBot, host: HostFactory) -> None:
    homes = [HouseholdOption(i, "1", "1栋", "1", f"A{i}", f"1栋1单元A{i}") for i in range(1, 9)]
    picker = HouseholdPicker(homes)
    host(picker, "elderly")
    assert picker.current_step() == ROOM
    assert picker.pages.page_count() == 2
    assert _choices(picker) == ["A1", "A2", "A3", "A4", "A5", "A6"]
    qtbot.mouseClick(picker.pages.next_button, LEFT)
    assert _choices(picker) == ["A7", "A8"]


def test_sorting_is_natural(host: HostFactory) -> None:
    homes = [
        HouseholdOption(1, "10", "10栋", "1", "101", "10栋1单元101"),
        HouseholdOption(2, "2", "2栋", "1", "101", "2栋1单元101"),
        HouseholdOption(3, "9", "9栋", "1", "101", "9栋1单元101"),
    ]
    picker = HouseholdPicker(homes)
    host(picker)
    assert _choices(picker) == ["2栋", "9栋", "10栋"]


def test_data_is_shown_as_plain_text(host: HostFactory) -> None:
    homes = [
        HouseholdOption(1, "1", "<b>1栋</b>", "1", "101", "x"),
        HouseholdOption(2, "2", "2栋", "1", "101", "y"),
    ]
    picker = HouseholdPicker(homes)
    host(picker)
    assert _choices(picker)[0] == "<b>1栋</b>"
    picker.pages.buttons[0].click()
    assert picker.header.breadcrumb.textFormat() == Qt.TextFormat.PlainText
    assert "<b>1栋</b>" in picker.header.breadcrumb.text()


def test_no_homes(host: HostFactory) -> None:
    picker = HouseholdPicker([])
    h = host(picker)
    assert picker.header.prompt.text() == "There are no homes to choose."
    assert enabled_texts(h) == []


def test_floor_of() -> None:
    assert floor_of("501") == 5
    assert floor_of("1203") == 12
    assert floor_of("0101") == 1
    assert floor_of("12") is None
    assert floor_of("A501") is None
    assert floor_of("５０１") is None  # full-width digits are data, not a floor


def test_language_change_relabels_the_current_step(
    qtbot: QtBot, host: HostFactory, request: pytest.FixtureRequest
) -> None:
    picker = HouseholdPicker(samples.homes())
    host(picker, "elderly")
    _tap(qtbot, picker, "3栋")
    assert _choices(picker) == ["Unit 1", "Unit 2"]
    request.getfixturevalue("chinese")
    qtbot.waitUntil(lambda: _choices(picker) == ["1单元", "2单元"])
    assert picker.header.prompt.text() == "请选择单元"
    assert picker.header.breadcrumb.text() == "已选：3栋"
