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
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from kiosk.cli._common import (
    EXIT_OK,
    Failure,
    Invocation,
    add_config_argument,
    database_failed,
    positive_int,
    run_database_command,
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
    return run_database_command(
        _parser(),
        argv,
        _run,
        settings=settings,
        out=out,
        err=err,
        migrate=True,
        failures=(Failure(SQLAlchemyError, database_failed("purge failed, nothing deleted")),),
    )


def _run(run: Invocation) -> int:
    args, db, out = run.args, run.db, run.out
    policy = RetentionPolicy(
        visit_days=args.visit_days,
        photo_days=args.photo_days if args.photo_days is not None else args.visit_days,
    )
    service = RetentionService(
        db, AuditLog(db), policy=policy, photos_dir=run.settings.data_path() / PHOTOS_DIR
    )
    out.write(f"retention: visits {policy.visit_days} days, photos {policy.photo_days} days\n")
    if args.dry_run:
        _write_counts(out, "would delete (dry run, nothing changed):", service.plan())
    else:
        _write_counts(out, "deleted:", service.purge())
    return EXIT_OK
