"""在场访客 (visitors inside) for an evacuation: staff see masked names, homes, times and
kiosks, the count, page after page; a visitor who left is gone after 刷新; nobody else ever
sees the list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk import prompts
from kiosk.flows.admin import AdminFlow, VisitorInside
from kiosk.masking import mask_name
from kiosk.platform.api import Actor, CheckInRequest, Visit
from kiosk.services.admin_auth import AdminAuth
from kiosk.services.audit import AuditLog
from kiosk.session import EndReason, VisitorSession
from tests.unit.ui import audit
from ui.app import Kiosk
from ui.screen import Screen
from ui.screens.admin import AdminScreen
from ui.screens.admin_pin import AdminPinScreen
from ui.screens.admin_visitors import MAX_ROWS, AdminVisitorsScreen

T = TypeVar("T")
LEFT = Qt.MouseButton.LeftButton
PIN = "482916"
VISITORS = {  # full name → masked, as the list must show it
    "张三明": "张*明",
    "李四": "李*",
    "Li Ming": "L* M***",
}
MANY = ["赵一", "钱二", "孙三", "周四", "吴五", "郑六", "冯七", "陈八", "褚九", "卫十", "蒋十一"]


# ---------------------------------------------------------------- helpers


def _tr(source: str) -> str:
    return QCoreApplication.translate("AdminVisitorsScreen", source)


def _wire_visits(kiosk: Kiosk) -> None:
    """Give the admin flow the platform's visits_inside if the composition root did not."""
    admin = kiosk.ctx.admin
    if admin._visits is None:  # NOTE: until ui/app.py passes visits=...; then a no-op
        admin._visits = lambda: kiosk.backend.services().platform.visits_inside()


def _check_in(kiosk: Kiosk, names: list[str], *, at: datetime | None = None) -> list[Visit]:
    platform = kiosk.backend.services().platform
    homes = platform.find_households()
    start = at or datetime.now(UTC) - timedelta(minutes=len(names) + 1)
    return [
        platform.check_in(
            CheckInRequest(
                visitor_name=name,
                host_household_id=homes[i % len(homes)].household_id,
                at=start + timedelta(minutes=i),
            ),
            actor=Actor.system("kiosk"),
        )
        for i, name in enumerate(names)
    ]


def _admin(kiosk: Kiosk) -> bool:
    return kiosk.ctx.session.admin


def _current(kiosk: Kiosk) -> Screen:
    screen = kiosk.ctx.navigator.current
    assert screen is not None
    return screen


def _sign_in(kiosk: Kiosk, qtbot: QtBot) -> AdminScreen:
    """Staff hold the corner, type the PIN and land on the admin screen."""
    AdminAuth(kiosk.database, kiosk.settings.admin, AuditLog(kiosk.database)).set_pin(PIN)
    kiosk.window.top_bar.corner.held.emit()
    pin = _current(kiosk)
    assert isinstance(pin, AdminPinScreen)
    for digit in PIN:
        qtbot.mouseClick(pin.keypad.keys[digit], LEFT)
    qtbot.mouseClick(pin.keypad.ok_key, LEFT)
    admin = _current(kiosk)
    assert isinstance(admin, AdminScreen)
    assert kiosk.ctx.session.admin
    return admin


def _open_list(kiosk: Kiosk, qtbot: QtBot) -> AdminVisitorsScreen:
    admin = _sign_in(kiosk, qtbot)
    assert admin.visitors.isVisible()
    qtbot.mouseClick(admin.visitors, LEFT)
    screen = _current(kiosk)
    assert isinstance(screen, AdminVisitorsScreen)
    QApplication.processEvents()
    return screen


def _rows(screen: AdminVisitorsScreen) -> list[tuple[str, str, str, str]]:
    """The visitor rows on the page, as shown."""
    return [
        (row[0].text(), row[1].text(), row[2].text(), row[3].text())
        for row in screen.cells
        if row[0].isVisibleTo(screen)
    ]


def _all_pages(screen: AdminVisitorsScreen, qtbot: QtBot) -> list[tuple[str, str, str, str]]:
    while screen.previous.isVisible() and screen.previous.isEnabled():
        qtbot.mouseClick(screen.previous, LEFT)
    rows = _rows(screen)
    while screen.next.isVisible() and screen.next.isEnabled():
        qtbot.mouseClick(screen.next, LEFT)
        rows += _rows(screen)
    return rows


def _shown_texts(widget: QWidget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget)]


def _all_texts(widget: QWidget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel)]


# ---------------------------------------------------------------- staff see the list


@pytest.mark.gui
def test_staff_see_masked_names_homes_times_and_the_count(kiosk: Kiosk, qtbot: QtBot) -> None:
    _wire_visits(kiosk)
    at = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=10)
    visits = _check_in(kiosk, list(VISITORS), at=at)
    screen = _open_list(kiosk, qtbot)

    assert screen.title_label.text() == _tr("Visitors inside")
    assert screen.headline.text() == _tr("Inside now: {0}").format(3)
    tz = ZoneInfo(kiosk.settings.visitors.timezone)
    kiosk_id = kiosk.settings.station.kiosk_id or kiosk.settings.station.station_id
    expected = [
        (
            VISITORS[v.visitor_name],
            v.host_label,
            v.checked_in_at.astimezone(tz).strftime("%H:%M"),
            kiosk_id,
        )
        for v in visits
    ]
    assert _rows(screen) == expected, "oldest first, masked, local time"
    assert all(label.isVisibleTo(screen) for label in screen.header)
    assert not screen.previous.isVisible(), "one page: no paging"
    for full in VISITORS:
        assert not [t for t in _all_texts(kiosk.window) if full in t], full
    assert not [t for t in kiosk.ctx.voice.history if any(full in t for full in VISITORS)]


@pytest.mark.gui
def test_a_long_list_is_paged_eight_at_a_time(kiosk: Kiosk, qtbot: QtBot) -> None:
    _wire_visits(kiosk)
    _check_in(kiosk, MANY)
    screen = _open_list(kiosk, qtbot)

    assert screen.headline.text() == _tr("Inside now: {0}").format(len(MANY))
    first = _rows(screen)
    assert len(first) == MAX_ROWS == 8
    assert screen.position.text() == _tr("Page {0} of {1}").format(1, 2)
    assert not screen.previous.isEnabled()
    qtbot.mouseClick(screen.next, LEFT)
    second = _rows(screen)
    assert len(second) == len(MANY) - 8
    assert screen.position.text() == _tr("Page {0} of {1}").format(2, 2)
    assert not screen.next.isEnabled()
    assert screen.previous.isEnabled()
    qtbot.mouseClick(screen.previous, LEFT)
    assert _rows(screen) == first
    assert sorted(r[0] for r in first + second) == sorted(mask_name(n) for n in MANY)
    assert screen.scroll_area.verticalScrollBar().maximum() == 0


@pytest.mark.gui
@pytest.mark.parametrize("orientation", sorted(audit.ORIENTATIONS))
def test_no_scrolling_and_no_cut_text_at_any_text_size(
    kiosk: Kiosk, qtbot: QtBot, orientation: str
) -> None:
    """Large text (长辈模式, every text step) gets fewer rows a page, never a scroll bar."""
    _wire_visits(kiosk)
    _check_in(kiosk, MANY)
    kiosk.window.resize(*audit.ORIENTATIONS[orientation])
    screen = _open_list(kiosk, qtbot)
    session = kiosk.ctx.session
    session.set_elderly(True)
    for step in range(len(session.TEXT_STEPS)):
        session.set_text_step(step)
        QApplication.processEvents()
        qtbot.wait(10)
        assert session.admin
        assert screen.scroll_area.verticalScrollBar().maximum() == 0, f"step {step}"
        cut = {audit.clipped(w) for w in audit.text_widgets(screen)} - {""}
        assert not cut, f"step {step}: text cut off: {cut}"
        rows = _all_pages(screen, qtbot)
        assert len(rows) == len(MANY), f"step {step}: every visitor on some page, once"
        assert len({r[0] for r in rows}) == len(MANY)


# ---------------------------------------------------------------- refresh


@pytest.mark.gui
def test_a_visitor_who_left_is_gone_after_refresh(kiosk: Kiosk, qtbot: QtBot) -> None:
    _wire_visits(kiosk)
    visits = _check_in(kiosk, list(VISITORS))
    screen = _open_list(kiosk, qtbot)
    assert "李*" in [r[0] for r in _rows(screen)]

    leaving = next(v for v in visits if v.visitor_name == "李四")
    kiosk.backend.services().platform.check_out(leaving.id, actor=Actor.system("kiosk"))
    assert "李*" in [r[0] for r in _rows(screen)], "the list changes only on 刷新"
    qtbot.mouseClick(screen.refresh, LEFT)

    assert [r[0] for r in _rows(screen)] == ["张*明", "L* M***"]
    assert screen.headline.text() == _tr("Inside now: {0}").format(2)


@pytest.mark.gui
def test_nobody_inside(kiosk: Kiosk, qtbot: QtBot) -> None:
    _wire_visits(kiosk)
    screen = _open_list(kiosk, qtbot)
    assert screen.headline.text() == _tr("Inside now: {0}").format(0)
    assert _rows(screen) == []
    assert screen.empty.isVisible()
    assert screen.empty.text() == _tr("No visitors are inside.")


@pytest.mark.gui
def test_a_failure_is_said_plainly(kiosk: Kiosk, qtbot: QtBot) -> None:
    def broken() -> list[Visit]:
        raise OSError("database gone")

    kiosk.ctx.admin._visits = broken
    screen = _open_list(kiosk, qtbot)
    assert screen.headline.text() == prompts.TASK_FAILED.text()
    assert screen.headline.property("role") == "status-error"
    assert _rows(screen) == []
    assert screen.refresh.isVisible(), "staff can try again"


# ---------------------------------------------------------------- staff only


@pytest.mark.gui
@pytest.mark.parametrize("mode", ["standard", "elderly", "assisted"])
def test_not_reachable_without_admin(kiosk: Kiosk, qtbot: QtBot, mode: str) -> None:
    calls: list[int] = []

    def visits() -> list[Visit]:
        calls.append(1)
        return kiosk.backend.services().platform.visits_inside()

    kiosk.ctx.admin._visits = visits
    _check_in(kiosk, list(VISITORS))
    audit.enter_mode(kiosk, mode)
    kiosk.ctx.navigator.go("home")
    home = _current(kiosk)
    assert not [b for b in home.content_actions() if b.text() == _tr("Visitors inside")]

    kiosk.ctx.navigator.go("admin_visitors")  # however it was reached
    screen = _current(kiosk)
    assert isinstance(screen, AdminVisitorsScreen)
    QApplication.processEvents()
    assert calls == [], "the list is not even read"
    assert _rows(screen) == []
    assert not screen.refresh.isVisible()
    assert not screen.card.isVisible()
    assert screen.headline.text() == _tr("Staff only. Please sign in as administrator first.")
    with qtbot.assertNotEmitted(kiosk.ctx.admin.visitors_inside):
        kiosk.ctx.admin.load_visitors_inside()
    assert calls == []
    for masked in VISITORS.values():
        assert masked not in _shown_texts(kiosk.window)
    assert screen.leave.isVisible()
    qtbot.mouseClick(screen.leave, LEFT)
    assert _current(kiosk).screen_id == "home"


@pytest.mark.gui
def test_back_to_admin_keeps_staff_signed_in_and_leaving_ends_it(
    kiosk: Kiosk, qtbot: QtBot
) -> None:
    _wire_visits(kiosk)
    _check_in(kiosk, list(VISITORS))
    screen = _open_list(kiosk, qtbot)
    qtbot.mouseClick(kiosk.window.top_bar.back, LEFT)
    assert isinstance(_current(kiosk), AdminScreen)
    assert _admin(kiosk), "admin → visitors → admin stays signed in"
    assert _rows(screen) == [], "names are dropped on leaving"

    admin = _current(kiosk)
    assert isinstance(admin, AdminScreen)
    qtbot.mouseClick(admin.visitors, LEFT)
    assert len(_rows(screen)) == 3
    qtbot.mouseClick(kiosk.window.top_bar.home, LEFT)
    assert not _admin(kiosk), "admin rights end with the admin screens"
    assert _rows(screen) == []
    for masked in VISITORS.values():
        assert masked not in _all_texts(kiosk.window)


@pytest.mark.gui
def test_end_of_visit_wipes_the_list(kiosk: Kiosk, qtbot: QtBot) -> None:
    _wire_visits(kiosk)
    _check_in(kiosk, list(VISITORS))
    screen = _open_list(kiosk, qtbot)
    assert len(_rows(screen)) == 3
    kiosk.ctx.session.end(EndReason.IDLE)
    assert not kiosk.ctx.session.admin
    assert _current(kiosk).screen_id == "attract"
    for masked in VISITORS.values():
        assert masked not in _all_texts(kiosk.window)
    kiosk.ctx.navigator.go("admin_visitors")
    assert _rows(screen) == []


# ---------------------------------------------------------------- the flow alone


class _HeldRunner:
    """Keeps each job until the test releases it (a slow worker)."""

    def __init__(self) -> None:
        self.jobs: list[Callable[[], None]] = []

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        def job() -> None:
            try:
                result = fn()
            except BaseException as exc:
                if on_error is not None:
                    on_error(exc)
                return
            if on_done is not None:
                on_done(result)

        self.jobs.append(job)


def _visit(name: str) -> Visit:
    return Visit(
        id="0b6f1c3e-5d2a-4e8f-9a71-2c4d6e8f0a1b",
        visitor_name=name,
        host_household_id=3,
        host_label="3栋2单元501",
        pass_id=None,
        kiosk_id="station-02",
        checked_in_at=datetime(2026, 11, 25, 6, 3, tzinfo=UTC),
        checked_out_at=None,
        volunteer_id=None,
        on_behalf_of=None,
    )


def _flow(
    session: VisitorSession, runner: _HeldRunner, visits: Callable[[], list[Visit]]
) -> AdminFlow:
    def no_auth() -> AdminAuth:
        raise AssertionError("no PIN work here")

    return AdminFlow(no_auth, session, runner, lambda: [], max_failures=5, visits=visits)


@pytest.mark.gui
def test_flow_masks_on_the_worker_and_drops_a_late_answer(qtbot: QtBot) -> None:
    session = VisitorSession()
    runner = _HeldRunner()
    flow = _flow(session, runner, lambda: [_visit("欧阳娜娜")])
    session.begin()
    session.enter_admin()

    flow.load_visitors_inside()
    with qtbot.wait_signal(flow.visitors_inside) as blocker:
        runner.jobs.pop()()
    (row,) = blocker.args[0]
    assert row == VisitorInside(
        masked_name="欧**娜",
        host_label="3栋2单元501",
        checked_in_at=datetime(2026, 11, 25, 6, 3, tzinfo=UTC),
        kiosk_id="station-02",
    )
    assert "欧阳娜娜" not in repr(row)

    flow.load_visitors_inside()
    session.leave_admin()  # staff left before the answer came
    with qtbot.assertNotEmitted(flow.visitors_inside):
        runner.jobs.pop()()

    flow.load_visitors_inside()
    assert runner.jobs == [], "outside admin mode nothing is read"
