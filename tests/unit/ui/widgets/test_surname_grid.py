"""SurnameGrid: the common surnames in pages, then 先生/女士; the name stays Chinese in every
UI language; 其他姓氏 hands over to the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.unit.ui.widgets.conftest import HostFactory
from tests.unit.ui.widgets.helpers import layout_problems
from ui.widgets.surname_grid import COMMON_SURNAMES, SurnameGrid

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton


def _choices(grid: SurnameGrid) -> list[str]:
    pages = grid.titles if grid.titles.isVisible() else grid.pages
    return [b.text() for b in pages.buttons if b.isVisible()]


def test_thirty_common_surnames_most_common_first() -> None:
    assert len(COMMON_SURNAMES) == 30
    assert len(set(COMMON_SURNAMES)) == 30
    assert COMMON_SURNAMES[:5] == ("王", "李", "张", "刘", "陈")
    assert COMMON_SURNAMES[-1] == "曹"


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(("mode", "per_page", "pages"), [("standard", 15, 2), ("elderly", 6, 5)])
def test_pick_surname_then_title(
    qtbot: QtBot, host: HostFactory, mode: str, per_page: int, pages: int
) -> None:
    grid = SurnameGrid()
    h = host(grid, mode)
    assert grid.header.prompt.text() == "请选择您的姓氏"
    assert _choices(grid) == list(COMMON_SURNAMES[:per_page])
    assert grid.pages.page_count() == pages
    assert grid.other_button.text() == "其他姓氏"
    assert grid.other_button.isVisible()
    assert layout_problems(h) == []

    qtbot.mouseClick(grid.pages.next_button, LEFT)
    assert _choices(grid)[0] == COMMON_SURNAMES[per_page]
    with qtbot.waitSignal(grid.step_changed) as step:
        qtbot.mouseClick(grid.pages.buttons[0], LEFT)
    chosen = COMMON_SURNAMES[per_page]
    assert step.args == ["请选择称呼"]
    assert grid.surname() == chosen
    assert _choices(grid) == [f"{chosen}先生", f"{chosen}女士"]
    assert grid.header.breadcrumb.text() == f"已选：{chosen}"
    assert not grid.other_button.isVisible()
    assert not grid.pages.isVisible()
    assert layout_problems(h) == []

    with qtbot.waitSignal(grid.chosen) as blocker:
        qtbot.mouseClick(grid.titles.buttons[1], LEFT)
    assert blocker.args == [f"{chosen}女士"]


def test_english_ui_says_mr_but_the_name_stays_chinese(qtbot: QtBot, host: HostFactory) -> None:
    grid = SurnameGrid()
    host(grid, "elderly")
    qtbot.mouseClick(grid.pages.buttons[0], LEFT)
    assert _choices(grid) == ["Mr 王", "Ms 王"]
    with qtbot.waitSignal(grid.chosen) as blocker:
        qtbot.mouseClick(grid.titles.buttons[0], LEFT)
    assert blocker.args == ["王先生"]


def test_other_surname_is_handed_to_the_screen(qtbot: QtBot, host: HostFactory) -> None:
    grid = SurnameGrid()
    host(grid, "elderly")
    with qtbot.waitSignal(grid.other_requested), qtbot.assertNotEmitted(grid.chosen):
        qtbot.mouseClick(grid.other_button, LEFT)


def test_back_returns_to_the_same_page_of_surnames(qtbot: QtBot, host: HostFactory) -> None:
    grid = SurnameGrid()
    host(grid, "elderly")
    qtbot.mouseClick(grid.pages.next_button, LEFT)
    qtbot.mouseClick(grid.pages.buttons[2], LEFT)
    assert grid.surname() == "吴"
    qtbot.mouseClick(grid.header.back_button, LEFT)
    assert grid.surname() is None
    assert grid.pages.page() == 1
    assert _choices(grid)[2] == "吴"
    assert not grid.header.back_button.isVisible()
    assert grid.go_back() is False


def test_reset_forgets_the_surname(qtbot: QtBot, host: HostFactory) -> None:
    grid = SurnameGrid()
    host(grid, "standard")
    qtbot.mouseClick(grid.pages.next_button, LEFT)
    qtbot.mouseClick(grid.pages.buttons[0], LEFT)
    grid.reset()
    assert grid.surname() is None
    assert grid.pages.page() == 0
    assert _choices(grid)[0] == "王"


def test_surname_buttons_are_not_primary(host: HostFactory) -> None:
    grid = SurnameGrid()
    host(grid, "elderly")
    assert all(b.property("primary") is False for b in grid.pages.buttons)
    assert all(b.property("variant") == "keypad" for b in grid.pages.buttons)


def test_own_surname_list(qtbot: QtBot, host: HostFactory) -> None:
    grid = SurnameGrid(["欧阳", "司马"])
    host(grid, "elderly")
    assert _choices(grid) == ["欧阳", "司马"]
    assert not grid.pages.next_button.isVisible()
    qtbot.mouseClick(grid.pages.buttons[0], LEFT)
    with qtbot.waitSignal(grid.chosen) as blocker:
        qtbot.mouseClick(grid.titles.buttons[0], LEFT)
    assert blocker.args == ["欧阳先生"]
    with pytest.raises(ValueError, match="at least one"):
        SurnameGrid([])
