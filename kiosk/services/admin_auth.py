"""The station admin PIN: first-run setup, change, and verification with lockout.

Policy (ARCHITECTURE.md §6, RELIABILITY.md case 33):

* No default PIN ships. The first start asks for one (:meth:`AdminAuth.set_pin`); after that
  only :meth:`AdminAuth.change_pin`, which needs the current PIN, can replace it.
* A PIN is 6 to 12 ASCII digits, not one digit repeated and not a straight run up or down
  (``123456``, ``654321``, also wrapping past 9/0 such as ``890123``): :func:`check_pin`.
* Stored as argon2id, m=19 MiB, t=2, p=1 in the ``settings`` table.
* After ``max_failures`` consecutive wrong PINs the PIN is locked for ``lockout_s``. The lock
  is not a counter reset: once it ends, every further wrong PIN locks again for twice as
  long as the last lock, up to ``lockout_max_s``. While locked, an attempt is refused
  without looking at the PIN. A right PIN resets everything. The counter and the lock live
  in the database, so a restart does not clear them, and two kiosks sharing one database
  share them.
* Hard cap (NIST SP 800-63B "SHALL"): after 100 consecutive wrong PINs
  (:data:`kiosk.store.lockouts.HARD_CAP_FAILURES`) the PIN stays locked until station staff
  reset it with ``community-kiosk pins unlock --admin`` (:meth:`AdminAuth.unlock`); the lock
  then ends at :data:`~kiosk.store.lockouts.PERMANENT_LOCK_UNTIL` and
  :func:`~kiosk.store.lockouts.is_permanent` says so. The delays are shared with volunteer
  PINs through :func:`kiosk.store.lockouts.lock_end`.
* Every attempt (success, failure, refused while locked) is written to the audit log in the
  same transaction as the counter change. The PIN itself is never logged. So is every reset.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from kiosk.pins import (
    PIN_MAX_DIGITS,
    PIN_MIN_DIGITS,
    AuthResult,
    LockoutPolicy,
    PinAlreadySetError,
    PinNotSetError,
    WeakPinError,
    WeakPinReason,
    check_pin,
)
from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from kiosk.store.lockouts import is_permanent, lock_end
from kiosk.store.settings import delete_setting, get_setting, put_setting
from kiosk.store.types import ensure_utc, utc_now

__all__ = [
    "ARGON2_MEMORY_KIB",
    "ARGON2_PARALLELISM",
    "ARGON2_TIME_COST",
    "EVENT_LOGIN",
    "EVENT_PIN_CHANGE",
    "EVENT_PIN_SET",
    "EVENT_PIN_UNLOCK",
    "PIN_MAX_DIGITS",
    "PIN_MIN_DIGITS",
    "AdminAuth",
    "AdminLockState",
    "AuthResult",
    "LockoutPolicy",
    "PinAlreadySetError",
    "PinNotSetError",
    "WeakPinError",
    "WeakPinReason",
    "check_pin",
]

log = logging.getLogger(__name__)

ARGON2_TIME_COST: Final = 2
ARGON2_MEMORY_KIB: Final = 19456  # 19 MiB, the OWASP minimum for argon2id
ARGON2_PARALLELISM: Final = 1


EVENT_LOGIN: Final = "admin.login"
EVENT_PIN_SET: Final = "admin.pin_set"
EVENT_PIN_CHANGE: Final = "admin.pin_change"
EVENT_PIN_UNLOCK: Final = "admin.pin_unlock"

KEY_PIN_HASH: Final = "admin.pin_hash"
KEY_FAILURES: Final = "admin.failures"
KEY_LOCKED_UNTIL: Final = "admin.locked_until"

_Outcome = Literal["success", "failure", "locked"]


@dataclass(frozen=True, slots=True)
class AdminLockState:
    """The admin PIN's failure counter and lock, for staff (``pins status``).

    Attributes:
        failures: Consecutive wrong PINs.
        locked_until: End of the lock (``PERMANENT_LOCK_UNTIL`` for the hard cap), or ``None``.
    """

    failures: int
    locked_until: datetime | None

    @property
    def permanent(self) -> bool:
        return is_permanent(self.locked_until)


class AdminAuth:
    """The station admin PIN.

    Args:
        db: The station database (PIN hash and lockout state live in ``settings``).
        cfg: Lockout policy, normally ``Settings.admin`` (an ``AdminConfig``).
        audit: Where every attempt is recorded.
        clock: Source of the current time (aware); injectable for tests.
    """

    def __init__(
        self,
        db: Database,
        cfg: LockoutPolicy,
        audit: AuditLog,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = db
        self._cfg = cfg
        self._audit = audit
        self._clock = clock
        self._hasher = PasswordHasher(
            time_cost=ARGON2_TIME_COST,
            memory_cost=ARGON2_MEMORY_KIB,
            parallelism=ARGON2_PARALLELISM,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )

    def has_pin(self) -> bool:
        """Whether an admin PIN has been set (if not, the first-run setup must ask)."""
        with self._db.session(write=False) as session:
            return get_setting(session, KEY_PIN_HASH) is not None

    def locked_until(self) -> datetime | None:
        """End of the current lock, or ``None`` (for the UI; does not count as an attempt).

        A lock only staff can end reads :data:`~kiosk.store.lockouts.PERMANENT_LOCK_UNTIL`.
        """
        now = ensure_utc(self._clock())
        with self._db.session(write=False) as session:
            _, until = self._load_state(session)
        return until if until is not None and now < until else None

    def lock_state(self) -> AdminLockState:
        """Failures and lock as stored (for staff; not an attempt, not audited)."""
        with self._db.session(write=False) as session:
            failures, until = self._load_state(session)
        return AdminLockState(failures, until)

    def unlock(self, *, operator: str = "cli") -> AdminLockState:
        """Staff reset: clear the failure counter and any lock, the hard cap's included.

        Audited (``admin.pin_unlock``) in the same transaction, with the state it replaced.
        The PIN itself is unchanged.

        Args:
            operator: How the reset was made (``"cli"``); recorded in the audit entry.

        Returns:
            The state before the reset.
        """
        with self._db.session() as session:
            failures, until = self._load_state(session)
            before = AdminLockState(failures, until)
            self._save_state(session, 0, None)
            self._audit.append(
                EVENT_PIN_UNLOCK,
                actor_kind="admin",
                detail={
                    "result": "success",
                    "via": operator,
                    "failures": failures,
                    "was_locked": until is not None,
                    "permanent": before.permanent,
                },
                session=session,
            )
        log.warning("admin PIN lock reset by staff (%d failures before)", failures)
        return before

    def set_pin(self, new_pin: str) -> None:
        """Set the first admin PIN.

        Raises:
            WeakPinError: ``new_pin`` breaks the PIN rule.
            PinAlreadySetError: A PIN exists already.
        """
        check_pin(new_pin)
        new_hash = self._hasher.hash(new_pin)
        with self._db.session() as session:
            if get_setting(session, KEY_PIN_HASH) is not None:
                raise PinAlreadySetError("an admin PIN is set already; use change_pin")
            put_setting(session, KEY_PIN_HASH, new_hash)
            self._save_state(session, 0, None)
            self._audit.append(
                EVENT_PIN_SET, actor_kind="admin", detail={"result": "success"}, session=session
            )
        log.info("admin PIN set")

    def change_pin(self, old_pin: str, new_pin: str) -> AuthResult:
        """Replace the PIN; ``old_pin`` is checked like a login (failures count, locks apply).

        Returns:
            The result of checking ``old_pin``; the PIN changed only if ``ok``.

        Raises:
            WeakPinError: ``new_pin`` breaks the PIN rule (checked first: no attempt counted).
            PinNotSetError: There is no PIN to change.
        """
        check_pin(new_pin)
        with self._db.session() as session:
            result = self._attempt(session, old_pin, EVENT_PIN_CHANGE)
            if result.ok:
                put_setting(session, KEY_PIN_HASH, self._hasher.hash(new_pin))
        if result.ok:
            log.info("admin PIN changed")
        return result

    def verify(self, pin: str) -> AuthResult:
        """Check an admin login attempt, applying and updating the lockout.

        Raises:
            PinNotSetError: No PIN exists yet.
        """
        with self._db.session() as session:
            return self._attempt(session, pin, EVENT_LOGIN)

    # ------------------------------------------------------------------ internals

    def _attempt(self, session: Session, pin: str, event_type: str) -> AuthResult:
        # One write transaction: the check and the counter update cannot interleave with an
        # attempt on another kiosk sharing the database.
        now = ensure_utc(self._clock())
        stored = get_setting(session, KEY_PIN_HASH)
        if stored is None:
            raise PinNotSetError("no admin PIN set")
        failures, until = self._load_state(session)
        if until is not None and now < until:
            result = AuthResult(ok=False, locked_until=until, failures=failures)
            self._record(session, event_type, "locked", result)
            return result
        if self._matches(stored, pin):
            if self._hasher.check_needs_rehash(stored):
                put_setting(session, KEY_PIN_HASH, self._hasher.hash(pin))
            self._save_state(session, 0, None)
            result = AuthResult(ok=True, locked_until=None, failures=0)
            self._record(session, event_type, "success", result)
            return result
        failures += 1
        new_until = lock_end(self._cfg, failures, now)
        self._save_state(session, failures, new_until)
        result = AuthResult(ok=False, locked_until=new_until, failures=failures)
        self._record(session, event_type, "failure", result)
        if is_permanent(new_until):
            log.error("admin PIN locked after %d failures until staff reset it", failures)
        elif new_until is not None:
            log.warning("admin PIN locked after %d failures until %s", failures, new_until)
        return result

    def _matches(self, stored: str, pin: str) -> bool:
        try:
            return bool(self._hasher.verify(stored, pin))
        except VerificationError:
            return False
        except InvalidHashError:
            log.error("stored admin PIN hash is malformed; no PIN can match")
            return False

    def _record(
        self, session: Session, event_type: str, outcome: _Outcome, result: AuthResult
    ) -> None:
        detail: dict[str, str | int | bool] = {"result": outcome, "failures": result.failures}
        if result.locked_until is not None:
            detail["locked_until"] = result.locked_until.isoformat(timespec="seconds")
            if is_permanent(result.locked_until):
                detail["permanent"] = True
        self._audit.append(event_type, actor_kind="admin", detail=detail, session=session)

    @staticmethod
    def _load_state(session: Session) -> tuple[int, datetime | None]:
        failures_text = get_setting(session, KEY_FAILURES)
        until_text = get_setting(session, KEY_LOCKED_UNTIL)
        failures = int(failures_text) if failures_text else 0
        until = ensure_utc(datetime.fromisoformat(until_text)) if until_text else None
        return failures, until

    @staticmethod
    def _save_state(session: Session, failures: int, until: datetime | None) -> None:
        put_setting(session, KEY_FAILURES, str(failures))
        if until is None:
            delete_setting(session, KEY_LOCKED_UNTIL)
        else:
            put_setting(session, KEY_LOCKED_UNTIL, until.isoformat())
