"""The lockout hard cap (RELIABILITY.md case 33): after 100 consecutive failures a subject
stays locked until staff reset it, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.config import AdminConfig
from kiosk.store.db import Database
from kiosk.store.lockouts import (
    HARD_CAP_FAILURES,
    PERMANENT_LOCK_UNTIL,
    LockoutState,
    is_permanent,
    lock_end,
    lockout_state,
    record_failure,
    record_success,
    room_subject,
    unlock,
    volunteer_subject,
)

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
POLICY = AdminConfig(max_failures=5, lockout_s=60, lockout_max_s=600)
TEN_YEARS = timedelta(days=3653)


def test_the_cap_is_nists_100() -> None:
    assert HARD_CAP_FAILURES == 100


def test_locks_grow_until_the_cap_then_never_end() -> None:
    assert lock_end(POLICY, 99, NOW) == NOW + timedelta(seconds=600)
    assert lock_end(POLICY, 100, NOW) == PERMANENT_LOCK_UNTIL
    assert lock_end(POLICY, 250, NOW) == PERMANENT_LOCK_UNTIL
    assert lock_end(POLICY, 3, NOW, hard_cap=3) == PERMANENT_LOCK_UNTIL
    assert not is_permanent(lock_end(POLICY, 99, NOW))
    assert not is_permanent(None)
    assert is_permanent(PERMANENT_LOCK_UNTIL)


def test_a_permanent_lock_holds_at_any_time() -> None:
    state = LockoutState(HARD_CAP_FAILURES, PERMANENT_LOCK_UNTIL)
    assert state.permanent
    assert state.locked_at(NOW)
    assert state.locked_at(NOW + TEN_YEARS)
    assert state.locked_at(datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
    timed = LockoutState(6, NOW + timedelta(seconds=60))
    assert not timed.permanent
    assert timed.locked_at(NOW)
    assert not timed.locked_at(NOW + timedelta(seconds=60))


def test_a_permanent_lock_converts_to_local_time() -> None:
    # Screens and logs may show it in China time; that must not overflow.
    local = PERMANENT_LOCK_UNTIL.astimezone(datetime.now().astimezone().tzinfo)
    assert is_permanent(local)


def _fail(db: Database, subject: str, times: int, at: datetime) -> LockoutState:
    with db.session() as session:
        state = LockoutState(0, None)
        for _ in range(times):
            state = record_failure(session, subject, POLICY, at)
    return state


def test_the_hundredth_failure_locks_until_reset(db: Database) -> None:
    subject = volunteer_subject(7)
    state = _fail(db, subject, 99, NOW)
    assert state.failures == 99
    assert not state.permanent
    state = _fail(db, subject, 1, NOW + timedelta(hours=1))
    assert (state.failures, state.permanent) == (100, True)
    # Stored and read back as a lock that waiting does not end.
    with db.session(write=False) as session:
        stored = lockout_state(session, subject)
    assert stored.failures == 100
    assert stored.permanent
    assert stored.locked_at(NOW + TEN_YEARS)


def test_staff_unlock_clears_a_permanent_lock(db: Database) -> None:
    subject = room_subject("3", "2", "501")
    _fail(db, subject, HARD_CAP_FAILURES, NOW)
    with db.session() as session:
        before = unlock(session, subject)
    assert (before.failures, before.permanent) == (100, True)
    with db.session(write=False) as session:
        after = lockout_state(session, subject)
    assert after == LockoutState(0, None)
    assert not after.locked_at(NOW)
    # The count starts again from nothing: one failure does not lock.
    assert _fail(db, subject, 1, NOW).locked_until is None


def test_unlocking_what_is_not_locked_changes_nothing(db: Database) -> None:
    with db.session() as session:
        assert unlock(session, volunteer_subject(3)) == LockoutState(0, None)
        record_success(session, volunteer_subject(3))
        assert lockout_state(session, volunteer_subject(3)) == LockoutState(0, None)


def test_subjects_match_the_platforms_spelling() -> None:
    assert volunteer_subject(12) == "volunteer:12"
    assert room_subject("3", "2", "501") == "room:3|2|501"
