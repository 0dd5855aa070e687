"""Retention of the visitor tables of migration 0003 (approvals, issued passes, host
notifications) with rows aged 0…400 days, and of the photo files LocalPlatform writes
(with their rows, and as orphans). SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.config import AdminConfig
from kiosk.platform.api import Actor, CheckInRequest
from kiosk.platform.local import LocalPlatform
from kiosk.security.crypto import FieldCipher, KeyRing
from kiosk.services.audit import AuditLog
from kiosk.services.retention import PurgeCounts, RetentionPolicy, RetentionService
from kiosk.store.db import Database
from kiosk.store.demo import seed_demo
from kiosk.store.models import (
    Approval,
    AuditEvent,
    HostNotificationRow,
    Household,
    IssuedPassRow,
    Visit,
    VisitPhoto,
)
from tests.unit.kiosk.services.fakes import FakeClock

CIPHER = FieldCipher(KeyRing(bytes(range(32))))
DAYS = range(401)
JPEG = b"\xff\xd8\xff\xe0" + b"photo" * 100 + b"\xff\xd9"
KIOSK = Actor.system("kiosk")


def _seed_visitor_rows(db: Database, clock: FakeClock) -> None:
    """For every age 0…400 days: an approval asked then, a pass that ended then and a host
    notification sent then."""
    seed_demo(db, now=clock.now)
    with db.session() as session:
        household = session.scalars(select(Household.id).order_by(Household.id)).first()
        assert household is not None
        for age in DAYS:
            at = clock.now - timedelta(days=age)
            session.add(
                Approval(
                    id=str(uuid.UUID(int=age + 1)),
                    household_id=household,
                    state="approved" if age % 2 else "expired",
                    visitor_name_enc=CIPHER.encrypt_text(
                        f"访客{age}", context="approvals.visitor_name_enc"
                    ),
                    reason="family",
                    kiosk_id="kiosk-a",
                    host_reachable=True,
                    requested_at=at,
                    expires_at=at + timedelta(minutes=3),
                    request_id=str(uuid.UUID(int=10_000 + age)),
                )
            )
            session.add(
                IssuedPassRow(
                    pass_id=f"{age:032x}",
                    short_code=f"{age:09d}",
                    token="KP1.X.Y",
                    household_id=household,
                    valid_from=at - timedelta(days=2),
                    valid_until=at,
                    uses_allowed=1,
                    issued_at=at - timedelta(days=2),
                    request_id=str(uuid.UUID(int=20_000 + age)),
                )
            )
            session.add(
                HostNotificationRow(
                    household_id=household, kind="visitor_arrived", ref=f"v{age}", created_at=at
                )
            )


def _ages(db: Database, clock: FakeClock) -> dict[str, list[int]]:
    with db.session(write=False) as session:
        times = {
            "approvals": session.scalars(select(Approval.requested_at)).all(),
            "issued_passes": session.scalars(select(IssuedPassRow.valid_until)).all(),
            "host_notifications": session.scalars(select(HostNotificationRow.created_at)).all(),
        }
    return {table: sorted((clock.now - t).days for t in ts) for table, ts in times.items()}


def test_visitor_rows_older_than_the_period_are_purged(
    db: Database, audit: AuditLog, clock: FakeClock
) -> None:
    _seed_visitor_rows(db, clock)
    service = RetentionService(db, audit, clock=clock)
    planned = service.plan()
    # Ages 181…400: exactly 180 days is not older than 180 days.
    assert planned == PurgeCounts(approvals=220, issued_passes=220, host_notifications=220)
    assert service.purge() == planned
    assert _ages(db, clock) == {
        "approvals": list(range(181)),
        "issued_passes": list(range(181)),
        "host_notifications": list(range(181)),
    }
    with db.session(write=False) as session:
        (event,) = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.event_type == "retention.purged")
        ).all()
    detail = json.loads(event)
    assert (detail["approvals"], detail["issued_passes"], detail["host_notifications"]) == (
        220,
        220,
        220,
    )
    assert service.purge() == PurgeCounts()


def test_a_shorter_period_purges_more(db: Database, audit: AuditLog, clock: FakeClock) -> None:
    _seed_visitor_rows(db, clock)
    policy = RetentionPolicy(visit_days=30, photo_days=30)
    counts = RetentionService(db, audit, policy=policy, clock=clock).purge()
    assert (counts.approvals, counts.issued_passes, counts.host_notifications) == (370, 370, 370)
    assert _ages(db, clock)["approvals"] == list(range(31))


# ---------------------------------------------------------------------- photo files


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    return tmp_path / "data" / "photos"


def _platform(db: Database, audit: AuditLog, clock: FakeClock, photos: Path) -> LocalPlatform:
    return LocalPlatform(
        db,
        audit=audit,
        cipher=CIPHER,
        community_id="demo",
        station_id="station-01",
        kiosk_id="kiosk-a",
        lockout=AdminConfig(),
        clock=clock,
        photos_dir=photos,
    )


def _age_file(path: Path, clock: FakeClock, days: int) -> None:
    stamp = (clock.now - timedelta(days=days)).timestamp()
    os.utime(path, (stamp, stamp))


def test_photos_written_by_the_platform_are_purged_with_their_visits(
    db: Database, audit: AuditLog, clock: FakeClock, photos: Path
) -> None:
    seed_demo(db, now=clock.now)
    now = clock.now
    platform = _platform(db, audit, clock, photos)
    visits: dict[int, str] = {}
    for age in (0, 90, 179, 181, 250, 400):
        clock.now = now - timedelta(days=age)
        visit = platform.check_in(CheckInRequest(f"访客{age}", None), actor=KIOSK)
        platform.attach_visit_photo(visit.id, JPEG, actor=KIOSK)
        visits[age] = visit.id
    clock.now = now
    with db.session(write=False) as session:
        named = {r.visit_id: photos / r.path for r in session.scalars(select(VisitPhoto))}
    for age, visit_id in visits.items():  # files are as old as their photos
        _age_file(named[visit_id], clock, age)
    # Left behind by crashes: a photo whose row never committed, an interrupted write.
    crashed = photos / f"{uuid.uuid4().hex}.jpg.enc"
    crashed.write_bytes(b"sealed")
    _age_file(crashed, clock, 200)
    interrupted = photos / f".tmp-{uuid.uuid4().hex}.jpg.enc"
    interrupted.write_bytes(b"half")
    _age_file(interrupted, clock, 365)
    fresh_orphan = photos / f"{uuid.uuid4().hex}.jpg.enc"
    fresh_orphan.write_bytes(b"sealed")  # may still be on its way to a row: kept

    service = RetentionService(db, audit, photos_dir=photos, clock=clock)
    planned = service.plan()
    assert (planned.visits, planned.visit_photos, planned.photo_files) == (3, 3, 5)
    assert service.purge() == planned

    left = sorted(p.name for p in photos.iterdir())
    kept = sorted([named[visits[a]].name for a in (0, 90, 179)] + [fresh_orphan.name])
    assert left == kept
    for age in (0, 90, 179):
        assert platform.visit_photo(visits[age]) == JPEG
    with db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 3
        assert session.scalar(select(func.count()).select_from(VisitPhoto)) == 3


def test_a_shorter_photo_period_keeps_the_visit_but_not_its_photo(
    db: Database, audit: AuditLog, clock: FakeClock, photos: Path
) -> None:
    seed_demo(db, now=clock.now)
    now = clock.now
    platform = _platform(db, audit, clock, photos)
    clock.now = now - timedelta(days=10)
    visit = platform.check_in(CheckInRequest("访客甲", None), actor=KIOSK)
    platform.attach_visit_photo(visit.id, JPEG, actor=KIOSK)
    clock.now = now
    policy = RetentionPolicy(visit_days=180, photo_days=7)
    counts = RetentionService(db, audit, policy=policy, photos_dir=photos, clock=clock).purge()
    assert (counts.visits, counts.visit_photos, counts.photo_files) == (0, 1, 1)
    assert list(photos.iterdir()) == []
    assert platform.visit_photo(visit.id) is None
    assert [v.id for v in platform.visits_inside()] == [visit.id]
