"""Shared bits of the maintenance commands: ``--config``, settings, the database.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TextIO

from sqlalchemy.exc import SQLAlchemyError

from kiosk.config import ConfigError, Settings, load_settings
from kiosk.store.db import Database

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "KEYS_DIR",
    "Failure",
    "Invocation",
    "add_config_argument",
    "database_failed",
    "open_database",
    "parse_command",
    "positive_int",
    "resolve_settings",
    "run_database_command",
    "run_guarded",
    "show_error",
]

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_USAGE: Final = 2
KEYS_DIR: Final = "keys"


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help="configuration file (default: the kiosk's usual kiosk.toml)",
    )


def resolve_settings(args: argparse.Namespace, settings: Settings | None) -> Settings:
    """``settings`` if the caller passed them and no ``--config`` was given, else the file.

    Raises:
        kiosk.config.ConfigError: The file cannot be used.
    """
    config: Path | None = args.config
    if settings is not None and config is None:
        return settings
    return load_settings(config)


def parse_command(
    parser: argparse.ArgumentParser,
    argv: list[str],
    settings: Settings | None,
    err: TextIO,
) -> tuple[argparse.Namespace, Settings] | int:
    """Parse ``argv`` and resolve the settings, or the exit code to return.

    Usage errors return argparse's code (it has printed the usage message); a bad
    configuration is written to ``err`` and returns ``EXIT_USAGE``.
    """
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return args, resolve_settings(args, settings)
    except ConfigError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_USAGE


def open_database(settings: Settings, *, migrate: bool) -> Database:
    """The station database named by ``settings`` (migrated to the newest schema if asked)."""
    db = Database(settings.database_url())
    if migrate:
        db.migrate()
    return db


def positive_int(what: str) -> Callable[[str], int]:
    """An argparse ``type=`` for a whole number of at least 1, naming ``what`` in errors."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{what} must be at least 1")
        return value

    return parse


@dataclass(frozen=True, slots=True)
class Invocation:
    """One run of a maintenance command: its arguments, settings, database and streams."""

    args: argparse.Namespace
    settings: Settings
    db: Database
    out: TextIO
    err: TextIO


@dataclass(frozen=True, slots=True)
class Failure:
    """How a command reports an exception it expects: the line for ``err`` and the exit code."""

    errors: type[BaseException] | tuple[type[BaseException], ...]
    message: Callable[[BaseException], str]
    code: int = EXIT_USAGE


def show_error(exc: BaseException) -> str:
    """``error: <the exception's message>`` (for errors whose message holds no personal data)."""
    return f"error: {exc}"


def database_failed(what: str) -> Callable[[BaseException], str]:
    """``error: <what>: <exception class>``: database messages may hold data, so only the class."""

    def message(exc: BaseException) -> str:
        return f"error: {what}: {type(exc).__name__}"

    return message


def run_guarded(body: Callable[[], int], failures: Sequence[Failure], err: TextIO) -> int:
    """``body()``, or the exit code of the first of ``failures`` that matches what it raised
    (its message written to ``err``); anything else propagates."""
    try:
        return body()
    except Exception as exc:
        for failure in failures:
            if isinstance(exc, failure.errors):
                err.write(failure.message(exc) + "\n")
                return failure.code
        raise


def run_database_command(
    parser: argparse.ArgumentParser,
    argv: list[str],
    body: Callable[[Invocation], int],
    *,
    settings: Settings | None,
    out: TextIO | None,
    err: TextIO | None,
    migrate: bool,
    failures: Sequence[Failure],
) -> int:
    """The frame of a command that works on the station database.

    Parses ``argv`` and resolves the settings (:func:`parse_command`), opens the database
    (a failure there is ``EXIT_USAGE``), runs ``body`` under :func:`run_guarded` with
    ``failures`` and disposes of the database whatever happens.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    parsed = parse_command(parser, argv, settings, err)
    if isinstance(parsed, int):
        return parsed
    args, resolved = parsed
    try:
        db = open_database(resolved, migrate=migrate)
    except SQLAlchemyError as exc:
        err.write(database_failed("cannot open the station database")(exc) + "\n")
        return EXIT_USAGE
    try:
        return run_guarded(lambda: body(Invocation(args, resolved, db, out, err)), failures, err)
    finally:
        db.dispose()
