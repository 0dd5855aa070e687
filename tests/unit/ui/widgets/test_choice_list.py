"""ChoiceList and the pager under every picker: pages instead of scrolling, ≤ 6 choices a page
in 长辈模式, keys not positions, actions on release only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.unit.ui.widgets import samples
from tests.unit.ui.widgets.conftest import HostFactory
from tests.unit.ui.widgets.helpers import enabled_texts, layout_problems, make_theme, mm
from ui.widgets.choice_list import ELDERLY_PAGE_SIZE, ChoiceList, ChoicePages

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
MANY = [(f"k{i}", f"选项{i}") for i in range(1, 15)]  # 14 choices


def _visible_choices(widget: ChoiceList) -> list[str]:
    return [b.text() for b in widget.pages.buttons if b.isVisible()]


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_visit_reasons_fit_on_one_page_and_emit_the_key(
    qtbot: QtBot, host: HostFactory, mode: str
) -> None:
    widget = ChoiceList(samples.VISIT_REASONS)
    h = host(widget, mode)
    assert _visible_choices(widget) == ["探亲", "访友", "快递外卖", "维修", "家政", "其他"]
    assert not widget.pages.next_button.isVisible(), "no paging for one page"
    with qtbot.waitSignal(widget.chosen) as blocker:
        qtbot.mouseClick(widget.pages.buttons[3], LEFT)
    assert blocker.args == ["repair"]
    assert layout_problems(h) == []


@pytest.mark.usefixtures("chinese")
def test_elderly_pages_hold_six_and_page_on_with_the_buttons(
    qtbot: QtBot, host: HostFactory
) -> None:
    widget = ChoiceList(MANY)
    h = host(widget, "elderly")
    pages = widget.pages
    assert pages.page_size() == ELDERLY_PAGE_SIZE
    assert _visible_choices(widget) == [f"选项{i}" for i in range(1, 7)]
    assert pages.page_label.text() == "第 1 页，共 3 页"
    assert not pages.previous_button.isEnabled()
    assert pages.previous_button.text() == "上一页"
    with qtbot.waitSignal(pages.page_changed) as turned:
        qtbot.mouseClick(pages.next_button, LEFT)
    assert turned.args == [1, 3]
    assert _visible_choices(widget) == [f"选项{i}" for i in range(7, 13)]
    qtbot.mouseClick(pages.next_button, LEFT)
    # The last page keeps the grid's shape: two choices, four empty cells, same button places.
    assert _visible_choices(widget) == ["选项13", "选项14"]
    assert not pages.next_button.isEnabled()
    with qtbot.waitSignal(widget.chosen) as blocker:
        qtbot.mouseClick(pages.buttons[1], LEFT)
    assert blocker.args == ["k14"]
    assert layout_problems(h) == []
    qtbot.mouseClick(pages.previous_button, LEFT)
    assert _visible_choices(widget)[0] == "选项7"


def test_grid_keeps_its_shape_from_page_to_page(qtbot: QtBot, host: HostFactory) -> None:
    widget = ChoiceList(MANY)
    host(widget, "elderly")
    first = [b.geometry() for b in widget.pages.buttons[:2]]
    height = widget.pages.height()
    widget.pages.set_page(2)
    QApplication.processEvents()
    assert [b.geometry() for b in widget.pages.buttons[:2]] == first
    assert widget.pages.height() == height


def test_standard_mode_shows_twelve(host: HostFactory) -> None:
    widget = ChoiceList(MANY)
    host(widget, "standard")
    assert widget.pages.page_size() == 12
    assert len(_visible_choices(widget)) == 12
    assert widget.pages.page_count() == 2


def test_set_page_size_overrides_but_never_past_six_in_elderly_mode(host: HostFactory) -> None:
    widget = ChoiceList(MANY)
    host(widget, "standard")
    widget.set_page_size(4)
    assert len(_visible_choices(widget)) == 4
    assert widget.pages.page_count() == 4
    widget.set_page_size(10)
    widget.apply_theme(make_theme("elderly"))
    assert widget.pages.page_size() == ELDERLY_PAGE_SIZE
    widget.set_page_size(None)
    widget.apply_theme(make_theme("standard"))
    assert widget.pages.page_size() == 12


def test_switching_mode_keeps_the_first_visible_choice_on_screen(host: HostFactory) -> None:
    widget = ChoiceList(MANY)
    host(widget, "standard")
    widget.pages.set_page(1)  # standard: choices 13, 14
    widget.apply_theme(make_theme("elderly"))
    assert "选项13" in _visible_choices(widget)


def test_choices_fire_on_release_only(qtbot: QtBot, host: HostFactory) -> None:
    """Item 15: a press alone, or a press that slides off the button, chooses nothing."""
    widget = ChoiceList(samples.VISIT_REASONS)
    host(widget, "elderly")
    button = widget.pages.buttons[0]
    with qtbot.assertNotEmitted(widget.chosen):
        qtbot.mousePress(button, LEFT)
        qtbot.mouseMove(button, QPoint(-40, -40))
        qtbot.mouseRelease(button, LEFT, pos=QPoint(-40, -40))
        qtbot.mousePress(button, LEFT)
    with qtbot.waitSignal(widget.chosen) as blocker:
        qtbot.mouseRelease(button, LEFT)
    assert blocker.args == ["family"]


def test_choice_buttons_are_not_primary_and_have_accessible_names(host: HostFactory) -> None:
    widget = ChoiceList(MANY)
    host(widget, "elderly")
    for b in widget.pages.buttons:
        assert b.property("primary") is False
        if b.isVisible():
            assert b.accessibleName() == b.text()
    assert widget.pages.next_button.accessibleName()


def test_labels_are_plain_text(host: HostFactory) -> None:
    widget = ChoiceList([("x", "<b>维修</b> &amp;")])
    host(widget)
    assert widget.pages.buttons[0].text() == "<b>维修</b> &amp;"


def test_keys_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        ChoiceList([("a", "甲"), ("a", "乙")])


def test_show_key_and_button_for(host: HostFactory) -> None:
    widget = ChoiceList(MANY)
    host(widget, "elderly")
    assert widget.button_for("k9") is None
    widget.show_key("k9")
    button = widget.button_for("k9")
    assert button is not None
    assert button.text() == "选项9"
    widget.reset()
    assert widget.pages.page() == 0


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_wide_labels_use_fewer_columns_not_narrower_buttons(
    host: HostFactory, orientation: str
) -> None:
    long = [(str(i), f"一个很长很长的选项名称第{i}个") for i in range(6)]
    widget = ChoiceList(long)
    h = host(widget, "elderly", orientation)
    assert layout_problems(h) == []
    xs = {b.x() for b in widget.pages.buttons if b.isVisible()}
    assert len(xs) <= (3 if orientation == "landscape" else 1)


def test_nav_texts_follow_the_language(qapp: QApplication, host: HostFactory) -> None:
    widget = ChoiceList(MANY)
    host(widget, "elderly")
    assert widget.pages.next_button.text() == "Next page"
    from tests.unit.ui.widgets.zh_strings import DictTranslator

    table = DictTranslator()
    qapp.installTranslator(table)
    try:
        QApplication.processEvents()
        assert widget.pages.next_button.text() == "下一页"
        assert widget.pages.page_label.text() == "第 1 页，共 3 页"
    finally:
        qapp.removeTranslator(table)
    QApplication.processEvents()
    assert widget.pages.next_button.text() == "Next page"


def test_page_label_shortens_when_the_row_is_tight(host: HostFactory) -> None:
    pages = ChoicePages()
    pages.set_items([str(i) for i in range(30)])
    h = host(pages, "elderly", "portrait")
    assert pages.page_label.text() == "Page 1 of 5"
    pages.setFixedWidth(round(mm(110)))
    h.settle()
    assert pages.page_label.text() == "1/5"


def test_empty_list_shows_nothing_to_touch(host: HostFactory) -> None:
    widget = ChoiceList([])
    h = host(widget)
    assert enabled_texts(h) == []


def test_rejects_silly_sizes() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ChoicePages(page_sizes=(0, 6))
    pages = ChoicePages()
    with pytest.raises(ValueError, match="at least one"):
        pages.set_page_size(0)
    with pytest.raises(ValueError, match="at least one"):
        pages.set_columns(0, 1)


def test_language_change_event_reaches_the_pager(host: HostFactory) -> None:
    widget = ChoiceList(MANY)
    host(widget)
    widget.pages.next_button.setText("x")
    QApplication.sendEvent(widget.pages, QEvent(QEvent.Type.LanguageChange))
    assert widget.pages.next_button.text() == "Next page"
