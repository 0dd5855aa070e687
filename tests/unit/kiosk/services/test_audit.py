from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from kiosk.services.audit import (
    GENESIS_HASH,
    AuditLog,
    canonical_detail,
    entry_hash,
)
from kiosk.store.db import Database
from kiosk.store.models import AuditEvent
from tests.unit.kiosk.services.fakes import FakeClock

CHAIN_LENGTH = 60
FORK_INSERT = text(
    "INSERT INTO audit_events (seq, at, event_type, actor_kind, detail, prev_hash, hash)"
    " VALUES (2, '2025-01-01 00:00:00.000000', 'fork', 'system', '{}', :prev, :h)"
)


def _fill(audit: AuditLog, db: Database, clock: FakeClock, n: int) -> None:
    """Append ``n`` entries in one transaction (fast set-up for the tamper tests)."""
    with db.session() as session:
        for i in range(n):
            clock.advance(1.5)
            audit.append(
                "test.event",
                actor_kind="volunteer" if i % 3 else "system",
                actor_id=str(i % 7) if i % 3 else None,
                on_behalf_of=str(100 + i) if i % 5 == 0 else None,
                detail={"i": i, "ok": i % 2 == 0, "note": f"第{i}条"},
                session=session,
            )


def _drop_triggers(db: Database) -> None:
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER trg_audit_events_no_update")
            conn.exec_driver_sql("DROP TRIGGER trg_audit_events_no_delete")
        else:
            conn.exec_driver_sql("DROP TRIGGER trg_audit_events_no_update_delete ON audit_events")


def _tamper(db: Database, *statements: str) -> None:
    _drop_triggers(db)
    with db.engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def test_first_entry_starts_the_chain(audit: AuditLog, clock: FakeClock) -> None:
    entry = audit.append("station.started", actor_kind="system", detail={"version": "0.1.0"})
    assert entry.seq == 1
    assert entry.prev_hash == GENESIS_HASH == "0" * 64
    assert entry.at == clock.now
    assert entry.detail == {"version": "0.1.0"}
    assert entry.hash == entry_hash(
        seq=1,
        at=clock.now,
        event_type="station.started",
        actor_kind="system",
        actor_id=None,
        on_behalf_of=None,
        detail_json='{"version":"0.1.0"}',
        prev_hash=GENESIS_HASH,
    )
    assert audit.head() == entry.hash


def test_empty_log(audit: AuditLog) -> None:
    assert audit.verify() is None
    assert audit.head() == GENESIS_HASH
    assert audit.count() == 0


def test_two_hundred_appends_verify(audit: AuditLog, clock: FakeClock) -> None:
    last = None
    for i in range(200):
        clock.advance(0.25)
        last = audit.append(
            "assist.reading_entered",
            actor_kind="volunteer",
            actor_id=i % 4 + 1,
            on_behalf_of=1000 + i,
            detail={"kind": "blood_pressure", "n": i},
        )
        assert last.seq == i + 1
    assert last is not None
    assert audit.verify() is None
    assert audit.head() == last.hash
    assert audit.count() == 200
    assert audit.verify(known_head=last.hash) is None


def test_entries_link_to_their_predecessor(audit: AuditLog, db: Database, clock: FakeClock) -> None:
    _fill(audit, db, clock, 5)
    with db.session(write=False) as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash


@pytest.mark.parametrize(
    ("statements", "bad"),
    [
        (["UPDATE audit_events SET detail = '{\"i\":99}' WHERE seq = 17"], 17),
        (["UPDATE audit_events SET event_type = 'test.evenT' WHERE seq = 1"], 1),
        (["UPDATE audit_events SET actor_id = '6' WHERE seq = 33"], 33),
        (["UPDATE audit_events SET on_behalf_of = NULL WHERE seq = 41"], 41),
        (["UPDATE audit_events SET actor_kind = 'admin' WHERE seq = 60"], 60),
        (["UPDATE audit_events SET at = '2025-03-01 08:00:01.000000' WHERE seq = 9"], 9),
        # PostgreSQL's timestamptz column refuses the text itself.
        pytest.param(
            ["UPDATE audit_events SET at = 'not a time' WHERE seq = 12"],
            12,
            marks=pytest.mark.sqlite_only,
        ),
        (["UPDATE audit_events SET hash = '" + "f" * 64 + "' WHERE seq = 25"], 25),
        (["DELETE FROM audit_events WHERE seq = 30"], 30),
        (["DELETE FROM audit_events WHERE seq = 1"], 1),
        (["DELETE FROM audit_events WHERE seq BETWEEN 50 AND 52"], 50),
        # Reorder: swap the contents of entries 20 and 21 (their seq numbers trade places).
        (
            [
                "UPDATE audit_events SET seq = -20 WHERE seq = 20",
                "UPDATE audit_events SET seq = 20 WHERE seq = 21",
                "UPDATE audit_events SET seq = 21 WHERE seq = -20",
            ],
            20,
        ),
    ],
)
def test_tampering_is_located(
    audit: AuditLog, db: Database, clock: FakeClock, statements: list[str], bad: int
) -> None:
    _fill(audit, db, clock, CHAIN_LENGTH)
    assert audit.verify() is None
    _tamper(db, *statements)
    assert audit.verify() == bad


def test_recomputed_hash_still_breaks_the_link(
    audit: AuditLog, db: Database, clock: FakeClock
) -> None:
    """Rewriting an entry *and* its hash is caught at the next entry."""
    _fill(audit, db, clock, 10)
    with db.session(write=False) as session:
        row = session.get(AuditEvent, 4)
        assert row is not None
        forged = entry_hash(
            seq=4,
            at=row.at,
            event_type=row.event_type,
            actor_kind=row.actor_kind,
            actor_id=row.actor_id,
            on_behalf_of=row.on_behalf_of,
            detail_json='{"forged":true}',
            prev_hash=row.prev_hash,
        )
    _tamper(
        db,
        f"UPDATE audit_events SET detail = '{{\"forged\":true}}', hash = '{forged}' WHERE seq = 4",
    )
    assert audit.verify() == 5


def test_truncation_is_found_with_a_known_head(
    audit: AuditLog, db: Database, clock: FakeClock
) -> None:
    _fill(audit, db, clock, CHAIN_LENGTH)
    reported_head = audit.head()
    _tamper(db, f"DELETE FROM audit_events WHERE seq > {CHAIN_LENGTH - 5}")
    assert audit.verify() is None  # a shorter chain is still a valid chain...
    assert audit.verify(known_head=reported_head) == CHAIN_LENGTH - 4  # ...but not ours


def test_verify_reads_long_logs_in_batches(audit: AuditLog, db: Database, clock: FakeClock) -> None:
    _fill(audit, db, clock, 2500)
    assert audit.verify() is None
    _tamper(db, "UPDATE audit_events SET detail = '{}' WHERE seq = 2222")
    assert audit.verify() == 2222


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET detail = '{}' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 1",
        "DELETE FROM audit_events",
    ],
)
def test_triggers_make_the_table_append_only(audit: AuditLog, db: Database, statement: str) -> None:
    audit.append("test.event", actor_kind="system")
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert audit.verify() is None
    assert audit.count() == 1


def test_orm_updates_are_refused_too(audit: AuditLog, db: Database) -> None:
    audit.append("test.event", actor_kind="system")

    def rename() -> None:
        with db.session() as session:
            row = session.get(AuditEvent, 1)
            assert row is not None
            row.event_type = "other"

    with pytest.raises(DBAPIError, match="append-only"):
        rename()


def test_prev_hash_is_unique_so_the_chain_cannot_fork(audit: AuditLog, db: Database) -> None:
    entry = audit.append("test.event", actor_kind="system")
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(FORK_INSERT, {"prev": entry.prev_hash, "h": "e" * 64})


def test_entry_rolls_back_with_the_callers_transaction(audit: AuditLog, db: Database) -> None:

    def business_change() -> None:
        with db.session() as session:
            audit.append("test.event", actor_kind="system", session=session)
            raise RuntimeError("business change failed")

    with pytest.raises(RuntimeError, match="business change failed"):
        business_change()
    assert audit.count() == 0


def test_concurrent_appends_from_two_kiosks(db: Database) -> None:
    """Two Database objects on one database stand in for two kiosks sharing it."""
    second = Database(db.url)
    errors: list[BaseException] = []
    per_kiosk = 25

    def work(database: Database, name: str) -> None:
        log = AuditLog(database)
        try:
            for i in range(per_kiosk):
                log.append("test.concurrent", actor_kind="system", detail={"kiosk": name, "i": i})
        except BaseException as exc:  # collected and re-raised by the test
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(db, "a")),
        threading.Thread(target=work, args=(second, "b")),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        second.dispose()
    assert errors == []
    log = AuditLog(db)
    assert log.count() == 2 * per_kiosk
    assert log.verify() is None


def test_canonical_detail_is_order_free_and_keeps_chinese() -> None:
    assert canonical_detail({"b": 1, "a": "长辈"}) == '{"a":"长辈","b":1}'
    assert canonical_detail({"a": "长辈", "b": 1}) == canonical_detail({"b": 1, "a": "长辈"})
    assert canonical_detail(None) == "{}"
    assert canonical_detail({"flag": True}) == '{"flag":true}'


@pytest.mark.parametrize(
    ("detail", "error"),
    [
        ({"x": 1.5}, TypeError),
        ({"x": None}, TypeError),
        ({"x": {"nested": 1}}, TypeError),
        ({"x": [1, 2]}, TypeError),
        ({1: "a"}, TypeError),
        ({"": "a"}, TypeError),
        ({"phone": "13812345678"}, ValueError),
        ({"phone": "+86 138 1234 5678"}, ValueError),
        ({"phone": 13812345678}, ValueError),
        ({"id": "11010119900307123X"}, ValueError),
    ],
)
def test_bad_details_are_refused(
    audit: AuditLog, detail: dict[object, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        audit.append("test.event", actor_kind="system", detail=detail)  # type: ignore[arg-type]
    assert audit.count() == 0


def test_uuid_details_are_not_mistaken_for_phones(audit: AuditLog) -> None:
    entry = audit.append(
        "test.event",
        actor_kind="system",
        detail={"id": "a1381-2345-5678-b13812345678", "ts": 1735689600123},
    )
    assert entry.seq == 1


@pytest.mark.parametrize(
    "call",
    [
        lambda log: log.append("", actor_kind="system"),
        lambda log: log.append("x" * 65, actor_kind="system"),
        lambda log: log.append("test.event", actor_kind="robot"),
        lambda log: log.append("test.event", actor_kind="system", actor_id=""),
        lambda log: log.append("test.event", actor_kind="system", on_behalf_of="x" * 65),
    ],
)
def test_bad_arguments_are_refused(audit: AuditLog, call: Callable[[AuditLog], object]) -> None:
    with pytest.raises(ValueError, match=r"."):
        call(audit)
    assert audit.count() == 0


def test_naive_clock_is_refused(db: Database) -> None:
    log = AuditLog(db, clock=lambda: datetime(2025, 1, 1))  # naive on purpose
    with pytest.raises(ValueError, match="naive"):
        log.append("test.event", actor_kind="system")


def test_hash_covers_every_field() -> None:
    base = {
        "seq": 3,
        "at": FakeClock().now,
        "event_type": "e",
        "actor_kind": "volunteer",
        "actor_id": "1",
        "on_behalf_of": "2",
        "detail_json": "{}",
        "prev_hash": "a" * 64,
    }
    reference = entry_hash(**base)  # type: ignore[arg-type]
    changes = {
        "seq": 4,
        "at": FakeClock(FakeClock().now.replace(microsecond=1)).now,
        "event_type": "f",
        "actor_kind": "admin",
        "actor_id": None,
        "on_behalf_of": "3",
        "detail_json": '{"a":1}',
        "prev_hash": "b" * 64,
    }
    for field, value in changes.items():
        assert entry_hash(**{**base, field: value}) != reference, field  # type: ignore[arg-type]
    # Field boundaries are unambiguous: moving text between fields changes the hash.
    assert entry_hash(**{**base, "actor_id": "12", "on_behalf_of": ""}) != entry_hash(  # type: ignore[arg-type]
        **{**base, "actor_id": "1", "on_behalf_of": "2"}  # type: ignore[arg-type]
    )
