"""Failure counting and locks for anything guessable: volunteer PINs, room + phone digits.

The policy is the admin PIN's (:mod:`kiosk.services.admin_auth`): after ``max_failures``
consecutive failures the subject is locked for ``lockout_s``; every further failure after a
lock ends locks again for twice as long, up to ``lockout_max_s``. A success removes the row.
While locked, attempts are refused without looking at the secret.

Functions take the caller's session, so the counter changes in the same transaction as the
attempt's audit entry. On PostgreSQL the row is read ``FOR UPDATE``.

NOTE: Qt-free zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.pins import LockoutPolicy
from kiosk.store.models import Lockout
from kiosk.store.types import ensure_utc

__all__ = [
    "MAX_SUBJECT",
    "LockoutState",
    "lock_end",
    "lockout_state",
    "record_failure",
    "record_success",
]

MAX_SUBJECT: Final = 64
_MAX_DOUBLINGS = 32


@dataclass(frozen=True, slots=True)
class LockoutState:
    """Consecutive failures so far and the end of the current lock (if any)."""

    failures: int
    locked_until: datetime | None

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and ensure_utc(now) < self.locked_until


def _check_subject(subject: str) -> None:
    if not subject or len(subject) > MAX_SUBJECT:
        raise ValueError(f"lockout subject must be 1 to {MAX_SUBJECT} characters")


def lock_end(policy: LockoutPolicy, failures: int, now: datetime) -> datetime | None:
    """When a lock after ``failures`` consecutive failures ends, or ``None`` for no lock."""
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
