"""Residents and volunteers identified by the signed QR code their app shows
(``KR1.…``/``KV1.…``), through the Platform interface. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, update

from kiosk.platform.api import (
    IdentityCodeRejectedError,
    NotSupportedError,
    ResidentNotFoundError,
    VolunteerNotFoundError,
)
from kiosk.platform.local import LocalPlatform
from kiosk.security.identity_tokens import IdentityKind, IdentitySigner, IdentityVerifier
from kiosk.store.db import Database
from kiosk.store.models import AuditEvent, Resident, Volunteer
from tests.unit.kiosk.platform.conftest import PlatformFactory
from tests.unit.kiosk.services.fakes import FakeClock


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def signer(key: Ed25519PrivateKey, clock: FakeClock) -> IdentitySigner:
    return IdentitySigner(key, clock=clock)


@pytest.fixture
def platform(
    make_platform: PlatformFactory, key: Ed25519PrivateKey, clock: FakeClock
) -> LocalPlatform:
    verifier = IdentityVerifier([key.public_key()], community_id="demo", clock=clock)
    return make_platform(identity_verifier=verifier)


def _resident(db: Database, name: str) -> Resident:
    with db.session(write=False) as session:
        return session.scalars(select(Resident).where(Resident.name == name)).one()


def _volunteer_id(db: Database, name: str = "陈晓燕") -> int:
    with db.session(write=False) as session:
        vid = session.scalar(select(Volunteer.id).where(Volunteer.name == name))
    assert vid is not None
    return vid


def _details(db: Database, event_type: str) -> list[tuple[str, str | None, dict[str, object]]]:
    with db.session(write=False) as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.event_type == event_type).order_by(AuditEvent.seq)
        )
        return [(r.actor_kind, r.actor_id, json.loads(r.detail)) for r in rows]


def test_a_resident_code_identifies_the_resident(
    platform: LocalPlatform, db: Database, signer: IdentitySigner
) -> None:
    wang = _resident(db, "王秀兰")
    token = signer.issue(IdentityKind.RESIDENT, wang.id, "demo")
    identity = platform.identify_resident_by_qr(token)
    assert (identity.resident_id, identity.name, identity.household_label) == (
        wang.id,
        "王秀兰",
        "1栋1单元101",
    )
    assert identity.is_elderly
    assert _details(db, "resident.identify") == [
        ("resident", str(wang.id), {"method": "qr", "result": "success", "kiosk": "kiosk-a"})
    ]


def test_a_volunteer_code_identifies_the_volunteer(
    platform: LocalPlatform, db: Database, signer: IdentitySigner
) -> None:
    vid = _volunteer_id(db)
    identity = platform.identify_volunteer_by_qr(signer.issue(IdentityKind.VOLUNTEER, vid, "demo"))
    assert (identity.volunteer_id, identity.name, identity.role) == (vid, "陈晓燕", "volunteer")
    assert _details(db, "volunteer.identify")[-1] == (
        "volunteer",
        str(vid),
        {"method": "qr", "result": "success", "kiosk": "kiosk-a"},
    )


def test_codes_that_do_not_verify_are_rejected_with_their_reason(
    platform: LocalPlatform, db: Database, signer: IdentitySigner, clock: FakeClock
) -> None:
    wang = _resident(db, "王秀兰")
    vid = _volunteer_id(db)
    resident_code = signer.issue(IdentityKind.RESIDENT, wang.id, "demo")
    forged = IdentitySigner(Ed25519PrivateKey.generate(), clock=clock).issue(
        IdentityKind.RESIDENT, wang.id, "demo"
    )
    cases = [
        (lambda: platform.identify_volunteer_by_qr(resident_code), "wrong_kind"),
        (lambda: platform.identify_resident_by_qr(forged), "wrong_key"),
        (lambda: platform.identify_resident_by_qr("KR1.AAAA.BBBB"), "malformed"),
        (lambda: platform.identify_resident_by_qr("x" * 5000), "oversized"),
        (
            lambda: platform.identify_resident_by_qr(
                signer.issue(IdentityKind.RESIDENT, wang.id, "other")
            ),
            "other_community",
        ),
    ]
    for call, reason in cases:
        with pytest.raises(IdentityCodeRejectedError) as info:
            call()
        assert info.value.reason == reason
        assert info.value.code == "identity.code_rejected"
    stale = signer.issue(IdentityKind.VOLUNTEER, vid, "demo", valid_for=timedelta(minutes=5))
    clock.advance(6 * 60 + 60)
    with pytest.raises(IdentityCodeRejectedError) as info:
        platform.identify_volunteer_by_qr(stale)
    assert info.value.reason == "expired"
    rejected = [d for _k, _i, d in _details(db, "resident.identify")]
    assert [d["reason"] for d in rejected] == [
        "wrong_key",
        "malformed",
        "oversized",
        "other_community",
    ]
    assert all(d["result"] == "rejected" for d in rejected)
    assert [d["reason"] for _k, _i, d in _details(db, "volunteer.identify")] == [
        "wrong_kind",
        "expired",
    ]


def test_a_valid_code_of_someone_gone_is_not_found(
    platform: LocalPlatform, db: Database, signer: IdentitySigner
) -> None:
    with pytest.raises(ResidentNotFoundError):
        platform.identify_resident_by_qr(signer.issue(IdentityKind.RESIDENT, 999_999, "demo"))
    vid = _volunteer_id(db)
    with db.session() as session:
        session.execute(update(Volunteer).where(Volunteer.id == vid).values(active=False))
    with pytest.raises(VolunteerNotFoundError):
        platform.identify_volunteer_by_qr(signer.issue(IdentityKind.VOLUNTEER, vid, "demo"))
    with pytest.raises(VolunteerNotFoundError):
        platform.identify_volunteer_by_qr(signer.issue(IdentityKind.VOLUNTEER, 999_999, "demo"))
    assert [(k, d["result"]) for k, _i, d in _details(db, "resident.identify")] == [
        ("system", "not_found")
    ]


def test_a_resident_of_another_community_is_not_found(
    make_platform: PlatformFactory,
    db: Database,
    key: Ed25519PrivateKey,
    signer: IdentitySigner,
    clock: FakeClock,
) -> None:
    verifier = IdentityVerifier([key.public_key()], community_id="other", clock=clock)
    elsewhere = make_platform(community_id="other", identity_verifier=verifier)
    wang = _resident(db, "王秀兰")  # lives in "demo"
    with pytest.raises(ResidentNotFoundError):
        elsewhere.identify_resident_by_qr(signer.issue(IdentityKind.RESIDENT, wang.id, "other"))


def test_without_a_verifier_qr_identification_is_not_offered(
    make_platform: PlatformFactory,
) -> None:
    plain = make_platform()
    with pytest.raises(NotSupportedError):
        plain.identify_resident_by_qr("KR1.AAAA.BBBB")
    with pytest.raises(NotSupportedError):
        plain.identify_volunteer_by_qr("KV1.AAAA.BBBB")
