"""``community-kiosk denylist …``: the station's deny list of walk-in visitors (staff only).

::

    denylist add --name NAME [--phone PHONE] [--note TEXT] [--config PATH]
    denylist remove ID [--config PATH]
    denylist list [--config PATH]

A walk-in whose phone number, or (when the entry or the visitor has no phone) whose name,
matches an active entry is not put through to the host: the kiosk shows a neutral "please
go to the service desk" and staff get a call (see
:meth:`kiosk.platform.local.LocalPlatform.request_host_approval`).

The station stores only keyed hashes of the name and phone (under the card key,
``<data_dir>/keys/card-hmac.key``) and their masked forms: ``list`` shows ``张*明`` and
``138****5678``, never the values. ``add`` prints the new entry's id; adding the same name
and phone again prints the existing entry. ``remove`` marks the entry removed (the rows and
the audit trail stay). Every change is in the audit log under the admin actor, with the
entry id only.

The name given with ``--name`` stays in the shell's history: clear it there if needed.

Exit status 0; 1 when ``remove`` names no entry; 2 on usage, configuration, key-file or
database errors.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from kiosk.backend import CARD_KEY_FILE
from kiosk.cli._common import (
    EXIT_FAILED,
    EXIT_OK,
    KEYS_DIR,
    Failure,
    Invocation,
    add_config_argument,
    database_failed,
    positive_int,
    run_database_command,
    show_error,
)
from kiosk.config import Settings
from kiosk.keys import KeyFileError, load_or_create_key
from kiosk.platform.api import Actor, DenyListEntry, NotFoundError, PlatformError
from kiosk.platform.local import LocalPlatform
from kiosk.security.crypto import FieldCipher
from kiosk.services.audit import AuditLog
from kiosk.services.retention import PHOTOS_DIR
from kiosk.store.db import Database

__all__ = ["build_platform", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="community-kiosk denylist",
        description="Manage the deny list of walk-in visitors (names and phones kept hashed).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add a person (prints the entry id)")
    add.add_argument("--name", required=True, metavar="NAME", help="the person's name")
    add.add_argument("--phone", metavar="PHONE", help="their phone number, if known")
    add.add_argument("--note", default="", metavar="TEXT", help="a note for staff")
    add_config_argument(add)
    remove = commands.add_parser("remove", help="take an entry off the list")
    remove.add_argument("entry_id", type=positive_int("entry id"), metavar="ID")
    add_config_argument(remove)
    listing = commands.add_parser("list", help="the active entries, masked")
    add_config_argument(listing)
    return parser


def build_platform(settings: Settings, db: Database) -> LocalPlatform:
    """The station's platform over ``db``, built as :class:`kiosk.backend.Backend` builds
    it, with the card key as the deny list's hash key."""
    keys = settings.data_path() / KEYS_DIR
    return LocalPlatform(
        db,
        audit=AuditLog(db),
        cipher=FieldCipher.from_key_dir(keys),
        community_id=settings.station.community_id,
        station_id=settings.station.station_id,
        kiosk_id=settings.station.kiosk_id or settings.station.station_id,
        lockout=settings.admin,
        hash_key=load_or_create_key(keys / CARD_KEY_FILE),
        photos_dir=settings.data_path() / PHOTOS_DIR,
        approval_timeout_s=settings.visitors.approval_timeout_s,
        max_pass_days=settings.visitors.max_invitation_days,
    )


def _line(entry: DenyListEntry) -> str:
    phone = entry.masked_phone or "-"
    added = entry.added_at.strftime("%Y-%m-%d")
    note = " ".join(entry.note.split())
    return f"{entry.entry_id}\t{entry.masked_name}\t{phone}\t{added}\t{note}".rstrip()


def _run(run: Invocation) -> int:
    args, out, err = run.args, run.out, run.err
    platform = build_platform(run.settings, run.db)
    admin = Actor.admin()
    if args.command == "add":
        entry = platform.add_to_deny_list(args.name, args.phone, note=args.note, actor=admin)
        out.write(f"entry {entry.entry_id}: {entry.masked_name} {entry.masked_phone or '-'}\n")
        return EXIT_OK
    if args.command == "remove":
        try:
            platform.remove_from_deny_list(args.entry_id, actor=admin)
        except NotFoundError:
            err.write(f"error: no deny-list entry {args.entry_id}\n")
            return EXIT_FAILED
        out.write(f"entry {args.entry_id} removed\n")
        return EXIT_OK
    entries = platform.deny_list()
    out.write(f"{len(entries)} active entries\n")
    for entry in entries:
        out.write(_line(entry) + "\n")
    return EXIT_OK


def main(
    argv: list[str],
    *,
    settings: Settings | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run ``community-kiosk denylist`` with ``argv`` (the words after ``denylist``)."""
    return run_database_command(
        _parser(),
        argv,
        _run,
        settings=settings,
        out=out,
        err=err,
        migrate=True,
        failures=(
            # Messages of platform errors never hold the name or phone.
            Failure((KeyFileError, OSError, PlatformError), show_error),
            Failure(SQLAlchemyError, database_failed("the station database failed")),
        ),
    )
