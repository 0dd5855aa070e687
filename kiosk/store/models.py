"""SQLAlchemy models of the station's local store.

Community → buildings → units → households (rooms) → residents, plus volunteers, notices,
help requests, the hash-chained audit log and small key/value station settings (migration
0001); visits and pass redemptions, bills and payments, consents and health records, the
points ledger, tutorial progress, the outbox, heartbeats and lockouts (migration 0002); issued
passes, walk-in approvals, the deny list and host notifications, and the exit code, kind,
reason and phone of a visit (migration 0003).

Privacy rules kept by the schema (ARCHITECTURE.md §5, §6):

* A resident's phone number is kept in clear only as its last four digits
  (``phone_last4``, enough to identify a resident by room + phone). The full number goes into
  ``phone_enc`` (AES-GCM, added by the encryption work; nullable until then).
* Card UIDs are never stored: only ``card_uid_hash``, an HMAC-SHA256 under a station key
  (:mod:`kiosk.store.cards`).
* Audit details and outbox payloads carry event facts and ids, never personal data.
* Columns ending in ``_enc`` hold AES-GCM values (:mod:`kiosk.security.crypto`), sealed for
  the context ``"<table>.<column>"``; :data:`ENCRYPTED_COLUMNS` lists them all (key rotation
  walks it). The ORM objects only ever hold ciphertext.
* Money is integer fen (分), never floats.
* ``points_ledger`` is append-only like ``audit_events`` (triggers from migration 0002).
* The deny list holds names and phone numbers only as keyed hashes (HMAC-SHA256 under the
  station's card key), plus their masked forms for staff; nothing can list them in clear.

Every timestamp is an aware UTC datetime (:class:`~kiosk.store.types.UTCDateTime`).

NOTE: The Alembic migrations repeat this schema by hand. Change both together; the
``test_migrations_match_models`` test fails when they drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kiosk.store.types import UTCDateTime, utc_now

__all__ = [
    "ACTOR_KINDS",
    "APPROVAL_DECIDERS",
    "APPROVAL_STATES",
    "BILL_KINDS",
    "BILL_STATUSES",
    "CONSENT_KINDS",
    "ENCRYPTED_COLUMNS",
    "HEALTH_KINDS",
    "HEALTH_SOURCES",
    "HELP_STATUSES",
    "HOST_NOTIFICATION_KINDS",
    "LIVE_PAYMENT_STATES",
    "PAYMENT_METHODS",
    "PAYMENT_STATES",
    "PAYMENT_TRANSITIONS",
    "VISIT_KINDS",
    "VISIT_REASONS",
    "VOLUNTEER_ROLES",
    "Approval",
    "AuditEvent",
    "Base",
    "Bill",
    "Building",
    "Community",
    "Consent",
    "DenyListRow",
    "EncryptedColumn",
    "HealthRecord",
    "Heartbeat",
    "HelpRequest",
    "HostNotificationRow",
    "Household",
    "IssuedPassRow",
    "Lockout",
    "Notice",
    "OutboxEvent",
    "PassRedemption",
    "Payment",
    "PointsEntry",
    "Resident",
    "Setting",
    "TutorialProgress",
    "Unit",
    "Visit",
    "VisitPhoto",
    "Volunteer",
    "household_label",
    "payment_transition_allowed",
]

# Deterministic constraint names, so later migrations (and SQLite batch mode) can name them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

VOLUNTEER_ROLES = ("volunteer", "staff")
HELP_STATUSES = ("open", "answered")
ACTOR_KINDS = ("resident", "volunteer", "admin", "system")
BILL_KINDS = ("property", "water", "electricity", "gas", "parking", "other")
BILL_STATUSES = ("open", "paid", "cancelled")
PAYMENT_METHODS = ("card_balance", "wechat", "alipay")
# ARCHITECTURE.md §8: draft → confirming → pending → paid | failed | expired | unknown.
PAYMENT_STATES = ("draft", "confirming", "pending", "paid", "failed", "expired", "unknown")
# States in which money may move: at most one payment per bill may be in one of them.
LIVE_PAYMENT_STATES = ("pending", "paid", "unknown")
PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"confirming", "expired"}),
    "confirming": frozenset({"pending", "draft", "expired"}),
    "pending": frozenset({"paid", "failed", "expired", "unknown"}),
    # Resolved by asking the platform (on restart and before any retry), never by guessing.
    "unknown": frozenset({"paid", "failed", "expired"}),
    "paid": frozenset(),
    "failed": frozenset(),
    "expired": frozenset(),
}
CONSENT_KINDS = ("health_data", "photo")
HEALTH_KINDS = (
    "blood_pressure",
    "weight",
    "height",
    "temperature",
    "spo2",
    "glucose",
    "heart_rate",
)
HEALTH_SOURCES = ("device", "manual")
# Migration 0003.
VISIT_KINDS = ("pass", "walk_in")
VISIT_REASONS = ("family", "friend", "delivery", "repair", "housekeeping", "other")
APPROVAL_STATES = ("pending", "approved", "refused", "expired", "cancelled", "referred")
APPROVAL_DECIDERS = ("host", "volunteer")
HOST_NOTIFICATION_KINDS = ("visitor_arrived", "visitor_left", "approval_requested")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def payment_transition_allowed(old: str, new: str) -> bool:
    """Whether a payment may move from state ``old`` to ``new`` (:data:`PAYMENT_TRANSITIONS`)."""
    return new in PAYMENT_TRANSITIONS.get(old, frozenset())


def household_label(building_name: str, unit_number: str, room: str) -> str:
    """The label residents use for a home: ``("3栋", "2", "501")`` → ``"3栋2单元501"``."""
    return f"{building_name}{unit_number}单元{room}"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Community(Base):
    """A residential community (社区). ``id`` is a short code such as ``"demo"``."""

    __tablename__ = "communities"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))

    buildings: Mapped[list[Building]] = relationship(back_populates="community")
    notices: Mapped[list[Notice]] = relationship(back_populates="community")


class Building(Base):
    """A building (栋/楼). ``number`` is ``"3"``, ``name`` what residents say: ``"3栋"``."""

    __tablename__ = "buildings"
    __table_args__ = (UniqueConstraint("community_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.id"))
    number: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(32))

    community: Mapped[Community] = relationship(back_populates="buildings")
    units: Mapped[list[Unit]] = relationship(back_populates="building")


class Unit(Base):
    """A stairwell unit (单元) of a building; ``number`` is ``"2"``."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("building_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"))
    number: Mapped[str] = mapped_column(String(16))

    building: Mapped[Building] = relationship(back_populates="units")
    households: Mapped[list[Household]] = relationship(back_populates="unit")


class Household(Base):
    """A home (户), identified by its room number (``"501"``) inside a unit."""

    __tablename__ = "households"
    __table_args__ = (UniqueConstraint("unit_id", "room"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    room: Mapped[str] = mapped_column(String(16))

    unit: Mapped[Unit] = relationship(back_populates="households")
    residents: Mapped[list[Resident]] = relationship(back_populates="household")

    def display_label(self) -> str:
        """``"3栋2单元501"`` (loads the unit and building if they are not loaded yet)."""
        return household_label(self.unit.building.name, self.unit.number, self.room)


class Resident(Base):
    """A person registered to a household.

    Attributes:
        phone_last4: The last four digits of the phone number, for room + phone lookups.
        phone_enc: The full phone number, encrypted (context ``residents.phone_enc``).
        id_number_enc: The ID number (居民身份证号), encrypted (``residents.id_number_enc``).
        card_uid_hash: HMAC-SHA256 (hex) of the community card UID, or ``None``.
    """

    __tablename__ = "residents"
    __table_args__ = (
        CheckConstraint("phone_last4 IS NULL OR length(phone_last4) = 4", name="phone_last4"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    phone_last4: Mapped[str | None] = mapped_column(String(4))
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    card_uid_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    is_elderly: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    household: Mapped[Household] = relationship(back_populates="residents")


class Volunteer(Base):
    """A volunteer (志愿者) or a member of staff who can sign in for assisted mode."""

    __tablename__ = "volunteers"
    __table_args__ = (CheckConstraint(_in("role", VOLUNTEER_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="volunteer")
    card_uid_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Notice(Base):
    """A community notice (通知) shown on the attract and notice screens."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_community_published", "community_id", "published_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)

    community: Mapped[Community] = relationship(back_populates="notices")


class HelpRequest(Base):
    """A press of 呼叫志愿者. ``id`` is a UUID string, also the idempotency key for sync."""

    __tablename__ = "help_requests"
    __table_args__ = (
        CheckConstraint(_in("status", HELP_STATUSES), name="status"),
        Index("ix_help_requests_station_status", "station_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    screen_id: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    status: Mapped[str] = mapped_column(String(16), default="open")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"))


class AuditEvent(Base):
    """One entry of the append-only, hash-chained audit log.

    ``seq`` is assigned by the writer (last + 1), not by the database, because the row hash
    covers it. ``prev_hash`` is unique, so two writers can never fork the chain. Triggers
    created by the migration make UPDATE and DELETE raise. See :mod:`kiosk.services.audit`.

    Attributes:
        detail: Canonical JSON (sorted keys, no spaces) of event facts; never personal data.
    """

    __tablename__ = "audit_events"
    __table_args__ = (CheckConstraint(_in("actor_kind", ACTOR_KINDS), name="actor_kind"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    event_type: Mapped[str] = mapped_column(String(64))
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    on_behalf_of: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class Setting(Base):
    """A small station setting (admin PIN hash, lockout state, ...), as text."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# ---------------------------------------------------------------------- migration 0002


class Visit(Base):
    """A visitor's stay: checked in at a kiosk, checked out later (or purged by retention).

    ``id`` is a UUID chosen by the caller; it is the idempotency key of the check-in and of
    the outbox events about the visit.

    Attributes:
        pass_id: Hex of the pass id when the visitor came with a pass, else ``None``.
        visitor_name_enc: The visitor's name, encrypted (``visits.visitor_name_enc``).
        host_household_id: The household visited; ``None`` for the station itself.
        volunteer_id: The volunteer who registered the visit (assisted mode), if any.
        on_behalf_of: The resident the volunteer acted for, if any.
        exit_code: The short code on the visitor's slip (:mod:`kiosk.security.short_codes`),
            unique among the visits still inside (a partial unique index); ``None`` for
            visits recorded before migration 0003.
        kind: ``"pass"`` or ``"walk_in"`` (:data:`VISIT_KINDS`).
        reason: Why a walk-in came (:data:`VISIT_REASONS`), if given.
        phone_enc: The phone number a walk-in gave, encrypted (``visits.phone_enc``).
        approval_id: The walk-in approval the visit was admitted on (UNIQUE: one approval
            admits one visit).
    """

    __tablename__ = "visits"
    __table_args__ = (
        Index("ix_visits_station_checked_out", "station_id", "checked_out_at"),
        Index("ix_visits_checked_in_at", "checked_in_at"),
        Index(
            "uq_visits_open_exit_code",
            "exit_code",
            unique=True,
            sqlite_where=text("checked_out_at IS NULL"),
            postgresql_where=text("checked_out_at IS NULL"),
        ),
        Index("uq_visits_approval_id", "approval_id", unique=True),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    pass_id: Mapped[str | None] = mapped_column(String(64))
    visitor_name_enc: Mapped[bytes] = mapped_column(LargeBinary)
    host_household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"))
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime())
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checkout_kiosk_id: Mapped[str | None] = mapped_column(String(64))
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"))
    on_behalf_of: Mapped[int | None] = mapped_column(ForeignKey("residents.id"))
    # Migration 0003.
    exit_code: Mapped[str | None] = mapped_column(String(9))
    kind: Mapped[str] = mapped_column(String(16), server_default="pass", default="pass")
    reason: Mapped[str | None] = mapped_column(String(16))
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    approval_id: Mapped[str | None] = mapped_column(String(36))


class VisitPhoto(Base):
    """A photo taken at check-in: a file under ``<data_dir>/photos``, purged with the visit.

    The file holds the JPEG sealed with the :class:`~kiosk.security.crypto.FieldCipher`
    (context ``"visit_photos.file:<visit id>"``), under a random name.

    Attributes:
        path: The file, relative to the photos directory (no ``..``, no absolute paths).
    """

    __tablename__ = "visit_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    path: Mapped[str] = mapped_column(String(255))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PassRedemption(Base):
    """One use of a visitor pass. ``(pass_id, use_number)`` is UNIQUE: this is what makes a
    one-time pass one-time across every kiosk sharing the database."""

    __tablename__ = "pass_redemptions"
    __table_args__ = (
        UniqueConstraint("pass_id", "use_number"),
        CheckConstraint("use_number >= 1 AND use_number <= uses_allowed", name="use_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pass_id: Mapped[str] = mapped_column(String(64))
    use_number: Mapped[int] = mapped_column(Integer)
    uses_allowed: Mapped[int] = mapped_column(Integer)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    redeemed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Bill(Base):
    """A bill of a household (物业费, 水费, ...). ``amount_fen`` is integer fen (分)."""

    __tablename__ = "bills"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_fen"),
        CheckConstraint(_in("kind", BILL_KINDS), name="kind"),
        CheckConstraint(_in("status", BILL_STATUSES), name="status"),
        Index("ix_bills_household_status", "household_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="open")


class Payment(Base):
    """A payment of a bill, moving through :data:`PAYMENT_STATES` (ARCHITECTURE.md §8).

    ``idempotency_key`` is UNIQUE (the order's key at the platform), and a partial unique
    index allows at most one payment per bill in a :data:`LIVE_PAYMENT_STATES` state: a
    bill is never charged twice.
    """

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_fen"),
        CheckConstraint(_in("state", PAYMENT_STATES), name="state"),
        CheckConstraint(_in("method", PAYMENT_METHODS), name="method"),
        Index(
            "uq_payments_live_bill",
            "bill_id",
            unique=True,
            sqlite_where=text(_in("state", LIVE_PAYMENT_STATES)),
            postgresql_where=text(_in("state", LIVE_PAYMENT_STATES)),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"))
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    method: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    platform_order_id: Mapped[str | None] = mapped_column(String(64))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"))
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Consent(Base):
    """A consent a resident gave (separately per kind, PIPL art. 29/30), and its withdrawal.

    Attributes:
        version: The version of the consent text the resident saw.
        withdrawn_at: When it was withdrawn; the data it covered is then purged.
    """

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint(_in("kind", CONSENT_KINDS), name="kind"),
        Index("ix_consents_resident_kind", "resident_id", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    kind: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(32))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class HealthRecord(Base):
    """One health reading. The value is encrypted JSON (``health_records.value_enc``), e.g.
    ``{"systolic": 128, "diastolic": 84, "pulse": 72}``; kind and unit are not secret.

    ``id`` is a UUID (idempotency key of the record and its outbox event).
    """

    __tablename__ = "health_records"
    __table_args__ = (
        CheckConstraint(_in("kind", HEALTH_KINDS), name="kind"),
        CheckConstraint(_in("source", HEALTH_SOURCES), name="source"),
        Index("ix_health_records_resident_measured", "resident_id", "measured_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(16))
    value_enc: Mapped[bytes] = mapped_column(LargeBinary)
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(16))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"))


class PointsEntry(Base):
    """One entry of the append-only points ledger (triggers refuse UPDATE and DELETE).

    The balance is the sum of ``delta``. ``idempotency_key`` is UNIQUE, so an award retried
    after a crash is not counted twice.
    """

    __tablename__ = "points_ledger"
    __table_args__ = (CheckConstraint("delta <> 0", name="delta"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TutorialProgress(Base):
    """How far a resident got in one tutorial (highest step reached, completion time)."""

    __tablename__ = "tutorial_progress"
    __table_args__ = (
        UniqueConstraint("resident_id", "tutorial_id"),
        CheckConstraint("step >= 0", name="step"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"))
    tutorial_id: Mapped[str] = mapped_column(String(64))
    step: Mapped[int] = mapped_column(Integer)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboxEvent(Base):
    """A write waiting for delivery to the platform (transactional outbox).

    Written in the same transaction as the business row it announces. ``id`` orders
    delivery; ``idempotency_key`` (UNIQUE) is sent with it so the platform keeps it once.

    Attributes:
        payload: Canonical JSON of ids and facts, never personal data: the sync worker reads
            (and decrypts) the business row when it delivers.
    """

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_delivered_at", "delivered_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class Heartbeat(Base):
    """The latest heartbeat of each kiosk (one row per kiosk, replaced on every beat).

    Attributes:
        status: JSON of the reported status (versions, device states, outbox depth).
        audit_head: The audit head hash acknowledged with this beat.
    """

    __tablename__ = "heartbeats"

    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    app_version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(Text)
    audit_head: Mapped[str] = mapped_column(String(64))
    audit_count: Mapped[int] = mapped_column(Integer)


class Lockout(Base):
    """Consecutive failures and lock of one subject (``volunteer:<id>``, ``room:<b>|<u>|<r>``).

    The row is removed on success. Kept in the database so restarts do not clear it and
    kiosks sharing the database share it.
    """

    __tablename__ = "lockouts"

    subject: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


# ---------------------------------------------------------------------- migration 0003


class IssuedPassRow(Base):
    """A pass this station's platform signed (邀请访客), findable by its short code.

    The visitor's name is inside the signed token (it has to be: the pass shows it), so the
    token is as personal as the name; retention deletes the row once the pass has ended.

    Attributes:
        pass_id: Hex of the pass's 16-byte id (the token's pass id).
        short_code: The code printed under the QR code (UNIQUE).
        request_id: The issuing request's UUID (UNIQUE: a retried request finds its pass).
    """

    __tablename__ = "issued_passes"
    __table_args__ = (
        CheckConstraint("uses_allowed >= 1", name="uses_allowed"),
        CheckConstraint("valid_until > valid_from", name="window"),
        Index("ix_issued_passes_valid_until", "valid_until"),
    )

    pass_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    short_code: Mapped[str] = mapped_column(String(9), unique=True)
    token: Mapped[str] = mapped_column(Text)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime())
    uses_allowed: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    request_id: Mapped[str] = mapped_column(String(36), unique=True)


class Approval(Base):
    """A walk-in visitor's request for the host household's approval.

    ``id`` is a UUID (the ticket id); ``request_id`` is the caller's idempotency key.

    Attributes:
        state: :data:`APPROVAL_STATES`.
        visitor_name_enc: The visitor's name, encrypted (``approvals.visitor_name_enc``).
        phone_enc: The phone number they gave, encrypted (``approvals.phone_enc``).
        host_reachable: Whether the household had a resident with a phone on file when
            asked (kept, so the ticket reads the same every time).
        decided_by: ``"host"`` or ``"volunteer"`` once approved or refused.
        visit_id: The visit admitted on the approval (no foreign key: retention may purge
            either first).
    """

    __tablename__ = "approvals"
    __table_args__ = (
        CheckConstraint(_in("state", APPROVAL_STATES), name="state"),
        CheckConstraint(
            "decided_by IS NULL OR " + _in("decided_by", APPROVAL_DECIDERS), name="decided_by"
        ),
        CheckConstraint("reason IS NULL OR " + _in("reason", VISIT_REASONS), name="reason"),
        Index("ix_approvals_household_requested", "household_id", "requested_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    state: Mapped[str] = mapped_column(String(16))
    visitor_name_enc: Mapped[bytes] = mapped_column(LargeBinary)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    reason: Mapped[str | None] = mapped_column(String(16))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    host_reachable: Mapped[bool] = mapped_column(Boolean)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(16))
    decided_by_volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"))
    visit_id: Mapped[str | None] = mapped_column(String(36))
    request_id: Mapped[str] = mapped_column(String(36), unique=True)


class DenyListRow(Base):
    """A person the station does not admit as a walk-in without staff (a deny-list entry).

    The name and phone are kept only as keyed hashes (HMAC-SHA256 under the station's card
    key: names NFKC-normalised with all white space removed, phones as digits) and in their
    masked forms for staff. Removal is soft (``removed_at``), so the audit story holds.
    """

    __tablename__ = "deny_list"
    __table_args__ = (
        Index("ix_deny_list_name_hash", "name_hash"),
        Index("ix_deny_list_phone_hash", "phone_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_hash: Mapped[str] = mapped_column(String(64))
    phone_hash: Mapped[str | None] = mapped_column(String(64))
    masked_name: Mapped[str] = mapped_column(String(64))
    masked_phone: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class HostNotificationRow(Base):
    """A message for a household's residents (their app shows it). Ids only, no names.

    Attributes:
        kind: :data:`HOST_NOTIFICATION_KINDS`.
        ref: The visit id or approval id it is about.
    """

    __tablename__ = "host_notifications"
    __table_args__ = (
        CheckConstraint(_in("kind", HOST_NOTIFICATION_KINDS), name="kind"),
        Index("ix_host_notifications_household_created", "household_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"))
    kind: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True, slots=True)
class EncryptedColumn:
    """A column holding :class:`~kiosk.security.crypto.FieldCipher` values.

    Attributes:
        table: Table name.
        column: Column name.
        pk: The table's (single) primary-key column.
    """

    table: str
    column: str
    pk: str

    @property
    def context(self) -> str:
        """The encryption context (associated data) of the column: ``"table.column"``."""
        return f"{self.table}.{self.column}"


# Every encrypted column. NOTE: add new ones here, or key rotation will leave them behind
# (test_every_binary_enc_column_is_registered checks the models).
ENCRYPTED_COLUMNS: tuple[EncryptedColumn, ...] = (
    EncryptedColumn("residents", "phone_enc", "id"),
    EncryptedColumn("residents", "id_number_enc", "id"),
    EncryptedColumn("visits", "visitor_name_enc", "id"),
    EncryptedColumn("visits", "phone_enc", "id"),
    EncryptedColumn("health_records", "value_enc", "id"),
    EncryptedColumn("approvals", "visitor_name_enc", "id"),
    EncryptedColumn("approvals", "phone_enc", "id"),
)
