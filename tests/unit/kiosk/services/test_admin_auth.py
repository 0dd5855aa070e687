from __future__ import annotations

import json
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from kiosk.config import AdminConfig
from kiosk.services.admin_auth import (
    EVENT_LOGIN,
    EVENT_PIN_CHANGE,
    EVENT_PIN_SET,
    AdminAuth,
    AuthResult,
    PinAlreadySetError,
    PinNotSetError,
    WeakPinError,
    WeakPinReason,
    check_pin,
)
from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from kiosk.store.models import AuditEvent, Setting
from kiosk.store.settings import get_setting, put_setting
from tests.unit.kiosk.services.fakes import FakeClock

PIN = "204863"
WRONG = "999000"
CFG = AdminConfig(max_failures=5, lockout_s=900, lockout_max_s=3600)


@pytest.fixture
def auth(db: Database, audit: AuditLog, clock: FakeClock) -> AdminAuth:
    return AdminAuth(db, CFG, audit, clock=clock)


@pytest.fixture
def ready(auth: AdminAuth) -> AdminAuth:
    auth.set_pin(PIN)
    return auth


def _stored_hash(db: Database) -> str:
    with db.session(write=False) as session:
        value = get_setting(session, "admin.pin_hash")
    assert value is not None
    return value


def _events(db: Database, event_type: str) -> list[dict[str, object]]:
    with db.session(write=False) as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.event_type == event_type).order_by(AuditEvent.seq)
        )
        return [json.loads(row.detail) for row in rows]


def _fail(auth: AdminAuth, times: int) -> AuthResult:
    result = AuthResult(ok=True, locked_until=None, failures=0)
    for _ in range(times):
        result = auth.verify(WRONG)
    return result


# ------------------------------------------------------------------ PIN rule


@pytest.mark.parametrize(
    ("pin", "reason"),
    [
        ("12345", WeakPinReason.LENGTH),
        ("", WeakPinReason.LENGTH),
        ("2048630482951", WeakPinReason.LENGTH),
        ("20486a", WeakPinReason.NOT_DIGITS),
        ("204 863", WeakPinReason.NOT_DIGITS),
        ("２０４８６３", WeakPinReason.NOT_DIGITS),  # full-width digits
        ("٢٠٤٨٦٣", WeakPinReason.NOT_DIGITS),  # Arabic-Indic digits
        ("000000", WeakPinReason.REPEATED),
        ("77777777", WeakPinReason.REPEATED),
        ("123456", WeakPinReason.SEQUENCE),
        ("654321", WeakPinReason.SEQUENCE),
        ("0123456789", WeakPinReason.SEQUENCE),
        ("890123", WeakPinReason.SEQUENCE),
        ("210987", WeakPinReason.SEQUENCE),
    ],
)
def test_weak_pins_are_refused_with_a_reason(pin: str, reason: WeakPinReason) -> None:
    with pytest.raises(WeakPinError) as info:
        check_pin(pin)
    assert info.value.reason is reason
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "pin", ["204863", "112233", "135790", "123457", "000001", "987650", "246813579024"]
)
def test_acceptable_pins(pin: str) -> None:
    check_pin(pin)


# ------------------------------------------------------------------ set / change


def test_first_start_has_no_pin(auth: AdminAuth) -> None:
    assert auth.has_pin() is False
    with pytest.raises(PinNotSetError):
        auth.verify(PIN)


def test_set_pin_stores_an_argon2id_hash(auth: AdminAuth, db: Database) -> None:
    auth.set_pin(PIN)
    assert auth.has_pin() is True
    stored = _stored_hash(db)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PIN not in stored
    assert _events(db, EVENT_PIN_SET) == [{"result": "success"}]


def test_set_pin_only_once(ready: AdminAuth, db: Database) -> None:
    before = _stored_hash(db)
    with pytest.raises(PinAlreadySetError):
        ready.set_pin("135790")
    assert _stored_hash(db) == before
    assert ready.verify(PIN).ok


def test_weak_first_pin_is_not_stored(auth: AdminAuth) -> None:
    with pytest.raises(WeakPinError):
        auth.set_pin("111111")
    assert auth.has_pin() is False


def test_change_pin(ready: AdminAuth, db: Database) -> None:
    result = ready.change_pin(PIN, "135790")
    assert result == AuthResult(ok=True, locked_until=None, failures=0)
    assert ready.verify("135790").ok
    assert not ready.verify(PIN).ok
    assert _events(db, EVENT_PIN_CHANGE)[0]["result"] == "success"
    assert _stored_hash(db).startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_change_pin_with_a_wrong_old_pin_counts_as_a_failure(ready: AdminAuth) -> None:
    result = ready.change_pin(WRONG, "135790")
    assert result == AuthResult(ok=False, locked_until=None, failures=1)
    assert ready.verify(PIN).ok
    assert not ready.verify("135790").ok


def test_change_to_a_weak_pin_is_refused_before_any_attempt(ready: AdminAuth) -> None:
    with pytest.raises(WeakPinError):
        ready.change_pin(WRONG, "123456")
    assert ready.verify(WRONG).failures == 1  # the refused change did not count


def test_change_pin_is_locked_like_login(ready: AdminAuth) -> None:
    _fail(ready, CFG.max_failures)
    result = ready.change_pin(PIN, "135790")
    assert not result.ok
    assert result.locked_until is not None


# ------------------------------------------------------------------ verify and lockout


def test_right_and_wrong_pins(ready: AdminAuth) -> None:
    assert ready.verify(PIN) == AuthResult(ok=True, locked_until=None, failures=0)
    assert ready.verify(WRONG) == AuthResult(ok=False, locked_until=None, failures=1)
    assert ready.verify("") == AuthResult(ok=False, locked_until=None, failures=2)
    assert ready.verify(PIN) == AuthResult(ok=True, locked_until=None, failures=0)


def test_lockout_doubles_up_to_the_cap(ready: AdminAuth, clock: FakeClock) -> None:
    assert _fail(ready, 4) == AuthResult(ok=False, locked_until=None, failures=4)

    fifth = ready.verify(WRONG)
    assert fifth == AuthResult(
        ok=False, locked_until=clock.now + timedelta(seconds=900), failures=5
    )
    assert ready.locked_until() == fifth.locked_until

    clock.advance(899)
    refused = ready.verify(PIN)  # right PIN, but locked
    assert refused == AuthResult(ok=False, locked_until=fifth.locked_until, failures=5)

    clock.advance(1)
    assert ready.locked_until() is None
    sixth = ready.verify(WRONG)
    assert sixth.failures == 6
    assert sixth.locked_until == clock.now + timedelta(seconds=1800)

    clock.advance(1800)
    seventh = ready.verify(WRONG)
    assert seventh.locked_until == clock.now + timedelta(seconds=3600)

    clock.advance(3600)
    eighth = ready.verify(WRONG)
    assert eighth.locked_until == clock.now + timedelta(seconds=3600)  # capped

    clock.advance(3600)
    assert ready.verify(PIN) == AuthResult(ok=True, locked_until=None, failures=0)
    assert ready.verify(WRONG) == AuthResult(ok=False, locked_until=None, failures=1)


def test_locked_attempts_do_not_check_the_pin(
    ready: AdminAuth, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail(ready, CFG.max_failures)

    def must_not_run(stored: str, pin: str) -> bool:
        raise AssertionError("the hash was checked while locked")

    monkeypatch.setattr(ready, "_matches", must_not_run)
    result = ready.verify(PIN)
    assert not result.ok
    assert result.failures == CFG.max_failures


def test_lockout_survives_a_restart(ready: AdminAuth, db: Database, clock: FakeClock) -> None:
    locked = _fail(ready, CFG.max_failures)
    db.dispose()
    reopened = Database(db.url)
    reopened.migrate()
    try:
        again = AdminAuth(reopened, CFG, AuditLog(reopened, clock=clock), clock=clock)
        assert again.locked_until() == locked.locked_until
        result = again.verify(PIN)
        assert result == AuthResult(ok=False, locked_until=locked.locked_until, failures=5)
    finally:
        reopened.dispose()


def test_failure_count_survives_a_restart(ready: AdminAuth, db: Database, clock: FakeClock) -> None:
    _fail(ready, 3)
    again = AdminAuth(db, CFG, AuditLog(db, clock=clock), clock=clock)
    assert again.verify(WRONG).failures == 4


def test_every_attempt_is_audited_without_the_pin(
    ready: AdminAuth, db: Database, clock: FakeClock
) -> None:
    ready.verify(PIN)
    _fail(ready, CFG.max_failures)
    ready.verify(PIN)  # refused while locked
    results = [event["result"] for event in _events(db, EVENT_LOGIN)]
    assert results == ["success"] + ["failure"] * CFG.max_failures + ["locked"]
    locked_event = _events(db, EVENT_LOGIN)[-1]
    assert locked_event["failures"] == CFG.max_failures
    assert "locked_until" in locked_event
    with db.session(write=False) as session:
        for row in session.scalars(select(AuditEvent)):
            assert row.actor_kind == "admin"
            flat = " ".join(str(v) for v in (row.detail, row.actor_id, row.on_behalf_of))
            assert PIN not in flat
            assert WRONG not in flat
        for setting in session.scalars(select(Setting)):
            assert PIN not in setting.value
    assert AuditLog(db).verify() is None


def test_outdated_hash_parameters_are_upgraded_on_success(ready: AdminAuth, db: Database) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PIN)
    with db.session() as session:
        put_setting(session, "admin.pin_hash", weak)
    assert ready.verify(PIN).ok
    assert _stored_hash(db).startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_corrupt_hash_matches_nothing(ready: AdminAuth, db: Database) -> None:
    with db.session() as session:
        put_setting(session, "admin.pin_hash", "not-a-hash")
    assert ready.verify(PIN) == AuthResult(ok=False, locked_until=None, failures=1)
