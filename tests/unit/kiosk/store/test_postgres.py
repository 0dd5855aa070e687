"""PostgreSQL-only checks of the store: triggers, migrations, concurrent writers.

The shared tests run on both databases through the parametrized ``db`` fixture; these cover
what only exists, or only goes wrong, on a PostgreSQL server that several kiosks share. They
use the session's test server (:mod:`tests.helpers.postgres`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, insert, inspect, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError

import kiosk
from kiosk.config import AdminConfig
from kiosk.services.admin_auth import AdminAuth
from kiosk.services.audit import AuditLog, entry_hash
from kiosk.services.help import HelpService
from kiosk.store.db import Database, alembic_config
from kiosk.store.models import AuditEvent, Base, Community, HelpRequest, Notice
from tests.helpers.postgres import (
    PostgresServer,
    open_test_database,
    postgres_skipped,
    shared_server,
)

pytestmark = pytest.mark.skipif(postgres_skipped(), reason="KIOSK_SKIP_POSTGRES=1")

# The children import the same ``kiosk`` package as this process.
CHILD_ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(
        filter(None, [str(Path(kiosk.__file__).parent.parent), os.environ.get("PYTHONPATH")])
    ),
}
AUDIT_TRIGGERS = {"trg_audit_events_no_update_delete", "trg_audit_events_no_truncate"}
NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
PIN = "204863"
WRONG = "999000"


@pytest.fixture
def server(request: pytest.FixtureRequest) -> PostgresServer:
    return shared_server(request.config)


@pytest.fixture
def empty_url(server: PostgresServer) -> Iterator[URL]:
    """An empty database nobody has migrated yet."""
    name = server.acquire_database()
    yield server.url(name)
    server.release_database(name)


@pytest.fixture
def pg(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with open_test_database("postgresql", tmp_path, request.config) as database:
        yield database


def _head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _diff(database: Database) -> list[object]:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def _audit_triggers(conn: Connection) -> set[str]:
    rows = conn.execute(
        text(
            "SELECT tgname FROM pg_trigger"
            " WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal"
        )
    )
    return set(rows.scalars())


def _schema_snapshot(database: Database) -> dict[str, object]:
    """Everything a migration creates, in comparable form."""
    with database.engine.connect() as conn:
        objects = conn.execute(
            text(
                "SELECT c.relkind::text, c.relname FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
            )
        ).all()
        constraints = conn.execute(
            text(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
                " FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
            )
        ).all()
        triggers = conn.execute(
            text("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal")
        ).all()
        functions = conn.execute(
            text("SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace")
        ).all()
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    return {
        "objects": sorted(map(tuple, objects)),
        "constraints": sorted(map(tuple, constraints)),
        "triggers": sorted(map(tuple, triggers)),
        "functions": sorted(map(tuple, functions)),
        "versions": sorted(map(tuple, versions)),
    }


# ------------------------------------------------------------------ the test server


def test_a_recycled_database_is_as_good_as_a_fresh_one(
    server: PostgresServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The fixture recycles databases (tests.helpers.postgres): nothing of a test survives."""
    with open_test_database("postgresql", tmp_path, request.config) as first:
        name = first.url.database
        with first.session() as session:
            session.add(Community(id="c", name="测试社区"))
            session.flush()
            session.add(Notice(community_id="c", title="t", body="b", published_at=NOW))
        AuditLog(first).append("test.event", actor_kind="system")
    with open_test_database("postgresql", tmp_path, request.config) as second:
        assert second.url.database == name  # the same database, emptied
        assert AuditLog(second).count() == 0
        with second.session() as session:
            assert session.scalars(select(Community)).all() == []
            session.add(Community(id="c", name="测试社区"))
            session.flush()
            notice = Notice(community_id="c", title="t", body="b", published_at=NOW)
            session.add(notice)
            session.flush()
            assert notice.id == 1  # sequences restarted
        AuditLog(second).append("test.event", actor_kind="system")
        with pytest.raises(DBAPIError, match="append-only"), second.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM audit_events")
        # A test that changes the schema gets its database emptied completely afterwards.
        with second.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
    assert name in server._free
    assert name not in server._migrated_free
    with open_test_database("postgresql", tmp_path, request.config) as third:
        with third.engine.connect() as conn:
            assert _audit_triggers(conn) == AUDIT_TRIGGERS
            enabled = conn.execute(
                text(
                    "SELECT DISTINCT tgenabled::text FROM pg_trigger"
                    " WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal"
                )
            ).scalars()
            assert list(enabled) == ["O"]
        assert _diff(third) == []


# ------------------------------------------------------------------ migrations


def test_urls_point_at_the_private_socket(pg: Database, server: PostgresServer) -> None:
    assert pg.url.get_backend_name() == "postgresql"
    assert pg.url.get_driver_name() == "psycopg"
    assert pg.url.query["host"] == str(server.base)
    assert not pg.is_sqlite
    with pg.engine.connect() as conn:
        assert conn.execute(text("SHOW listen_addresses")).scalar() == ""
        assert conn.execute(text("SHOW server_encoding")).scalar() == "UTF8"


def test_migration_creates_every_table_and_the_audit_triggers(pg: Database) -> None:
    tables = set(inspect(pg.engine).get_table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    with pg.engine.connect() as conn:
        assert _audit_triggers(conn) == AUDIT_TRIGGERS
        functions = conn.execute(
            text("SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace")
        ).scalars()
        assert "audit_events_append_only" in set(functions)
        kind = conn.execute(
            text(
                "SELECT data_type FROM information_schema.columns"
                " WHERE table_name = 'audit_events' AND column_name = 'at'"
            )
        ).scalar()
        assert kind == "timestamp with time zone"
    assert _diff(pg) == []


def test_migrating_twice_changes_nothing(empty_url: URL) -> None:
    database = Database(empty_url)
    try:
        database.migrate()
        first = _schema_snapshot(database)
        database.migrate()
        assert _schema_snapshot(database) == first
        assert first["versions"] == [(_head_revision(),)]
        assert _diff(database) == []
    finally:
        database.dispose()


def test_downgrade_to_base_and_upgrade_again(pg: Database) -> None:
    before = _schema_snapshot(pg)
    cfg = alembic_config()
    with pg.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(pg.engine).get_table_names()) == {"alembic_version"}
    after_downgrade = _schema_snapshot(pg)
    assert after_downgrade["triggers"] == []
    assert after_downgrade["functions"] == []
    pg.migrate()
    assert _schema_snapshot(pg) == before
    assert _diff(pg) == []


_MIGRATE_CHILD = textwrap.dedent(
    """
    import sys
    from kiosk.store.db import Database

    database = Database(sys.argv[1])
    database.ping()  # connected before the start signal, so both start together
    print("ready", flush=True)
    sys.stdin.readline()
    database.migrate()
    database.dispose()
    print("done", flush=True)
    """
)


def test_two_processes_migrating_at_once(empty_url: URL) -> None:
    """Two kiosks starting together against an empty shared database: one migrates, the
    other waits and then finds nothing to do. Neither fails."""
    url = empty_url.render_as_string(hide_password=False)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATE_CHILD, url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=CHILD_ENV,
        )
        for _ in range(3)
    ]
    try:
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        results = [child.communicate(timeout=60) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    for child, (out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err[-3000:]
        assert out.strip() == "done"
    database = Database(empty_url)
    try:
        assert _schema_snapshot(database)["versions"] == [(_head_revision(),)]
        assert _diff(database) == []
    finally:
        database.dispose()


# ------------------------------------------------------------------ audit log


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET detail = '{}' WHERE seq = 1",
        "UPDATE audit_events SET seq = seq + 100",
        "DELETE FROM audit_events WHERE seq = 2",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ],
)
def test_audit_log_is_append_only(pg: Database, statement: str) -> None:
    log = AuditLog(pg)
    for i in range(3):
        log.append("test.event", actor_kind="system", detail={"i": i})
    head = log.head()
    # The test role is a superuser: the triggers hold even for it.
    with pytest.raises(DBAPIError, match="append-only"), pg.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert log.count() == 3
    assert log.verify(known_head=head) is None


def _run_together(workers: list[Callable[[], None]]) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(workers))

    def run(work: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=30)
            work()
        except BaseException as exc:  # collected and checked by the caller
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return errors


def test_concurrent_appenders_keep_one_chain(pg: Database) -> None:
    """Four writers on two connection pools (two kiosks) append at once: one linear chain."""
    second = Database(pg.url)
    per_writer = 40
    try:

        def writer(database: Database, name: str) -> Callable[[], None]:
            def work() -> None:
                log = AuditLog(database)
                for i in range(per_writer):
                    log.append("test.concurrent", actor_kind="system", detail={"w": name, "i": i})

            return work

        errors = _run_together(
            [writer(pg, "a1"), writer(pg, "a2"), writer(second, "b1"), writer(second, "b2")]
        )
    finally:
        second.dispose()
    assert errors == []
    log = AuditLog(pg)
    assert log.count() == 4 * per_writer
    assert log.verify() is None
    with pg.session(write=False) as session:
        rows = session.execute(
            select(AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash).order_by(AuditEvent.seq)
        ).all()
    assert [row.seq for row in rows] == list(range(1, 4 * per_writer + 1))
    assert len({row.prev_hash for row in rows}) == len(rows)  # no two entries share a parent


def test_a_writer_that_skips_the_lock_cannot_fork_the_chain(pg: Database) -> None:
    """Two transactions that both read the same head and insert after it: the second fails."""
    log = AuditLog(pg)
    head = log.append("test.event", actor_kind="system")

    def forked_insert(conn: Connection, tag: str) -> None:
        at = head.at
        digest = entry_hash(
            seq=2,
            at=at,
            event_type=tag,
            actor_kind="system",
            actor_id=None,
            on_behalf_of=None,
            detail_json="{}",
            prev_hash=head.hash,
        )
        conn.execute(
            insert(AuditEvent).values(
                seq=2,
                at=at,
                event_type=tag,
                actor_kind="system",
                detail="{}",
                prev_hash=head.hash,
                hash=digest,
            )
        )

    with pg.engine.connect() as first, pg.engine.connect() as other:
        first.begin()
        other.begin()
        other.execute(text("SET LOCAL lock_timeout = '10s'"))
        forked_insert(first, "fork.a")
        outcome: list[BaseException | None] = []

        def second_insert() -> None:
            try:
                forked_insert(other, "fork.b")
            except BaseException as exc:  # checked below
                outcome.append(exc)
            else:
                outcome.append(None)

        waiter = threading.Thread(target=second_insert)
        waiter.start()  # blocks on the uncommitted unique key ...
        first.commit()  # ... and fails once it is committed
        waiter.join(timeout=30)
        other.rollback()
    assert len(outcome) == 1
    assert isinstance(outcome[0], IntegrityError)
    assert log.count() == 2
    assert log.verify() is None


# ------------------------------------------------------------------ read-then-write services


def test_concurrent_wrong_pins_on_two_kiosks_all_count(pg: Database) -> None:
    """Every wrong PIN counts, even when two kiosks sharing the database check at once."""
    cfg = AdminConfig(max_failures=10, lockout_s=900, lockout_max_s=3600)
    AdminAuth(pg, cfg, AuditLog(pg)).set_pin(PIN)
    second = Database(pg.url)
    per_kiosk = 2  # 4 × 2 + 1 attempts stay below max_failures: no lock gets in the way
    try:

        def kiosk(database: Database) -> Callable[[], None]:
            auth = AdminAuth(database, cfg, AuditLog(database))

            def work() -> None:
                for _ in range(per_kiosk):
                    assert not auth.verify(WRONG).ok

            return work

        errors = _run_together([kiosk(pg), kiosk(pg), kiosk(second), kiosk(second)])
    finally:
        second.dispose()
    assert errors == []
    after = AdminAuth(pg, cfg, AuditLog(pg)).verify(WRONG)
    assert after.failures == 4 * per_kiosk + 1
    assert AuditLog(pg).verify() is None


def test_a_retried_help_call_racing_itself_is_stored_once(pg: Database) -> None:
    """The same call (same request id) sent by two kiosks at the same moment."""
    second = Database(pg.url)
    key = "6f1c2b4e-3d5a-4c7b-9e8f-0a1b2c3d4e5f"
    tickets: list[object] = []
    try:

        def kiosk(database: Database) -> Callable[[], None]:
            service = HelpService(database, AuditLog(database), "station-01")

            def work() -> None:
                tickets.append(service.request("home", "standard", request_id=key))

            return work

        errors = _run_together([kiosk(pg), kiosk(second)] * 2)
    finally:
        second.dispose()
    assert errors == []
    assert len(set(tickets)) == 1
    with pg.session(write=False) as session:
        assert len(session.scalars(select(HelpRequest)).all()) == 1
    assert AuditLog(pg).count() == 1
