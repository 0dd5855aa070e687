from __future__ import annotations

import io
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, inspect

from kiosk.store.db import Database, alembic_config
from kiosk.store.models import Base

ALL_TABLES = {
    "communities",
    "buildings",
    "units",
    "households",
    "residents",
    "volunteers",
    "notices",
    "help_requests",
    "audit_events",
    "settings",
    # 0002_platform
    "visits",
    "visit_photos",
    "pass_redemptions",
    "bills",
    "payments",
    "consents",
    "health_records",
    "points_ledger",
    "tutorial_progress",
    "outbox_events",
    "heartbeats",
    "lockouts",
    # 0003_visitors
    "issued_passes",
    "approvals",
    "deny_list",
    "host_notifications",
}


def _diff(database: Database, metadata: MetaData) -> list[object]:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_migrations_match_models(db: Database) -> None:
    assert _diff(db, Base.metadata) == []


def test_the_comparison_would_see_drift(db: Database) -> None:
    drifted = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(drifted)
    drifted.tables["settings"].append_column(Column("extra", String(10)))
    diff = _diff(db, drifted)
    assert len(diff) == 1
    assert "add_column" in repr(diff[0])


@pytest.mark.sqlite_only  # PostgreSQL: test_postgres.py
def test_migrations_create_every_table(db: Database) -> None:
    assert set(inspect(db.engine).get_table_names()) == ALL_TABLES | {"alembic_version"}
    with db.engine.connect() as conn:
        triggers = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'"
        ).scalars()
        assert set(triggers) == {"trg_audit_events_no_update", "trg_audit_events_no_delete"}


@pytest.mark.sqlite_only  # PostgreSQL: test_postgres.py
def test_downgrade_removes_everything(db: Database) -> None:
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
    with db.engine.connect() as conn:
        assert (
            conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
            ).scalar()
            == 0
        )
    db.migrate()
    assert _diff(db, Base.metadata) == []


def _offline_sql(url: str) -> str:
    buffer = io.StringIO()
    cfg = alembic_config(url)
    cfg.output_buffer = buffer
    command.upgrade(cfg, "head", sql=True)
    return buffer.getvalue()


def test_postgresql_gets_a_trigger_function() -> None:
    sql = _offline_sql("postgresql://kiosk@localhost/kiosk")
    assert "CREATE FUNCTION audit_events_append_only()" in sql
    assert "BEFORE UPDATE OR DELETE ON audit_events" in sql
    assert "BEFORE TRUNCATE ON audit_events" in sql
    assert "TIMESTAMP WITH TIME ZONE" in sql
    assert "RAISE(ABORT" not in sql


def test_sqlite_offline_sql_has_the_triggers(tmp_path: Path) -> None:
    sql = _offline_sql(f"sqlite:///{tmp_path / 'offline.db'}")
    assert sql.count("RAISE(ABORT, 'audit_events is append-only')") == 2
    assert "CREATE FUNCTION" not in sql
