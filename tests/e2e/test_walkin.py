"""A walk-in visitor from 没有通行码 to the slip, by taps on the whole kiosk (demo community,
simulated devices, the station's own platform).

The host's answer comes through the platform, as the resident's phone app would send it;
``ctx.walkin.poll()`` stands in for the flow's 3-second timer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk import prompts
from kiosk.backend import DEMO_DENIED_PHONE
from kiosk.masking import mask_name
from kiosk.platform.api import Actor
from kiosk.platform.local import REFERRAL_SCREEN_ID
from kiosk.security.short_codes import format_code
from kiosk.store.demo import DEMO_NO_PHONE_HOUSEHOLD
from kiosk.store.models import AuditEvent
from tests.unit.ui.screens import helpers as h
from ui.app import Kiosk
from ui.screens.checkin import CheckInResultScreen
from ui.screens.walkin import (
    WALKIN_PHOTO_NOTICE,
    WalkInPhotoScreen,
    WalkInResultScreen,
    WalkInWaitScreen,
)

pytestmark = pytest.mark.gui

PHONE = "13812345678"


def _enter_mode(kiosk: Kiosk, mode: str) -> None:
    kiosk.ctx.session.begin()
    if mode == "elderly":
        kiosk.ctx.session.set_elderly(True)
    elif mode == "assisted":
        h.sign_in_volunteer(kiosk)


def _wait_screen(kiosk: Kiosk) -> WalkInWaitScreen:
    screen = h.current(kiosk)
    assert isinstance(screen, WalkInWaitScreen), screen.screen_id
    return screen


def _approval_id(kiosk: Kiosk) -> str:
    ticket = kiosk.ctx.walkin.ticket
    assert ticket is not None
    return ticket.approval_id


def _slip_text(kiosk: Kiosk) -> str:
    printer = kiosk.hub.devices.printer
    assert printer is not None
    receipt = printer.printed[-1]  # type: ignore[attr-defined]
    return "\n".join(
        [receipt.title, *(line.text for line in receipt.lines), receipt.qr_caption, receipt.footer]
    )


def _screen_texts(kiosk: Kiosk) -> list[str]:
    from tests.unit.ui import audit

    return [
        w.text()  # type: ignore[attr-defined]
        for w in audit.text_widgets(kiosk.window)
        if kiosk.window.stack.isAncestorOf(w)
    ]


@pytest.mark.parametrize("mode", ["standard", "elderly", "assisted"])
def test_walk_in_approved_by_the_host_gets_the_welcome_and_a_slip(
    kiosk: Kiosk, qtbot: QtBot, mode: str
) -> None:
    _enter_mode(kiosk, mode)
    wait = h.walk_in_to_wait(kiosk, home=("3栋", "2", "501"), surname="王", phone=PHONE)
    assert isinstance(wait, WalkInWaitScreen)
    assert wait.household.text() == "3栋2单元501"
    assert wait.message.text() == prompts.WALKIN_WAITING.text(household="3栋2单元501")
    assert not wait.approve.isVisible()  # the host can be asked: no volunteer approval yet
    if mode == "elderly":
        assert wait.message.text() in " ".join(kiosk.ctx.voice.history[-2:])

    host = Actor.resident(h.resident_of(kiosk, "3", "2", "501"))
    platform = kiosk.backend.services().platform
    platform.decide_approval(_approval_id(kiosk), True, actor=host)
    kiosk.ctx.walkin.poll()

    result = h.current(kiosk)
    assert isinstance(result, CheckInResultScreen)
    assert result.kind == "admitted"
    slip = _slip_text(kiosk)
    code = result.exit_code.text()
    digits = "".join(ch for ch in code if ch.isdigit())
    assert len(digits) == 9
    assert format_code(digits) in slip  # the code on screen is the code on the slip
    assert "王先生" in result.headline.text()
    assert "王先生" in slip
    assert PHONE not in slip
    assert PHONE[-4:] not in slip
    assert prompts.CHECKIN_WELCOME.text() in " ".join(kiosk.ctx.voice.history[-3:])


def test_a_full_name_is_masked_on_the_slip(kiosk: Kiosk) -> None:
    """A name typed in full (the full-name keyboard sets it on the flow) never reaches the
    slip or the screen unmasked."""
    kiosk.ctx.session.begin()
    h.start_walk_in(kiosk)
    flow = kiosk.ctx.walkin
    homes = kiosk.backend.services().platform.find_households()
    home = next(x for x in homes if x.code == "3-2-501")
    flow.choose_household(home.household_id, home.label)
    flow.set_name("王小明")
    flow.set_reason("friend")
    flow.submit()
    wait = _wait_screen(kiosk)
    assert "王*明" in wait.summary.text()
    assert "王小明" not in " ".join(_screen_texts(kiosk))
    host = Actor.resident(h.resident_of(kiosk, "3", "2", "501"))
    kiosk.backend.services().platform.decide_approval(_approval_id(kiosk), True, actor=host)
    flow.poll()
    slip = _slip_text(kiosk)
    assert mask_name("王小明") == "王*明"
    assert "王*明" in slip
    assert "王小明" not in slip
    assert "王小明" not in " ".join(_screen_texts(kiosk))


@pytest.mark.parametrize("mode", ["standard", "elderly", "assisted"])
def test_host_refuses_kindly(kiosk: Kiosk, mode: str) -> None:
    _enter_mode(kiosk, mode)
    h.walk_in_to_wait(kiosk, surname="李", title=1)
    host = Actor.resident(h.resident_of(kiosk, "3", "2", "501"))
    kiosk.backend.services().platform.decide_approval(_approval_id(kiosk), False, actor=host)
    kiosk.ctx.walkin.poll()
    result = h.current(kiosk)
    assert isinstance(result, WalkInResultScreen)
    assert result.message.text() == prompts.WALKIN_REFUSED.text()
    if mode == "elderly":
        assert prompts.WALKIN_REFUSED.text() in " ".join(kiosk.ctx.voice.history[-2:])
    h.tap(result.done)
    assert h.current(kiosk).screen_id == "home"


def test_volunteer_approves_a_home_without_a_phone_and_the_audit_names_them(
    kiosk: Kiosk,
) -> None:
    _enter_mode(kiosk, "assisted")
    volunteer = kiosk.ctx.session.volunteer
    assert volunteer is not None
    building, unit, room = DEMO_NO_PHONE_HOUSEHOLD.split("-")
    wait = h.walk_in_to_wait(kiosk, home=(f"{building}栋", unit, room), surname="张")
    assert isinstance(wait, WalkInWaitScreen)
    # Nobody can be asked: the volunteer may approve at once, and the screen says so.
    assert wait.approve.isVisible()
    assert "志愿者" in wait.message.text()
    approval_id = _approval_id(kiosk)
    h.tap(wait.approve)

    result = h.current(kiosk)
    assert isinstance(result, CheckInResultScreen)
    assert result.kind == "admitted"
    assert "张先生" in _slip_text(kiosk)

    db = kiosk.backend.services().database
    with db.session(write=False) as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.event_type == "approval.decided")
        ).all()
    decided = [e for e in events if json.loads(e.detail).get("approval_id") == approval_id]
    assert len(decided) == 1
    event = decided[0]
    assert event.actor_kind == "volunteer"
    assert event.actor_id == str(volunteer.volunteer_id)
    detail = json.loads(event.detail)
    assert detail["decided_by"] == "volunteer"
    assert detail["state"] == "approved"
    # Ids only: no name, no address.
    assert "张" not in event.detail
    assert "栋" not in event.detail


@pytest.mark.parametrize("mode", ["standard", "elderly", "assisted"])
def test_a_deny_listed_visitor_is_sent_to_the_desk_like_any_other_message(
    kiosk: Kiosk, mode: str
) -> None:
    _enter_mode(kiosk, mode)
    referred = h.walk_in_to_wait(kiosk, surname="赵", phone=DEMO_DENIED_PHONE)
    assert isinstance(referred, WalkInResultScreen)
    assert referred.message.text() == prompts.WALKIN_REFERRED.text()
    if mode == "elderly":
        assert prompts.WALKIN_REFERRED.text() in " ".join(kiosk.ctx.voice.history[-2:])
    shown = _screen_texts(kiosk)
    spoken = " ".join(kiosk.ctx.voice.history)
    for word in ("名单", "拒绝", "deny", "list", "黑"):
        assert not any(word in text for text in shown)
        assert word not in spoken
    # Staff were called, as if someone had pressed 呼叫志愿者.
    calls = kiosk.backend.services().help.open_requests()
    assert [c.screen_id for c in calls] == [REFERRAL_SCREEN_ID]

    # Same look as a refusal: same title, same buttons; only the message differs.
    referred_texts = [t for t in shown if t != referred.message.text()]
    h.tap(referred.done)
    h.walk_in_to_wait(kiosk, surname="李", title=1)
    host = Actor.resident(h.resident_of(kiosk, "3", "2", "501"))
    kiosk.backend.services().platform.decide_approval(_approval_id(kiosk), False, actor=host)
    kiosk.ctx.walkin.poll()
    refused = h.current(kiosk)
    assert isinstance(refused, WalkInResultScreen)
    refused_texts = [t for t in _screen_texts(kiosk) if t != refused.message.text()]
    assert refused_texts == referred_texts


@pytest.mark.parametrize("mode", ["standard", "elderly", "assisted"])
def test_cancel_while_waiting_withdraws_the_request(kiosk: Kiosk, mode: str) -> None:
    _enter_mode(kiosk, mode)
    wait = h.walk_in_to_wait(kiosk)
    assert isinstance(wait, WalkInWaitScreen)
    approval_id = _approval_id(kiosk)
    h.tap(wait.cancel)
    assert h.current(kiosk).screen_id == "home"
    platform = kiosk.backend.services().platform
    assert platform.approval_status(approval_id).state == "cancelled"


def test_leaving_the_wait_by_the_home_button_withdraws_the_request(kiosk: Kiosk) -> None:
    kiosk.ctx.session.begin()
    h.walk_in_to_wait(kiosk)
    approval_id = _approval_id(kiosk)
    h.tap(kiosk.window.top_bar.home)
    platform = kiosk.backend.services().platform
    assert platform.approval_status(approval_id).state == "cancelled"


def test_the_end_of_the_visit_withdraws_the_request(kiosk: Kiosk) -> None:
    from kiosk.session import EndReason

    kiosk.ctx.session.begin()
    h.walk_in_to_wait(kiosk)
    approval_id = _approval_id(kiosk)
    kiosk.ctx.session.end(EndReason.IDLE)
    platform = kiosk.backend.services().platform
    assert platform.approval_status(approval_id).state == "cancelled"


# ---------------------------------------------------------------- photo


@pytest.fixture
def photo_kiosk(qtbot: QtBot, tmp_path: Path) -> Iterator[Kiosk]:
    """The kiosk of a station that takes visitor photos, camera running."""
    k = h.make_kiosk(tmp_path, **{"visitors.photo": True, "retention.photo_days": 30})
    qtbot.waitExposed(k.window)
    k.hub.start()
    yield k
    h.close_kiosk(k)


def _holds_photo(kiosk: Kiosk) -> bool:
    return kiosk.ctx.walkin.has_photo


def _approve(kiosk: Kiosk) -> str:
    """The host approves; returns the visit id."""
    approval_id = _approval_id(kiosk)
    host = Actor.resident(h.resident_of(kiosk, "3", "2", "501"))
    platform = kiosk.backend.services().platform
    platform.decide_approval(approval_id, True, actor=host)
    kiosk.ctx.walkin.poll()
    visit_id = platform.approval_status(approval_id).visit_id
    assert visit_id is not None
    return visit_id


def test_photo_notice_comes_before_the_photo_which_is_kept_with_the_visit(
    photo_kiosk: Kiosk,
) -> None:
    kiosk = photo_kiosk
    kiosk.ctx.session.begin()
    kiosk.ctx.session.set_elderly(True)
    kiosk.hub.devices.camera.show_qr("someone at the kiosk")  # type: ignore[union-attr]
    photo = h.walk_in_to_wait(kiosk)
    assert isinstance(photo, WalkInPhotoScreen)
    # The notice is on screen and said before anything is taken.
    notice = WALKIN_PHOTO_NOTICE.text(days=30)
    assert photo.notice.isVisible()
    assert photo.notice.text() == notice
    assert "30" in notice
    assert notice in " ".join(kiosk.ctx.voice.history[-2:])
    assert photo.camera.isVisible()
    assert photo.camera.has_frame()
    assert not _holds_photo(kiosk)
    assert photo.decline.isVisible()
    assert photo.decline.isEnabled()

    h.tap(photo.take)
    _wait_screen(kiosk)
    assert _holds_photo(kiosk)
    visit_id = _approve(kiosk)
    assert isinstance(h.current(kiosk), CheckInResultScreen)
    assert not _holds_photo(kiosk)  # handed over, and let go of
    jpeg = kiosk.backend.services().platform.visit_photo(visit_id)
    assert jpeg is not None
    assert jpeg[:3] == b"\xff\xd8\xff"


def test_declining_the_photo_still_registers_the_visit(photo_kiosk: Kiosk) -> None:
    kiosk = photo_kiosk
    kiosk.ctx.session.begin()
    photo = h.walk_in_to_wait(kiosk)
    assert isinstance(photo, WalkInPhotoScreen)
    h.tap(photo.decline)
    _wait_screen(kiosk)
    assert kiosk.ctx.walkin.photo_declined
    visit_id = _approve(kiosk)
    assert isinstance(h.current(kiosk), CheckInResultScreen)
    assert kiosk.backend.services().platform.visit_photo(visit_id) is None


def test_a_photo_taken_is_forgotten_when_the_visit_ends(photo_kiosk: Kiosk) -> None:
    from kiosk.session import EndReason

    kiosk = photo_kiosk
    kiosk.ctx.session.begin()
    photo = h.walk_in_to_wait(kiosk)
    assert isinstance(photo, WalkInPhotoScreen)
    h.tap(photo.take)
    assert _holds_photo(kiosk)
    kiosk.ctx.session.end(EndReason.IDLE)
    assert not _holds_photo(kiosk)
    assert kiosk.ctx.walkin._photo is None  # the bytes themselves, not just a flag


def test_no_camera_picture_says_so_and_offers_to_go_on(photo_kiosk: Kiosk) -> None:
    kiosk = photo_kiosk
    kiosk.ctx.session.begin()
    kiosk.ctx.session.set_elderly(True)
    kiosk.hub.devices.camera.go_offline()  # type: ignore[union-attr]
    photo = h.walk_in_to_wait(kiosk)
    assert isinstance(photo, WalkInPhotoScreen)
    h.tap(photo.take)
    assert h.current(kiosk) is photo
    assert "不拍照" in photo.status.text()
    assert photo.status.text() in kiosk.ctx.voice.history[-1]
    h.tap(photo.decline)
    _wait_screen(kiosk)
