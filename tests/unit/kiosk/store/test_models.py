from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError

from kiosk.store.db import Database
from kiosk.store.models import (
    Building,
    Community,
    HelpRequest,
    Household,
    Resident,
    Unit,
    Volunteer,
    household_label,
)
from kiosk.store.settings import delete_setting, get_setting, put_setting


def _home(db: Database) -> int:
    with db.session() as session:
        community = Community(id="c", name="测试社区")
        building = Building(community=community, number="3", name="3栋")
        unit = Unit(building=building, number="2")
        home = Household(unit=unit, room="501")
        session.add(home)
        session.flush()
        return home.id


def _store(db: Database, *rows: object) -> None:
    with db.session() as session:
        session.add_all(rows)


def test_household_label() -> None:
    assert household_label("3栋", "2", "501") == "3栋2单元501"


def test_household_display_label_walks_the_tree(db: Database) -> None:
    home_id = _home(db)
    with db.session(write=False) as session:
        home = session.get(Household, home_id)
        assert home is not None
        assert home.display_label() == "3栋2单元501"


def test_resident_defaults(db: Database) -> None:
    home_id = _home(db)
    with db.session() as session:
        session.add(Resident(household_id=home_id, name="测试甲", phone_last4="1234"))
    with db.session(write=False) as session:
        resident = session.scalars(select(Resident)).one()
    assert resident.is_elderly is False
    assert resident.phone_enc is None
    assert resident.card_uid_hash is None
    assert resident.created_at.tzinfo == UTC
    assert abs((datetime.now(UTC) - resident.created_at).total_seconds()) < 60


def test_card_hash_is_unique_among_residents(db: Database) -> None:
    home_id = _home(db)
    same_card = [
        Resident(household_id=home_id, name="甲", card_uid_hash="a" * 64),
        Resident(household_id=home_id, name="乙", card_uid_hash="a" * 64),
    ]
    with pytest.raises(IntegrityError):
        _store(db, *same_card)


def test_residents_without_cards_do_not_collide(db: Database) -> None:
    home_id = _home(db)
    with db.session() as session:
        session.add(Resident(household_id=home_id, name="甲"))
        session.add(Resident(household_id=home_id, name="乙"))


@pytest.mark.parametrize("last4", ["123", "12345"])
def test_phone_last4_is_four_characters(db: Database, last4: str) -> None:
    home_id = _home(db)
    # PostgreSQL refuses five characters for VARCHAR(4) before the check constraint runs.
    with pytest.raises((IntegrityError, DataError)), db.session() as session:
        session.add(Resident(household_id=home_id, name="甲", phone_last4=last4))


def test_volunteer_role_is_checked(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(Volunteer(name="甲", role="boss"))


def test_volunteer_defaults(db: Database) -> None:
    with db.session() as session:
        session.add(Volunteer(name="甲"))
    with db.session(write=False) as session:
        volunteer = session.scalars(select(Volunteer)).one()
    assert (volunteer.role, volunteer.active, volunteer.pin_hash) == ("volunteer", True, None)


def test_help_request_status_is_checked(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(
            HelpRequest(
                id="00000000-0000-4000-8000-000000000000",
                station_id="s",
                screen_id="home",
                mode="standard",
                status="lost",
            )
        )


def test_building_numbers_are_unique_per_community(db: Database) -> None:
    _home(db)
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(Building(community_id="c", number="3", name="3栋"))


def test_settings_round_trip(db: Database) -> None:
    with db.session() as session:
        assert get_setting(session, "k") is None
        put_setting(session, "k", "one")
        put_setting(session, "k", "two")
    with db.session() as session:
        assert get_setting(session, "k") == "two"
        delete_setting(session, "k")
        delete_setting(session, "k")  # absent: no error
    with db.session(write=False) as session:
        assert get_setting(session, "k") is None
