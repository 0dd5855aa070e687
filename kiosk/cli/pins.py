"""``community-kiosk pins``: see and reset PIN lockouts (staff on the station machine).

::

    pins status (--admin | --volunteer ID | --room B-U-R) [--config PATH]
    pins unlock (--admin | --volunteer ID | --room B-U-R) [--config PATH]

After 100 consecutive failures a PIN (or a room's phone-digit check) stays locked until staff
reset it (RELIABILITY.md case 33, NIST SP 800-63B: :data:`kiosk.store.lockouts.HARD_CAP_FAILURES`);
the kiosk tells the person at the screen to ask the station staff. ``unlock`` is that reset:
it clears the failure counter and any lock, shorter locks included, and writes an audit entry
(``admin.pin_unlock`` for the admin PIN, ``pins.unlock`` otherwise) in the same transaction.
It changes no PIN. ``status`` prints the counter and the lock and changes nothing.

A room is given as building-unit-room numbers, as visitor passes name homes: ``3-2-501``.

Exit status 0; 1 when there is no such volunteer; 2 on usage, configuration or database
errors.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final, TextIO

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from kiosk.cli._common import (
    EXIT_FAILED,
    EXIT_OK,
    Failure,
    Invocation,
    add_config_argument,
    database_failed,
    positive_int,
    run_database_command,
)
from kiosk.config import Settings
from kiosk.services.admin_auth import AdminAuth
from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from kiosk.store.lockouts import (
    LockoutState,
    is_permanent,
    lockout_state,
    room_subject,
    unlock,
    volunteer_subject,
)
from kiosk.store.models import Building, Household, Unit, Volunteer

__all__ = ["EVENT_UNLOCK", "main"]

EVENT_UNLOCK: Final = "pins.unlock"
_DB_FAILED: Final = "the station database failed, nothing changed"
_ROOM = re.compile(r"([0-9A-Za-z]{1,16})-([0-9A-Za-z]{1,16})-([0-9A-Za-z]{1,16})")


@dataclass(frozen=True, slots=True)
class _Room:
    building: str
    unit: str
    room: str

    @property
    def code(self) -> str:
        return f"{self.building}-{self.unit}-{self.room}"


def _room(text: str) -> _Room:
    match = _ROOM.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError("a room is building-unit-room, e.g. 3-2-501")
    return _Room(*match.groups())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="community-kiosk pins",
        description="Show or reset the lockout of the admin PIN, a volunteer PIN or a room.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("status", "print the failure count and lock (changes nothing)"),
        ("unlock", "clear the failures and any lock, the 100-failure lock too (audited)"),
    ):
        command = commands.add_parser(name, help=help_text)
        which = command.add_mutually_exclusive_group(required=True)
        which.add_argument("--admin", action="store_true", help="the station admin PIN")
        which.add_argument(
            "--volunteer",
            type=positive_int("volunteer id"),
            metavar="ID",
            help="a volunteer's PIN, by volunteer id",
        )
        which.add_argument(
            "--room",
            type=_room,
            metavar="B-U-R",
            help="room + phone digit identification of one home, e.g. 3-2-501",
        )
        add_config_argument(command)
    return parser


def _describe(failures: int, until: datetime | None) -> str:
    if until is None:
        return f"{failures} consecutive failures, not locked"
    if is_permanent(until):
        return f"{failures} consecutive failures, locked until unlocked by staff"
    return f"{failures} consecutive failures, locked until {until.isoformat(timespec='seconds')}"


def _admin(db: Database, settings: Settings, command: str, out: TextIO) -> int:
    auth = AdminAuth(db, settings.admin, AuditLog(db))
    if command == "status":
        state = auth.lock_state()
        out.write(f"admin PIN: {_describe(state.failures, state.locked_until)}\n")
        return EXIT_OK
    before = auth.unlock(operator="cli")
    out.write(f"admin PIN unlocked (was: {_describe(before.failures, before.locked_until)})\n")
    return EXIT_OK


def _household_id(db: Database, room: _Room) -> int | None:
    with db.session(write=False) as session:
        return session.scalar(
            select(Household.id)
            .join(Unit, Household.unit_id == Unit.id)
            .join(Building, Unit.building_id == Building.id)
            .where(
                Building.number == room.building,
                Unit.number == room.unit,
                Household.room == room.room,
            )
        )


def _subject(
    db: Database, args: argparse.Namespace, err: TextIO
) -> tuple[str, str, dict[str, str | int | bool]] | int:
    """(lockout subject, name for the output, audit detail) or an exit code."""
    if args.volunteer is not None:
        volunteer_id: int = args.volunteer
        with db.session(write=False) as session:
            exists = session.get(Volunteer, volunteer_id) is not None
        if not exists:
            err.write(f"error: no volunteer with id {volunteer_id}\n")
            return EXIT_FAILED
        detail: dict[str, str | int | bool] = {"subject": "volunteer", "volunteer_id": volunteer_id}
        return volunteer_subject(volunteer_id), f"volunteer {volunteer_id} PIN", detail
    room: _Room = args.room
    detail = {"subject": "room"}
    household = _household_id(db, room)
    if household is not None:
        # NOTE: the household id, not the address: audit details carry no personal data.
        detail["household_id"] = household
    return room_subject(room.building, room.unit, room.room), f"room {room.code}", detail


def _other(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    found = _subject(db, args, err)
    if isinstance(found, int):
        return found
    subject, name, detail = found
    if args.command == "status":
        with db.session(write=False) as session:
            state = lockout_state(session, subject)
        out.write(f"{name}: {_describe(state.failures, state.locked_until)}\n")
        return EXIT_OK
    with db.session() as session:
        before: LockoutState = unlock(session, subject)
        AuditLog(db).append(
            EVENT_UNLOCK,
            actor_kind="admin",
            detail=detail
            | {
                "result": "success",
                "via": "cli",
                "failures": before.failures,
                "was_locked": before.locked_until is not None,
                "permanent": before.permanent,
            },
            session=session,
        )
    out.write(f"{name} unlocked (was: {_describe(before.failures, before.locked_until)})\n")
    return EXIT_OK


def main(
    argv: list[str],
    *,
    settings: Settings | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run ``community-kiosk pins`` with ``argv`` (the words after ``pins``)."""
    return run_database_command(
        _parser(),
        argv,
        _run,
        settings=settings,
        out=out,
        err=err,
        migrate=False,
        failures=(
            Failure(
                SQLAlchemyError, database_failed("the station database failed, nothing changed")
            ),
        ),
    )


def _run(run: Invocation) -> int:
    if run.args.admin:
        return _admin(run.db, run.settings, run.args.command, run.out)
    return _other(run.db, run.args, run.out, run.err)
