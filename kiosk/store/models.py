"""SQLAlchemy models of the station's local store.

Community → buildings → units → households (rooms) → residents, plus volunteers, notices,
help requests, the hash-chained audit log and small key/value station settings.

Privacy rules kept by the schema (ARCHITECTURE.md §5, §6):

* A resident's phone number is kept in clear only as its last four digits
  (``phone_last4``, enough to identify a resident by room + phone). The full number goes into
  ``phone_enc`` (AES-GCM, added by the encryption work; nullable until then).
* Card UIDs are never stored: only ``card_uid_hash``, an HMAC-SHA256 under a station key
  (:mod:`kiosk.store.cards`).
* Audit details carry event facts, never personal data.

Every timestamp is an aware UTC datetime (:class:`~kiosk.store.types.UTCDateTime`).

NOTE: The initial Alembic migration repeats this schema by hand. Change both together; the
``test_migrations_match_models`` test fails when they drift.
"""

from __future__ import annotations

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
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kiosk.store.types import UTCDateTime, utc_now

__all__ = [
    "ACTOR_KINDS",
    "HELP_STATUSES",
    "VOLUNTEER_ROLES",
    "AuditEvent",
    "Base",
    "Building",
    "Community",
    "HelpRequest",
    "Household",
    "Notice",
    "Resident",
    "Setting",
    "Unit",
    "Volunteer",
    "household_label",
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


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


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
        phone_enc: The full phone number, encrypted (AES-GCM); ``None`` until that lands.
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
