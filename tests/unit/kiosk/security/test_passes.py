"""Signed passes: format, every rejection reason, skew, one-time use, key files."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import stat
import struct
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import segno
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.security.passes import (
    MAX_TOKEN_CHARS,
    AlreadyUsedError,
    InMemoryRedemptionLedger,
    PassContent,
    PassKeyError,
    PassRedeemer,
    PassRejectedError,
    PassRejection,
    PassVerifier,
    VerifiedPass,
    decode_payload,
    encode_payload,
    generate_keypair,
    key_id,
    load_private_key,
    load_public_key,
    load_public_keys,
)
from tests.unit.kiosk.security.tokens import (
    COMMUNITY,
    KEY_A,
    KEY_B,
    KEY_OTHER,
    NOW,
    b32,
    issue,
    join,
    sign_raw,
    signer,
    split,
    verifier,
)

# Ed25519 group order L.
_L = 2**252 + 27742317777372353535851937790883648493


def _reason(token: str, v: PassVerifier | None = None) -> PassRejection:
    with pytest.raises(PassRejectedError) as info:
        (v or verifier()).verify(token)
    return info.value.reason


def _payload(**changes: object) -> bytes:
    """A valid payload (key A) with ``changes`` applied at the content level."""
    _, payload, _ = split(issue())
    content = decode_payload(payload)
    fields: dict[str, Any] = {
        name: getattr(content, name)
        for name in (
            "key_id",
            "pass_id",
            "community_id",
            "household",
            "visitor_name",
            "valid_from",
            "valid_until",
            "uses_allowed",
        )
    }
    fields.update(changes)
    return encode_payload(PassContent(**fields))


# ---------------------------------------------------------------- round trip and format


def test_round_trip_keeps_every_field() -> None:
    pass_id = uuid.uuid4()
    token = signer().issue(
        community_id=COMMUNITY,
        household="3-2-501",
        visitor_name="阿依古丽·买买提",
        valid_from=NOW - timedelta(minutes=10),
        valid_until=NOW + timedelta(hours=4),
        uses_allowed=2,
        pass_id=pass_id,
    )
    p = verifier().verify(token)
    assert isinstance(p, VerifiedPass)
    assert p.pass_id == pass_id.bytes
    assert p.pass_uuid == pass_id
    assert p.key_id == key_id(KEY_A.public_key())
    assert p.community_id == COMMUNITY
    assert p.household == "3-2-501"
    assert p.visitor_name == "阿依古丽·买买提"
    assert p.valid_from == NOW - timedelta(minutes=10)
    assert p.valid_until == NOW + timedelta(hours=4)
    assert p.valid_from.tzinfo is UTC
    assert p.uses_allowed == 2


def test_second_trusted_key_verifies_too() -> None:
    p = verifier().verify(issue(KEY_B))
    assert p.key_id == key_id(KEY_B.public_key())


def test_token_is_compact_qr_alphanumeric_text() -> None:
    token = issue()
    assert re.fullmatch(r"KP1\.[A-Z2-7]+\.[A-Z2-7]{103}", token)
    assert len(token) <= 210
    qr = segno.make_qr(token, encoding="utf-8", error="m")
    assert qr.mode == "alphanumeric"
    assert qr.version <= 8


def test_longest_fields_still_fit_a_small_qr_code() -> None:
    token = issue(community_id="c" * 32, household="栋" * 10 + "12", visitor_name="名" * 10 + "ab")
    assert len(token) < 320
    assert segno.make_qr(token, encoding="utf-8", error="m").version <= 11
    assert verifier(community="c" * 32).verify(token).visitor_name == "名" * 10 + "ab"


def test_token_and_key_id_are_deterministic() -> None:
    pid = uuid.UUID(int=7)
    assert issue() != issue()  # a fresh pass id each time
    token1 = signer().issue(
        community_id=COMMUNITY,
        household="1",
        visitor_name="x",
        valid_until=NOW + timedelta(1),
        pass_id=pid,
    )
    token2 = signer().issue(
        community_id=COMMUNITY,
        household="1",
        visitor_name="x",
        valid_until=NOW + timedelta(1),
        pass_id=pid,
    )
    assert token1 == token2
    raw = KEY_A.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert key_id(KEY_A.public_key()) == hashlib.sha256(raw).digest()[:4]


def test_default_valid_from_is_backdated_five_minutes() -> None:
    token = signer().issue(
        community_id=COMMUNITY, household="1", visitor_name="x", valid_until=NOW + timedelta(1)
    )
    assert verifier().verify(token).valid_from == NOW - timedelta(minutes=5)


def test_repr_and_error_message_leak_no_personal_data() -> None:
    token = issue(visitor_name="王小明", household="3-2-501")
    text = repr(verifier().verify(token))
    assert "王小明" not in text
    assert "3-2-501" not in text
    with pytest.raises(PassRejectedError) as info:
        verifier(community="elsewhere").verify(token)
    assert str(info.value) == "other_community"
    assert token not in repr(info.value)


def test_signer_normalises_names_to_nfc() -> None:
    token = issue(visitor_name="Jose\u0301")
    assert verifier().verify(token).visitor_name == "José"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"visitor_name": "名" * 11}, "visitor name must be 1 to 32"),
        ({"visitor_name": ""}, "visitor name must be 1 to 32"),
        ({"visitor_name": " 王小明"}, "white space"),
        ({"visitor_name": "王\u202e明"}, "invisible"),
        ({"visitor_name": "王\x00明"}, "control"),
        ({"visitor_name": "王\ud800"}, "not valid Unicode"),
        ({"household": "3-2-501\n"}, "white space"),
        ({"community_id": "bj cy"}, "community id"),
        ({"community_id": "北京"}, "community id"),
        ({"community_id": "c" * 33}, "community id must be 1 to 32"),
        ({"uses_allowed": 0}, "uses allowed"),
        ({"uses_allowed": 256}, "uses allowed"),
        ({"valid_from": NOW + timedelta(hours=3)}, "later than valid_from"),
        ({"valid_from": NOW.replace(tzinfo=None)}, "timezone-aware"),
        ({"valid_until": datetime(2107, 1, 1, tzinfo=UTC)}, "1970..2106"),
    ],
)
def test_signer_refuses_bad_fields(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        issue(**fields)


def test_signer_refuses_a_pass_that_is_already_over() -> None:
    with pytest.raises(ValueError, match="not in the future"):
        issue(valid_from=NOW - timedelta(hours=2), valid_until=NOW)


# ---------------------------------------------------------------- each rejection, distinctly


def test_bad_signature_flipped_signature_byte() -> None:
    prefix, payload, sig = split(issue())
    for i in (0, 31, 32, 63):
        forged = bytearray(sig)
        forged[i] ^= 0x01
        assert _reason(join(prefix, payload, bytes(forged))) is PassRejection.BAD_SIGNATURE


def test_bad_signature_altered_payload() -> None:
    prefix, payload, sig = split(issue(uses_allowed=1))
    more_uses = payload[:29] + bytes([200]) + payload[30:]
    assert _reason(join(prefix, more_uses, sig)) is PassRejection.BAD_SIGNATURE
    longer = payload[:25] + struct.pack(">I", 2**32 - 1) + payload[29:]
    assert _reason(join(prefix, longer, sig)) is PassRejection.BAD_SIGNATURE


def test_bad_signature_trusted_key_id_but_other_signer() -> None:
    # An attacker writes a trusted key id into a payload and signs it with their own key.
    forged = sign_raw(_payload(), KEY_OTHER)
    assert _reason(forged) is PassRejection.BAD_SIGNATURE


def test_wrong_key_unknown_signer() -> None:
    assert _reason(issue(KEY_OTHER)) is PassRejection.WRONG_KEY


def test_wrong_key_after_rollover_removes_the_old_key() -> None:
    only_b = PassVerifier([KEY_B.public_key()], community_id=COMMUNITY, clock=lambda: NOW)
    assert _reason(issue(KEY_A), only_b) is PassRejection.WRONG_KEY


def test_other_community() -> None:
    assert _reason(issue(community_id="sh-pd-0001")) is PassRejection.OTHER_COMMUNITY
    assert _reason(issue(community_id="BJ-CY-0012")) is PassRejection.OTHER_COMMUNITY


@pytest.mark.parametrize(
    ("early_s", "accepted"),
    [(0, True), (1, True), (59, True), (60, False), (61, False), (3600, False)],
)
def test_not_yet_valid_default_skew_is_60_s(early_s: int, accepted: bool) -> None:
    token = issue(valid_from=NOW + timedelta(seconds=early_s))
    if accepted:
        verifier().verify(token)
    else:
        assert _reason(token) is PassRejection.NOT_YET_VALID


@pytest.mark.parametrize(
    ("late_s", "accepted"),
    [(-1, True), (0, True), (1, True), (299, True), (300, False), (301, False), (86400, False)],
)
def test_expired_default_grace_is_300_s(late_s: int, accepted: bool) -> None:
    until = NOW + timedelta(hours=1)
    token = issue(valid_until=until)
    v = verifier(at=until + timedelta(seconds=late_s))
    if accepted:
        v.verify(token)
    else:
        assert _reason(token, v) is PassRejection.EXPIRED


def test_skews_are_configurable() -> None:
    strict = verifier(not_before_skew_s=0, expiry_skew_s=0)
    assert _reason(issue(valid_from=NOW + timedelta(seconds=1)), strict) is (
        PassRejection.NOT_YET_VALID
    )
    strict.verify(issue(valid_from=NOW - timedelta(seconds=1)))
    assert (
        _reason(
            issue(valid_until=NOW + timedelta(seconds=1)),
            verifier(at=NOW + timedelta(seconds=1), expiry_skew_s=0),
        )
        is PassRejection.EXPIRED
    )
    lenient = verifier(not_before_skew_s=300)
    lenient.verify(issue(valid_from=NOW + timedelta(seconds=299)))


@pytest.mark.parametrize("skew", [-1.0, 300.5, 3600.0, float("nan")])
def test_skew_outside_0_to_300_s_is_refused(skew: float) -> None:
    with pytest.raises(ValueError, match="skew"):
        verifier(expiry_skew_s=skew)
    with pytest.raises(ValueError, match="skew"):
        verifier(not_before_skew_s=skew)


def test_explicit_now_overrides_the_clock() -> None:
    token = issue(valid_until=NOW + timedelta(hours=1))
    assert _reason_at(token, NOW + timedelta(hours=2)) is PassRejection.EXPIRED
    with pytest.raises(ValueError, match="timezone-aware"):
        verifier().verify(token, now=NOW.replace(tzinfo=None))


def _reason_at(token: str, now: datetime) -> PassRejection:
    with pytest.raises(PassRejectedError) as info:
        verifier().verify(token, now=now)
    return info.value.reason


# ---------------------------------------------------------------- malformed


def test_malformed_truncations() -> None:
    token = issue()
    for cut in [0, 1, 3, 4, 5, 20, token.rindex("."), token.rindex(".") + 1, len(token) - 1]:
        assert _reason(token[:cut]) is PassRejection.MALFORMED, cut


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda t: t + ".", id="trailing dot"),
        pytest.param(lambda t: t + ".AAAA", id="fourth part"),
        pytest.param(lambda t: t.replace(".", "..", 1), id="double dot"),
        pytest.param(lambda t: "." + t, id="leading dot"),
        pytest.param(lambda t: t.replace(".", ":"), id="other separator"),
        pytest.param(lambda t: t.lower(), id="lower case"),
        pytest.param(lambda t: t[:-1] + "1", id="digit 1 not in base32"),
        pytest.param(lambda t: t[:-1] + "8", id="digit 8 not in base32"),
        pytest.param(lambda t: t[:10] + "=" + t[11:], id="equals inside"),
        pytest.param(lambda t: t + "=====", id="padding"),
        pytest.param(lambda t: t + "A", id="signature one char long"),
        pytest.param(lambda t: t[:-2], id="signature short"),
        pytest.param(lambda t: " " + t, id="leading space"),
        pytest.param(lambda t: t.replace("KP1", "KP1 "), id="space after prefix"),
    ],
)
def test_malformed_text(mangle: Callable[[str], str]) -> None:
    assert _reason(mangle(issue())) is PassRejection.MALFORMED


@pytest.mark.parametrize(
    "text", ["", ".", "..", "KP1", "KP1.", "KP1..", "KP1.A.B", "hello", "A" * 2048]
)
def test_malformed_junk(text: str) -> None:
    assert _reason(text) is PassRejection.MALFORMED


def test_malformed_non_canonical_base32_trailing_bits() -> None:
    # 103 characters carry 515 bits for a 512-bit signature: the last 3 bits must be zero.
    token = issue()
    body, last = token[:-1], token[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    value = alphabet.index(last)
    assert value & 0b111 == 0
    for extra in range(1, 8):
        assert _reason(body + alphabet[value | extra]) is PassRejection.MALFORMED
    prefix, payload, sig = split(token)
    assert join(prefix, payload, sig) == token  # the canonical spelling is the issued one


def test_malformed_base64_spelling_of_a_valid_token() -> None:
    prefix, payload, sig = split(issue())
    b64 = base64.urlsafe_b64encode
    token = f"{prefix}.{b64(payload).decode().rstrip('=')}.{b64(sig).decode().rstrip('=')}"
    assert _reason(token) is PassRejection.MALFORMED


# Payloads genuinely signed by a trusted key: strict parsing holds even for signed bytes.
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: p + b"\x00", id="one trailing byte"),
        pytest.param(lambda p: p + b"\x03abc", id="a fourth text field"),
        pytest.param(lambda p: p[:-1], id="last text one byte short"),
        pytest.param(lambda p: p[:36], id="cut inside the texts"),
        pytest.param(lambda p: bytes([2]) + p[1:], id="version byte 2 under KP1"),
        pytest.param(lambda p: bytes([0]) + p[1:], id="version byte 0"),
        pytest.param(lambda p: p[:29] + b"\x00" + p[30:], id="zero uses"),
        pytest.param(lambda p: p[:21] + p[25:29] + p[21:25] + p[29:], id="window reversed"),
        pytest.param(lambda p: p[:21] + p[21:25] * 2 + p[29:], id="empty window"),
    ],
)
def test_malformed_signed_payload(make: Callable[[bytes], bytes]) -> None:
    _, payload, _ = split(issue())
    assert _reason(sign_raw(make(payload))) is PassRejection.MALFORMED


@pytest.mark.parametrize(
    "texts",
    [
        pytest.param([b"", b"1", b"x"], id="empty community"),
        pytest.param([COMMUNITY.encode(), b"", b"x"], id="empty household"),
        pytest.param([COMMUNITY.encode(), b"1", b"\xff"], id="invalid UTF-8"),
        pytest.param([COMMUNITY.encode(), b"1", b"\xc0\xaf"], id="overlong UTF-8"),
        pytest.param([COMMUNITY.encode(), b"1", b"\xed\xa0\x80"], id="UTF-8 surrogate"),
        pytest.param([COMMUNITY.encode(), b"1", b"a\x1bb"], id="ESC in name"),
        pytest.param([COMMUNITY.encode(), b"1", "a\u200bb".encode()], id="zero-width space"),
        pytest.param([COMMUNITY.encode(), b"1", "\u2066a".encode()], id="bidi isolate"),
        pytest.param([COMMUNITY.encode(), b"1", b"a\xc2\x85"], id="C1 NEL"),
        pytest.param([COMMUNITY.encode(), b"1 ", b"x"], id="trailing space"),
        pytest.param([b"bj cy", b"1", b"x"], id="space in community"),
        pytest.param([COMMUNITY.encode(), b"1", b"x" * 33], id="33-byte name"),
    ],
)
def test_malformed_signed_text_fields(texts: list[bytes]) -> None:
    _, payload, _ = split(issue())
    fixed = payload[:30]
    body = b"".join(bytes([len(t)]) + t for t in texts)
    assert _reason(sign_raw(fixed + body)) is PassRejection.MALFORMED


def test_unsupported_version() -> None:
    token = issue()
    rest = token[len("KP1") :]
    for prefix in ("KP2", "KP9", "KP10", "KP999"):
        assert _reason(prefix + rest) is PassRejection.UNSUPPORTED_VERSION
        assert _reason(prefix + ".anything") is PassRejection.UNSUPPORTED_VERSION
    for prefix in ("KP0", "KP01", "KP1000", "kp1", "KQ1", "KP", "XKP1"):
        assert _reason(prefix + rest) is PassRejection.MALFORMED


def test_version_and_algorithm_swap_attempts() -> None:
    _, payload, _ = split(issue())
    # A signature made under another version's prefix does not carry over to KP1.
    assert _reason(sign_raw(payload, signed_prefix="KP2")) is PassRejection.BAD_SIGNATURE
    assert _reason(sign_raw(payload, signed_prefix="")) is PassRejection.BAD_SIGNATURE
    # Nor does a signature over the bare payload bytes (no domain separation).
    assert _reason(join("KP1", payload, KEY_A.sign(payload))) is PassRejection.BAD_SIGNATURE
    # JWT-style alg confusion: HMAC keyed with the public key's bytes (too short, then padded).
    public_raw = KEY_A.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    message = f"KP1.{b32(payload)}".encode()
    mac = hmac.new(public_raw, message, hashlib.sha256).digest()
    assert _reason(join("KP1", payload, mac)) is PassRejection.MALFORMED
    assert _reason(join("KP1", payload, mac * 2)) is PassRejection.BAD_SIGNATURE
    mac512 = hmac.new(public_raw, message, hashlib.sha512).digest()
    assert _reason(join("KP1", payload, mac512)) is PassRejection.BAD_SIGNATURE
    # "none": empty, all-zero, and identity-point (R = neutral element, S = 0) signatures.
    assert _reason(f"KP1.{b32(payload)}.") is PassRejection.MALFORMED
    assert _reason(join("KP1", payload, bytes(64))) is PassRejection.BAD_SIGNATURE
    identity = (1).to_bytes(32, "little") + bytes(32)
    assert _reason(join("KP1", payload, identity)) is PassRejection.BAD_SIGNATURE


def test_malleated_signature_s_plus_l_is_refused() -> None:
    prefix, payload, sig = split(issue())
    s = int.from_bytes(sig[32:], "little")
    assert s + _L < 2**256
    malleated = sig[:32] + (s + _L).to_bytes(32, "little")
    assert _reason(join(prefix, payload, malleated)) is PassRejection.BAD_SIGNATURE


# ---------------------------------------------------------------- oversized, not ASCII


@pytest.mark.parametrize("size", [2049, 3 * 1024, 64 * 1024, 1024 * 1024])
def test_oversized(size: int) -> None:
    token = issue()
    padded = (token * (size // len(token) + 1))[:size]
    assert _reason(padded) is PassRejection.OVERSIZED
    assert _reason("A" * size) is PassRejection.OVERSIZED
    assert _reason("\x00" * size) is PassRejection.OVERSIZED  # size is checked first
    assert _reason("王" * size) is PassRejection.OVERSIZED


def test_exactly_the_size_limit_is_not_oversized() -> None:
    assert _reason("A" * MAX_TOKEN_CHARS) is PassRejection.MALFORMED
    assert _reason(issue() + "A" * (MAX_TOKEN_CHARS - len(issue()))) is PassRejection.MALFORMED


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param("\ud800", id="lone high surrogate"),
        pytest.param("\udfff", id="lone low surrogate"),
        pytest.param("\udc80", id="surrogateescape byte"),
        pytest.param("\x00", id="NUL"),
        pytest.param("\x01", id="SOH"),
        pytest.param("\t", id="TAB"),
        pytest.param("\n", id="LF"),
        pytest.param("\r", id="CR"),
        pytest.param("\x1b", id="ESC"),
        pytest.param("\x1f", id="US"),
        pytest.param("\x7f", id="DEL"),
        pytest.param("\x80", id="C1 PAD"),
        pytest.param("\x85", id="C1 NEL"),
        pytest.param("\x9b", id="C1 CSI"),
        pytest.param("\x9f", id="C1 APC"),
        pytest.param("\xa0", id="NBSP"),
        pytest.param("\xe9", id="latin-1 e-acute"),
        pytest.param("Ａ", id="full-width A"),
        pytest.param("．", id="full-width full stop"),
        pytest.param("\u200b", id="zero-width space"),
        pytest.param("\u202e", id="RTL override"),
        pytest.param("\ufeff", id="BOM"),
        pytest.param("王", id="hanzi"),
        pytest.param("\U0001f600", id="emoji"),
    ],
)
def test_not_ascii(bad: str) -> None:
    token = issue()
    for candidate in (bad + token, token + bad, token[:40] + bad + token[41:], bad):
        assert _reason(candidate) is PassRejection.NOT_ASCII


def test_full_width_spelling_of_a_valid_token() -> None:
    token = issue()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in token)
    assert _reason(full_width) is PassRejection.NOT_ASCII


# ---------------------------------------------------------------- payload codec


def test_decode_payload_rejects_junk_with_malformed_only() -> None:
    for junk in (b"", b"\x01", bytes(35), bytes(36), bytes(130), b"\xff" * 129):
        with pytest.raises(PassRejectedError) as info:
            decode_payload(junk)
        assert info.value.reason is PassRejection.MALFORMED


def test_encode_decode_round_trip() -> None:
    _, payload, _ = split(issue())
    assert encode_payload(decode_payload(payload)) == payload


# ---------------------------------------------------------------- one-time use


def _redeemer(ledger: InMemoryRedemptionLedger, kiosk: str, at: datetime = NOW) -> PassRedeemer:
    return PassRedeemer(verifier(at=at), ledger, kiosk_id=kiosk, clock=lambda: at)


def test_one_time_pass_is_redeemed_once() -> None:
    ledger = InMemoryRedemptionLedger()
    token = issue()
    first = _redeemer(ledger, "kiosk-1").redeem(token)
    assert first.use_number == 1
    assert first.verified.pass_id == split(token)[1][5:21]
    with pytest.raises(PassRejectedError) as info:
        _redeemer(ledger, "kiosk-1").redeem(token)
    assert info.value.reason is PassRejection.ALREADY_USED


def test_one_time_use_holds_across_kiosks_sharing_the_ledger() -> None:
    shared = InMemoryRedemptionLedger()
    token = issue()
    _redeemer(shared, "kiosk-1").redeem(token)
    with pytest.raises(PassRejectedError) as info:
        _redeemer(shared, "kiosk-2", NOW + timedelta(minutes=1)).redeem(token)
    assert info.value.reason is PassRejection.ALREADY_USED
    assert [(r[1], r[2], r[3]) for r in shared.records] == [(1, "kiosk-1", NOW)]


def test_two_use_pass() -> None:
    ledger = InMemoryRedemptionLedger()
    token = issue(uses_allowed=2)
    assert _redeemer(ledger, "kiosk-1").redeem(token).use_number == 1
    assert _redeemer(ledger, "kiosk-2").redeem(token).use_number == 2
    with pytest.raises(PassRejectedError) as info:
        _redeemer(ledger, "kiosk-1").redeem(token)
    assert info.value.reason is PassRejection.ALREADY_USED
    assert len(ledger.records) == 2


def test_passes_have_separate_counts() -> None:
    ledger = InMemoryRedemptionLedger()
    for _ in range(3):
        assert _redeemer(ledger, "kiosk-1").redeem(issue()).use_number == 1


def test_rejected_pass_uses_nothing() -> None:
    ledger = InMemoryRedemptionLedger()
    token = issue(valid_until=NOW + timedelta(hours=1))
    with pytest.raises(PassRejectedError):
        _redeemer(ledger, "kiosk-1", NOW + timedelta(hours=2)).redeem(token)
    with pytest.raises(PassRejectedError):
        _redeemer(ledger, "kiosk-1").redeem(token[:-1] + ("Q" if token[-1] != "Q" else "Y"))
    assert ledger.records == []
    assert _redeemer(ledger, "kiosk-1").redeem(token).use_number == 1


def test_concurrent_redemptions_admit_exactly_the_allowed_number() -> None:
    ledger = InMemoryRedemptionLedger()
    token = issue(uses_allowed=3)
    results: list[object] = []
    barrier = threading.Barrier(12)

    def scan(kiosk: str) -> None:
        redeemer = _redeemer(ledger, kiosk)
        barrier.wait()
        try:
            results.append(redeemer.redeem(token).use_number)
        except PassRejectedError as exc:
            results.append(exc.reason)

    threads = [threading.Thread(target=scan, args=(f"kiosk-{i}",)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r for r in results if isinstance(r, int)) == [1, 2, 3]
    assert results.count(PassRejection.ALREADY_USED) == 9


def test_ledger_errors_are_not_pass_rejections() -> None:
    class BrokenLedger:
        def redeem(self, pass_id: bytes, uses_allowed: int, *, kiosk_id: str, at: datetime) -> int:
            raise ConnectionError("station database unreachable")

    redeemer = PassRedeemer(verifier(), BrokenLedger(), kiosk_id="k", clock=lambda: NOW)
    with pytest.raises(ConnectionError):
        redeemer.redeem(issue())


def test_in_memory_ledger_contract() -> None:
    ledger = InMemoryRedemptionLedger()
    pid = bytes(16)
    assert ledger.redeem(pid, 1, kiosk_id="k", at=NOW) == 1
    with pytest.raises(AlreadyUsedError) as info:
        ledger.redeem(pid, 1, kiosk_id="k", at=NOW)
    assert info.value.uses_so_far == 1
    assert len(ledger.records) == 1


# ---------------------------------------------------------------- verifier set-up


def test_verifier_needs_keys_and_distinct_key_ids() -> None:
    with pytest.raises(ValueError, match="at least one"):
        PassVerifier([], community_id=COMMUNITY)
    with pytest.raises(ValueError, match="share the key id"):
        PassVerifier([KEY_A.public_key(), KEY_A.public_key()], community_id=COMMUNITY)
    with pytest.raises(ValueError, match="community"):
        PassVerifier([KEY_A.public_key()], community_id="bad id")
    assert verifier().key_ids == {key_id(KEY_A.public_key()), key_id(KEY_B.public_key())}


# ---------------------------------------------------------------- key files


def test_generate_and_load_keypair(tmp_path: Path) -> None:
    private, public = tmp_path / "signer" / "pass.key", tmp_path / "pass.pub"
    pub = generate_keypair(private, public)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(public.stat().st_mode) == 0o644
    assert stat.S_IMODE(private.parent.stat().st_mode) & 0o077 == 0
    assert b"PRIVATE KEY" not in public.read_bytes()
    key = load_private_key(private)
    assert key_id(key.public_key()) == key_id(pub) == key_id(load_public_key(public))
    token = signer(key).issue(
        community_id=COMMUNITY, household="1", visitor_name="x", valid_until=NOW + timedelta(1)
    )
    v = PassVerifier(load_public_keys([public]), community_id=COMMUNITY, clock=lambda: NOW)
    assert v.verify(token).household == "1"


def test_generate_keypair_never_overwrites(tmp_path: Path) -> None:
    private, public = tmp_path / "pass.key", tmp_path / "pass.pub"
    generate_keypair(private, public)
    before = private.read_bytes()
    with pytest.raises(PassKeyError, match="exists"):
        generate_keypair(private, tmp_path / "other.pub")
    with pytest.raises(PassKeyError, match="exists"):
        generate_keypair(tmp_path / "other.key", public)
    with pytest.raises(PassKeyError, match="differ"):
        generate_keypair(tmp_path / "same", tmp_path / "same")
    assert private.read_bytes() == before
    assert not (tmp_path / "other.key").exists()


def test_private_key_with_passphrase(tmp_path: Path) -> None:
    private, public = tmp_path / "pass.key", tmp_path / "pass.pub"
    generate_keypair(private, public, passphrase=b"correct horse")
    assert b"ENCRYPTED" in private.read_bytes()
    load_private_key(private, passphrase=b"correct horse")
    with pytest.raises(PassKeyError):
        load_private_key(private, passphrase=b"wrong")
    with pytest.raises(PassKeyError):
        load_private_key(private)


def test_private_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    private, public = tmp_path / "pass.key", tmp_path / "pass.pub"
    generate_keypair(private, public)
    private.chmod(0o644)
    with pytest.raises(PassKeyError, match="chmod 600"):
        load_private_key(private)


def test_kiosk_refuses_a_private_key_as_public_key(tmp_path: Path) -> None:
    private, public = tmp_path / "pass.key", tmp_path / "pass.pub"
    generate_keypair(private, public)
    with pytest.raises(PassKeyError, match="public key only"):
        load_public_key(private)


def test_key_loading_errors(tmp_path: Path) -> None:
    with pytest.raises(PassKeyError, match="cannot read"):
        load_public_key(tmp_path / "missing.pub")
    junk = tmp_path / "junk.pub"
    junk.write_text("not a key")
    with pytest.raises(PassKeyError, match="not a usable"):
        load_public_key(junk)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_pub = tmp_path / "ec.pub"
    ec_pub.write_bytes(
        ec_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    with pytest.raises(PassKeyError, match="not an Ed25519"):
        load_public_key(ec_pub)
    ec_priv = tmp_path / "ec.key"
    ec_priv.write_bytes(
        ec_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    ec_priv.chmod(0o600)
    with pytest.raises(PassKeyError, match="not an Ed25519"):
        load_private_key(ec_priv)
