"""A fictional demo community for development, demos, practice mode and tests.

幸福里社区: three buildings (1栋-3栋), two units each, six floors of two rooms (101, 102 ...
602), twenty residents (seven of them elderly), three volunteers (one staff) and four notices.
Every name, phone digit and card UID here is invented.

2栋1单元401 (code :data:`DEMO_NO_PHONE_HOUSEHOLD`, ``"2-1-401"``) has one resident and no
phone on file: a walk-in for it cannot reach the host, so the kiosk offers a volunteer's
approval at once.

The simulated card reader can "insert" the cards in :data:`DEMO_CARDS`: their hashes are stored
under :data:`DEMO_CARD_KEY`, a key that is public and therefore only for demo data.

:func:`seed_demo` is idempotent: it adds what is missing and never duplicates or changes
existing rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Final, Literal, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kiosk.store.cards import card_uid_hash
from kiosk.store.db import Database
from kiosk.store.models import (
    Building,
    Community,
    Household,
    Notice,
    Resident,
    Unit,
    Volunteer,
)
from kiosk.store.types import ensure_utc, utc_now

__all__ = [
    "DEMO_BUILDINGS",
    "DEMO_CARDS",
    "DEMO_CARD_KEY",
    "DEMO_COMMUNITY_NAME",
    "DEMO_FLOORS",
    "DEMO_NO_PHONE_HOUSEHOLD",
    "DEMO_RESIDENTS",
    "DEMO_ROOMS_PER_FLOOR",
    "DEMO_UNITS",
    "DEMO_VOLUNTEERS",
    "DemoCard",
    "DemoResident",
    "DemoSummary",
    "DemoVolunteer",
    "seed_demo",
]

DEMO_COMMUNITY_NAME: Final = "幸福里社区"
# Public on purpose: demo cards must hash the same on every machine. Never use it for real data.
DEMO_CARD_KEY: Final = b"community-kiosk-demo-card-key-v1"

DEMO_BUILDINGS: Final = ("1", "2", "3")
DEMO_UNITS: Final = ("1", "2")
DEMO_FLOORS: Final = 6
DEMO_ROOMS_PER_FLOOR: Final = 2

DEMO_NO_PHONE_HOUSEHOLD: Final = "2-1-401"
"""The demo household whose residents have no phone on file (building-unit-room)."""

_CHINA_TIME = timezone(timedelta(hours=8), "CST")

_RowT = TypeVar("_RowT")


@dataclass(frozen=True, slots=True)
class DemoResident:
    """A fictional resident and, if they have them, their phone digits and card UID."""

    name: str
    building: str
    unit: str
    room: str
    phone_last4: str | None
    is_elderly: bool
    card_uid: str | None


@dataclass(frozen=True, slots=True)
class DemoVolunteer:
    name: str
    role: Literal["volunteer", "staff"]
    card_uid: str


@dataclass(frozen=True, slots=True)
class DemoCard:
    """A card the simulated reader can present."""

    uid: str
    holder: str
    kind: Literal["resident", "volunteer", "staff"]


DEMO_RESIDENTS: Final = (
    DemoResident("王秀兰", "1", "1", "101", "3021", True, "04A3F21C6B5E80"),
    DemoResident("李建国", "1", "1", "101", "7754", True, "04B7D0E9125A80"),
    DemoResident("张桂芳", "1", "1", "302", "1186", True, None),
    DemoResident("陈志强", "1", "2", "201", "4409", False, "04C29A7731DE80"),
    DemoResident("赵淑珍", "1", "2", "502", "6620", True, "04D5510B8FA280"),
    DemoResident("孙立新", "1", "2", "502", "0935", False, None),
    DemoResident("周晓梅", "2", "1", "102", "2874", False, "9F3C1A2B"),
    DemoResident("吴海涛", "2", "1", "401", None, False, None),  # no phone on file
    DemoResident("郑玉兰", "2", "1", "601", "8042", True, "04E8C4355D1780"),
    DemoResident("冯国庆", "2", "2", "202", "3367", False, "7A4E90D1"),
    DemoResident("何美玲", "2", "2", "202", "9051", False, None),
    DemoResident("许文博", "2", "2", "501", "4728", False, "04F16E28A9C380"),
    DemoResident("马凤英", "3", "1", "101", "6195", True, "0412B7E4C06D80"),
    DemoResident("朱晨阳", "3", "1", "302", "0587", False, None),
    DemoResident("胡雅琴", "3", "1", "402", "7310", False, "5C8D2E6F"),
    DemoResident("郭永福", "3", "2", "201", "2246", True, "042D9A51F73B80"),
    DemoResident("林思雨", "3", "2", "201", "8893", False, None),
    DemoResident("高德顺", "3", "2", "501", "1678", False, "0437C8E2194F80"),
    DemoResident("罗慧敏", "3", "2", "602", "5034", False, None),
    DemoResident("梁子轩", "3", "2", "602", "9462", False, None),
)

DEMO_VOLUNTEERS: Final = (
    DemoVolunteer("陈晓燕", "volunteer", "D2E4F6A8"),
    DemoVolunteer("周志远", "volunteer", "B1C3E5A7"),
    DemoVolunteer("刘静", "staff", "04A8B6C4D2E080"),
)

DEMO_CARDS: Final = tuple(
    [DemoCard(r.card_uid, r.name, "resident") for r in DEMO_RESIDENTS if r.card_uid]
    + [DemoCard(v.card_uid, v.name, v.role) for v in DEMO_VOLUNTEERS]
)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """Rows of the demo community present after seeding.

    Attributes:
        created: Rows this call added (0 when the demo data was complete already).
    """

    buildings: int
    units: int
    households: int
    residents: int
    volunteers: int
    notices: int
    created: int


def _cn_date(moment: datetime) -> str:
    local = moment.astimezone(_CHINA_TIME)
    weekday = "一二三四五六日"[local.weekday()]
    return f"{local.month}月{local.day}日（周{weekday}）"


def _demo_notices(now: datetime) -> list[tuple[str, str, datetime, datetime | None, bool]]:
    """(title, body, published_at, expires_at, pinned), relative to ``now``."""
    day = timedelta(days=1)
    gas_day = _cn_date(now + 7 * day)
    water_day = _cn_date(now + 2 * day)
    clinic_day = _cn_date(now + 5 * day)
    return [
        (
            "燃气安全检查",
            f"{gas_day}9:00-17:00，燃气公司工作人员将入户检查燃气管道和灶具，请家中留人。"
            "检查人员佩戴工作证，检查免费，不推销任何产品。",
            now - day,
            now + 14 * day,
            True,
        ),
        (
            "社区义诊",
            f"{clinic_day}上午8:30-11:30，社区卫生服务中心医生在服务站免费测量血压、血糖，"
            "提供用药咨询。请带好医保卡，行动不便的长辈可请志愿者陪同。",
            now - 2 * day,
            now + 10 * day,
            False,
        ),
        (
            "停水通知",
            f"因供水管道维修，{water_day}8:00-14:00 1栋、2栋暂停供水，请提前储水。"
            "如遇困难请拨打物业服务电话或到服务站求助。",
            now - timedelta(hours=3),
            now + 3 * day,
            False,
        ),
        (
            "垃圾分类小贴士",
            "请按可回收物、有害垃圾、厨余垃圾、其他垃圾四类投放。"
            "厨余垃圾投放时间：每天7:00-9:00、18:00-20:00。废旧电池请投入有害垃圾桶。",
            now - 30 * day,
            None,
            False,
        ),
    ]


def seed_demo(
    db: Database,
    community_id: str = "demo",
    *,
    now: datetime | None = None,
    card_key: bytes = DEMO_CARD_KEY,
) -> DemoSummary:
    """Create the demo community (or complete it) and return what it holds.

    Args:
        db: A migrated database.
        community_id: Id of the demo community.
        now: "Today" for the notices' dates (aware); default: now.
        card_key: HMAC key for the demo card hashes.
    """
    moment = ensure_utc(now) if now is not None else utc_now()
    with db.session() as session:
        counter = _Counter()
        community = session.get(Community, community_id)
        if community is None:
            community = counter.add(session, Community(id=community_id, name=DEMO_COMMUNITY_NAME))
        households = _seed_homes(session, community, counter)
        _seed_residents(session, households, card_key, counter)
        volunteer_hashes = _seed_volunteers(session, card_key, counter)
        _seed_notices(session, community_id, moment, counter)
        session.flush()
        return _summary(session, community_id, volunteer_hashes, counter.created)


class _Counter:
    """Adds rows to the session and counts them."""

    def __init__(self) -> None:
        self.created = 0

    def add(self, session: Session, row: _RowT) -> _RowT:
        session.add(row)
        self.created += 1
        return row


def _seed_homes(
    session: Session, community: Community, counter: _Counter
) -> dict[tuple[str, str, str], Household]:
    homes: dict[tuple[str, str, str], Household] = {}
    buildings = {b.number: b for b in community.buildings}
    for b_number in DEMO_BUILDINGS:
        building = buildings.get(b_number)
        if building is None:
            building = counter.add(
                session, Building(community=community, number=b_number, name=f"{b_number}栋")
            )
        units = {u.number: u for u in building.units}
        for u_number in DEMO_UNITS:
            unit = units.get(u_number)
            if unit is None:
                unit = counter.add(session, Unit(building=building, number=u_number))
            rooms = {h.room: h for h in unit.households}
            for floor in range(1, DEMO_FLOORS + 1):
                for index in range(1, DEMO_ROOMS_PER_FLOOR + 1):
                    room = f"{floor}{index:02d}"
                    home = rooms.get(room)
                    if home is None:
                        home = counter.add(session, Household(unit=unit, room=room))
                    homes[(b_number, u_number, room)] = home
    return homes


def _seed_residents(
    session: Session,
    homes: dict[tuple[str, str, str], Household],
    card_key: bytes,
    counter: _Counter,
) -> None:
    wanted = {card_uid_hash(p.card_uid, card_key) for p in DEMO_RESIDENTS if p.card_uid}
    # A card belongs to one person: when another demo community holds it already, the
    # resident is created without a card rather than failing the UNIQUE constraint.
    taken = set(
        session.scalars(select(Resident.card_uid_hash).where(Resident.card_uid_hash.in_(wanted)))
    )
    for person in DEMO_RESIDENTS:
        home = homes[(person.building, person.unit, person.room)]
        if any(r.name == person.name for r in home.residents):
            continue
        digest = card_uid_hash(person.card_uid, card_key) if person.card_uid else None
        if digest in taken:
            digest = None
        counter.add(
            session,
            Resident(
                household=home,
                name=person.name,
                phone_last4=person.phone_last4,
                card_uid_hash=digest,
                is_elderly=person.is_elderly,
            ),
        )


def _seed_volunteers(session: Session, card_key: bytes, counter: _Counter) -> list[str]:
    hashes = [card_uid_hash(v.card_uid, card_key) for v in DEMO_VOLUNTEERS]
    existing = set(
        session.scalars(select(Volunteer.card_uid_hash).where(Volunteer.card_uid_hash.in_(hashes)))
    )
    for volunteer, digest in zip(DEMO_VOLUNTEERS, hashes, strict=True):
        if digest not in existing:
            # No PIN: volunteers choose their own (no default PIN ships).
            counter.add(
                session,
                Volunteer(name=volunteer.name, role=volunteer.role, card_uid_hash=digest),
            )
    return hashes


def _seed_notices(session: Session, community_id: str, now: datetime, counter: _Counter) -> None:
    titles = set(session.scalars(select(Notice.title).where(Notice.community_id == community_id)))
    for title, body, published_at, expires_at, pinned in _demo_notices(now):
        if title in titles:
            continue
        counter.add(
            session,
            Notice(
                community_id=community_id,
                title=title,
                body=body,
                published_at=published_at,
                expires_at=expires_at,
                pinned=pinned,
            ),
        )


def _count(session: Session, query: Select[int]) -> int:
    return session.scalar(query) or 0


def _summary(
    session: Session, community_id: str, volunteer_hashes: list[str], created: int
) -> DemoSummary:
    in_community = Building.community_id == community_id
    count = select(func.count())
    return DemoSummary(
        buildings=_count(session, count.select_from(Building).where(in_community)),
        units=_count(session, count.select_from(Unit).join(Building).where(in_community)),
        households=_count(
            session,
            count.select_from(Household).join(Unit).join(Building).where(in_community),
        ),
        residents=_count(
            session,
            count.select_from(Resident)
            .join(Household)
            .join(Unit)
            .join(Building)
            .where(in_community),
        ),
        volunteers=_count(
            session,
            count.select_from(Volunteer).where(Volunteer.card_uid_hash.in_(volunteer_hashes)),
        ),
        notices=_count(
            session, count.select_from(Notice).where(Notice.community_id == community_id)
        ),
        created=created,
    )
