"""Platform tables: visits and pass redemptions, bills and payments, consents and health
records, points ledger, tutorial progress, outbox, heartbeats, lockouts; ``residents`` gains
``id_number_enc``.

Also makes ``points_ledger`` append-only with triggers that raise on UPDATE and DELETE (and
TRUNCATE on PostgreSQL), like ``audit_events`` in 0001.

Revision ID: 0002
Revises: 0001
Create Date: 2025-03-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_APPEND_ONLY_MESSAGE = "points_ledger is append-only"

_SQLITE_TRIGGERS = (
    (
        "trg_points_ledger_no_update",
        "CREATE TRIGGER trg_points_ledger_no_update BEFORE UPDATE ON points_ledger "
        f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END",
    ),
    (
        "trg_points_ledger_no_delete",
        "CREATE TRIGGER trg_points_ledger_no_delete BEFORE DELETE ON points_ledger "
        f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MESSAGE}'); END",
    ),
)

_POSTGRESQL_FUNCTION = (
    "CREATE FUNCTION points_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{_APPEND_ONLY_MESSAGE}'; END $$"
)
_POSTGRESQL_TRIGGERS = (
    (
        "trg_points_ledger_no_update_delete",
        "CREATE TRIGGER trg_points_ledger_no_update_delete BEFORE UPDATE OR DELETE "
        "ON points_ledger FOR EACH ROW EXECUTE FUNCTION points_ledger_append_only()",
    ),
    (
        "trg_points_ledger_no_truncate",
        "CREATE TRIGGER trg_points_ledger_no_truncate BEFORE TRUNCATE "
        "ON points_ledger FOR EACH STATEMENT EXECUTE FUNCTION points_ledger_append_only()",
    ),
)

_LIVE_PAYMENT = "state IN ('pending', 'paid', 'unknown')"


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def upgrade() -> None:
    op.add_column("residents", sa.Column("id_number_enc", sa.LargeBinary(), nullable=True))
    op.create_table(
        "visits",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("pass_id", sa.String(64), nullable=True),
        sa.Column("visitor_name_enc", sa.LargeBinary(), nullable=False),
        sa.Column("host_household_id", sa.Integer(), nullable=True),
        sa.Column("checked_in_at", _utc(), nullable=False),
        sa.Column("checked_out_at", _utc(), nullable=True),
        sa.Column("checkout_kiosk_id", sa.String(64), nullable=True),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.Column("on_behalf_of", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["host_household_id"],
            ["households.id"],
            name=op.f("fk_visits_host_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"], ["volunteers.id"], name=op.f("fk_visits_volunteer_id_volunteers")
        ),
        sa.ForeignKeyConstraint(
            ["on_behalf_of"], ["residents.id"], name=op.f("fk_visits_on_behalf_of_residents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    op.create_index(
        "ix_visits_station_checked_out", "visits", ["station_id", "checked_out_at"], unique=False
    )
    op.create_index("ix_visits_checked_in_at", "visits", ["checked_in_at"], unique=False)
    op.create_table(
        "visit_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.String(36), nullable=False),
        sa.Column("path", sa.String(255), nullable=False),
        sa.Column("taken_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_visit_photos_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_photos")),
    )
    op.create_index(op.f("ix_visit_photos_visit_id"), "visit_photos", ["visit_id"], unique=False)
    op.create_table(
        "pass_redemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pass_id", sa.String(64), nullable=False),
        sa.Column("use_number", sa.Integer(), nullable=False),
        sa.Column("uses_allowed", sa.Integer(), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("redeemed_at", _utc(), nullable=False),
        sa.CheckConstraint(
            "use_number >= 1 AND use_number <= uses_allowed",
            name=op.f("ck_pass_redemptions_use_number"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pass_redemptions")),
        sa.UniqueConstraint(
            "pass_id", "use_number", name=op.f("uq_pass_redemptions_pass_id_use_number")
        ),
    )
    op.create_table(
        "bills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("issued_at", _utc(), nullable=False),
        sa.Column("due_at", _utc(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_bills_amount_fen")),
        sa.CheckConstraint(
            _in("kind", ("property", "water", "electricity", "gas", "parking", "other")),
            name=op.f("ck_bills_kind"),
        ),
        sa.CheckConstraint(
            _in("status", ("open", "paid", "cancelled")), name=op.f("ck_bills_status")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_bills_household_id_households")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bills")),
    )
    op.create_index("ix_bills_household_status", "bills", ["household_id", "status"], unique=False)
    op.create_table(
        "payments",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("platform_order_id", sa.String(64), nullable=True),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=True),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_payments_amount_fen")),
        sa.CheckConstraint(
            _in(
                "state",
                ("draft", "confirming", "pending", "paid", "failed", "expired", "unknown"),
            ),
            name=op.f("ck_payments_state"),
        ),
        sa.CheckConstraint(
            _in("method", ("card_balance", "wechat", "alipay")), name=op.f("ck_payments_method")
        ),
        sa.ForeignKeyConstraint(["bill_id"], ["bills.id"], name=op.f("fk_payments_bill_id_bills")),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_payments_resident_id_residents")
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_payments_volunteer_id_volunteers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_payments_idempotency_key")),
    )
    op.create_index(
        "uq_payments_live_bill",
        "payments",
        ["bill_id"],
        unique=True,
        sqlite_where=sa.text(_LIVE_PAYMENT),
        postgresql_where=sa.text(_LIVE_PAYMENT),
    )
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("given_at", _utc(), nullable=False),
        sa.Column("withdrawn_at", _utc(), nullable=True),
        sa.CheckConstraint(_in("kind", ("health_data", "photo")), name=op.f("ck_consents_kind")),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_consents_resident_id_residents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index("ix_consents_resident_kind", "consents", ["resident_id", "kind"], unique=False)
    op.create_table(
        "health_records",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("value_enc", sa.LargeBinary(), nullable=False),
        sa.Column("measured_at", _utc(), nullable=False),
        sa.Column("recorded_at", _utc(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            _in(
                "kind",
                (
                    "blood_pressure",
                    "weight",
                    "height",
                    "temperature",
                    "spo2",
                    "glucose",
                    "heart_rate",
                ),
            ),
            name=op.f("ck_health_records_kind"),
        ),
        sa.CheckConstraint(
            _in("source", ("device", "manual")), name=op.f("ck_health_records_source")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_health_records_resident_id_residents"),
        ),
        sa.ForeignKeyConstraint(
            ["consent_id"], ["consents.id"], name=op.f("fk_health_records_consent_id_consents")
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_health_records_volunteer_id_volunteers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_records")),
    )
    op.create_index(
        "ix_health_records_resident_measured",
        "health_records",
        ["resident_id", "measured_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_health_records_consent_id"), "health_records", ["consent_id"], unique=False
    )
    op.create_table(
        "points_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(128), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.CheckConstraint("delta <> 0", name=op.f("ck_points_ledger_delta")),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_points_ledger_resident_id_residents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_ledger")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_points_ledger_idempotency_key")),
    )
    op.create_index(
        op.f("ix_points_ledger_resident_id"), "points_ledger", ["resident_id"], unique=False
    )
    op.create_table(
        "tutorial_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("tutorial_id", sa.String(64), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("completed_at", _utc(), nullable=True),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint("step >= 0", name=op.f("ck_tutorial_progress_step")),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_tutorial_progress_resident_id_residents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tutorial_progress")),
        sa.UniqueConstraint(
            "resident_id",
            "tutorial_id",
            name=op.f("uq_tutorial_progress_resident_id_tutorial_id"),
        ),
    )
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("delivered_at", _utc(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_events_idempotency_key")),
    )
    op.create_index(
        "ix_outbox_events_delivered_at",
        "outbox_events",
        ["delivered_at", "id"],
        unique=False,
    )
    op.create_table(
        "heartbeats",
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("station_id", sa.String(64), nullable=False),
        sa.Column("sent_at", _utc(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.Column("app_version", sa.String(32), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("audit_head", sa.String(64), nullable=False),
        sa.Column("audit_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kiosk_id", name=op.f("pk_heartbeats")),
    )
    op.create_table(
        "lockouts",
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", _utc(), nullable=True),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_lockouts")),
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
        raise NotImplementedError(f"no append-only triggers for dialect {dialect!r}")


def _drop_append_only_triggers() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for name, _ddl in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        for name, _ddl in _POSTGRESQL_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON points_ledger")
        op.execute("DROP FUNCTION IF EXISTS points_ledger_append_only()")


def downgrade() -> None:
    _drop_append_only_triggers()
    op.drop_table("lockouts")
    op.drop_table("heartbeats")
    op.drop_index("ix_outbox_events_delivered_at", table_name="outbox_events")
    op.drop_table("outbox_events")
    op.drop_table("tutorial_progress")
    op.drop_index(op.f("ix_points_ledger_resident_id"), table_name="points_ledger")
    op.drop_table("points_ledger")
    op.drop_index(op.f("ix_health_records_consent_id"), table_name="health_records")
    op.drop_index("ix_health_records_resident_measured", table_name="health_records")
    op.drop_table("health_records")
    op.drop_index("ix_consents_resident_kind", table_name="consents")
    op.drop_table("consents")
    op.drop_index("uq_payments_live_bill", table_name="payments")
    op.drop_table("payments")
    op.drop_index("ix_bills_household_status", table_name="bills")
    op.drop_table("bills")
    op.drop_table("pass_redemptions")
    op.drop_index(op.f("ix_visit_photos_visit_id"), table_name="visit_photos")
    op.drop_table("visit_photos")
    op.drop_index("ix_visits_checked_in_at", table_name="visits")
    op.drop_index("ix_visits_station_checked_out", table_name="visits")
    op.drop_table("visits")
    with op.batch_alter_table("residents") as batch:
        batch.drop_column("id_number_enc")
