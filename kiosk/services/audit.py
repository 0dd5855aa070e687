"""The append-only, hash-chained audit log (ARCHITECTURE.md §5, RELIABILITY.md case 35).

Each entry stores the SHA-256 of the previous entry (``prev_hash``; 64 zeros for the first)
and its own hash over a canonical serialisation of everything it says. Editing, deleting or
reordering any entry breaks the chain at that entry, and :meth:`AuditLog.verify` reports where.
Cutting off the tail leaves a valid but shorter chain: it is detected by comparing with a head
hash reported earlier (heartbeats report :meth:`AuditLog.head`), see ``verify(known_head=...)``.

Several kiosks may write into one database. An append reads the last entry and inserts the
next one in a single write transaction that holds the write lock from its start (SQLite:
``BEGIN IMMEDIATE``; PostgreSQL: a table lock), so appends are serialised. ``prev_hash`` is
UNIQUE as well, so even a writer that skipped the lock could not fork the chain: its insert
would fail.

Details must not carry personal data. A value that is a phone or ID number is refused.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal, get_args

from sqlalchemy import Row, select, text
from sqlalchemy.orm import Session

from kiosk.masking import is_identifier
from kiosk.store.db import Database
from kiosk.store.models import AuditEvent
from kiosk.store.types import ensure_utc, utc_now

__all__ = [
    "GENESIS_HASH",
    "ActorKind",
    "AuditEntry",
    "AuditLog",
    "DetailValue",
    "canonical_detail",
    "entry_hash",
]

ActorKind = Literal["resident", "volunteer", "admin", "system"]
DetailValue = str | int | bool

GENESIS_HASH: Final = "0" * 64
_HASH_DOMAIN: Final = "kiosk-audit-v1"
_MAX_EVENT_TYPE = 64
_MAX_ACTOR = 64
_VERIFY_BATCH = 1000


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit log entry as written.

    Attributes:
        seq: Position in the chain, from 1.
        at: When it was written (aware, UTC).
        detail: Event facts; never personal data.
        prev_hash: ``hash`` of entry ``seq - 1``, or :data:`GENESIS_HASH`.
        hash: SHA-256 (hex) of this entry, see :func:`entry_hash`.
    """

    seq: int
    at: datetime
    event_type: str
    actor_kind: ActorKind
    actor_id: str | None
    on_behalf_of: str | None
    detail: Mapping[str, DetailValue]
    prev_hash: str
    hash: str


def canonical_detail(detail: Mapping[str, DetailValue] | None) -> str:
    """The canonical JSON text of ``detail``: sorted keys, no spaces, UTF-8 characters as-is.

    Raises:
        TypeError: A key is not a string or a value is not str, int or bool.
        ValueError: A value is a phone or ID number (personal data).
    """
    items = dict(detail or {})
    for key, value in items.items():
        if not isinstance(key, str) or not key:
            raise TypeError("audit detail keys must be non-empty strings")
        if not isinstance(value, str | int | bool):
            raise TypeError(f"audit detail {key!r}: value must be str, int or bool")
        if not isinstance(value, bool) and is_identifier(str(value)):
            raise ValueError(f"audit detail {key!r} looks like a phone or ID number")
    return json.dumps(items, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _iso(at: datetime) -> str:
    return ensure_utc(at).isoformat(timespec="microseconds")


def entry_hash(
    *,
    seq: int,
    at: datetime,
    event_type: str,
    actor_kind: str,
    actor_id: str | None,
    on_behalf_of: str | None,
    detail_json: str,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the canonical serialisation of one entry.

    The serialisation is a compact JSON array (a version tag, then the fields in the order of
    the signature, ``at`` as ISO 8601 UTC with microseconds), encoded as UTF-8. JSON quoting
    keeps field boundaries unambiguous.
    """
    payload = [
        _HASH_DOMAIN,
        seq,
        _iso(at),
        event_type,
        actor_kind,
        actor_id,
        on_behalf_of,
        detail_json,
        prev_hash,
    ]
    encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _check_actor(value: str | int | None, what: str) -> str | None:
    if value is None:
        return None
    result = str(value)
    if not result or len(result) > _MAX_ACTOR:
        raise ValueError(f"{what} must be 1 to {_MAX_ACTOR} characters")
    return result


class AuditLog:
    """Append to and check the audit log.

    Args:
        db: The station database.
        clock: Source of the current time (aware); injectable for tests.
    """

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    def append(
        self,
        event_type: str,
        *,
        actor_kind: ActorKind,
        actor_id: str | int | None = None,
        on_behalf_of: str | int | None = None,
        detail: Mapping[str, DetailValue] | None = None,
        session: Session | None = None,
    ) -> AuditEntry:
        """Append one entry and return it.

        Args:
            event_type: Dotted event name, e.g. ``"admin.login"``.
            actor_kind: Who acted.
            actor_id: The actor's id (a volunteer id, ...), if known.
            on_behalf_of: The resident a volunteer acted for (代办), if any.
            detail: Event facts; no personal data.
            session: Write the entry inside this session's transaction, so that it commits
                or rolls back together with the business change it records. The session
                must come from ``Database.session()`` (a write transaction). Without it the
                entry is committed on its own before this method returns.

        Raises:
            ValueError, TypeError: Bad arguments (nothing is written).
            sqlalchemy.exc.IntegrityError: Another writer appended at the same place
                without taking the lock (the chain did not fork; retry the transaction).
        """
        if not event_type or len(event_type) > _MAX_EVENT_TYPE:
            raise ValueError(f"event_type must be 1 to {_MAX_EVENT_TYPE} characters")
        if actor_kind not in get_args(ActorKind):
            raise ValueError(f"unknown actor_kind {actor_kind!r}")
        actor = _check_actor(actor_id, "actor_id")
        behalf = _check_actor(on_behalf_of, "on_behalf_of")
        detail_json = canonical_detail(detail)
        if session is None:
            with self._db.session() as own:
                return self._append(own, event_type, actor_kind, actor, behalf, detail_json)
        return self._append(session, event_type, actor_kind, actor, behalf, detail_json)

    def _append(
        self,
        session: Session,
        event_type: str,
        actor_kind: ActorKind,
        actor_id: str | None,
        on_behalf_of: str | None,
        detail_json: str,
    ) -> AuditEntry:
        if session.get_bind().dialect.name == "postgresql":
            # Serialise appenders; plain readers (ACCESS SHARE) are not blocked.
            session.execute(text("LOCK TABLE audit_events IN SHARE ROW EXCLUSIVE MODE"))
        last = session.execute(
            select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
        ).first()
        seq, prev_hash = (last.seq + 1, last.hash) if last is not None else (1, GENESIS_HASH)
        at = ensure_utc(self._clock())
        digest = entry_hash(
            seq=seq,
            at=at,
            event_type=event_type,
            actor_kind=actor_kind,
            actor_id=actor_id,
            on_behalf_of=on_behalf_of,
            detail_json=detail_json,
            prev_hash=prev_hash,
        )
        session.add(
            AuditEvent(
                seq=seq,
                at=at,
                event_type=event_type,
                actor_kind=actor_kind,
                actor_id=actor_id,
                on_behalf_of=on_behalf_of,
                detail=detail_json,
                prev_hash=prev_hash,
                hash=digest,
            )
        )
        session.flush()
        return AuditEntry(
            seq=seq,
            at=at,
            event_type=event_type,
            actor_kind=actor_kind,
            actor_id=actor_id,
            on_behalf_of=on_behalf_of,
            detail=json.loads(detail_json),
            prev_hash=prev_hash,
            hash=digest,
        )

    def head(self) -> str:
        """The hash of the newest entry, or :data:`GENESIS_HASH` while the log is empty."""
        with self._db.session(write=False) as session:
            latest = session.scalar(
                select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
            )
        return latest if latest is not None else GENESIS_HASH

    def count(self) -> int:
        """The number of entries (the ``seq`` of the newest one in an intact log)."""
        with self._db.session(write=False) as session:
            latest = session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
        return latest or 0

    def verify(self, *, known_head: str | None = None) -> int | None:
        """Walk the whole chain; return the ``seq`` of the first bad entry, or ``None``.

        An entry is bad when its stored hash does not match its content, when its
        ``prev_hash`` is not the previous entry's hash, when its ``seq`` is not the next
        number, or when it cannot be read back at all. For a deleted entry the result is the
        ``seq`` of the missing entry (the position where the chain breaks).

        Args:
            known_head: A head hash reported earlier. If the chain is intact but never reaches
                it, the tail was cut off: the result is the ``seq`` just after the last entry.
        """
        expected_seq = 1
        prev_hash = GENESIS_HASH
        seen_known_head = known_head is None or known_head == GENESIS_HASH
        with self._db.session(write=False) as session:
            for row in _stream_rows(session):
                if row is None or row.seq != expected_seq or row.prev_hash != prev_hash:
                    return expected_seq
                digest = entry_hash(
                    seq=row.seq,
                    at=row.at,
                    event_type=row.event_type,
                    actor_kind=row.actor_kind,
                    actor_id=row.actor_id,
                    on_behalf_of=row.on_behalf_of,
                    detail_json=row.detail,
                    prev_hash=row.prev_hash,
                )
                if digest != row.hash:
                    return expected_seq
                seen_known_head = seen_known_head or digest == known_head
                prev_hash = digest
                expected_seq += 1
        return None if seen_known_head else expected_seq


_AuditRow = Row[int, datetime, str, str, str | None, str | None, str, str, str]
_COLUMNS = (
    AuditEvent.seq,
    AuditEvent.at,
    AuditEvent.event_type,
    AuditEvent.actor_kind,
    AuditEvent.actor_id,
    AuditEvent.on_behalf_of,
    AuditEvent.detail,
    AuditEvent.prev_hash,
    AuditEvent.hash,
)


def _stream_rows(session: Session) -> Iterator[_AuditRow | None]:
    """Every entry in ``seq`` order, read in batches; ``None`` for an unreadable entry.

    A value edited into something the column type cannot parse (a broken timestamp) makes a
    batch fail to load; that batch is then read one entry at a time to find the culprit.
    """
    after = 0
    while True:
        seqs = list(
            session.scalars(
                select(AuditEvent.seq)
                .where(AuditEvent.seq > after)
                .order_by(AuditEvent.seq)
                .limit(_VERIFY_BATCH)
            )
        )
        if not seqs:
            return
        try:
            rows = session.execute(
                select(*_COLUMNS)
                .where(AuditEvent.seq > after, AuditEvent.seq <= seqs[-1])
                .order_by(AuditEvent.seq)
            ).all()
        except (ValueError, TypeError):
            for seq in seqs:
                try:
                    yield session.execute(select(*_COLUMNS).where(AuditEvent.seq == seq)).one()
                except (ValueError, TypeError):
                    yield None
        else:
            yield from rows
        after = seqs[-1]
