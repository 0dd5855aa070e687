"""邀请访客 from the home tile to a printed pass that the check-in accepts, by taps on the whole
kiosk (demo community, simulated devices, the station's own platform signing passes)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hardware.printer.errors import PrinterPaperOutError
from hardware.protocols import Receipt
from kiosk import prompts
from kiosk.security.short_codes import format_code
from tests.unit.ui.screens import helpers as h
from ui import navigator as nav
from ui.app import Kiosk
from ui.screens import invite as inv
from ui.screens.checkin import CheckInCodeScreen, CheckInConfirmScreen
from ui.screens.home import HomeScreen
from ui.screens.resident_identify import ResidentIdentifyScreen
from ui.widgets.time_window_picker import TimeWindow

pytestmark = pytest.mark.gui

#: A demo resident with a phone on file: 高德顺, 3栋2单元501, last digits 1678.
HOME = ("3", "2", "501")
PHONE_LAST4 = "1678"


def _window_around_now(tz: ZoneInfo) -> TimeWindow:
    """A part of today that has begun and has not ended, whatever the hour the test runs:
    the pass must be valid now for the check-in to accept it."""
    now = datetime.now(tz)
    start = max(datetime.combine(now.date(), time(0), tzinfo=tz), now - timedelta(hours=1))
    end_of_day = datetime.combine(now.date(), time(23, 59), tzinfo=tz)
    end = min(end_of_day, now + timedelta(hours=2))
    return TimeWindow("all_day", start.time().replace(second=0, microsecond=0), end.time())


@pytest.fixture
def invite_kiosk(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kiosk]:
    tz = ZoneInfo("Asia/Shanghai")
    monkeypatch.setattr(inv, "INVITE_WINDOWS", (_window_around_now(tz),))
    k = h.make_kiosk(tmp_path, **{"visitors.timezone": "Asia/Shanghai"})
    qtbot.waitExposed(k.window)
    h.with_resident_flow(k)
    yield k
    h.close_kiosk(k)


def _tap_invite_tile(k: Kiosk, qtbot: QtBot) -> None:
    k.ctx.session.begin()
    k.ctx.navigator.go(nav.HOME)
    home = h.current(k)
    assert isinstance(home, HomeScreen)
    h.tap(home.tiles["invite"])


def _identify_by_room(k: Kiosk, qtbot: QtBot) -> None:
    """On the identification screen: 房号 + 手机尾号."""
    qtbot.waitUntil(lambda: isinstance(k.ctx.navigator.current, ResidentIdentifyScreen))
    screen = h.current(k)
    assert isinstance(screen, ResidentIdentifyScreen)
    h.tap(screen.room_button)
    building, unit, room = HOME
    h.pick_household(screen.picker, f"{building}栋", unit, room)
    h.type_digits(screen.phone, PHONE_LAST4)
    if k.ctx.session.volunteer is not None:
        h.tap(screen.confirm_yes)  # the volunteer checks who it is


def _printed(k: Kiosk) -> list[Receipt]:
    printer = k.hub.devices.printer
    assert printer is not None
    return printer.printed  # type: ignore[attr-defined,no-any-return]


def _invite_to_confirm(k: Kiosk, qtbot: QtBot) -> inv.InviteConfirmScreen:
    _tap_invite_tile(k, qtbot)
    _identify_by_room(k, qtbot)
    when = h.current(k)
    assert isinstance(when, inv.InviteWhenScreen)
    assert "3栋2单元501" in when.summary.text()
    h.choose(when.picker.pages, when.picker.tr("Today"))
    h.tap(when.picker.pages.buttons[0])
    name = h.current(k)
    assert isinstance(name, inv.InviteNameScreen)
    h.pick_name(name.grid, "张", title=1)
    confirm = h.current(k)
    assert isinstance(confirm, inv.InviteConfirmScreen)
    return confirm


@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
def test_invitation_prints_a_pass_that_checks_in(
    invite_kiosk: Kiosk, qtbot: QtBot, elderly: bool
) -> None:
    k = invite_kiosk
    k.ctx.session.begin()
    k.ctx.session.set_elderly(elderly)
    confirm = _invite_to_confirm(k, qtbot)
    assert confirm.visitor.text() == "张女士"
    assert confirm.home.text() == "3栋2单元501"
    assert confirm.when.text() == k.ctx.invite.window_text()
    if elderly:
        said = " ".join(k.ctx.voice.history[-2:])
        assert prompts.INVITE_CONFIRM.text(name="张女士", window=confirm.when.text()) in said

    h.tap(confirm.print_button)
    done = h.current(k)
    assert isinstance(done, inv.InviteDoneScreen)
    receipt = _printed(k)[-1]
    assert receipt.qr is not None
    verified = k.backend.services().pass_verifier.verify(receipt.qr)  # type: ignore[union-attr]
    assert verified.visitor_name == "张女士"
    code = done.code.text()
    assert len(code) == 11
    assert code == format_code(code.replace(" ", ""))
    assert code in receipt.qr_caption or code.replace(" ", "") in receipt.qr_caption.replace(
        " ", ""
    )
    assert done.message.text() == prompts.INVITE_DONE.text()
    assert done.slip_status.text() == done.tr("Please take the invitation.")
    assert code.replace(" ", "") not in " ".join(k.ctx.voice.history).replace(" ", "")

    # The visitor, later: types the code under the QR code.
    h.tap(done.done)
    k.ctx.navigator.go("checkin_code")
    entry = h.current(k)
    assert isinstance(entry, CheckInCodeScreen)
    h.type_digits(entry.entry, code.replace(" ", ""))
    preview = h.current(k)
    assert isinstance(preview, CheckInConfirmScreen)
    assert preview.visitor.text() == "张女士"
    assert preview.host.text() == "3栋2单元501"


def test_going_back_from_the_identification_leaves_the_invitation(
    invite_kiosk: Kiosk, qtbot: QtBot
) -> None:
    k = invite_kiosk
    _tap_invite_tile(k, qtbot)
    qtbot.waitUntil(lambda: isinstance(k.ctx.navigator.current, ResidentIdentifyScreen))
    h.tap(k.window.top_bar.back)
    qtbot.waitUntil(lambda: h.current(k).screen_id == nav.HOME)
    QApplication.processEvents()
    assert h.current(k).screen_id == nav.HOME


def test_a_failed_print_shows_the_code_and_prints_again(invite_kiosk: Kiosk, qtbot: QtBot) -> None:
    k = invite_kiosk
    confirm = _invite_to_confirm(k, qtbot)
    printer = k.hub.devices.printer
    printer.fail_next(PrinterPaperOutError("paper out"))  # type: ignore[union-attr]
    before = len(_printed(k))
    h.tap(confirm.print_button)
    done = h.current(k)
    assert isinstance(done, inv.InviteDoneScreen)
    assert len(_printed(k)) == before
    code = done.code.text()
    assert done.slip_status.text() == prompts.INVITE_PRINT_FAILED.text(code=code)
    assert done.slip_status.property("role") == "status-error"
    h.tap(done.reprint)
    assert len(_printed(k)) == before + 1
    assert done.slip_status.text() == done.tr("Please take the invitation.")


def test_the_draft_is_offered_again_and_forgotten_with_the_visit(
    invite_kiosk: Kiosk, qtbot: QtBot
) -> None:
    from kiosk.session import EndReason

    k = invite_kiosk
    confirm = _invite_to_confirm(k, qtbot)
    h.tap(confirm.change_name)
    name = h.current(k)
    assert isinstance(name, inv.InviteNameScreen)
    assert name.keep.isVisible()
    assert "张女士" in name.keep.text()
    h.tap(name.keep)
    assert h.current(k) is confirm
    h.tap(confirm.change_time)
    when = h.current(k)
    assert isinstance(when, inv.InviteWhenScreen)
    assert when.keep.isVisible()
    assert k.ctx.invite.window_text() in when.keep.text()
    k.ctx.session.end(EndReason.FINISHED)
    assert k.ctx.invite.visitor_name == ""
    assert not when.keep.isVisible()
    assert when.summary.text() == ""
    assert confirm.visitor.text() == ""


def test_a_volunteer_invites_for_a_resident(invite_kiosk: Kiosk, qtbot: QtBot) -> None:
    """代办: the volunteer identifies the resident (and confirms who it is), then invites."""
    k = invite_kiosk
    h.sign_in_volunteer(k)
    confirm = _invite_to_confirm(k, qtbot)
    h.tap(confirm.print_button)
    assert isinstance(h.current(k), inv.InviteDoneScreen), confirm.status.text()
