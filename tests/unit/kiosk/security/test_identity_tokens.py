"""Resident and volunteer identity codes: format, every rejection reason, order, cross-format."""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.security.identity_tokens import (
    IdentityClaim,
    IdentityKind,
    IdentityRejectedError,
    IdentityRejection,
    IdentitySigner,
    IdentityVerifier,
    looks_like_identity_token,
)
from kiosk.security.passes import (
    PassRejectedError,
    PassRejection,
    key_id,
)
from tests.unit.kiosk.security.identities import (
    KIND_BYTE,
    PREFIX,
    RESIDENT,
    SUBJECT,
    VOLUNTEER,
    build_payload,
    id_signer,
    id_verifier,
    issue_identity,
    sign_payload,
)
from tests.unit.kiosk.security.tokens import (
    COMMUNITY,
    KEY_A,
    KEY_B,
    KEY_OTHER,
    NOW,
    b32,
    issue,
    signer,
    split,
    unb32,
    verifier,
)

R = IdentityRejection
T0 = int(NOW.timestamp())


def _reason(
    token: str,
    *,
    expected: IdentityKind = RESIDENT,
    at: datetime = NOW,
    v: IdentityVerifier | None = None,
) -> IdentityRejection:
    with pytest.raises(IdentityRejectedError) as info:
        (v or id_verifier()).verify(token, expected=expected, now=at)
    assert str(info.value) == info.value.reason.value  # the message is the reason alone
    return info.value.reason


def _other_kind(kind: IdentityKind) -> IdentityKind:
    return VOLUNTEER if kind is RESIDENT else RESIDENT


# ---------------------------------------------------------------- round trip and layout


@pytest.mark.parametrize("kind", list(IdentityKind))
@pytest.mark.parametrize("key", [KEY_A, KEY_B], ids=["key A", "key B (rollover)"])
def test_round_trip(kind: IdentityKind, key: Ed25519PrivateKey) -> None:
    token = issue_identity(kind, 987_654, key=key)
    claim = id_verifier().verify(token, expected=kind)
    assert claim == IdentityClaim(
        kind=kind,
        subject_id=987_654,
        community_id=COMMUNITY,
        issued_at=NOW,
        expires_at=NOW + timedelta(minutes=5),
        key_id=key_id(key.public_key()),
    )
    assert claim.issued_at.tzinfo is UTC


@pytest.mark.parametrize("kind", list(IdentityKind))
def test_token_is_the_documented_layout(kind: IdentityKind) -> None:
    token = issue_identity(kind, 77, valid_for=timedelta(seconds=90))
    prefix, payload, signature = split(token)
    assert prefix == PREFIX[kind]
    assert payload == build_payload(kind_byte=KIND_BYTE[kind], subject=77, expires=T0 + 90)
    KEY_A.public_key().verify(signature, f"{prefix}.{b32(payload)}".encode())
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.")  # QR alphanumeric mode


def test_token_lengths_fit_the_size_limit() -> None:
    shortest = issue_identity(subject_id=1, community_id="x")
    longest = issue_identity(
        VOLUNTEER, 2**32 - 1, community_id="c" * 32, valid_for=timedelta(minutes=15)
    )
    assert (len(shortest), len(longest)) == (140, 190)
    assert id_verifier(community="x").verify(shortest, expected=RESIDENT).subject_id == 1
    assert (
        id_verifier(community="c" * 32).verify(longest, expected=VOLUNTEER).subject_id == 2**32 - 1
    )


def test_issue_time_is_whole_seconds() -> None:
    at = NOW + timedelta(seconds=7, microseconds=999_999)
    claim = id_verifier().verify(issue_identity(at=at), expected=RESIDENT, now=at)
    assert claim.issued_at == NOW + timedelta(seconds=7)
    assert claim.expires_at == NOW + timedelta(seconds=307)


def test_signer_uses_its_clock_and_verifier_uses_its_clock() -> None:
    later = NOW + timedelta(hours=2)
    token = issue_identity(at=later)
    assert id_verifier(at=later).verify(token, expected=RESIDENT).issued_at == later
    assert _reason(token, v=id_verifier(), at=NOW) is R.NOT_YET_VALID
    with pytest.raises(IdentityRejectedError):
        id_verifier().verify(token, expected=RESIDENT)  # the clock says NOW


def test_default_clocks_are_the_real_time() -> None:
    token = IdentitySigner(KEY_A).issue(VOLUNTEER, 5, COMMUNITY)
    v = IdentityVerifier([KEY_A.public_key()], community_id=COMMUNITY)
    claim = v.verify(token, expected=VOLUNTEER)
    assert abs(claim.issued_at.timestamp() - time.time()) < 5
    assert claim.expires_at - claim.issued_at == timedelta(minutes=5)


# ---------------------------------------------------------------- routing by prefix


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("KR1.", RESIDENT),
        ("KV1.", VOLUNTEER),
        ("KR1.anything at all", RESIDENT),
        ("KV1.\x00", VOLUNTEER),
        ("KP1.AAAA.BBBB", None),
        ("kr1.AAAA", None),
        ("KR1", None),
        ("KR1-AAAA", None),
        ("KR10.AAAA", None),
        ("KR2.AAAA", None),
        (" KR1.AAAA", None),
        ("1234567890", None),
        ("", None),
    ],
)
def test_looks_like_identity_token(text: str, kind: IdentityKind | None) -> None:
    assert looks_like_identity_token(text) is kind


def test_looks_like_routes_real_tokens() -> None:
    assert looks_like_identity_token(issue_identity(RESIDENT)) is RESIDENT
    assert looks_like_identity_token(issue_identity(VOLUNTEER)) is VOLUNTEER
    assert looks_like_identity_token(issue()) is None  # a visitor pass


# ---------------------------------------------------------------- steps 1-3: text


def test_oversized_before_anything_else() -> None:
    token = issue_identity()
    assert _reason(token + "A" * (513 - len(token))) is R.OVERSIZED
    assert _reason("\x00" * 513) is R.OVERSIZED
    assert _reason(token * 10_000) is R.OVERSIZED
    assert _reason(token + "A" * (512 - len(token))) is R.MALFORMED  # 512 is still looked at


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t + "\x00",
        lambda t: t + "\n",
        lambda t: "\ufeff" + t,
        lambda t: t.replace(".", "．", 1),
        lambda t: t[:10] + "\u202e" + t[10:],
        lambda t: t[:-1] + "\udcff",
        lambda t: t[:-1] + "é",
        lambda t: t + "\x7f",
    ],
    ids=["NUL", "newline", "BOM", "full-width dot", "bidi override", "surrogate", "é", "DEL"],
)
def test_not_ascii(mangle: Callable[[str], str]) -> None:
    assert _reason(mangle(issue_identity())) is R.NOT_ASCII


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: "",
        lambda t: t.lower(),
        lambda t: "kr1" + t[3:],
        lambda t: t + "=",
        lambda t: t[:-1] + "=",
        lambda t: t + ".AAAA",
        lambda t: t.rsplit(".", 1)[0],
        lambda t: t.replace(".", "", 1),
        lambda t: "KR2" + t[3:],
        lambda t: "KX1" + t[3:],
        lambda t: " " + t,
        lambda t: t + " ",
        lambda t: t[:-1],
        lambda t: t + "A",
        lambda t: t.replace("A", "8", 1),
    ],
    ids=[
        "empty",
        "lower case",
        "lower-case prefix",
        "padding",
        "padding in place of a character",
        "fourth part",
        "no signature",
        "one dot",
        "future version",
        "unknown kind",
        "leading space",
        "trailing space",
        "short signature",
        "long signature",
        "not base32",
    ],
)
def test_malformed_text(mangle: Callable[[str], str]) -> None:
    assert _reason(mangle(issue_identity())) is R.MALFORMED


def test_non_canonical_base32_is_malformed() -> None:
    # A 20-byte payload is 32 characters exactly; a 21-byte one leaves 2 unused bits in the
    # last character, which must be zero. Setting one keeps the bytes but not the spelling.
    prefix, payload_text, sig_text = issue_identity(community_id="ab").split(".")
    assert len(unb32(payload_text)) == 21
    last = payload_text[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    bumped = alphabet[alphabet.index(last) | 1]
    assert bumped != last
    assert unb32(payload_text[:-1] + bumped) == unb32(payload_text)
    token = f"{prefix}.{payload_text[:-1] + bumped}.{sig_text}"
    assert _reason(token, v=id_verifier(community="ab")) is R.MALFORMED
    # The signature (64 bytes, 103 characters) has 3 unused bits.
    sig_last = alphabet[alphabet.index(sig_text[-1]) | 1]
    token = f"{prefix}.{payload_text}.{sig_text[:-1] + sig_last}"
    assert _reason(token, v=id_verifier(community="ab")) is R.MALFORMED


@pytest.mark.parametrize("kind", list(IdentityKind))
def test_version_and_kind_bytes_must_agree_with_the_prefix(kind: IdentityKind) -> None:
    prefix = PREFIX[kind]
    good = KIND_BYTE[kind]
    assert id_verifier().verify(
        sign_payload(build_payload(kind_byte=good), prefix=prefix), expected=kind
    )
    for payload in (
        build_payload(version=2, kind_byte=good),
        build_payload(version=0, kind_byte=good),
        build_payload(kind_byte=KIND_BYTE[_other_kind(kind)]),
        build_payload(kind_byte=0),
        build_payload(kind_byte=3),
    ):
        assert _reason(sign_payload(payload, prefix=prefix), expected=kind) is R.MALFORMED


# ---------------------------------------------------------------- wrong kind


@pytest.mark.parametrize("kind", list(IdentityKind))
def test_a_code_never_verifies_as_the_other_kind(kind: IdentityKind) -> None:
    token = issue_identity(kind)
    assert id_verifier().verify(token, expected=kind).kind is kind
    assert _reason(token, expected=_other_kind(kind)) is R.WRONG_KIND


@pytest.mark.parametrize("kind", list(IdentityKind))
def test_the_kind_is_signed(kind: IdentityKind) -> None:
    other = _other_kind(kind)
    prefix, payload, signature = split(issue_identity(kind))
    # Only the prefix changed: it disagrees with the kind byte.
    swapped = f"{PREFIX[other]}.{b32(payload)}.{b32(signature)}"
    assert _reason(swapped, expected=other) is R.MALFORMED
    # Prefix and kind byte changed together, the signature kept: it no longer matches.
    rewritten = bytearray(payload)
    rewritten[5] = KIND_BYTE[other]
    forged = f"{PREFIX[other]}.{b32(bytes(rewritten))}.{b32(signature)}"
    assert _reason(forged, expected=other) is R.BAD_SIGNATURE
    # Genuinely signed, but under the other prefix than the one written.
    cross = sign_payload(
        build_payload(kind_byte=KIND_BYTE[other]), prefix=PREFIX[other], signed_prefix=prefix
    )
    assert _reason(cross, expected=other) is R.BAD_SIGNATURE


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(list(IdentityKind)),
    subject=st.integers(1, 2**32 - 1),
    seconds=st.integers(1, 900),
    use_b=st.booleans(),
)
def test_any_code_verifies_as_its_kind_only(
    kind: IdentityKind, subject: int, seconds: int, use_b: bool
) -> None:
    token = issue_identity(
        kind, subject, key=KEY_B if use_b else KEY_A, valid_for=timedelta(seconds=seconds)
    )
    claim = id_verifier().verify(token, expected=kind)
    assert (claim.kind, claim.subject_id) == (kind, subject)
    assert claim.expires_at - claim.issued_at == timedelta(seconds=seconds)
    assert _reason(token, expected=_other_kind(kind)) is R.WRONG_KIND


def test_expected_may_be_given_as_the_plain_value() -> None:
    token = issue_identity(VOLUNTEER)
    assert id_verifier().verify(token, expected=IdentityKind("volunteer")).kind is VOLUNTEER


# ---------------------------------------------------------------- steps 4-5: key, signature


def test_wrong_key() -> None:
    assert _reason(issue_identity(key=KEY_OTHER)) is R.WRONG_KEY
    # Even if the code is otherwise nonsense after the key id.
    assert _reason(sign_payload(build_payload(key=KEY_OTHER, subject=0), key=KEY_OTHER)) is (
        R.WRONG_KEY
    )


def test_key_rollover_accepts_both_keys_and_only_them() -> None:
    only_b = IdentityVerifier([KEY_B.public_key()], community_id=COMMUNITY, clock=lambda: NOW)
    assert only_b.verify(issue_identity(key=KEY_B), expected=RESIDENT)
    assert _reason(issue_identity(key=KEY_A), v=only_b) is R.WRONG_KEY


def test_bad_signature() -> None:
    prefix, payload, signature = split(issue_identity())
    tampered_sig = bytes([signature[0] ^ 1]) + signature[1:]
    assert _reason(f"{prefix}.{b32(payload)}.{b32(tampered_sig)}") is R.BAD_SIGNATURE
    # Another subject under the original signature: someone else's identity.
    other = build_payload(subject=SUBJECT + 1)
    assert _reason(f"{prefix}.{b32(other)}.{b32(signature)}") is R.BAD_SIGNATURE
    # A longer validity under the original signature.
    longer = build_payload(expires=T0 + 900)
    assert _reason(f"{prefix}.{b32(longer)}.{b32(signature)}") is R.BAD_SIGNATURE
    # Signed by trusted key B while claiming key A's id.
    assert _reason(sign_payload(build_payload(key=KEY_A), key=KEY_B)) is R.BAD_SIGNATURE
    # Ed25519's malleable twin (S + L) is refused too.
    ell = 2**252 + 27742317777372353535851937790883648493
    twin = signature[:32] + (int.from_bytes(signature[32:], "little") + ell).to_bytes(32, "little")
    assert _reason(f"{prefix}.{b32(payload)}.{b32(twin)}") is R.BAD_SIGNATURE


# ---------------------------------------------------------------- step 6: fields


@pytest.mark.parametrize(
    "payload",
    [
        build_payload(subject=0),
        build_payload(expires=T0),
        build_payload(expires=T0 - 1),
        build_payload(issued=T0 + 10, expires=T0),
        build_payload(expires=T0 + 901),
        build_payload(issued=0, expires=2**32 - 1),
        build_payload(community=b"", length=0),
        build_payload(community=b"bj-cy-0012", length=9, tail=b""),
        build_payload(community=b"bj-cy-0012", length=11),
        build_payload(tail=b"\x00"),
        build_payload(community=b"-bj-cy-0012"),
        build_payload(community=b"bj cy 0012"),
        build_payload(community=b"bj-cy-001\xb2"),
        build_payload(community=b"bj-cy-0012\n"),
        build_payload(community=b"\xe5\x8c\x97\xe4\xba\xac"),
    ],
    ids=[
        "subject 0",
        "empty window",
        "negative window",
        "reversed window",
        "longer than 15 min",
        "forever",
        "empty community",
        "length too short",
        "length too long",
        "trailing byte",
        "community starts with -",
        "community with spaces",
        "community not ASCII",
        "community with newline",
        "community in UTF-8 hanzi",
    ],
)
def test_signed_but_malformed_fields(payload: bytes) -> None:
    assert _reason(sign_payload(payload)) is R.MALFORMED


def test_field_boundaries_that_are_valid() -> None:
    v = id_verifier()
    assert v.verify(sign_payload(build_payload(subject=1)), expected=RESIDENT).subject_id == 1
    assert v.verify(sign_payload(build_payload(expires=T0 + 900)), expected=RESIDENT)
    assert v.verify(sign_payload(build_payload(expires=T0 + 1)), expected=RESIDENT)
    odd = "A9._:-z"
    claim = id_verifier(community=odd).verify(
        sign_payload(build_payload(community=odd.encode())), expected=RESIDENT
    )
    assert claim.community_id == odd


def test_community_id_longer_than_32_never_gets_past_the_shape() -> None:
    assert _reason(sign_payload(build_payload(community=b"c" * 33))) is R.MALFORMED


# ---------------------------------------------------------------- steps 7-8: community, time


def test_other_community() -> None:
    assert _reason(issue_identity(community_id="sh-pd-0001")) is R.OTHER_COMMUNITY
    assert _reason(issue_identity(community_id=COMMUNITY.upper())) is R.OTHER_COMMUNITY
    assert _reason(issue_identity(), v=id_verifier(community="sh-pd-0001")) is (R.OTHER_COMMUNITY)


@pytest.mark.parametrize(
    ("offset_s", "outcome"),
    [
        (-60.0, R.NOT_YET_VALID),  # exactly issued_at - skew: the interval is open
        (-3600.0, R.NOT_YET_VALID),
        (-59.999, None),
        (0.0, None),
        (300.0, None),  # expires_at itself
        (359.999, None),
        (360.0, R.EXPIRED),  # exactly expires_at + skew
        (86_400.0, R.EXPIRED),
    ],
)
def test_time_window_with_skew(offset_s: float, outcome: IdentityRejection | None) -> None:
    token = issue_identity()  # issued at NOW, valid for 300 s
    at = NOW + timedelta(seconds=offset_s)
    if outcome is None:
        assert id_verifier().verify(token, expected=RESIDENT, now=at).subject_id == SUBJECT
    else:
        assert _reason(token, at=at) is outcome


def test_time_window_without_skew() -> None:
    token = issue_identity()
    v = id_verifier(skew_s=0)
    tiny = timedelta(microseconds=1)
    assert _reason(token, v=v, at=NOW) is R.NOT_YET_VALID
    assert v.verify(token, expected=RESIDENT, now=NOW + tiny)
    assert v.verify(token, expected=RESIDENT, now=NOW + timedelta(seconds=300) - tiny)
    assert _reason(token, v=v, at=NOW + timedelta(seconds=300)) is R.EXPIRED


def test_largest_skew_allowed() -> None:
    token = issue_identity()
    v = id_verifier(skew_s=300)
    assert v.verify(token, expected=RESIDENT, now=NOW + timedelta(seconds=599))
    assert _reason(token, v=v, at=NOW + timedelta(seconds=600)) is R.EXPIRED


def test_time_in_another_time_zone_is_the_same_instant() -> None:
    token = issue_identity()
    beijing = NOW.astimezone(timezone(timedelta(hours=8)))
    assert beijing.hour == 18
    assert id_verifier().verify(token, expected=RESIDENT, now=beijing)
    assert _reason(token, at=beijing.replace(tzinfo=UTC)) is R.EXPIRED


def test_naive_time_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        id_verifier().verify(issue_identity(), expected=RESIDENT, now=datetime(2025, 6, 1, 10))
    naive_clock = IdentityVerifier(
        [KEY_A.public_key()], community_id=COMMUNITY, clock=lambda: datetime(2025, 6, 1, 10)
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        naive_clock.verify(issue_identity(), expected=RESIDENT)


# ---------------------------------------------------------------- order of the checks


def test_the_first_failing_check_decides() -> None:
    expired_elsewhere = issue_identity(key=KEY_OTHER, community_id="sh-pd-0001")
    at = NOW + timedelta(days=1)
    assert _reason(expired_elsewhere + "\x00" * 600, at=at) is R.OVERSIZED
    assert _reason(expired_elsewhere + "\x00", at=at) is R.NOT_ASCII
    assert _reason(expired_elsewhere.lower(), at=at) is R.MALFORMED
    assert _reason(expired_elsewhere, at=at, expected=VOLUNTEER) is R.WRONG_KIND
    assert _reason(expired_elsewhere, at=at) is R.WRONG_KEY
    prefix, payload, signature = split(issue_identity(community_id="sh-pd-0001"))
    broken = f"{prefix}.{b32(payload)}.{b32(bytes(64))}"
    assert _reason(broken, at=at) is R.BAD_SIGNATURE
    # Malformed fields are only found after the signature holds.
    unsigned_zero = f"{prefix}.{b32(build_payload(subject=0))}.{b32(signature)}"
    assert _reason(unsigned_zero) is R.BAD_SIGNATURE
    assert _reason(sign_payload(build_payload(subject=0, community=b"sh-pd-0001"))) is (R.MALFORMED)
    assert _reason(issue_identity(community_id="sh-pd-0001"), at=at) is R.OTHER_COMMUNITY
    assert _reason(issue_identity(), at=at) is R.EXPIRED


# ---------------------------------------------------------------- passes and identities


@pytest.mark.parametrize("expected", list(IdentityKind))
def test_a_visitor_pass_is_not_an_identity_code(expected: IdentityKind) -> None:
    token = issue()
    assert verifier().verify(token)  # a valid pass...
    assert _reason(token, expected=expected) is R.MALFORMED  # ...is no identity code


@pytest.mark.parametrize("kind", list(IdentityKind))
def test_an_identity_code_is_not_a_visitor_pass(kind: IdentityKind) -> None:
    with pytest.raises(PassRejectedError) as info:
        verifier().verify(issue_identity(kind))
    assert info.value.reason is PassRejection.MALFORMED


def test_a_signature_never_moves_between_passes_and_identity_codes() -> None:
    # A pass whose bytes happen to fit an identity code's shape (version 1, trusted key id,
    # kind byte 1 where the pass id starts, 45 bytes) under a KR1 prefix: only the
    # signature, made over "KP1.…", stands in the way, and it does.
    pass_token = signer().issue(
        community_id=COMMUNITY,
        household="1",
        visitor_name="x",
        valid_until=NOW + timedelta(hours=1),
        pass_id=uuid.UUID(bytes=b"\x01" + bytes(15)),
    )
    assert _reason("KR1" + pass_token[3:]) is R.BAD_SIGNATURE
    # The other way: an identity code long enough for a pass's shape, under KP1.
    identity = issue_identity(community_id="c" * 32)
    with pytest.raises(PassRejectedError) as info:
        verifier(community="c" * 32).verify("KP1" + identity[3:])
    assert info.value.reason in (PassRejection.BAD_SIGNATURE, PassRejection.MALFORMED)
    short = issue_identity()
    with pytest.raises(PassRejectedError) as info:
        verifier().verify("KP1" + short[3:])
    assert info.value.reason is PassRejection.MALFORMED


# ---------------------------------------------------------------- construction errors


def test_verifier_arguments() -> None:
    pub_a = KEY_A.public_key()
    with pytest.raises(ValueError, match="at least one public key"):
        IdentityVerifier([], community_id=COMMUNITY)
    with pytest.raises(ValueError, match="share the key id"):
        IdentityVerifier([pub_a, KEY_A.public_key()], community_id=COMMUNITY)
    for community in ("", "-x", "c" * 33, "北京", "a b"):
        with pytest.raises(ValueError, match="community id"):
            IdentityVerifier([pub_a], community_id=community)
    for skew in (-1.0, 300.5, math.nan, math.inf):
        with pytest.raises(ValueError, match="skew_s"):
            IdentityVerifier([pub_a], community_id=COMMUNITY, skew_s=skew)
    IdentityVerifier(iter([pub_a]), community_id="c" * 32, skew_s=300)  # limits are allowed


@pytest.mark.parametrize(
    ("args", "valid_for", "message"),
    [
        ((RESIDENT, 0, COMMUNITY), timedelta(minutes=5), "subject id"),
        ((RESIDENT, -1, COMMUNITY), timedelta(minutes=5), "subject id"),
        ((RESIDENT, 2**32, COMMUNITY), timedelta(minutes=5), "subject id"),
        ((RESIDENT, True, COMMUNITY), timedelta(minutes=5), "subject id"),
        ((RESIDENT, 1, ""), timedelta(minutes=5), "community id"),
        ((RESIDENT, 1, "c" * 33), timedelta(minutes=5), "community id"),
        ((RESIDENT, 1, "北京"), timedelta(minutes=5), "community id"),
        ((RESIDENT, 1, COMMUNITY), timedelta(0), "valid_for"),
        ((RESIDENT, 1, COMMUNITY), timedelta(seconds=-5), "valid_for"),
        ((RESIDENT, 1, COMMUNITY), timedelta(seconds=901), "valid_for"),
        ((RESIDENT, 1, COMMUNITY), timedelta(hours=1), "valid_for"),
        ((RESIDENT, 1, COMMUNITY), timedelta(seconds=1.5), "valid_for"),
        (("admin", 1, COMMUNITY), timedelta(minutes=5), "admin"),
    ],
)
def test_signer_refuses_bad_arguments(
    args: tuple[object, object, str], valid_for: timedelta, message: str
) -> None:
    kind, subject, community = args
    with pytest.raises(ValueError, match=message):
        id_signer().issue(kind, subject, community, valid_for=valid_for)  # type: ignore[arg-type]


def test_signer_limits_that_are_allowed() -> None:
    v = id_verifier(community="c" * 32)
    for seconds in (1, 900):
        token = issue_identity(
            community_id="c" * 32, subject_id=2**32 - 1, valid_for=timedelta(seconds=seconds)
        )
        assert v.verify(token, expected=RESIDENT).expires_at == NOW + timedelta(seconds=seconds)


def test_signer_refuses_times_the_format_cannot_hold() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        IdentitySigner(KEY_A, clock=lambda: datetime(2025, 6, 1)).issue(RESIDENT, 1, COMMUNITY)
    with pytest.raises(ValueError, match="1970"):
        id_signer(at=datetime(1969, 12, 31, tzinfo=UTC)).issue(RESIDENT, 1, COMMUNITY)
    near_end = datetime.fromtimestamp(2**32 - 100, UTC)
    with pytest.raises(ValueError, match="2106"):
        id_signer(at=near_end).issue(RESIDENT, 1, COMMUNITY)


def test_rejection_values_are_stable() -> None:
    assert {r.name: r.value for r in IdentityRejection} == {
        "OVERSIZED": "oversized",
        "NOT_ASCII": "not_ascii",
        "MALFORMED": "malformed",
        "WRONG_KIND": "wrong_kind",
        "WRONG_KEY": "wrong_key",
        "BAD_SIGNATURE": "bad_signature",
        "OTHER_COMMUNITY": "other_community",
        "NOT_YET_VALID": "not_yet_valid",
        "EXPIRED": "expired",
    }
    assert [k.value for k in IdentityKind] == ["resident", "volunteer"]
