"""Passes and visits through the Platform interface: one-time use across kiosks, check-in and
check-out with their audit entries, and the outbox written in the same transaction."""

from __future__ import annotations

import json
import random
import threading
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from kiosk.platform import local as local_module
from kiosk.platform.api import (
    Actor,
    CheckInRequest,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PassAlreadyUsedError,
    PermissionDeniedError,
    VisitAlreadyClosedError,
    VisitNotFoundError,
    new_id,
)
from kiosk.platform.local import LocalPlatform
from kiosk.security.passes import (
    AlreadyUsedError,
    PassRedeemer,
    PassRejectedError,
    PassRejection,
    PassSigner,
    PassVerifier,
)
from kiosk.services.audit import AuditLog
from kiosk.store.db import Database
from kiosk.store.models import AuditEvent, Household, OutboxEvent, PassRedemption, Resident
from kiosk.store.models import Visit as VisitRow
from tests.unit.kiosk.platform.conftest import PlatformFactory
from tests.unit.kiosk.services.fakes import FakeClock

PASS_ID = bytes(range(16))


def _resident(db: Database, name: str) -> Resident:
    with db.session(write=False) as session:
        return session.scalars(select(Resident).where(Resident.name == name)).one()


def _volunteer_id(db: Database) -> int:
    from kiosk.store.models import Volunteer

    with db.session(write=False) as session:
        vid = session.scalar(select(Volunteer.id).where(Volunteer.name == "陈晓燕"))
    assert vid is not None
    return vid


def _count(db: Database, model: type[object], *where: object) -> int:
    with db.session(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


def _audit_rows(db: Database, event_type: str) -> list[AuditEvent]:
    with db.session(write=False) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.event_type == event_type)
                .order_by(AuditEvent.seq)
            )
        )


# ---------------------------------------------------------------------- redemption


def test_a_one_time_pass_redeems_once(platform: LocalPlatform, clock: FakeClock) -> None:
    assert platform.redeem_pass(PASS_ID, 1, "kiosk-a", clock.now) == 1
    with pytest.raises(PassAlreadyUsedError) as info:
        platform.redeem_pass(PASS_ID, 1, "kiosk-a", clock.now)
    assert info.value.code == "pass.already_used"
    assert platform.ledger.uses(PASS_ID) == 1


def test_the_ledger_keeps_the_passes_contract(
    platform: LocalPlatform, db: Database, clock: FakeClock
) -> None:
    ledger = platform.ledger
    assert [ledger.redeem(PASS_ID, 3, kiosk_id="k", at=clock.now) for _ in range(3)] == [1, 2, 3]
    with pytest.raises(AlreadyUsedError) as info:
        ledger.redeem(PASS_ID, 3, kiosk_id="k", at=clock.now)
    assert info.value.uses_so_far == 3
    assert _count(db, PassRedemption) == 3  # nothing recorded on refusal
    refused = _audit_rows(db, "pass.refused")
    assert len(refused) == 1
    assert json.loads(refused[0].detail)["pass_id"] == PASS_ID.hex()
    for bad in (b"", b"x" * 33):
        with pytest.raises(ValueError, match="pass id"):
            ledger.redeem(bad, 1, kiosk_id="k", at=clock.now)
    with pytest.raises(ValueError, match="uses_allowed"):
        ledger.redeem(PASS_ID + b"2", 0, kiosk_id="k", at=clock.now)
    with pytest.raises(InvalidRequestError):
        platform.redeem_pass(b"", 1, "kiosk-a", clock.now)


@pytest.mark.parametrize("uses_allowed", [1, 3])
def test_two_kiosks_racing_admit_exactly_uses_allowed(
    db: Database, make_platform: PlatformFactory, clock: FakeClock, uses_allowed: int
) -> None:
    """Two Database objects on one database (two kiosks), 12 threads racing for one pass."""
    second_db = Database(db.url)
    try:
        kiosks = [make_platform(), make_platform(second_db, kiosk_id="kiosk-b")]
        barrier = threading.Barrier(12)
        results: list[int | str] = []
        lock = threading.Lock()

        def attempt(kiosk: LocalPlatform) -> None:
            barrier.wait()
            try:
                outcome: int | str = kiosk.redeem_pass(
                    PASS_ID, uses_allowed, kiosk.kiosk_id, clock.now
                )
            except PassAlreadyUsedError:
                outcome = "refused"
            with lock:
                results.append(outcome)

        threads = [threading.Thread(target=attempt, args=(kiosks[i % 2],)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(r for r in results if isinstance(r, int)) == list(range(1, uses_allowed + 1))
        assert results.count("refused") == 12 - uses_allowed
        assert _count(db, PassRedemption) == uses_allowed
        assert AuditLog(db).verify() is None
    finally:
        second_db.dispose()


def test_pass_redeemer_uses_the_store_ledger(platform: LocalPlatform, clock: FakeClock) -> None:
    private = Ed25519PrivateKey.generate()
    signer = PassSigner(private, clock=clock)
    token = signer.issue(
        community_id="demo",
        household="1-1-101",
        visitor_name="访客甲",
        valid_until=clock.now + timedelta(hours=4),
    )
    verifier = PassVerifier([private.public_key()], community_id="demo", clock=clock)
    redeemer = PassRedeemer(verifier, platform.ledger, kiosk_id="kiosk-a", clock=clock)
    redeemed = redeemer.redeem(token)
    assert redeemed.use_number == 1
    with pytest.raises(PassRejectedError) as info:
        redeemer.redeem(token)
    assert info.value.reason is PassRejection.ALREADY_USED
    # Already redeemed: the visit records the pass without redeeming again.
    visit = platform.check_in(
        CheckInRequest("访客甲", None, pass_id=redeemed.verified.pass_id), actor=Actor.system()
    )
    assert visit.pass_id == redeemed.verified.pass_id.hex()


# ---------------------------------------------------------------------- check-in / out


def test_volunteer_check_in_and_out_are_audited_as_volunteer_for_resident(
    platform: LocalPlatform, db: Database, audit: AuditLog
) -> None:
    host = _resident(db, "王秀兰")
    vid = _volunteer_id(db)
    actor = Actor.volunteer(vid, for_resident=host.id)
    visit = platform.check_in(CheckInRequest("访客乙", host.household_id), actor=actor)
    assert visit.inside
    assert visit.host_label == "1栋1单元101"
    assert (visit.volunteer_id, visit.on_behalf_of) == (vid, host.id)
    assert [v.id for v in platform.visits_inside()] == [visit.id]

    (checked_in,) = _audit_rows(db, "visit.checked_in")
    assert (checked_in.actor_kind, checked_in.actor_id, checked_in.on_behalf_of) == (
        "volunteer",
        str(vid),
        str(host.id),
    )
    assert json.loads(checked_in.detail) == {
        "visit_id": visit.id,
        "household_id": host.household_id,
        "kiosk": "kiosk-a",
        "kind": "pass",
    }
    assert "访客乙" not in checked_in.detail

    done = platform.check_out(visit.id, actor=actor)
    assert done.checked_out_at is not None
    assert platform.visits_inside() == []
    (checked_out,) = _audit_rows(db, "visit.checked_out")
    assert (checked_out.actor_kind, checked_out.actor_id, checked_out.on_behalf_of) == (
        "volunteer",
        str(vid),
        str(host.id),
    )
    with db.session(write=False) as session:
        keys = set(session.scalars(select(OutboxEvent.idempotency_key)))
        payloads = [json.loads(p) for p in session.scalars(select(OutboxEvent.payload))]
    assert keys == {f"visit.checked_in:{visit.id}", f"visit.checked_out:{visit.id}"}
    assert all("访客乙" not in json.dumps(p, ensure_ascii=False) for p in payloads)
    with pytest.raises(VisitAlreadyClosedError):
        platform.check_out(visit.id, actor=actor)
    with pytest.raises(VisitNotFoundError):
        platform.check_out(new_id(), actor=actor)
    assert audit.verify() is None


def test_check_in_is_idempotent_by_visit_id(platform: LocalPlatform, db: Database) -> None:
    request = CheckInRequest("访客丙", None)
    first = platform.check_in(request, actor=Actor.system())
    assert platform.check_in(request, actor=Actor.system()).id == first.id
    assert _count(db, VisitRow) == 1
    with pytest.raises(ConflictError):
        platform.check_in(CheckInRequest("别人", None, visit_id=first.id), actor=Actor.system())


def test_check_in_refuses_bad_requests(platform: LocalPlatform, db: Database) -> None:
    for bad in (
        CheckInRequest("", None),
        CheckInRequest("名" * 65, None),
        CheckInRequest("访\x00客", None),
        CheckInRequest("访\x1b[2J客", None),
        CheckInRequest("访客", None, visit_id="not-a-uuid"),
        CheckInRequest("访客", None, redeem_uses_allowed=1),
        CheckInRequest("访客", None, pass_id=b""),
        CheckInRequest("访客", None, at=datetime(2025, 3, 1, 8, 0)),  # naive
    ):
        with pytest.raises(InvalidRequestError):
            platform.check_in(bad, actor=Actor.system())
    with pytest.raises(NotFoundError):
        platform.check_in(CheckInRequest("访客", 999999), actor=Actor.system())
    with pytest.raises(PermissionDeniedError):
        platform.check_in(CheckInRequest("访客", None), actor=Actor.volunteer(999999))
    assert _count(db, VisitRow) == 0


def test_check_in_with_a_pass_redeems_in_the_same_transaction(
    platform: LocalPlatform, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = CheckInRequest("访客丁", None, pass_id=PASS_ID, redeem_uses_allowed=1)

    def broken_outbox(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("injected fault")

    with monkeypatch.context() as patch:
        patch.setattr(local_module, "add_event", broken_outbox)
        with pytest.raises(RuntimeError, match="injected"):
            platform.check_in(request, actor=Actor.system())
    assert _count(db, PassRedemption) == 0  # the pass is not used up by the failed visit
    platform.check_in(request, actor=Actor.system())
    with pytest.raises(PassAlreadyUsedError):
        platform.check_in(
            CheckInRequest("访客丁", None, pass_id=PASS_ID, redeem_uses_allowed=1),
            actor=Actor.system(),
        )
    assert _count(db, PassRedemption) == 1
    assert _count(db, VisitRow) == 1
    assert len(_audit_rows(db, "pass.refused")) == 1


def test_faults_between_visit_outbox_and_audit_leave_nothing_half_written(
    platform: LocalPlatform, db: Database, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RELIABILITY.md case 3: a fault after the visit row, or after the outbox row, rolls the
    whole check-in back: 0 visits without an outbox event, 0 events without a visit."""
    rng = random.Random(20250301)
    real_add_event = local_module.add_event
    real_append = audit.append
    fault = {"where": "none"}

    def add_event(*args: object, **kwargs: object) -> object:
        if fault["where"] == "outbox":
            raise RuntimeError("injected before the outbox row")
        return real_add_event(*args, **kwargs)  # type: ignore[arg-type]

    def append(event_type: str, **kwargs: object) -> object:
        if fault["where"] == "audit" and event_type == "visit.checked_in":
            raise RuntimeError("injected after the outbox row")
        return real_append(event_type, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(local_module, "add_event", add_event)
    monkeypatch.setattr(audit, "append", append)
    committed = 0
    for i in range(60):
        fault["where"] = rng.choice(["none", "outbox", "audit"])
        try:
            platform.check_in(CheckInRequest(f"访客{i}", None), actor=Actor.system())
        except RuntimeError:
            assert fault["where"] != "none"
        else:
            assert fault["where"] == "none"
            committed += 1
    with db.session(write=False) as session:
        visit_ids = set(session.scalars(select(VisitRow.id)))
        event_keys = set(
            session.scalars(
                select(OutboxEvent.idempotency_key).where(OutboxEvent.kind == "visit.checked_in")
            )
        )
    assert len(visit_ids) == committed > 0
    assert event_keys == {f"visit.checked_in:{vid}" for vid in visit_ids}
    assert len(_audit_rows(db, "visit.checked_in")) == committed
    assert real_append.__self__.verify() is None  # type: ignore[attr-defined]


def test_visits_are_listed_per_station(
    platform: LocalPlatform, make_platform: PlatformFactory, db: Database
) -> None:
    with db.session(write=False) as session:
        household = session.scalars(select(Household.id).limit(1)).one()
    mine = platform.check_in(CheckInRequest("访客戊", household), actor=Actor.system())
    other = make_platform(station_id="station-02", kiosk_id="kiosk-z")
    theirs = other.check_in(CheckInRequest("访客己", household), actor=Actor.system())
    assert [v.id for v in platform.visits_inside()] == [mine.id]
    assert [v.id for v in other.visits_inside()] == [theirs.id]
    with pytest.raises(VisitNotFoundError):
        platform.check_out(theirs.id, actor=Actor.system())
