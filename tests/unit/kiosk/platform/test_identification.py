"""Identification through the Platform interface: cards, room + phone digits, volunteer PINs."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from kiosk.pins import WeakPinError
from kiosk.platform.api import (
    Actor,
    AmbiguousIdentityError,
    IdentificationFailedError,
    InvalidRequestError,
    LockedOutError,
    PermissionDeniedError,
    PinNotSetError,
    Platform,
    ResidentNotFoundError,
    VolunteerNotFoundError,
    WrongPinError,
)
from kiosk.platform.local import LocalPlatform
from kiosk.services.audit import AuditLog
from kiosk.store.cards import card_uid_hash
from kiosk.store.db import Database
from kiosk.store.demo import DEMO_CARD_KEY
from kiosk.store.models import AuditEvent, Resident, Volunteer
from tests.unit.kiosk.platform.conftest import PlatformFactory
from tests.unit.kiosk.services.fakes import FakeClock

WANG_CARD = "04A3F21C6B5E80"  # 王秀兰, 1栋1单元101, phone …3021, elderly
CHEN_VOLUNTEER_CARD = "D2E4F6A8"  # 陈晓燕
GOOD_PIN = "482915"


def _events(db: Database, event_type: str) -> list[AuditEvent]:
    with db.session(write=False) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.event_type == event_type)
                .order_by(AuditEvent.seq)
            )
        )


def _volunteer_id(db: Database, name: str) -> int:
    with db.session(write=False) as session:
        vid = session.scalar(select(Volunteer.id).where(Volunteer.name == name))
    assert vid is not None
    return vid


def test_local_platform_satisfies_the_protocol(platform: LocalPlatform) -> None:
    assert isinstance(platform, Platform)


def test_card_identifies_the_resident(platform: LocalPlatform, db: Database) -> None:
    who = platform.identify_resident_by_card(card_uid_hash(WANG_CARD, DEMO_CARD_KEY))
    assert who.name == "王秀兰"
    assert who.household_label == "1栋1单元101"
    assert who.is_elderly
    (event,) = _events(db, "resident.identify")
    assert (event.actor_kind, event.actor_id) == ("resident", str(who.resident_id))
    assert json.loads(event.detail)["result"] == "success"
    assert "王秀兰" not in repr(who)
    assert "王*兰" in repr(who)


def test_unknown_card_is_refused_and_audited(platform: LocalPlatform, db: Database) -> None:
    with pytest.raises(ResidentNotFoundError) as info:
        platform.identify_resident_by_card(card_uid_hash("DEADBEEF", DEMO_CARD_KEY))
    assert info.value.code == "identify.not_found"
    (event,) = _events(db, "resident.identify")
    assert json.loads(event.detail)["result"] == "not_found"


def test_malformed_card_hash_is_an_invalid_request(platform: LocalPlatform) -> None:
    for bad in ["", "04A3F21C6B5E80", "A" * 64, "g" * 64]:
        with pytest.raises(InvalidRequestError):
            platform.identify_resident_by_card(bad)
        with pytest.raises(InvalidRequestError):
            platform.identify_volunteer_by_card(bad)


def test_room_and_last4_identify_the_resident(platform: LocalPlatform) -> None:
    who = platform.identify_resident_by_room("1", "1", "101", "3021")
    assert who.name == "王秀兰"
    other = platform.identify_resident_by_room("1", "1", "101", "7754")
    assert other.name == "李建国"


def test_wrong_last4_and_unknown_rooms_get_the_same_refusal(platform: LocalPlatform) -> None:
    with pytest.raises(IdentificationFailedError) as wrong:
        platform.identify_resident_by_room("1", "1", "101", "0000")
    with pytest.raises(IdentificationFailedError) as unknown:
        platform.identify_resident_by_room("9", "9", "999", "3021")
    assert wrong.value.code == unknown.value.code == "identify.no_match"
    assert (wrong.value.failures, wrong.value.locked_until) == (1, None)
    assert str(wrong.value) == str(unknown.value)


def test_malformed_input_is_not_counted(platform: LocalPlatform) -> None:
    for _ in range(2):
        for digits in ["302", "30211", "３０２１", "30a1", ""]:
            with pytest.raises(InvalidRequestError):
                platform.identify_resident_by_room("1", "1", "101", digits)
        for building, unit, room in [("", "1", "101"), ("1", " ", "101"), ("1", "1", "1" * 17)]:
            with pytest.raises(InvalidRequestError):
                platform.identify_resident_by_room(building, unit, room, "3021")
    assert platform.identify_resident_by_room("1", "1", "101", "3021").name == "王秀兰"


def test_room_locks_after_repeated_misses(
    platform: LocalPlatform, make_platform: PlatformFactory, clock: FakeClock, db: Database
) -> None:
    for attempt in range(1, 5):
        with pytest.raises(IdentificationFailedError) as miss:
            platform.identify_resident_by_room("1", "1", "101", f"{attempt:04d}")
        assert miss.value.locked_until is None
    with pytest.raises(IdentificationFailedError) as fifth:
        platform.identify_resident_by_room("1", "1", "101", "0005")
    assert fifth.value.locked_until is not None
    assert (fifth.value.locked_until - clock.now).total_seconds() == 60
    # Locked: even the right digits are refused, on another kiosk too and after a restart.
    with pytest.raises(LockedOutError):
        platform.identify_resident_by_room("1", "1", "101", "3021")
    with pytest.raises(LockedOutError):
        make_platform(kiosk_id="kiosk-b").identify_resident_by_room("1", "1", "101", "3021")
    # Other rooms are not affected.
    assert platform.identify_resident_by_room("1", "1", "302", "1186").name == "张桂芳"
    clock.advance(61)
    assert platform.identify_resident_by_room("1", "1", "101", "3021").name == "王秀兰"
    # The success reset the counter: one miss does not lock.
    with pytest.raises(IdentificationFailedError) as again:
        platform.identify_resident_by_room("1", "1", "101", "0000")
    assert (again.value.failures, again.value.locked_until) == (1, None)
    results = [json.loads(e.detail)["result"] for e in _events(db, "resident.identify")]
    assert results.count("locked") == 2
    assert results.count("failure") == 6


def test_misses_after_a_lock_lock_again_for_longer(
    platform: LocalPlatform, clock: FakeClock
) -> None:
    for attempt in range(5):
        with pytest.raises(IdentificationFailedError):
            platform.identify_resident_by_room("2", "1", "102", f"{attempt:04d}")
    clock.advance(61)
    with pytest.raises(IdentificationFailedError) as sixth:
        platform.identify_resident_by_room("2", "1", "102", "0006")
    assert sixth.value.locked_until is not None
    assert (sixth.value.locked_until - clock.now).total_seconds() == 120


def test_shared_last4_in_one_room_is_ambiguous(platform: LocalPlatform, db: Database) -> None:
    with db.session() as session:
        wang = session.scalars(select(Resident).where(Resident.name == "王秀兰")).one()
        session.add(Resident(household_id=wang.household_id, name="王小明", phone_last4="3021"))
    with pytest.raises(AmbiguousIdentityError):
        platform.identify_resident_by_room("1", "1", "101", "3021")


def test_volunteer_card(platform: LocalPlatform, db: Database) -> None:
    who = platform.identify_volunteer_by_card(card_uid_hash(CHEN_VOLUNTEER_CARD, DEMO_CARD_KEY))
    assert (who.name, who.role) == ("陈晓燕", "volunteer")
    assert "陈晓燕" not in repr(who)
    with db.session() as session:
        session.scalars(select(Volunteer).where(Volunteer.name == "陈晓燕")).one().active = False
    with pytest.raises(VolunteerNotFoundError):
        platform.identify_volunteer_by_card(card_uid_hash(CHEN_VOLUNTEER_CARD, DEMO_CARD_KEY))


def test_volunteer_pin_is_argon2id_and_checked(platform: LocalPlatform, db: Database) -> None:
    vid = _volunteer_id(db, "陈晓燕")
    with pytest.raises(PinNotSetError):
        platform.verify_volunteer_pin(vid, GOOD_PIN)
    with pytest.raises(WeakPinError):
        platform.enroll_volunteer_pin(vid, "123456", actor=Actor.admin())
    with pytest.raises(PermissionDeniedError):
        platform.enroll_volunteer_pin(vid, GOOD_PIN, actor=Actor.volunteer(vid + 1))
    platform.enroll_volunteer_pin(vid, GOOD_PIN, actor=Actor.admin())
    with db.session(write=False) as session:
        stored = session.get(Volunteer, vid)
        assert stored is not None
        assert stored.pin_hash is not None
        assert stored.pin_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert GOOD_PIN not in stored.pin_hash
    assert platform.verify_volunteer_pin(vid, GOOD_PIN).volunteer_id == vid
    with pytest.raises(VolunteerNotFoundError):
        platform.verify_volunteer_pin(99999, GOOD_PIN)


def test_volunteer_pin_lockout(
    platform: LocalPlatform, db: Database, clock: FakeClock, audit: AuditLog
) -> None:
    vid = _volunteer_id(db, "周志远")
    platform.enroll_volunteer_pin(vid, GOOD_PIN, actor=Actor.admin())
    for n in range(1, 6):
        with pytest.raises(WrongPinError) as wrong:
            platform.verify_volunteer_pin(vid, "000000")
        assert wrong.value.failures == n
    assert wrong.value.locked_until is not None
    with pytest.raises(LockedOutError):
        platform.verify_volunteer_pin(vid, GOOD_PIN)
    clock.advance(61)
    assert platform.verify_volunteer_pin(vid, GOOD_PIN).name == "周志远"
    events = _events(db, "volunteer.login")
    assert [json.loads(e.detail)["result"] for e in events] == ["failure"] * 5 + [
        "locked",
        "success",
    ]
    assert {(e.actor_kind, e.actor_id) for e in events} == {("volunteer", str(vid))}
    for event in events:
        assert GOOD_PIN not in event.detail
        assert "000000" not in event.detail
    assert audit.verify() is None
