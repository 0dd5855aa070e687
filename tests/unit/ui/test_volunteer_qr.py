"""Volunteer sign-in with the app's volunteer code (KV1.…): shown at the attract or home screen
it leads to the PIN screen like a staff card; a refused code says why; the resident code
(KR1.…) goes to the resident flow instead.

The camera's reads are routed here as ``ui/app.py``'s ``_wire_scans`` is to route them (see
:func:`_route`): by prefix, before anything is verified.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.backend import DEMO_SIGNING_KEY_FILE, DEMO_VOLUNTEER_PIN
from kiosk.flows import volunteer as vf
from kiosk.flows.resident import ResidentFlow
from kiosk.platform.api import Actor
from kiosk.security.identity_tokens import IdentityKind, IdentitySigner
from kiosk.security.passes import load_private_key
from kiosk.session import Mode
from kiosk.store.models import Resident, Volunteer
from ui import navigator as nav
from ui.app import Kiosk
from ui.screens.volunteer_pin import VolunteerPinScreen

#: Where identity codes are acted on (the proposal for ui/app.py).
VOLUNTEER_CODE_SCREENS = {"attract", "home", "volunteer_pin"}


@pytest.fixture
def signer(kiosk: Kiosk) -> IdentitySigner:
    """The demo station's key signs identity codes as the platform's app would."""
    path = Path(kiosk.settings.data_path()) / "keys" / DEMO_SIGNING_KEY_FILE
    return IdentitySigner(load_private_key(path))


@pytest.fixture
def resident_flow(kiosk: Kiosk) -> ResidentFlow:
    """The app's resident flow (ui/app.py routes resident codes and cards to it)."""
    flow = kiosk.ctx.resident
    assert isinstance(flow, ResidentFlow)
    return flow


@pytest.fixture
def routed(kiosk: Kiosk, resident_flow: ResidentFlow) -> Iterator[list[str]]:
    """Camera reads go through app.py's routing; yields the errors shown outside the flows'
    own screens (app.py shows them in the message overlay)."""
    shown: list[str] = []
    navigator = kiosk.ctx.navigator

    def outside(error: object) -> None:
        current = navigator.current
        if current is None or current.screen_id not in ("volunteer_pin", "resident_identify"):
            shown.append(error.text())  # type: ignore[attr-defined]

    kiosk.ctx.volunteer.identification_failed.connect(outside)
    resident_flow.rejected.connect(outside)
    yield shown
    kiosk.ctx.volunteer.identification_failed.disconnect(outside)


def _id(kiosk: Kiosk, model: type[Volunteer] | type[Resident], name: str) -> int:
    with kiosk.database.session(write=False) as session:
        found = session.scalar(select(model.id).where(model.name == name))
    assert found is not None
    return found


def _type(qtbot: QtBot, screen: VolunteerPinScreen, pin: str) -> None:
    for digit in pin:
        qtbot.mouseClick(screen.pad.keypad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.pad.keypad.ok_key, Qt.MouseButton.LeftButton)


@pytest.mark.gui
@pytest.mark.parametrize("where", [nav.ATTRACT, nav.HOME])
def test_volunteer_code_then_pin_starts_assisted_mode(
    kiosk: Kiosk, signer: IdentitySigner, routed: list[str], qtbot: QtBot, where: str
) -> None:
    if where == nav.HOME:
        kiosk.ctx.session.begin()
    kiosk.ctx.navigator.go(where)
    vid = _id(kiosk, Volunteer, "陈晓燕")
    code = signer.issue(IdentityKind.VOLUNTEER, vid, kiosk.settings.station.community_id)
    kiosk.hub.qr_scanned.emit(code)
    screen = kiosk.ctx.navigator.current
    assert isinstance(screen, VolunteerPinScreen)
    assert screen.instruction.text().startswith("陈*燕")
    assert kiosk.ctx.session.volunteer is None, "the code alone signs nobody in"
    _type(qtbot, screen, DEMO_VOLUNTEER_PIN)
    assert kiosk.ctx.session.mode is Mode.ASSISTED
    assert kiosk.ctx.session.actor() == Actor.volunteer(vid)
    assert "陈*燕" in kiosk.window.banner.label.text()
    assert routed == []


@pytest.mark.gui
def test_a_code_from_another_community_is_refused_with_a_message(
    kiosk: Kiosk, signer: IdentitySigner, routed: list[str]
) -> None:
    kiosk.ctx.session.begin()
    kiosk.ctx.navigator.go(nav.HOME)
    vid = _id(kiosk, Volunteer, "陈晓燕")
    kiosk.hub.qr_scanned.emit(signer.issue(IdentityKind.VOLUNTEER, vid, "elsewhere"))
    assert kiosk.ctx.navigator.current is kiosk.ctx.navigator.screen(nav.HOME)
    assert routed == [vf.VOLUNTEER_CODE_REFUSED.text()]


@pytest.mark.gui
def test_signing_in_again_returns_to_where_the_volunteer_was(
    kiosk: Kiosk, signer: IdentitySigner, routed: list[str], qtbot: QtBot
) -> None:
    vid = _id(kiosk, Volunteer, "陈晓燕")
    community = kiosk.settings.station.community_id
    kiosk.ctx.navigator.go(nav.ATTRACT)
    kiosk.hub.qr_scanned.emit(signer.issue(IdentityKind.VOLUNTEER, vid, community))
    screen = kiosk.ctx.navigator.current
    assert isinstance(screen, VolunteerPinScreen)
    _type(qtbot, screen, DEMO_VOLUNTEER_PIN)
    kiosk.ctx.navigator.go("notices")
    # Renewal before the sign-in's maximum: card or code and PIN again, then back.
    kiosk.ctx.navigator.go(nav.HOME)
    kiosk.hub.qr_scanned.emit(signer.issue(IdentityKind.VOLUNTEER, vid, community))
    assert kiosk.ctx.navigator.current is screen
    _type(qtbot, screen, DEMO_VOLUNTEER_PIN)
    assert kiosk.ctx.navigator.current is kiosk.ctx.navigator.screen(nav.HOME)
    assert kiosk.ctx.session.volunteer is not None


@pytest.mark.gui
def test_a_resident_code_identifies_the_resident_anywhere(
    kiosk: Kiosk, signer: IdentitySigner, routed: list[str]
) -> None:
    kiosk.ctx.navigator.go(nav.ATTRACT)
    rid = _id(kiosk, Resident, "王秀兰")
    kiosk.hub.qr_scanned.emit(
        signer.issue(IdentityKind.RESIDENT, rid, kiosk.settings.station.community_id)
    )
    resident = kiosk.ctx.session.resident
    assert resident is not None
    assert (resident.resident_id, resident.masked_name, resident.identified_by) == (
        rid,
        "王*兰",
        "qr",
    )
    assert kiosk.ctx.session.active
    assert kiosk.ctx.session.actor() == Actor.resident(rid)
