"""Households, notices, help, heartbeat, bills, consent and health, tutorials and points,
through the Platform interface."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from kiosk.platform.api import (
    Actor,
    ConflictError,
    ConsentRequiredError,
    HealthReading,
    HeartbeatStatus,
    HelpCall,
    InsufficientPointsError,
    InvalidRequestError,
    NotFoundError,
    NotSupportedError,
    PermissionDeniedError,
    PlatformUnavailableError,
)
from kiosk.platform.local import LocalPlatform
from kiosk.services.audit import GENESIS_HASH, AuditLog
from kiosk.store.db import Database
from kiosk.store.models import (
    AuditEvent,
    Bill,
    Heartbeat,
    HelpRequest,
    OutboxEvent,
    Payment,
    Resident,
    Volunteer,
)
from tests.unit.kiosk.services.fakes import FakeClock


def _resident(db: Database, name: str) -> Resident:
    with db.session(write=False) as session:
        return session.scalars(select(Resident).where(Resident.name == name)).one()


def _volunteer_id(db: Database) -> int:
    with db.session(write=False) as session:
        vid = session.scalar(select(Volunteer.id).where(Volunteer.name == "陈晓燕"))
    assert vid is not None
    return vid


def _events(db: Database, event_type: str) -> list[AuditEvent]:
    with db.session(write=False) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.event_type == event_type)
                .order_by(AuditEvent.seq)
            )
        )


def test_households_for_the_picker(platform: LocalPlatform) -> None:
    everything = platform.find_households()
    assert len(everything) == 3 * 2 * 12
    assert everything[0].label == "1栋1单元101"
    assert everything[-1].label == "3栋2单元602"
    unit = platform.find_households("2", "1")
    assert [h.room for h in unit] == [
        f"{floor}{room:02d}" for floor in range(1, 7) for room in (1, 2)
    ]
    assert {h.building_name for h in unit} == {"2栋"}
    assert platform.find_households("9") == []


def test_notices_come_through_the_interface(platform: LocalPlatform, clock: FakeClock) -> None:
    notices = platform.notices()
    assert [n.title for n in notices] == ["燃气安全检查", "停水通知", "社区义诊", "垃圾分类小贴士"]
    assert notices[0].pinned
    earlier = platform.notices(now=clock.now - timedelta(days=3))
    assert [n.title for n in earlier] == ["垃圾分类小贴士"]
    with pytest.raises(InvalidRequestError):
        platform.notices(limit=0)


def test_call_for_help_is_stored_with_outbox_and_audit(
    platform: LocalPlatform, db: Database
) -> None:
    call = HelpCall(screen_id="home", mode="elderly")
    ticket = platform.call_for_help(call)
    assert platform.call_for_help(call).id == ticket.id  # retried: stored once
    with db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(HelpRequest)) == 1
        keys = list(session.scalars(select(OutboxEvent.idempotency_key)))
    assert keys == [f"help.requested:{ticket.id}"]
    (event,) = _events(db, "help.requested")
    assert json.loads(event.detail)["help_id"] == ticket.id


def test_heartbeat_reports_the_audit_head_and_keeps_the_latest(
    platform: LocalPlatform, db: Database, audit: AuditLog, clock: FakeClock
) -> None:
    ack = platform.heartbeat(HeartbeatStatus("kiosk-a", "0.1.0", sent_at=clock.now))
    assert (ack.audit_head, ack.audit_count) == (GENESIS_HASH, 0)
    platform.call_for_help(HelpCall(screen_id="home", mode="standard"))
    clock.advance(60)
    ack = platform.heartbeat(
        HeartbeatStatus(
            "kiosk-a",
            "0.1.1",
            sent_at=clock.now - timedelta(seconds=2),
            devices={"printer": "paper_low"},
            outbox_depth=1,
        )
    )
    assert ack.audit_head == audit.head()
    assert ack.audit_count == audit.count() == 1
    assert ack.clock_skew_s == 2.0
    with db.session(write=False) as session:
        (row,) = session.scalars(select(Heartbeat)).all()
    assert (row.app_version, row.audit_head) == ("0.1.1", audit.head())
    assert json.loads(row.status)["devices"] == {"printer": "paper_low"}


def _add_bills(db: Database, household_id: int, clock: FakeClock) -> list[int]:
    with db.session() as session:
        bills = [
            Bill(
                household_id=household_id,
                kind="property",
                title="物业费",
                period="2025-02",
                amount_fen=12_345,
                issued_at=clock.now - timedelta(days=30),
                status="paid",
            ),
            Bill(
                household_id=household_id,
                kind="water",
                title="水费",
                period="2025-02",
                amount_fen=4_260,
                issued_at=clock.now - timedelta(days=3),
                status="open",
            ),
        ]
        session.add_all(bills)
        session.flush()
        return [b.id for b in bills]


def test_bills_are_listed_for_the_household_only(
    platform: LocalPlatform, db: Database, clock: FakeClock
) -> None:
    wang = _resident(db, "王秀兰")
    paid_id, open_id = _add_bills(db, wang.household_id, clock)
    mine = platform.list_bills(wang.household_id, actor=Actor.resident(wang.id))
    assert [(b.bill_id, b.amount_fen, b.status) for b in mine] == [(open_id, 4_260, "open")]
    everything = platform.list_bills(
        wang.household_id, actor=Actor.resident(wang.id), include_settled=True
    )
    assert [b.bill_id for b in everything] == [paid_id, open_id]
    vid = _volunteer_id(db)
    assert platform.list_bills(wang.household_id, actor=Actor.volunteer(vid, for_resident=wang.id))
    outsider = _resident(db, "陈志强")
    for actor in (Actor.resident(outsider.id), Actor.volunteer(vid), Actor.resident(999999)):
        with pytest.raises(PermissionDeniedError):
            platform.list_bills(wang.household_id, actor=actor)
    with pytest.raises(NotSupportedError):
        platform.create_payment(
            open_id, method="wechat", idempotency_key="k", actor=Actor.resident(wang.id)
        )
    with db.session() as session:
        session.add(
            Payment(
                id="7f8c7c56-6f1d-4c7e-9d0a-2f4f3f1d9a01",
                bill_id=open_id,
                idempotency_key="order-1",
                method="card_balance",
                amount_fen=4_260,
                state="pending",
                created_at=clock.now,
                updated_at=clock.now,
            )
        )
    status = platform.payment_status("7f8c7c56-6f1d-4c7e-9d0a-2f4f3f1d9a01")
    assert (status.state, status.amount_fen) == ("pending", 4_260)
    with pytest.raises(NotFoundError):
        platform.payment_status("00000000-0000-0000-0000-000000000000")


def test_health_needs_separate_consent(
    platform: LocalPlatform, db: Database, clock: FakeClock
) -> None:
    wang = _resident(db, "王秀兰")
    me = Actor.resident(wang.id)
    reading = HealthReading(
        wang.id, "blood_pressure", "mmHg", {"systolic": 128, "diastolic": 84}, clock.now
    )
    with pytest.raises(ConsentRequiredError) as info:
        platform.record_health(reading, actor=me)
    assert info.value.code == "consent.required"
    assert platform.consent_status(wang.id, "health_data") is None
    consent = platform.record_consent(wang.id, "health_data", "2025-01", actor=me)
    assert platform.record_consent(wang.id, "health_data", "2025-01", actor=me) == consent
    assert platform.consent_status(wang.id, "health_data") == consent
    stored = platform.record_health(reading, actor=me)
    assert dict(stored.values) == {"systolic": 128, "diastolic": 84}
    assert "128" not in repr(stored)
    assert "128" not in repr(reading)
    assert platform.record_health(reading, actor=me).record_id == stored.record_id  # retried

    vid = _volunteer_id(db)
    helper = Actor.volunteer(vid, for_resident=wang.id)
    clock.advance(60)
    manual = platform.record_health(
        HealthReading(wang.id, "weight", "kg", {"weight": 61.5}, clock.now, source="manual"),
        actor=helper,
    )
    history = platform.health_history(wang.id, actor=me)
    assert [h.record_id for h in history] == [manual.record_id, stored.record_id]
    assert platform.health_history(wang.id, actor=helper, kind="weight")[0].values == {
        "weight": 61.5
    }
    events = _events(db, "health.recorded")
    assert [(e.actor_kind, e.actor_id, e.on_behalf_of) for e in events] == [
        ("resident", str(wang.id), None),
        ("volunteer", str(vid), str(wang.id)),
    ]
    assert all("128" not in e.detail and "61.5" not in e.detail for e in events)

    outsider = _resident(db, "陈志强")
    with pytest.raises(PermissionDeniedError):
        platform.health_history(wang.id, actor=Actor.resident(outsider.id))
    with pytest.raises(PermissionDeniedError):
        platform.record_health(reading, actor=Actor.volunteer(vid))
    with pytest.raises(ConflictError):
        platform.record_health(
            HealthReading(
                wang.id,
                "blood_pressure",
                "mmHg",
                {"systolic": 1},
                clock.now,
                record_id=stored.record_id,
            ),
            actor=me,
        )
    for bad_values in ({}, {"systolic": float("nan")}, {"systolic": True}, {"x": "120"}):
        with pytest.raises(InvalidRequestError):
            platform.record_health(
                HealthReading(wang.id, "blood_pressure", "mmHg", bad_values, clock.now),  # type: ignore[arg-type]
                actor=me,
            )

    assert platform.withdraw_consent(wang.id, "health_data", actor=me) == 1
    assert platform.withdraw_consent(wang.id, "health_data", actor=me) == 0
    assert platform.consent_status(wang.id, "health_data") is None
    with pytest.raises(ConsentRequiredError):
        platform.record_health(
            HealthReading(wang.id, "spo2", "%", {"spo2": 97}, clock.now), actor=me
        )


def test_tutorial_progress_never_goes_back(platform: LocalPlatform, db: Database) -> None:
    wang = _resident(db, "王秀兰")
    me = Actor.resident(wang.id)
    assert platform.tutorial_progress(wang.id) == []
    platform.record_tutorial_progress(wang.id, "checkin", 3, completed=False, actor=me)
    step = platform.record_tutorial_progress(wang.id, "checkin", 1, completed=False, actor=me)
    assert (step.step, step.completed_at) == (3, None)
    done = platform.record_tutorial_progress(wang.id, "checkin", 5, completed=True, actor=me)
    again = platform.record_tutorial_progress(wang.id, "checkin", 5, completed=True, actor=me)
    assert done.completed_at is not None
    assert again.completed_at == done.completed_at
    assert platform.tutorial_progress(wang.id) == [again]
    assert len(_events(db, "tutorial.completed")) == 1


def test_points_are_an_append_only_balance(platform: LocalPlatform, db: Database) -> None:
    wang = _resident(db, "王秀兰")
    system = Actor.system("tutorials")
    assert platform.points(wang.id).balance == 0
    assert (
        platform.award_points(wang.id, 20, "tutorial", idempotency_key="t:1", actor=system).balance
        == 20
    )
    # Retried with the same key: counted once.
    assert (
        platform.award_points(wang.id, 20, "tutorial", idempotency_key="t:1", actor=system).balance
        == 20
    )
    with pytest.raises(ConflictError):
        platform.award_points(wang.id, 50, "tutorial", idempotency_key="t:1", actor=system)
    spent = platform.award_points(
        wang.id, -15, "gift", idempotency_key="g:1", actor=Actor.resident(wang.id)
    )
    assert (spent.balance, spent.entries) == (5, 2)
    with pytest.raises(InsufficientPointsError):
        platform.award_points(wang.id, -6, "gift", idempotency_key="g:2", actor=system)
    for delta in (0, True):
        with pytest.raises(InvalidRequestError):
            platform.award_points(wang.id, delta, "x", idempotency_key="z", actor=system)
    assert len(_events(db, "points.entry")) == 2


def test_database_failures_become_platform_unavailable(
    platform: LocalPlatform, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*_args: object, **_kwargs: object) -> object:
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db, "session", down)
    with pytest.raises(PlatformUnavailableError) as info:
        platform.find_households()
    assert info.value.retryable
    assert info.value.code == "platform.unreachable"
