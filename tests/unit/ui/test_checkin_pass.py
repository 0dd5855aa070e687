"""Visitor check-in with a pass, end to end through the real app: a signed pass rendered as a
real QR image goes through the simulated camera and the real decoder; taps are real clicks;
the slip goes to the simulated printer; the platform is LocalPlatform on SQLite.

Every path runs in standard, elderly and assisted mode."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from hardware.camera.simulated import SimulatedQrScanner
from hardware.printer.simulated import SimulatedReceiptPrinter
from hardware.protocols import DeviceState
from hardware.speech.recording import RecordingSpeechEngine
from kiosk import prompts
from kiosk.backend import DEMO_SIGNING_KEY_FILE
from kiosk.flows.checkin import EXIT_PREFIX, PASS_PREFIX, REJECTION_PROMPTS, classify_scan
from kiosk.platform.api import EXIT_TOKEN_PREFIX, Actor, HouseholdSummary, IssuePassRequest
from kiosk.security.passes import TOKEN_PREFIX, PassRejection, PassSigner, load_private_key
from kiosk.security.short_codes import format_code
from kiosk.session import EndReason, Volunteer
from kiosk.store.models import AuditEvent, Resident
from ui.app import Kiosk
from ui.screens.checkin import (
    CheckInCodeScreen,
    CheckInConfirmScreen,
    CheckInResultScreen,
    CheckInScreen,
    CheckOutScreen,
)

MODES = ["standard", "elderly", "assisted"]
NAME = "张三明"


@pytest.fixture
def camera(kiosk: Kiosk) -> SimulatedQrScanner:
    kiosk.hub.start()
    cam = kiosk.hub.devices.camera
    assert isinstance(cam, SimulatedQrScanner)
    return cam


@pytest.fixture
def printer(kiosk: Kiosk) -> SimulatedReceiptPrinter:
    p = kiosk.hub.devices.printer
    assert isinstance(p, SimulatedReceiptPrinter)
    return p


@pytest.fixture
def signer(kiosk: Kiosk) -> PassSigner:
    s = kiosk.backend.services().pass_signer
    assert s is not None
    return s


@pytest.fixture
def household(kiosk: Kiosk) -> HouseholdSummary:
    """A home with residents (one of them invites, in the short-code test)."""
    services = kiosk.backend.services()
    with services.database.session(write=False) as s:
        hid = s.scalar(select(Resident.household_id).order_by(Resident.id).limit(1))
    return next(h for h in services.platform.find_households() if h.household_id == hid)


def _set_mode(kiosk: Kiosk, mode: str) -> None:
    session = kiosk.ctx.session
    session.begin()
    if mode == "elderly":
        session.set_elderly(True)
    elif mode == "assisted":
        session.sign_in_volunteer(Volunteer(_volunteer_id(kiosk), "陈晓燕"))
    kiosk.ctx.navigator.home()


def _volunteer_id(kiosk: Kiosk) -> int:
    from kiosk.store.models import Volunteer as VolunteerRow

    with kiosk.backend.services().database.session(write=False) as s:
        vid = s.scalar(select(VolunteerRow.id).where(VolunteerRow.name == "陈晓燕"))
    assert vid is not None
    return vid


def _pass(
    signer: PassSigner,
    household: HouseholdSummary,
    *,
    community: str = "demo",
    start: float = -1,
    hours: float = 3,
) -> str:
    now = datetime.now(UTC)
    return signer.issue(
        community_id=community,
        household=household.code,
        visitor_name=NAME,
        valid_from=now + timedelta(hours=start),
        valid_until=now + timedelta(hours=hours),
    )


def _click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible()
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _current(kiosk: Kiosk) -> object:
    return kiosk.ctx.navigator.current


def _spoken(speech: RecordingSpeechEngine) -> str:
    return " ".join(u.text for u in speech.utterances)


def _audit(kiosk: Kiosk, event_type: str) -> list[AuditEvent]:
    with kiosk.backend.services().database.session(write=False) as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


def test_scan_prefixes_match_the_token_formats() -> None:
    assert TOKEN_PREFIX.startswith(PASS_PREFIX)
    assert EXIT_PREFIX == EXIT_TOKEN_PREFIX
    assert classify_scan("KP1.ABC.DEF") == "pass"
    assert classify_scan(EXIT_TOKEN_PREFIX + "x") == "exit"
    assert classify_scan("https://example.com") == "other"


@pytest.mark.gui
@pytest.mark.parametrize("mode", MODES)
def test_pass_scanned_at_home_is_two_taps_to_a_printed_slip(
    kiosk: Kiosk,
    qtbot: QtBot,
    camera: SimulatedQrScanner,
    printer: SimulatedReceiptPrinter,
    signer: PassSigner,
    household: HouseholdSummary,
    speech: RecordingSpeechEngine,
    mode: str,
) -> None:
    _set_mode(kiosk, mode)
    home = kiosk.ctx.navigator.current
    assert home is not None
    # Tap 1: the check-in tile. Then the visitor shows the pass to the camera.
    _click(qtbot, home.findChild(QAbstractButton, "tile_checkin"))
    assert isinstance(_current(kiosk), CheckInScreen)
    camera.show_qr(_pass(signer, household))
    qtbot.waitUntil(lambda: isinstance(_current(kiosk), CheckInConfirmScreen))
    confirm = _current(kiosk)
    assert isinstance(confirm, CheckInConfirmScreen)
    assert confirm.visitor.text() == "张*明"
    assert confirm.host.text() == household.label
    assert NAME not in confirm.visitor.text()
    if mode == "elderly":
        qtbot.waitUntil(lambda: "张某明" in _spoken(speech))
        assert NAME not in _spoken(speech)
    # Tap 2: 确认登记.
    _click(qtbot, confirm.confirm)
    qtbot.waitUntil(lambda: isinstance(_current(kiosk), CheckInResultScreen))
    result = _current(kiosk)
    assert isinstance(result, CheckInResultScreen)
    assert result.kind == "admitted"
    qtbot.waitUntil(lambda: len(printer.printed) == 1)
    slip = printer.printed[0]
    text = "\n".join(line.text for line in slip.lines)
    assert "张*明" in text
    assert NAME not in text
    assert household.label in text
    (visit,) = kiosk.backend.services().platform.visits_inside()
    assert slip.qr == visit.exit_token
    assert format_code(visit.exit_code) in result.exit_code.text()
    assert format_code(visit.exit_code) in slip.qr_caption
    # The welcome is spoken in every mode.
    qtbot.waitUntil(lambda: prompts.CHECKIN_WELCOME.text() in _spoken(speech))
    # The host household was notified through the platform.
    notes = kiosk.backend.services().platform.host_notifications(household.household_id)
    assert [n.kind for n in notes] == ["visitor_arrived"]
    assert notes[0].ref == visit.id
    # In assisted mode the check-in is recorded under the volunteer.
    (entry,) = _audit(kiosk, "visit.checked_in")
    assert entry.actor_kind == ("volunteer" if mode == "assisted" else "system")


@pytest.mark.gui
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "reason",
    [
        PassRejection.BAD_SIGNATURE,
        PassRejection.EXPIRED,
        PassRejection.NOT_YET_VALID,
        PassRejection.ALREADY_USED,
        PassRejection.OTHER_COMMUNITY,
        PassRejection.MALFORMED,
    ],
)
def test_each_refusal_has_its_own_message_spoken_and_audited(
    kiosk: Kiosk,
    qtbot: QtBot,
    camera: SimulatedQrScanner,
    signer: PassSigner,
    household: HouseholdSummary,
    speech: RecordingSpeechEngine,
    mode: str,
    reason: PassRejection,
) -> None:
    _set_mode(kiosk, mode)
    kiosk.ctx.navigator.go("checkin")
    makers: dict[PassRejection, Callable[[], str]] = {
        PassRejection.BAD_SIGNATURE: lambda: _forged(signer, household),
        PassRejection.EXPIRED: lambda: _expired(kiosk, household),
        PassRejection.NOT_YET_VALID: lambda: _pass(signer, household, start=2, hours=4),
        PassRejection.ALREADY_USED: lambda: _used(kiosk, signer, household),
        PassRejection.OTHER_COMMUNITY: lambda: _pass(signer, household, community="other"),
        PassRejection.MALFORMED: lambda: "KP1.NOT-A-PASS",
    }
    camera.show_qr(makers[reason]())
    qtbot.waitUntil(lambda: isinstance(_current(kiosk), CheckInResultScreen))
    result = _current(kiosk)
    assert isinstance(result, CheckInResultScreen)
    expected = REJECTION_PROMPTS[reason.value].text()
    assert result.message.text() == expected
    # Every refusal offers the code keypad as the next step (besides 呼叫志愿者, always there).
    assert result.type_code.isVisible()
    if mode == "elderly":
        qtbot.waitUntil(lambda: expected in _spoken(speech))
    entries = _audit(kiosk, "pass.rejected")
    assert entries
    assert reason.value in entries[-1].detail
    inside = kiosk.backend.services().platform.visits_inside()
    assert len(inside) == (1 if reason is PassRejection.ALREADY_USED else 0)


@pytest.mark.gui
def test_a_pass_from_an_unknown_key_is_refused_as_forged(
    kiosk: Kiosk, qtbot: QtBot, camera: SimulatedQrScanner, household: HouseholdSummary
) -> None:
    _set_mode(kiosk, "standard")
    stranger = PassSigner(Ed25519PrivateKey.generate())
    camera.show_qr(_pass(stranger, household))
    qtbot.waitUntil(lambda: isinstance(_current(kiosk), CheckInResultScreen))
    result = _current(kiosk)
    assert isinstance(result, CheckInResultScreen)
    assert result.message.text() == prompts.PASS_FORGED.text()


def _forged(signer: PassSigner, household: HouseholdSummary) -> str:
    token = _pass(signer, household)
    head, payload, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return f"{head}.{payload}.{flipped}"


def _expired(kiosk: Kiosk, household: HouseholdSummary) -> str:
    """A pass signed by the station's key yesterday, valid for an hour then."""
    key_file = kiosk.ctx.settings.data_path() / "keys" / DEMO_SIGNING_KEY_FILE
    yesterday = datetime.now(UTC) - timedelta(days=1)
    past = PassSigner(load_private_key(key_file), clock=lambda: yesterday)
    return past.issue(
        community_id="demo",
        household=household.code,
        visitor_name=NAME,
        valid_until=yesterday + timedelta(hours=1),
    )


def _used(kiosk: Kiosk, signer: PassSigner, household: HouseholdSummary) -> str:
    token = _pass(signer, household)
    services = kiosk.backend.services()
    preview = services.visitors.preview_token(token, actor=Actor.system("kiosk"))
    services.visitors.check_in(preview, actor=Actor.system("kiosk"), visit_id=_uuid())
    return token


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def _type_code(qtbot: QtBot, screen: CheckInCodeScreen | CheckOutScreen, code: str) -> None:
    for digit in code.replace(" ", ""):
        _click(qtbot, screen.entry.keypad.keys[digit])
    _click(qtbot, screen.entry.keypad.ok_key)


def _resident_of(kiosk: Kiosk, household_id: int) -> int:
    with kiosk.backend.services().database.session(write=False) as s:
        rid = s.scalar(select(Resident.id).where(Resident.household_id == household_id))
    assert rid is not None
    return rid


@pytest.mark.gui
@pytest.mark.parametrize("mode", MODES)
def test_camera_down_short_code_on_the_keypad_checks_in(
    kiosk: Kiosk,
    qtbot: QtBot,
    camera: SimulatedQrScanner,
    printer: SimulatedReceiptPrinter,
    household: HouseholdSummary,
    speech: RecordingSpeechEngine,
    mode: str,
) -> None:
    platform = kiosk.backend.services().platform
    now = datetime.now(UTC)
    issued = platform.issue_pass(
        IssuePassRequest(
            household_id=household.household_id,
            visitor_name="王女士",
            valid_from=now - timedelta(minutes=5),
            valid_until=now + timedelta(hours=4),
        ),
        actor=Actor.resident(_resident_of(kiosk, household.household_id)),
    )
    camera.go_offline()
    _set_mode(kiosk, mode)
    kiosk.ctx.navigator.go("checkin")
    screen = _current(kiosk)
    assert isinstance(screen, CheckInScreen)
    qtbot.waitUntil(lambda: screen.camera.placeholder.isVisible())
    assert screen.camera.placeholder_text()
    _click(qtbot, screen.type_code)
    code_screen = _current(kiosk)
    assert isinstance(code_screen, CheckInCodeScreen)
    # A typo fails the check digit: the visitor is told at once, the digits stay.
    typo = ("1" if issued.short_code[0] != "1" else "2") + issued.short_code[1:]
    _type_code(qtbot, code_screen, typo)
    assert isinstance(_current(kiosk), CheckInCodeScreen)
    assert code_screen.entry.error_text()
    if mode == "elderly":
        qtbot.waitUntil(lambda: code_screen.entry.error_text() in _spoken(speech))
    code_screen.entry.clear()
    _type_code(qtbot, code_screen, issued.short_code)
    qtbot.waitUntil(lambda: isinstance(_current(kiosk), CheckInConfirmScreen))
    confirm = _current(kiosk)
    assert isinstance(confirm, CheckInConfirmScreen)
    assert confirm.visitor.text() == "王女士"
    _click(qtbot, confirm.confirm)
    qtbot.waitUntil(lambda: len(printer.printed) == 1)
    assert camera.status().state is DeviceState.OFFLINE


@pytest.mark.gui
def test_wrong_codes_in_a_row_pause_the_keypad(
    kiosk: Kiosk, qtbot: QtBot, camera: SimulatedQrScanner
) -> None:
    _set_mode(kiosk, "standard")
    kiosk.ctx.navigator.go("checkin_code")
    screen = _current(kiosk)
    assert isinstance(screen, CheckInCodeScreen)
    from kiosk.security.short_codes import check_digit

    for i in range(kiosk.ctx.settings.visitors.wrong_code_limit):
        body = f"{11111111 + i:08d}"
        screen.entry.clear()
        _type_code(qtbot, screen, body + check_digit(body))
        assert prompts.CODE_WRONG.text() == screen.entry.error_text() or i == (
            kiosk.ctx.settings.visitors.wrong_code_limit - 1
        )
    screen.entry.clear()
    body = "22222222"
    _type_code(qtbot, screen, body + check_digit(body))
    assert "60" in screen.entry.error_text() or "59" in screen.entry.error_text()
    assert len(_audit(kiosk, "pass.code_wrong")) == kiosk.ctx.settings.visitors.wrong_code_limit


@pytest.mark.gui
@pytest.mark.parametrize("mode", MODES)
def test_sign_out_with_the_slip_qr_and_with_the_exit_code(
    kiosk: Kiosk,
    qtbot: QtBot,
    camera: SimulatedQrScanner,
    signer: PassSigner,
    household: HouseholdSummary,
    mode: str,
) -> None:
    services = kiosk.backend.services()
    system = Actor.system("kiosk")
    visits = []
    for _ in range(2):
        preview = services.visitors.preview_token(_pass(signer, household), actor=system)
        visits.append(services.visitors.check_in(preview, actor=system, visit_id=_uuid()))
    _set_mode(kiosk, mode)
    # The slip's QR code, shown at the home screen.
    camera.show_qr(visits[0].exit_token)
    qtbot.waitUntil(lambda: isinstance(_current(kiosk), CheckInResultScreen))
    result = _current(kiosk)
    assert isinstance(result, CheckInResultScreen)
    assert result.kind == "checked_out"
    assert "张*明" in result.message.text()
    # The exit code typed on 离开登记.
    kiosk.ctx.navigator.go("checkin")
    checkin = _current(kiosk)
    assert isinstance(checkin, CheckInScreen)
    _click(qtbot, checkin.leaving)
    out = _current(kiosk)
    assert isinstance(out, CheckOutScreen)
    _type_code(qtbot, out, visits[1].exit_code)
    qtbot.waitUntil(lambda: isinstance(_current(kiosk), CheckInResultScreen))
    assert services.platform.visits_inside() == []
    left = services.platform.host_notifications(household.household_id)
    assert [n.kind for n in left].count("visitor_left") == 2
    # The same slip again: already signed out, said kindly.
    kiosk.ctx.navigator.go("checkout")
    out = _current(kiosk)
    assert isinstance(out, CheckOutScreen)
    _type_code(qtbot, out, visits[1].exit_code)
    assert out.entry.error_text() == prompts.CHECKOUT_ALREADY.text()


@pytest.mark.gui
def test_end_of_visit_wipes_the_confirmation(
    kiosk: Kiosk,
    qtbot: QtBot,
    camera: SimulatedQrScanner,
    signer: PassSigner,
    household: HouseholdSummary,
) -> None:
    _set_mode(kiosk, "standard")
    camera.show_qr(_pass(signer, household))
    qtbot.waitUntil(lambda: isinstance(_current(kiosk), CheckInConfirmScreen))
    confirm = _current(kiosk)
    assert isinstance(confirm, CheckInConfirmScreen)
    kiosk.ctx.session.end(EndReason.IDLE)
    assert confirm.visitor.text() == ""
    assert confirm.host.text() == ""
    assert kiosk.ctx.checkin.state.value == "idle"
    # Nothing was redeemed: the pass still works.
    assert kiosk.backend.services().platform.visits_inside() == []


@pytest.mark.gui
def test_printer_out_of_paper_still_admits_and_gives_the_exit_code(
    kiosk: Kiosk,
    qtbot: QtBot,
    camera: SimulatedQrScanner,
    printer: SimulatedReceiptPrinter,
    signer: PassSigner,
    household: HouseholdSummary,
) -> None:
    printer.set_paper(DeviceState.PAPER_OUT)
    _set_mode(kiosk, "standard")
    camera.show_qr(_pass(signer, household))
    qtbot.waitUntil(lambda: isinstance(_current(kiosk), CheckInConfirmScreen))
    confirm = _current(kiosk)
    assert isinstance(confirm, CheckInConfirmScreen)
    _click(qtbot, confirm.confirm)
    qtbot.waitUntil(lambda: isinstance(_current(kiosk), CheckInResultScreen))
    result = _current(kiosk)
    assert isinstance(result, CheckInResultScreen)
    (visit,) = kiosk.backend.services().platform.visits_inside()
    qtbot.waitUntil(lambda: format_code(visit.exit_code) in result.slip_status.text())
    assert result.reprint.isVisible()
    # Paper refilled: 重新打印 prints the same slip.
    printer.set_paper(DeviceState.READY)
    _click(qtbot, result.reprint)
    qtbot.waitUntil(lambda: len(printer.printed) == 1)
    assert printer.printed[0].qr == visit.exit_token
