"""Migration 0002's tables: append-only points, one live payment per bill, unique pass uses,
outbox payload rules, lockout bookkeeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from kiosk.config import AdminConfig
from kiosk.store.db import Database
from kiosk.store.lockouts import lock_end, lockout_state, record_failure, record_success
from kiosk.store.models import (
    PAYMENT_STATES,
    PAYMENT_TRANSITIONS,
    Bill,
    Building,
    Community,
    Household,
    OutboxEvent,
    PassRedemption,
    Payment,
    PointsEntry,
    Resident,
    Unit,
    payment_transition_allowed,
)
from kiosk.store.outbox import add_event, mark_delivered, pending_count, pending_events

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
POLICY = AdminConfig(max_failures=5, lockout_s=60, lockout_max_s=600)


def _household_and_resident(db: Database) -> tuple[int, int]:
    with db.session() as session:
        session.add(Community(id="c", name="社区"))
        household = Household(
            unit=Unit(building=Building(community_id="c", number="1", name="1栋"), number="1"),
            room="101",
        )
        resident = Resident(household=household, name="测试")
        session.add(resident)
        session.flush()
        return household.id, resident.id


def test_points_ledger_is_append_only(db: Database) -> None:
    _household, rid = _household_and_resident(db)
    with db.session() as session:
        session.add(
            PointsEntry(resident_id=rid, delta=5, reason="r", idempotency_key="k1", created_at=NOW)
        )
    for statement in (
        update(PointsEntry).values(delta=500),
        delete(PointsEntry),
    ):
        with pytest.raises(DBAPIError, match="append-only"), db.session() as session:
            session.execute(statement)
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(
            PointsEntry(resident_id=rid, delta=5, reason="r", idempotency_key="k1", created_at=NOW)
        )
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(
            PointsEntry(resident_id=rid, delta=0, reason="r", idempotency_key="k2", created_at=NOW)
        )
    with db.session(write=False) as session:
        assert session.scalars(select(PointsEntry.delta)).all() == [5]


def test_points_ledger_refuses_truncate_on_postgresql(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DBAPIError, match="append-only"), db.session() as session:
        session.execute(text("TRUNCATE points_ledger"))


def test_a_bill_has_at_most_one_live_payment(db: Database) -> None:
    household, _rid = _household_and_resident(db)
    with db.session() as session:
        bill = Bill(
            household_id=household,
            kind="water",
            title="水费",
            period="2025-02",
            amount_fen=4260,
            issued_at=NOW,
        )
        session.add(bill)
        session.flush()
        bill_id = bill.id

    def payment(n: int, state: str) -> Payment:
        return Payment(
            id=f"00000000-0000-0000-0000-{n:012d}",
            bill_id=bill_id,
            idempotency_key=f"key-{n}",
            method="wechat",
            amount_fen=4260,
            state=state,
            created_at=NOW,
            updated_at=NOW,
        )

    with db.session() as session:
        session.add_all([payment(1, "failed"), payment(2, "expired"), payment(3, "pending")])
    for state in ("pending", "paid", "unknown"):
        with pytest.raises(IntegrityError), db.session() as session:
            session.add(payment(4, state))
    with db.session() as session:
        session.add(payment(5, "draft"))  # drafts do not move money
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(payment(6, "refunded"))


def test_payment_state_machine() -> None:
    assert set(PAYMENT_TRANSITIONS) == set(PAYMENT_STATES)
    assert payment_transition_allowed("draft", "confirming")
    assert payment_transition_allowed("pending", "unknown")
    assert payment_transition_allowed("unknown", "paid")
    assert not payment_transition_allowed("paid", "failed")
    assert not payment_transition_allowed("draft", "paid")
    assert not payment_transition_allowed("nonsense", "paid")


def test_a_pass_use_number_is_unique(db: Database) -> None:
    def use(n: int, allowed: int = 2) -> PassRedemption:
        return PassRedemption(
            pass_id="ab", use_number=n, uses_allowed=allowed, kiosk_id="k", redeemed_at=NOW
        )

    with db.session() as session:
        session.add(use(1))
    for bad in (use(1), use(3), use(0)):
        with pytest.raises(IntegrityError), db.session() as session:
            session.add(bad)


def test_outbox_round_trip_and_payload_rules(db: Database) -> None:
    with db.session() as session:
        add_event(
            session,
            kind="visit.checked_in",
            idempotency_key="a",
            payload={"visit_id": "v1", "n": 2},
            at=NOW,
        )
        add_event(
            session,
            kind="visit.checked_out",
            idempotency_key="b",
            payload={"visit_id": "v1"},
            at=NOW,
        )
    with db.session() as session:
        events = pending_events(session)
        assert [e.idempotency_key for e in events] == ["a", "b"]
        assert events[0].payload == {"visit_id": "v1", "n": 2}
        assert mark_delivered(session, [events[0].id], at=NOW) == 1
        assert mark_delivered(session, [events[0].id], at=NOW) == 0
        assert mark_delivered(session, [], at=NOW) == 0
        assert pending_count(session) == 1
    with pytest.raises(IntegrityError), db.session() as session:
        add_event(session, kind="k", idempotency_key="a", payload={}, at=NOW)
    for payload in ({"phone": "13812345678"}, {"id": "11010119900307123X"}):
        with pytest.raises(ValueError, match="phone or ID"), db.session() as session:
            add_event(session, kind="k", idempotency_key="c", payload=payload, at=NOW)
    with pytest.raises(TypeError), db.session() as session:
        add_event(session, kind="k", idempotency_key="c", payload={"x": 1.5}, at=NOW)  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="kind"), db.session() as session:
        add_event(session, kind="", idempotency_key="c", payload={}, at=NOW)
    with db.session(write=False) as session:
        assert (
            session.scalar(
                select(OutboxEvent.delivered_at).where(OutboxEvent.idempotency_key == "a")
            )
            == NOW
        )


def test_lockout_bookkeeping(db: Database) -> None:
    assert lock_end(POLICY, 4, NOW) is None
    assert lock_end(POLICY, 5, NOW) == NOW + timedelta(seconds=60)
    assert lock_end(POLICY, 7, NOW) == NOW + timedelta(seconds=240)
    assert lock_end(POLICY, 99, NOW) == NOW + timedelta(seconds=600)
    with db.session() as session:
        for _ in range(5):
            state = record_failure(session, "volunteer:1", POLICY, NOW)
        assert state.failures == 5
        assert state.locked_at(NOW)
        assert not state.locked_at(NOW + timedelta(seconds=60))
    with db.session() as session:
        assert lockout_state(session, "volunteer:1").failures == 5
        record_success(session, "volunteer:1")
        record_success(session, "volunteer:1")
        assert lockout_state(session, "volunteer:1").failures == 0
        with pytest.raises(ValueError, match="subject"):
            lockout_state(session, "x" * 65)
