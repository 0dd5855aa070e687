"""Passes issued at the kiosk (邀请访客), found again by short code; households by a pass's
code; exit codes on visitor slips and signing out with them. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, update

from kiosk.platform import local as local_module
from kiosk.platform.api import (
    Actor,
    CheckInRequest,
    ConflictError,
    HouseholdNotFoundError,
    HouseholdSummary,
    InvalidRequestError,
    IssuePassRequest,
    NotSupportedError,
    PassNotFoundError,
    PermissionDeniedError,
    VisitAlreadyClosedError,
    VisitNotFoundError,
    new_id,
)
from kiosk.platform.local import LocalPlatform
from kiosk.security.passes import PassSigner, PassVerifier
from kiosk.security.short_codes import check_digit, format_code, is_valid_code
from kiosk.store.db import Database
from kiosk.store.models import AuditEvent, IssuedPassRow, OutboxEvent, Resident, Volunteer
from kiosk.store.models import Visit as VisitRow
from tests.unit.kiosk.platform.conftest import PlatformFactory
from tests.unit.kiosk.services.fakes import FakeClock

KIOSK = Actor.system("kiosk")
PASS_ID = bytes(range(16))


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def platform(
    make_platform: PlatformFactory, key: Ed25519PrivateKey, clock: FakeClock
) -> LocalPlatform:
    return make_platform(pass_signer=PassSigner(key, clock=clock), max_pass_days=7)


@pytest.fixture
def home(platform: LocalPlatform) -> HouseholdSummary:
    return platform.household_by_code("1-1-101")


def _resident_id(db: Database, name: str) -> int:
    with db.session(write=False) as session:
        rid = session.scalar(select(Resident.id).where(Resident.name == name))
    assert rid is not None
    return rid


def _volunteer_id(db: Database) -> int:
    with db.session(write=False) as session:
        vid = session.scalar(select(Volunteer.id).where(Volunteer.name == "陈晓燕"))
    assert vid is not None
    return vid


def _invite(
    home: HouseholdSummary,
    clock: FakeClock,
    *,
    name: str = "张先生",
    start: timedelta = timedelta(0),
    length: timedelta = timedelta(hours=4),
    uses: int = 1,
) -> IssuePassRequest:
    return IssuePassRequest(
        household_id=home.household_id,
        visitor_name=name,
        valid_from=clock.now + start,
        valid_until=clock.now + start + length,
        uses_allowed=uses,
    )


# ---------------------------------------------------------------------- households by code


def test_a_pass_names_its_household_by_code(platform: LocalPlatform) -> None:
    home = platform.household_by_code("3-2-501")
    assert (home.building, home.unit, home.room, home.label) == ("3", "2", "501", "3栋2单元501")
    assert home.code == "3-2-501"
    assert platform.household_by_code(" 1-1-101 ").label == "1栋1单元101"
    for bad in ("3-2-999", "9-1-101", "3-2", "3-2-501-1", "", "3 2 501", "3--501", "x" * 100):
        with pytest.raises(HouseholdNotFoundError) as info:
            platform.household_by_code(bad)
        assert info.value.code == "household.not_found"
    with pytest.raises(HouseholdNotFoundError):
        platform.household_by_code(None)  # type: ignore[arg-type]


def test_another_community_s_households_are_not_found(
    make_platform: PlatformFactory,
) -> None:
    elsewhere = make_platform(community_id="other")
    with pytest.raises(HouseholdNotFoundError):
        elsewhere.household_by_code("1-1-101")


# ---------------------------------------------------------------------- issuing passes


def test_a_resident_invites_a_visitor_and_the_pass_verifies(
    platform: LocalPlatform,
    db: Database,
    home: HouseholdSummary,
    clock: FakeClock,
    key: Ed25519PrivateKey,
) -> None:
    actor = Actor.resident(_resident_id(db, "王秀兰"))
    issued = platform.issue_pass(_invite(home, clock, uses=2), actor=actor)
    assert (issued.household_id, issued.household_label) == (home.household_id, "1栋1单元101")
    assert (issued.visitor_name, issued.uses_allowed) == ("张先生", 2)
    assert (issued.valid_from, issued.valid_until) == (clock.now, clock.now + timedelta(hours=4))
    assert is_valid_code(issued.short_code)
    verified = PassVerifier([key.public_key()], community_id="demo", clock=clock).verify(
        issued.token
    )
    assert verified.household == "1-1-101"
    assert verified.pass_id.hex() == issued.pass_id
    assert (verified.visitor_name, verified.uses_allowed) == ("张先生", 2)
    assert verified.valid_until == issued.valid_until
    # The short code finds the token, however it is typed.
    assert platform.pass_by_short_code(issued.short_code) == issued.token
    assert platform.pass_by_short_code(format_code(issued.short_code)) == issued.token
    (event,) = _events(db, "pass.issued")
    assert (event.actor_kind, event.actor_id) == ("resident", actor.id)
    assert json.loads(event.detail) == {
        "pass_id": issued.pass_id,
        "household_id": home.household_id,
        "uses_allowed": 2,
        "kiosk": "kiosk-a",
    }
    with db.session(write=False) as session:
        payloads = list(session.scalars(select(OutboxEvent.payload)))
    assert len(payloads) == 1
    assert "张先生" not in payloads[0]
    assert json.loads(payloads[0])["valid_until"] == issued.valid_until.isoformat()


def test_issuing_is_idempotent_by_request_id(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    actor = Actor.resident(_resident_id(db, "王秀兰"))
    request = _invite(home, clock)
    first = platform.issue_pass(request, actor=actor)
    clock.advance(30)
    assert platform.issue_pass(request, actor=actor) == first
    with db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(IssuedPassRow)) == 1
    with pytest.raises(ConflictError):
        platform.issue_pass(dataclasses.replace(request, visitor_name="李女士"), actor=actor)
    assert len(_events(db, "pass.issued")) == 1


def test_only_the_household_or_its_volunteer_issues(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    neighbour = Actor.resident(_resident_id(db, "陈志强"))
    with pytest.raises(PermissionDeniedError):
        platform.issue_pass(_invite(home, clock), actor=neighbour)
    with pytest.raises(PermissionDeniedError):
        platform.issue_pass(_invite(home, clock), actor=Actor.volunteer(_volunteer_id(db)))
    helped = Actor.volunteer(_volunteer_id(db), for_resident=_resident_id(db, "李建国"))
    issued = platform.issue_pass(_invite(home, clock), actor=helped)
    (event,) = _events(db, "pass.issued")
    assert (event.actor_kind, event.on_behalf_of) == ("volunteer", helped.on_behalf_of)
    assert issued.household_id == home.household_id
    request = dataclasses.replace(_invite(home, clock), household_id=999_999)
    with pytest.raises(HouseholdNotFoundError):
        platform.issue_pass(request, actor=helped)


@pytest.mark.parametrize(
    ("start", "length", "uses", "name"),
    [
        (timedelta(hours=-5), timedelta(hours=4), 1, "张先生"),  # ends in the past
        (timedelta(0), timedelta(0), 1, "张先生"),  # empty window
        (timedelta(hours=1), timedelta(hours=-1), 1, "张先生"),  # ends before it starts
        (timedelta(0), timedelta(days=7, seconds=1), 1, "张先生"),  # too long
        (timedelta(days=7, seconds=1), timedelta(hours=1), 1, "张先生"),  # too far ahead
        (timedelta(0), timedelta(hours=1), 0, "张先生"),
        (timedelta(0), timedelta(hours=1), 11, "张先生"),
        (timedelta(0), timedelta(hours=1), 1, "张" * 11),  # more than 32 UTF-8 bytes
        (timedelta(0), timedelta(hours=1), 1, " 张先生"),  # white space at an end
        (timedelta(0), timedelta(hours=1), 1, "张\u202e先生"),  # a bidi override
        (timedelta(0), timedelta(hours=1), 1, ""),
    ],
)
def test_bad_invitations_are_refused(
    platform: LocalPlatform,
    db: Database,
    home: HouseholdSummary,
    clock: FakeClock,
    start: timedelta,
    length: timedelta,
    uses: int,
    name: str,
) -> None:
    actor = Actor.resident(_resident_id(db, "王秀兰"))
    request = _invite(home, clock, name=name, start=start, length=length, uses=uses)
    with pytest.raises(InvalidRequestError) as info:
        platform.issue_pass(request, actor=actor)
    assert name.strip() == "" or name.strip() not in str(info.value)
    with db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(IssuedPassRow)) == 0


def test_the_longest_allowed_invitation_is_accepted(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    actor = Actor.resident(_resident_id(db, "王秀兰"))
    request = _invite(home, clock, start=timedelta(days=7), length=timedelta(days=7), uses=10)
    issued = platform.issue_pass(request, actor=actor)
    assert issued.valid_until - issued.valid_from == timedelta(days=7)


def test_without_a_signer_no_pass_is_issued(
    make_platform: PlatformFactory, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    plain = make_platform()
    with pytest.raises(NotSupportedError):
        plain.issue_pass(_invite(home, clock), actor=Actor.resident(_resident_id(db, "王秀兰")))


def test_short_code_collisions_draw_again(
    platform: LocalPlatform,
    db: Database,
    home: HouseholdSummary,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    actor = Actor.resident(_resident_id(db, "王秀兰"))
    taken = "12345678" + check_digit("12345678")
    fresh = "87654321" + check_digit("87654321")
    codes = iter([taken, taken, fresh])
    monkeypatch.setattr(local_module, "new_code", lambda: next(codes))
    first = platform.issue_pass(_invite(home, clock), actor=actor)
    second = platform.issue_pass(_invite(home, clock), actor=actor)
    assert (first.short_code, second.short_code) == (taken, fresh)


def test_unknown_or_mistyped_short_codes_find_nothing(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    issued = platform.issue_pass(
        _invite(home, clock), actor=Actor.resident(_resident_id(db, "王秀兰"))
    )
    code = issued.short_code
    typo = code[:-1] + str((int(code[-1]) + 1) % 10)  # the check digit catches it
    other = "11111111" + check_digit("11111111")
    for bad in (typo, other, "", "abc", code + "0", None):
        with pytest.raises(PassNotFoundError) as info:
            platform.pass_by_short_code(bad)  # type: ignore[arg-type]
        assert info.value.code == "pass.not_found"


# ---------------------------------------------------------------------- pass uses


def test_pass_uses_count_the_redemptions(platform: LocalPlatform, clock: FakeClock) -> None:
    assert platform.pass_uses(PASS_ID) == 0
    platform.redeem_pass(PASS_ID, 3, "kiosk-a", clock.now)
    platform.redeem_pass(PASS_ID, 3, "kiosk-b", clock.now)
    assert platform.pass_uses(PASS_ID) == 2
    with pytest.raises(InvalidRequestError):
        platform.pass_uses(b"")


# ---------------------------------------------------------------------- exit codes


def test_every_visit_gets_an_exit_code_unique_among_those_inside(
    platform: LocalPlatform, home: HouseholdSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_code = "00000001" + check_digit("00000001")
    second_code = "00000002" + check_digit("00000002")
    codes = iter([first_code, first_code, first_code, second_code, first_code])
    monkeypatch.setattr(local_module, "new_code", lambda: next(codes))
    first = platform.check_in(CheckInRequest("访客甲", home.household_id), actor=KIOSK)
    second = platform.check_in(CheckInRequest("访客乙", home.household_id), actor=KIOSK)
    assert (first.exit_code, second.exit_code) == (first_code, second_code)
    assert {v.exit_code for v in platform.visits_inside()} == {first_code, second_code}
    # Once the first visitor has left, the code may be drawn again.
    platform.check_out(first.id, actor=KIOSK)
    third = platform.check_in(CheckInRequest("访客丙", home.household_id), actor=KIOSK)
    assert third.exit_code == first_code


def test_the_database_refuses_a_duplicate_exit_code_inside(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two kiosks that both found a code free: the partial unique index stops the second
    one, whose check-in then draws again."""
    code = "00000003" + check_digit("00000003")
    other = "00000004" + check_digit("00000004")
    first = platform.check_in(CheckInRequest("访客甲", home.household_id), actor=KIOSK)
    with db.session() as session:
        session.execute(update(VisitRow).where(VisitRow.id == first.id).values(exit_code=code))
    calls = {"n": 0}

    def blind_new_code(session: object) -> str:  # misses the visit inside, as a racer would
        calls["n"] += 1
        return code if calls["n"] == 1 else other

    monkeypatch.setattr(platform, "_new_exit_code", blind_new_code)
    second = platform.check_in(CheckInRequest("访客乙", home.household_id), actor=KIOSK)
    assert second.exit_code == other
    assert calls["n"] == 2


def test_signing_out_with_the_exit_code(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    visit = platform.check_in(CheckInRequest("访客甲", home.household_id), actor=KIOSK)
    assert is_valid_code(visit.exit_code)
    clock.advance(3600)
    done = platform.check_out_by_code(format_code(visit.exit_code), actor=KIOSK)
    assert (done.id, done.checked_out_at, done.inside) == (visit.id, clock.now, False)
    assert done.exit_code == visit.exit_code
    assert platform.visits_inside() == []
    with pytest.raises(VisitAlreadyClosedError):
        platform.check_out_by_code(visit.exit_code, actor=KIOSK)
    assert len(_events(db, "visit.checked_out")) == 1
    kinds = [n.kind for n in platform.host_notifications(home.household_id)]
    assert kinds == ["visitor_left", "visitor_arrived"]


def test_wrong_exit_codes_find_no_visit(
    platform: LocalPlatform, make_platform: PlatformFactory, home: HouseholdSummary
) -> None:
    visit = platform.check_in(CheckInRequest("访客甲", home.household_id), actor=KIOSK)
    code = visit.exit_code
    typo = code[:3] + code[4] + code[3] + code[5:]  # two neighbours swapped
    if typo == code:
        typo = code[:-1] + str((int(code[-1]) + 1) % 10)
    unknown = "99999999" + check_digit("99999999")
    for bad in (typo, unknown, "", "123", "abc defg h", None):
        with pytest.raises(VisitNotFoundError):
            platform.check_out_by_code(bad, actor=KIOSK)  # type: ignore[arg-type]
    other_station = make_platform(station_id="station-02", kiosk_id="kiosk-z")
    with pytest.raises(VisitNotFoundError):
        other_station.check_out_by_code(code, actor=KIOSK)
    assert [v.id for v in platform.visits_inside()] == [visit.id]


def test_the_check_in_retried_keeps_its_exit_code(
    platform: LocalPlatform, home: HouseholdSummary
) -> None:
    request = CheckInRequest("访客甲", home.household_id, visit_id=new_id())
    first = platform.check_in(request, actor=KIOSK)
    assert platform.check_in(request, actor=KIOSK).exit_code == first.exit_code
    with pytest.raises(ConflictError):
        platform.check_in(
            dataclasses.replace(request, kind="walk_in", approval_id=new_id()), actor=KIOSK
        )


def test_a_visit_from_before_exit_codes_reads_without_one(
    platform: LocalPlatform, db: Database, home: HouseholdSummary
) -> None:
    visit = platform.check_in(CheckInRequest("访客甲", home.household_id), actor=KIOSK)
    with db.session() as session:
        session.execute(update(VisitRow).values(exit_code=None))
    (inside,) = platform.visits_inside()
    assert (inside.id, inside.exit_code, inside.kind, inside.reason) == (visit.id, "", "pass", None)


def _events(db: Database, event_type: str) -> list[AuditEvent]:
    with db.session(write=False) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.event_type == event_type)
                .order_by(AuditEvent.seq)
            )
        )
