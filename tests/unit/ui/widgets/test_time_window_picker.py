"""TimeWindowPicker: 今天/明天/后天/dates, then a window of that day; windows already over are
not offered; the result is a pair of aware datetimes in the station's zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.unit.ui.widgets.conftest import HostFactory
from tests.unit.ui.widgets.helpers import layout_problems
from tests.unit.ui.widgets.samples import CST, WEDNESDAY_1330
from ui.widgets.time_window_picker import DAY, WINDOW, TimeWindow, TimeWindowPicker

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _choices(picker: TimeWindowPicker) -> list[str]:
    return [b.text() for b in picker.pages.buttons if b.isVisible()]


def _tap(qtbot: QtBot, picker: TimeWindowPicker, label: str) -> None:
    for b in picker.pages.buttons:
        if b.isVisible() and b.text() == label:
            qtbot.mouseClick(b, LEFT)
            return
    raise AssertionError(f"no {label!r} in {_choices(picker)}")


def _at(hour: int, minute: int = 0) -> Callable[[], datetime]:
    return Clock(WEDNESDAY_1330.replace(hour=hour, minute=minute))


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_days_then_the_windows_left_today(qtbot: QtBot, host: HostFactory, mode: str) -> None:
    picker = TimeWindowPicker(Clock(WEDNESDAY_1330), CST)
    h = host(picker, mode, "portrait")
    assert picker.current_step() == DAY
    assert picker.header.prompt.text() == "请选择来访日期"
    days = ["今天", "明天", "后天", "11月29日 周六", "11月30日 周日", "12月1日 周一"]
    if mode == "elderly":
        assert _choices(picker) == days
        assert picker.pages.page_count() == 2
        qtbot.mouseClick(picker.pages.next_button, LEFT)
        assert _choices(picker) == ["12月2日 周二"]
        qtbot.mouseClick(picker.pages.previous_button, LEFT)
    else:
        assert _choices(picker) == [*days, "12月2日 周二"]
    assert layout_problems(h) == []

    with qtbot.waitSignal(picker.step_changed) as step:
        _tap(qtbot, picker, "今天")
    assert step.args == ["请选择来访时间段"]
    assert picker.current_step() == WINDOW
    # 13:30: the morning is over; the afternoon is under way and still offered.
    assert _choices(picker) == ["下午 12:00–18:00", "晚上 18:00–22:00", "全天 8:00–22:00"]
    assert picker.header.breadcrumb.text() == "已选：今天 11月26日 周三"
    assert layout_problems(h) == []
    with qtbot.waitSignal(picker.chosen) as blocker:
        _tap(qtbot, picker, "下午 12:00–18:00")
    start, end = blocker.args
    assert start == datetime(2025, 11, 26, 12, 0, tzinfo=CST)
    assert end == datetime(2025, 11, 26, 18, 0, tzinfo=CST)
    assert start.utcoffset() == timedelta(hours=8)


def test_tomorrow_offers_every_window(qtbot: QtBot, host: HostFactory) -> None:
    picker = TimeWindowPicker(Clock(WEDNESDAY_1330), CST)
    host(picker, "elderly")
    _tap(qtbot, picker, "Tomorrow")
    assert _choices(picker) == [
        "Morning 8:00–12:00",
        "Afternoon 12:00–18:00",
        "Evening 18:00–22:00",
        "All day 8:00–22:00",
    ]
    assert picker.header.breadcrumb.text() == "Chosen: Tomorrow Thu 27/11"
    with qtbot.waitSignal(picker.chosen) as blocker:
        _tap(qtbot, picker, "All day 8:00–22:00")
    assert blocker.args == [
        datetime(2025, 11, 27, 8, tzinfo=CST),
        datetime(2025, 11, 27, 22, tzinfo=CST),
    ]


def test_later_days_are_dates_in_english(host: HostFactory) -> None:
    picker = TimeWindowPicker(Clock(WEDNESDAY_1330), CST, max_days=4)
    host(picker, "standard")
    assert _choices(picker) == ["Today", "Tomorrow", "Day after tomorrow", "Sat 29/11"]


def test_late_evening_leaves_today_out(host: HostFactory) -> None:
    picker = TimeWindowPicker(_at(22, 30), CST, max_days=3)
    host(picker, "elderly")
    assert _choices(picker) == ["Tomorrow", "Day after tomorrow"]


def test_just_before_ten_offers_the_evening_and_all_day(qtbot: QtBot, host: HostFactory) -> None:
    picker = TimeWindowPicker(_at(21, 59), CST)
    host(picker, "elderly")
    _tap(qtbot, picker, "Today")
    assert _choices(picker) == ["Evening 18:00–22:00", "All day 8:00–22:00"]


def test_a_window_that_ended_on_screen_is_not_chosen(qtbot: QtBot, host: HostFactory) -> None:
    clock = Clock(WEDNESDAY_1330)
    picker = TimeWindowPicker(clock, CST)
    host(picker, "elderly")
    _tap(qtbot, picker, "Today")
    afternoon = picker.pages.buttons[0]
    assert afternoon.text().startswith("Afternoon")
    clock.now = WEDNESDAY_1330.replace(hour=18, minute=5)
    with qtbot.assertNotEmitted(picker.chosen):
        qtbot.mouseClick(afternoon, LEFT)
    assert _choices(picker) == ["Evening 18:00–22:00", "All day 8:00–22:00"]


def test_back_and_reset(qtbot: QtBot, host: HostFactory) -> None:
    clock = Clock(WEDNESDAY_1330)
    picker = TimeWindowPicker(clock, CST)
    host(picker, "elderly")
    assert not picker.header.back_button.isVisible()
    assert picker.go_back() is False
    _tap(qtbot, picker, "Tomorrow")
    assert picker.selected_day() == WEDNESDAY_1330.date() + timedelta(days=1)
    qtbot.mouseClick(picker.header.back_button, LEFT)
    assert picker.current_step() == DAY
    assert picker.selected_day() is None
    # A new day: reset recomputes the list from the clock.
    clock.now = WEDNESDAY_1330 + timedelta(days=1)
    _tap(qtbot, picker, "Tomorrow")
    picker.reset()
    assert picker.current_step() == DAY
    assert picker.days()[0] == clock.now.date()


def test_time_zone_and_a_utc_clock(qtbot: QtBot, host: HostFactory) -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database")
    utc_now = datetime(2025, 11, 26, 5, 30, tzinfo=UTC)  # 13:30 in Beijing
    picker = TimeWindowPicker(lambda: utc_now, shanghai)
    host(picker, "standard")
    _tap(qtbot, picker, "Today")
    assert _choices(picker)[0] == "Afternoon 12:00–18:00"
    with qtbot.waitSignal(picker.chosen) as blocker:
        _tap(qtbot, picker, "Evening 18:00–22:00")
    start, end = blocker.args
    assert start.tzinfo is shanghai
    assert start == datetime(2025, 11, 26, 10, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=4)


def test_a_naive_clock_is_read_in_the_given_zone(qtbot: QtBot, host: HostFactory) -> None:
    picker = TimeWindowPicker(lambda: datetime(2025, 11, 26, 19, 0), CST)
    host(picker, "standard")
    _tap(qtbot, picker, "Today")
    assert _choices(picker) == ["Evening 18:00–22:00", "All day 8:00–22:00"]


def test_own_windows(qtbot: QtBot, host: HostFactory) -> None:
    windows = [TimeWindow("lunch", time(11, 30), time(13, 30))]
    picker = TimeWindowPicker(Clock(WEDNESDAY_1330), CST, windows=windows, max_days=2)
    host(picker, "standard")
    assert _choices(picker) == ["Tomorrow"], "today's lunch ended at 13:30"
    _tap(qtbot, picker, "Tomorrow")
    assert _choices(picker) == ["lunch 11:30–13:30"]


def test_rejects_bad_set_up() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        TimeWindowPicker(Clock(WEDNESDAY_1330), CST, max_days=0)
    with pytest.raises(ValueError, match="ends after"):
        TimeWindowPicker(Clock(WEDNESDAY_1330), CST, windows=[TimeWindow("x", time(12), time(8))])


def test_language_change_relabels_days_and_keeps_the_step(
    qtbot: QtBot, host: HostFactory, request: pytest.FixtureRequest
) -> None:
    picker = TimeWindowPicker(Clock(WEDNESDAY_1330), CST)
    host(picker, "elderly")
    _tap(qtbot, picker, "Tomorrow")
    request.getfixturevalue("chinese")
    qtbot.waitUntil(lambda: _choices(picker)[0] == "上午 8:00–12:00")
    assert picker.current_step() == WINDOW
    assert picker.header.breadcrumb.text() == "已选：明天 11月27日 周四"
