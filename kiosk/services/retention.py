"""Retention: delete personal data the station no longer needs (PIPL art. 19, 47).

What is purged (ARCHITECTURE.md §6, RELIABILITY.md case 32):

* **Visits** checked in longer ago than ``visit_days`` (default 180), with their photos.
* **Visit photos** taken longer ago than ``photo_days`` (default 180), even if the visit is
  younger. Photos are files under ``<data_dir>/photos`` named by the ``visit_photos``
  table (files, not blobs: the database stays small and a photo is removed with one
  unlink). Files are unlinked after the deleting transaction has committed; a crash in
  between leaves orphan files, which the next purge removes (any file in the photos
  directory older than ``photo_days`` that no row names).
* **Health records** whose consent has been withdrawn, whatever their age.
* **Outbox events** delivered longer ago than ``visit_days`` (they hold ids only, but
  nothing needs them any more). Undelivered events are never purged.
* **Walk-in approvals** requested longer ago than ``visit_days`` (they hold the visitor's
  name and phone, encrypted), whatever their state.
* **Issued passes** whose validity ended longer ago than ``visit_days`` (the signed token
  holds the visitor's name).
* **Host notifications** created longer ago than ``visit_days``.

Photo files are found both ways: the files the purged ``visit_photos`` rows name, and any
other file in the photos directory older than ``photo_days`` (a crash between writing a
photo and committing its row, or between a purge's commit and its unlinks, leaves such a
file; so does an interrupted write's temporary file).

Not purged: the audit log (append-only; kept at least 180 days by law and never holding
personal data), the points ledger (append-only), bills and payments (accounting), the deny
list (staff keep it; it holds only keyed hashes and masked forms).

A purge is one transaction that deletes and appends one ``retention.purged`` audit entry
with the counts; :meth:`RetentionService.plan` counts the same rows without deleting.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.orm import Session

from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from kiosk.store.models import (
    Approval,
    Consent,
    HealthRecord,
    HostNotificationRow,
    IssuedPassRow,
    OutboxEvent,
    Visit,
    VisitPhoto,
)
from kiosk.store.types import ensure_utc, utc_now

__all__ = [
    "DEFAULT_RETENTION_DAYS",
    "EVENT_PURGED",
    "PHOTOS_DIR",
    "PurgeCounts",
    "RetentionPolicy",
    "RetentionService",
]

log = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS: Final = 180
EVENT_PURGED: Final = "retention.purged"
PHOTOS_DIR: Final = "photos"
"""Name of the photos directory inside the data directory."""


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long personal data is kept, in days (at least 1)."""

    visit_days: int = DEFAULT_RETENTION_DAYS
    photo_days: int = DEFAULT_RETENTION_DAYS

    def __post_init__(self) -> None:
        for name in ("visit_days", "photo_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number of days, at least 1")


@dataclass(frozen=True, slots=True)
class PurgeCounts:
    """Rows (and photo files) a purge deletes, per table."""

    visits: int = 0
    visit_photos: int = 0
    photo_files: int = 0
    health_records: int = 0
    outbox_events: int = 0
    approvals: int = 0
    issued_passes: int = 0
    host_notifications: int = 0

    @property
    def total_rows(self) -> int:
        return (
            self.visits
            + self.visit_photos
            + self.health_records
            + self.outbox_events
            + self.approvals
            + self.issued_passes
            + self.host_notifications
        )

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Conditions:
    """What expired, per table, as WHERE clauses."""

    visit: ColumnElement[bool]
    photo: ColumnElement[bool]
    health: ColumnElement[bool]
    outbox: ColumnElement[bool]
    approval: ColumnElement[bool]
    issued_pass: ColumnElement[bool]
    notification: ColumnElement[bool]


class RetentionService:
    """Count and purge expired personal data.

    Args:
        db: The station database.
        audit: Every purge appends one entry with its counts.
        policy: Retention periods.
        photos_dir: Where photo files live (``<data_dir>/photos``); ``None``: rows only.
        clock: Source of the current time (aware); injectable for tests.
    """

    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        *,
        policy: RetentionPolicy | None = None,
        photos_dir: Path | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = db
        self._audit = audit
        self._policy = policy or RetentionPolicy()
        self._photos_dir = photos_dir
        self._clock = clock

    @property
    def policy(self) -> RetentionPolicy:
        return self._policy

    def _cutoffs(self) -> tuple[datetime, datetime]:
        now = ensure_utc(self._clock())
        return (
            now - timedelta(days=self._policy.visit_days),
            now - timedelta(days=self._policy.photo_days),
        )

    @staticmethod
    def _conditions(visit_cutoff: datetime, photo_cutoff: datetime) -> _Conditions:
        old_visit = Visit.checked_in_at < visit_cutoff
        old_visit_ids = select(Visit.id).where(old_visit).scalar_subquery()
        photo = or_(VisitPhoto.taken_at < photo_cutoff, VisitPhoto.visit_id.in_(old_visit_ids))
        withdrawn = select(Consent.id).where(Consent.withdrawn_at.is_not(None)).scalar_subquery()
        return _Conditions(
            visit=old_visit,
            photo=photo,
            health=HealthRecord.consent_id.in_(withdrawn),
            outbox=OutboxEvent.delivered_at < visit_cutoff,
            approval=Approval.requested_at < visit_cutoff,
            issued_pass=IssuedPassRow.valid_until < visit_cutoff,
            notification=HostNotificationRow.created_at < visit_cutoff,
        )

    def plan(self) -> PurgeCounts:
        """What :meth:`purge` would delete now (photo files: those the rows name)."""
        visit_cut, photo_cut = self._cutoffs()
        c = self._conditions(visit_cut, photo_cut)
        with self._db.session(write=False) as session:
            photos = _count(session, VisitPhoto, c.photo)
            return PurgeCounts(
                visits=_count(session, Visit, c.visit),
                visit_photos=photos,
                photo_files=len(self._photo_files(session, c.photo)) + len(self._orphans(session)),
                health_records=_count(session, HealthRecord, c.health),
                outbox_events=_count(session, OutboxEvent, c.outbox),
                approvals=_count(session, Approval, c.approval),
                issued_passes=_count(session, IssuedPassRow, c.issued_pass),
                host_notifications=_count(session, HostNotificationRow, c.notification),
            )

    def purge(self) -> PurgeCounts:
        """Delete what the policy says has expired, audit the counts, then unlink photos."""
        visit_cut, photo_cut = self._cutoffs()
        c = self._conditions(visit_cut, photo_cut)
        with self._db.session() as session:
            files = self._photo_files(session, c.photo)
            orphans = self._orphans(session)
            # Photos first: they reference the visits.
            photo_rows = _rowcount(session.execute(delete(VisitPhoto).where(c.photo)))
            visit_rows = _rowcount(session.execute(delete(Visit).where(c.visit)))
            health_rows = _rowcount(session.execute(delete(HealthRecord).where(c.health)))
            outbox_rows = _rowcount(session.execute(delete(OutboxEvent).where(c.outbox)))
            approval_rows = _rowcount(session.execute(delete(Approval).where(c.approval)))
            pass_rows = _rowcount(session.execute(delete(IssuedPassRow).where(c.issued_pass)))
            notification_rows = _rowcount(
                session.execute(delete(HostNotificationRow).where(c.notification))
            )
            counts = PurgeCounts(
                visits=visit_rows,
                visit_photos=photo_rows,
                photo_files=len(files) + len(orphans),
                health_records=health_rows,
                outbox_events=outbox_rows,
                approvals=approval_rows,
                issued_passes=pass_rows,
                host_notifications=notification_rows,
            )
            self._audit.append(
                EVENT_PURGED,
                actor_kind="system",
                actor_id="retention",
                detail=counts.as_dict()
                | {"visit_days": self._policy.visit_days, "photo_days": self._policy.photo_days},
                session=session,
            )
        # After the commit: a rolled-back purge must not have removed any file.
        for path in (*files, *orphans):
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("could not remove a purged photo file: %s", exc.strerror)
        log.info("retention purge: %s", counts.as_dict())
        return counts

    # ------------------------------------------------------------------ photo files

    def _resolve(self, relative: str) -> Path | None:
        if self._photos_dir is None:
            return None
        base = self._photos_dir.resolve()
        path = (base / relative).resolve()
        if not path.is_relative_to(base) or path == base:
            log.warning("a visit photo path points outside the photos directory; left alone")
            return None
        return path

    def _photo_files(self, session: Session, condition: ColumnElement[bool]) -> list[Path]:
        paths = session.scalars(select(VisitPhoto.path).where(condition)).all()
        return [p for p in (self._resolve(rel) for rel in paths) if p is not None and p.exists()]

    def _orphans(self, session: Session) -> list[Path]:
        """Files in the photos directory, older than the photo period, that no row names."""
        if self._photos_dir is None or not self._photos_dir.is_dir():
            return []
        _visit_cut, photo_cut = self._cutoffs()
        named = {self._resolve(rel) for rel in session.scalars(select(VisitPhoto.path))}
        orphans: list[Path] = []
        for root, _dirs, names in os.walk(self._photos_dir):
            for name in names:
                path = Path(root, name).resolve()
                if path in named:
                    continue
                try:
                    mtime = path.stat().st_mtime
                except OSError:
                    continue
                if mtime < photo_cut.timestamp():
                    orphans.append(path)
        return orphans


def _count(session: Session, model: type[object], condition: ColumnElement[bool]) -> int:
    value = session.scalar(select(func.count()).select_from(model).where(condition))
    return int(value or 0)


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
