"""Rotation of the field encryption key (``community-kiosk keys rotate``).

Steps (the key-file side is :mod:`kiosk.security.crypto`):

1. :func:`~kiosk.security.crypto.begin_rotation`: a new current key; the old key becomes the
   retiring key (both files 0600). Resumes an interrupted rotation.
2. :func:`reencrypt_all`: every column in :data:`~kiosk.store.models.ENCRYPTED_COLUMNS` is
   read and every value not sealed with the current key is opened and sealed again. One
   transaction per table (a crash leaves each table all-old or all-new, and both keys read
   both), in primary-key order, reporting progress per batch.
3. Check that no stored value names a retiring key any more, then
   :func:`~kiosk.security.crypto.finish_rotation` deletes the retiring key.

Run it with the kiosks of the station stopped: a kiosk started before the rotation holds
only the old key, so it could neither read values sealed with the new key nor stop writing
with the old one. If it did write during the rotation, step 3 finds those values, keeps the
retiring key and reports; running the command again finishes the job.

A value that cannot be decrypted stops the rotation (its table's transaction rolls back and
the retiring key is kept), naming the table, column and row id but never the value.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from sqlalchemy import func, or_, select, update

from kiosk.security.crypto import (
    DecryptionError,
    FieldCipher,
    begin_rotation,
    finish_rotation,
)
from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from kiosk.store.models import ENCRYPTED_COLUMNS, Base, EncryptedColumn

__all__ = [
    "EVENT_KEY_ROTATED",
    "Progress",
    "RotationError",
    "RotationReport",
    "key_usage",
    "reencrypt_all",
    "rotate_field_key",
]

log = logging.getLogger(__name__)

EVENT_KEY_ROTATED: Final = "keys.field_rotated"
DEFAULT_BATCH: Final = 500

Progress = Callable[[str, int, int], None]
"""``(table, rows done, rows total)``, called after every batch."""


class RotationError(RuntimeError):
    """A stored value could not be re-encrypted; the rotation stopped, the old key is kept."""


@dataclass(frozen=True, slots=True)
class RotationReport:
    """The outcome of :func:`rotate_field_key`.

    Attributes:
        reencrypted: Values sealed again, per ``"table.column"``.
        remaining_old: Values still naming a retiring key after the pass (0 when retired).
        retired: The retiring key file was deleted.
    """

    new_key_id: int
    old_key_ids: tuple[int, ...]
    reencrypted: dict[str, int] = field(default_factory=dict)
    remaining_old: int = 0
    retired: bool = False


def _by_table() -> dict[str, list[EncryptedColumn]]:
    groups: dict[str, list[EncryptedColumn]] = defaultdict(list)
    for column in ENCRYPTED_COLUMNS:
        groups[column.table].append(column)
    return dict(groups)


def reencrypt_all(
    db: Database,
    cipher: FieldCipher,
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Seal every stored value with ``cipher``'s current key; returns counts per column.

    Raises:
        RotationError: A value could not be decrypted (that table's changes roll back).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    counts: dict[str, int] = {c.context: 0 for c in ENCRYPTED_COLUMNS}
    for table_name, columns in _by_table().items():
        table = Base.metadata.tables[table_name]
        pk = table.c[columns[0].pk]
        cols = [table.c[c.column] for c in columns]
        present = or_(*(c.is_not(None) for c in cols))
        with db.session() as session:  # one transaction per table
            total = int(session.scalar(select(func.count()).select_from(table).where(present)) or 0)
            done = 0
            last: object = None
            while True:
                query = select(pk, *cols).where(present).order_by(pk).limit(batch_size)
                if last is not None:
                    query = query.where(pk > last)
                rows = session.execute(query).all()
                if not rows:
                    break
                for row in rows:
                    changes: dict[str, bytes] = {}
                    for spec, value in zip(columns, row[1:], strict=True):
                        if value is None or not cipher.needs_reencryption(value):
                            continue
                        try:
                            changes[spec.column] = cipher.reencrypt(value, context=spec.context)
                        except DecryptionError as exc:
                            raise RotationError(
                                f"{spec.context} of row {row[0]!r} cannot be decrypted: {exc}"
                            ) from None
                        counts[spec.context] += 1
                    if changes:
                        session.execute(update(table).where(pk == row[0]).values(**changes))
                done += len(rows)
                last = rows[-1][0]
                if progress is not None:
                    progress(table_name, done, total)
            if progress is not None and total == 0:
                progress(table_name, 0, 0)
    return counts


def key_usage(db: Database) -> dict[str, Counter[int]]:
    """For every encrypted column: how many stored values use each key id."""
    usage: dict[str, Counter[int]] = {}
    with db.session(write=False) as session:
        for spec in ENCRYPTED_COLUMNS:
            column = Base.metadata.tables[spec.table].c[spec.column]
            counter: Counter[int] = Counter()
            for value in session.scalars(select(column).where(column.is_not(None))).yield_per(
                DEFAULT_BATCH
            ):
                counter[FieldCipher.key_id_of_value(value)] += 1
            usage[spec.context] = counter
    return usage


def rotate_field_key(
    db: Database,
    keys_dir: Path,
    *,
    audit: AuditLog | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> RotationReport:
    """Run (or resume) a full rotation; see the module docstring.

    Raises:
        RotationError: A value could not be decrypted; the retiring key is kept.
    """
    ring = begin_rotation(keys_dir)
    cipher = FieldCipher(ring)
    log.info("field key rotation: %r", ring)
    counts = reencrypt_all(db, cipher, batch_size=batch_size, progress=progress)
    old_ids = set(ring.retiring_ids)
    remaining = sum(
        n for usage in key_usage(db).values() for kid, n in usage.items() if kid in old_ids
    )
    retired = remaining == 0
    if retired:
        finish_rotation(keys_dir)
    else:
        log.warning("%d values still use the retiring key; it is kept", remaining)
    report = RotationReport(
        new_key_id=ring.current_id,
        old_key_ids=ring.retiring_ids,
        reencrypted=counts,
        remaining_old=remaining,
        retired=retired,
    )
    if audit is not None:
        audit.append(
            EVENT_KEY_ROTATED,
            actor_kind="admin",
            detail={
                "new_key_id": f"{ring.current_id:#04x}",
                "old_key_ids": ",".join(f"{k:#04x}" for k in ring.retiring_ids),
                "reencrypted": sum(counts.values()),
                "remaining_old": remaining,
                "retired": retired,
            },
        )
    return report
