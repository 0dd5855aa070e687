"""The 100-failure hard cap seen through the platform, and staff's ``pins unlock``
(RELIABILITY.md case 33), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.cli import pins
from kiosk.config import Settings, load_settings
from kiosk.platform.api import (
    Actor,
    IdentificationFailedError,
    LockedOutError,
    WrongPinError,
)
from kiosk.platform.local import LocalPlatform
from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from kiosk.store.lockouts import (
    HARD_CAP_FAILURES,
    is_permanent,
    record_failure,
    room_subject,
    volunteer_subject,
)
from kiosk.store.models import AuditEvent, Volunteer
from tests.unit.kiosk.platform.conftest import LOCKOUT
from tests.unit.kiosk.services.fakes import FakeClock

GOOD_PIN = "482915"
TEN_YEARS_S = 3653 * 86400


@pytest.fixture
def settings(db: Database, tmp_path: Path) -> Settings:
    return load_settings(
        None,
        overrides={
            "paths.data_dir": str(tmp_path / "data"),
            "store.url": db.url.render_as_string(hide_password=False),
        },
    )


def _run(argv: list[str], settings: Settings) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = pins.main(argv, settings=settings, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _volunteer_id(db: Database) -> int:
    with db.session(write=False) as session:
        vid = session.scalar(select(Volunteer.id).where(Volunteer.name == "周志远"))
    assert vid is not None
    return vid


def _near_the_cap(db: Database, subject: str, clock: FakeClock) -> None:
    """99 failures already counted (as after weeks of guessing), the last lock over."""
    with db.session() as session:
        for _ in range(HARD_CAP_FAILURES - 1):
            record_failure(session, subject, LOCKOUT, clock.now)
    clock.advance(LOCKOUT.lockout_max_s + 1)


def _details(db: Database, event_type: str) -> list[dict[str, object]]:
    with db.session(write=False) as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.event_type == event_type).order_by(AuditEvent.seq)
        )
        return [json.loads(row.detail) for row in rows]


def test_volunteer_pin_locks_for_good_at_100_until_staff_unlock(
    platform: LocalPlatform, db: Database, clock: FakeClock, settings: Settings, audit: AuditLog
) -> None:
    vid = _volunteer_id(db)
    platform.enroll_volunteer_pin(vid, GOOD_PIN, actor=Actor.admin())
    _near_the_cap(db, volunteer_subject(vid), clock)
    with pytest.raises(WrongPinError) as wrong:
        platform.verify_volunteer_pin(vid, "000000")
    assert wrong.value.failures == HARD_CAP_FAILURES
    assert is_permanent(wrong.value.locked_until)
    # Waiting does not help, not even ten years; the right PIN is not even looked at.
    clock.advance(TEN_YEARS_S)
    with pytest.raises(LockedOutError) as locked:
        platform.verify_volunteer_pin(vid, GOOD_PIN)
    assert is_permanent(locked.value.locked_until)

    code, out, _ = _run(["status", "--volunteer", str(vid)], settings)
    assert code == 0
    assert "100 consecutive failures, locked until unlocked by staff" in out
    code, out, _ = _run(["unlock", "--volunteer", str(vid)], settings)
    assert code == 0
    assert f"volunteer {vid} PIN unlocked" in out
    assert platform.verify_volunteer_pin(vid, GOOD_PIN).volunteer_id == vid

    (entry,) = _details(db, pins.EVENT_UNLOCK)
    assert entry == {
        "subject": "volunteer",
        "volunteer_id": vid,
        "result": "success",
        "via": "cli",
        "failures": 100,
        "was_locked": True,
        "permanent": True,
    }
    assert audit.verify() is None


def test_room_digits_lock_for_good_at_100_until_staff_unlock(
    platform: LocalPlatform, db: Database, clock: FakeClock, settings: Settings
) -> None:
    _near_the_cap(db, room_subject("1", "1", "101"), clock)
    with pytest.raises(IdentificationFailedError) as miss:
        platform.identify_resident_by_room("1", "1", "101", "0000")
    assert is_permanent(miss.value.locked_until)
    clock.advance(TEN_YEARS_S)
    with pytest.raises(LockedOutError):
        platform.identify_resident_by_room("1", "1", "101", "3021")
    code, out, _ = _run(["unlock", "--room", "1-1-101"], settings)
    assert code == 0
    assert "room 1-1-101 unlocked" in out
    assert platform.identify_resident_by_room("1", "1", "101", "3021").name == "王秀兰"
    (entry,) = _details(db, pins.EVENT_UNLOCK)
    assert entry["subject"] == "room"
    assert isinstance(entry["household_id"], int)
    assert "101" not in json.dumps(entry)  # the household id, never the address


def test_unlock_of_an_unknown_volunteer_fails_and_changes_nothing(
    db: Database, settings: Settings
) -> None:
    code, _, err = _run(["unlock", "--volunteer", "99999"], settings)
    assert code == 1
    assert "no volunteer with id 99999" in err
    assert _details(db, pins.EVENT_UNLOCK) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["unlock"],
        ["unlock", "--admin", "--volunteer", "3"],
        ["unlock", "--volunteer", "0"],
        ["unlock", "--room", "3-2"],
        ["reset", "--admin"],
    ],
)
def test_usage_errors(argv: list[str], settings: Settings) -> None:
    code, _, _ = _run(argv, settings)
    assert code == 2


def test_status_of_a_short_lock_gives_its_end(
    platform: LocalPlatform, db: Database, clock: FakeClock, settings: Settings
) -> None:
    vid = _volunteer_id(db)
    platform.enroll_volunteer_pin(vid, GOOD_PIN, actor=Actor.admin())
    for _ in range(LOCKOUT.max_failures):
        with pytest.raises(WrongPinError):
            platform.verify_volunteer_pin(vid, "000000")
    code, out, _ = _run(["status", "--volunteer", str(vid)], settings)
    until = (clock.now + timedelta(seconds=LOCKOUT.lockout_s)).isoformat(timespec="seconds")
    assert code == 0
    assert out == f"volunteer {vid} PIN: 5 consecutive failures, locked until {until}\n"
