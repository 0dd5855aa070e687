"""Failure counting and locks for anything guessable: volunteer PINs, room + phone digits.

The policy is the admin PIN's (:mod:`kiosk.services.admin_auth`): after ``max_failures``
consecutive failures the subject is locked for ``lockout_s``; every further failure after a
lock ends locks again for twice as long, up to ``lockout_max_s``. A success removes the row.
While locked, attempts are refused without looking at the secret.

Hard cap (RELIABILITY.md case 33, NIST SP 800-63B §5.2.2 "SHALL"): after
:data:`HARD_CAP_FAILURES` (100) consecutive failures the subject is locked *until staff reset
it* (``community-kiosk pins unlock``, :func:`unlock`). Waiting does not end that lock. It is
stored as a lock ending at :data:`PERMANENT_LOCK_UNTIL`, a date no growing delay can reach
(far enough from ``datetime.max`` that converting it to any time zone cannot overflow), so
the schema, :meth:`LockoutState.locked_at` and every caller that compares ``locked_until``
with the time keep working; :func:`is_permanent` tells the two kinds of lock apart for the
messages ("ask the station staff" instead of "try again in N minutes"). The cap applies to
every subject: a room's four phone digits are as guessable as a PIN.

Functions take the caller's session, so the counter changes in the same transaction as the
attempt's audit entry. On PostgreSQL the row is read ``FOR UPDATE``.

NOTE: Qt-free zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.pins import LockoutPolicy
from kiosk.store.models import Lockout
from kiosk.store.types import ensure_utc

__all__ = [
    "HARD_CAP_FAILURES",
    "MAX_SUBJECT",
    "PERMANENT_LOCK_UNTIL",
    "LockoutState",
    "is_permanent",
    "lock_end",
    "lockout_state",
    "record_failure",
    "record_success",
    "room_subject",
    "unlock",
    "volunteer_subject",
]

MAX_SUBJECT: Final = 64
#: Consecutive failures after which only staff can unlock (NIST 800-63B: at most 100).
HARD_CAP_FAILURES: Final = 100
#: ``locked_until`` of a lock that only staff can end.
PERMANENT_LOCK_UNTIL: Final = datetime(9999, 1, 1, tzinfo=UTC)
_MAX_DOUBLINGS = 32


def is_permanent(locked_until: datetime | None) -> bool:
    """Whether a lock ending at ``locked_until`` is the hard cap's (staff must unlock)."""
    return locked_until is not None and ensure_utc(locked_until) >= PERMANENT_LOCK_UNTIL


@dataclass(frozen=True, slots=True)
class LockoutState:
    """Consecutive failures so far and the end of the current lock (if any).

    Attributes:
        failures: Consecutive failures (0: none, or reset).
        locked_until: End of the lock, :data:`PERMANENT_LOCK_UNTIL` for a lock only staff
            can end, or ``None``.
    """

    failures: int
    locked_until: datetime | None

    @property
    def permanent(self) -> bool:
        """Locked until staff reset it (the hard cap was reached)."""
        return is_permanent(self.locked_until)

    def locked_at(self, now: datetime) -> bool:
        if self.permanent:
            return True
        return self.locked_until is not None and ensure_utc(now) < self.locked_until


def volunteer_subject(volunteer_id: int) -> str:
    """The lockout subject of a volunteer's PIN."""
    return f"volunteer:{int(volunteer_id)}"


def room_subject(building: str, unit: str, room: str) -> str:
    """The lockout subject of room + phone identification for one home."""
    return f"room:{building}|{unit}|{room}"


def _check_subject(subject: str) -> None:
    if not subject or len(subject) > MAX_SUBJECT:
        raise ValueError(f"lockout subject must be 1 to {MAX_SUBJECT} characters")


def lock_end(
    policy: LockoutPolicy,
    failures: int,
    now: datetime,
    *,
    hard_cap: int = HARD_CAP_FAILURES,
) -> datetime | None:
    """When a lock after ``failures`` consecutive failures ends: ``None`` for no lock,
    :data:`PERMANENT_LOCK_UNTIL` from ``hard_cap`` failures on."""
    if failures >= hard_cap:
        return PERMANENT_LOCK_UNTIL
    over = failures - policy.max_failures
    if over < 0:
        return None
    seconds = min(policy.lockout_s * 2 ** min(over, _MAX_DOUBLINGS), policy.lockout_max_s)
    return ensure_utc(now) + timedelta(seconds=seconds)


def _row(session: Session, subject: str) -> Lockout | None:
    return session.scalars(
        select(Lockout).where(Lockout.subject == subject).with_for_update()
    ).first()


def lockout_state(session: Session, subject: str) -> LockoutState:
    """The state of ``subject`` (no row: no failures)."""
    _check_subject(subject)
    row = _row(session, subject)
    if row is None:
        return LockoutState(0, None)
    return LockoutState(row.failures, row.locked_until)


def record_failure(
    session: Session, subject: str, policy: LockoutPolicy, now: datetime
) -> LockoutState:
    """Count one more failure of ``subject`` and lock it if the policy says so."""
    _check_subject(subject)
    moment = ensure_utc(now)
    row = _row(session, subject)
    failures = (row.failures if row is not None else 0) + 1
    until = lock_end(policy, failures, moment)
    if row is None:
        session.add(
            Lockout(subject=subject, failures=failures, locked_until=until, updated_at=moment)
        )
    else:
        row.failures = failures
        row.locked_until = until
        row.updated_at = moment
    session.flush()
    return LockoutState(failures, until)


def record_success(session: Session, subject: str) -> None:
    """Forget the failures of ``subject``."""
    _check_subject(subject)
    row = _row(session, subject)
    if row is not None:
        session.delete(row)
        session.flush()


def unlock(session: Session, subject: str) -> LockoutState:
    """Staff reset: forget the failures and any lock of ``subject`` (the hard cap's too).

    Returns:
        The state before the reset, for the caller's audit entry.
    """
    before = lockout_state(session, subject)
    record_success(session, subject)
    return before
