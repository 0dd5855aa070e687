"""Rotation of the field encryption key (``community-kiosk keys rotate``).

Steps (the key-file side is :mod:`kiosk.security.crypto`):

1. :func:`~kiosk.security.crypto.begin_rotation`: a new current key; the old key becomes the
   retiring key (both files 0600). Resumes an interrupted rotation.
2. :func:`reencrypt_all`: every column in :data:`~kiosk.store.models.ENCRYPTED_COLUMNS` is
   read and every value not sealed with the current key is opened and sealed again. One
   transaction per table (a crash leaves each table all-old or all-new, and both keys read
   both), in primary-key order, reporting progress per batch.
3. :func:`reseal_photos` (when given the photos directory): every visitor photo file named
   by a ``visit_photos`` row and not sealed with the current key is opened and sealed
   again (same context, :func:`kiosk.store.photos.photo_context`), then replaced durably:
   temporary file, fsync, rename over the old file, fsync of the directory
   (:func:`kiosk.store.photos.write_durably`). A crash leaves every file either old or new,
   and both keys read both. Each file is rewritten inside a write transaction that first
   checks its row still exists, so a retention purge running meanwhile cannot have its
   deleted file written back. A row whose file is missing (removed by hand or lost) is
   skipped with a warning and counted in :attr:`RotationReport.photos_skipped`.
4. Check that no stored value or photo file names a retiring key any more, then
   :func:`~kiosk.security.crypto.finish_rotation` deletes the retiring key.

Run it with the kiosks of the station stopped: a kiosk started before the rotation holds
only the old key, so it could neither read values sealed with the new key nor stop writing
with the old one. If it did write during the rotation, step 4 finds those values, keeps the
retiring key and reports; running the command again finishes the job.

A value that cannot be decrypted stops the rotation (its table's transaction rolls back and
the retiring key is kept), naming the table, column and row id but never the value. A photo
file that cannot be decrypted stops it the same way (files re-sealed before it stay
re-sealed, which both keys read), naming the ``visit_photos`` row id. A photo file that
cannot be read or written (disk full, permissions) raises :class:`OSError`; the retiring key
is kept and the old file is left as it was.

Without a photos directory, photo files are neither re-sealed nor checked: the old key would
be retired under them and they would no longer open. The command
(:mod:`kiosk.cli.keys`) always passes it.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

from sqlalchemy import func, or_, select, update

from kiosk.security.crypto import (
    DecryptionError,
    FieldCipher,
    UnknownKeyError,
    begin_rotation,
    finish_rotation,
)
from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from kiosk.store.models import ENCRYPTED_COLUMNS, Base, EncryptedColumn, VisitPhoto
from kiosk.store.photos import PHOTO_CONTEXT, photo_context, resolve_photo, write_durably

__all__ = [
    "EVENT_KEY_ROTATED",
    "PHOTO_FILES",
    "PHOTO_TABLE",
    "PhotoPass",
    "Progress",
    "RotationError",
    "RotationReport",
    "key_usage",
    "reencrypt_all",
    "reseal_photos",
    "rotate_field_key",
]

log = logging.getLogger(__name__)

EVENT_KEY_ROTATED: Final = "keys.field_rotated"
DEFAULT_BATCH: Final = 500
PHOTO_FILES: Final = PHOTO_CONTEXT
"""Key of the photo files in :attr:`RotationReport.reencrypted` and :func:`key_usage`."""
PHOTO_TABLE: Final = VisitPhoto.__tablename__
"""Name the photo pass reports its progress under."""

Progress = Callable[[str, int, int], None]
"""``(table, rows done, rows total)``, called after every batch."""


class RotationError(RuntimeError):
    """A stored value or photo file could not be decrypted; the rotation stopped, the old
    key is kept."""


@dataclass(frozen=True, slots=True)
class RotationReport:
    """The outcome of :func:`rotate_field_key`.

    Attributes:
        reencrypted: Values sealed again, per ``"table.column"``; photo files under
            :data:`PHOTO_FILES` (``"visit_photos.file"``) when a photos directory was given.
        remaining_old: Values and photo files still naming a retiring key after the pass
            (0 when retired).
        retired: The retiring key file was deleted.
        photos_skipped: Photo rows whose file was missing or pointed outside the photos
            directory (nothing to re-seal; such a photo does not open anyway).
    """

    new_key_id: int
    old_key_ids: tuple[int, ...]
    reencrypted: dict[str, int] = field(default_factory=dict)
    remaining_old: int = 0
    retired: bool = False
    photos_skipped: int = 0


@dataclass(frozen=True, slots=True)
class PhotoPass:
    """The outcome of :func:`reseal_photos`: files sealed again, rows skipped."""

    resealed: int = 0
    skipped: int = 0


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


_PhotoOutcome = Literal["resealed", "current", "skipped", "gone"]


def _reseal_photo(
    db: Database, cipher: FieldCipher, photos_dir: Path, photo_id: int
) -> _PhotoOutcome:
    """Re-seal the file of photo row ``photo_id``: ``"resealed"``, ``"current"`` (already
    on the current key), ``"skipped"`` (no file) or ``"gone"`` (the row was deleted)."""
    # A write transaction holds the station's write lock (BEGIN IMMEDIATE / the advisory
    # lock): a retention purge cannot delete this row, and unlink its file after its commit,
    # while the file is being replaced, which would put the purged photo back on disk.
    with db.session() as session:
        row = session.execute(
            select(VisitPhoto.visit_id, VisitPhoto.path).where(VisitPhoto.id == photo_id)
        ).first()
        if row is None:
            return "gone"
        visit_id, relative = row
        path = resolve_photo(photos_dir, relative)
        if path is None:
            log.warning("visit photo %d points outside the photos directory; skipped", photo_id)
            return "skipped"
        try:
            sealed = path.read_bytes()
        except FileNotFoundError:
            log.warning("visit photo %d has no file (removed?); skipped", photo_id)
            return "skipped"
        except OSError as exc:
            log.error("visit photo %d cannot be read: %s", photo_id, exc.strerror)
            raise
        context = photo_context(visit_id)
        try:
            if not cipher.needs_reencryption(sealed):
                return "current"
            resealed = cipher.reencrypt(sealed, context=context)
        except DecryptionError as exc:
            # Never the file, and not the visit id the cipher's message would name.
            reason = (
                str(exc)
                if isinstance(exc, UnknownKeyError)
                else "damaged, altered, or moved from another visit"
            )
            raise RotationError(
                f"{PHOTO_FILES} of row {photo_id} cannot be decrypted: {reason}"
            ) from None
        try:
            # The rotation is the only writer of an existing photo's name: a temporary file
            # left by an interrupted earlier rotation may be removed.
            write_durably(path.parent, path.name, resealed, clear_stale=True)
        except OSError as exc:
            log.error("visit photo %d could not be re-sealed: %s", photo_id, exc.strerror)
            raise
        return "resealed"


def reseal_photos(
    db: Database,
    cipher: FieldCipher,
    photos_dir: Path,
    *,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
) -> PhotoPass:
    """Seal every visitor photo file with ``cipher``'s current key, replacing each durably.

    Rows are visited in id order, ``batch_size`` per progress step (reported as
    :data:`PHOTO_TABLE`). Files already on the current key are left alone, so running it
    again after a crash only does what is left.

    Raises:
        RotationError: A photo file could not be decrypted (files re-sealed before it stay
            re-sealed; that one is unchanged).
        OSError: A photo file could not be read or replaced (it is unchanged).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    with db.session(write=False) as session:
        total = int(session.scalar(select(func.count()).select_from(VisitPhoto)) or 0)
    outcomes: Counter[str] = Counter()
    done = 0
    last: int | None = None
    while True:
        query = select(VisitPhoto.id).order_by(VisitPhoto.id).limit(batch_size)
        if last is not None:
            query = query.where(VisitPhoto.id > last)
        with db.session(write=False) as session:
            ids = list(session.scalars(query))
        if not ids:
            break
        for photo_id in ids:
            outcomes[_reseal_photo(db, cipher, photos_dir, photo_id)] += 1
        done += len(ids)
        last = ids[-1]
        if progress is not None:
            progress(PHOTO_TABLE, done, max(total, done))
    if progress is not None and done == 0:
        progress(PHOTO_TABLE, 0, 0)
    if outcomes["skipped"]:
        log.warning("%d visit photos had no file to re-seal", outcomes["skipped"])
    return PhotoPass(resealed=outcomes["resealed"], skipped=outcomes["skipped"])


def _photo_key_usage(db: Database, photos_dir: Path) -> Counter[int]:
    counter: Counter[int] = Counter()
    with db.session(write=False) as session:
        rows = session.execute(select(VisitPhoto.id, VisitPhoto.path)).all()
    for photo_id, relative in rows:
        path = resolve_photo(photos_dir, relative)
        if path is None:
            continue
        try:
            with path.open("rb") as handle:
                first = handle.read(1)
        except FileNotFoundError:
            continue
        if not first:
            log.warning("visit photo %d has an empty file", photo_id)
            continue
        counter[FieldCipher.key_id_of_value(first)] += 1
    return counter


def key_usage(db: Database, photos_dir: Path | None = None) -> dict[str, Counter[int]]:
    """For every encrypted column: how many stored values use each key id.

    With ``photos_dir``, also the visitor photo files (under :data:`PHOTO_FILES`), read from
    their first byte; rows without a file are not counted.
    """
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
    if photos_dir is not None:
        usage[PHOTO_FILES] = _photo_key_usage(db, photos_dir)
    return usage


def rotate_field_key(
    db: Database,
    keys_dir: Path,
    *,
    audit: AuditLog | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
    photos_dir: Path | None = None,
) -> RotationReport:
    """Run (or resume) a full rotation; see the module docstring.

    Args:
        photos_dir: The visitor photos directory (``<data_dir>/photos``): its files are
            re-sealed and checked too. ``None``: they are not (only for stations without
            photos).

    Raises:
        RotationError: A value or photo file could not be decrypted; the retiring key is
            kept.
        OSError: A photo file could not be read or replaced; the retiring key is kept.
    """
    ring = begin_rotation(keys_dir)
    cipher = FieldCipher(ring)
    log.info("field key rotation: %r", ring)
    counts = reencrypt_all(db, cipher, batch_size=batch_size, progress=progress)
    skipped = 0
    if photos_dir is not None:
        photos = reseal_photos(db, cipher, photos_dir, batch_size=batch_size, progress=progress)
        counts[PHOTO_FILES] = photos.resealed
        skipped = photos.skipped
    old_ids = set(ring.retiring_ids)
    remaining = sum(
        n
        for usage in key_usage(db, photos_dir=photos_dir).values()
        for kid, n in usage.items()
        if kid in old_ids
    )
    retired = remaining == 0
    if retired:
        finish_rotation(keys_dir)
    else:
        log.warning("%d values or photo files still use the retiring key; it is kept", remaining)
    report = RotationReport(
        new_key_id=ring.current_id,
        old_key_ids=ring.retiring_ids,
        reencrypted=counts,
        remaining_old=remaining,
        retired=retired,
        photos_skipped=skipped,
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
