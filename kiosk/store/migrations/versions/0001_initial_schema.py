"""Initial schema: community tree, residents, volunteers, notices, help, audit, settings.

Also makes ``audit_events`` append-only with triggers that raise on UPDATE and DELETE (and
TRUNCATE on PostgreSQL).

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_APPEND_ONLY_MESSAGE = "audit_events is append-only"

_SQLITE_TRIGGERS = (
    (
        "trg_audit_events_no_update",
        "CREATE TRIGGER trg_audit_events_no_update BEFORE UPDATE ON audit_events "
        f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END",
    ),
    (
        "trg_audit_events_no_delete",
        "CREATE TRIGGER trg_audit_events_no_delete BEFORE DELETE ON audit_events "
        f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END",
    ),
)

_POSTGRESQL_FUNCTION = (
    "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{_APPEND_ONLY_MESSAGE}'; END $$"
)
_POSTGRESQL_TRIGGERS = (
    (
        "trg_audit_events_no_update_delete",
        "CREATE TRIGGER trg_audit_events_no_update_delete BEFORE UPDATE OR DELETE "
        "ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    ),
    (
        "trg_audit_events_no_truncate",
        "CREATE TRIGGER trg_audit_events_no_truncate BEFORE TRUNCATE "
        "ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
    ),
)


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "communities",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communities")),
    )
    op.create_table(
        "buildings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.String(32), nullable=False),
        sa.Column("number", sa.String(16), nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_buildings_community_id_communities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buildings")),
        sa.UniqueConstraint(
            "community_id", "number", name=op.f("uq_buildings_community_id_number")
        ),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["building_id"], ["buildings.id"], name=op.f("fk_units_building_id_buildings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("building_id", "number", name=op.f("uq_units_building_id_number")),
    )
    op.create_table(
        "households",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_households_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_households")),
        sa.UniqueConstraint("unit_id", "room", name=op.f("uq_households_unit_id_room")),
    )
    op.create_table(
        "residents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("phone_last4", sa.String(4), nullable=True),
        sa.Column("phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column("card_uid_hash", sa.String(64), nullable=True),
        sa.Column("is_elderly", sa.Boolean(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.CheckConstraint(
            "phone_last4 IS NULL OR length(phone_last4) = 4",
            name=op.f("ck_residents_phone_last4"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_residents_household_id_households"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_residents")),
        sa.UniqueConstraint("card_uid_hash", name=op.f("uq_residents_card_uid_hash")),
    )
    op.create_index(op.f("ix_residents_household_id"), "residents", ["household_id"], unique=False)
    op.create_table(
        "volunteers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("card_uid_hash", sa.String(64), nullable=True),
        sa.Column("pin_hash", sa.String(255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("role IN ('volunteer', 'staff')", name=op.f("ck_volunteers_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteers")),
        sa.UniqueConstraint("card_uid_hash", name=op.f("uq_volunteers_card_uid_hash")),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=True),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_notices_community_id_communities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    op.create_index(
        "ix_notices_community_published",
        "notices",
        ["community_id", "published_at"],
        unique=False,
    )
    op.create_table(
        "help_requests",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("screen_id", sa.String(64), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answered_at", _utc(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'answered')", name=op.f("ck_help_requests_status")),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_help_requests_volunteer_id_volunteers"),
        ),
        sa.ForeignKeyConstraint(
            ["answered_by"],
            ["volunteers.id"],
            name=op.f("fk_help_requests_answered_by_volunteers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_requests")),
    )
    op.create_index(
        "ix_help_requests_station_status",
        "help_requests",
        ["station_id", "status"],
        unique=False,
    )
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("actor_kind", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=True),
        sa.Column("on_behalf_of", sa.String(64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.CheckConstraint(
            "actor_kind IN ('resident', 'volunteer', 'admin', 'system')",
            name=op.f("ck_audit_events_actor_kind"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_events_prev_hash")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    _create_append_only_triggers()


def _create_append_only_triggers() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for _name, ddl in _SQLITE_TRIGGERS:
            op.execute(ddl)
    elif dialect == "postgresql":
        op.execute(_POSTGRESQL_FUNCTION)
        for _name, ddl in _POSTGRESQL_TRIGGERS:
            op.execute(ddl)
    else:
        # The audit log's tamper evidence depends on these triggers: refuse to go without.
        raise NotImplementedError(f"no append-only triggers for dialect {dialect!r}")


def _drop_append_only_triggers() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for name, _ddl in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        for name, _ddl in _POSTGRESQL_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")


def downgrade() -> None:
    _drop_append_only_triggers()
    op.drop_table("settings")
    op.drop_table("audit_events")
    op.drop_index("ix_help_requests_station_status", table_name="help_requests")
    op.drop_table("help_requests")
    op.drop_index("ix_notices_community_published", table_name="notices")
    op.drop_table("notices")
    op.drop_table("volunteers")
    op.drop_index(op.f("ix_residents_household_id"), table_name="residents")
    op.drop_table("residents")
    op.drop_table("households")
    op.drop_table("units")
    op.drop_table("buildings")
    op.drop_table("communities")
