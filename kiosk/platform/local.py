""":class:`LocalPlatform`: the :class:`~kiosk.platform.api.Platform` over the station's store.

The embedded default: the station database is the system of record (ARCHITECTURE.md §4).
Several kiosks may share one database (a SQLite file on one machine, or PostgreSQL); each
builds its own ``LocalPlatform`` with its own ``kiosk_id``.

Transactions. Every write that matters is one transaction holding the business rows, the
outbox event announcing them (:mod:`kiosk.store.outbox`) and the audit entry recording them
(:meth:`AuditLog.append(session=...) <kiosk.services.audit.AuditLog.append>`): all three are
committed, or none (RELIABILITY.md case 3). A method returns only after its commit.

Actors. Writes take an :class:`~kiosk.platform.api.Actor`; the audit entry carries its kind,
id and ``on_behalf_of`` ("volunteer V for resident R"). The actor is checked against the
store (an unknown or inactive volunteer cannot act), and resident data is only reachable by
that resident, a volunteer acting for them, an admin or the system (RELIABILITY.md case 34).

Encryption. Visitor names and health values are sealed with the :class:`FieldCipher`
(context ``"<table>.<column>"``) before they reach the session, and opened only into the
masked-repr result dataclasses.

Database failures (unreachable server, a lock that outlived ``busy_timeout``) surface as
:class:`~kiosk.platform.api.PlatformUnavailableError`.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Final, Literal, cast

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from kiosk.pins import LockoutPolicy, check_pin
from kiosk.platform.api import (
    Actor,
    AmbiguousIdentityError,
    BillItem,
    BillNotFoundError,
    CheckInRequest,
    ConflictError,
    ConsentInfo,
    ConsentKind,
    ConsentRequiredError,
    HealthKind,
    HealthReading,
    HealthRecordView,
    HeartbeatAck,
    HeartbeatStatus,
    HelpCall,
    HelpTicket,
    HouseholdSummary,
    IdentificationFailedError,
    InsufficientPointsError,
    InvalidRequestError,
    LockedOutError,
    NotFoundError,
    NoticeItem,
    NotSupportedError,
    PassAlreadyUsedError,
    PaymentInfo,
    PaymentMethod,
    PaymentState,
    PermissionDeniedError,
    PinNotSetError,
    PlatformUnavailableError,
    PointsBalance,
    ResidentIdentity,
    ResidentNotFoundError,
    TutorialStep,
    Visit,
    VisitAlreadyClosedError,
    VisitNotFoundError,
    VolunteerIdentity,
    VolunteerNotFoundError,
    WrongPinError,
)
from kiosk.security.crypto import FieldCipher
from kiosk.security.passes import AlreadyUsedError
from kiosk.services.admin_auth import ARGON2_MEMORY_KIB, ARGON2_PARALLELISM, ARGON2_TIME_COST
from kiosk.services.audit import GENESIS_HASH, AuditLog, DetailValue
from kiosk.services.help import EVENT_HELP_REQUESTED
from kiosk.services.notices import NoticeService
from kiosk.store.db import Database
from kiosk.store.ledger import StoreRedemptionLedger, pass_id_text
from kiosk.store.lockouts import lockout_state, record_failure, record_success
from kiosk.store.models import (
    CONSENT_KINDS,
    HEALTH_KINDS,
    AuditEvent,
    Bill,
    Building,
    Consent,
    HealthRecord,
    Heartbeat,
    HelpRequest,
    Household,
    Payment,
    PointsEntry,
    Resident,
    TutorialProgress,
    Unit,
    Volunteer,
    household_label,
)
from kiosk.store.models import Visit as VisitRow
from kiosk.store.outbox import add_event
from kiosk.store.types import ensure_utc, utc_now

__all__ = [
    "EVENT_CONSENT_GIVEN",
    "EVENT_CONSENT_WITHDRAWN",
    "EVENT_HEALTH_RECORDED",
    "EVENT_POINTS",
    "EVENT_RESIDENT_IDENTIFIED",
    "EVENT_TUTORIAL_COMPLETED",
    "EVENT_VISIT_CHECKED_IN",
    "EVENT_VISIT_CHECKED_OUT",
    "EVENT_VOLUNTEER_IDENTIFIED",
    "EVENT_VOLUNTEER_LOGIN",
    "EVENT_VOLUNTEER_PIN_SET",
    "HEALTH_CONTEXT",
    "VISITOR_NAME_CONTEXT",
    "LocalPlatform",
]

log = logging.getLogger(__name__)

EVENT_RESIDENT_IDENTIFIED: Final = "resident.identify"
EVENT_VOLUNTEER_IDENTIFIED: Final = "volunteer.identify"
EVENT_VOLUNTEER_LOGIN: Final = "volunteer.login"
EVENT_VOLUNTEER_PIN_SET: Final = "volunteer.pin_set"
EVENT_VISIT_CHECKED_IN: Final = "visit.checked_in"
EVENT_VISIT_CHECKED_OUT: Final = "visit.checked_out"
EVENT_CONSENT_GIVEN: Final = "consent.given"
EVENT_CONSENT_WITHDRAWN: Final = "consent.withdrawn"
EVENT_HEALTH_RECORDED: Final = "health.recorded"
EVENT_TUTORIAL_COMPLETED: Final = "tutorial.completed"
EVENT_POINTS: Final = "points.entry"

VISITOR_NAME_CONTEXT: Final = "visits.visitor_name_enc"
HEALTH_CONTEXT: Final = "health_records.value_enc"

_UID_HASH = re.compile(r"[0-9a-f]{64}")
_MAX_NAME = 64
_MAX_LOCATION = 16
_MAX_ID_TEXT = 64
_MAX_HEALTH_VALUES = 16
_MAX_RACE_RETRIES = 8


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _text(value: object, what: str, limit: int) -> str:
    """``value`` if it is 1 to ``limit`` characters, not blank, without control characters.

    Control characters (NUL above all: PostgreSQL text cannot hold it) are refused rather
    than stored, so text reads back alike on SQLite and PostgreSQL and prints cleanly.
    """
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidRequestError(f"{what} must be 1 to {limit} characters")
    if _CONTROL.search(value):
        raise InvalidRequestError(f"{what} must not contain control characters")
    return value


def _uuid(value: str, what: str) -> str:
    try:
        return str(uuid.UUID(value))
    except (ValueError, TypeError, AttributeError):
        raise InvalidRequestError(f"{what} must be a UUID") from None


def _aware(value: datetime, what: str) -> datetime:
    try:
        return ensure_utc(value)
    except (ValueError, AttributeError, TypeError):
        raise InvalidRequestError(f"{what} must be a timezone-aware datetime") from None


def _natural(value: str) -> tuple[int, int | str]:
    """Sort key: numbers by value ("2" before "10"), then anything else as text."""
    return (0, int(value)) if value.isdecimal() else (1, value)


def _iso(moment: datetime) -> str:
    return ensure_utc(moment).isoformat(timespec="seconds")


class LocalPlatform:
    """The platform, answered from the station database.

    Args:
        db: The station database (migrated).
        audit: The audit log (on ``db``).
        cipher: Seals visitor names and health values.
        community_id: The community this station serves.
        station_id: This station (visits are listed per station).
        kiosk_id: This kiosk (recorded with visits, redemptions, readings). Default: the
            station id (one kiosk per station).
        lockout: Failure policy for volunteer PINs and room + phone identification
            (normally ``Settings.admin``).
        clock: Source of the current time (aware); injectable for tests.

    Attributes:
        ledger: The pass redemption ledger (give it to ``PassRedeemer``).
    """

    def __init__(
        self,
        db: Database,
        *,
        audit: AuditLog,
        cipher: FieldCipher,
        community_id: str,
        station_id: str,
        kiosk_id: str | None = None,
        lockout: LockoutPolicy,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = db
        self._audit = audit
        self._cipher = cipher
        self._community_id = community_id
        self._station_id = _text(station_id, "station_id", _MAX_ID_TEXT)
        self._kiosk_id = _text(kiosk_id or station_id, "kiosk_id", _MAX_ID_TEXT)
        self._lockout = lockout
        self._clock = clock
        self._hasher = PasswordHasher(
            time_cost=ARGON2_TIME_COST,
            memory_cost=ARGON2_MEMORY_KIB,
            parallelism=ARGON2_PARALLELISM,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )
        self._notices = NoticeService(db, community_id)
        self.ledger = StoreRedemptionLedger(db, auditor=self._audit_redemption)

    @property
    def kiosk_id(self) -> str:
        return self._kiosk_id

    def __repr__(self) -> str:
        return f"LocalPlatform(station={self._station_id!r}, kiosk={self._kiosk_id!r})"

    # ------------------------------------------------------------------ plumbing

    def _now(self) -> datetime:
        return ensure_utc(self._clock())

    @contextmanager
    def _tx(self, *, write: bool = True) -> Iterator[Session]:
        try:
            with self._db.session(write=write) as session:
                yield session
        except (OperationalError, InterfaceError) as exc:
            log.warning("station database unavailable: %s", type(exc).__name__)
            raise PlatformUnavailableError() from exc

    def _publish(
        self,
        session: Session,
        event_type: str,
        actor: Actor,
        facts: dict[str, DetailValue],
        *,
        key: str,
        extra: dict[str, DetailValue],
        at: datetime,
    ) -> None:
        """A write the platform must hear about: its outbox event (``facts`` plus ``extra``,
        delivered once under ``key``) and its audit entry (``facts``), both in the caller's
        transaction, so neither can exist without the other."""
        add_event(session, kind=event_type, idempotency_key=key, payload=facts | extra, at=at)
        self._record(session, event_type, actor, facts)

    def _record(
        self,
        session: Session,
        event_type: str,
        actor: Actor,
        detail: Mapping[str, DetailValue],
    ) -> None:
        self._audit.append(
            event_type,
            actor_kind=actor.kind,
            actor_id=actor.id,
            on_behalf_of=actor.on_behalf_of,
            detail=detail,
            session=session,
        )

    def _audit_redemption(
        self, session: Session, event_type: str, detail: Mapping[str, DetailValue]
    ) -> None:
        self._audit.append(event_type, actor_kind="system", detail=detail, session=session)

    def _in_community(self, query: Select[Resident]) -> Select[Resident]:
        return (
            query.join(Household, Resident.household_id == Household.id)
            .join(Unit, Household.unit_id == Unit.id)
            .join(Building, Unit.building_id == Building.id)
            .where(Building.community_id == self._community_id)
        )

    def _resident(self, session: Session, resident_id: int) -> Resident | None:
        return session.scalars(
            self._in_community(select(Resident).where(Resident.id == resident_id))
        ).first()

    def _household(self, session: Session, household_id: int) -> Household | None:
        return session.scalars(
            select(Household)
            .join(Unit, Household.unit_id == Unit.id)
            .join(Building, Unit.building_id == Building.id)
            .where(Household.id == household_id, Building.community_id == self._community_id)
        ).first()

    def _check_actor(self, session: Session, actor: Actor) -> None:
        """Refuse actors the store does not know (or inactive volunteers)."""
        try:
            if actor.kind == "resident":
                rid = actor.resident_id
                if rid is None or self._resident(session, rid) is None:
                    raise PermissionDeniedError("unknown resident actor")
            elif actor.kind == "volunteer":
                vid = actor.volunteer_id
                volunteer = session.get(Volunteer, vid) if vid is not None else None
                if volunteer is None or not volunteer.active:
                    raise PermissionDeniedError("unknown or inactive volunteer actor")
                behalf = actor.resident_id
                if behalf is not None and self._resident(session, behalf) is None:
                    raise PermissionDeniedError("unknown resident in on_behalf_of")
        except ValueError:
            raise PermissionDeniedError("malformed actor id") from None

    def _authorize_resident(self, session: Session, actor: Actor, resident_id: int) -> Resident:
        """The resident, if ``actor`` may reach their data (themselves, a volunteer acting for
        them, admin, system)."""
        self._check_actor(session, actor)
        resident = self._resident(session, resident_id)
        if resident is None:
            raise NotFoundError("no such resident")
        if actor.kind in ("admin", "system"):
            return resident
        if actor.resident_id != resident_id:
            raise PermissionDeniedError("not this resident's actor")
        return resident

    def _authorize_household(self, session: Session, actor: Actor, household_id: int) -> None:
        self._check_actor(session, actor)
        if self._household(session, household_id) is None:
            raise NotFoundError("no such household")
        if actor.kind in ("admin", "system"):
            return
        rid = actor.resident_id
        resident = self._resident(session, rid) if rid is not None else None
        if resident is None or resident.household_id != household_id:
            raise PermissionDeniedError("not a resident of this household")

    def _identity(self, session: Session, resident: Resident) -> ResidentIdentity:
        household = session.get(Household, resident.household_id)
        assert household is not None  # a foreign key
        return ResidentIdentity(
            resident_id=resident.id,
            name=resident.name,
            household_id=household.id,
            household_label=household.display_label(),
            is_elderly=resident.is_elderly,
        )

    # ------------------------------------------------------------------ identification

    def identify_resident_by_card(self, uid_hash: str) -> ResidentIdentity:
        if not isinstance(uid_hash, str) or not _UID_HASH.fullmatch(uid_hash):
            raise InvalidRequestError("card hash must be 64 lower-case hex digits")
        with self._tx() as session:
            resident = session.scalars(
                self._in_community(select(Resident).where(Resident.card_uid_hash == uid_hash))
            ).first()
            if resident is None:
                self._record(
                    session,
                    EVENT_RESIDENT_IDENTIFIED,
                    Actor.system(),
                    {"method": "card", "result": "not_found", "kiosk": self._kiosk_id},
                )
                identity = None
            else:
                identity = self._identity(session, resident)
                self._record(
                    session,
                    EVENT_RESIDENT_IDENTIFIED,
                    Actor.resident(resident.id),
                    {"method": "card", "result": "success", "kiosk": self._kiosk_id},
                )
        if identity is None:
            raise ResidentNotFoundError()
        return identity

    def identify_resident_by_room(
        self, building: str, unit: str, room: str, phone_last4: str
    ) -> ResidentIdentity:
        building = _text(building, "building", _MAX_LOCATION)
        unit = _text(unit, "unit", _MAX_LOCATION)
        room = _text(room, "room", _MAX_LOCATION)
        if not isinstance(phone_last4, str) or not re.fullmatch(r"[0-9]{4}", phone_last4):
            raise InvalidRequestError("phone_last4 must be four digits")
        subject = f"room:{building}|{unit}|{room}"
        now = self._now()
        detail: dict[str, DetailValue] = {"method": "room", "kiosk": self._kiosk_id}
        with self._tx() as session:
            state = lockout_state(session, subject)
            if state.locked_at(now):
                assert state.locked_until is not None
                self._record(
                    session,
                    EVENT_RESIDENT_IDENTIFIED,
                    Actor.system(),
                    detail | {"result": "locked"},
                )
                outcome: object = LockedOutError(state.locked_until)
            else:
                candidates = session.scalars(
                    self._in_community(select(Resident)).where(
                        Building.number == building, Unit.number == unit, Household.room == room
                    )
                ).all()
                matches = [
                    r
                    for r in candidates
                    if r.phone_last4 is not None and hmac.compare_digest(r.phone_last4, phone_last4)
                ]
                if len(matches) == 1:
                    record_success(session, subject)
                    outcome = self._identity(session, matches[0])
                    self._record(
                        session,
                        EVENT_RESIDENT_IDENTIFIED,
                        Actor.resident(matches[0].id),
                        detail | {"result": "success"},
                    )
                elif len(matches) > 1:
                    self._record(
                        session,
                        EVENT_RESIDENT_IDENTIFIED,
                        Actor.system(),
                        detail | {"result": "ambiguous"},
                    )
                    outcome = AmbiguousIdentityError()
                else:
                    failed = record_failure(session, subject, self._lockout, now)
                    result_detail = detail | {"result": "failure", "failures": failed.failures}
                    if failed.locked_until is not None:
                        result_detail["locked_until"] = _iso(failed.locked_until)
                        log.warning("room identification locked after %d misses", failed.failures)
                    self._record(session, EVENT_RESIDENT_IDENTIFIED, Actor.system(), result_detail)
                    outcome = IdentificationFailedError(failed.failures, failed.locked_until)
        if isinstance(outcome, ResidentIdentity):
            return outcome
        assert isinstance(outcome, Exception)
        raise outcome

    def identify_volunteer_by_card(self, uid_hash: str) -> VolunteerIdentity:
        if not isinstance(uid_hash, str) or not _UID_HASH.fullmatch(uid_hash):
            raise InvalidRequestError("card hash must be 64 lower-case hex digits")
        with self._tx() as session:
            volunteer = session.scalars(
                select(Volunteer).where(Volunteer.card_uid_hash == uid_hash)
            ).first()
            found = volunteer is not None and volunteer.active
            self._record(
                session,
                EVENT_VOLUNTEER_IDENTIFIED,
                Actor.volunteer(volunteer.id)
                if volunteer is not None and found
                else Actor.system(),
                {"method": "card", "result": "success" if found else "not_found"},
            )
            identity = _volunteer_identity(volunteer) if volunteer is not None and found else None
        if identity is None:
            raise VolunteerNotFoundError()
        return identity

    def verify_volunteer_pin(self, volunteer_id: int, pin: str) -> VolunteerIdentity:
        subject = f"volunteer:{int(volunteer_id)}"
        now = self._now()
        with self._tx() as session:
            volunteer = session.get(Volunteer, volunteer_id)
            if volunteer is None or not volunteer.active:
                raise VolunteerNotFoundError()
            if volunteer.pin_hash is None:
                raise PinNotSetError()
            actor = Actor.volunteer(volunteer.id)
            state = lockout_state(session, subject)
            if state.locked_at(now):
                assert state.locked_until is not None
                self._record(
                    session,
                    EVENT_VOLUNTEER_LOGIN,
                    actor,
                    {
                        "result": "locked",
                        "failures": state.failures,
                        "locked_until": _iso(state.locked_until),
                    },
                )
                outcome: VolunteerIdentity | Exception = LockedOutError(state.locked_until)
            elif self._pin_matches(volunteer.pin_hash, pin):
                if self._hasher.check_needs_rehash(volunteer.pin_hash):
                    volunteer.pin_hash = self._hasher.hash(pin)
                record_success(session, subject)
                self._record(
                    session, EVENT_VOLUNTEER_LOGIN, actor, {"result": "success", "failures": 0}
                )
                outcome = _volunteer_identity(volunteer)
            else:
                failed = record_failure(session, subject, self._lockout, now)
                detail: dict[str, DetailValue] = {"result": "failure", "failures": failed.failures}
                if failed.locked_until is not None:
                    detail["locked_until"] = _iso(failed.locked_until)
                    log.warning("volunteer PIN locked after %d failures", failed.failures)
                self._record(session, EVENT_VOLUNTEER_LOGIN, actor, detail)
                outcome = WrongPinError(failed.failures, failed.locked_until)
        if isinstance(outcome, VolunteerIdentity):
            return outcome
        raise outcome

    def _pin_matches(self, stored: str, pin: str) -> bool:
        try:
            return bool(self._hasher.verify(stored, pin))
        except VerificationError:
            return False
        except InvalidHashError:
            log.error("a stored volunteer PIN hash is malformed; no PIN can match")
            return False

    def enroll_volunteer_pin(self, volunteer_id: int, pin: str, *, actor: Actor) -> None:
        """Set (or replace) a volunteer's PIN. Station administration, not in the protocol.

        Raises:
            kiosk.pins.WeakPinError: The PIN breaks the PIN rule.
            VolunteerNotFoundError: No such active volunteer.
            PermissionDeniedError: Only an admin or the volunteer themselves may do this.
        """
        check_pin(pin)
        if actor.kind != "admin" and actor.volunteer_id != volunteer_id:
            raise PermissionDeniedError("only an admin or the volunteer may set a PIN")
        new_hash = self._hasher.hash(pin)
        with self._tx() as session:
            volunteer = session.get(Volunteer, volunteer_id)
            if volunteer is None or not volunteer.active:
                raise VolunteerNotFoundError()
            volunteer.pin_hash = new_hash
            record_success(session, f"volunteer:{volunteer.id}")
            self._record(session, EVENT_VOLUNTEER_PIN_SET, actor, {"volunteer_id": volunteer.id})

    # ------------------------------------------------------------------ households

    def find_households(
        self, building: str | None = None, unit: str | None = None
    ) -> list[HouseholdSummary]:
        query = (
            select(Household, Unit, Building)
            .join(Unit, Household.unit_id == Unit.id)
            .join(Building, Unit.building_id == Building.id)
            .where(Building.community_id == self._community_id)
        )
        if building is not None:
            query = query.where(Building.number == building)
        if unit is not None:
            query = query.where(Unit.number == unit)
        with self._tx(write=False) as session:
            rows = session.execute(query).all()
        result = [
            HouseholdSummary(
                household_id=h.id,
                building=b.number,
                building_name=b.name,
                unit=u.number,
                room=h.room,
                label=household_label(b.name, u.number, h.room),
            )
            for h, u, b in rows
        ]
        result.sort(key=lambda s: (_natural(s.building), _natural(s.unit), _natural(s.room)))
        return result

    # ------------------------------------------------------------------ passes and visits

    def redeem_pass(self, pass_id: bytes, uses_allowed: int, kiosk_id: str, at: datetime) -> int:
        try:
            return self.ledger.redeem(pass_id, uses_allowed, kiosk_id=kiosk_id, at=at)
        except AlreadyUsedError:
            raise PassAlreadyUsedError() from None
        except ValueError as exc:
            raise InvalidRequestError(str(exc)) from None
        except (OperationalError, InterfaceError) as exc:
            raise PlatformUnavailableError() from exc

    def check_in(self, visit: CheckInRequest, *, actor: Actor) -> Visit:
        name = _text(visit.visitor_name, "visitor_name", _MAX_NAME)
        visit_id = _uuid(visit.visit_id, "visit_id")
        at = _aware(visit.at, "at") if visit.at is not None else self._now()
        try:
            pass_hex = pass_id_text(visit.pass_id) if visit.pass_id is not None else None
        except ValueError as exc:
            raise InvalidRequestError(str(exc)) from None
        if visit.redeem_uses_allowed is not None and visit.pass_id is None:
            raise InvalidRequestError("redeem_uses_allowed needs a pass_id")
        for _attempt in range(_MAX_RACE_RETRIES):
            try:
                return self._check_in_once(visit, actor, visit_id, name, pass_hex, at)
            except AlreadyUsedError:
                assert visit.pass_id is not None
                assert visit.redeem_uses_allowed is not None
                with self._tx() as session:
                    self._audit_redemption(
                        session,
                        "pass.refused",
                        {
                            "pass_id": visit.pass_id.hex(),
                            "uses_allowed": visit.redeem_uses_allowed,
                            "kiosk": self._kiosk_id,
                        },
                    )
                raise PassAlreadyUsedError() from None
            except IntegrityError:
                # PostgreSQL: another kiosk redeemed the same use number, or stored the same
                # visit id, at the same moment. Run again: it now sees their row.
                log.info("check-in raced another kiosk; retrying")
        raise PlatformUnavailableError("check-in kept racing other kiosks")

    def _check_in_once(
        self,
        visit: CheckInRequest,
        actor: Actor,
        visit_id: str,
        name: str,
        pass_hex: str | None,
        at: datetime,
    ) -> Visit:
        with self._tx() as session:
            existing = session.get(VisitRow, visit_id)
            if existing is not None:
                view = self._visit_view(session, existing)
                same = (
                    view.visitor_name == name
                    and view.host_household_id == visit.host_household_id
                    and view.pass_id == pass_hex
                )
                if not same:
                    raise ConflictError("visit id reused for a different visit")
                return view
            self._check_actor(session, actor)
            if (
                visit.host_household_id is not None
                and self._household(session, visit.host_household_id) is None
            ):
                raise NotFoundError("no such household")
            if visit.redeem_uses_allowed is not None:
                assert visit.pass_id is not None
                try:
                    self.ledger.redeem_in(
                        session,
                        visit.pass_id,
                        visit.redeem_uses_allowed,
                        kiosk_id=self._kiosk_id,
                        at=at,
                    )
                except ValueError as exc:
                    raise InvalidRequestError(str(exc)) from None
            row = VisitRow(
                id=visit_id,
                station_id=self._station_id,
                kiosk_id=self._kiosk_id,
                pass_id=pass_hex,
                visitor_name_enc=self._cipher.encrypt_text(name, context=VISITOR_NAME_CONTEXT),
                host_household_id=visit.host_household_id,
                checked_in_at=at,
                checked_out_at=None,
                volunteer_id=actor.volunteer_id,
                on_behalf_of=actor.resident_id if actor.kind == "volunteer" else None,
            )
            session.add(row)
            session.flush()
            facts: dict[str, DetailValue] = {"visit_id": visit_id, "kiosk": self._kiosk_id}
            if visit.host_household_id is not None:
                facts["household_id"] = visit.host_household_id
            if pass_hex is not None:
                facts["pass_id"] = pass_hex
            self._publish(
                session,
                EVENT_VISIT_CHECKED_IN,
                actor,
                facts,
                key=f"{EVENT_VISIT_CHECKED_IN}:{visit_id}",
                extra={"station": self._station_id, "at": _iso(at)},
                at=at,
            )
            return self._visit_view(session, row)

    def check_out(self, visit_id: str, *, actor: Actor) -> Visit:
        key = _uuid(visit_id, "visit_id")
        now = self._now()
        with self._tx() as session:
            row = session.get(VisitRow, key, with_for_update=True)
            if row is None or row.station_id != self._station_id:
                raise VisitNotFoundError()
            if row.checked_out_at is not None:
                raise VisitAlreadyClosedError()
            self._check_actor(session, actor)
            row.checked_out_at = now
            row.checkout_kiosk_id = self._kiosk_id
            session.flush()
            facts: dict[str, DetailValue] = {"visit_id": key, "kiosk": self._kiosk_id}
            self._publish(
                session,
                EVENT_VISIT_CHECKED_OUT,
                actor,
                facts,
                key=f"{EVENT_VISIT_CHECKED_OUT}:{key}",
                extra={"station": self._station_id, "at": _iso(now)},
                at=now,
            )
            return self._visit_view(session, row)

    def visits_inside(self) -> list[Visit]:
        with self._tx(write=False) as session:
            rows = session.scalars(
                select(VisitRow)
                .where(VisitRow.station_id == self._station_id, VisitRow.checked_out_at.is_(None))
                .order_by(VisitRow.checked_in_at, VisitRow.id)
            ).all()
            return [self._visit_view(session, row) for row in rows]

    def _visit_view(self, session: Session, row: VisitRow) -> Visit:
        label = None
        if row.host_household_id is not None:
            household = session.get(Household, row.host_household_id)
            label = household.display_label() if household is not None else None
        return Visit(
            id=row.id,
            visitor_name=self._cipher.decrypt_text(
                row.visitor_name_enc, context=VISITOR_NAME_CONTEXT
            ),
            host_household_id=row.host_household_id,
            host_label=label,
            pass_id=row.pass_id,
            kiosk_id=row.kiosk_id,
            checked_in_at=row.checked_in_at,
            checked_out_at=row.checked_out_at,
            volunteer_id=row.volunteer_id,
            on_behalf_of=row.on_behalf_of,
        )

    # ------------------------------------------------------------------ notices, help, heartbeat

    def notices(self, *, now: datetime | None = None, limit: int = 10) -> list[NoticeItem]:
        try:
            views = self._notices.current(
                _aware(now, "now") if now is not None else self._now(), limit
            )
        except ValueError as exc:
            raise InvalidRequestError(str(exc)) from None
        except (OperationalError, InterfaceError) as exc:
            raise PlatformUnavailableError() from exc
        return [
            NoticeItem(
                id=v.id, title=v.title, body=v.body, published_at=v.published_at, pinned=v.pinned
            )
            for v in views
        ]

    def call_for_help(self, call: HelpCall) -> HelpTicket:
        screen_id = _text(call.screen_id, "screen_id", 64)
        mode = _text(call.mode, "mode", 16)
        help_id = _uuid(call.request_id, "request_id")
        with self._tx() as session:
            existing = session.get(HelpRequest, help_id)
            if existing is not None:
                return HelpTicket(id=existing.id, created_at=existing.created_at)
            actor = (
                Actor.volunteer(call.volunteer_id)
                if call.volunteer_id is not None
                else Actor.system()
            )
            self._check_actor(session, actor)
            now = self._now()
            session.add(
                HelpRequest(
                    id=help_id,
                    station_id=self._station_id,
                    screen_id=screen_id,
                    mode=mode,
                    volunteer_id=call.volunteer_id,
                    created_at=now,
                    status="open",
                )
            )
            session.flush()
            facts: dict[str, DetailValue] = {
                "help_id": help_id,
                "station": self._station_id,
                "screen": screen_id,
                "mode": mode,
            }
            self._publish(
                session,
                EVENT_HELP_REQUESTED,
                actor,
                facts,
                key=f"{EVENT_HELP_REQUESTED}:{help_id}",
                extra={"kiosk": self._kiosk_id, "at": _iso(now)},
                at=now,
            )
        return HelpTicket(id=help_id, created_at=now)

    def heartbeat(self, status: HeartbeatStatus) -> HeartbeatAck:
        kiosk_id = _text(status.kiosk_id, "kiosk_id", _MAX_ID_TEXT)
        version = _text(status.app_version, "app_version", 32)
        sent_at = _aware(status.sent_at, "sent_at")
        devices = dict(status.devices)
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in devices.items()):
            raise InvalidRequestError("device states must be text")
        body = json.dumps(
            {
                "uptime_s": status.uptime_s,
                "rss_bytes": status.rss_bytes,
                "devices": devices,
                "outbox_depth": status.outbox_depth,
                "last_sync_at": (
                    _iso(status.last_sync_at) if status.last_sync_at is not None else None
                ),
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        now = self._now()
        with self._tx() as session:
            last = session.execute(
                select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
            ).first()
            head, count = (last.hash, last.seq) if last is not None else (GENESIS_HASH, 0)
            row = session.get(Heartbeat, kiosk_id)
            if row is None:
                row = Heartbeat(kiosk_id=kiosk_id)
                session.add(row)
            row.station_id = self._station_id
            row.sent_at = sent_at
            row.received_at = now
            row.app_version = version
            row.status = body
            row.audit_head = head
            row.audit_count = count
        return HeartbeatAck(
            received_at=now,
            audit_head=head,
            audit_count=count,
            clock_skew_s=(now - sent_at).total_seconds(),
        )

    # ------------------------------------------------------------------ bills and payments

    def list_bills(
        self, household_id: int, *, actor: Actor, include_settled: bool = False
    ) -> list[BillItem]:
        with self._tx(write=False) as session:
            self._authorize_household(session, actor, household_id)
            query = select(Bill).where(Bill.household_id == household_id)
            if not include_settled:
                query = query.where(Bill.status == "open")
            rows = session.scalars(query.order_by(Bill.issued_at, Bill.id)).all()
            return [
                BillItem(
                    bill_id=b.id,
                    household_id=b.household_id,
                    kind=b.kind,
                    title=b.title,
                    period=b.period,
                    amount_fen=b.amount_fen,
                    issued_at=b.issued_at,
                    due_at=b.due_at,
                    status=cast(Literal["open", "paid", "cancelled"], b.status),
                )
                for b in rows
            ]

    def create_payment(
        self, bill_id: int, *, method: PaymentMethod, idempotency_key: str, actor: Actor
    ) -> PaymentInfo:
        # TODO(payments): the payment flows (order creation with the provider, polling,
        # resolving ``unknown``) are a later issue; the tables and state machine exist.
        raise NotSupportedError("payments are not available at this station yet")

    def payment_status(self, payment_id: str) -> PaymentInfo:
        with self._tx(write=False) as session:
            row = session.get(Payment, payment_id)
            if row is None:
                raise NotFoundError("no such payment")
            bill = session.get(Bill, row.bill_id)
            if bill is None or self._household(session, bill.household_id) is None:
                raise BillNotFoundError()
            return PaymentInfo(
                payment_id=row.id,
                bill_id=row.bill_id,
                method=cast(PaymentMethod, row.method),
                amount_fen=row.amount_fen,
                state=cast(PaymentState, row.state),
                updated_at=row.updated_at,
                expires_at=row.expires_at,
            )

    # ------------------------------------------------------------------ consent and health

    @staticmethod
    def _consent_kind(kind: str) -> ConsentKind:
        if kind not in CONSENT_KINDS:
            raise InvalidRequestError("unknown consent kind")
        return cast(ConsentKind, kind)

    @staticmethod
    def _consent_info(row: Consent) -> ConsentInfo:
        return ConsentInfo(
            consent_id=row.id,
            resident_id=row.resident_id,
            kind=cast(ConsentKind, row.kind),
            version=row.version,
            given_at=row.given_at,
            withdrawn_at=row.withdrawn_at,
        )

    @staticmethod
    def _active_consent(session: Session, resident_id: int, kind: str) -> Consent | None:
        return session.scalars(
            select(Consent)
            .where(
                Consent.resident_id == resident_id,
                Consent.kind == kind,
                Consent.withdrawn_at.is_(None),
            )
            .order_by(Consent.given_at.desc(), Consent.id.desc())
            .limit(1)
        ).first()

    def record_consent(
        self, resident_id: int, kind: ConsentKind, version: str, *, actor: Actor
    ) -> ConsentInfo:
        kind = self._consent_kind(kind)
        version = _text(version, "version", 32)
        now = self._now()
        with self._tx() as session:
            self._authorize_resident(session, actor, resident_id)
            active = self._active_consent(session, resident_id, kind)
            if active is not None and active.version == version:
                return self._consent_info(active)
            row = Consent(resident_id=resident_id, kind=kind, version=version, given_at=now)
            session.add(row)
            session.flush()
            facts: dict[str, DetailValue] = {
                "consent_id": row.id,
                "resident_id": resident_id,
                "kind": kind,
                "version": version,
            }
            self._publish(
                session,
                EVENT_CONSENT_GIVEN,
                actor,
                facts,
                key=f"{EVENT_CONSENT_GIVEN}:{self._station_id}:{row.id}",
                extra={"at": _iso(now)},
                at=now,
            )
            return self._consent_info(row)

    def withdraw_consent(self, resident_id: int, kind: ConsentKind, *, actor: Actor) -> int:
        kind = self._consent_kind(kind)
        now = self._now()
        with self._tx() as session:
            self._authorize_resident(session, actor, resident_id)
            rows = session.scalars(
                select(Consent).where(
                    Consent.resident_id == resident_id,
                    Consent.kind == kind,
                    Consent.withdrawn_at.is_(None),
                )
            ).all()
            for row in rows:
                row.withdrawn_at = now
            session.flush()
            if rows:
                facts: dict[str, DetailValue] = {
                    "resident_id": resident_id,
                    "kind": kind,
                    "count": len(rows),
                }
                self._publish(
                    session,
                    EVENT_CONSENT_WITHDRAWN,
                    actor,
                    facts,
                    key=(
                        f"{EVENT_CONSENT_WITHDRAWN}:{self._station_id}:"
                        + ",".join(str(r.id) for r in rows)
                    )[:255],
                    extra={"at": _iso(now)},
                    at=now,
                )
            return len(rows)

    def consent_status(self, resident_id: int, kind: ConsentKind) -> ConsentInfo | None:
        kind = self._consent_kind(kind)
        with self._tx(write=False) as session:
            row = self._active_consent(session, resident_id, kind)
            return self._consent_info(row) if row is not None else None

    def record_health(self, reading: HealthReading, *, actor: Actor) -> HealthRecordView:
        record_id = _uuid(reading.record_id, "record_id")
        if reading.kind not in HEALTH_KINDS:
            raise InvalidRequestError("unknown health reading kind")
        if reading.source not in ("device", "manual"):
            raise InvalidRequestError("source must be device or manual")
        unit = _text(reading.unit, "unit", 16)
        values = _health_values(reading.values)
        measured_at = _aware(reading.measured_at, "measured_at")
        now = self._now()
        with self._tx() as session:
            self._authorize_resident(session, actor, reading.resident_id)
            existing = session.get(HealthRecord, record_id)
            if existing is not None:
                view = self._health_view(existing)
                if (view.resident_id, view.kind, dict(view.values)) != (
                    reading.resident_id,
                    reading.kind,
                    values,
                ):
                    raise ConflictError("record id reused for a different reading")
                return view
            consent = self._active_consent(session, reading.resident_id, "health_data")
            if consent is None:
                raise ConsentRequiredError()
            row = HealthRecord(
                id=record_id,
                resident_id=reading.resident_id,
                consent_id=consent.id,
                kind=reading.kind,
                unit=unit,
                value_enc=self._cipher.encrypt_json(dict(values), context=HEALTH_CONTEXT),
                measured_at=measured_at,
                recorded_at=now,
                source=reading.source,
                kiosk_id=self._kiosk_id,
                volunteer_id=actor.volunteer_id,
            )
            session.add(row)
            session.flush()
            facts: dict[str, DetailValue] = {
                "record_id": record_id,
                "kind": reading.kind,
                "source": reading.source,
                "kiosk": self._kiosk_id,
            }
            self._publish(
                session,
                EVENT_HEALTH_RECORDED,
                actor,
                facts,
                key=f"{EVENT_HEALTH_RECORDED}:{record_id}",
                extra={"resident_id": reading.resident_id, "at": _iso(measured_at)},
                at=now,
            )
            return self._health_view(row)

    def health_history(
        self,
        resident_id: int,
        *,
        actor: Actor,
        kind: HealthKind | None = None,
        limit: int = 20,
    ) -> list[HealthRecordView]:
        if limit < 1:
            raise InvalidRequestError("limit must be at least 1")
        with self._tx(write=False) as session:
            self._authorize_resident(session, actor, resident_id)
            query = select(HealthRecord).where(HealthRecord.resident_id == resident_id)
            if kind is not None:
                query = query.where(HealthRecord.kind == kind)
            rows = session.scalars(
                query.order_by(HealthRecord.measured_at.desc(), HealthRecord.id).limit(limit)
            ).all()
            return [self._health_view(r) for r in rows]

    def _health_view(self, row: HealthRecord) -> HealthRecordView:
        value = self._cipher.decrypt_json(row.value_enc, context=HEALTH_CONTEXT)
        if not isinstance(value, dict):
            raise ValueError("stored health value is not an object")
        return HealthRecordView(
            record_id=row.id,
            resident_id=row.resident_id,
            kind=cast(HealthKind, row.kind),
            unit=row.unit,
            values={k: v for k, v in value.items() if isinstance(v, int | float)},
            measured_at=row.measured_at,
            source=cast(Literal["device", "manual"], row.source),
        )

    # ------------------------------------------------------------------ tutorials and points

    def tutorial_progress(self, resident_id: int) -> list[TutorialStep]:
        with self._tx(write=False) as session:
            rows = session.scalars(
                select(TutorialProgress)
                .where(TutorialProgress.resident_id == resident_id)
                .order_by(TutorialProgress.tutorial_id)
            ).all()
            return [TutorialStep(r.tutorial_id, r.step, r.completed_at) for r in rows]

    def record_tutorial_progress(
        self, resident_id: int, tutorial_id: str, step: int, *, completed: bool, actor: Actor
    ) -> TutorialStep:
        tutorial_id = _text(tutorial_id, "tutorial_id", 64)
        if isinstance(step, bool) or not isinstance(step, int) or step < 0:
            raise InvalidRequestError("step must be a whole number from 0")
        now = self._now()
        with self._tx() as session:
            self._authorize_resident(session, actor, resident_id)
            row = session.scalars(
                select(TutorialProgress)
                .where(
                    TutorialProgress.resident_id == resident_id,
                    TutorialProgress.tutorial_id == tutorial_id,
                )
                .with_for_update()
            ).first()
            if row is None:
                row = TutorialProgress(
                    resident_id=resident_id, tutorial_id=tutorial_id, step=step, updated_at=now
                )
                session.add(row)
            row.step = max(row.step, step)
            row.updated_at = now
            newly_completed = completed and row.completed_at is None
            if newly_completed:
                row.completed_at = now
            session.flush()
            if newly_completed:
                self._record(
                    session,
                    EVENT_TUTORIAL_COMPLETED,
                    actor,
                    {"resident_id": resident_id, "tutorial_id": tutorial_id},
                )
            return TutorialStep(row.tutorial_id, row.step, row.completed_at)

    @staticmethod
    def _balance(session: Session, resident_id: int) -> PointsBalance:
        total, entries = session.execute(
            select(func.coalesce(func.sum(PointsEntry.delta), 0), func.count()).where(
                PointsEntry.resident_id == resident_id
            )
        ).one()
        return PointsBalance(resident_id=resident_id, balance=int(total), entries=int(entries))

    def points(self, resident_id: int) -> PointsBalance:
        with self._tx(write=False) as session:
            return self._balance(session, resident_id)

    def award_points(
        self,
        resident_id: int,
        delta: int,
        reason: str,
        *,
        idempotency_key: str,
        actor: Actor,
    ) -> PointsBalance:
        if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
            raise InvalidRequestError("delta must be a non-zero whole number")
        reason = _text(reason, "reason", 64)
        key = _text(idempotency_key, "idempotency_key", 128)
        now = self._now()
        with self._tx() as session:
            resident = self._authorize_resident(session, actor, resident_id)
            # Serialise entries of one resident (PostgreSQL), so two spends cannot overdraw.
            session.execute(select(Resident.id).where(Resident.id == resident.id).with_for_update())
            existing = session.scalars(
                select(PointsEntry).where(PointsEntry.idempotency_key == key)
            ).first()
            if existing is not None:
                if (existing.resident_id, existing.delta, existing.reason) != (
                    resident_id,
                    delta,
                    reason,
                ):
                    raise ConflictError("idempotency key reused for a different entry")
                return self._balance(session, resident_id)
            before = self._balance(session, resident_id)
            if before.balance + delta < 0:
                raise InsufficientPointsError()
            session.add(
                PointsEntry(
                    resident_id=resident_id,
                    delta=delta,
                    reason=reason,
                    idempotency_key=key,
                    created_at=now,
                )
            )
            session.flush()
            self._record(
                session,
                EVENT_POINTS,
                actor,
                {"resident_id": resident_id, "delta": delta, "reason": reason},
            )
            return self._balance(session, resident_id)


def _volunteer_identity(row: Volunteer) -> VolunteerIdentity:
    role: Literal["volunteer", "staff"] = "staff" if row.role == "staff" else "volunteer"
    return VolunteerIdentity(volunteer_id=row.id, name=row.name, role=role)


def _health_values(values: Mapping[str, float | int]) -> dict[str, float | int]:
    if not isinstance(values, Mapping) or not 1 <= len(values) <= _MAX_HEALTH_VALUES:
        raise InvalidRequestError(f"a reading has 1 to {_MAX_HEALTH_VALUES} values")
    out: dict[str, float | int] = {}
    for name, value in values.items():
        _text(name, "value name", 32)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidRequestError("reading values must be numbers")
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidRequestError("reading values must be finite")
        out[name] = value
    return out
