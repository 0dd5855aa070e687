"""Visitors: issued passes, walk-in approvals, the deny list, host notifications; ``visits``
gains an exit code (unique among open visits), kind, reason, phone and approval.

SQLite: the new ``visits`` columns are nullable or have a constant server default, and the
new constraints on them are (partial) unique indexes, so SQLite adds them in place with
``ALTER TABLE … ADD COLUMN`` and ``CREATE INDEX``: the table, which ``visit_photos``
references, is never copied and dropped (foreign keys are enforced during migrations).
Downgrading drops the indexes first and then the columns (``ALTER TABLE … DROP COLUMN``,
SQLite 3.35+), again in place.

Revision ID: 0003
Revises: 0002
Create Date: 2025-04-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN_VISIT = "checked_out_at IS NULL"
_VISIT_REASONS = ("family", "friend", "delivery", "repair", "housekeeping", "other")
_APPROVAL_STATES = ("pending", "approved", "refused", "expired", "cancelled", "referred")
_NOTIFICATION_KINDS = ("visitor_arrived", "visitor_left", "approval_requested")
_VISIT_COLUMNS = ("exit_code", "kind", "reason", "phone_enc", "approval_id")


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def upgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("exit_code", sa.String(9), nullable=True))
        batch.add_column(sa.Column("kind", sa.String(16), server_default="pass", nullable=False))
        batch.add_column(sa.Column("reason", sa.String(16), nullable=True))
        batch.add_column(sa.Column("phone_enc", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("approval_id", sa.String(36), nullable=True))
    op.create_index(
        "uq_visits_open_exit_code",
        "visits",
        ["exit_code"],
        unique=True,
        sqlite_where=sa.text(_OPEN_VISIT),
        postgresql_where=sa.text(_OPEN_VISIT),
    )
    op.create_index("uq_visits_approval_id", "visits", ["approval_id"], unique=True)

    op.create_table(
        "issued_passes",
        sa.Column("pass_id", sa.String(32), nullable=False),
        sa.Column("short_code", sa.String(9), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", _utc(), nullable=False),
        sa.Column("valid_until", _utc(), nullable=False),
        sa.Column("uses_allowed", sa.Integer(), nullable=False),
        sa.Column("issued_at", _utc(), nullable=False),
        sa.Column("request_id", sa.String(36), nullable=False),
        sa.CheckConstraint("uses_allowed >= 1", name=op.f("ck_issued_passes_uses_allowed")),
        sa.CheckConstraint("valid_until > valid_from", name=op.f("ck_issued_passes_window")),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_issued_passes_household_id_households"),
        ),
        sa.PrimaryKeyConstraint("pass_id", name=op.f("pk_issued_passes")),
        sa.UniqueConstraint("short_code", name=op.f("uq_issued_passes_short_code")),
        sa.UniqueConstraint("request_id", name=op.f("uq_issued_passes_request_id")),
    )
    op.create_index("ix_issued_passes_valid_until", "issued_passes", ["valid_until"], unique=False)

    op.create_table(
        "approvals",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("visitor_name_enc", sa.LargeBinary(), nullable=False),
        sa.Column("phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column("reason", sa.String(16), nullable=True),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("host_reachable", sa.Boolean(), nullable=False),
        sa.Column("requested_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=False),
        sa.Column("decided_at", _utc(), nullable=True),
        sa.Column("decided_by", sa.String(16), nullable=True),
        sa.Column("decided_by_volunteer_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.String(36), nullable=True),
        sa.Column("request_id", sa.String(36), nullable=False),
        sa.CheckConstraint(_in("state", _APPROVAL_STATES), name=op.f("ck_approvals_state")),
        sa.CheckConstraint(
            "decided_by IS NULL OR " + _in("decided_by", ("host", "volunteer")),
            name=op.f("ck_approvals_decided_by"),
        ),
        sa.CheckConstraint(
            "reason IS NULL OR " + _in("reason", _VISIT_REASONS),
            name=op.f("ck_approvals_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_approvals_household_id_households")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_volunteer_id"],
            ["volunteers.id"],
            name=op.f("fk_approvals_decided_by_volunteer_id_volunteers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approvals")),
        sa.UniqueConstraint("request_id", name=op.f("uq_approvals_request_id")),
    )
    op.create_index(
        "ix_approvals_household_requested",
        "approvals",
        ["household_id", "requested_at"],
        unique=False,
    )

    op.create_table(
        "deny_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_hash", sa.String(64), nullable=False),
        sa.Column("phone_hash", sa.String(64), nullable=True),
        sa.Column("masked_name", sa.String(64), nullable=False),
        sa.Column("masked_phone", sa.String(32), nullable=True),
        sa.Column("note", sa.String(200), nullable=False),
        sa.Column("added_at", _utc(), nullable=False),
        sa.Column("removed_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deny_list")),
    )
    op.create_index("ix_deny_list_name_hash", "deny_list", ["name_hash"], unique=False)
    op.create_index("ix_deny_list_phone_hash", "deny_list", ["phone_hash"], unique=False)

    op.create_table(
        "host_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ref", sa.String(36), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.CheckConstraint(
            _in("kind", _NOTIFICATION_KINDS), name=op.f("ck_host_notifications_kind")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_host_notifications_household_id_households"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_host_notifications")),
    )
    op.create_index(
        "ix_host_notifications_household_created",
        "host_notifications",
        ["household_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_host_notifications_household_created", table_name="host_notifications")
    op.drop_table("host_notifications")
    op.drop_index("ix_deny_list_phone_hash", table_name="deny_list")
    op.drop_index("ix_deny_list_name_hash", table_name="deny_list")
    op.drop_table("deny_list")
    op.drop_index("ix_approvals_household_requested", table_name="approvals")
    op.drop_table("approvals")
    op.drop_index("ix_issued_passes_valid_until", table_name="issued_passes")
    op.drop_table("issued_passes")
    op.drop_index("uq_visits_approval_id", table_name="visits")
    op.drop_index("uq_visits_open_exit_code", table_name="visits")
    # Not batch_alter_table: on SQLite that would copy ``visits`` and drop the original,
    # which ``visit_photos`` references. DROP COLUMN works in place (SQLite 3.35+).
    for column in reversed(_VISIT_COLUMNS):
        op.drop_column("visits", column)
