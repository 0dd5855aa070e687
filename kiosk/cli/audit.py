"""``community-kiosk audit …``: check the hash-chained audit log.

::

    audit verify [--known-head HASH] [--config PATH]
    audit head [--config PATH]

``verify`` walks the whole chain. It prints ``ok, N rows, head <hash>`` and exits 0, or
``broken at seq N`` (the first entry that was edited, deleted, reordered or cannot be read)
and exits 1. Cutting off the newest entries leaves a valid, shorter chain: pass a head hash
reported earlier (heartbeats carry it to the platform) with ``--known-head``; if the chain
never reaches it, ``verify`` reports the position after the last entry as broken.

``head`` prints the current head hash and the number of entries.

Exit status 2: usage, configuration or database errors.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from kiosk.cli._common import (
    EXIT_FAILED,
    EXIT_OK,
    Failure,
    add_config_argument,
    database_failed,
    open_database,
    parse_command,
    run_guarded,
)
from kiosk.config import Settings
from kiosk.services.audit import AuditLog

__all__ = ["main"]

_HASH = re.compile(r"[0-9a-f]{64}")


def _hash(text: str) -> str:
    value = text.strip().lower()
    if not _HASH.fullmatch(value):
        raise argparse.ArgumentTypeError("a head hash is 64 hexadecimal digits")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="community-kiosk audit", description="Check the tamper-evident audit log."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser(
        "verify", help="walk the hash chain and report the first bad entry"
    )
    verify.add_argument(
        "--known-head",
        type=_hash,
        metavar="HASH",
        help="a head hash reported earlier: detects a cut-off tail",
    )
    add_config_argument(verify)
    head = commands.add_parser("head", help="print the current head hash")
    add_config_argument(head)
    return parser


def main(
    argv: list[str],
    *,
    settings: Settings | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run ``community-kiosk audit`` with ``argv`` (the words after ``audit``).

    Returns:
        0 when the chain is intact, 1 when it is broken, 2 on usage/config/database errors.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    parsed = parse_command(_parser(), argv, settings, err)
    if isinstance(parsed, int):
        return parsed
    args, resolved = parsed
    db = open_database(resolved, migrate=False)
    try:
        return run_guarded(
            lambda: _run(args, AuditLog(db), out),
            (Failure(SQLAlchemyError, database_failed("cannot read the audit log")),),
            err,
        )
    finally:
        db.dispose()


def _run(args: argparse.Namespace, audit: AuditLog, out: TextIO) -> int:
    if args.command == "head":
        out.write(f"head {audit.head()}, {audit.count()} rows\n")
        return EXIT_OK
    bad = audit.verify(known_head=args.known_head)
    if bad is None:
        out.write(f"ok, {audit.count()} rows, head {audit.head()}\n")
        return EXIT_OK
    count = audit.count()
    if args.known_head is not None and bad == count + 1:
        out.write(
            f"broken at seq {bad}: the chain is intact but never reaches the known head "
            f"{args.known_head} (entries after seq {count} were cut off)\n"
        )
    else:
        out.write(f"broken at seq {bad}\n")
    return EXIT_FAILED
