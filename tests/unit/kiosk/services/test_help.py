from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from kiosk.services.audit import AuditLog
from kiosk.services.help import (
    EVENT_HELP_ANSWERED,
    EVENT_HELP_REQUESTED,
    HelpService,
    UnknownHelpRequestError,
)
from kiosk.store.db import Database
from kiosk.store.models import AuditEvent, HelpRequest, Volunteer
from tests.unit.kiosk.services.fakes import FakeClock


@pytest.fixture
def help_service(db: Database, audit: AuditLog, clock: FakeClock) -> HelpService:
    return HelpService(db, audit, "station-01", clock=clock)


@pytest.fixture
def volunteer_id(db: Database) -> int:
    with db.session() as session:
        volunteer = Volunteer(name="测试志愿者")
        session.add(volunteer)
        session.flush()
        return volunteer.id


def _audit_rows(db: Database) -> list[AuditEvent]:
    with db.session(write=False) as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def test_request_is_durable_before_it_returns(
    help_service: HelpService, db: Database, clock: FakeClock
) -> None:
    ticket = help_service.request("payment_select", "elderly")
    assert ticket.created_at == clock.now
    assert uuid.UUID(ticket.id).version == 4
    # A second connection (another process, or the kiosk after a crash) sees both rows.
    other = Database(db.url)
    try:
        with other.session(write=False) as session:
            row = session.get(HelpRequest, ticket.id)
            assert row is not None
            assert (row.station_id, row.screen_id, row.mode, row.status) == (
                "station-01",
                "payment_select",
                "elderly",
                "open",
            )
            events = session.scalars(select(AuditEvent)).all()
        assert [e.event_type for e in events] == [EVENT_HELP_REQUESTED]
        assert json.loads(events[0].detail) == {
            "help_id": ticket.id,
            "station": "station-01",
            "screen": "payment_select",
            "mode": "elderly",
        }
        assert events[0].actor_kind == "resident"
        assert events[0].actor_id is None
    finally:
        other.dispose()


def test_request_and_audit_commit_together(
    help_service: HelpService, audit: AuditLog, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_append(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit write failed")

    monkeypatch.setattr(audit, "append", broken_append)
    with pytest.raises(RuntimeError, match="audit write failed"):
        help_service.request("home", "standard")
    with db.session(write=False) as session:
        assert session.scalars(select(HelpRequest)).all() == []


def test_volunteer_request_names_the_volunteer(
    help_service: HelpService, db: Database, volunteer_id: int
) -> None:
    ticket = help_service.request("assist_login", "assisted", volunteer_id=volunteer_id)
    [view] = help_service.open_requests()
    assert (view.id, view.volunteer_id, view.mode) == (ticket.id, volunteer_id, "assisted")
    [event] = _audit_rows(db)
    assert (event.actor_kind, event.actor_id) == ("volunteer", str(volunteer_id))


def test_open_requests_oldest_first_for_this_station_only(
    help_service: HelpService, db: Database, audit: AuditLog, clock: FakeClock
) -> None:
    first = help_service.request("home", "standard")
    clock.advance(30)
    second = help_service.request("health_measure", "elderly")
    HelpService(db, audit, "station-02", clock=clock).request("home", "standard")
    views = help_service.open_requests()
    assert [v.id for v in views] == [first.id, second.id]
    assert all(v.station_id == "station-01" for v in views)
    assert views[1].created_at == second.created_at


def test_answer_closes_a_request(
    help_service: HelpService, db: Database, volunteer_id: int, clock: FakeClock
) -> None:
    ticket = help_service.request("home", "standard")
    clock.advance(45)
    help_service.answer(ticket.id, volunteer_id=volunteer_id)
    assert help_service.open_requests() == []
    with db.session(write=False) as session:
        row = session.get(HelpRequest, ticket.id)
        assert row is not None
        assert (row.status, row.answered_by, row.answered_at) == (
            "answered",
            volunteer_id,
            clock.now,
        )
    assert [e.event_type for e in _audit_rows(db)] == [EVENT_HELP_REQUESTED, EVENT_HELP_ANSWERED]
    with pytest.raises(UnknownHelpRequestError):
        help_service.answer(ticket.id, volunteer_id=volunteer_id)


def test_answer_unknown_or_foreign_request(
    help_service: HelpService, db: Database, audit: AuditLog, volunteer_id: int
) -> None:
    with pytest.raises(UnknownHelpRequestError):
        help_service.answer(str(uuid.uuid4()), volunteer_id=volunteer_id)
    foreign = HelpService(db, audit, "station-02").request("home", "standard")
    with pytest.raises(UnknownHelpRequestError):
        help_service.answer(foreign.id, volunteer_id=volunteer_id)


def test_retried_request_is_stored_once(help_service: HelpService, db: Database) -> None:
    key = str(uuid.uuid4())
    first = help_service.request("home", "standard", request_id=key)
    again = help_service.request("home", "standard", request_id=key)
    assert first == again
    assert len(help_service.open_requests()) == 1
    assert len(_audit_rows(db)) == 1


@pytest.mark.parametrize(
    ("screen_id", "mode", "request_id"),
    [
        ("", "standard", None),
        ("x" * 65, "standard", None),
        ("home", "", None),
        ("home", "m" * 17, None),
        ("home", "standard", "not-a-uuid"),
    ],
)
def test_bad_requests_are_refused(
    help_service: HelpService, db: Database, screen_id: str, mode: str, request_id: str | None
) -> None:
    with pytest.raises(ValueError, match=r"."):
        help_service.request(screen_id, mode, request_id=request_id)
    assert help_service.open_requests() == []
    assert _audit_rows(db) == []
