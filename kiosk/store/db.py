"""The station database: engine, sessions and migrations.

SQLite (the embedded default) runs in WAL mode with ``synchronous=FULL``, so a transaction
that returned from commit survives a crash or a power cut (RELIABILITY.md cases 1 and 2).
PostgreSQL is used by URL when several kiosks share a station database; nothing outside the
SQLite branches below is SQLite-specific.

Transactions on SQLite: the ``sqlite3`` module's own transaction handling is switched off and
this module emits ``BEGIN`` itself, so every session is one real transaction (SELECTs included)
and write sessions start with ``BEGIN IMMEDIATE``. The write lock is then taken up front: two
kiosks sharing one file queue on ``busy_timeout`` instead of failing half-way through a
read-then-write (as the audit log's "read the last hash, append the next row" does).

Transactions on PostgreSQL: READ COMMITTED would let two kiosks interleave a read-then-write
(both read "4 failed PINs", both write 5; both see no help call with a retried id, both insert
it). So write transactions, migrations included, start by taking one transaction-level
advisory lock (``pg_advisory_xact_lock``), held until commit or rollback: writers queue as on
SQLite, and readers never wait.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

__all__ = ["BUSY_TIMEOUT_MS", "MIGRATIONS_DIR", "PG_WRITE_LOCK_KEY", "Database", "alembic_config"]

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000

_BEGIN_OPTION = "kiosk_sqlite_begin"
_PG_WRITE_LOCK_OPTION = "kiosk_pg_write_lock"
# The advisory lock key every write transaction takes on PostgreSQL (ASCII "kioskdb1").
PG_WRITE_LOCK_KEY = 0x6B696F736B646231

_SQLITE_PRAGMAS = (
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",  # first: switching to WAL may have to wait
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
)


def alembic_config(url: str | URL | None = None) -> Config:
    """An Alembic configuration built in code, pointing at the packaged migrations.

    There is no ``alembic.ini``: the script location is the ``migrations`` directory next to
    this module, so an installed kiosk migrates itself.
    """
    cfg = Config()
    # Config values go through ConfigParser interpolation: escape '%' in paths and URLs.
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if url is not None:
        rendered = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
        cfg.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return cfg


def _on_sqlite_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Take transaction control away from the sqlite3 module (see the module docstring).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            _execute_waiting(cursor, pragma)
    finally:
        cursor.close()


def _execute_waiting(cursor: Any, sql: str) -> None:
    """Run ``sql``, retrying while the database is locked, for up to ``BUSY_TIMEOUT_MS``.

    ``PRAGMA journal_mode=WAL`` fails at once with "database is locked" when another
    connection is opening the same new file; unlike other statements it does not wait
    for ``busy_timeout``. Two kiosks starting together hit this.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute(sql)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _on_sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def _on_postgresql_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(_PG_WRITE_LOCK_OPTION):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK_KEY})")


class Database:
    """One database, by SQLAlchemy URL.

    Attributes:
        url: The parsed URL.
        engine: The SQLAlchemy engine (shared connection pool).
        is_sqlite: The URL names SQLite (pragmas and ``BEGIN IMMEDIATE`` apply).
        is_postgresql: The URL names PostgreSQL (write transactions take the advisory lock).
    """

    def __init__(self, url: str | URL, *, echo: bool = False) -> None:
        self.url: URL = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.is_postgresql = self.url.get_backend_name() == "postgresql"
        if self.is_sqlite:
            _make_parent_dir(self.url)
        # A shared server may drop idle connections; SQLite connections cannot go stale.
        self.engine: Engine = create_engine(self.url, echo=echo, pool_pre_ping=not self.is_sqlite)
        self._write_engine: Engine = self.engine
        if self.is_sqlite:
            event.listen(self.engine, "connect", _on_sqlite_connect)
            event.listen(self.engine, "begin", _on_sqlite_begin)
            self._write_engine = self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        elif self.is_postgresql:
            event.listen(self.engine, "begin", _on_postgresql_begin)
            self._write_engine = self.engine.execution_options(**{_PG_WRITE_LOCK_OPTION: True})
        # expire_on_commit=False: objects read in a session stay readable after it closes.
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def sqlite_file(cls, path: Path, *, migrate: bool = False) -> Database:
        """A database in the SQLite file ``path`` (created with its directory if missing)."""
        db = cls(URL.create("sqlite", database=str(path)))
        if migrate:
            db.migrate()
        return db

    @classmethod
    def for_tests(cls, directory: Path) -> Database:
        """A migrated SQLite database in a file under ``directory`` (e.g. pytest's tmp_path).

        A file, not ``:memory:``, so WAL, locking and several connections behave as on a
        kiosk.
        """
        return cls.sqlite_file(directory / "kiosk-test.db", migrate=True)

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error.

        Args:
            write: The transaction may write. It then takes the write lock before the first
                read: ``BEGIN IMMEDIATE`` on SQLite, the advisory lock on PostgreSQL. Pass
                ``False`` for read-only work: it never waits for writers.
        """
        factory = self._write_sessions if write else self._read_sessions
        with factory() as session, session.begin():
            yield session

    def migrate(self, revision: str = "head") -> None:
        """Bring the schema up to ``revision`` (default: the newest) with Alembic.

        One transaction that holds the write lock from the start (SQLite: ``BEGIN
        IMMEDIATE``; PostgreSQL: the advisory lock), so two kiosks starting together migrate
        one after the other and the second finds nothing left to do.
        """
        cfg = alembic_config(self.url)
        with self._write_engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
        log.info("database schema at %s", revision)

    def ping(self) -> None:
        """Round-trip a trivial query; raises when the database cannot be reached."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        """Close every pooled connection (on SQLite this also checkpoints the WAL)."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"


def _make_parent_dir(url: URL) -> None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
