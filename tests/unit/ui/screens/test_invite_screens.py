"""The invitation screens one at a time: the tile, the identification first, the name, the
confirmation, errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from kiosk import prompts
from kiosk.platform.api import PlatformUnavailableError, ResidentIdentity
from tests.unit.ui.screens import helpers as h
from ui import navigator as nav
from ui.app import Kiosk
from ui.registry import features
from ui.screens import invite as inv
from ui.screens.home import HomeScreen
from ui.screens.resident_identify import ResidentIdentifyScreen

pytestmark = pytest.mark.gui


def _identify(kiosk: Kiosk) -> None:
    identity = kiosk.backend.services().platform.identify_resident_by_room("3", "2", "501", "1678")
    assert isinstance(identity, ResidentIdentity)
    kiosk.ctx.session.identify_resident(identity, via="room")


def _draft(kiosk: Kiosk, name: str = "张女士") -> None:
    tz = ZoneInfo(kiosk.settings.visitors.timezone)
    start = datetime.now(tz) + timedelta(days=1)
    kiosk.ctx.invite.choose_window(start, start + timedelta(hours=4))
    kiosk.ctx.invite.set_name(name)


def test_the_home_screen_offers_invitations_second() -> None:
    keys = [f.key for f in features()]
    assert "invite" in keys
    feature = next(f for f in features() if f.key == "invite")
    assert feature.order == 20
    assert feature.screen_id == inv.INVITE_WHEN


def test_without_a_resident_the_tile_asks_who_they_are_first(kiosk: Kiosk, qtbot: QtBot) -> None:
    h.with_resident_flow(kiosk)
    kiosk.ctx.session.begin()
    kiosk.ctx.navigator.go(nav.HOME)
    home = h.current(kiosk)
    assert isinstance(home, HomeScreen)
    assert home.tiles["invite"].text() == "邀请访客"
    h.tap(home.tiles["invite"])
    qtbot.waitUntil(lambda: isinstance(kiosk.ctx.navigator.current, ResidentIdentifyScreen))
    screen = h.current(kiosk)
    assert isinstance(screen, ResidentIdentifyScreen)
    assert screen._then == inv.INVITE_WHEN  # continues to the invitation once identified


def test_with_a_resident_the_tile_goes_straight_to_the_day(kiosk: Kiosk, qtbot: QtBot) -> None:
    kiosk.ctx.session.begin()
    _identify(kiosk)
    kiosk.ctx.navigator.go(nav.HOME)
    home = h.current(kiosk)
    assert isinstance(home, HomeScreen)
    h.tap(home.tiles["invite"])
    qtbot.wait(20)
    when = h.current(kiosk)
    assert isinstance(when, inv.InviteWhenScreen)
    assert when.summary.text() == "邀请访客到 3栋2单元501"
    assert when.picker.current_step() == "day"


def test_the_visitors_surname_is_asked_as_the_visitors(kiosk: Kiosk) -> None:
    kiosk.ctx.session.begin()
    kiosk.ctx.session.set_elderly(True)
    _identify(kiosk)
    _draft(kiosk)
    kiosk.ctx.navigator.go(inv.INVITE_NAME)
    name = h.current(kiosk)
    assert isinstance(name, inv.InviteNameScreen)
    assert name.question.text() == "请选择访客的姓氏"
    assert not name.grid.header.prompt.isVisible()  # the grid's "your surname" is not shown
    h.choose(name.grid.pages, "张")
    assert name.question.text() == "请选择对访客的称呼"
    assert kiosk.ctx.voice.history[-1] == "请选择对访客的称呼"
    h.tap(name.grid.header.back_button)
    h.tap(name.grid.other_button)
    assert name.other_message.text() == inv.INVITE_OTHER_SURNAME.text()
    assert kiosk.ctx.voice.history[-1] == inv.INVITE_OTHER_SURNAME.text()
    h.tap(name.back_to_list)
    assert name.grid.isVisible()


def test_the_confirmation_shows_the_name_masked_and_says_it_all(kiosk: Kiosk) -> None:
    kiosk.ctx.session.begin()
    kiosk.ctx.session.set_elderly(True)
    _identify(kiosk)
    _draft(kiosk, name="张小明")
    kiosk.ctx.navigator.go(inv.INVITE_CONFIRM)
    confirm = h.current(kiosk)
    assert isinstance(confirm, inv.InviteConfirmScreen)
    assert confirm.visitor.text() == "张*明"
    assert confirm.home.text() == "3栋2单元501"
    window = kiosk.ctx.invite.window_text()
    assert confirm.when.text() == window
    said = " ".join(kiosk.ctx.voice.history[-2:])
    assert prompts.INVITE_CONFIRM.text(name="张某明", window=window) in said
    assert "张小明" not in said
    for label in ("修改时间", "修改称呼", "打印邀请函"):
        assert label in said


def test_nothing_to_print_without_a_draft(kiosk: Kiosk) -> None:
    kiosk.ctx.session.begin()
    _identify(kiosk)
    kiosk.ctx.navigator.go(inv.INVITE_CONFIRM)
    confirm = h.current(kiosk)
    assert isinstance(confirm, inv.InviteConfirmScreen)
    assert not confirm.print_button.isEnabled()


def test_a_pass_that_cannot_be_made_is_explained_and_can_be_tried_again(
    kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    kiosk.ctx.session.begin()
    kiosk.ctx.session.set_elderly(True)
    _identify(kiosk)
    _draft(kiosk)
    platform = kiosk.backend.services().platform

    def away(*_a: object, **_k: object) -> object:
        raise PlatformUnavailableError("down")

    monkeypatch.setattr(platform, "issue_pass", away)
    kiosk.ctx.navigator.go(inv.INVITE_CONFIRM)
    confirm = h.current(kiosk)
    assert isinstance(confirm, inv.InviteConfirmScreen)
    h.tap(confirm.print_button)
    assert h.current(kiosk) is confirm
    text = prompts.PLATFORM_UNAVAILABLE.text()
    assert confirm.status.text() == text
    assert kiosk.ctx.voice.history[-1] == text
    assert confirm.print_button.isEnabled()
    monkeypatch.undo()
    h.tap(confirm.print_button)
    assert isinstance(h.current(kiosk), inv.InviteDoneScreen)
