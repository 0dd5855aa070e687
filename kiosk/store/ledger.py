"""The one-time-use ledger of visitor passes, backed by the ``pass_redemptions`` table.

A pass may be used ``uses_allowed`` times (1 for a one-time pass). Each use is a row
``(pass_id, use_number)`` with ``use_number`` from 1 to ``uses_allowed``, and that pair is
UNIQUE. A redemption reads how many uses exist and inserts the next number, in one write
transaction:

* Write transactions are serialised by :mod:`kiosk.store.db` (SQLite: ``BEGIN IMMEDIATE``;
  PostgreSQL: a transaction-level advisory lock), so two kiosks sharing the database redeem
  one after the other.
* The UNIQUE index is the backstop that does not depend on that locking: a writer that
  counted stale data and inserts a use number that exists fails, and the redemption is
  retried in a fresh transaction, which sees the other use. So exactly ``uses_allowed``
  redemptions succeed however many kiosks race.

:class:`StoreRedemptionLedger` satisfies the ``RedemptionLedger`` protocol of
:mod:`kiosk.security.passes` by its shape (``redeem(pass_id, uses_allowed, *, kiosk_id, at)
-> int``, returning the use number) and raises that module's :class:`AlreadyUsedError`.
Refusals record nothing in the ledger (an audit entry says that a refusal happened).

NOTE: Qt-free zone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.security.passes import AlreadyUsedError
from kiosk.store.db import Database
from kiosk.store.models import PassRedemption
from kiosk.store.types import ensure_utc

__all__ = [
    "EVENT_PASS_REDEEMED",
    "EVENT_PASS_REFUSED",
    "MAX_PASS_ID_BYTES",
    "MAX_USES",
    "AlreadyUsedError",
    "Redemption",
    "RedemptionAuditor",
    "StoreRedemptionLedger",
    "pass_id_text",
]

log = logging.getLogger(__name__)

EVENT_PASS_REDEEMED: Final = "pass.redeemed"
EVENT_PASS_REFUSED: Final = "pass.refused"
MAX_PASS_ID_BYTES: Final = 32
MAX_USES: Final = 1000
_MAX_KIOSK_ID = 64
_MAX_ATTEMPTS = 8

RedemptionAuditor = Callable[[Session, str, Mapping[str, str | int | bool]], None]
"""``(session, event_type, detail)``: records an audit entry inside the ledger's transaction."""


@dataclass(frozen=True, slots=True)
class Redemption:
    """One recorded use of a pass.

    Attributes:
        pass_id: Hex of the pass id.
        use_number: Which use this was (1 = first).
    """

    pass_id: str
    use_number: int
    uses_allowed: int
    kiosk_id: str
    at: datetime


def pass_id_text(pass_id: bytes) -> str:
    """The stored form of a pass id: lower-case hex.

    Raises:
        ValueError: The id is empty or longer than :data:`MAX_PASS_ID_BYTES`.
    """
    if not isinstance(pass_id, bytes | bytearray) or not 1 <= len(pass_id) <= MAX_PASS_ID_BYTES:
        raise ValueError(f"pass id must be 1 to {MAX_PASS_ID_BYTES} bytes")
    return bytes(pass_id).hex()


def _check_args(uses_allowed: int, kiosk_id: str) -> None:
    if isinstance(uses_allowed, bool) or not 1 <= uses_allowed <= MAX_USES:
        raise ValueError(f"uses_allowed must be 1 to {MAX_USES}")
    if not kiosk_id or len(kiosk_id) > _MAX_KIOSK_ID:
        raise ValueError(f"kiosk_id must be 1 to {_MAX_KIOSK_ID} characters")


class StoreRedemptionLedger:
    """Pass redemptions recorded in the station database.

    Args:
        db: The station database.
        auditor: Called inside the redemption's transaction for every redemption and every
            refusal (see :data:`EVENT_PASS_REDEEMED`, :data:`EVENT_PASS_REFUSED`); ``None``
            records nothing.
    """

    def __init__(self, db: Database, *, auditor: RedemptionAuditor | None = None) -> None:
        self._db = db
        self._auditor = auditor

    def redeem(self, pass_id: bytes, uses_allowed: int, *, kiosk_id: str, at: datetime) -> int:
        """Record one use of ``pass_id``; return its use number (1 for the first use).

        Committed before it returns. A refusal is audited (and committed) too.

        Raises:
            AlreadyUsedError: The pass has been used ``uses_allowed`` times already.
            ValueError: Malformed arguments (nothing recorded).
        """
        key = pass_id_text(pass_id)
        _check_args(uses_allowed, kiosk_id)
        moment = ensure_utc(at)
        for attempt in range(1, _MAX_ATTEMPTS + 1):
            try:
                with self._db.session() as session:
                    used = self._count(session, key)
                    use = used + 1 if used < uses_allowed else None
                    if use is None:
                        self._refuse(session, key, uses_allowed, kiosk_id)
                    else:
                        self._insert(session, key, use, uses_allowed, kiosk_id, moment)
            except IntegrityError:
                # Another kiosk took this use number first (PostgreSQL): count again.
                log.info("pass redemption raced another kiosk (attempt %d); retrying", attempt)
                continue
            if use is None:
                raise AlreadyUsedError(used)
            return use
        raise RuntimeError("pass redemption kept racing other kiosks; giving up")

    def redeem_in(
        self,
        session: Session,
        pass_id: bytes,
        uses_allowed: int,
        *,
        kiosk_id: str,
        at: datetime,
    ) -> int:
        """Like :meth:`redeem`, inside the caller's write transaction (e.g. with the visit).

        The refusal is *not* audited here: the caller's transaction is going to roll back.

        Raises:
            AlreadyUsedError: The pass is used up.
            sqlalchemy.exc.IntegrityError: Another kiosk took this use number at the same
                moment (PostgreSQL only): roll back and retry the whole transaction.
        """
        key = pass_id_text(pass_id)
        _check_args(uses_allowed, kiosk_id)
        used = self._count(session, key)
        if used >= uses_allowed:
            raise AlreadyUsedError(used)
        use = used + 1
        self._insert(session, key, use, uses_allowed, kiosk_id, ensure_utc(at))
        return use

    def uses(self, pass_id: bytes) -> int:
        """How many times ``pass_id`` has been redeemed."""
        with self._db.session(write=False) as session:
            return self._count(session, pass_id_text(pass_id))

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _count(session: Session, key: str) -> int:
        count = session.scalar(
            select(func.count()).select_from(PassRedemption).where(PassRedemption.pass_id == key)
        )
        return int(count or 0)

    def _insert(
        self,
        session: Session,
        key: str,
        use: int,
        uses_allowed: int,
        kiosk_id: str,
        at: datetime,
    ) -> None:
        session.add(
            PassRedemption(
                pass_id=key,
                use_number=use,
                uses_allowed=uses_allowed,
                kiosk_id=kiosk_id,
                redeemed_at=at,
            )
        )
        session.flush()
        if self._auditor is not None:
            self._auditor(
                session,
                EVENT_PASS_REDEEMED,
                {"pass_id": key, "use": use, "uses_allowed": uses_allowed, "kiosk": kiosk_id},
            )

    def _refuse(self, session: Session, key: str, uses_allowed: int, kiosk_id: str) -> None:
        if self._auditor is not None:
            self._auditor(
                session,
                EVENT_PASS_REFUSED,
                {"pass_id": key, "uses_allowed": uses_allowed, "kiosk": kiosk_id},
            )
