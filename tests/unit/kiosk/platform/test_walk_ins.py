"""Walk-in visitors through the Platform interface: the host's approval (state machine,
expiry with the injected clock, who may decide), the deny list's referral, host
notifications, and the walk-in's check-in on an approval. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kiosk.platform import local as local_module
from kiosk.platform.api import (
    Actor,
    ApprovalNotFoundError,
    ApprovalNotGrantedError,
    ApprovalTicket,
    CheckInRequest,
    ConflictError,
    HouseholdNotFoundError,
    HouseholdSummary,
    InvalidRequestError,
    PermissionDeniedError,
    WalkInRequest,
    new_id,
)
from kiosk.platform.local import REFERRAL_SCREEN_ID, LocalPlatform
from kiosk.security.crypto import FieldCipher
from kiosk.store.db import Database
from kiosk.store.models import (
    Approval,
    AuditEvent,
    HelpRequest,
    HostNotificationRow,
    OutboxEvent,
    Resident,
    Volunteer,
)
from kiosk.store.models import Visit as VisitRow
from tests.unit.kiosk.platform.conftest import PlatformFactory
from tests.unit.kiosk.services.fakes import FakeClock

HASH_KEY = bytes(range(32))
KIOSK = Actor.system("kiosk")
TIMEOUT_S = 180
VISITOR = "访客赵六"
VISITOR_PHONE = "13912345678"
DENIED = "黑名单甲"
DENIED_PHONE = "13700001111"


@pytest.fixture
def platform(make_platform: PlatformFactory) -> LocalPlatform:
    return make_platform(hash_key=HASH_KEY, approval_timeout_s=TIMEOUT_S)


@pytest.fixture
def home(platform: LocalPlatform) -> HouseholdSummary:
    """1栋1单元101: two residents with phone digits on file."""
    return platform.household_by_code("1-1-101")


def _resident_id(db: Database, name: str) -> int:
    with db.session(write=False) as session:
        rid = session.scalar(select(Resident.id).where(Resident.name == name))
    assert rid is not None
    return rid


def _volunteer_id(db: Database, name: str = "陈晓燕") -> int:
    with db.session(write=False) as session:
        vid = session.scalar(select(Volunteer.id).where(Volunteer.name == name))
    assert vid is not None
    return vid


def _ask(
    platform: LocalPlatform,
    household_id: int,
    *,
    name: str = VISITOR,
    phone: str | None = VISITOR_PHONE,
    request_id: str | None = None,
) -> ApprovalTicket:
    request = WalkInRequest(household_id, name, "friend", phone, request_id or new_id())
    return platform.request_host_approval(request, actor=KIOSK)


def _notifications(db: Database) -> list[tuple[int, str, str]]:
    with db.session(write=False) as session:
        rows = session.scalars(select(HostNotificationRow).order_by(HostNotificationRow.id))
        return [(r.household_id, r.kind, r.ref) for r in rows]


def _events(db: Database, event_type: str) -> list[AuditEvent]:
    with db.session(write=False) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.event_type == event_type)
                .order_by(AuditEvent.seq)
            )
        )


def _count(db: Database, model: type[object]) -> int:
    with db.session(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


# ---------------------------------------------------------------------- asking the host


def test_a_walk_in_asks_the_host_and_the_household_is_told(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    ticket = _ask(platform, home.household_id)
    assert ticket.state == "pending"
    assert ticket.host_household_id == home.household_id
    assert ticket.host_reachable
    assert ticket.requested_at == clock.now
    assert ticket.expires_at == clock.now + timedelta(seconds=TIMEOUT_S)
    assert (ticket.decided_by, ticket.visit_id) == (None, None)
    (note,) = platform.host_notifications(home.household_id)
    assert (note.kind, note.ref, note.household_id) == (
        "approval_requested",
        ticket.approval_id,
        home.household_id,
    )
    (event,) = _events(db, "approval.requested")
    assert json.loads(event.detail) == {
        "approval_id": ticket.approval_id,
        "household_id": home.household_id,
        "state": "pending",
    }
    assert platform.approval_status(ticket.approval_id) == ticket


def test_a_retried_request_returns_the_same_ticket(
    platform: LocalPlatform, db: Database, home: HouseholdSummary
) -> None:
    request_id = new_id()
    first = _ask(platform, home.household_id, request_id=request_id)
    again = _ask(platform, home.household_id, request_id=request_id)
    assert again == first
    assert _count(db, Approval) == 1
    assert len(platform.host_notifications(home.household_id)) == 1
    other = platform.household_by_code("1-1-102")
    with pytest.raises(ConflictError):
        _ask(platform, other.household_id, request_id=request_id)


def test_a_household_without_a_phone_on_file_is_not_reachable(platform: LocalPlatform) -> None:
    no_phone = platform.household_by_code("2-1-401")  # 吴海涛: no phone on file
    assert not _ask(platform, no_phone.household_id).host_reachable
    empty = platform.household_by_code("1-1-102")  # nobody lives there
    assert not _ask(platform, empty.household_id).host_reachable


def test_asking_an_unknown_household_or_with_bad_input_is_refused(
    platform: LocalPlatform, db: Database, home: HouseholdSummary
) -> None:
    with pytest.raises(HouseholdNotFoundError):
        _ask(platform, 999_999)
    with pytest.raises(InvalidRequestError):
        _ask(platform, home.household_id, phone="138-abc")
    with pytest.raises(InvalidRequestError):
        _ask(platform, home.household_id, name="   ")
    bad_reason = WalkInRequest(home.household_id, VISITOR, "party", None)  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError):
        platform.request_host_approval(bad_reason, actor=KIOSK)
    assert _count(db, Approval) == 0


# ---------------------------------------------------------------------- the state machine


def test_the_host_approves_and_the_ticket_says_so(
    platform: LocalPlatform, db: Database, home: HouseholdSummary
) -> None:
    ticket = _ask(platform, home.household_id)
    host = Actor.resident(_resident_id(db, "李建国"))
    approved = platform.decide_approval(ticket.approval_id, True, actor=host)
    assert (approved.state, approved.decided_by) == ("approved", "host")
    assert platform.approval_status(ticket.approval_id) == approved
    # Deciding the same way again changes nothing; the other way is a conflict.
    assert platform.decide_approval(ticket.approval_id, True, actor=host) == approved
    with pytest.raises(ConflictError):
        platform.decide_approval(ticket.approval_id, False, actor=host)
    (event,) = _events(db, "approval.decided")
    assert (event.actor_kind, event.actor_id) == ("resident", host.id)
    assert json.loads(event.detail) == {
        "approval_id": ticket.approval_id,
        "household_id": home.household_id,
        "state": "approved",
        "decided_by": "host",
    }


def test_the_host_refuses(platform: LocalPlatform, db: Database, home: HouseholdSummary) -> None:
    ticket = _ask(platform, home.household_id)
    host = Actor.resident(_resident_id(db, "王秀兰"))
    refused = platform.decide_approval(ticket.approval_id, False, actor=host)
    assert (refused.state, refused.decided_by) == ("refused", "host")
    volunteer = Actor.volunteer(_volunteer_id(db))
    with pytest.raises(ConflictError):  # a volunteer cannot overrule the host
        platform.decide_approval(ticket.approval_id, True, actor=volunteer)


def test_only_the_host_household_or_a_volunteer_decides(
    platform: LocalPlatform, db: Database, home: HouseholdSummary
) -> None:
    ticket = _ask(platform, home.household_id)
    neighbour = Actor.resident(_resident_id(db, "陈志强"))  # 1栋2单元201
    for actor in (neighbour, Actor.admin(), Actor.system(), Actor.resident(999_999)):
        with pytest.raises(PermissionDeniedError):
            platform.decide_approval(ticket.approval_id, True, actor=actor)
    assert platform.approval_status(ticket.approval_id).state == "pending"
    assert _events(db, "approval.decided") == []


def test_an_unanswered_request_expires_and_a_volunteer_may_then_decide(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    ticket = _ask(platform, home.household_id)
    clock.advance(TIMEOUT_S - 1)
    assert platform.approval_status(ticket.approval_id).state == "pending"
    clock.advance(1)
    expired = platform.approval_status(ticket.approval_id)
    assert expired.state == "expired"
    with db.session(write=False) as session:  # persisted, not only computed
        assert session.scalar(select(Approval.state)) == "expired"
    assert len(_events(db, "approval.expired")) == 1
    assert platform.approval_status(ticket.approval_id) == expired  # audited once
    assert len(_events(db, "approval.expired")) == 1

    host = Actor.resident(_resident_id(db, "李建国"))
    with pytest.raises(ConflictError):  # too late for the host
        platform.decide_approval(ticket.approval_id, True, actor=host)
    vid = _volunteer_id(db)
    approved = platform.decide_approval(ticket.approval_id, True, actor=Actor.volunteer(vid))
    assert (approved.state, approved.decided_by) == ("approved", "volunteer")
    with db.session(write=False) as session:
        assert session.scalar(select(Approval.decided_by_volunteer_id)) == vid


def test_a_late_host_answer_still_records_the_expiry(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    ticket = _ask(platform, home.household_id)
    clock.advance(TIMEOUT_S + 30)
    host = Actor.resident(_resident_id(db, "李建国"))
    with pytest.raises(ConflictError):
        platform.decide_approval(ticket.approval_id, True, actor=host)
    with db.session(write=False) as session:
        assert session.scalar(select(Approval.state)) == "expired"


def test_a_volunteer_for_a_resident_decides_as_volunteer(
    platform: LocalPlatform, db: Database, home: HouseholdSummary
) -> None:
    ticket = _ask(platform, home.household_id)
    vid, rid = _volunteer_id(db), _resident_id(db, "王秀兰")
    actor = Actor.volunteer(vid, for_resident=rid)
    decided = platform.decide_approval(ticket.approval_id, True, actor=actor)
    assert decided.decided_by == "volunteer"
    (event,) = _events(db, "approval.decided")
    assert (event.actor_kind, event.actor_id, event.on_behalf_of) == (
        "volunteer",
        str(vid),
        str(rid),
    )


def test_the_visitor_gives_up(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    ticket = _ask(platform, home.household_id)
    cancelled = platform.cancel_approval(ticket.approval_id, actor=KIOSK)
    assert cancelled.state == "cancelled"
    assert platform.cancel_approval(ticket.approval_id, actor=KIOSK) == cancelled
    with pytest.raises(ConflictError):  # nobody can approve it afterwards
        platform.decide_approval(ticket.approval_id, True, actor=Actor.volunteer(_volunteer_id(db)))
    assert len(_events(db, "approval.cancelled")) == 1

    decided = _ask(platform, home.household_id)
    host = Actor.resident(_resident_id(db, "李建国"))
    approved = platform.decide_approval(decided.approval_id, True, actor=host)
    assert platform.cancel_approval(decided.approval_id, actor=KIOSK) == approved

    late = _ask(platform, home.household_id)
    clock.advance(TIMEOUT_S)
    assert platform.cancel_approval(late.approval_id, actor=KIOSK).state == "cancelled"


def test_unknown_approvals(platform: LocalPlatform) -> None:
    for call in (
        lambda a: platform.approval_status(a),
        lambda a: platform.decide_approval(a, True, actor=KIOSK),
        lambda a: platform.cancel_approval(a, actor=KIOSK),
    ):
        with pytest.raises(ApprovalNotFoundError) as info:
            call(new_id())
        assert info.value.code == "approval.not_found"
        with pytest.raises(InvalidRequestError):
            call("not-a-uuid")


# ---------------------------------------------------------------------- the walk-in's visit


def test_an_approved_walk_in_checks_in_once(
    platform: LocalPlatform, db: Database, home: HouseholdSummary
) -> None:
    ticket = _ask(platform, home.household_id)
    platform.decide_approval(
        ticket.approval_id, True, actor=Actor.resident(_resident_id(db, "李建国"))
    )
    request = CheckInRequest(
        VISITOR,
        home.household_id,
        kind="walk_in",
        approval_id=ticket.approval_id,
        reason="friend",
        phone=VISITOR_PHONE,
    )
    visit = platform.check_in(request, actor=KIOSK)
    assert (visit.kind, visit.reason, visit.inside) == ("walk_in", "friend", True)
    assert visit.exit_code
    assert platform.approval_status(ticket.approval_id).visit_id == visit.id
    assert platform.check_in(request, actor=KIOSK) == visit  # the same visit id: a retry
    again = dataclasses.replace(request, visit_id=new_id())
    with pytest.raises(ApprovalNotGrantedError) as info:
        platform.check_in(again, actor=KIOSK)
    assert info.value.code == "approval.not_granted"
    with db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(VisitRow)) == 1
        row = session.get(VisitRow, visit.id)
        assert row is not None
        assert row.approval_id == ticket.approval_id
        assert row.phone_enc is not None
        assert VISITOR_PHONE.encode() not in row.phone_enc
    (event,) = _events(db, "visit.checked_in")
    assert json.loads(event.detail)["approval_id"] == ticket.approval_id


def test_the_approval_carries_reason_and_phone_to_the_visit(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, cipher: FieldCipher
) -> None:
    ticket = _ask(platform, home.household_id)
    platform.decide_approval(ticket.approval_id, True, actor=Actor.volunteer(_volunteer_id(db)))
    request = CheckInRequest(
        VISITOR, home.household_id, kind="walk_in", approval_id=ticket.approval_id
    )
    visit = platform.check_in(request, actor=KIOSK)
    assert visit.reason == "friend"
    with db.session(write=False) as session:
        row = session.get(VisitRow, visit.id)
        assert row is not None
        assert row.phone_enc is not None
        phone = cipher.decrypt_text(row.phone_enc, context="visits.phone_enc")
    assert phone == VISITOR_PHONE


@pytest.mark.parametrize("state", ["pending", "refused", "expired", "cancelled", "referred"])
def test_a_walk_in_without_an_approved_ticket_is_not_admitted(
    platform: LocalPlatform,
    db: Database,
    home: HouseholdSummary,
    clock: FakeClock,
    state: str,
) -> None:
    if state == "referred":
        platform.add_to_deny_list(VISITOR, None, note="", actor=Actor.admin())
    ticket = _ask(platform, home.household_id)
    if state == "refused":
        platform.decide_approval(
            ticket.approval_id, False, actor=Actor.resident(_resident_id(db, "李建国"))
        )
    elif state == "expired":
        clock.advance(TIMEOUT_S)
    elif state == "cancelled":
        platform.cancel_approval(ticket.approval_id, actor=KIOSK)
    assert platform.approval_status(ticket.approval_id).state == state
    request = CheckInRequest(
        VISITOR, home.household_id, kind="walk_in", approval_id=ticket.approval_id
    )
    with pytest.raises(ApprovalNotGrantedError):
        platform.check_in(request, actor=KIOSK)
    assert _count(db, VisitRow) == 0


def test_an_approval_admits_only_its_own_visitor_and_household(
    platform: LocalPlatform, db: Database, home: HouseholdSummary
) -> None:
    ticket = _ask(platform, home.household_id)
    platform.decide_approval(ticket.approval_id, True, actor=Actor.volunteer(_volunteer_id(db)))
    other_home = platform.household_by_code("1-1-102")
    for name, household in ((VISITOR, other_home.household_id), ("别人", home.household_id)):
        request = CheckInRequest(name, household, kind="walk_in", approval_id=ticket.approval_id)
        with pytest.raises(ApprovalNotGrantedError):
            platform.check_in(request, actor=KIOSK)
    for request in (
        CheckInRequest(VISITOR, home.household_id, kind="walk_in"),  # no approval named
        CheckInRequest(VISITOR, home.household_id, kind="walk_in", approval_id=new_id()),
    ):
        with pytest.raises(ApprovalNotGrantedError):
            platform.check_in(request, actor=KIOSK)
    with pytest.raises(InvalidRequestError):  # a pass visit is not admitted on an approval
        platform.check_in(
            CheckInRequest(VISITOR, home.household_id, approval_id=ticket.approval_id),
            actor=KIOSK,
        )
    assert platform.approval_status(ticket.approval_id).visit_id is None


# ---------------------------------------------------------------------- host notifications


def test_arrival_and_departure_are_notified_newest_first(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    visit = platform.check_in(CheckInRequest("访客甲", home.household_id), actor=KIOSK)
    clock.advance(60)
    platform.check_out(visit.id, actor=KIOSK)
    notes = platform.host_notifications(home.household_id)
    assert [(n.kind, n.ref) for n in notes] == [
        ("visitor_left", visit.id),
        ("visitor_arrived", visit.id),
    ]
    assert notes[0].created_at == clock.now
    assert [n.kind for n in platform.host_notifications(home.household_id, limit=1)] == [
        "visitor_left"
    ]
    # A visit to the station itself notifies nobody.
    platform.check_in(CheckInRequest("访客乙", None), actor=KIOSK)
    assert len(_notifications(db)) == 2
    assert platform.host_notifications(platform.household_by_code("1-1-102").household_id) == []
    with pytest.raises(HouseholdNotFoundError):
        platform.host_notifications(999_999)
    with pytest.raises(InvalidRequestError):
        platform.host_notifications(home.household_id, limit=0)


def test_the_notification_is_written_with_the_visit_or_not_at_all(
    platform: LocalPlatform,
    db: Database,
    home: HouseholdSummary,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_add_event = local_module.add_event

    def failing(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("injected: the outbox write fails after the notification")

    monkeypatch.setattr(local_module, "add_event", failing)
    with pytest.raises(RuntimeError):
        platform.check_in(CheckInRequest("访客丙", home.household_id), actor=KIOSK)
    assert _count(db, VisitRow) == 0
    assert _notifications(db) == []

    monkeypatch.setattr(local_module, "add_event", real_add_event)
    visit = platform.check_in(CheckInRequest("访客丙", home.household_id), actor=KIOSK)
    monkeypatch.setattr(local_module, "add_event", failing)
    with pytest.raises(RuntimeError):
        platform.check_out(visit.id, actor=KIOSK)
    assert _notifications(db) == [(home.household_id, "visitor_arrived", visit.id)]
    assert platform.visits_inside()[0].id == visit.id


# ---------------------------------------------------------------------- the deny list


def test_a_deny_listed_visitor_is_referred_and_staff_are_called(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    entry = platform.add_to_deny_list(DENIED, DENIED_PHONE, note="", actor=Actor.admin())
    plain = _ask(platform, home.household_id, name=VISITOR, phone=VISITOR_PHONE)
    referred = _ask(platform, home.household_id, name=DENIED, phone=DENIED_PHONE)
    assert referred.state == "referred"
    # Nothing in the ticket but its state tells it from any other.
    fields = {f.name for f in dataclasses.fields(ApprovalTicket)} - {"approval_id", "state"}
    assert {f: getattr(referred, f) for f in fields} == {f: getattr(plain, f) for f in fields}
    # The host is not asked; staff are called by a help request.
    assert [n.ref for n in platform.host_notifications(home.household_id)] == [plain.approval_id]
    with db.session(write=False) as session:
        (help_row,) = session.scalars(select(HelpRequest)).all()
    assert (help_row.screen_id, help_row.status) == (REFERRAL_SCREEN_ID, "open")
    (event,) = _events(db, "visitor.referred")
    assert json.loads(event.detail) == {
        "approval_id": referred.approval_id,
        "household_id": home.household_id,
        "help_id": help_row.id,
        "basis": "deny_list",
        "entry_id": entry.entry_id,
        "matched_on": "phone",
    }
    requested = [json.loads(e.detail)["approval_id"] for e in _events(db, "approval.requested")]
    assert requested == [plain.approval_id]
    # Neither the host nor the clock turns a referral into an admission.
    clock.advance(TIMEOUT_S * 2)
    assert platform.approval_status(referred.approval_id).state == "referred"
    host = Actor.resident(_resident_id(db, "李建国"))
    with pytest.raises(ConflictError):
        platform.decide_approval(referred.approval_id, True, actor=host)
    assert platform.cancel_approval(referred.approval_id, actor=KIOSK).state == "referred"


@pytest.mark.parametrize(
    ("entry_phone", "visitor_name", "visitor_phone", "referred"),
    [
        # The same phone matches whatever the name.
        (DENIED_PHONE, "另一个名字", DENIED_PHONE, True),
        ("+86 137-0000-1111", "另一个名字", DENIED_PHONE, True),
        # The same name matches when the entry has no phone...
        (None, DENIED, VISITOR_PHONE, True),
        (None, DENIED, None, True),
        (None, f" {DENIED[0]} {DENIED[1:]} ", None, True),  # white space does not count
        (None, "黑名单甲".replace("甲", "乙"), None, False),
        # ...or when the visitor gives no phone...
        (DENIED_PHONE, DENIED, None, True),
        # ...but not when both have phones and they differ.
        (DENIED_PHONE, DENIED, VISITOR_PHONE, False),
        (DENIED_PHONE, VISITOR, VISITOR_PHONE, False),
    ],
)
def test_deny_list_matching_rules(
    platform: LocalPlatform,
    home: HouseholdSummary,
    entry_phone: str | None,
    visitor_name: str,
    visitor_phone: str | None,
    referred: bool,
) -> None:
    platform.add_to_deny_list(DENIED, entry_phone, note="", actor=Actor.admin())
    ticket = _ask(platform, home.household_id, name=visitor_name, phone=visitor_phone)
    assert ticket.state == ("referred" if referred else "pending")


def test_full_width_names_and_phones_hash_alike(
    platform: LocalPlatform, home: HouseholdSummary
) -> None:
    platform.add_to_deny_list("Li Ming", None, note="", actor=Actor.admin())
    assert _ask(platform, home.household_id, name="Ｌｉ　Ｍｉｎｇ", phone=None).state == "referred"
    platform.add_to_deny_list("某人", "13800001234", note="", actor=Actor.admin())
    full_width = "１３８００００１２３４"
    assert _ask(platform, home.household_id, name="别人", phone=full_width).state == "referred"


def test_a_removed_entry_no_longer_refers(platform: LocalPlatform, home: HouseholdSummary) -> None:
    entry = platform.add_to_deny_list(DENIED, None, note="", actor=Actor.admin())
    platform.remove_from_deny_list(entry.entry_id, actor=Actor.admin())
    assert _ask(platform, home.household_id, name=DENIED, phone=None).state == "pending"


def test_without_a_hash_key_nobody_is_referred(
    make_platform: PlatformFactory, home: HouseholdSummary
) -> None:
    keyed = make_platform(hash_key=HASH_KEY)
    keyed.add_to_deny_list(DENIED, None, note="", actor=Actor.admin())
    unkeyed = make_platform()
    request = WalkInRequest(home.household_id, DENIED, "family")
    assert unkeyed.request_host_approval(request, actor=KIOSK).state == "pending"


# ---------------------------------------------------------------------- no personal data


def test_no_name_or_phone_reaches_audit_or_outbox(
    platform: LocalPlatform, db: Database, home: HouseholdSummary, clock: FakeClock
) -> None:
    platform.add_to_deny_list(DENIED, DENIED_PHONE, note="", actor=Actor.admin())
    _ask(platform, home.household_id, name=DENIED, phone=DENIED_PHONE)
    ticket = _ask(platform, home.household_id)
    platform.decide_approval(ticket.approval_id, True, actor=Actor.volunteer(_volunteer_id(db)))
    visit = platform.check_in(
        CheckInRequest(
            VISITOR,
            home.household_id,
            kind="walk_in",
            approval_id=ticket.approval_id,
            phone=VISITOR_PHONE,
        ),
        actor=KIOSK,
    )
    platform.check_out_by_code(visit.exit_code, actor=KIOSK)
    expired = _ask(platform, home.household_id, name="访客钱七", phone="13600002222")
    clock.advance(TIMEOUT_S)
    platform.approval_status(expired.approval_id)
    with db.session(write=False) as session:
        texts = list(session.scalars(select(AuditEvent.detail)))
        texts += list(session.scalars(select(OutboxEvent.payload)))
    assert len(texts) > 10
    secrets = (DENIED, VISITOR, "访客钱七", DENIED_PHONE, VISITOR_PHONE, "13600002222")
    for text in texts:
        for secret in secrets:
            assert secret not in text


def test_two_kiosks_racing_with_one_approval_admit_one_visit(
    platform: LocalPlatform,
    make_platform: PlatformFactory,
    db: Database,
    home: HouseholdSummary,
) -> None:
    ticket = _ask(platform, home.household_id)
    platform.decide_approval(ticket.approval_id, True, actor=Actor.volunteer(_volunteer_id(db)))
    second_db = Database(db.url)
    try:
        kiosks = [platform, make_platform(second_db, kiosk_id="kiosk-b", hash_key=HASH_KEY)]
        barrier = threading.Barrier(8)
        outcomes: list[str] = []
        lock = threading.Lock()

        def attempt(kiosk: LocalPlatform) -> None:
            request = CheckInRequest(
                VISITOR, home.household_id, kind="walk_in", approval_id=ticket.approval_id
            )
            barrier.wait()
            try:
                kiosk.check_in(request, actor=KIOSK)
                outcome = "admitted"
            except ApprovalNotGrantedError:
                outcome = "refused"
            with lock:
                outcomes.append(outcome)

        threads = [threading.Thread(target=attempt, args=(kiosks[i % 2],)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(outcomes) == ["admitted"] + ["refused"] * 7
        assert _count(db, VisitRow) == 1
        assert platform.approval_status(ticket.approval_id).visit_id is not None
    finally:
        second_db.dispose()
