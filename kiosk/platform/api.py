"""The one interface between the kiosk and the community platform (卡盟): :class:`Platform`.

Flows and services reach the platform only through this protocol. Implementations:
:class:`kiosk.platform.local.LocalPlatform` (the station's own store is the system of
record) and, later, an HTTP client with the same methods.

Conventions:

* Requests and results are frozen dataclasses of plain values. Money is integer fen (分).
  Times are aware UTC datetimes. Ids of rows the kiosk creates (visits, health records,
  calls for help) are UUID strings the caller may choose, which makes a retried write
  idempotent.
* Every dataclass that holds personal data (names, household labels, health values) has a
  ``__repr__`` that masks it (:mod:`kiosk.masking`) or leaves it out, so logging a result or
  a request never leaks it (RELIABILITY.md case 30).
* Writes name who acted with an :class:`Actor`: a resident, a volunteer (optionally acting
  for a resident: "volunteer V for resident R", 代办), an admin or the system. The audit log
  records exactly that.
* Errors are one hierarchy, :class:`PlatformError`. Each class has a stable ``code`` (e.g.
  ``"platform.unreachable"``, ``"pass.already_used"``) and an English ``default_message``.

Translating errors: this package is Qt-free, so it cannot hold ``kiosk.prompts.Prompt``
objects. The UI layer keeps a table ``code → Prompt`` (falling back to the code of the
nearest base class, then to a generic "something went wrong, please ask a volunteer"
prompt) and shows or speaks that; ``default_message`` is for logs and developers only.
Error messages and ``str(error)`` never contain personal data.

NOTE: Qt-free zone. No store, no SQLAlchemy here: an HTTP implementation must be able to
import this module alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Final, Literal, Protocol, runtime_checkable

from kiosk.masking import mask_name

__all__ = [
    "EXIT_TOKEN_PREFIX",
    "VISIT_REASONS",
    "Actor",
    "ActorKind",
    "AmbiguousIdentityError",
    "ApprovalDecider",
    "ApprovalNotFoundError",
    "ApprovalNotGrantedError",
    "ApprovalState",
    "ApprovalTicket",
    "BillItem",
    "BillNotFoundError",
    "CheckInRequest",
    "ConflictError",
    "ConsentInfo",
    "ConsentKind",
    "ConsentRequiredError",
    "DenyListEntry",
    "HealthKind",
    "HealthReading",
    "HealthRecordView",
    "HeartbeatAck",
    "HeartbeatStatus",
    "HelpCall",
    "HelpTicket",
    "HostNotification",
    "HouseholdNotFoundError",
    "HouseholdSummary",
    "IdentificationFailedError",
    "IdentityCodeRejectedError",
    "InsufficientPointsError",
    "InvalidRequestError",
    "IssuePassRequest",
    "IssuedPass",
    "LockedOutError",
    "NotFoundError",
    "NotSupportedError",
    "NoticeItem",
    "PassAlreadyUsedError",
    "PassNotFoundError",
    "PaymentInfo",
    "PaymentMethod",
    "PaymentState",
    "PermissionDeniedError",
    "PinNotSetError",
    "Platform",
    "PlatformError",
    "PlatformUnavailableError",
    "PointsBalance",
    "ResidentIdentity",
    "ResidentNotFoundError",
    "TutorialStep",
    "Visit",
    "VisitAlreadyClosedError",
    "VisitKind",
    "VisitNotFoundError",
    "VisitReason",
    "VolunteerIdentity",
    "VolunteerNotFoundError",
    "WalkInRequest",
    "WrongPinError",
    "new_id",
]

ActorKind = Literal["resident", "volunteer", "admin", "system"]
VisitKind = Literal["pass", "walk_in"]
VisitReason = Literal["family", "friend", "delivery", "repair", "housekeeping", "other"]
VISIT_REASONS: Final[tuple[VisitReason, ...]] = (
    "family",
    "friend",
    "delivery",
    "repair",
    "housekeeping",
    "other",
)
ApprovalState = Literal["pending", "approved", "refused", "expired", "cancelled", "referred"]
ApprovalDecider = Literal["host", "volunteer"]
ConsentKind = Literal["health_data", "photo"]
HealthKind = Literal[
    "blood_pressure", "weight", "height", "temperature", "spo2", "glucose", "heart_rate"
]
PaymentMethod = Literal["card_balance", "wechat", "alipay"]
PaymentState = Literal["draft", "confirming", "pending", "paid", "failed", "expired", "unknown"]

_HIDDEN: Final = "<hidden>"


def new_id() -> str:
    """A new UUID4 string, for ids and idempotency keys chosen by the kiosk."""
    return str(uuid.uuid4())


# ---------------------------------------------------------------------- errors


class PlatformError(Exception):
    """Base of every error the platform interface raises.

    Attributes:
        code: Stable identifier the UI maps to a translated prompt.
        default_message: English fallback text (logs, developers); no personal data.
        retryable: Trying the same call again later may succeed.
    """

    code: ClassVar[str] = "platform.error"
    default_message: ClassVar[str] = "The community platform reported an error."
    retryable: ClassVar[bool] = False

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail or self.default_message)
        self.detail = detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r})"


class PlatformUnavailableError(PlatformError):
    """The platform (or the station database) cannot be reached right now."""

    code = "platform.unreachable"
    default_message = "The community platform cannot be reached."
    retryable = True


class NotSupportedError(PlatformError):
    """This implementation does not offer the operation (yet)."""

    code = "platform.not_supported"
    default_message = "This service is not available at this station."


class InvalidRequestError(PlatformError):
    """The request is malformed (a bug in the caller or bad input), not a business refusal."""

    code = "platform.invalid_request"
    default_message = "The request was not valid."


class ConflictError(PlatformError):
    """An idempotency key or id was reused for a different request."""

    code = "platform.conflict"
    default_message = "The request conflicts with an earlier one."


class PermissionDeniedError(PlatformError):
    """The actor may not do this (another resident's data, a role boundary)."""

    code = "auth.forbidden"
    default_message = "You are not allowed to do this."


class NotFoundError(PlatformError):
    code = "platform.not_found"
    default_message = "Not found."


class ResidentNotFoundError(NotFoundError):
    """No active resident has this card."""

    code = "identify.not_found"
    default_message = "This card is not registered."


class VolunteerNotFoundError(NotFoundError):
    code = "volunteer.not_found"
    default_message = "This volunteer card is not registered or not active."


class VisitNotFoundError(NotFoundError):
    code = "visit.not_found"
    default_message = "No such visit."


class BillNotFoundError(NotFoundError):
    code = "bill.not_found"
    default_message = "No such bill."


class IdentificationFailedError(PlatformError):
    """Room and phone digits did not match (the same error for an unknown room).

    Attributes:
        failures: Consecutive misses for this room.
        locked_until: When this room can be tried again, if the misses locked it.
    """

    code = "identify.no_match"
    default_message = "The room and phone digits do not match."

    def __init__(self, failures: int, locked_until: datetime | None) -> None:
        super().__init__()
        self.failures = failures
        self.locked_until = locked_until


class AmbiguousIdentityError(PlatformError):
    """Several residents of the room share these phone digits: use a card instead."""

    code = "identify.ambiguous"
    default_message = "Several residents match; please use your card."


class LockedOutError(PlatformError):
    """Too many failures: attempts are refused until ``locked_until``."""

    code = "auth.locked"
    default_message = "Too many attempts. Please wait and try again, or ask a volunteer."

    def __init__(self, locked_until: datetime) -> None:
        super().__init__()
        self.locked_until = locked_until


class WrongPinError(PlatformError):
    """The PIN was wrong.

    Attributes:
        failures: Consecutive wrong PINs.
        locked_until: When the PIN can be tried again, if this failure locked it.
    """

    code = "auth.wrong_pin"
    default_message = "The PIN is not correct."

    def __init__(self, failures: int, locked_until: datetime | None) -> None:
        super().__init__()
        self.failures = failures
        self.locked_until = locked_until


class PinNotSetError(PlatformError):
    code = "auth.pin_not_set"
    default_message = "No PIN has been set for this volunteer."


class PassAlreadyUsedError(PlatformError):
    """Every allowed use of the pass has been redeemed (here or at another kiosk)."""

    code = "pass.already_used"
    default_message = "This pass has already been used."


class VisitAlreadyClosedError(PlatformError):
    code = "visit.already_checked_out"
    default_message = "This visit has already been checked out."


class PassNotFoundError(NotFoundError):
    """No pass was issued with this short code (or it has been purged)."""

    code = "pass.not_found"
    default_message = "No pass has this code."


class HouseholdNotFoundError(NotFoundError):
    code = "household.not_found"
    default_message = "No such household in this community."


class IdentityCodeRejectedError(PlatformError):
    """A resident or volunteer QR code from the platform's app did not verify (forged,
    expired, another community, wrong kind...). ``reason`` is a stable identifier."""

    code = "identity.code_rejected"
    default_message = "This QR code could not be accepted."

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ApprovalNotFoundError(NotFoundError):
    code = "approval.not_found"
    default_message = "No such approval request."


class ApprovalNotGrantedError(PlatformError):
    """A walk-in check-in named an approval that is not (or no longer) approved, or that
    was already used for another visit."""

    code = "approval.not_granted"
    default_message = "The visit has not been approved."


class ConsentRequiredError(PlatformError):
    """The resident has not given (or has withdrawn) the consent this needs."""

    code = "consent.required"
    default_message = "This service needs your consent first."


class InsufficientPointsError(PlatformError):
    code = "points.insufficient"
    default_message = "Not enough points."


# ---------------------------------------------------------------------- actors


@dataclass(frozen=True, slots=True)
class Actor:
    """Who performs a write.

    Attributes:
        kind: resident, volunteer, admin or system.
        id: The resident or volunteer id (as text), or ``None`` (admin, system).
        on_behalf_of: For a volunteer acting for a resident (代办): the resident id.
    """

    kind: ActorKind
    id: str | None = None
    on_behalf_of: str | None = None

    @classmethod
    def resident(cls, resident_id: int) -> Actor:
        return cls("resident", str(resident_id))

    @classmethod
    def volunteer(cls, volunteer_id: int, *, for_resident: int | None = None) -> Actor:
        """Volunteer ``volunteer_id``, acting for resident ``for_resident`` if given."""
        behalf = str(for_resident) if for_resident is not None else None
        return cls("volunteer", str(volunteer_id), behalf)

    @classmethod
    def admin(cls) -> Actor:
        return cls("admin")

    @classmethod
    def system(cls, name: str | None = None) -> Actor:
        """The kiosk itself (a visitor's self check-in, a scheduled job)."""
        return cls("system", name)

    @property
    def resident_id(self) -> int | None:
        """The resident this actor is or acts for, if any."""
        if self.kind == "resident" and self.id is not None:
            return int(self.id)
        if self.kind == "volunteer" and self.on_behalf_of is not None:
            return int(self.on_behalf_of)
        return None

    @property
    def volunteer_id(self) -> int | None:
        return int(self.id) if self.kind == "volunteer" and self.id is not None else None


# ---------------------------------------------------------------------- identities


@dataclass(frozen=True, slots=True, repr=False)
class ResidentIdentity:
    """A resident, identified. ``name`` is personal: screens mask it (``张*明``)."""

    resident_id: int
    name: str
    household_id: int
    household_label: str
    is_elderly: bool

    def __repr__(self) -> str:
        return (
            f"ResidentIdentity(resident_id={self.resident_id}, name={mask_name(self.name)!r}, "
            f"household_id={self.household_id}, is_elderly={self.is_elderly})"
        )


@dataclass(frozen=True, slots=True, repr=False)
class VolunteerIdentity:
    """A volunteer or member of staff who may sign in for assisted mode."""

    volunteer_id: int
    name: str
    role: Literal["volunteer", "staff"]

    def __repr__(self) -> str:
        return (
            f"VolunteerIdentity(volunteer_id={self.volunteer_id}, "
            f"name={mask_name(self.name)!r}, role={self.role!r})"
        )


@dataclass(frozen=True, slots=True)
class HouseholdSummary:
    """One home for the building/unit/room picker.

    Attributes:
        building: Building number (``"3"``); ``building_name`` what residents say (``"3栋"``).
        label: ``"3栋2单元501"``.
    """

    household_id: int
    building: str
    building_name: str
    unit: str
    room: str
    label: str

    @property
    def code(self) -> str:
        """The household as a pass names it: ``"3-2-501"`` (building-unit-room numbers)."""
        return f"{self.building}-{self.unit}-{self.room}"


# ---------------------------------------------------------------------- visits


@dataclass(frozen=True, slots=True, repr=False)
class CheckInRequest:
    """A visitor checking in.

    Attributes:
        visitor_name: As given (on the pass or typed); stored encrypted.
        host_household_id: The household visited; ``None`` for the station itself.
        visit_id: UUID chosen by the caller; a retried check-in with the same id returns the
            first one unchanged. Default: a new UUID.
        pass_id: The pass the visitor came with, if any (recorded with the visit).
        redeem_uses_allowed: If given (with ``pass_id``), the pass is redeemed in the *same
            transaction* as the visit: a crash never uses a pass without a visit. Leave
            ``None`` when the pass was already redeemed (``PassRedeemer`` + the ledger).
        at: Check-in time (aware); default: now.
        kind: ``"pass"`` (came with a pass) or ``"walk_in"`` (registered at the kiosk).
        approval_id: For a walk-in: the *approved* :class:`ApprovalTicket` it was admitted
            on. One approval admits one visit.
        reason: For a walk-in: why they came (one of :data:`VISIT_REASONS`).
        phone: For a walk-in: the phone number they gave, if any (stored encrypted).
    """

    visitor_name: str
    host_household_id: int | None
    visit_id: str = field(default_factory=new_id)
    pass_id: bytes | None = None
    redeem_uses_allowed: int | None = None
    at: datetime | None = None
    kind: VisitKind = "pass"
    approval_id: str | None = None
    reason: VisitReason | None = None
    phone: str | None = None

    def __repr__(self) -> str:
        pass_hex = self.pass_id.hex() if self.pass_id is not None else None
        return (
            f"CheckInRequest(visit_id={self.visit_id!r}, "
            f"visitor_name={mask_name(self.visitor_name)!r}, "
            f"host_household_id={self.host_household_id}, pass_id={pass_hex!r})"
        )


@dataclass(frozen=True, slots=True, repr=False)
class Visit:
    """A visit as stored (the name decrypted: mask it on public screens)."""

    id: str
    visitor_name: str
    host_household_id: int | None
    host_label: str | None
    pass_id: str | None
    kiosk_id: str
    checked_in_at: datetime
    checked_out_at: datetime | None
    volunteer_id: int | None
    on_behalf_of: int | None
    exit_code: str = ""
    kind: VisitKind = "pass"
    reason: VisitReason | None = None

    @property
    def inside(self) -> bool:
        return self.checked_out_at is None

    @property
    def exit_token(self) -> str:
        """What the slip's exit QR code holds: :data:`EXIT_TOKEN_PREFIX` + the visit id."""
        return EXIT_TOKEN_PREFIX + self.id

    def __repr__(self) -> str:
        return (
            f"Visit(id={self.id!r}, visitor_name={mask_name(self.visitor_name)!r}, "
            f"host_household_id={self.host_household_id}, "
            f"checked_in_at={self.checked_in_at.isoformat()}, "
            f"checked_out={self.checked_out_at is not None})"
        )


EXIT_TOKEN_PREFIX: Final = "KX1."
"""Prefix of the exit QR code on a visitor slip; the rest is the visit's UUID. The UUID is
random (122 bits), so a slip cannot be guessed; it only closes a visit that is inside."""


@dataclass(frozen=True, slots=True, repr=False)
class IssuePassRequest:
    """A resident inviting a visitor (邀请访客): the platform signs a pass.

    Attributes:
        request_id: UUID; a retried request returns the same pass.
        visitor_name: Display name printed on the pass (``张先生``), 1..32 UTF-8 bytes.
    """

    household_id: int
    visitor_name: str
    valid_from: datetime
    valid_until: datetime
    uses_allowed: int = 1
    request_id: str = field(default_factory=new_id)

    def __repr__(self) -> str:
        return (
            f"IssuePassRequest(request_id={self.request_id!r}, "
            f"household_id={self.household_id}, visitor_name={mask_name(self.visitor_name)!r})"
        )


@dataclass(frozen=True, slots=True, repr=False)
class IssuedPass:
    """A signed pass, with the short code printed under its QR code.

    Attributes:
        pass_id: Hex of the pass's 16-byte id.
        token: The signed ``KP1.…`` token (what the QR code holds).
        short_code: :mod:`kiosk.security.short_codes` code that finds the token again.
    """

    pass_id: str
    token: str
    short_code: str
    household_id: int
    household_label: str
    visitor_name: str
    valid_from: datetime
    valid_until: datetime
    uses_allowed: int

    def __repr__(self) -> str:
        return (
            f"IssuedPass(pass_id={self.pass_id!r}, household_id={self.household_id}, "
            f"visitor_name={mask_name(self.visitor_name)!r})"
        )


@dataclass(frozen=True, slots=True, repr=False)
class WalkInRequest:
    """A visitor without a pass asking to visit a household.

    Attributes:
        request_id: UUID; a retried request returns the same ticket.
        phone: Optional; stored encrypted, shown only masked.
    """

    host_household_id: int
    visitor_name: str
    reason: VisitReason
    phone: str | None = None
    request_id: str = field(default_factory=new_id)

    def __repr__(self) -> str:
        return (
            f"WalkInRequest(request_id={self.request_id!r}, "
            f"host_household_id={self.host_household_id}, "
            f"visitor_name={mask_name(self.visitor_name)!r}, reason={self.reason!r})"
        )


@dataclass(frozen=True, slots=True)
class ApprovalTicket:
    """Where a walk-in's request for the host's approval stands. No personal data.

    Attributes:
        state: ``pending`` (asked, no answer yet), ``approved``, ``refused``, ``expired``
            (no answer in time), ``cancelled`` (by the visitor), ``referred`` (the visitor
            is to go to the service desk: the kiosk shows only that neutral message and
            never why; staff have been notified).
        host_reachable: The household has someone the platform can ask (a resident with a
            phone on file). When false the kiosk offers volunteer approval at once.
        decided_by: Who approved or refused.
        visit_id: The visit admitted on this approval, once checked in.
    """

    approval_id: str
    state: ApprovalState
    host_household_id: int
    host_reachable: bool
    requested_at: datetime
    expires_at: datetime
    decided_by: ApprovalDecider | None = None
    visit_id: str | None = None


@dataclass(frozen=True, slots=True)
class HostNotification:
    """A message for a household (the platform's phone app shows it). No name in it.

    Attributes:
        kind: ``"visitor_arrived"``, ``"visitor_left"`` or ``"approval_requested"``.
        ref: The visit id or approval id it is about.
    """

    id: int
    household_id: int
    kind: Literal["visitor_arrived", "visitor_left", "approval_requested"]
    ref: str
    created_at: datetime


@dataclass(frozen=True, slots=True, repr=False)
class DenyListEntry:
    """A deny-list entry as staff see it (masked). The name and phone are stored only as
    keyed hashes; nothing can list them in clear."""

    entry_id: int
    masked_name: str
    masked_phone: str | None
    note: str
    added_at: datetime

    def __repr__(self) -> str:
        return f"DenyListEntry(entry_id={self.entry_id})"


# ---------------------------------------------------------------------- notices, help


@dataclass(frozen=True, slots=True)
class NoticeItem:
    """A community notice. Text is plain text, never rich text."""

    id: int
    title: str
    body: str
    published_at: datetime
    pinned: bool


@dataclass(frozen=True, slots=True)
class HelpCall:
    """A press of 呼叫志愿者.

    Attributes:
        request_id: UUID; a retried call with the same id is stored once.
    """

    screen_id: str
    mode: str
    volunteer_id: int | None = None
    request_id: str = field(default_factory=new_id)


@dataclass(frozen=True, slots=True)
class HelpTicket:
    id: str
    created_at: datetime


# ---------------------------------------------------------------------- heartbeat


@dataclass(frozen=True, slots=True)
class HeartbeatStatus:
    """What a kiosk reports every minute (RELIABILITY.md case 28). No personal data.

    Attributes:
        devices: Device key → state name (``"printer" → "paper_low"``).
        outbox_depth: Events waiting for delivery.
    """

    kiosk_id: str
    app_version: str
    sent_at: datetime
    uptime_s: float = 0.0
    rss_bytes: int = 0
    devices: Mapping[str, str] = field(default_factory=dict)
    outbox_depth: int = 0
    last_sync_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class HeartbeatAck:
    """The platform's answer.

    Attributes:
        audit_head: Hash of the newest audit entry the platform holds for the station (the
            truncation check of RELIABILITY.md case 35 compares with it later).
        audit_count: Number of audit entries.
        clock_skew_s: ``received_at - sent_at`` in seconds (a large value means a wrong
            kiosk clock; RELIABILITY.md case 11).
    """

    received_at: datetime
    audit_head: str
    audit_count: int
    clock_skew_s: float


# ---------------------------------------------------------------------- bills, payments


@dataclass(frozen=True, slots=True)
class BillItem:
    """A bill. ``amount_fen`` is integer fen; show it as ``¥{fen // 100}.{fen % 100:02d}``."""

    bill_id: int
    household_id: int
    kind: str
    title: str
    period: str
    amount_fen: int
    issued_at: datetime
    due_at: datetime | None
    status: Literal["open", "paid", "cancelled"]


@dataclass(frozen=True, slots=True)
class PaymentInfo:
    """A payment and where it is in the state machine (ARCHITECTURE.md §8)."""

    payment_id: str
    bill_id: int
    method: PaymentMethod
    amount_fen: int
    state: PaymentState
    updated_at: datetime
    expires_at: datetime | None


# ---------------------------------------------------------------------- consent, health


@dataclass(frozen=True, slots=True)
class ConsentInfo:
    consent_id: int
    resident_id: int
    kind: ConsentKind
    version: str
    given_at: datetime
    withdrawn_at: datetime | None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True, slots=True, repr=False)
class HealthReading:
    """A reading to record.

    Attributes:
        values: The measured values, e.g. ``{"systolic": 128, "diastolic": 84, "pulse": 72}``
            (stored encrypted; never logged).
        source: ``"device"`` (read from a measuring device) or ``"manual"`` (typed by a
            volunteer).
        record_id: UUID; a retried record with the same id is stored once.
    """

    resident_id: int
    kind: HealthKind
    unit: str
    values: Mapping[str, float | int]
    measured_at: datetime
    source: Literal["device", "manual"] = "device"
    record_id: str = field(default_factory=new_id)

    def __repr__(self) -> str:
        return (
            f"HealthReading(record_id={self.record_id!r}, resident_id={self.resident_id}, "
            f"kind={self.kind!r}, unit={self.unit!r}, values={_HIDDEN})"
        )


@dataclass(frozen=True, slots=True, repr=False)
class HealthRecordView:
    """A stored reading (values decrypted; repr hides them)."""

    record_id: str
    resident_id: int
    kind: HealthKind
    unit: str
    values: Mapping[str, float | int]
    measured_at: datetime
    source: Literal["device", "manual"]

    def __repr__(self) -> str:
        return (
            f"HealthRecordView(record_id={self.record_id!r}, resident_id={self.resident_id}, "
            f"kind={self.kind!r}, measured_at={self.measured_at.isoformat()}, values={_HIDDEN})"
        )


# ---------------------------------------------------------------------- tutorials, points


@dataclass(frozen=True, slots=True)
class TutorialStep:
    tutorial_id: str
    step: int
    completed_at: datetime | None


@dataclass(frozen=True, slots=True)
class PointsBalance:
    """A resident's points: the sum of the append-only ledger."""

    resident_id: int
    balance: int
    entries: int


# ---------------------------------------------------------------------- the protocol


@runtime_checkable
class Platform(Protocol):
    """Everything the kiosk asks of the community platform.

    Every method may raise :class:`PlatformUnavailableError` (retry later / offer what
    still works) besides the errors it lists. Methods block: call them from worker threads.
    """

    # -- identification --------------------------------------------------------------

    def identify_resident_by_card(self, uid_hash: str) -> ResidentIdentity:
        """The resident whose community card has this UID hash (``hardware.cards``).

        Raises:
            ResidentNotFoundError: No such card.
        """
        ...

    def identify_resident_by_room(
        self, building: str, unit: str, room: str, phone_last4: str
    ) -> ResidentIdentity:
        """The resident of building/unit/room whose phone number ends in ``phone_last4``.

        Misses are counted per room; after too many the room is locked for a while.

        Raises:
            IdentificationFailedError: No match (also for a room that does not exist).
            LockedOutError: Too many misses for this room.
            AmbiguousIdentityError: Several residents of the room match.
            InvalidRequestError: ``phone_last4`` is not four digits.
        """
        ...

    def identify_volunteer_by_card(self, uid_hash: str) -> VolunteerIdentity:
        """Raises: VolunteerNotFoundError."""
        ...

    def identify_resident_by_qr(self, token: str) -> ResidentIdentity:
        """The resident whose app shows this signed resident code (``KR1.…``).

        Raises:
            IdentityCodeRejectedError: Not a valid resident code of this community.
            ResidentNotFoundError: Valid, but the resident is gone (moved out).
        """
        ...

    def identify_volunteer_by_qr(self, token: str) -> VolunteerIdentity:
        """The volunteer whose app shows this signed volunteer code (``KV1.…``); the PIN
        is still asked for afterwards.

        Raises:
            IdentityCodeRejectedError, VolunteerNotFoundError.
        """
        ...

    def verify_volunteer_pin(self, volunteer_id: int, pin: str) -> VolunteerIdentity:
        """Check a volunteer's PIN (argon2id; lockout with growing delay, like the admin PIN).

        Raises:
            WrongPinError, LockedOutError, PinNotSetError, VolunteerNotFoundError.
        """
        ...

    # -- households --------------------------------------------------------------------

    def find_households(
        self, building: str | None = None, unit: str | None = None
    ) -> list[HouseholdSummary]:
        """Homes of the community (optionally of one building / unit), in picker order."""
        ...

    # -- passes and visits -------------------------------------------------------------

    def redeem_pass(self, pass_id: bytes, uses_allowed: int, kiosk_id: str, at: datetime) -> int:
        """Record one use of a pass across every kiosk; return the use number (1 = first).

        Raises:
            PassAlreadyUsedError: Every allowed use is taken.
        """
        ...

    def check_in(self, visit: CheckInRequest, *, actor: Actor) -> Visit:
        """Record a visitor's arrival (with its outbox event and audit entry, atomically).

        Raises:
            PassAlreadyUsedError: ``redeem_uses_allowed`` was given and the pass is used up.
            NotFoundError: The host household does not exist.
            ConflictError: ``visit_id`` exists with different content.
        """
        ...

    def check_out(self, visit_id: str, *, actor: Actor) -> Visit:
        """Record a visitor's departure.

        Raises:
            VisitNotFoundError, VisitAlreadyClosedError.
        """
        ...

    def visits_inside(self) -> list[Visit]:
        """Visits at this station not checked out yet, oldest first."""
        ...

    def check_out_by_code(self, exit_code: str, *, actor: Actor) -> Visit:
        """Record the departure of the visit inside whose slip shows ``exit_code``.

        Raises:
            VisitNotFoundError: No visit inside has this code.
            VisitAlreadyClosedError: It was checked out already.
        """
        ...

    def household_by_code(self, code: str) -> HouseholdSummary:
        """The household a pass names (``"3-2-501"``: building, unit, room numbers).

        Raises:
            HouseholdNotFoundError: No such household in this community.
        """
        ...

    def pass_uses(self, pass_id: bytes) -> int:
        """How many uses of the pass have been redeemed at this station (0 = unused)."""
        ...

    def pass_by_short_code(self, short_code: str) -> str:
        """The token of the pass issued with this short code (the kiosk then verifies it
        like a scanned one).

        Raises:
            PassNotFoundError: No such pass.
        """
        ...

    def issue_pass(self, request: IssuePassRequest, *, actor: Actor) -> IssuedPass:
        """Sign a pass for a visitor of the actor's household (邀请访客 at the kiosk).

        Raises:
            NotSupportedError: This platform cannot sign passes (no signing key here).
            PermissionDeniedError: The actor is not (acting for) a resident of the household.
            InvalidRequestError: Bad window (ends in the past, longer than allowed) or name.
        """
        ...

    def request_host_approval(self, request: WalkInRequest, *, actor: Actor) -> ApprovalTicket:
        """Ask the host household to approve a walk-in (notifies the household).

        A visitor on the deny list gets a ``referred`` ticket and staff are notified; the
        ticket looks like any other referral.

        Raises:
            HouseholdNotFoundError: No such household.
        """
        ...

    def approval_status(self, approval_id: str) -> ApprovalTicket:
        """The ticket now (a pending ticket past its deadline reads ``expired``).

        Raises:
            ApprovalNotFoundError.
        """
        ...

    def decide_approval(self, approval_id: str, approve: bool, *, actor: Actor) -> ApprovalTicket:
        """The host (a resident of the household) or a signed-in volunteer decides.

        A volunteer may also decide an ``expired`` ticket (the host did not answer).

        Raises:
            ApprovalNotFoundError, PermissionDeniedError, ConflictError (already decided).
        """
        ...

    def cancel_approval(self, approval_id: str, *, actor: Actor) -> ApprovalTicket:
        """The visitor gave up waiting. Cancelling a decided ticket changes nothing."""
        ...

    def host_notifications(self, household_id: int, *, limit: int = 20) -> list[HostNotification]:
        """Messages for a household, newest first (what its residents' app shows)."""
        ...

    # -- notices, help, heartbeat -----------------------------------------------------------

    def notices(self, *, now: datetime | None = None, limit: int = 10) -> list[NoticeItem]:
        """Current notices: pinned first, then newest first."""
        ...

    def call_for_help(self, call: HelpCall) -> HelpTicket:
        """Store a call for a volunteer; returns only once it is durable."""
        ...

    def heartbeat(self, status: HeartbeatStatus) -> HeartbeatAck:
        """Report the kiosk's status; the answer carries the audit head."""
        ...

    # -- bills and payments (payment flows: a later issue) -----------------------------------

    def list_bills(
        self, household_id: int, *, actor: Actor, include_settled: bool = False
    ) -> list[BillItem]:
        """Open bills of a household (all bills with ``include_settled``), oldest first.

        Raises:
            PermissionDeniedError: The actor is not (acting for) a resident of the household.
        """
        ...

    def create_payment(
        self, bill_id: int, *, method: PaymentMethod, idempotency_key: str, actor: Actor
    ) -> PaymentInfo:
        """Create the payment order of a bill (``pending``); same key, same order."""
        ...

    def payment_status(self, payment_id: str) -> PaymentInfo:
        """Where a payment is now (resolves ``unknown`` by asking the platform)."""
        ...

    # -- consent and health ---------------------------------------------------------------

    def record_consent(
        self, resident_id: int, kind: ConsentKind, version: str, *, actor: Actor
    ) -> ConsentInfo:
        """Record a consent the resident gave (separately, unticked by default)."""
        ...

    def withdraw_consent(self, resident_id: int, kind: ConsentKind, *, actor: Actor) -> int:
        """Withdraw the resident's active consents of ``kind``; returns how many.

        The data they covered is deleted by the next retention purge.
        """
        ...

    def consent_status(self, resident_id: int, kind: ConsentKind) -> ConsentInfo | None:
        """The active consent of ``kind``, or ``None``."""
        ...

    def record_health(self, reading: HealthReading, *, actor: Actor) -> HealthRecordView:
        """Store a reading (encrypted at rest).

        Raises:
            ConsentRequiredError: No active ``health_data`` consent.
            PermissionDeniedError: The actor is not (acting for) this resident.
        """
        ...

    def health_history(
        self,
        resident_id: int,
        *,
        actor: Actor,
        kind: HealthKind | None = None,
        limit: int = 20,
    ) -> list[HealthRecordView]:
        """The resident's readings, newest first."""
        ...

    # -- tutorials and points --------------------------------------------------------------

    def tutorial_progress(self, resident_id: int) -> list[TutorialStep]:
        """How far the resident got in each tutorial."""
        ...

    def record_tutorial_progress(
        self, resident_id: int, tutorial_id: str, step: int, *, completed: bool, actor: Actor
    ) -> TutorialStep:
        """Remember the furthest step reached (steps never go back)."""
        ...

    def points(self, resident_id: int) -> PointsBalance:
        """The resident's points balance."""
        ...

    def award_points(
        self,
        resident_id: int,
        delta: int,
        reason: str,
        *,
        idempotency_key: str,
        actor: Actor,
    ) -> PointsBalance:
        """Append to the points ledger (negative ``delta`` spends); same key, one entry.

        Raises:
            InsufficientPointsError: Spending more than the balance.
            ConflictError: The key was used for a different entry.
        """
        ...
