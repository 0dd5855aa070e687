"""VisitorService: offline verification first, then the platform; every refusal audited;
one-time use holds at the confirmation; sign-out by exit QR code or typed exit code.
Runs on SQLite and PostgreSQL (the platform fixtures)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from kiosk.platform.api import (
    Actor,
    HouseholdSummary,
    PlatformUnavailableError,
    VisitAlreadyClosedError,
    new_id,
)
from kiosk.platform.local import LocalPlatform
from kiosk.security.passes import PassRejectedError, PassRejection, PassSigner, PassVerifier
from kiosk.security.short_codes import check_digit, format_code
from kiosk.services.audit import AuditLog
from kiosk.services.visitors import VisitorService, WrongCodeError
from kiosk.store.db import Database
from kiosk.store.models import AuditEvent
from tests.unit.kiosk.platform.conftest import PlatformFactory
from tests.unit.kiosk.services.fakes import FakeClock

KIOSK = Actor.system("kiosk")


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def signer(key: Ed25519PrivateKey, clock: FakeClock) -> PassSigner:
    return PassSigner(key, clock=clock)


@pytest.fixture
def platform(make_platform: PlatformFactory, signer: PassSigner) -> LocalPlatform:
    return make_platform(pass_signer=signer)


@pytest.fixture
def service(
    platform: LocalPlatform, key: Ed25519PrivateKey, audit: AuditLog, clock: FakeClock
) -> VisitorService:
    verifier = PassVerifier([key.public_key()], community_id="demo", clock=clock)
    return VisitorService(platform, verifier, audit=audit, kiosk_id="kiosk-a", clock=clock)


@pytest.fixture
def household(platform: LocalPlatform) -> HouseholdSummary:
    return platform.find_households()[0]


def _token(
    signer: PassSigner,
    household: HouseholdSummary,
    clock: FakeClock,
    *,
    hours: float = 4,
    uses: int = 1,
    community: str = "demo",
) -> str:
    return signer.issue(
        community_id=community,
        household=household.code,
        visitor_name="张三明",
        valid_until=clock.now + timedelta(hours=hours),
        uses_allowed=uses,
    )


def _events(db: Database, event_type: str) -> list[AuditEvent]:
    with db.session(write=False) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


def test_a_valid_pass_previews_with_its_household_and_is_not_used_yet(
    service: VisitorService,
    signer: PassSigner,
    household: HouseholdSummary,
    clock: FakeClock,
    platform: LocalPlatform,
) -> None:
    token = _token(signer, household, clock)
    preview = service.preview_token(token, actor=KIOSK)
    assert preview.household.household_id == household.household_id
    assert preview.masked_visitor == "张*明"
    assert "张三明" not in repr(preview)
    assert platform.pass_uses(preview.verified.pass_id) == 0


def test_confirming_admits_once_and_a_second_scan_is_refused_as_used(
    service: VisitorService,
    signer: PassSigner,
    household: HouseholdSummary,
    clock: FakeClock,
    db: Database,
) -> None:
    token = _token(signer, household, clock)
    visit_id = new_id()
    preview = service.preview_token(token, actor=KIOSK)
    visit = service.check_in(preview, actor=KIOSK, visit_id=visit_id)
    assert visit.inside
    assert visit.host_household_id == household.household_id
    assert len(visit.exit_code) == 9
    # The same confirmation retried (its answer was lost) records the same visit.
    again = service.check_in(preview, actor=KIOSK, visit_id=visit_id)
    assert again.id == visit.id
    assert again.exit_code == visit.exit_code
    with pytest.raises(PassRejectedError) as caught:
        service.preview_token(token, actor=KIOSK)
    assert caught.value.reason is PassRejection.ALREADY_USED
    refused = _events(db, "pass.rejected")
    assert [e.detail for e in refused]
    assert "already_used" in refused[-1].detail
    assert "张" not in refused[-1].detail


def test_two_confirmations_of_one_pass_admit_one_visitor(
    service: VisitorService,
    signer: PassSigner,
    household: HouseholdSummary,
    clock: FakeClock,
) -> None:
    token = _token(signer, household, clock)
    first = service.preview_token(token, actor=KIOSK)
    second = service.preview_token(token, actor=KIOSK)  # another kiosk, same moment
    service.check_in(first, actor=KIOSK, visit_id=new_id())
    with pytest.raises(PassRejectedError) as caught:
        service.check_in(second, actor=KIOSK, visit_id=new_id())
    assert caught.value.reason is PassRejection.ALREADY_USED


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda s, h, c: _token(s, h, c, community="elsewhere"), PassRejection.OTHER_COMMUNITY),
        (lambda s, h, c: _token(s, h, c)[:-4] + "AAAA", PassRejection.BAD_SIGNATURE),
        (lambda s, h, c: "hello", PassRejection.MALFORMED),
        (lambda s, h, c: "KP2.AAAA.BBBB", PassRejection.UNSUPPORTED_VERSION),
        (lambda s, h, c: "KP1." + "A" * 3000, PassRejection.OVERSIZED),
    ],
)
def test_every_refusal_has_its_reason_and_an_audit_entry(
    service: VisitorService,
    signer: PassSigner,
    household: HouseholdSummary,
    clock: FakeClock,
    db: Database,
    make: object,
    reason: PassRejection,
) -> None:
    token = make(signer, household, clock)  # type: ignore[operator]
    with pytest.raises(PassRejectedError) as caught:
        service.preview_token(token, actor=KIOSK)
    assert caught.value.reason is reason
    entries = _events(db, "pass.rejected")
    assert entries
    assert reason.value in entries[-1].detail


def test_a_pass_from_an_untrusted_key_is_refused(
    service: VisitorService, household: HouseholdSummary, clock: FakeClock
) -> None:
    stranger = PassSigner(Ed25519PrivateKey.generate(), clock=clock)
    with pytest.raises(PassRejectedError) as caught:
        service.preview_token(_token(stranger, household, clock), actor=KIOSK)
    assert caught.value.reason is PassRejection.WRONG_KEY


def test_expired_and_not_yet_valid_passes_are_refused(
    service: VisitorService, signer: PassSigner, household: HouseholdSummary, clock: FakeClock
) -> None:
    token = _token(signer, household, clock, hours=1)
    clock.advance(2 * 3600)
    with pytest.raises(PassRejectedError) as caught:
        service.preview_token(token, actor=KIOSK)
    assert caught.value.reason is PassRejection.EXPIRED
    later = signer.issue(
        community_id="demo",
        household=household.code,
        visitor_name="李四",
        valid_from=clock.now + timedelta(hours=3),
        valid_until=clock.now + timedelta(hours=5),
    )
    with pytest.raises(PassRejectedError) as caught:
        service.preview_token(later, actor=KIOSK)
    assert caught.value.reason is PassRejection.NOT_YET_VALID


def test_a_pass_that_expires_on_the_confirmation_screen_is_not_admitted(
    service: VisitorService, signer: PassSigner, household: HouseholdSummary, clock: FakeClock
) -> None:
    preview = service.preview_token(_token(signer, household, clock, hours=0.1), actor=KIOSK)
    clock.advance(3600)
    with pytest.raises(PassRejectedError) as caught:
        service.check_in(preview, actor=KIOSK, visit_id=new_id())
    assert caught.value.reason is PassRejection.EXPIRED


def test_short_code_finds_the_issued_pass(
    service: VisitorService,
    platform: LocalPlatform,
    household: HouseholdSummary,
    clock: FakeClock,
    db: Database,
) -> None:
    from kiosk.platform.api import IssuePassRequest

    resident = Actor.resident(_a_resident_of(db, household.household_id))
    issued = platform.issue_pass(
        IssuePassRequest(
            household_id=household.household_id,
            visitor_name="王女士",
            valid_from=clock.now,
            valid_until=clock.now + timedelta(hours=6),
        ),
        actor=resident,
    )
    preview = service.preview_short_code(format_code(issued.short_code), actor=KIOSK)
    assert preview.verified.pass_id.hex() == issued.pass_id
    # A typo in one digit fails the check digit: the platform is not even asked.
    typo = ("1" if issued.short_code[0] != "1" else "2") + issued.short_code[1:]
    with pytest.raises(WrongCodeError):
        service.preview_short_code(typo, actor=KIOSK)
    # A well-formed code that matches nothing is also just a wrong code.
    body = "12345678" if issued.short_code[:8] != "12345678" else "87654321"
    with pytest.raises(WrongCodeError):
        service.preview_short_code(body + check_digit(body), actor=KIOSK)
    assert len(_events(db, "pass.code_wrong")) == 2


def _a_resident_of(db: Database, household_id: int) -> int:
    from kiosk.store.models import Resident

    with db.session(write=False) as session:
        rid = session.scalar(select(Resident.id).where(Resident.household_id == household_id))
    assert rid is not None
    return rid


def test_sign_out_by_exit_qr_and_by_exit_code(
    service: VisitorService,
    signer: PassSigner,
    household: HouseholdSummary,
    clock: FakeClock,
    platform: LocalPlatform,
) -> None:
    first = service.check_in(
        service.preview_token(_token(signer, household, clock), actor=KIOSK),
        actor=KIOSK,
        visit_id=new_id(),
    )
    second = service.check_in(
        service.preview_token(_token(signer, household, clock), actor=KIOSK),
        actor=KIOSK,
        visit_id=new_id(),
    )
    assert {v.id for v in platform.visits_inside()} == {first.id, second.id}
    out = service.check_out_scanned(first.exit_token, actor=KIOSK)
    assert not out.inside
    with pytest.raises(VisitAlreadyClosedError):
        service.check_out_scanned(first.exit_token, actor=KIOSK)
    service.check_out_code(format_code(second.exit_code), actor=KIOSK)
    assert platform.visits_inside() == []
    with pytest.raises(WrongCodeError):
        service.check_out_code("000000000", actor=KIOSK)


def test_without_a_trusted_key_every_pass_is_refused(
    platform: LocalPlatform, signer: PassSigner, household: HouseholdSummary, clock: FakeClock
) -> None:
    service = VisitorService(platform, None, clock=clock)
    with pytest.raises(PassRejectedError) as caught:
        service.preview_token(_token(signer, household, clock), actor=KIOSK)
    assert caught.value.reason is PassRejection.WRONG_KEY


def test_platform_outage_is_not_a_rejection(
    service: VisitorService,
    signer: PassSigner,
    household: HouseholdSummary,
    clock: FakeClock,
    platform: LocalPlatform,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def away(_code: str) -> HouseholdSummary:
        raise PlatformUnavailableError()

    monkeypatch.setattr(platform, "household_by_code", away)
    with pytest.raises(PlatformUnavailableError):
        service.preview_token(_token(signer, household, clock), actor=KIOSK)
