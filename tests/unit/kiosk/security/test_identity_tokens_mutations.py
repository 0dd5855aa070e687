"""Property tests: mutated identity codes never verify, as either kind.

Four mutation families (byte flips, truncations, insertions, case changes), each a Hypothesis
test of :data:`EXAMPLES` examples. An example takes a base token and applies a chain of
:data:`CHAIN` mutations of its family, checking the text after every step. Half of each
family's operations work on the text, half on the bytes under the base32 (re-encoded
canonically, so they get past the text checks to the key lookup and Ed25519). Each test counts
the candidates that differ from every base token (a chain can undo itself) and asserts at
least :data:`PER_FAMILY`, so the file checks at least :data:`TOTAL_MUTATIONS` (20,000) genuine
mutations.

The oracle: every candidate is verified as a resident code *and* as a volunteer code; it may
be accepted only as the kind it was issued as and only if it is byte-identical to one of the
valid tokens of that kind. Anything else must raise :class:`IdentityRejectedError` and
nothing else. Bases include codes that must never verify (unknown key, other community,
expired) and a visitor pass.

A last property signs arbitrary payload bytes with a trusted key: the field parser must
refuse them or return a claim that re-encodes to exactly those bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from datetime import timedelta
from typing import Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.security.identity_tokens import (
    IdentityKind,
    IdentityRejectedError,
    IdentityRejection,
)
from kiosk.security.passes import key_id
from tests.unit.kiosk.security.identities import (
    KIND_BYTE,
    PREFIX,
    RESIDENT,
    VOLUNTEER,
    build_payload,
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
    split,
)

EXAMPLES: Final = 1_600
CHAIN: Final = 4
FAMILIES: Final = 4
TOTAL_MUTATIONS: Final = 20_000
PER_FAMILY: Final = -(-TOTAL_MUTATIONS // FAMILIES)

VALID: Final = {
    RESIDENT: (
        issue_identity(RESIDENT),
        issue_identity(RESIDENT, 1, key=KEY_B, valid_for=timedelta(minutes=15)),
        issue_identity(RESIDENT, 2**32 - 1, at=NOW - timedelta(minutes=4)),
    ),
    VOLUNTEER: (
        issue_identity(VOLUNTEER),
        issue_identity(VOLUNTEER, 42, key=KEY_B, valid_for=timedelta(seconds=90)),
    ),
}
_VALID_SETS: Final = {kind: frozenset(tokens) for kind, tokens in VALID.items()}
NEVER_VALID: Final = (
    issue_identity(RESIDENT, key=KEY_OTHER),
    issue_identity(VOLUNTEER, community_id="sh-pd-0001"),
    issue_identity(RESIDENT, at=NOW - timedelta(hours=1)),
    issue(KEY_A),  # a visitor pass
)
BASES: Final = (*VALID[RESIDENT], *VALID[VOLUNTEER], *NEVER_VALID)
_BASE_SET: Final = frozenset(BASES)
VERIFIER: Final = id_verifier()

BASE32: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_NEAR_MISSES: Final = ".=-_+/ 0189abcxyzKRVP"
_HOSTILE: Final = ["\x00", "\x1b", "\x7f", "\x85", "\ud800", "Ａ", "．", "\u202e"]
CHARS: Final = st.one_of(
    st.sampled_from(BASE32),
    st.sampled_from(_NEAR_MISSES),
    st.sampled_from(_HOSTILE),
    st.characters(),
)
POS: Final = st.integers(0, 1023)
_SETTINGS: Final = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Op = Callable[[str], str]


def _checker() -> tuple[Callable[[str], None], list[int]]:
    """``check(candidate)`` and ``[number of candidates that differ from every base]``."""
    count = [0]

    def check(candidate: str) -> None:
        if candidate not in _BASE_SET:
            count[0] += 1
        for kind in IdentityKind:
            try:
                claim = VERIFIER.verify(candidate, expected=kind)
            except IdentityRejectedError:
                continue
            assert candidate in _VALID_SETS[kind], f"a mutated code verified: {candidate!r}"
            assert claim.kind is kind

    return check, count


def _run_family(ops: st.SearchStrategy[Op]) -> None:
    check, count = _checker()

    @_SETTINGS
    @given(st.sampled_from(BASES), st.lists(ops, min_size=CHAIN, max_size=CHAIN))
    def run(base: str, chain: list[Op]) -> None:
        current = base
        for op in chain:
            current = op(current)
            check(current)

    run()
    assert count[0] >= PER_FAMILY


def _at(pos: int, text: str) -> int:
    return pos % (len(text) + 1)


def _on_bytes(part: int, edit: Callable[[bytearray], None]) -> Op:
    """Apply ``edit`` to the payload (0) or signature (1) bytes and re-encode canonically.

    A text that no longer has three base32 parts is left as it is (the chain goes on).
    """

    def op(t: str) -> str:
        parts = t.split(".")
        if len(parts) != 3:
            return t
        try:
            _, payload, signature = split(t)
        except ValueError:  # not base32 any more (binascii.Error is a ValueError)
            return t
        raw = bytearray((payload, signature)[part])
        edit(raw)
        parts[1 + part] = b32(bytes(raw))
        return ".".join(parts)

    return op


# ---------------------------------------------------------------- byte flips


def _flip_char(pos: int, mask: int) -> Op:
    def op(t: str) -> str:
        if not t:
            return chr(mask)
        i = pos % len(t)
        return t[:i] + chr((ord(t[i]) ^ mask) or mask) + t[i + 1 :]

    return op


def _flip_symbol_bit(pos: int, bit: int, from_end: bool) -> Op:
    """Flip a bit of a base32 character's 5-bit value, so the text stays in the alphabet.

    ``from_end`` counts ``pos`` from the end: with small values it reaches the signature's
    last character, whose 3 low bits are unused and must be zero (canonical spelling).
    """

    def op(t: str) -> str:
        if not t:
            return t
        i = len(t) - 1 - pos % len(t) if from_end else pos % len(t)
        if t[i] not in BASE32:
            return t
        return t[:i] + BASE32[BASE32.index(t[i]) ^ (1 << bit)] + t[i + 1 :]

    return op


def _flip_bit(part: int, pos: int, bit: int) -> Op:
    def edit(raw: bytearray) -> None:
        if raw:
            raw[pos % len(raw)] ^= 1 << bit

    return _on_bytes(part, edit)


@pytest.mark.slow
def test_byte_flips() -> None:
    _run_family(
        st.one_of(
            st.builds(_flip_char, POS, st.integers(1, 255)),
            st.builds(_flip_symbol_bit, POS, st.integers(0, 4), st.just(False)),
            st.builds(_flip_symbol_bit, st.integers(0, 2), st.integers(0, 4), st.just(True)),
            st.builds(_flip_bit, st.integers(0, 1), POS, st.integers(0, 7)),
        )
    )


# ---------------------------------------------------------------- truncations


def _truncate_text(pos: int, kind: int) -> Op:
    def op(t: str) -> str:
        i = _at(pos, t)
        if kind == 0:
            return t[:i]  # keep a prefix
        if kind == 1:
            return t[i:]  # keep a suffix
        return t[:i] + t[i + 1 + pos % 7 :]  # cut a piece out

    return op


def _truncate_bytes(part: int, pos: int, keep_tail: bool) -> Op:
    def edit(raw: bytearray) -> None:
        i = pos % (len(raw) + 1)
        if keep_tail:
            del raw[:i]
        else:
            del raw[i:]

    return _on_bytes(part, edit)


@pytest.mark.slow
def test_truncations() -> None:
    _run_family(
        st.one_of(
            st.builds(_truncate_text, POS, st.integers(0, 2)),
            st.builds(_truncate_bytes, st.integers(0, 1), POS, st.booleans()),
        )
    )


# ---------------------------------------------------------------- insertions


def _insert_text(pos: int, chars: str) -> Op:
    return lambda t: t[: _at(pos, t)] + chars + t[_at(pos, t) :]


def _insert_bytes(part: int, pos: int, data: bytes) -> Op:
    def edit(raw: bytearray) -> None:
        i = pos % (len(raw) + 1)
        raw[i:i] = data

    return _on_bytes(part, edit)


@pytest.mark.slow
def test_insertions() -> None:
    _run_family(
        st.one_of(
            st.builds(_insert_text, POS, st.text(CHARS, min_size=1, max_size=3)),
            st.builds(_insert_bytes, st.integers(0, 1), POS, st.binary(min_size=1, max_size=3)),
        )
    )


# ---------------------------------------------------------------- case changes


def _swap_case(pos: int, span: int) -> Op:
    """Swap the case of ``span`` characters from the first letter at or after ``pos``."""

    def op(t: str) -> str:
        letters = [i for i, ch in enumerate(t) if ch.isalpha()]
        if not letters:
            return t.swapcase() or "k"
        start = letters[pos % len(letters)]
        return t[:start] + t[start : start + span].swapcase() + t[start + span :]

    return op


def _whole_case(kind: int) -> Op:
    # Not str.upper: on a lowered token it gives the original back.
    return (str.lower, str.swapcase, str.title, str.capitalize)[kind]


def _part_lower(part: int) -> Op:
    def op(t: str) -> str:
        parts = t.split(".")
        k = part % len(parts)
        parts[k] = parts[k].lower()
        return ".".join(parts)

    return op


@pytest.mark.slow
def test_case_changes() -> None:
    _run_family(
        st.one_of(
            st.builds(_swap_case, POS, st.integers(1, 4)),
            st.builds(_swap_case, POS, st.just(1)),
            st.builds(_whole_case, st.integers(0, 3)),
            st.builds(_part_lower, st.integers(0, 2)),
        )
    )


# ---------------------------------------------------------------- the field parser


_ALLOWED_FOR_SIGNED: Final = frozenset(
    {
        IdentityRejection.MALFORMED,
        IdentityRejection.WRONG_KEY,
        IdentityRejection.OTHER_COMMUNITY,
        IdentityRejection.NOT_YET_VALID,
        IdentityRejection.EXPIRED,
    }
)
_T0: Final = int(NOW.timestamp())
_VALID_PAYLOADS: Final = [split(t)[1] for t in (*VALID[RESIDENT], *VALID[VOLUNTEER])]


def _reencode(kind: IdentityKind, claim_fields: tuple[bytes, int, int, int, str]) -> bytes:
    kid, subject, issued, expires, community = claim_fields
    raw = community.encode("ascii")
    head = struct.pack(">B4sBIIIB", 1, kid, KIND_BYTE[kind], subject, issued, expires, len(raw))
    return head + raw


@settings(max_examples=1_500, deadline=None)
@given(
    kind=st.sampled_from(list(IdentityKind)),
    payload=st.one_of(
        st.binary(max_size=60),
        st.builds(
            lambda tail, kind_byte: build_payload(kind_byte=kind_byte)[:6] + tail,
            st.binary(min_size=14, max_size=50),
            st.integers(1, 2),
        ),
        st.builds(
            lambda i, pos, value, cut: (
                _VALID_PAYLOADS[i][: pos % 52]
                + bytes([value])
                + _VALID_PAYLOADS[i][pos % 52 + cut :]
            ),
            st.integers(0, len(_VALID_PAYLOADS) - 1),
            POS,
            st.integers(0, 255),
            st.integers(0, 2),
        ),
        st.builds(
            lambda subject, issued, validity, community, length, key: build_payload(
                key=key,
                subject=subject,
                issued=_T0 + issued,
                expires=_T0 + issued + validity,
                community=community,
                length=length,
            ),
            st.integers(0, 2**16),
            st.integers(-1200, 1200),
            st.integers(-5, 1000),
            st.one_of(st.just(COMMUNITY.encode()), st.binary(min_size=0, max_size=33)),
            st.one_of(st.none(), st.integers(0, 40)),  # None: the true length
            st.sampled_from([KEY_A, KEY_B, KEY_OTHER]),
        ),
    ),
)
def test_signed_payloads_are_refused_or_canonical(kind: IdentityKind, payload: bytes) -> None:
    """Any genuinely signed bytes: refused for a reason other than the text or the signature,
    or a claim that re-encodes to exactly those bytes, within the format's limits and the
    kiosk's window."""
    # Structured payloads carry kind byte 1; re-label them so both kinds get exercised.
    if len(payload) > 5 and payload[5] in (1, 2):
        payload = payload[:5] + bytes([KIND_BYTE[kind]]) + payload[6:]
    # Signed by the trusted key the payload names, if any (else by key A).
    key = KEY_B if payload[1:5] == key_id(KEY_B.public_key()) else KEY_A
    token = sign_payload(payload, prefix=PREFIX[kind], key=key)
    reason: IdentityRejection | None
    try:
        claim = VERIFIER.verify(token, expected=kind)
    except IdentityRejectedError as exc:
        reason = exc.reason
    else:
        reason = None
    if reason is not None:
        assert reason in _ALLOWED_FOR_SIGNED, reason
        return
    issued, expires = int(claim.issued_at.timestamp()), int(claim.expires_at.timestamp())
    fields = (claim.key_id, claim.subject_id, issued, expires, claim.community_id)
    assert _reencode(kind, fields) == payload
    assert claim.subject_id >= 1
    assert 0 < expires - issued <= 900
    assert claim.community_id == COMMUNITY
    assert issued - 60 < NOW.timestamp() < expires + 60
