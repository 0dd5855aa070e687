"""A throw-away PostgreSQL server for the store and service tests, and the ``db`` fixture glue.

One server per pytest session, started the first time a test needs it:

* ``initdb`` into a fresh temporary directory (``kiosk-pg-*`` under the temp dir), run as an
  unprivileged system user: ``kioskpg``, created with ``useradd --system`` when the tests run
  as root (CI does) and it is missing. PostgreSQL refuses to run as root. Not root: the
  current user runs it. Trust authentication, one database role ``kioskpg``.
* ``postgres`` listens on a Unix socket in that directory only (``listen_addresses=''``;
  the directory is mode 0700, so only its owner and root can connect), on a free port
  number (it only names the socket file). Durability settings are off (``fsync``,
  ``synchronous_commit``, ``full_page_writes``): the data dir is thrown away afterwards.
* The server process gets a parent-death signal (``setpriv --pdeathsig``), so a pytest
  that is killed does not leave it running. At session end it is stopped (SIGINT: fast
  shutdown) and the directory removed.
* Each test gets a database of its own: ``CREATE DATABASE kiosk_<n> TEMPLATE template0``,
  migrated by ``Database.migrate()`` when the test wants the schema. Creating a database
  costs 30 to 300 ms on these machines and migrating one ≈ 200 ms, so databases are recycled
  (:meth:`PostgresServer.release_database`): after a test its connections are ended; if its
  schema is still exactly the freshly migrated one (a catalog fingerprint) its rows are
  deleted and it serves the next test that wants a migrated database, otherwise its schemas
  are dropped and it serves as an empty one. Two tests never share a database at once.

The server binaries are looked for in ``$KIOSK_PG_BINDIR``, ``/usr/lib/postgresql/<newest>/bin``
and ``PATH``. Missing binaries fail the PostgreSQL tests with a message naming the Debian
package; ``KIOSK_SKIP_POSTGRES=1`` opts out (the PostgreSQL variants are skipped).

Test modules use it through :func:`database_params` (the ``db`` fixture's params),
:func:`open_test_database` and :func:`deselect_sqlite_only`, see the conftest files.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import URL

from kiosk.store.db import Database

__all__ = [
    "APT_PACKAGE",
    "BACKENDS",
    "PG_ROLE",
    "SERVICE_USER",
    "SKIP_ENV",
    "SQLITE_ONLY_MARKER",
    "PostgresServer",
    "PostgresUnavailableError",
    "database_params",
    "deselect_sqlite_only",
    "open_test_database",
    "postgres_skipped",
    "register_markers",
    "shared_server",
]

SKIP_ENV = "KIOSK_SKIP_POSTGRES"
BINDIR_ENV = "KIOSK_PG_BINDIR"
APT_PACKAGE = "postgresql"  # Debian 12: pulls postgresql-15
SERVICE_USER = "kioskpg"
PG_ROLE = "kioskpg"
BACKENDS = ("sqlite", "postgresql")
SQLITE_ONLY_MARKER = "sqlite_only"

_READY_TIMEOUT_S = 30.0
_STOP_TIMEOUT_S = 10.0
_SERVER_SETTINGS = (
    "listen_addresses=",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=200",
    "log_min_messages=warning",
)


class PostgresUnavailableError(RuntimeError):
    """The test server cannot be started (binaries missing, no unprivileged user, ...)."""


def postgres_skipped() -> bool:
    """Whether the developer opted out of the PostgreSQL tests (``KIOSK_SKIP_POSTGRES=1``)."""
    return os.environ.get(SKIP_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``postgres``, or ``None``."""
    candidates: list[Path] = []
    if override := os.environ.get(BINDIR_ENV):
        candidates.append(Path(override))
    versions = Path("/usr/lib/postgresql")
    if versions.is_dir():
        numbered = [p for p in versions.iterdir() if p.name.isdigit()]
        candidates += [p / "bin" for p in sorted(numbered, key=lambda p: int(p.name), reverse=True)]
    if found := shutil.which("initdb"):
        candidates.append(Path(found).parent)
    for directory in candidates:
        if all(os.access(directory / tool, os.X_OK) for tool in ("initdb", "postgres")):
            return directory
    return None


def _ensure_service_user() -> pwd.struct_passwd:
    """The unprivileged account that runs the server (root only), created if missing."""
    with contextlib.suppress(KeyError):
        return pwd.getpwnam(SERVICE_USER)
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    result = subprocess.run(
        [
            useradd,
            "--system",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            "--comment",
            "community kiosk test PostgreSQL",
            SERVICE_USER,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    try:  # another test run may have created it at the same moment
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        raise PostgresUnavailableError(
            f"running as root and cannot create the system user {SERVICE_USER!r} for "
            f"PostgreSQL (which refuses to run as root): {result.stderr.strip()}"
        ) from None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _traversable_by_others(path: Path) -> bool:
    return all(
        os.stat(parent).st_mode & 0o001 for parent in [path, *path.parents] if parent.exists()
    )


class PostgresServer:
    """One private PostgreSQL server in a temporary directory (see the module docstring).

    Args:
        bindir: Directory with ``initdb`` and ``postgres``.
    """

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.base: Path | None = None
        self.port = 0
        self.startup_s = 0.0
        self._process: subprocess.Popen[bytes] | None = None
        self._prefix: list[str] = []
        self._names = itertools.count(1)
        self._free: list[str] = []
        self._migrated_free: list[str] = []
        self._clean_fingerprint: str | None = None
        self._no_migrated_reuse = False
        self._lock = threading.Lock()

    # -------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """initdb, start, wait until it accepts connections (raises PostgresUnavailableError)."""
        started = time.perf_counter()
        owner = self._choose_owner()
        tmp_root = Path(tempfile.gettempdir())
        if owner is not None and not _traversable_by_others(tmp_root):
            tmp_root = Path("/tmp")  # the server user must reach its directory
        self.base = Path(tempfile.mkdtemp(prefix="kiosk-pg-", dir=tmp_root))
        if owner is not None:
            os.chown(self.base, owner.pw_uid, owner.pw_gid)
        self.port = _free_port()
        data = self.base / "data"
        self._run_as_owner(
            [
                str(self.bindir / "initdb"),
                "--pgdata",
                str(data),
                "--username",
                PG_ROLE,
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C",
                "--no-sync",
                "--no-instructions",
            ],
            what="initdb",
        )
        log_file = (self.base / "postgres.log").open("wb")
        command = [
            *self._prefix,
            str(self.bindir / "postgres"),
            "-D",
            str(data),
            "-k",
            str(self.base),
            "-p",
            str(self.port),
        ]
        for setting in _SERVER_SETTINGS:
            command += ["-c", setting]
        with log_file:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                cwd=self.base,
                start_new_session=True,  # Ctrl-C in the terminal goes to pytest, not here
            )
        self._wait_ready()
        self.startup_s = time.perf_counter() - started

    def _choose_owner(self) -> pwd.struct_passwd | None:
        """Set the command prefix that drops privileges; the account, if it is another one."""
        setpriv = shutil.which("setpriv")
        if os.geteuid() != 0:
            # Already unprivileged: run as ourselves, only ask for the parent-death signal.
            self._prefix = [setpriv, "--pdeathsig", "SIGINT"] if setpriv else []
            return None
        owner = _ensure_service_user()
        if setpriv:
            self._prefix = [
                setpriv,
                f"--reuid={owner.pw_uid}",
                f"--regid={owner.pw_gid}",
                "--init-groups",
                "--pdeathsig",
                "SIGINT",
            ]
        else:
            runuser = shutil.which("runuser") or "/usr/sbin/runuser"
            self._prefix = [runuser, "-u", owner.pw_name, "--"]
        return owner

    def _run_as_owner(self, command: Sequence[str], *, what: str) -> None:
        assert self.base is not None
        result = subprocess.run(
            [*self._prefix, *command],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            cwd=self.base,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise PostgresUnavailableError(
                f"{what} failed ({result.returncode}): {result.stderr.strip()[-2000:]}"
            )

    def _wait_ready(self) -> None:
        import psycopg  # the project's ``postgres`` extra

        deadline = time.monotonic() + _READY_TIMEOUT_S
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise PostgresUnavailableError(
                    f"postgres exited with {self._process.returncode}: {self.log_tail()}"
                )
            try:
                psycopg.connect(**self._connect_args("postgres"), connect_timeout=2).close()
            except psycopg.OperationalError as exc:
                last_error = exc
                time.sleep(0.02)
            else:
                return
        self.stop()
        raise PostgresUnavailableError(
            f"postgres not ready after {_READY_TIMEOUT_S} s: {last_error}"
        )

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then remove the directory. Safe to call twice."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=_STOP_TIMEOUT_S)
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)
            self.base = None

    def log_tail(self, chars: int = 2000) -> str:
        if self.base is None:
            return ""
        try:
            return (self.base / "postgres.log").read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    # -------------------------------------------------------------- databases

    def _connect_args(self, dbname: str) -> dict[str, Any]:
        assert self.base is not None
        return {"host": str(self.base), "port": self.port, "user": PG_ROLE, "dbname": dbname}

    def url(self, dbname: str) -> URL:
        """``postgresql+psycopg://kioskpg@/<dbname>?host=<socket dir>&port=<port>``."""
        assert self.base is not None
        return URL.create(
            "postgresql+psycopg",
            username=PG_ROLE,
            database=dbname,
            query={"host": str(self.base), "port": str(self.port)},
        )

    def admin(self, *statements: str) -> None:
        """Run statements in autocommit on the ``postgres`` database (CREATE DATABASE, ...)."""
        import psycopg

        with psycopg.connect(**self._connect_args("postgres"), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement.encode())

    def create_database(self) -> str:
        """A new, empty database (``CREATE DATABASE ... TEMPLATE template0``); its name."""
        with self._lock:
            name = f"kiosk_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE template0")
        return name

    def acquire_database(self) -> str:
        """An empty database for one test: a recycled one (see :meth:`release_database`)
        or a new one. Creating a database costs 30 to 300 ms here, recycling ≈ 10 ms."""
        with self._lock:
            if self._free:
                return self._free.pop()
        return self.create_database()

    def acquire_migrated_database(self) -> tuple[str, bool]:
        """A database for a test that wants the schema: ``(name, needs_migrate)``.

        A recycled database that is already migrated (schema identical to a fresh
        migration, every table empty) comes back with ``needs_migrate=False``; otherwise an
        empty one, which the caller migrates and then reports with :meth:`note_migrated`.
        """
        with self._lock:
            if self._migrated_free:
                return self._migrated_free.pop(), False
        return self.acquire_database(), True

    def note_migrated(self, name: str) -> None:
        """``name`` was just migrated from empty: the first time, remember its schema
        fingerprint as the clean state (unless the migrations left rows behind, in which
        case migrated databases are never recycled as such)."""
        import psycopg

        with self._lock:
            if self._clean_fingerprint is not None or self._no_migrated_reuse:
                return
        with psycopg.connect(**self._connect_args(name), autocommit=True) as conn:
            fingerprint = _fingerprint(conn)
            seeded = any(
                conn.execute(f"SELECT EXISTS (SELECT FROM {table})".encode()).fetchone() == (True,)
                for table in _data_tables(conn)
            )
        with self._lock:
            if seeded:
                self._no_migrated_reuse = True
            elif self._clean_fingerprint is None:
                self._clean_fingerprint = fingerprint

    def release_database(self, name: str) -> None:
        """Make ``name`` ready for the next test, or drop it if that fails.

        Its connections are ended. If its schema is exactly the clean migrated one (same
        fingerprint: tables, columns, constraints, indexes, defaults, triggers and whether
        they are enabled, functions, schemas, alembic version), its rows are deleted
        (triggers off, so the append-only ones do not object) and its sequences restarted:
        as good as a fresh migration, ≈ 10 ms instead of ≈ 200. Otherwise every schema is
        dropped and ``public`` created again: as empty as a new copy of ``template0``.
        """
        import psycopg

        try:
            with psycopg.connect(**self._connect_args(name), autocommit=True) as conn:
                conn.execute(
                    b"SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    b" WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                clean = self._clean_fingerprint
                if clean is not None and _fingerprint(conn) == clean:
                    _delete_rows(conn)
                    pool = self._migrated_free
                else:
                    _drop_schemas(conn)
                    pool = self._free
        except psycopg.Error:
            self.drop_database(name)
            return
        with self._lock:
            pool.append(name)

    def drop_database(self, name: str) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"bad database name {name!r}")
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# ------------------------------------------------------------------ recycling databases

_PUBLIC_RELATIONS = "SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace"
_FINGERPRINT = f"""
SELECT md5(coalesce(string_agg(item, '|' ORDER BY item), '')) FROM (
  SELECT concat_ws(':', 'n', nspname) FROM pg_namespace
   WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
  UNION ALL SELECT concat_ws(':', 'c', relkind, relname) FROM pg_class
   WHERE relnamespace = 'public'::regnamespace
  UNION ALL SELECT concat_ws(':', 'a', attrelid::regclass, attname,
                             format_type(atttypid, atttypmod), attnotnull)
    FROM pg_attribute
   WHERE attrelid IN ({_PUBLIC_RELATIONS}) AND attnum > 0 AND NOT attisdropped
  UNION ALL SELECT concat_ws(':', 'd', adrelid::regclass, adnum, pg_get_expr(adbin, adrelid))
    FROM pg_attrdef WHERE adrelid IN ({_PUBLIC_RELATIONS})
  UNION ALL SELECT concat_ws(':', 'k', conrelid::regclass, conname, pg_get_constraintdef(oid))
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL SELECT concat_ws(':', 'i', pg_get_indexdef(indexrelid))
    FROM pg_index WHERE indrelid IN ({_PUBLIC_RELATIONS})
  UNION ALL SELECT concat_ws(':', 't', tgrelid::regclass, tgname, tgenabled, tgtype,
                             tgfoid::regprocedure)
    FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL SELECT concat_ws(':', 'p', oid::regprocedure, md5(prosrc))
    FROM pg_proc WHERE pronamespace = 'public'::regnamespace
  UNION ALL SELECT concat_ws(':', 'v', version_num) FROM public.alembic_version
) AS schema_items(item)
"""


def _fingerprint(conn: Any) -> str | None:
    """A hash of everything a migration creates; ``None`` without ``alembic_version``."""
    exists = conn.execute(b"SELECT to_regclass('public.alembic_version') IS NOT NULL")
    if exists.fetchone() != (True,):
        return None
    return str(conn.execute(_FINGERPRINT.encode()).fetchone()[0])


def _data_tables(conn: Any) -> list[str]:
    rows = conn.execute(
        b"SELECT quote_ident(relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
        b" AND relkind IN ('r', 'p') AND relname <> 'alembic_version'"
    )
    return [row[0] for row in rows]


def _delete_rows(conn: Any) -> None:
    """Delete every row but the alembic version; restart every sequence."""
    # Superuser only: no user triggers (append-only) and no foreign key checks fire.
    conn.execute(b"SET session_replication_role = replica")
    for table in _data_tables(conn):
        conn.execute(f"DELETE FROM {table}".encode())
    conn.execute(b"RESET session_replication_role")
    sequences = conn.execute(
        b"SELECT quote_ident(relname) FROM pg_class"
        b" WHERE relnamespace = 'public'::regnamespace AND relkind = 'S'"
    ).fetchall()
    for (sequence,) in sequences:
        conn.execute(f"ALTER SEQUENCE {sequence} RESTART".encode())


def _drop_schemas(conn: Any) -> None:
    schemas = conn.execute(
        b"SELECT quote_ident(nspname) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
        b" AND nspname <> 'information_schema'"
    ).fetchall()
    for (schema,) in schemas:
        conn.execute(f"DROP SCHEMA {schema} CASCADE".encode())
    conn.execute(b"CREATE SCHEMA public")


# ------------------------------------------------------------------ the session's server

_server: PostgresServer | None = None
_server_error: str | None = None
_server_lock = threading.Lock()


def _stop_shared() -> None:
    global _server
    server, _server = _server, None
    if server is not None:
        server.stop()


atexit.register(_stop_shared)


def shared_server(config: pytest.Config | None = None) -> PostgresServer:
    """The session's server, started on first use; stopped at the end of the session.

    Fails the calling test (``pytest.fail``) when it cannot be started, naming the Debian
    package when the binaries are missing. Callers check :func:`postgres_skipped` first.
    """
    global _server, _server_error
    with _server_lock:
        if _server is None and _server_error is None:
            bindir = find_bindir()
            if bindir is None:
                _server_error = (
                    "PostgreSQL server binaries (initdb, postgres) not found. Install the "
                    f"Debian package {APT_PACKAGE!r} (postgresql-15 on Debian 12): "
                    f"apt-get install {APT_PACKAGE}; or set {BINDIR_ENV}=<dir>; or opt out "
                    f"with {SKIP_ENV}=1."
                )
            else:
                server = PostgresServer(bindir)
                try:
                    server.start()
                except (PostgresUnavailableError, OSError, subprocess.SubprocessError) as exc:
                    server.stop()
                    _server_error = f"cannot start the test PostgreSQL server: {exc}"
                else:
                    _server = server
                    if config is not None:
                        config.add_cleanup(_stop_shared)
        if _server is None:
            pytest.fail(_server_error or "PostgreSQL test server unavailable", pytrace=False)
        return _server


# ------------------------------------------------------------------ fixture glue


def database_params() -> list[Any]:
    """Params for a database fixture: ``sqlite`` and ``postgresql`` (skipped if opted out)."""
    marks = [pytest.mark.skip(reason=f"{SKIP_ENV}=1")] if postgres_skipped() else []
    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=marks),
    ]


@contextlib.contextmanager
def open_test_database(
    backend: str, tmp_path: Path, config: pytest.Config | None = None, *, migrate: bool = True
) -> Iterator[Database]:
    """A fresh database of ``backend``, migrated unless told not to; disposed (and on
    PostgreSQL dropped) afterwards.

    SQLite: the file ``tmp_path / "kiosk-test.db"`` (as ``Database.for_tests``).
    """
    if backend == "sqlite":
        database = (
            Database.for_tests(tmp_path)
            if migrate
            else Database.sqlite_file(tmp_path / "kiosk-test.db")
        )
        try:
            yield database
        finally:
            database.dispose()
        return
    if backend != "postgresql":
        raise ValueError(f"unknown database backend {backend!r}")
    server = shared_server(config)
    if migrate:
        name, needs_migrate = server.acquire_migrated_database()
    else:
        name, needs_migrate = server.acquire_database(), False
    database = Database(server.url(name))
    try:
        if needs_migrate:
            database.migrate()
            server.note_migrated(name)
        yield database
    finally:
        database.dispose()
        server.release_database(name)


def register_markers(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{SQLITE_ONLY_MARKER}: SQLite-specific (pragmas, WAL, sqlite_master); "
        "the database fixture runs it on SQLite only",
    )


def deselect_sqlite_only(
    config: pytest.Config, items: list[pytest.Item], fixture: str = "db"
) -> None:
    """Drop the PostgreSQL variants of tests marked ``sqlite_only``."""
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get(fixture) == "postgresql"
        if on_postgres and item.get_closest_marker(SQLITE_ONLY_MARKER) is not None:
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
