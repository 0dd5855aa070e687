"""Volunteer sign-in: the staff card leads to the PIN screen; the PIN starts assisted mode with
the masked name in the banner; actions are then recorded under both names; a resident's card
just starts a visit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hardware.card_reader.simulated import SimulatedCardReader
from kiosk.backend import DEMO_VOLUNTEER_PIN
from kiosk.session import Mode
from kiosk.store.demo import DEMO_CARDS
from ui import navigator as nav
from ui.app import Kiosk
from ui.screens.volunteer_pin import VolunteerPinScreen

VOLUNTEER = next(c for c in DEMO_CARDS if c.kind == "volunteer")
RESIDENT = next(c for c in DEMO_CARDS if c.kind == "resident")


@pytest.fixture
def reader(kiosk: Kiosk) -> SimulatedCardReader:
    kiosk.hub.start()
    r = kiosk.hub.devices.card_reader
    assert isinstance(r, SimulatedCardReader)
    return r


def _type(qtbot: QtBot, screen: VolunteerPinScreen, pin: str) -> None:
    for digit in pin:
        qtbot.mouseClick(screen.pad.keypad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.pad.keypad.ok_key, Qt.MouseButton.LeftButton)


@pytest.mark.gui
def test_volunteer_card_then_pin_starts_assisted_mode(
    kiosk: Kiosk, reader: SimulatedCardReader, qtbot: QtBot
) -> None:
    reader.insert_card(VOLUNTEER.uid)
    qtbot.waitUntil(lambda: isinstance(kiosk.ctx.navigator.current, VolunteerPinScreen))
    screen = kiosk.ctx.navigator.current
    assert isinstance(screen, VolunteerPinScreen)
    masked = VOLUNTEER.holder[0] + "*"
    assert screen.instruction.text().startswith(masked)
    assert VOLUNTEER.holder not in screen.instruction.text()
    _type(qtbot, screen, DEMO_VOLUNTEER_PIN)
    assert kiosk.ctx.session.mode is Mode.ASSISTED
    assert kiosk.window.banner.isVisible()
    assert masked in kiosk.window.banner.label.text()
    assert VOLUNTEER.holder not in kiosk.window.banner.label.text()
    assert kiosk.ctx.navigator.current is kiosk.ctx.navigator.screen(nav.HOME)
    # One tap on 结束协助 leaves assisted mode; the visit goes on.
    qtbot.mouseClick(kiosk.window.banner.sign_out, Qt.MouseButton.LeftButton)
    assert kiosk.ctx.session.mode is Mode.STANDARD
    assert kiosk.ctx.session.active


@pytest.mark.gui
def test_wrong_pin_is_refused_and_said(
    kiosk: Kiosk, reader: SimulatedCardReader, qtbot: QtBot
) -> None:
    kiosk.ctx.session.begin()
    kiosk.ctx.session.set_elderly(True)
    reader.insert_card(VOLUNTEER.uid)
    qtbot.waitUntil(lambda: isinstance(kiosk.ctx.navigator.current, VolunteerPinScreen))
    screen = kiosk.ctx.navigator.current
    assert isinstance(screen, VolunteerPinScreen)
    _type(qtbot, screen, "917350")
    assert kiosk.ctx.session.volunteer is None
    message = screen.pad.status.text()
    assert "密码错误" in message
    assert message in kiosk.ctx.voice.history[-1]
    assert "917350" not in " ".join(kiosk.ctx.voice.history)


@pytest.mark.gui
def test_resident_card_starts_a_visit_not_the_pin_screen(
    kiosk: Kiosk, reader: SimulatedCardReader, qtbot: QtBot
) -> None:
    reader.insert_card(RESIDENT.uid)
    qtbot.waitUntil(lambda: kiosk.ctx.session.active)
    assert not isinstance(kiosk.ctx.navigator.current, VolunteerPinScreen)
    assert kiosk.ctx.session.volunteer is None


@pytest.mark.gui
def test_visit_end_signs_the_volunteer_out(
    kiosk: Kiosk, reader: SimulatedCardReader, qtbot: QtBot
) -> None:
    from kiosk.session import EndReason

    reader.insert_card(VOLUNTEER.uid)
    qtbot.waitUntil(lambda: isinstance(kiosk.ctx.navigator.current, VolunteerPinScreen))
    screen = kiosk.ctx.navigator.current
    assert isinstance(screen, VolunteerPinScreen)
    _type(qtbot, screen, DEMO_VOLUNTEER_PIN)
    assert kiosk.ctx.session.volunteer is not None
    kiosk.ctx.session.end(EndReason.IDLE)
    assert kiosk.ctx.session.volunteer is None
    assert not kiosk.window.banner.isVisible()
    assert screen.instruction.text() == screen.instruction.text().lstrip()
    assert VOLUNTEER.holder[0] + "*" not in screen.instruction.text()
