from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from kiosk.store.db import MIGRATIONS_DIR, Database, alembic_config
from kiosk.store.models import Building, Community, Notice, Setting


@pytest.mark.sqlite_only
def test_sqlite_connections_get_the_pragmas(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_parent_directory_is_created(tmp_path: Path) -> None:
    path = tmp_path / "data" / "nested" / "kiosk.db"
    database = Database.sqlite_file(path, migrate=True)
    try:
        assert path.is_file()
    finally:
        database.dispose()


def test_url_string_is_accepted(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'x' / 'k.db'}")
    try:
        database.migrate()
        assert database.is_sqlite
        assert "k.db" in repr(database)
    finally:
        database.dispose()


def test_session_commits_on_success(db: Database) -> None:
    with db.session() as session:
        session.add(Setting(key="k", value="v"))
    with db.session(write=False) as session:
        assert session.get(Setting, "k") is not None


def test_session_rolls_back_on_error(db: Database) -> None:

    def failing_work() -> None:
        with db.session() as session:
            session.add(Setting(key="k", value="v"))
            session.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        failing_work()
    with db.session(write=False) as session:
        assert session.get(Setting, "k") is None


def test_objects_stay_readable_after_the_session(db: Database) -> None:
    with db.session() as session:
        setting = Setting(key="k", value="v")
        session.add(setting)
    assert setting.value == "v"


def _try_write_lock(path: Path) -> bool:
    """Whether another process-like connection can take the write lock right now."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    else:
        other.execute("ROLLBACK")
        return True
    finally:
        other.close()


def test_write_session_takes_the_write_lock_at_begin(tmp_path: Path) -> None:
    database = Database.for_tests(tmp_path)
    path = tmp_path / "kiosk-test.db"
    try:
        with database.session() as session:
            session.execute(select(Setting)).all()  # a read only, yet the lock is held
            assert not _try_write_lock(path)
        assert _try_write_lock(path)
        with database.session(write=False) as session:
            session.execute(select(Setting)).all()
            assert _try_write_lock(path)  # readers never block writers
    finally:
        database.dispose()


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(Building(community_id="nowhere", number="1", name="1栋"))


def test_timestamps_come_back_aware_utc(db: Database) -> None:
    beijing = timezone(timedelta(hours=8))
    published = datetime(2025, 5, 1, 9, 30, 15, 123456, tzinfo=beijing)
    with db.session() as session:
        session.add(Community(id="c", name="测试社区"))
        session.add(
            Notice(community_id="c", title="t", body="b", published_at=published, pinned=False)
        )
    with db.session(write=False) as session:
        stored = session.scalars(select(Notice)).one().published_at
    assert stored == published
    assert stored.tzinfo == UTC
    assert stored.hour == 1


def test_naive_timestamps_are_refused(db: Database) -> None:
    with db.session() as session:
        session.add(Community(id="c", name="测试社区"))
    naive = datetime(2025, 5, 1, 9, 30)  # naive on purpose
    notice = Notice(community_id="c", title="t", body="b", published_at=naive, pinned=False)

    def store() -> None:
        with db.session() as session:
            session.add(notice)

    with pytest.raises(StatementError, match="naive"):
        store()


def test_migrate_is_repeatable_and_needs_no_ini(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no alembic.ini anywhere near
    database = Database.sqlite_file(tmp_path / "k.db")
    try:
        database.migrate()
        database.migrate()
        with database.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == "0003"  # the newest revision (0003_visitors)
    finally:
        database.dispose()


def test_alembic_config_points_at_the_packaged_migrations() -> None:
    cfg = alembic_config("sqlite:///x%20y.db")
    assert cfg.get_main_option("script_location") == str(MIGRATIONS_DIR)
    assert cfg.get_main_option("sqlalchemy.url") == "sqlite:///x%20y.db"
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()


def test_two_kiosks_starting_together_migrate_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    databases = [Database.sqlite_file(path), Database.sqlite_file(path)]
    errors: list[BaseException] = []

    def start(database: Database) -> None:
        try:
            database.migrate()
        except BaseException as exc:  # collected and checked below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(d,)) for d in databases]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        for database in databases:
            database.dispose()
    assert errors == []
