"""Migration 0003 (visitors): existing visits and photos survive the upgrade (and the
downgrade); exit codes are unique among open visits only; one approval admits one visit;
the new tables refuse values outside their states. SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from kiosk.store.db import Database, alembic_config
from kiosk.store.models import (
    Approval,
    Building,
    Community,
    HostNotificationRow,
    Household,
    IssuedPassRow,
    Unit,
    Visit,
)

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def _migrate(db: Database, revision: str, *, down: bool = False) -> None:
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        if down:
            command.downgrade(cfg, revision)
        else:
            command.upgrade(cfg, revision)


def _household(db: Database) -> int:
    with db.session() as session:
        session.add(Community(id="c", name="社区"))
        household = Household(
            unit=Unit(building=Building(community_id="c", number="1", name="1栋"), number="1"),
            room="101",
        )
        session.add(household)
        session.flush()
        return household.id


def _visit(
    visit_id: str, code: str | None, *, out: bool = False, approval: str | None = None
) -> Visit:
    return Visit(
        id=visit_id,
        station_id="s",
        kiosk_id="k",
        visitor_name_enc=b"\x01" * 40,
        checked_in_at=NOW,
        checked_out_at=NOW + timedelta(hours=1) if out else None,
        exit_code=code,
        approval_id=approval,
    )


def test_visits_and_photos_from_0002_survive_the_upgrade_and_the_downgrade(db: Database) -> None:
    _migrate(db, "0002", down=True)
    assert "approvals" not in inspect(db.engine).get_table_names()
    visit_id = str(uuid.uuid4())
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO visits (id, station_id, kiosk_id, visitor_name_enc, checked_in_at)"
                " VALUES (:id, 's', 'k', :name, :at)"
            ),
            {"id": visit_id, "name": b"\x01" * 40, "at": NOW.replace(tzinfo=None)},
        )
        conn.execute(
            text(
                "INSERT INTO visit_photos (visit_id, path, taken_at) VALUES (:v, 'a.jpg.enc', :at)"
            ),
            {"v": visit_id, "at": NOW.replace(tzinfo=None)},
        )
    _migrate(db, "head")
    with db.session(write=False) as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        assert (visit.kind, visit.exit_code, visit.reason, visit.approval_id) == (
            "pass",
            None,
            None,
            None,
        )
        assert session.scalar(text("SELECT count(*) FROM visit_photos")) == 1
    _migrate(db, "0002", down=True)
    columns = {c["name"] for c in inspect(db.engine).get_columns("visits")}
    assert not columns & {"exit_code", "kind", "reason", "phone_enc", "approval_id"}
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT id FROM visits")).scalars().all() == [visit_id]
        assert conn.execute(text("SELECT count(*) FROM visit_photos")).scalar() == 1
    _migrate(db, "head")


def test_an_exit_code_is_unique_among_open_visits_only(db: Database) -> None:
    with db.session() as session:
        session.add(_visit(str(uuid.uuid4()), "123456789", out=True))
        session.add(_visit(str(uuid.uuid4()), "123456789", out=True))
        session.add(_visit(str(uuid.uuid4()), "123456789"))  # one inside: fine
        session.add(_visit(str(uuid.uuid4()), None))
        session.add(_visit(str(uuid.uuid4()), None))  # visits from before exit codes
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(_visit(str(uuid.uuid4()), "123456789"))
    with db.session() as session:  # once it has left, the code is free again
        session.execute(
            update(Visit).where(Visit.checked_out_at.is_(None)).values(checked_out_at=NOW)
        )
        session.add(_visit(str(uuid.uuid4()), "123456789"))


def test_one_approval_admits_one_visit(db: Database) -> None:
    approval = str(uuid.uuid4())
    with db.session() as session:
        session.add(_visit(str(uuid.uuid4()), "111111111", approval=approval))
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(_visit(str(uuid.uuid4()), "222222222", approval=approval))


def _approval(home: int, **overrides: object) -> Approval:
    values: dict[str, object] = {
        "id": str(uuid.uuid4()),
        "household_id": home,
        "state": "pending",
        "visitor_name_enc": b"\x01" * 40,
        "reason": "family",
        "kiosk_id": "k",
        "host_reachable": True,
        "requested_at": NOW,
        "expires_at": NOW + timedelta(minutes=3),
        "request_id": str(uuid.uuid4()),
    }
    values.update(overrides)
    return Approval(**values)


@pytest.mark.parametrize(
    "overrides",
    [
        {"state": "maybe"},
        {"decided_by": "neighbour"},
        {"reason": "burglary"},
        {"household_id": 999_999},
    ],
)
def test_approvals_refuse_values_outside_their_states(
    db: Database, overrides: dict[str, object]
) -> None:
    household_id = _household(db)
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(_approval(household_id, **overrides))


def test_approval_request_ids_are_unique(db: Database) -> None:
    household_id = _household(db)
    request_id = str(uuid.uuid4())
    with db.session() as session:
        session.add(_approval(household_id, request_id=request_id))
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(_approval(household_id, request_id=request_id))


def test_host_notifications_and_issued_passes_keep_their_rules(db: Database) -> None:
    household_id = _household(db)
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(
            HostNotificationRow(household_id=household_id, kind="gossip", ref="x", created_at=NOW)
        )

    def issued(pass_id: str, code: str, request_id: str, **overrides: object) -> IssuedPassRow:
        values: dict[str, object] = {
            "pass_id": pass_id,
            "short_code": code,
            "token": "KP1.X.Y",
            "household_id": household_id,
            "valid_from": NOW,
            "valid_until": NOW + timedelta(hours=1),
            "uses_allowed": 1,
            "issued_at": NOW,
            "request_id": request_id,
        }
        values.update(overrides)
        return IssuedPassRow(**values)

    with db.session() as session:
        session.add(issued("a" * 32, "123456789", "r1"))
    for row in (
        issued("b" * 32, "123456789", "r2"),  # the short code is taken
        issued("c" * 32, "987654321", "r1"),  # the request id is taken
        issued("d" * 32, "555555555", "r3", uses_allowed=0),
        issued("e" * 32, "666666666", "r4", valid_until=NOW),
    ):
        with pytest.raises(IntegrityError), db.session() as session:
            session.add(row)
    with db.session(write=False) as session:
        assert session.scalars(select(IssuedPassRow.pass_id)).all() == ["a" * 32]
