from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from kiosk.store.cards import card_uid_hash
from kiosk.store.db import Database
from kiosk.store.demo import (
    DEMO_CARD_KEY,
    DEMO_CARDS,
    DEMO_COMMUNITY_NAME,
    DEMO_NO_PHONE_HOUSEHOLD,
    DEMO_RESIDENTS,
    DemoSummary,
    seed_demo,
)
from kiosk.store.models import (
    Base,
    Building,
    Community,
    Household,
    Notice,
    Resident,
    Unit,
    Volunteer,
)

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def _row_counts(db: Database) -> dict[str, int]:
    with db.session(write=False) as session:
        return {
            name: session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in Base.metadata.tables.items()
        }


def test_seed_builds_the_demo_community(db: Database) -> None:
    summary = seed_demo(db, now=NOW)
    assert summary == DemoSummary(
        buildings=3,
        units=6,
        households=72,
        residents=20,
        volunteers=3,
        notices=4,
        created=1 + 3 + 6 + 72 + 20 + 3 + 4,
    )
    with db.session(write=False) as session:
        community = session.get(Community, "demo")
        assert community is not None
        assert community.name == DEMO_COMMUNITY_NAME == "幸福里社区"
        labels = {h.display_label() for h in session.scalars(select(Household))}
        assert {"1栋1单元101", "2栋2单元302", "3栋2单元602"} <= labels
        assert all(re.fullmatch(r"[123]栋[12]单元[1-6]0[12]", label) for label in labels)
        elderly = session.scalars(select(Resident).where(Resident.is_elderly)).all()
        assert len(elderly) >= 5
        roles = sorted(v.role for v in session.scalars(select(Volunteer)))
        assert roles == ["staff", "volunteer", "volunteer"]
        assert all(v.pin_hash is None for v in session.scalars(select(Volunteer)))
        titles = set(session.scalars(select(Notice.title)))
        assert {"燃气安全检查", "社区义诊", "停水通知", "垃圾分类小贴士"} == titles


def test_seeding_twice_adds_nothing(db: Database) -> None:
    first = seed_demo(db, now=NOW)
    counts = _row_counts(db)
    second = seed_demo(db)  # a later "now" must not add notices either
    assert second.created == 0
    assert (first.buildings, first.households, first.residents) == (
        second.buildings,
        second.households,
        second.residents,
    )
    assert (first.volunteers, first.notices) == (second.volunteers, second.notices)
    assert _row_counts(db) == counts


def test_demo_cards_identify_their_holders(db: Database) -> None:
    seed_demo(db, now=NOW)
    assert len({card.uid for card in DEMO_CARDS}) == len(DEMO_CARDS)
    with db.session(write=False) as session:
        for card in DEMO_CARDS:
            digest = card_uid_hash(card.uid, DEMO_CARD_KEY)
            if card.kind == "resident":
                holder = session.scalars(
                    select(Resident.name).where(Resident.card_uid_hash == digest)
                )
            else:
                holder = session.scalars(
                    select(Volunteer.name).where(Volunteer.card_uid_hash == digest)
                )
            assert holder.one() == card.holder


def test_no_clear_identifiers_are_stored(db: Database) -> None:
    seed_demo(db, now=NOW)
    with db.session(write=False) as session:
        for resident in session.scalars(select(Resident)):
            assert resident.phone_last4 is None or re.fullmatch(r"\d{4}", resident.phone_last4)
            assert resident.card_uid_hash is None or re.fullmatch(
                r"[0-9a-f]{64}", resident.card_uid_hash
            )
    assert {r.name for r in DEMO_RESIDENTS}.isdisjoint({c.uid for c in DEMO_CARDS})


def test_a_second_demo_community_shares_volunteers_not_cards(db: Database) -> None:
    seed_demo(db, now=NOW)
    other = seed_demo(db, "demo2", now=NOW)
    assert (other.households, other.residents, other.volunteers) == (72, 20, 3)
    with db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Volunteer)) == 3
        with_cards = session.scalar(
            select(func.count()).select_from(Resident).where(Resident.card_uid_hash.is_not(None))
        )
    assert with_cards == sum(1 for r in DEMO_RESIDENTS if r.card_uid)


def test_one_demo_household_has_residents_but_no_phone_on_file(db: Database) -> None:
    """For the walk-in path where the host cannot be reached (volunteer approval at once)."""
    seed_demo(db, now=NOW)
    building, unit, room = DEMO_NO_PHONE_HOUSEHOLD.split("-")
    with db.session(write=False) as session:
        residents = session.scalars(
            select(Resident)
            .join(Household)
            .join(Unit)
            .join(Building)
            .where(Building.number == building, Unit.number == unit, Household.room == room)
        ).all()
    assert residents
    assert all(r.phone_last4 is None and r.phone_enc is None for r in residents)
    with_phone = sum(1 for r in DEMO_RESIDENTS if r.phone_last4 is not None)
    assert with_phone == len(DEMO_RESIDENTS) - 1  # every other demo resident has one
