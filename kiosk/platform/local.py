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

Visitors. Every visit gets an exit code (:mod:`kiosk.security.short_codes`) unique among the
visits inside; the host household gets a :class:`~kiosk.platform.api.HostNotification` in
the visit's own transaction. Walk-ins are admitted on an approved
:class:`~kiosk.platform.api.ApprovalTicket` (pending → approved | refused | expired |
cancelled; ``referred`` when the visitor is on the deny list, which only staff learn). The
deny list holds keyed hashes (``hash_key``: HMAC-SHA256 of the NFKC name without white
space, and of the phone digits), never names or numbers. Passes issued here (邀请访客) are
signed with ``pass_signer`` and findable by short code. Visitor photos are files under
``photos_dir``, sealed with the cipher and written durably (temporary file, fsync, rename,
fsync of the directory); retention purges them with their rows.

Database failures (unreachable server, a lock that outlived ``busy_timeout``) surface as
:class:`~kiosk.platform.api.PlatformUnavailableError`.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import math
import re
import secrets
import unicodedata
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final, Literal, cast

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from kiosk.masking import mask_name, mask_phone
from kiosk.pins import LockoutPolicy, check_pin
from kiosk.platform.api import (
    VISIT_REASONS,
    Actor,
    AmbiguousIdentityError,
    ApprovalDecider,
    ApprovalNotFoundError,
    ApprovalNotGrantedError,
    ApprovalState,
    ApprovalTicket,
    BillItem,
    BillNotFoundError,
    CheckInRequest,
    ConflictError,
    ConsentInfo,
    ConsentKind,
    ConsentRequiredError,
    DenyListEntry,
    HealthKind,
    HealthReading,
    HealthRecordView,
    HeartbeatAck,
    HeartbeatStatus,
    HelpCall,
    HelpTicket,
    HostNotification,
    HouseholdNotFoundError,
    HouseholdSummary,
    IdentificationFailedError,
    IdentityCodeRejectedError,
    InsufficientPointsError,
    InvalidRequestError,
    IssuedPass,
    IssuePassRequest,
    LockedOutError,
    NotFoundError,
    NoticeItem,
    NotSupportedError,
    PassAlreadyUsedError,
    PassNotFoundError,
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
    VisitKind,
    VisitNotFoundError,
    VisitReason,
    VolunteerIdentity,
    VolunteerNotFoundError,
    WalkInRequest,
    WrongPinError,
)
from kiosk.security.crypto import DecryptionError, FieldCipher
from kiosk.security.identity_tokens import (
    IdentityKind,
    IdentityRejectedError,
    IdentityRejection,
    IdentityVerifier,
)
from kiosk.security.passes import AlreadyUsedError, PassContent, PassSigner, decode_payload
from kiosk.security.short_codes import is_valid_code, new_code, normalize_code
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
    VISIT_KINDS,
    Approval,
    AuditEvent,
    Bill,
    Building,
    Consent,
    DenyListRow,
    HealthRecord,
    Heartbeat,
    HelpRequest,
    HostNotificationRow,
    Household,
    IssuedPassRow,
    Payment,
    PointsEntry,
    Resident,
    TutorialProgress,
    Unit,
    VisitPhoto,
    Volunteer,
    household_label,
)
from kiosk.store.models import Visit as VisitRow
from kiosk.store.outbox import add_event
from kiosk.store.photos import photo_context, write_durably
from kiosk.store.types import ensure_utc, utc_now

__all__ = [
    "APPROVAL_NAME_CONTEXT",
    "APPROVAL_PHONE_CONTEXT",
    "EVENT_APPROVAL_CANCELLED",
    "EVENT_APPROVAL_DECIDED",
    "EVENT_APPROVAL_EXPIRED",
    "EVENT_APPROVAL_REQUESTED",
    "EVENT_CONSENT_GIVEN",
    "EVENT_CONSENT_WITHDRAWN",
    "EVENT_DENY_LIST_ADDED",
    "EVENT_DENY_LIST_REMOVED",
    "EVENT_HEALTH_RECORDED",
    "EVENT_PASS_ISSUED",
    "EVENT_POINTS",
    "EVENT_RESIDENT_IDENTIFIED",
    "EVENT_TUTORIAL_COMPLETED",
    "EVENT_VISITOR_REFERRED",
    "EVENT_VISIT_CHECKED_IN",
    "EVENT_VISIT_CHECKED_OUT",
    "EVENT_VISIT_PHOTO_ATTACHED",
    "EVENT_VISIT_PHOTO_VIEWED",
    "EVENT_VOLUNTEER_IDENTIFIED",
    "EVENT_VOLUNTEER_LOGIN",
    "EVENT_VOLUNTEER_PIN_SET",
    "HEALTH_CONTEXT",
    "MAX_PASS_USES",
    "MAX_PHOTO_BYTES",
    "REFERRAL_SCREEN_ID",
    "VISITOR_NAME_CONTEXT",
    "VISIT_PHONE_CONTEXT",
    "LocalPlatform",
    "deny_list_name_hash",
    "deny_list_phone_hash",
    "normalize_phone",
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
EVENT_PASS_ISSUED: Final = "pass.issued"
EVENT_APPROVAL_REQUESTED: Final = "approval.requested"
EVENT_APPROVAL_DECIDED: Final = "approval.decided"
EVENT_APPROVAL_EXPIRED: Final = "approval.expired"
EVENT_APPROVAL_CANCELLED: Final = "approval.cancelled"
EVENT_VISITOR_REFERRED: Final = "visitor.referred"
EVENT_DENY_LIST_ADDED: Final = "deny_list.added"
EVENT_DENY_LIST_REMOVED: Final = "deny_list.removed"
EVENT_VISIT_PHOTO_ATTACHED: Final = "visit.photo_attached"
EVENT_VISIT_PHOTO_VIEWED: Final = "visit.photo_viewed"

VISITOR_NAME_CONTEXT: Final = "visits.visitor_name_enc"
VISIT_PHONE_CONTEXT: Final = "visits.phone_enc"
HEALTH_CONTEXT: Final = "health_records.value_enc"
APPROVAL_NAME_CONTEXT: Final = "approvals.visitor_name_enc"
APPROVAL_PHONE_CONTEXT: Final = "approvals.phone_enc"

REFERRAL_SCREEN_ID: Final = "visitor_referred"
"""``screen_id`` of the help request that calls staff to a referred walk-in."""
_REFERRAL_MODE: Final = "staff"

MAX_PASS_USES: Final = 10
"""Most uses a pass issued at the kiosk may allow."""
MAX_PHOTO_BYTES: Final = 4 * 1024 * 1024
"""Largest visitor photo (JPEG) accepted."""
_JPEG_MAGIC: Final = b"\xff\xd8\xff"
_MAX_NOTE = 200
_MAX_LIMIT = 200
_CODE_ATTEMPTS = 20
_DENY_NAME_DOMAIN: Final = b"kiosk.deny_list.name\x00"
_DENY_PHONE_DOMAIN: Final = b"kiosk.deny_list.phone\x00"
_MIN_PHONE_DIGITS = 5
_MAX_PHONE_DIGITS = 15
_PHONE_CHARS = re.compile(r"[0-9+\-() \u00a0]+")
_HOUSEHOLD_CODE = re.compile(r"([^\s-]{1,16})-([^\s-]{1,16})-([^\s-]{1,16})")

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


def _whole(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequestError(f"{what} must be a whole number")
    return value


def normalize_phone(phone: str) -> str:
    """The digits of a phone number as people type it (spaces, dashes, brackets, a ``+86``
    or ``0086`` country code dropped): ``"+86 138-1234-5678"`` → ``"13812345678"``.

    Raises:
        InvalidRequestError: Other characters, or not 5 to 15 digits. The message never
            repeats the number.
    """
    if not isinstance(phone, str):
        raise InvalidRequestError("a phone number is text")
    phone = unicodedata.normalize("NFKC", phone)  # full-width digits, as IMEs type them
    if not _PHONE_CHARS.fullmatch(phone):
        raise InvalidRequestError("a phone number is digits, spaces, dashes and brackets")
    digits = "".join(ch for ch in phone if ch.isdigit())
    stripped = phone.strip()
    if stripped.startswith("+86") or (stripped.startswith("0086") and len(digits) > 11):
        digits = digits[2:] if stripped.startswith("+") else digits[4:]
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if not _MIN_PHONE_DIGITS <= len(digits) <= _MAX_PHONE_DIGITS:
        raise InvalidRequestError(
            f"a phone number has {_MIN_PHONE_DIGITS} to {_MAX_PHONE_DIGITS} digits"
        )
    return digits


def _deny_hash(key: bytes, domain: bytes, value: str) -> str:
    return hmac.new(key, domain + value.encode("utf-8"), hashlib.sha256).hexdigest()


def deny_list_name_hash(name: str, key: bytes) -> str:
    """The deny list's keyed hash of a name: HMAC-SHA256 of its NFKC form with every white
    space character removed (``"张 三"`` and full-width spellings hash alike)."""
    folded = "".join(unicodedata.normalize("NFKC", name).split())
    return _deny_hash(key, _DENY_NAME_DOMAIN, folded)


def deny_list_phone_hash(phone: str, key: bytes) -> str:
    """The deny list's keyed hash of a phone number (its :func:`normalize_phone` digits)."""
    return _deny_hash(key, _DENY_PHONE_DOMAIN, normalize_phone(phone))


def _token_content(token: str) -> PassContent:
    """The fields of a token this platform signed (read back for a stored pass)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("a stored pass token is malformed")
    try:
        payload = base64.b32decode(parts[1] + "=" * (-len(parts[1]) % 8))
    except (binascii.Error, ValueError):
        raise ValueError("a stored pass token is malformed") from None
    return decode_payload(payload)


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
        pass_signer: Signs invitations (:meth:`issue_pass`); ``None``: not offered here.
        identity_verifier: Checks the residents' and volunteers' app QR codes; ``None``:
            :meth:`identify_resident_by_qr` and :meth:`identify_volunteer_by_qr` are not
            offered.
        hash_key: Key of the deny list's name and phone hashes (the station's card key).
            ``None``: walk-ins are not checked against the deny list and managing it raises
            :class:`~kiosk.platform.api.NotSupportedError`.
        photos_dir: Where visitor photos are kept (``<data_dir>/photos``, the directory
            retention purges); ``None``: photos are not offered.
        approval_timeout_s: How long a host has to answer a walk-in.
        max_pass_days: Longest validity of an issued pass, and furthest ahead it may start.

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
        pass_signer: PassSigner | None = None,
        identity_verifier: IdentityVerifier | None = None,
        hash_key: bytes | None = None,
        photos_dir: Path | None = None,
        approval_timeout_s: int = 180,
        max_pass_days: int = 7,
    ) -> None:
        if isinstance(approval_timeout_s, bool) or approval_timeout_s < 1:
            raise ValueError("approval_timeout_s must be at least 1")
        if isinstance(max_pass_days, bool) or max_pass_days < 1:
            raise ValueError("max_pass_days must be at least 1")
        if hash_key is not None and len(hash_key) < 16:
            raise ValueError("hash_key must be at least 16 bytes")
        self._signer = pass_signer
        self._identity_verifier = identity_verifier
        self._hash_key = bytes(hash_key) if hash_key is not None else None
        self._photos_dir = photos_dir
        self._approval_timeout = timedelta(seconds=approval_timeout_s)
        self._max_pass_window = timedelta(days=max_pass_days)
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

    def identify_resident_by_qr(self, token: str) -> ResidentIdentity:
        claim = self._verify_identity(token, IdentityKind.RESIDENT, EVENT_RESIDENT_IDENTIFIED)
        with self._tx() as session:
            resident = self._resident(session, claim.subject_id)
            identity = self._identity(session, resident) if resident is not None else None
            self._record(
                session,
                EVENT_RESIDENT_IDENTIFIED,
                Actor.resident(resident.id) if resident is not None else Actor.system(),
                {
                    "method": "qr",
                    "result": "success" if resident is not None else "not_found",
                    "kiosk": self._kiosk_id,
                },
            )
        if identity is None:
            raise ResidentNotFoundError()
        return identity

    def identify_volunteer_by_qr(self, token: str) -> VolunteerIdentity:
        claim = self._verify_identity(token, IdentityKind.VOLUNTEER, EVENT_VOLUNTEER_IDENTIFIED)
        with self._tx() as session:
            volunteer = session.get(Volunteer, claim.subject_id)
            found = volunteer if volunteer is not None and volunteer.active else None
            self._record(
                session,
                EVENT_VOLUNTEER_IDENTIFIED,
                Actor.volunteer(found.id) if found is not None else Actor.system(),
                {
                    "method": "qr",
                    "result": "success" if found is not None else "not_found",
                    "kiosk": self._kiosk_id,
                },
            )
            identity = _volunteer_identity(found) if found is not None else None
        if identity is None:
            raise VolunteerNotFoundError()
        return identity

    def _verify_identity(self, token: str, kind: IdentityKind, event_type: str) -> _Claim:
        """The verified claim of an app QR code; a refusal is audited with its reason.

        Raises:
            NotSupportedError: No identity verifier here.
            IdentityCodeRejectedError: The code did not verify (``reason`` says why).
        """
        if self._identity_verifier is None:
            raise NotSupportedError("app QR codes are not accepted at this station")
        try:
            if not isinstance(token, str):
                raise IdentityRejectedError(IdentityRejection.MALFORMED)
            claim = self._identity_verifier.verify(token, expected=kind, now=self._now())
        except IdentityRejectedError as exc:
            reason = exc.reason.value
            with self._tx() as session:
                self._record(
                    session,
                    event_type,
                    Actor.system(),
                    {
                        "method": "qr",
                        "result": "rejected",
                        "reason": reason,
                        "kiosk": self._kiosk_id,
                    },
                )
            raise IdentityCodeRejectedError(reason) from None
        return _Claim(claim.subject_id)

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
        query = self._households_query()
        if building is not None:
            query = query.where(Building.number == building)
        if unit is not None:
            query = query.where(Unit.number == unit)
        with self._tx(write=False) as session:
            rows = session.execute(query).all()
        result = [_summary(h, u, b) for h, u, b in rows]
        result.sort(key=lambda s: (_natural(s.building), _natural(s.unit), _natural(s.room)))
        return result

    def _households_query(self) -> Select[Household, Unit, Building]:
        return (
            select(Household, Unit, Building)
            .join(Unit, Household.unit_id == Unit.id)
            .join(Building, Unit.building_id == Building.id)
            .where(Building.community_id == self._community_id)
        )

    def _summary_of(self, session: Session, household_id: int) -> HouseholdSummary:
        row = session.execute(self._households_query().where(Household.id == household_id)).first()
        if row is None:
            raise HouseholdNotFoundError()
        return _summary(*row)

    def household_by_code(self, code: str) -> HouseholdSummary:
        match = _HOUSEHOLD_CODE.fullmatch(code.strip()) if isinstance(code, str) else None
        if match is None:
            raise HouseholdNotFoundError()
        building, unit, room = match.groups()
        with self._tx(write=False) as session:
            row = session.execute(
                self._households_query().where(
                    Building.number == building, Unit.number == unit, Household.room == room
                )
            ).first()
        if row is None:
            raise HouseholdNotFoundError()
        return _summary(*row)

    # ------------------------------------------------------------------ passes and visits

    def pass_uses(self, pass_id: bytes) -> int:
        try:
            return self.ledger.uses(pass_id)
        except ValueError as exc:
            raise InvalidRequestError(str(exc)) from None
        except (OperationalError, InterfaceError) as exc:
            raise PlatformUnavailableError() from exc

    def pass_by_short_code(self, short_code: str) -> str:
        code = normalize_code(short_code) if isinstance(short_code, str) else ""
        if not is_valid_code(code):
            raise PassNotFoundError()
        with self._tx(write=False) as session:
            token = session.scalar(
                select(IssuedPassRow.token)
                .join(Household, IssuedPassRow.household_id == Household.id)
                .join(Unit, Household.unit_id == Unit.id)
                .join(Building, Unit.building_id == Building.id)
                .where(
                    IssuedPassRow.short_code == code,
                    Building.community_id == self._community_id,
                )
            )
        if token is None:
            raise PassNotFoundError()
        return token

    def issue_pass(self, request: IssuePassRequest, *, actor: Actor) -> IssuedPass:
        if self._signer is None:
            raise NotSupportedError("this station cannot sign passes")
        request_id = _uuid(request.request_id, "request_id")
        household_id = _whole(request.household_id, "household_id")
        valid_from = _aware(request.valid_from, "valid_from")
        valid_until = _aware(request.valid_until, "valid_until")
        uses = _whole(request.uses_allowed, "uses_allowed")
        if not 1 <= uses <= MAX_PASS_USES:
            raise InvalidRequestError(f"a pass allows 1 to {MAX_PASS_USES} uses")
        if not isinstance(request.visitor_name, str):
            raise InvalidRequestError("visitor_name must be text")
        now = self._now()
        if valid_until <= now:
            raise InvalidRequestError("the pass would end in the past")
        if valid_from >= valid_until:
            raise InvalidRequestError("the pass must start before it ends")
        if valid_until - valid_from > self._max_pass_window:
            raise InvalidRequestError("the pass would be valid for too long")
        if valid_from > now + self._max_pass_window:
            raise InvalidRequestError("the pass would start too far ahead")
        for _attempt in range(_MAX_RACE_RETRIES):
            try:
                return self._issue_pass_once(
                    request, actor, request_id, household_id, valid_from, valid_until, uses, now
                )
            except IntegrityError:
                # Another kiosk stored the same request, or drew the same short code.
                log.info("issuing a pass raced another kiosk; retrying")
        raise PlatformUnavailableError("issuing the pass kept racing other kiosks")

    def _issue_pass_once(
        self,
        request: IssuePassRequest,
        actor: Actor,
        request_id: str,
        household_id: int,
        valid_from: datetime,
        valid_until: datetime,
        uses: int,
        now: datetime,
    ) -> IssuedPass:
        assert self._signer is not None
        with self._tx() as session:
            self._check_actor(session, actor)
            summary = self._summary_of(session, household_id)
            self._authorize_household(session, actor, household_id)
            existing = session.scalar(
                select(IssuedPassRow).where(IssuedPassRow.request_id == request_id)
            )
            if existing is not None:
                view = self._issued_view(existing, summary)
                if existing.household_id != household_id or view.visitor_name != (
                    unicodedata.normalize("NFC", request.visitor_name)
                ):
                    raise ConflictError("request id reused for a different pass")
                return view
            pass_uuid = uuid.uuid4()
            try:
                token = self._signer.issue(
                    community_id=self._community_id,
                    household=summary.code,
                    visitor_name=request.visitor_name,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    uses_allowed=uses,
                    pass_id=pass_uuid,
                )
            except ValueError as exc:
                # The signer's messages name the field, never its value.
                raise InvalidRequestError(str(exc)) from None
            content = _token_content(token)
            row = IssuedPassRow(
                pass_id=pass_uuid.hex,
                short_code=self._new_short_code(session),
                token=token,
                household_id=household_id,
                valid_from=content.valid_from,
                valid_until=content.valid_until,
                uses_allowed=uses,
                issued_at=now,
                request_id=request_id,
            )
            session.add(row)
            session.flush()
            facts: dict[str, DetailValue] = {
                "pass_id": row.pass_id,
                "household_id": household_id,
                "uses_allowed": uses,
                "kiosk": self._kiosk_id,
            }
            self._publish(
                session,
                EVENT_PASS_ISSUED,
                actor,
                facts,
                key=f"{EVENT_PASS_ISSUED}:{row.pass_id}",
                extra={
                    "valid_from": _iso(row.valid_from),
                    "valid_until": _iso(row.valid_until),
                    "at": _iso(now),
                },
                at=now,
            )
            return self._issued_view(row, summary)

    def _new_short_code(self, session: Session) -> str:
        for _attempt in range(_CODE_ATTEMPTS):
            code = new_code()
            if (
                session.scalar(
                    select(IssuedPassRow.pass_id).where(IssuedPassRow.short_code == code)
                )
                is None
            ):
                return code
        raise PlatformUnavailableError("no free short code found")

    @staticmethod
    def _issued_view(row: IssuedPassRow, summary: HouseholdSummary) -> IssuedPass:
        content = _token_content(row.token)
        return IssuedPass(
            pass_id=row.pass_id,
            token=row.token,
            short_code=row.short_code,
            household_id=row.household_id,
            household_label=summary.label,
            visitor_name=content.visitor_name,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            uses_allowed=row.uses_allowed,
        )

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
        if visit.kind not in VISIT_KINDS:
            raise InvalidRequestError("kind must be pass or walk_in")
        if visit.reason is not None and visit.reason not in VISIT_REASONS:
            raise InvalidRequestError("unknown visit reason")
        phone = normalize_phone(visit.phone) if visit.phone is not None else None
        approval_id: str | None = None
        if visit.kind == "walk_in":
            if visit.approval_id is None or visit.host_household_id is None:
                raise ApprovalNotGrantedError("a walk-in needs an approval of its host")
            approval_id = _uuid(visit.approval_id, "approval_id")
        elif visit.approval_id is not None:
            raise InvalidRequestError("only a walk-in is admitted on an approval")
        admission = _Admission(visit_id, name, pass_hex, at, approval_id, phone)
        for _attempt in range(_MAX_RACE_RETRIES):
            try:
                return self._check_in_once(visit, actor, admission)
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
                # PostgreSQL: another kiosk redeemed the same use number, stored the same
                # visit id or took the same approval or exit code at the same moment. Run
                # again: it now sees their row (or draws another exit code).
                log.info("check-in raced another kiosk; retrying")
        raise PlatformUnavailableError("check-in kept racing other kiosks")

    def _check_in_once(self, visit: CheckInRequest, actor: Actor, adm: _Admission) -> Visit:
        with self._tx() as session:
            existing = session.get(VisitRow, adm.visit_id)
            if existing is not None:
                view = self._visit_view(session, existing)
                same = (
                    view.visitor_name == adm.name
                    and view.host_household_id == visit.host_household_id
                    and view.pass_id == adm.pass_hex
                    and view.kind == visit.kind
                    and existing.approval_id == adm.approval_id
                )
                if not same:
                    raise ConflictError("visit id reused for a different visit")
                return view
            self._check_actor(session, actor)
            if (
                visit.host_household_id is not None
                and self._household(session, visit.host_household_id) is None
            ):
                raise HouseholdNotFoundError()
            approval = None
            if adm.approval_id is not None:
                approval = self._granted_approval(session, adm.approval_id, visit, adm.name)
            if visit.redeem_uses_allowed is not None:
                assert visit.pass_id is not None
                try:
                    self.ledger.redeem_in(
                        session,
                        visit.pass_id,
                        visit.redeem_uses_allowed,
                        kiosk_id=self._kiosk_id,
                        at=adm.at,
                    )
                except ValueError as exc:
                    raise InvalidRequestError(str(exc)) from None
            phone_enc = (
                self._cipher.encrypt_text(adm.phone, context=VISIT_PHONE_CONTEXT)
                if adm.phone is not None
                else None
            )
            reason = visit.reason
            if approval is not None:
                reason = reason or cast(VisitReason | None, approval.reason)
                if phone_enc is None and approval.phone_enc is not None:
                    phone_enc = self._cipher.encrypt(
                        self._cipher.decrypt(approval.phone_enc, context=APPROVAL_PHONE_CONTEXT),
                        context=VISIT_PHONE_CONTEXT,
                    )
            row = VisitRow(
                id=adm.visit_id,
                station_id=self._station_id,
                kiosk_id=self._kiosk_id,
                pass_id=adm.pass_hex,
                visitor_name_enc=self._cipher.encrypt_text(adm.name, context=VISITOR_NAME_CONTEXT),
                host_household_id=visit.host_household_id,
                checked_in_at=adm.at,
                checked_out_at=None,
                volunteer_id=actor.volunteer_id,
                on_behalf_of=actor.resident_id if actor.kind == "volunteer" else None,
                exit_code=self._new_exit_code(session),
                kind=visit.kind,
                reason=reason,
                phone_enc=phone_enc,
                approval_id=adm.approval_id,
            )
            session.add(row)
            if approval is not None:
                approval.visit_id = adm.visit_id
            session.flush()
            if visit.host_household_id is not None:
                self._notify(
                    session, visit.host_household_id, "visitor_arrived", adm.visit_id, adm.at
                )
            facts: dict[str, DetailValue] = {
                "visit_id": adm.visit_id,
                "kiosk": self._kiosk_id,
                "kind": visit.kind,
            }
            if visit.host_household_id is not None:
                facts["household_id"] = visit.host_household_id
            if adm.pass_hex is not None:
                facts["pass_id"] = adm.pass_hex
            if adm.approval_id is not None:
                facts["approval_id"] = adm.approval_id
            self._publish(
                session,
                EVENT_VISIT_CHECKED_IN,
                actor,
                facts,
                key=f"{EVENT_VISIT_CHECKED_IN}:{adm.visit_id}",
                extra={"station": self._station_id, "at": _iso(adm.at)},
                at=adm.at,
            )
            return self._visit_view(session, row)

    def _granted_approval(
        self, session: Session, approval_id: str, visit: CheckInRequest, name: str
    ) -> Approval:
        """The approved, unused approval a walk-in is admitted on (locked for the update).

        Raises:
            ApprovalNotGrantedError: Unknown, another household's, not approved, already
                used for a visit, or given for another visitor name.
        """
        approval = session.get(Approval, approval_id, with_for_update=True)
        if (
            approval is None
            or approval.household_id != visit.host_household_id
            or approval.state != "approved"
            or approval.visit_id is not None
        ):
            raise ApprovalNotGrantedError()
        approved_name = self._cipher.decrypt_text(
            approval.visitor_name_enc, context=APPROVAL_NAME_CONTEXT
        )
        if not hmac.compare_digest(approved_name.encode("utf-8"), name.encode("utf-8")):
            raise ApprovalNotGrantedError("the approval was given for another visitor")
        return approval

    def _new_exit_code(self, session: Session) -> str:
        """A fresh exit code no visit inside holds (the partial unique index backs this up
        against a kiosk on another connection)."""
        for _attempt in range(_CODE_ATTEMPTS):
            code = new_code()
            taken = session.scalar(
                select(VisitRow.id).where(
                    VisitRow.exit_code == code, VisitRow.checked_out_at.is_(None)
                )
            )
            if taken is None:
                return code
        raise PlatformUnavailableError("no free exit code found")

    def _notify(
        self, session: Session, household_id: int, kind: str, ref: str, at: datetime
    ) -> None:
        session.add(
            HostNotificationRow(household_id=household_id, kind=kind, ref=ref, created_at=at)
        )

    def check_out(self, visit_id: str, *, actor: Actor) -> Visit:
        key = _uuid(visit_id, "visit_id")
        now = self._now()
        with self._tx() as session:
            row = session.get(VisitRow, key, with_for_update=True)
            if row is None or row.station_id != self._station_id:
                raise VisitNotFoundError()
            return self._close_visit(session, row, actor, now)

    def check_out_by_code(self, exit_code: str, *, actor: Actor) -> Visit:
        if not isinstance(exit_code, str):
            raise VisitNotFoundError()
        code = normalize_code(exit_code)
        if not is_valid_code(code):
            raise VisitNotFoundError()
        now = self._now()
        with self._tx() as session:
            row = session.scalars(
                select(VisitRow)
                .where(
                    VisitRow.exit_code == code,
                    VisitRow.checked_out_at.is_(None),
                    VisitRow.station_id == self._station_id,
                )
                .with_for_update()
            ).first()
            if row is None:
                closed = session.scalar(
                    select(VisitRow.id)
                    .where(VisitRow.exit_code == code, VisitRow.station_id == self._station_id)
                    .limit(1)
                )
                raise VisitAlreadyClosedError() if closed is not None else VisitNotFoundError()
            return self._close_visit(session, row, actor, now)

    def _close_visit(self, session: Session, row: VisitRow, actor: Actor, now: datetime) -> Visit:
        if row.checked_out_at is not None:
            raise VisitAlreadyClosedError()
        self._check_actor(session, actor)
        row.checked_out_at = now
        row.checkout_kiosk_id = self._kiosk_id
        session.flush()
        if row.host_household_id is not None:
            self._notify(session, row.host_household_id, "visitor_left", row.id, now)
        facts: dict[str, DetailValue] = {"visit_id": row.id, "kiosk": self._kiosk_id}
        self._publish(
            session,
            EVENT_VISIT_CHECKED_OUT,
            actor,
            facts,
            key=f"{EVENT_VISIT_CHECKED_OUT}:{row.id}",
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
            exit_code=row.exit_code or "",
            kind=cast(VisitKind, row.kind),
            reason=cast(VisitReason | None, row.reason),
        )

    # ------------------------------------------------------------------ walk-in approvals

    def request_host_approval(self, request: WalkInRequest, *, actor: Actor) -> ApprovalTicket:
        request_id = _uuid(request.request_id, "request_id")
        household_id = _whole(request.host_household_id, "host_household_id")
        name = _text(request.visitor_name, "visitor_name", _MAX_NAME)
        if request.reason not in VISIT_REASONS:
            raise InvalidRequestError("unknown visit reason")
        phone = normalize_phone(request.phone) if request.phone is not None else None
        for _attempt in range(_MAX_RACE_RETRIES):
            try:
                return self._request_approval_once(
                    request, actor, request_id, household_id, name, phone
                )
            except IntegrityError:
                log.info("an approval request raced another kiosk; retrying")
        raise PlatformUnavailableError("the approval request kept racing other kiosks")

    def _request_approval_once(
        self,
        request: WalkInRequest,
        actor: Actor,
        request_id: str,
        household_id: int,
        name: str,
        phone: str | None,
    ) -> ApprovalTicket:
        now = self._now()
        with self._tx() as session:
            existing = session.scalar(select(Approval).where(Approval.request_id == request_id))
            if existing is not None:
                if existing.household_id != household_id:
                    raise ConflictError("request id reused for another household")
                self._expire_if_due(session, existing, now)
                return _ticket(existing)
            self._check_actor(session, actor)
            if self._household(session, household_id) is None:
                raise HouseholdNotFoundError()
            match = self._deny_list_match(session, name, phone)
            row = Approval(
                id=str(uuid.uuid4()),
                household_id=household_id,
                state="referred" if match is not None else "pending",
                visitor_name_enc=self._cipher.encrypt_text(name, context=APPROVAL_NAME_CONTEXT),
                phone_enc=(
                    self._cipher.encrypt_text(phone, context=APPROVAL_PHONE_CONTEXT)
                    if phone is not None
                    else None
                ),
                reason=request.reason,
                kiosk_id=self._kiosk_id,
                host_reachable=self._host_reachable(session, household_id),
                requested_at=now,
                expires_at=now + self._approval_timeout,
                request_id=request_id,
            )
            session.add(row)
            session.flush()
            if match is None:
                self._notify(session, household_id, "approval_requested", row.id, now)
                self._publish_approval(session, EVENT_APPROVAL_REQUESTED, actor, row, now)
            else:
                self._refer(session, actor, row, match, now)
            return _ticket(row)

    def _host_reachable(self, session: Session, household_id: int) -> bool:
        """Whether a resident of the household has a phone on file (the platform can ask)."""
        found = session.scalar(
            select(Resident.id)
            .where(
                Resident.household_id == household_id,
                or_(Resident.phone_enc.is_not(None), Resident.phone_last4.is_not(None)),
            )
            .limit(1)
        )
        return found is not None

    def _deny_list_match(
        self, session: Session, name: str, phone: str | None
    ) -> tuple[DenyListRow, str] | None:
        """The active deny-list entry the visitor matches and on what (``"phone"`` or
        ``"name"``): the same phone, or the same name where the entry or the visitor has no
        phone. A visitor whose phone differs from the entry's is not matched by name."""
        if self._hash_key is None:
            return None
        name_hash = deny_list_name_hash(name, self._hash_key)
        phone_hash = deny_list_phone_hash(phone, self._hash_key) if phone is not None else None
        candidates = [DenyListRow.name_hash == name_hash]
        if phone_hash is not None:
            candidates.append(DenyListRow.phone_hash == phone_hash)
        rows = session.scalars(
            select(DenyListRow)
            .where(DenyListRow.removed_at.is_(None), or_(*candidates))
            .order_by(DenyListRow.id)
        ).all()
        for row in rows:
            if phone_hash is not None and row.phone_hash == phone_hash:
                return row, "phone"
        for row in rows:
            if row.name_hash == name_hash and (row.phone_hash is None or phone_hash is None):
                return row, "name"
        return None

    def _refer(
        self,
        session: Session,
        actor: Actor,
        row: Approval,
        match: tuple[DenyListRow, str],
        now: datetime,
    ) -> None:
        """Call staff to a referred walk-in: a help request (like 呼叫志愿者) and an audit entry
        that says why. Nothing the kiosk shows or the host sees says why."""
        help_id = str(uuid.uuid4())
        session.add(
            HelpRequest(
                id=help_id,
                station_id=self._station_id,
                screen_id=REFERRAL_SCREEN_ID,
                mode=_REFERRAL_MODE,
                volunteer_id=actor.volunteer_id,
                created_at=now,
                status="open",
            )
        )
        session.flush()
        self._publish(
            session,
            EVENT_HELP_REQUESTED,
            actor,
            {
                "help_id": help_id,
                "station": self._station_id,
                "screen": REFERRAL_SCREEN_ID,
                "mode": _REFERRAL_MODE,
            },
            key=f"{EVENT_HELP_REQUESTED}:{help_id}",
            extra={"kiosk": self._kiosk_id, "at": _iso(now)},
            at=now,
        )
        entry, matched_on = match
        self._record(
            session,
            EVENT_VISITOR_REFERRED,
            actor,
            {
                "approval_id": row.id,
                "household_id": row.household_id,
                "help_id": help_id,
                "basis": "deny_list",
                "entry_id": entry.id,
                "matched_on": matched_on,
            },
        )

    def _publish_approval(
        self, session: Session, event_type: str, actor: Actor, row: Approval, now: datetime
    ) -> None:
        facts: dict[str, DetailValue] = {
            "approval_id": row.id,
            "household_id": row.household_id,
            "state": row.state,
        }
        if row.decided_by is not None:
            facts["decided_by"] = row.decided_by
        self._publish(
            session,
            event_type,
            actor,
            facts,
            key=f"{event_type}:{row.id}",
            extra={"kiosk": self._kiosk_id, "at": _iso(now)},
            at=now,
        )

    def _expire_if_due(self, session: Session, row: Approval, now: datetime) -> bool:
        """Turn a pending approval past its deadline into ``expired`` (persisted)."""
        if row.state != "pending" or now < row.expires_at:
            return False
        row.state = "expired"
        session.flush()
        self._publish_approval(session, EVENT_APPROVAL_EXPIRED, Actor.system(), row, now)
        return True

    def _approval(self, session: Session, approval_id: str, *, lock: bool) -> Approval:
        row = session.get(Approval, approval_id, with_for_update=lock)
        if row is None or self._household(session, row.household_id) is None:
            raise ApprovalNotFoundError()
        return row

    def approval_status(self, approval_id: str) -> ApprovalTicket:
        key = _uuid(approval_id, "approval_id")
        now = self._now()
        with self._tx(write=False) as session:
            row = self._approval(session, key, lock=False)
            if not (row.state == "pending" and now >= row.expires_at):
                return _ticket(row)
        with self._tx() as session:  # due: expire it (persisted), then answer
            row = self._approval(session, key, lock=True)
            self._expire_if_due(session, row, now)
            return _ticket(row)

    def decide_approval(self, approval_id: str, approve: bool, *, actor: Actor) -> ApprovalTicket:
        key = _uuid(approval_id, "approval_id")
        if not isinstance(approve, bool):
            raise InvalidRequestError("approve must be true or false")
        target: ApprovalState = "approved" if approve else "refused"
        now = self._now()
        with self._tx() as session:
            self._check_actor(session, actor)
            row = self._approval(session, key, lock=True)
            self._expire_if_due(session, row, now)
            outcome = self._decide(session, row, target, actor, now)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _decide(
        self, session: Session, row: Approval, target: ApprovalState, actor: Actor, now: datetime
    ) -> ApprovalTicket | Exception:
        """Apply a decision; an error is returned, not raised, so that an expiry found on
        the way is still committed."""
        decider: ApprovalDecider
        open_states: tuple[str, ...]
        if actor.kind == "resident":
            rid = actor.resident_id
            resident = self._resident(session, rid) if rid is not None else None
            if resident is None or resident.household_id != row.household_id:
                return PermissionDeniedError("not a resident of the visited household")
            decider, open_states = "host", ("pending",)
        elif actor.kind == "volunteer":
            decider, open_states = "volunteer", ("pending", "expired")
        else:
            return PermissionDeniedError("only the host or a volunteer decides")
        if row.state == target:
            return _ticket(row)  # the same decision again: nothing changes
        if row.state not in open_states:
            return ConflictError(f"the approval is {row.state}")
        row.state = target
        row.decided_at = now
        row.decided_by = decider
        row.decided_by_volunteer_id = actor.volunteer_id
        session.flush()
        self._publish_approval(session, EVENT_APPROVAL_DECIDED, actor, row, now)
        return _ticket(row)

    def cancel_approval(self, approval_id: str, *, actor: Actor) -> ApprovalTicket:
        key = _uuid(approval_id, "approval_id")
        now = self._now()
        with self._tx() as session:
            self._check_actor(session, actor)
            row = self._approval(session, key, lock=True)
            self._expire_if_due(session, row, now)
            if row.state in ("pending", "expired"):
                row.state = "cancelled"
                session.flush()
                self._publish_approval(session, EVENT_APPROVAL_CANCELLED, actor, row, now)
            return _ticket(row)

    def host_notifications(self, household_id: int, *, limit: int = 20) -> list[HostNotification]:
        household_id = _whole(household_id, "household_id")
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= _MAX_LIMIT:
            raise InvalidRequestError(f"limit must be 1 to {_MAX_LIMIT}")
        with self._tx(write=False) as session:
            if self._household(session, household_id) is None:
                raise HouseholdNotFoundError()
            rows = session.scalars(
                select(HostNotificationRow)
                .where(HostNotificationRow.household_id == household_id)
                .order_by(HostNotificationRow.created_at.desc(), HostNotificationRow.id.desc())
                .limit(limit)
            ).all()
            return [
                HostNotification(
                    id=r.id,
                    household_id=r.household_id,
                    kind=cast(
                        Literal["visitor_arrived", "visitor_left", "approval_requested"], r.kind
                    ),
                    ref=r.ref,
                    created_at=r.created_at,
                )
                for r in rows
            ]

    # ------------------------------------------------------------------ visitor photos

    def attach_visit_photo(self, visit_id: str, jpeg: bytes, *, actor: Actor) -> None:
        """Keep a visitor's photo with the visit (staff see it; retention purges it).

        The JPEG is sealed with the cipher and written durably to a new, randomly named
        file; then its row is committed. A crash in between leaves an unnamed file, which
        the retention purge removes.

        Raises:
            NotSupportedError: No photos directory here.
            VisitNotFoundError: No such visit at this station.
            InvalidRequestError: Not a JPEG, empty, or larger than :data:`MAX_PHOTO_BYTES`.
            PlatformUnavailableError: The file could not be written.
        """
        if self._photos_dir is None:
            raise NotSupportedError("visitor photos are not kept at this station")
        key = _uuid(visit_id, "visit_id")
        if (
            not isinstance(jpeg, bytes | bytearray)
            or not 0 < len(jpeg) <= MAX_PHOTO_BYTES
            or not bytes(jpeg[:3]) == _JPEG_MAGIC
        ):
            raise InvalidRequestError(f"a photo is a JPEG of at most {MAX_PHOTO_BYTES} bytes")
        with self._tx(write=False) as session:
            self._visit_here(session, key)
            self._check_actor(session, actor)
        sealed = self._cipher.encrypt(bytes(jpeg), context=photo_context(key))
        name = f"{secrets.token_hex(16)}.jpg.enc"
        try:
            path = write_durably(self._photos_dir, name, sealed)
        except OSError as exc:
            log.error("a visitor photo could not be written: %s", exc.strerror)
            raise PlatformUnavailableError("the photo could not be stored") from None
        now = self._now()
        try:
            with self._tx() as session:
                self._visit_here(session, key)
                photo = VisitPhoto(visit_id=key, path=name, taken_at=now)
                session.add(photo)
                session.flush()
                self._record(
                    session,
                    EVENT_VISIT_PHOTO_ATTACHED,
                    actor,
                    {"visit_id": key, "photo_id": photo.id},
                )
        except BaseException:
            path.unlink(missing_ok=True)
            raise

    def visit_photo(self, visit_id: str, *, actor: Actor | None = None) -> bytes | None:
        """The newest photo of a visit (staff use), or ``None``. The viewing is audited.

        Raises:
            NotSupportedError: No photos directory here.
            VisitNotFoundError: No such visit at this station.
        """
        if self._photos_dir is None:
            raise NotSupportedError("visitor photos are not kept at this station")
        key = _uuid(visit_id, "visit_id")
        viewer = actor if actor is not None else Actor.system()
        with self._tx() as session:
            self._visit_here(session, key)
            self._check_actor(session, viewer)
            photo = session.scalars(
                select(VisitPhoto)
                .where(VisitPhoto.visit_id == key)
                .order_by(VisitPhoto.taken_at.desc(), VisitPhoto.id.desc())
                .limit(1)
            ).first()
            if photo is None:
                return None
            self._record(
                session, EVENT_VISIT_PHOTO_VIEWED, viewer, {"visit_id": key, "photo_id": photo.id}
            )
            relative = photo.path
        base = self._photos_dir.resolve()
        path = (base / relative).resolve()
        if not path.is_relative_to(base) or path == base:
            log.warning("a visit photo path points outside the photos directory")
            return None
        try:
            sealed = path.read_bytes()
        except FileNotFoundError:
            log.warning("a visit photo file is missing")
            return None
        try:
            return self._cipher.decrypt(sealed, context=photo_context(key))
        except DecryptionError:
            log.error("a visit photo file does not open (altered, moved or an old key)")
            return None

    def _visit_here(self, session: Session, visit_id: str) -> VisitRow:
        row = session.get(VisitRow, visit_id)
        if row is None or row.station_id != self._station_id:
            raise VisitNotFoundError()
        return row

    # ------------------------------------------------------------------ deny list (staff)

    def _deny_list_admin(self, actor: Actor) -> bytes:
        if self._hash_key is None:
            raise NotSupportedError("the deny list is not kept at this station")
        if actor.kind not in ("admin", "system"):
            raise PermissionDeniedError("only staff manage the deny list")
        return self._hash_key

    def add_to_deny_list(
        self, name: str, phone: str | None, *, note: str = "", actor: Actor
    ) -> DenyListEntry:
        """Add a person to the deny list (staff only; not in the protocol).

        Adding the same name and phone again returns the active entry unchanged.

        Raises:
            NotSupportedError: No hash key here.
            PermissionDeniedError: The actor is not an admin or the system.
            InvalidRequestError: A bad name, phone or note.
        """
        key = self._deny_list_admin(actor)
        name = _text(name, "name", _MAX_NAME)
        digits = normalize_phone(phone) if phone is not None else None
        if not isinstance(note, str) or len(note) > _MAX_NOTE or _CONTROL.search(note):
            raise InvalidRequestError(f"a note is at most {_MAX_NOTE} characters of plain text")
        name_hash = deny_list_name_hash(name, key)
        phone_hash = deny_list_phone_hash(digits, key) if digits is not None else None
        now = self._now()
        with self._tx() as session:
            same_phone = (
                DenyListRow.phone_hash == phone_hash
                if phone_hash is not None
                else DenyListRow.phone_hash.is_(None)
            )
            row = session.scalars(
                select(DenyListRow).where(
                    DenyListRow.removed_at.is_(None), DenyListRow.name_hash == name_hash, same_phone
                )
            ).first()
            if row is not None:
                return _deny_entry(row)
            row = DenyListRow(
                name_hash=name_hash,
                phone_hash=phone_hash,
                masked_name=mask_name(name),
                masked_phone=mask_phone(digits) if digits is not None else None,
                note=note.strip(),
                added_at=now,
            )
            session.add(row)
            session.flush()
            self._record(
                session,
                EVENT_DENY_LIST_ADDED,
                actor,
                {"entry_id": row.id, "with_phone": phone_hash is not None},
            )
            return _deny_entry(row)

    def remove_from_deny_list(self, entry_id: int, *, actor: Actor) -> None:
        """Take an entry off the deny list (kept as removed; staff only).

        Raises:
            NotSupportedError, PermissionDeniedError: As :meth:`add_to_deny_list`.
            NotFoundError: No such entry.
        """
        self._deny_list_admin(actor)
        entry_id = _whole(entry_id, "entry_id")
        now = self._now()
        with self._tx() as session:
            row = session.get(DenyListRow, entry_id, with_for_update=True)
            if row is None:
                raise NotFoundError("no such deny-list entry")
            if row.removed_at is None:
                row.removed_at = now
                session.flush()
                self._record(session, EVENT_DENY_LIST_REMOVED, actor, {"entry_id": row.id})

    def deny_list(self) -> list[DenyListEntry]:
        """The active entries, oldest first, masked (staff only; not in the protocol).

        Raises:
            NotSupportedError: No hash key here.
        """
        if self._hash_key is None:
            raise NotSupportedError("the deny list is not kept at this station")
        with self._tx(write=False) as session:
            rows = session.scalars(
                select(DenyListRow)
                .where(DenyListRow.removed_at.is_(None))
                .order_by(DenyListRow.added_at, DenyListRow.id)
            ).all()
            return [_deny_entry(r) for r in rows]

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


@dataclass(frozen=True, slots=True)
class _Claim:
    """What a verified app QR code tells: whose platform id it is."""

    subject_id: int


@dataclass(frozen=True, slots=True)
class _Admission:
    """A check-in's checked arguments."""

    visit_id: str
    name: str
    pass_hex: str | None
    at: datetime
    approval_id: str | None
    phone: str | None


def _summary(h: Household, u: Unit, b: Building) -> HouseholdSummary:
    return HouseholdSummary(
        household_id=h.id,
        building=b.number,
        building_name=b.name,
        unit=u.number,
        room=h.room,
        label=household_label(b.name, u.number, h.room),
    )


def _ticket(row: Approval) -> ApprovalTicket:
    return ApprovalTicket(
        approval_id=row.id,
        state=cast(ApprovalState, row.state),
        host_household_id=row.household_id,
        host_reachable=row.host_reachable,
        requested_at=row.requested_at,
        expires_at=row.expires_at,
        decided_by=cast(ApprovalDecider | None, row.decided_by),
        visit_id=row.visit_id,
    )


def _deny_entry(row: DenyListRow) -> DenyListEntry:
    return DenyListEntry(
        entry_id=row.id,
        masked_name=row.masked_name,
        masked_phone=row.masked_phone,
        note=row.note,
        added_at=row.added_at,
    )


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
