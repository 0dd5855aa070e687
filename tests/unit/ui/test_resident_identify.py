"""The resident identification screen: three ways in, the volunteer's check in assisted mode,
what is shown and said, and the accessibility checklist on every view.

The composition root does not build a ResidentFlow yet, so each test builds one over the demo
platform and hands it to the screen through ``ctx.extras`` (as ``ui/app.py`` will), and routes
cards the way ``_wire_devices`` is to route them.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hardware.card_reader.simulated import SimulatedCardReader
from kiosk.flows import resident as rp
from kiosk.flows.resident import ResidentFlow
from kiosk.platform.api import Actor
from kiosk.session import EndReason, Volunteer
from kiosk.store.demo import DEMO_CARDS
from tests.unit.ui import audit
from ui.app import Kiosk
from ui.screens.resident_identify import (
    CARD,
    CHOOSE,
    CONFIRM,
    PHONE,
    QR,
    ROOM,
    SCREEN_ID,
    ResidentIdentifyScreen,
)
from ui.widgets.big_button import BigButton

WANG_CARD = next(c for c in DEMO_CARDS if c.holder == "王秀兰")


@pytest.fixture
def flow(kiosk: Kiosk) -> ResidentFlow:
    """The app's resident flow, as ui/app.py wires it (cards that are not a volunteer's,
    resident codes from the camera)."""
    flow = kiosk.ctx.resident
    assert isinstance(flow, ResidentFlow)
    return flow


@pytest.fixture
def screen(kiosk: Kiosk, flow: ResidentFlow) -> ResidentIdentifyScreen:
    s = kiosk.ctx.navigator.screen(SCREEN_ID)
    assert isinstance(s, ResidentIdentifyScreen)
    return s


def _open(kiosk: Kiosk, mode: str = "standard", **params: object) -> ResidentIdentifyScreen:
    audit.enter_mode(kiosk, mode)
    kiosk.ctx.navigator.go(SCREEN_ID, **params)
    QApplication.processEvents()
    screen = kiosk.ctx.navigator.current
    assert isinstance(screen, ResidentIdentifyScreen)
    return screen


def _tap(qtbot: QtBot, button: BigButton) -> None:
    assert button.isVisible(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _pick(qtbot: QtBot, screen: ResidentIdentifyScreen, *labels: str) -> None:
    """Tap the picker's choices by label, paging forward when needed."""
    pages = screen.picker.pages
    for label in labels:
        while label not in pages.visible_items():
            assert pages.next_button.isEnabled(), f"{label} not offered: {pages.items()}"
            _tap(qtbot, pages.next_button)
        button = next(b for b in pages.buttons if b.isVisible() and b.text() == label)
        _tap(qtbot, button)


def _room_101(qtbot: QtBot, screen: ResidentIdentifyScreen) -> None:
    """1栋 1单元 101 (the unit has 12 rooms: 长辈模式 asks for the floor first)."""
    _tap(qtbot, screen.room_button)
    assert screen.view == ROOM
    _pick(qtbot, screen, "1栋")
    # Unit labels come from the picker's own (translated) text; take the first unit.
    unit = screen.picker.pages.visible_items()[0]
    _pick(qtbot, screen, unit)
    if screen.picker.current_step() == "floor":
        _pick(qtbot, screen, screen.picker.pages.visible_items()[0])
    _pick(qtbot, screen, "101")


def _type(qtbot: QtBot, screen: ResidentIdentifyScreen, digits: str) -> None:
    keypad = screen.phone.keypad
    for digit in digits:
        qtbot.mouseClick(keypad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(keypad.ok_key, Qt.MouseButton.LeftButton)


# ---------------------------------------------------------------- the three ways


@pytest.mark.gui
def test_room_and_phone_digits_identify_and_continue(
    kiosk: Kiosk, screen: ResidentIdentifyScreen, qtbot: QtBot
) -> None:
    _open(kiosk, then="notices")
    assert screen.view == CHOOSE
    _room_101(qtbot, screen)
    assert screen.view == PHONE
    assert "1栋1单元101" in screen.phone_instruction.text()
    _type(qtbot, screen, "3021")
    session = kiosk.ctx.session
    assert session.resident is not None
    assert session.resident.masked_name == "王*兰"
    assert session.actor() == Actor.resident(session.resident.resident_id)
    assert kiosk.ctx.navigator.current is kiosk.ctx.navigator.screen("notices")


@pytest.mark.gui
def test_wrong_digits_are_refused_next_to_the_field_and_said(
    kiosk: Kiosk, screen: ResidentIdentifyScreen, qtbot: QtBot
) -> None:
    _open(kiosk, "elderly")
    _room_101(qtbot, screen)
    _type(qtbot, screen, "1234")
    assert kiosk.ctx.session.resident is None
    assert screen.view == PHONE
    message = screen.phone.status.text()
    assert message == rp.RESIDENT_NO_MATCH.text(left=4)
    assert screen.phone.status.isVisible()
    assert message in kiosk.ctx.voice.history[-1]
    # The digits are dots on screen and never reach the speech log.
    assert screen.phone.display.text() == "----"
    assert "1234" not in " ".join(kiosk.ctx.voice.history)
    assert not re.search(r"3021|1234", " ".join(kiosk.ctx.voice.history))


@pytest.mark.gui
def test_too_few_digits_say_how_to_fix_it(
    kiosk: Kiosk, screen: ResidentIdentifyScreen, qtbot: QtBot
) -> None:
    _open(kiosk, "elderly")
    _room_101(qtbot, screen)
    for digit in "30":
        qtbot.mouseClick(screen.phone.keypad.keys[digit], Qt.MouseButton.LeftButton)
    assert screen.phone.display.text() == "●●--"
    assert screen.phone.display.accessibleName() == "**"
    qtbot.mouseClick(screen.phone.keypad.ok_key, Qt.MouseButton.LeftButton)
    assert screen.phone.status.text() == rp.RESIDENT_PHONE_INCOMPLETE.text()
    assert kiosk.ctx.voice.history[-1] == rp.RESIDENT_PHONE_INCOMPLETE.text()
    assert screen.phone.display.text() == "●●--", "what was typed stays"


@pytest.mark.gui
def test_a_card_tapped_on_the_screen_identifies(
    kiosk: Kiosk, screen: ResidentIdentifyScreen, qtbot: QtBot
) -> None:
    kiosk.hub.start()
    reader = kiosk.hub.devices.card_reader
    assert isinstance(reader, SimulatedCardReader)
    _open(kiosk, then="notices")
    _tap(qtbot, screen.card_button)
    assert screen.view == CARD
    assert screen.instruction.text() == rp.RESIDENT_CARD.text()
    reader.insert_card(WANG_CARD.uid)
    qtbot.waitUntil(lambda: kiosk.ctx.session.resident is not None)
    resident = kiosk.ctx.session.resident
    assert resident is not None
    assert resident.identified_by == "card"
    assert kiosk.ctx.navigator.current is kiosk.ctx.navigator.screen("notices")


@pytest.mark.gui
def test_code_view_explains_and_errors_show_on_it(
    kiosk: Kiosk, screen: ResidentIdentifyScreen, flow: ResidentFlow, qtbot: QtBot
) -> None:
    _open(kiosk, "elderly")
    _tap(qtbot, screen.qr_button)
    assert screen.view == QR
    assert screen.camera.isVisible()
    assert rp.RESIDENT_QR.text() in kiosk.ctx.voice.history[-1]
    flow.qr_presented("KR1.NOT-A-REAL-CODE")
    assert screen.status.isVisible()
    assert screen.status.text() in (
        rp.RESIDENT_CODE_REFUSED.text(),
        rp.RESIDENT_CODE_EXPIRED.text(),
    )
    assert kiosk.ctx.voice.history[-1] == screen.status.text()
    _tap(qtbot, screen.other_ways)
    assert screen.view == CHOOSE


# ---------------------------------------------------------------- assisted mode


@pytest.mark.gui
def test_the_volunteer_checks_a_room_match(
    kiosk: Kiosk, screen: ResidentIdentifyScreen, qtbot: QtBot
) -> None:
    _open(kiosk, "assisted")
    session = kiosk.ctx.session
    _room_101(qtbot, screen)
    _type(qtbot, screen, "3021")
    assert screen.view == CONFIRM
    # "王*兰，1栋1单元101": masked name and home, nothing more.
    who = screen.confirm_who.text()
    assert who.startswith("王*兰")
    assert who.endswith("1栋1单元101")
    assert len(who) <= len("王*兰, 1栋1单元101")
    assert screen.confirm_yes.isVisible()
    assert screen.confirm_no.isVisible()
    assert session.resident is None, "nothing is done for the resident before the check"
    _tap(qtbot, screen.confirm_yes)
    resident = session.resident
    assert resident is not None
    assert resident.assisted_by == 1
    assert session.actor() == Actor.volunteer(1, for_resident=resident.resident_id)
    assert kiosk.ctx.navigator.current is kiosk.ctx.navigator.screen("home")
    # The volunteer's sign-out ends what was done under it.
    session.sign_out_volunteer()
    assert session.resident is None


@pytest.mark.gui
def test_not_this_person_goes_back_to_the_digits(
    kiosk: Kiosk, screen: ResidentIdentifyScreen, qtbot: QtBot
) -> None:
    _open(kiosk, "assisted")
    _room_101(qtbot, screen)
    _type(qtbot, screen, "3021")
    _tap(qtbot, screen.confirm_no)
    assert screen.view == PHONE
    assert kiosk.ctx.session.resident is None
    assert screen.phone.status.text() == rp.RESIDENT_NOT_CONFIRMED.text()
    assert screen.confirm_who.text() == ""


@pytest.mark.gui
def test_elderly_confirmation_is_spoken_without_the_star(
    kiosk: Kiosk, screen: ResidentIdentifyScreen, qtbot: QtBot
) -> None:
    _open(kiosk, "elderly")
    kiosk.ctx.session.sign_in_volunteer(Volunteer(volunteer_id=1, name="王志强"))
    _room_101(qtbot, screen)
    _type(qtbot, screen, "3021")
    spoken = kiosk.ctx.voice.history[-1]
    assert spoken == rp.RESIDENT_CONFIRM.text(name="王某兰", household="1栋1单元101")
    _tap(qtbot, screen.confirm_yes)
    assert rp.RESIDENT_WELCOME.text(name="王某兰") in kiosk.ctx.voice.history


# ---------------------------------------------------------------- the end of the visit


@pytest.mark.gui
def test_the_visit_end_wipes_the_screen(
    kiosk: Kiosk, screen: ResidentIdentifyScreen, qtbot: QtBot
) -> None:
    _open(kiosk, "assisted")
    _room_101(qtbot, screen)
    _type(qtbot, screen, "3021")
    assert screen.confirm_who.text()
    kiosk.ctx.session.end(EndReason.IDLE)
    assert screen.view == CHOOSE
    assert screen.confirm_who.text() == ""
    assert screen.phone.display.text() == "----"
    assert screen.picker.pages.items() == []
    texts = (
        " ".join(w.text() for w in screen.findChildren(BigButton) if w.text())
        + screen.instruction.text()
    )
    assert "王" not in texts
    assert "101" not in texts


# ---------------------------------------------------------------- accessibility, every view


def _enter_view(kiosk: Kiosk, qtbot: QtBot, screen: ResidentIdentifyScreen, view: str) -> None:
    if view == CARD:
        _tap(qtbot, screen.card_button)
    elif view == QR:
        _tap(qtbot, screen.qr_button)
    elif view == ROOM:
        _tap(qtbot, screen.room_button)
    elif view in (PHONE, CONFIRM):
        _room_101(qtbot, screen)
        if view == CONFIRM:
            kiosk.ctx.session.sign_in_volunteer(Volunteer(volunteer_id=1, name="王志强"))
            _type(qtbot, screen, "3021")
    QApplication.processEvents()
    qtbot.wait(10)
    assert screen.view == view


@pytest.mark.gui
@pytest.mark.parametrize("orientation", sorted(audit.ORIENTATIONS))
@pytest.mark.parametrize("mode", ["standard", "elderly"])
@pytest.mark.parametrize("view", [CHOOSE, CARD, QR, ROOM, PHONE, CONFIRM])
def test_every_view_meets_the_checklist(
    kiosk: Kiosk,
    screen: ResidentIdentifyScreen,
    qtbot: QtBot,
    view: str,
    mode: str,
    orientation: str,
) -> None:
    """ACCESSIBILITY.md items 1-3, 9, 13, 25 and 26 on each view (the shared audit only ever
    sees the first)."""
    kiosk.window.resize(*audit.ORIENTATIONS[orientation])
    _open(kiosk, mode)
    _enter_view(kiosk, qtbot, screen, view)
    window = kiosk.window
    elderly = kiosk.ctx.session.elderly
    problems: list[str] = []
    if screen.scroll_area.verticalScrollBar().maximum() > 0:
        problems.append("item 9: the view needs scrolling")
    for w in audit.text_widgets(window):
        cut = audit.clipped(w)
        if cut:
            problems.append(f"item 9: {w.objectName() or type(w).__name__} {cut}")
    interactive = audit.interactive_widgets(window)
    min_px = audit.mm(kiosk, 20.0 if elderly else 11.6)
    for w in interactive:
        if w.width() < min_px - 0.5 or w.height() < min_px - 0.5:
            problems.append(f"item 1/2: {w.objectName()} {w.width()}x{w.height()}")
        if not w.accessibleName().strip():
            problems.append(f"item 26: {w.objectName()} has no accessible name")
    rects = [(w, audit.window_rect(w, window)) for w in interactive]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            if ra.intersects(rb):
                problems.append(f"item 3: {a.objectName()} overlaps {b.objectName()}")
            elif elderly and audit.gap_between(ra, rb) < audit.mm(kiosk, 2.0) - 0.5:
                problems.append(f"item 3: {a.objectName()} / {b.objectName()} closer than 2 mm")
    if elderly:
        primaries = [
            b
            for b in screen.content_actions()
            if isinstance(b, BigButton) and b.property("primary")
        ]
        if len(primaries) > 6:
            problems.append(f"item 25: {len(primaries)} primary actions")
        spoken = " ".join(kiosk.ctx.voice.history[-3:])
        said = {
            ROOM: screen.picker.prompt_text(),
            PHONE: screen.phone_instruction.text(),
        }.get(view, screen.instruction.text())
        if view == CONFIRM:
            said = "王某兰"
        if said not in spoken:
            problems.append(f"item 26: {said!r} not spoken (spoke {spoken!r})")
    assert not problems, "\n".join(problems)
