"""ResidentFlow: card, resident code, room + phone digits; the volunteer's check in assisted
mode; every refusal turned into a message that says what to do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.flows import resident as r
from kiosk.flows.resident import ResidentFlow, ResidentState
from kiosk.platform.api import (
    Actor,
    AmbiguousIdentityError,
    IdentificationFailedError,
    IdentityCodeRejectedError,
    InvalidRequestError,
    LockedOutError,
    NotSupportedError,
    PlatformUnavailableError,
    ResidentNotFoundError,
)
from kiosk.prompts import Prompt
from kiosk.session import EndReason, Resident, VisitorSession, Volunteer
from kiosk.store.lockouts import PERMANENT_LOCK_UNTIL
from kiosk.tasks import InlineRunner
from tests.unit.kiosk.flows.fakes import WANG, ZHANG, HeldRunner, ScriptedPlatform

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
HASH = "ab" * 32


class Seen:
    """What the screen would be told."""

    def __init__(self, flow: ResidentFlow) -> None:
        self.identified: list[Resident] = []
        self.rejected: list[str] = []
        self.confirm: list[tuple[str, str]] = []
        self.checking = 0
        flow.identified.connect(self.identified.append)
        flow.rejected.connect(lambda e: self.rejected.append(e.text()))
        flow.needs_volunteer_confirmation.connect(lambda n, h: self.confirm.append((n, h)))
        flow.checking.connect(self._on_checking)

    def _on_checking(self) -> None:
        self.checking += 1


@pytest.fixture
def session(qtbot: QtBot) -> VisitorSession:
    return VisitorSession()


@pytest.fixture
def platform() -> ScriptedPlatform:
    return ScriptedPlatform()


def _flow(
    platform: ScriptedPlatform, session: VisitorSession, runner: object | None = None
) -> ResidentFlow:
    return ResidentFlow(
        lambda: platform,  # type: ignore[arg-type, return-value]
        session,
        runner or InlineRunner(),  # type: ignore[arg-type]
        max_failures=5,
        clock=lambda: NOW,
    )


@pytest.fixture
def flow(platform: ScriptedPlatform, session: VisitorSession) -> ResidentFlow:
    return _flow(platform, session)


def test_card_identifies_the_resident(
    flow: ResidentFlow, platform: ScriptedPlatform, session: VisitorSession
) -> None:
    seen = Seen(flow)
    platform.answers["identify_resident_by_card"] = WANG
    flow.card_presented(HASH)
    assert platform.calls == [("identify_resident_by_card", (HASH,))]
    (resident,) = seen.identified
    assert (resident.masked_name, resident.household_label) == ("王*兰", "1栋1单元101")
    assert resident.identified_by == "card"
    assert session.resident == resident
    assert session.actor() == Actor.resident(11)
    assert seen.checking == 1


def test_resident_code_identifies_the_resident(
    flow: ResidentFlow, platform: ScriptedPlatform, session: VisitorSession
) -> None:
    seen = Seen(flow)
    platform.answers["identify_resident_by_qr"] = ZHANG
    flow.qr_presented("KR1.AAAA.BBBB")
    assert seen.identified[0].identified_by == "qr"
    assert session.resident is not None
    assert session.resident.masked_name == "张*芳"


def test_room_identifies_at_once_outside_assisted_mode(
    flow: ResidentFlow, platform: ScriptedPlatform, session: VisitorSession
) -> None:
    seen = Seen(flow)
    platform.answers["identify_resident_by_room"] = WANG
    flow.room_entered("1", "1", "101", "3021")
    assert platform.calls == [("identify_resident_by_room", ("1", "1", "101", "3021"))]
    assert seen.confirm == []
    assert seen.identified[0].identified_by == "room"
    assert session.resident is not None


def test_in_assisted_mode_the_volunteer_confirms_a_room_match(
    flow: ResidentFlow, platform: ScriptedPlatform, session: VisitorSession
) -> None:
    session.sign_in_volunteer(Volunteer(7, "陈晓燕"))
    seen = Seen(flow)
    platform.answers["identify_resident_by_room"] = ZHANG
    flow.room_entered("3", "2", "501", "1186")
    assert seen.confirm == [("张*芳", "3栋2单元501")]
    assert flow.state is ResidentState.CONFIRM
    assert session.resident is None, "nothing is done for them before the volunteer checks"
    assert session.actor() == Actor.volunteer(7)
    flow.confirm()
    (resident,) = seen.identified
    assert resident.assisted_by == 7
    assert session.actor() == Actor.volunteer(7, for_resident=12)
    flow.confirm()  # a second tap does nothing more
    assert len(seen.identified) == 1


def test_not_this_person_drops_the_match(
    flow: ResidentFlow, platform: ScriptedPlatform, session: VisitorSession
) -> None:
    session.sign_in_volunteer(Volunteer(7, "陈晓燕"))
    seen = Seen(flow)
    platform.answers["identify_resident_by_room"] = ZHANG
    flow.room_entered("3", "2", "501", "1186")
    flow.decline()
    assert session.resident is None
    assert seen.identified == []
    assert seen.rejected == [r.RESIDENT_NOT_CONFIRMED.text()]
    flow.confirm()
    assert session.resident is None


def test_cards_and_codes_need_no_confirmation_in_assisted_mode(
    flow: ResidentFlow, platform: ScriptedPlatform, session: VisitorSession
) -> None:
    session.sign_in_volunteer(Volunteer(7, "陈晓燕"))
    seen = Seen(flow)
    platform.answers["identify_resident_by_card"] = WANG
    flow.card_presented(HASH)
    assert seen.confirm == []
    assert session.actor() == Actor.volunteer(7, for_resident=11)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (IdentificationFailedError(2, None), (r.RESIDENT_NO_MATCH, {"left": 3})),
        (IdentificationFailedError(0, None), (r.RESIDENT_NO_MATCH_PLAIN, {})),
        (
            IdentificationFailedError(5, NOW + timedelta(seconds=61)),
            (r.RESIDENT_LOCKED, {"minutes": 2}),
        ),
        (LockedOutError(NOW + timedelta(minutes=15)), (r.RESIDENT_LOCKED, {"minutes": 15})),
        (LockedOutError(PERMANENT_LOCK_UNTIL), (r.RESIDENT_LOCKED_STAFF, {})),
        (IdentificationFailedError(100, PERMANENT_LOCK_UNTIL), (r.RESIDENT_LOCKED_STAFF, {})),
        (AmbiguousIdentityError(), (r.RESIDENT_AMBIGUOUS, {})),
        (PlatformUnavailableError(), (r.RESIDENT_UNAVAILABLE, {})),
        (InvalidRequestError(), (prompts.TASK_FAILED, {})),
    ],
)
def test_room_refusals_say_what_to_do(
    flow: ResidentFlow,
    platform: ScriptedPlatform,
    session: VisitorSession,
    error: Exception,
    expected: tuple[Prompt, dict[str, int]],
) -> None:
    seen = Seen(flow)
    platform.answers["identify_resident_by_room"] = error
    flow.room_entered("1", "1", "101", "0000")
    prompt, params = expected
    assert seen.rejected == [prompt.text(**params)]
    assert session.resident is None
    assert flow.state is ResidentState.IDLE


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (IdentityCodeRejectedError("expired"), r.RESIDENT_CODE_EXPIRED),
        (IdentityCodeRejectedError("bad_signature"), r.RESIDENT_CODE_REFUSED),
        (IdentityCodeRejectedError("other_community"), r.RESIDENT_CODE_REFUSED),
        (NotSupportedError(), r.RESIDENT_CODE_REFUSED),
        (ResidentNotFoundError(), r.RESIDENT_GONE),
    ],
)
def test_code_refusals(
    flow: ResidentFlow, platform: ScriptedPlatform, error: Exception, expected: Prompt
) -> None:
    seen = Seen(flow)
    platform.answers["identify_resident_by_qr"] = error
    flow.qr_presented("KR1.AAAA.BBBB")
    assert seen.rejected == [expected.text()]


def test_unknown_card(flow: ResidentFlow, platform: ScriptedPlatform) -> None:
    seen = Seen(flow)
    platform.answers["identify_resident_by_card"] = ResidentNotFoundError()
    flow.card_presented(HASH)
    assert seen.rejected == [r.RESIDENT_CARD_UNKNOWN.text()]


def test_a_second_attempt_while_checking_is_ignored(
    platform: ScriptedPlatform, session: VisitorSession
) -> None:
    runner = HeldRunner()
    flow = _flow(platform, session, runner)
    seen = Seen(flow)
    platform.answers["identify_resident_by_card"] = WANG
    platform.answers["identify_resident_by_qr"] = ZHANG
    flow.card_presented(HASH)
    flow.qr_presented("KR1.AAAA.BBBB")
    runner.release()
    assert [r.resident_id for r in seen.identified] == [11]
    assert len(platform.calls) == 1


def test_an_answer_after_the_visit_ended_is_dropped(
    platform: ScriptedPlatform, session: VisitorSession
) -> None:
    runner = HeldRunner()
    flow = _flow(platform, session, runner)
    seen = Seen(flow)
    platform.answers["identify_resident_by_card"] = WANG
    session.begin()
    flow.card_presented(HASH)
    session.end(EndReason.IDLE)
    runner.release()
    assert seen.identified == []
    assert session.resident is None
    assert not session.active


def test_messages_are_kiosk_errors(flow: ResidentFlow, platform: ScriptedPlatform) -> None:
    errors: list[object] = []
    flow.rejected.connect(errors.append)
    platform.answers["identify_resident_by_card"] = ResidentNotFoundError()
    flow.card_presented(HASH)
    assert isinstance(errors[0], KioskError)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("KR1.AAAA.BBBB", "resident"),
        ("KV1.AAAA.BBBB", "volunteer"),
        ("KP1.AAAA.BBBB", None),
        ("KX1.AAAA", None),
        ("KR2.AAAA.BBBB", None),
        ("KR1", None),
        ("kr1.aaaa.bbbb", None),
        ("", None),
    ],
)
def test_identity_codes_are_routed_by_prefix(text: str, kind: str | None) -> None:
    assert r.identity_scan_kind(text) == kind
