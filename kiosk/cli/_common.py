"""Shared bits of the maintenance commands: ``--config``, settings, the database.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Final, TextIO

from kiosk.config import ConfigError, Settings, load_settings
from kiosk.store.db import Database

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "KEYS_DIR",
    "add_config_argument",
    "open_database",
    "parse_command",
    "positive_int",
    "resolve_settings",
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
