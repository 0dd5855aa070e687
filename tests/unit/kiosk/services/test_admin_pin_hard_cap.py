"""The admin PIN's 100-failure hard cap and staff's reset (``pins unlock --admin``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.cli import pins
from kiosk.config import AdminConfig, Settings, load_settings
from kiosk.services.admin_auth import EVENT_LOGIN, EVENT_PIN_UNLOCK, AdminAuth
from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from kiosk.store.lockouts import HARD_CAP_FAILURES, is_permanent
from kiosk.store.models import AuditEvent
from kiosk.store.settings import put_setting
from tests.unit.kiosk.services.fakes import FakeClock

PIN = "204863"
WRONG = "999000"
CFG = AdminConfig(max_failures=5, lockout_s=900, lockout_max_s=3600)
TEN_YEARS_S = 3653 * 86400


@pytest.fixture
def ready(db: Database, audit: AuditLog, clock: FakeClock) -> AdminAuth:
    auth = AdminAuth(db, CFG, audit, clock=clock)
    auth.set_pin(PIN)
    return auth


@pytest.fixture
def settings(db: Database, tmp_path: Path) -> Settings:
    return load_settings(
        None,
        overrides={
            "paths.data_dir": str(tmp_path / "data"),
            "store.url": db.url.render_as_string(hide_password=False),
            "admin.lockout_s": CFG.lockout_s,
            "admin.lockout_max_s": CFG.lockout_max_s,
        },
    )


def _near_the_cap(db: Database) -> None:
    """99 wrong PINs counted already, the last lock over (the state is kept in settings)."""
    with db.session() as session:
        put_setting(session, "admin.failures", str(HARD_CAP_FAILURES - 1))


def _details(db: Database, event_type: str) -> list[dict[str, object]]:
    with db.session(write=False) as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.event_type == event_type).order_by(AuditEvent.seq)
        )
        return [json.loads(row.detail) for row in rows]


def _run(argv: list[str], settings: Settings) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = pins.main(argv, settings=settings, out=out, err=err)
    return code, out.getvalue() + err.getvalue()


def test_the_hundredth_wrong_pin_locks_until_staff_reset(
    ready: AdminAuth, db: Database, clock: FakeClock
) -> None:
    _near_the_cap(db)
    result = ready.verify(WRONG)
    assert (result.ok, result.failures) == (False, HARD_CAP_FAILURES)
    assert is_permanent(result.locked_until)
    assert _details(db, EVENT_LOGIN)[-1]["permanent"] is True
    clock.advance(TEN_YEARS_S)
    still = ready.verify(PIN)
    assert not still.ok
    assert is_permanent(still.locked_until)
    assert is_permanent(ready.locked_until())
    assert ready.lock_state().permanent


def test_unlock_resets_and_is_audited(ready: AdminAuth, db: Database, audit: AuditLog) -> None:
    _near_the_cap(db)
    ready.verify(WRONG)
    before = ready.unlock()
    assert (before.failures, before.permanent) == (HARD_CAP_FAILURES, True)
    assert ready.locked_until() is None
    assert ready.lock_state().failures == 0
    assert ready.verify(PIN).ok  # the PIN itself is unchanged
    (entry,) = _details(db, EVENT_PIN_UNLOCK)
    assert entry == {
        "result": "success",
        "via": "cli",
        "failures": 100,
        "was_locked": True,
        "permanent": True,
    }
    assert audit.verify() is None


def test_a_short_lock_is_not_permanent(ready: AdminAuth) -> None:
    for _ in range(CFG.max_failures):
        result = ready.verify(WRONG)
    assert result.locked_until is not None
    assert not is_permanent(result.locked_until)
    assert not ready.lock_state().permanent


def test_cli_status_and_unlock(ready: AdminAuth, db: Database, settings: Settings) -> None:
    _near_the_cap(db)
    ready.verify(WRONG)
    code, text = _run(["status", "--admin"], settings)
    assert code == 0
    assert text == "admin PIN: 100 consecutive failures, locked until unlocked by staff\n"
    code, text = _run(["unlock", "--admin"], settings)
    assert code == 0
    assert text.startswith("admin PIN unlocked (was: 100 consecutive failures")
    assert ready.verify(PIN).ok
    code, text = _run(["status", "--admin"], settings)
    assert (code, text) == (0, "admin PIN: 0 consecutive failures, not locked\n")
