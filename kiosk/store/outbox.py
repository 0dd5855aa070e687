"""The transactional outbox: events for the platform, committed with their business rows.

:func:`add_event` takes the caller's session, so the event is inserted in the same
transaction as the visit, health record or call it announces: both are committed, or neither
(RELIABILITY.md case 3). A sync worker later delivers pending events in ``id`` order and
marks them delivered; the platform keeps each ``idempotency_key`` once, so delivering again
after a crash is harmless (at-least-once delivery, exactly-once effect).

Payloads are flat JSON objects of ids and facts. They go through the audit log's
:func:`~kiosk.services.audit.canonical_detail` rules (str/int/bool values; a value that is a
phone or ID number is refused): the worker reads, and decrypts, the business row when it
delivers, so no personal data waits in the outbox.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kiosk.masking import is_identifier
from kiosk.store.models import OutboxEvent
from kiosk.store.types import ensure_utc

__all__ = [
    "PayloadValue",
    "PendingEvent",
    "add_event",
    "mark_delivered",
    "pending_count",
    "pending_events",
]

PayloadValue = str | int | bool | None
_MAX_KEY: Final = 255
_MAX_KIND: Final = 64


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An event waiting for delivery."""

    id: int
    idempotency_key: str
    kind: str
    payload: Mapping[str, PayloadValue]
    created_at: datetime
    attempts: int


def _payload_json(payload: Mapping[str, PayloadValue]) -> str:
    for key, value in payload.items():
        if not isinstance(key, str) or not key:
            raise TypeError("outbox payload keys must be non-empty strings")
        if value is not None and not isinstance(value, str | int | bool):
            raise TypeError(f"outbox payload {key!r}: value must be str, int, bool or None")
        if isinstance(value, str) and is_identifier(value):
            raise ValueError(f"outbox payload {key!r} looks like a phone or ID number")
    return json.dumps(dict(payload), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def add_event(
    session: Session,
    *,
    kind: str,
    idempotency_key: str,
    payload: Mapping[str, PayloadValue],
    at: datetime,
) -> OutboxEvent:
    """Insert an event in the caller's transaction (flushed, so constraint errors surface).

    Raises:
        ValueError, TypeError: Bad kind, key or payload (see the module docstring).
        sqlalchemy.exc.IntegrityError: The idempotency key exists already.
    """
    if not kind or len(kind) > _MAX_KIND:
        raise ValueError(f"outbox kind must be 1 to {_MAX_KIND} characters")
    if not idempotency_key or len(idempotency_key) > _MAX_KEY:
        raise ValueError(f"idempotency key must be 1 to {_MAX_KEY} characters")
    event = OutboxEvent(
        idempotency_key=idempotency_key,
        kind=kind,
        payload=_payload_json(payload),
        created_at=ensure_utc(at),
        delivered_at=None,
        attempts=0,
    )
    session.add(event)
    session.flush()
    return event


def pending_events(session: Session, *, limit: int = 100) -> list[PendingEvent]:
    """Undelivered events, oldest first."""
    rows = session.scalars(
        select(OutboxEvent)
        .where(OutboxEvent.delivered_at.is_(None))
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    return [
        PendingEvent(
            id=row.id,
            idempotency_key=row.idempotency_key,
            kind=row.kind,
            payload=json.loads(row.payload),
            created_at=row.created_at,
            attempts=row.attempts,
        )
        for row in rows
    ]


def pending_count(session: Session) -> int:
    """How many events wait for delivery (the heartbeat's outbox depth)."""
    count = session.scalar(
        select(func.count()).select_from(OutboxEvent).where(OutboxEvent.delivered_at.is_(None))
    )
    return int(count or 0)


def mark_delivered(session: Session, ids: Sequence[int], *, at: datetime) -> int:
    """Mark events delivered; returns how many were still pending."""
    if not ids:
        return 0
    result = session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.id.in_(list(ids)), OutboxEvent.delivered_at.is_(None))
        .values(delivered_at=ensure_utc(at), attempts=OutboxEvent.attempts + 1)
    )
    return int(getattr(result, "rowcount", 0) or 0)
