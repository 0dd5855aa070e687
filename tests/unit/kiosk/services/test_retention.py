"""Retention purge with records aged 0…400 days (RELIABILITY.md case 32)."""

from __future__ import annotations

import json
import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.security.crypto import FieldCipher, KeyRing
from kiosk.services.audit import AuditLog
from kiosk.services.retention import PurgeCounts, RetentionPolicy, RetentionService
from kiosk.store.db import Database
from kiosk.store.demo import seed_demo
from kiosk.store.models import (
    AuditEvent,
    Consent,
    HealthRecord,
    OutboxEvent,
    Resident,
    Visit,
    VisitPhoto,
)
from tests.unit.kiosk.services.fakes import FakeClock

CIPHER = FieldCipher(KeyRing(bytes(range(32))))
DAYS = range(401)


def _seed(db: Database, clock: FakeClock, photos: Path) -> None:
    """A visit for every age 0…400 days, a photo every 20 days, health data under a
    withdrawn and an active consent, delivered and pending outbox events."""
    seed_demo(db, now=clock.now)
    photos.mkdir(parents=True)
    with db.session() as session:
        residents = session.scalars(select(Resident).order_by(Resident.id).limit(2)).all()
        for age in DAYS:
            at = clock.now - timedelta(days=age)
            visit_id = str(uuid.UUID(int=age + 1))
            session.add(
                Visit(
                    id=visit_id,
                    station_id="station-01",
                    kiosk_id="kiosk-a",
                    visitor_name_enc=CIPHER.encrypt_text(
                        f"访客{age}", context="visits.visitor_name_enc"
                    ),
                    checked_in_at=at,
                )
            )
            if age % 20 == 0:
                name = f"{age:03d}.jpg"
                (photos / name).write_bytes(b"jpeg")
                session.add(VisitPhoto(visit_id=visit_id, path=name, taken_at=at))
            if age % 100 == 0:
                session.add(
                    OutboxEvent(
                        idempotency_key=f"delivered-{age}",
                        kind="visit.checked_in",
                        payload="{}",
                        created_at=at,
                        delivered_at=at,
                    )
                )
                session.add(
                    OutboxEvent(
                        idempotency_key=f"pending-{age}",
                        kind="visit.checked_in",
                        payload="{}",
                        created_at=at,
                    )
                )
        withdrawn = Consent(
            resident_id=residents[0].id,
            kind="health_data",
            version="v1",
            given_at=clock.now - timedelta(days=30),
            withdrawn_at=clock.now - timedelta(days=1),
        )
        active = Consent(
            resident_id=residents[1].id,
            kind="health_data",
            version="v1",
            given_at=clock.now - timedelta(days=300),
        )
        session.add_all([withdrawn, active])
        session.flush()
        for i, (consent, age) in enumerate(
            [(withdrawn, 0), (withdrawn, 20), (withdrawn, 29), (active, 250), (active, 1)]
        ):
            session.add(
                HealthRecord(
                    id=str(uuid.UUID(int=10_000 + i)),
                    resident_id=consent.resident_id,
                    consent_id=consent.id,
                    kind="weight",
                    unit="kg",
                    value_enc=CIPHER.encrypt_json(
                        {"weight": 60 + i}, context="health_records.value_enc"
                    ),
                    measured_at=clock.now - timedelta(days=age),
                    recorded_at=clock.now - timedelta(days=age),
                    source="device",
                    kiosk_id="kiosk-a",
                )
            )
    # Files no row names: an old one (left over by a crash) and a fresh one.
    (photos / "orphan-old.jpg").write_bytes(b"jpeg")
    old = (clock.now - timedelta(days=365)).timestamp()
    os.utime(photos / "orphan-old.jpg", (old, old))
    (photos / "orphan-new.jpg").write_bytes(b"jpeg")
    for age in range(0, 401, 20):
        stamp = (clock.now - timedelta(days=age)).timestamp()
        os.utime(photos / f"{age:03d}.jpg", (stamp, stamp))


def _ages(db: Database, clock: FakeClock) -> list[int]:
    with db.session(write=False) as session:
        times = session.scalars(select(Visit.checked_in_at)).all()
    return sorted((clock.now - t).days for t in times)


def test_purge_leaves_nothing_older_than_the_period(
    db: Database, audit: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    photos = tmp_path / "photos"
    _seed(db, clock, photos)
    service = RetentionService(db, audit, photos_dir=photos, clock=clock)
    planned = service.plan()
    assert planned == PurgeCounts(
        visits=220,  # ages 181…400; exactly 180 days is not older than 180 days
        visit_photos=11,  # 200, 220, …, 400
        photo_files=12,  # their files and the old orphan
        health_records=3,  # all under the withdrawn consent, whatever their age
        outbox_events=3,  # delivered at 200, 300, 400 days; pending events are kept
    )
    assert service.plan() == planned  # counting changes nothing
    assert service.purge() == planned

    assert _ages(db, clock) == list(range(181))
    with db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(VisitPhoto)) == 10
        kept_health = session.scalars(select(HealthRecord.measured_at)).all()
        assert len(kept_health) == 2
        assert (
            session.scalar(select(func.count()).select_from(Consent)) == 2
        )  # the record of consent stays
        outbox = set(session.scalars(select(OutboxEvent.idempotency_key)))
        (event,) = session.scalars(
            select(AuditEvent).where(AuditEvent.event_type == "retention.purged")
        ).all()
    assert outbox == {"delivered-0", "delivered-100"} | {
        f"pending-{a}" for a in (0, 100, 200, 300, 400)
    }
    files = sorted(p.name for p in photos.iterdir())
    assert files == sorted([f"{a:03d}.jpg" for a in range(0, 181, 20)] + ["orphan-new.jpg"])
    assert json.loads(event.detail) == {
        "visits": 220,
        "visit_photos": 11,
        "photo_files": 12,
        "health_records": 3,
        "outbox_events": 3,
        "approvals": 0,
        "issued_passes": 0,
        "host_notifications": 0,
        "visit_days": 180,
        "photo_days": 180,
    }
    assert (event.actor_kind, event.actor_id) == ("system", "retention")
    assert audit.verify() is None
    assert service.purge() == PurgeCounts()


def test_shorter_photo_period_and_custom_visit_period(
    db: Database, audit: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    photos = tmp_path / "photos"
    _seed(db, clock, photos)
    policy = RetentionPolicy(visit_days=30, photo_days=7)
    counts = RetentionService(db, audit, policy=policy, photos_dir=photos, clock=clock).purge()
    assert counts.visits == 370
    assert counts.visit_photos == 20  # every photo but the one taken today
    assert _ages(db, clock) == list(range(31))
    assert sorted(p.name for p in photos.iterdir()) == ["000.jpg", "orphan-new.jpg"]


def test_a_photo_path_outside_the_directory_is_left_alone(
    db: Database, audit: AuditLog, clock: FakeClock, tmp_path: Path
) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    with db.session() as session:
        session.add(
            Visit(
                id=str(uuid.uuid4()),
                station_id="s",
                kiosk_id="k",
                visitor_name_enc=b"x" * 40,
                checked_in_at=clock.now - timedelta(days=365),
            )
        )
        session.flush()
        visit_id = session.scalars(select(Visit.id)).one()
        session.add(
            VisitPhoto(
                visit_id=visit_id, path="../precious.txt", taken_at=clock.now - timedelta(days=365)
            )
        )
    counts = RetentionService(db, audit, photos_dir=photos, clock=clock).purge()
    assert (counts.visits, counts.visit_photos, counts.photo_files) == (1, 1, 0)
    assert outside.read_text() == "keep me"


def test_policy_is_checked() -> None:
    for bad in (0, -1, True):
        with pytest.raises(ValueError, match="days"):
            RetentionPolicy(visit_days=bad)
