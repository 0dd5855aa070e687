"""``community-kiosk purge``: delete personal data past its retention period.

::

    purge [--dry-run] [--visit-days N] [--photo-days N] [--config PATH]

What is deleted is described in :mod:`kiosk.services.retention` (visits and photos older
than the period, health data whose consent was withdrawn, delivered outbox events). With
``--dry-run`` the counts per table are printed and nothing changes. Otherwise the rows are
deleted in one transaction together with a ``retention.purged`` audit entry holding the
counts, and the photo files are removed after it commits.

Run it daily (a systemd timer). Exit status 0, or 2 on usage, configuration or database
errors.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from kiosk.cli._common import (
    EXIT_OK,
    EXIT_USAGE,
    add_config_argument,
    open_database,
    parse_command,
    positive_int,
)
from kiosk.config import Settings
from kiosk.services.audit import AuditLog
from kiosk.services.retention import (
    DEFAULT_RETENTION_DAYS,
    PHOTOS_DIR,
    PurgeCounts,
    RetentionPolicy,
    RetentionService,
)

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="community-kiosk purge",
        description="Delete visits, photos and health data past their retention period.",
    )
    parser.add_argument("--dry-run", action="store_true", help="only count, delete nothing")
    parser.add_argument(
        "--visit-days",
        type=positive_int("days"),
        default=DEFAULT_RETENTION_DAYS,
        metavar="N",
        help=f"keep visits this many days (default {DEFAULT_RETENTION_DAYS})",
    )
    parser.add_argument(
        "--photo-days",
        type=positive_int("days"),
        default=None,
        metavar="N",
        help="keep visit photos this many days (default: as --visit-days)",
    )
    add_config_argument(parser)
    return parser


def _write_counts(out: TextIO, heading: str, counts: PurgeCounts) -> None:
    out.write(f"{heading}\n")
    for table, count in counts.as_dict().items():
        out.write(f"  {table}: {count}\n")


def main(
    argv: list[str],
    *,
    settings: Settings | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run ``community-kiosk purge`` with ``argv`` (the words after ``purge``)."""
    out = out or sys.stdout
    err = err or sys.stderr
    parsed = parse_command(_parser(), argv, settings, err)
    if isinstance(parsed, int):
        return parsed
    args, resolved = parsed
    policy = RetentionPolicy(
        visit_days=args.visit_days,
        photo_days=args.photo_days if args.photo_days is not None else args.visit_days,
    )
    try:
        db = open_database(resolved, migrate=True)
    except SQLAlchemyError as exc:
        err.write(f"error: cannot open the station database: {type(exc).__name__}\n")
        return EXIT_USAGE
    try:
        service = RetentionService(
            db, AuditLog(db), policy=policy, photos_dir=resolved.data_path() / PHOTOS_DIR
        )
        out.write(f"retention: visits {policy.visit_days} days, photos {policy.photo_days} days\n")
        if args.dry_run:
            _write_counts(out, "would delete (dry run, nothing changed):", service.plan())
        else:
            _write_counts(out, "deleted:", service.purge())
        return EXIT_OK
    except SQLAlchemyError as exc:
        err.write(f"error: purge failed, nothing deleted: {type(exc).__name__}\n")
        return EXIT_USAGE
    finally:
        db.dispose()
