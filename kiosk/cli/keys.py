"""``community-kiosk keys …``: the field encryption key ring.

::

    keys status [--config PATH]
    keys rotate [--batch N] [--config PATH]

``status`` prints the current key id, any retiring key, and for every encrypted column (and
the visitor photo files, ``visit_photos.file``) how many values use each key id. ``rotate``
makes a new key, re-encrypts every encrypted column (one transaction per table, with
progress), re-seals the visitor photo files under ``<data_dir>/photos`` (each replaced
atomically), then deletes the old key; run it with the kiosks stopped (see
:mod:`kiosk.services.key_rotation`). An interrupted rotation is resumed by running it again.

Key files: ``<data_dir>/keys/field-aes.key`` (current key, 32 raw bytes, mode 0600) and,
during a rotation only, ``field-aes.key.retiring`` (the previous key, same format). The
format is described in :mod:`kiosk.security.crypto`.

Exit status 0; 1 when the old key had to be kept (values or photo files still use it, or one
could not be decrypted); 2 on usage, configuration, key-file, database or file errors (the
old key is kept then too).

NOTE: Qt-free zone.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from kiosk.cli._common import (
    EXIT_FAILED,
    EXIT_OK,
    KEYS_DIR,
    Failure,
    Invocation,
    add_config_argument,
    positive_int,
    run_database_command,
    show_error,
)
from kiosk.config import Settings
from kiosk.keys import KeyFileError
from kiosk.security.crypto import KeyRing, load_keyring
from kiosk.services.audit import AuditLog
from kiosk.services.key_rotation import (
    DEFAULT_BATCH,
    PHOTO_FILES,
    RotationError,
    key_usage,
    rotate_field_key,
)
from kiosk.services.retention import PHOTOS_DIR

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="community-kiosk keys", description="Manage the field encryption key."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    status = commands.add_parser("status", help="key ids and how many values use each")
    add_config_argument(status)
    rotate = commands.add_parser("rotate", help="new key, re-encrypt everything, retire the old")
    rotate.add_argument(
        "--batch",
        type=positive_int("batch"),
        default=DEFAULT_BATCH,
        metavar="N",
        help=f"rows per progress step (default {DEFAULT_BATCH})",
    )
    add_config_argument(rotate)
    return parser


def _kid(key_id: int) -> str:
    return f"{key_id:#04x}"


def main(
    argv: list[str],
    *,
    settings: Settings | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run ``community-kiosk keys`` with ``argv`` (the words after ``keys``)."""
    return run_database_command(
        _parser(),
        argv,
        _run,
        settings=settings,
        out=out,
        err=err,
        migrate=True,
        failures=(
            Failure(RotationError, _rotation_failed, EXIT_FAILED),
            Failure(KeyFileError, show_error),
            Failure(
                (SQLAlchemyError, OSError),
                lambda exc: f"error: {type(exc).__name__}: the rotation stopped; run it again",
            ),
        ),
    )


def _rotation_failed(exc: BaseException) -> str:
    return (
        f"error: {exc}; the old key is kept; "
        "run `keys rotate` again once that row is repaired or removed"
    )


def _run(run: Invocation) -> int:
    out = run.out
    keys_dir = run.settings.data_path() / KEYS_DIR
    photos_dir = run.settings.data_path() / PHOTOS_DIR
    if run.args.command == "status":
        return _status(
            usage=key_usage(run.db, photos_dir=photos_dir), ring=load_keyring(keys_dir), out=out
        )
    out.write("rotating the field key; the kiosks of this station must be stopped\n")

    def progress(table: str, done: int, total: int) -> None:
        out.write(f"  {table}: {done}/{total}\n")
        out.flush()

    report = rotate_field_key(
        run.db,
        keys_dir,
        audit=AuditLog(run.db),
        batch_size=run.args.batch,
        progress=progress,
        photos_dir=photos_dir,
    )
    photos = report.reencrypted.get(PHOTO_FILES, 0)
    values = sum(report.reencrypted.values()) - photos
    old = ", ".join(_kid(k) for k in report.old_key_ids) or "none"
    out.write(f"new key {_kid(report.new_key_id)}; re-encrypted {values} values\n")
    out.write(f"re-sealed {photos} photo files\n")
    if report.photos_skipped:
        out.write(f"{report.photos_skipped} photo rows have no file; skipped\n")
    if report.retired:
        out.write(f"old key {old} retired\n")
        return EXIT_OK
    out.write(
        f"old key {old} kept: {report.remaining_old} values or photo files still use it "
        "(a kiosk was running?); run `keys rotate` again\n"
    )
    return EXIT_FAILED


def _status(*, usage: dict[str, Counter[int]], ring: KeyRing, out: TextIO) -> int:
    retiring = ", ".join(_kid(k) for k in ring.retiring_ids) or "none"
    out.write(f"current key {_kid(ring.current_id)}; retiring: {retiring}\n")
    for context, counter in usage.items():
        parts = ", ".join(f"{_kid(k)}: {n}" for k, n in sorted(counter.items())) or "no values"
        out.write(f"  {context}: {parts}\n")
    return EXIT_OK
