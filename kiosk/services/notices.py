"""Community notices (通知公告) for the attract and notice screens.

NOTE: Qt-free zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from kiosk.store.db import Database
from kiosk.store.models import Notice
from kiosk.store.types import ensure_utc, utc_now

__all__ = ["NoticeService", "NoticeView"]


@dataclass(frozen=True, slots=True)
class NoticeView:
    """A notice as the screens show it. Text is plain text (never rich text)."""

    id: int
    title: str
    body: str
    published_at: datetime
    pinned: bool


class NoticeService:
    """Read the notices of one community.

    Args:
        db: The station database.
        community_id: The community whose notices are shown.
    """

    def __init__(self, db: Database, community_id: str) -> None:
        self._db = db
        self._community_id = community_id

    def current(self, now: datetime | None = None, limit: int = 10) -> list[NoticeView]:
        """Notices published by ``now`` and not yet expired: pinned first, then newest first.

        Args:
            now: The moment to judge publication and expiry at (aware); default: now.
            limit: At most this many notices.

        Raises:
            ValueError: ``limit`` is below 1 or ``now`` is naive.
        """
        if limit < 1:
            raise ValueError("limit must be at least 1")
        at = ensure_utc(now) if now is not None else utc_now()
        query = (
            select(Notice)
            .where(
                Notice.community_id == self._community_id,
                Notice.published_at <= at,
                or_(Notice.expires_at.is_(None), Notice.expires_at > at),
            )
            .order_by(Notice.pinned.desc(), Notice.published_at.desc(), Notice.id.desc())
            .limit(limit)
        )
        with self._db.session(write=False) as session:
            return [
                NoticeView(
                    id=row.id,
                    title=row.title,
                    body=row.body,
                    published_at=row.published_at,
                    pinned=row.pinned,
                )
                for row in session.scalars(query)
            ]
