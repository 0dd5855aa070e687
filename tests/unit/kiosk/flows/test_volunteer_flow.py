"""VolunteerFlow: the volunteer code (KV1.…) leads to the PIN like a card; refused codes and
locked PINs say what to do; late answers are dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from kiosk import prompts
from kiosk.flows import volunteer as v
from kiosk.flows.volunteer import VolunteerFlow, VolunteerState
from kiosk.platform.api import (
    IdentityCodeRejectedError,
    LockedOutError,
    PlatformUnavailableError,
    VolunteerNotFoundError,
    WrongPinError,
)
from kiosk.prompts import Prompt
from kiosk.session import EndReason, Mode, VisitorSession
from kiosk.store.lockouts import PERMANENT_LOCK_UNTIL
from kiosk.tasks import InlineRunner
from tests.unit.kiosk.flows.fakes import CHEN, HeldRunner, ScriptedPlatform

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
CODE = "KV1.AAAA.BBBB"
FIFTEEN_MIN = timedelta(minutes=15)


@pytest.fixture
def session(qtbot: QtBot) -> VisitorSession:
    return VisitorSession()


@pytest.fixture
def platform() -> ScriptedPlatform:
    return ScriptedPlatform()


def _flow(
    platform: ScriptedPlatform, session: VisitorSession, runner: object | None = None
) -> VolunteerFlow:
    return VolunteerFlow(
        lambda: platform,  # type: ignore[arg-type, return-value]
        session,
        runner or InlineRunner(),  # type: ignore[arg-type]
        max_failures=5,
        clock=lambda: NOW,
    )


@pytest.fixture
def flow(platform: ScriptedPlatform, session: VisitorSession) -> VolunteerFlow:
    return _flow(platform, session)


def _texts(signal: object) -> list[str]:
    seen: list[str] = []
    signal.connect(lambda e: seen.append(e.text()))  # type: ignore[attr-defined]
    return seen


def test_volunteer_code_then_pin_starts_assisted_mode(
    flow: VolunteerFlow, platform: ScriptedPlatform, session: VisitorSession
) -> None:
    recognised: list[str] = []
    flow.card_recognised.connect(recognised.append)
    platform.answers["identify_volunteer_by_qr"] = CHEN
    platform.answers["verify_volunteer_pin"] = CHEN
    flow.qr_presented(CODE)
    assert recognised == ["陈*燕"]
    assert flow.state is VolunteerState.ENTER_PIN
    assert session.volunteer is None, "a code alone opens nothing"
    flow.submit_pin("482915")
    assert platform.calls[-1] == ("verify_volunteer_pin", (7, "482915"))
    assert session.mode is Mode.ASSISTED


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (IdentityCodeRejectedError("expired"), v.VOLUNTEER_CODE_EXPIRED),
        (IdentityCodeRejectedError("bad_signature"), v.VOLUNTEER_CODE_REFUSED),
        (VolunteerNotFoundError(), v.VOLUNTEER_NOT_ACTIVE),
        (PlatformUnavailableError(), v.VOLUNTEER_UNAVAILABLE),
    ],
)
def test_refused_codes_say_what_to_do(
    flow: VolunteerFlow, platform: ScriptedPlatform, error: Exception, expected: Prompt
) -> None:
    failed = _texts(flow.identification_failed)
    platform.answers["identify_volunteer_by_qr"] = error
    flow.qr_presented(CODE)
    assert failed == [expected.text()]
    assert flow.state is VolunteerState.IDLE


def test_a_card_of_nobody_goes_to_the_resident_path(
    flow: VolunteerFlow, platform: ScriptedPlatform
) -> None:
    others: list[str] = []
    flow.not_a_volunteer.connect(others.append)
    platform.answers["identify_volunteer_by_card"] = VolunteerNotFoundError()
    flow.card_presented("ab" * 32)
    assert others == ["ab" * 32]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (WrongPinError(2, None), (prompts.ADMIN_WRONG_PIN, {"left": 3})),
        (WrongPinError(5, NOW + FIFTEEN_MIN), (prompts.VOLUNTEER_LOCKED, {"minutes": 15})),
        (LockedOutError(NOW + timedelta(seconds=30)), (prompts.VOLUNTEER_LOCKED, {"minutes": 1})),
        (WrongPinError(100, PERMANENT_LOCK_UNTIL), (v.PIN_LOCKED_ASK_STAFF, {})),
        (LockedOutError(PERMANENT_LOCK_UNTIL), (v.PIN_LOCKED_ASK_STAFF, {})),
    ],
)
def test_pin_refusals(
    flow: VolunteerFlow,
    platform: ScriptedPlatform,
    error: Exception,
    expected: tuple[Prompt, dict[str, int]],
) -> None:
    rejected = _texts(flow.rejected)
    platform.answers["identify_volunteer_by_qr"] = CHEN
    platform.answers["verify_volunteer_pin"] = error
    flow.qr_presented(CODE)
    flow.submit_pin("000000")
    prompt, params = expected
    assert rejected == [prompt.text(**params)]


def test_a_pin_answer_after_the_visit_ended_is_dropped(
    platform: ScriptedPlatform, session: VisitorSession
) -> None:
    runner = HeldRunner()
    flow = _flow(platform, session, runner)
    platform.answers["identify_volunteer_by_qr"] = CHEN
    platform.answers["verify_volunteer_pin"] = CHEN
    session.begin()
    flow.qr_presented(CODE)
    runner.release()
    flow.submit_pin("482915")
    session.end(EndReason.IDLE)
    runner.release()
    assert session.volunteer is None
    assert flow.state is VolunteerState.IDLE
