"""Calls for a volunteer (呼叫志愿者).

A call is stored, together with its audit entry, in one committed transaction before
:meth:`HelpService.request` returns, so the screen never says "a volunteer is on the way" for a
call a crash could lose. The request id is a UUID and doubles as the idempotency key when the
call is later delivered to the platform.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select

from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from kiosk.store.models import HelpRequest
from kiosk.store.types import ensure_utc, utc_now

__all__ = [
    "EVENT_HELP_ANSWERED",
    "EVENT_HELP_REQUESTED",
    "HelpRequestView",
    "HelpService",
    "HelpTicket",
    "UnknownHelpRequestError",
]

EVENT_HELP_REQUESTED: Final = "help.requested"
EVENT_HELP_ANSWERED: Final = "help.answered"

_MAX_SCREEN_ID = 64
_MAX_MODE = 16


@dataclass(frozen=True, slots=True)
class HelpTicket:
    """A stored call: what the screen confirms to the visitor."""

    id: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class HelpRequestView:
    """An open call, as staff see it."""

    id: str
    station_id: str
    screen_id: str
    mode: str
    volunteer_id: int | None
    created_at: datetime


class UnknownHelpRequestError(LookupError):
    """No open call with that id at this station."""


def _check_text(value: str, what: str, limit: int) -> None:
    if not value or len(value) > limit:
        raise ValueError(f"{what} must be 1 to {limit} characters")


class HelpService:
    """Record and list calls for help at one station.

    Args:
        db: The station database.
        audit: The audit log; every call and answer is recorded.
        station_id: This station (several screens may share it).
        clock: Source of the current time (aware); injectable for tests.
    """

    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        station_id: str,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = db
        self._audit = audit
        self._station_id = station_id
        self._clock = clock

    def request(
        self,
        screen_id: str,
        mode: str,
        *,
        volunteer_id: int | None = None,
        request_id: str | None = None,
    ) -> HelpTicket:
        """Store a call for help; return only once it is committed.

        Args:
            screen_id: The screen the call was made from.
            mode: The visit mode (``"standard"``, ``"elderly"``, ``"assisted"``, ...).
            volunteer_id: The volunteer signed in at the screen, if any (assisted mode).
            request_id: A UUID chosen by the caller for a retried call: if a call with this
                id exists it is returned unchanged and nothing new is written. Default: a
                new UUID4.

        Raises:
            ValueError: Empty or too long ``screen_id``/``mode``, or a malformed ``request_id``.
        """
        _check_text(screen_id, "screen_id", _MAX_SCREEN_ID)
        _check_text(mode, "mode", _MAX_MODE)
        help_id = str(uuid.UUID(request_id)) if request_id is not None else str(uuid.uuid4())
        with self._db.session() as session:
            existing = session.get(HelpRequest, help_id)
            if existing is not None:
                return HelpTicket(id=existing.id, created_at=existing.created_at)
            created_at = ensure_utc(self._clock())
            session.add(
                HelpRequest(
                    id=help_id,
                    station_id=self._station_id,
                    screen_id=screen_id,
                    mode=mode,
                    volunteer_id=volunteer_id,
                    created_at=created_at,
                    status="open",
                )
            )
            session.flush()
            self._audit.append(
                EVENT_HELP_REQUESTED,
                actor_kind="volunteer" if volunteer_id is not None else "resident",
                actor_id=volunteer_id,
                detail={
                    "help_id": help_id,
                    "station": self._station_id,
                    "screen": screen_id,
                    "mode": mode,
                },
                session=session,
            )
        return HelpTicket(id=help_id, created_at=created_at)

    def open_requests(self) -> list[HelpRequestView]:
        """Open calls at this station, oldest first."""
        with self._db.session(write=False) as session:
            rows = session.scalars(
                select(HelpRequest)
                .where(HelpRequest.station_id == self._station_id, HelpRequest.status == "open")
                .order_by(HelpRequest.created_at, HelpRequest.id)
            ).all()
            return [
                HelpRequestView(
                    id=row.id,
                    station_id=row.station_id,
                    screen_id=row.screen_id,
                    mode=row.mode,
                    volunteer_id=row.volunteer_id,
                    created_at=row.created_at,
                )
                for row in rows
            ]

    def answer(self, request_id: str, *, volunteer_id: int) -> None:
        """Mark an open call as answered by ``volunteer_id``.

        Raises:
            UnknownHelpRequestError: No open call with this id at this station.
        """
        with self._db.session() as session:
            row = session.get(HelpRequest, request_id)
            if row is None or row.station_id != self._station_id or row.status != "open":
                raise UnknownHelpRequestError(request_id)
            row.status = "answered"
            row.answered_at = ensure_utc(self._clock())
            row.answered_by = volunteer_id
            session.flush()
            self._audit.append(
                EVENT_HELP_ANSWERED,
                actor_kind="volunteer",
                actor_id=volunteer_id,
                detail={"help_id": request_id, "station": self._station_id},
                session=session,
            )
