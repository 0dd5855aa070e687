"""Property tests: mutated pass tokens never verify (RELIABILITY 12, 15).

Seven mutation families, each a Hypothesis test running :data:`EXAMPLES` examples. An
example takes a base token and applies a chain of :data:`CHAIN` mutations of its family,
verifying the text after every step (15,600 candidates a family, 109,200 in all). Each test
counts the candidates that really differ from every base token (a chain may undo itself)
and asserts at least :data:`PER_FAMILY` of them, so the file checks at least
:data:`TOTAL_MUTATIONS` (100,000) genuine mutations.

The oracle: a candidate may verify only if it is byte-identical to one of the valid tokens
of :data:`VALID`; anything else must raise :class:`PassRejectedError` and nothing else.
Bases include tokens that must never verify (unknown key, other community, expired), so
mutations of them are covered too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import timedelta
from typing import Final

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.security.passes import (
    PassContent,
    PassRejectedError,
    PassRejection,
    decode_payload,
    encode_payload,
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

EXAMPLES: Final = 3_900
CHAIN: Final = 4
FAMILIES: Final = 7
TOTAL_MUTATIONS: Final = 100_000
# A chain can undo itself (flip a bit twice, splice at the same offset): such candidates are
# checked too but not counted, so every family must reach its share of real mutations.
PER_FAMILY: Final = -(-TOTAL_MUTATIONS // FAMILIES)

POOL: Final = (
    issue(KEY_A),
    issue(KEY_A, visitor_name="Li Ming", household="12-3-1502", uses_allowed=2),
    issue(KEY_A, visitor_name="阿依古丽·买买提", household="7栋1单元302", uses_allowed=255),
    issue(KEY_B, visitor_name="欧阳娜娜", valid_until=NOW + timedelta(days=30)),
    issue(KEY_B, visitor_name="x", household="1"),
)
VALID: Final = frozenset(POOL)
NEVER_VALID: Final = (
    issue(KEY_OTHER),
    issue(KEY_A, community_id="sh-pd-0001"),
    signer(KEY_A, at=NOW - timedelta(days=2)).issue(
        community_id=COMMUNITY,
        household="3-2-501",
        visitor_name="王小明",
        valid_until=NOW - timedelta(days=1),
    ),
)
BASES: Final = POOL + NEVER_VALID
_BASE_SET: Final = frozenset(BASES)
VERIFIER: Final = verifier()

BASE32: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_SETTINGS: Final = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Characters a mutation may introduce: the token alphabet (stays "well-formed" and reaches
# the canonical-base32 and signature checks), near misses, and hostile text.
_NEAR_MISSES: Final = ".=-_+/ 0189abcxyzKP"
_HOSTILE: Final = ["\x00", "\x1b", "\x7f", "\x85", "\x9b", "\ud800", "\udfff", "Ａ", "．", "\u202e"]
CHARS: Final = st.one_of(
    st.sampled_from(BASE32),
    st.sampled_from(_NEAR_MISSES),
    st.sampled_from(_HOSTILE),
    st.characters(),
)
POS: Final = st.integers(0, 4095)


def _checker() -> tuple[Callable[[str], None], list[int]]:
    """``check(candidate)`` and ``[number of candidates that differ from every base]``."""
    count = [0]

    def check(candidate: str) -> None:
        if candidate not in _BASE_SET:
            count[0] += 1
        try:
            VERIFIER.verify(candidate)
        except PassRejectedError:
            return
        assert candidate in VALID, f"a mutated token verified: {candidate!r}"

    return check, count


def _run_chain(base: str, ops: list[Callable[[str], str]], check: Callable[[str], None]) -> None:
    current = base
    for op in ops:
        current = op(current)
        check(current)


def _at(pos: int, text: str) -> int:
    return pos % (len(text) + 1)


# ---------------------------------------------------------------- text-level families


def _flip(pos: int, mask: int) -> Callable[[str], str]:
    def op(t: str) -> str:
        if not t:
            return chr(mask)
        i = pos % len(t)
        return t[:i] + chr((ord(t[i]) ^ mask) or mask) + t[i + 1 :]

    return op


def _insert(pos: int, chars: str) -> Callable[[str], str]:
    return lambda t: t[: _at(pos, t)] + chars + t[_at(pos, t) :]


def _delete(pos: int, n: int) -> Callable[[str], str]:
    return lambda t: t[: _at(pos, t)] + t[_at(pos, t) + n :]


def _truncate_or_extend(pos: int, kind: int) -> Callable[[str], str]:
    def op(t: str) -> str:
        i = _at(pos, t)
        if kind == 0:
            return t[:i]  # keep a prefix
        if kind == 1:
            return t[i:]  # keep a suffix
        if kind == 2:
            return t + t[i:]  # repeat a tail
        return t[:i] + t[i:] + t[: i % 9]  # append a few leading characters

    return op


def _substitute(pos: int, char: str) -> Callable[[str], str]:
    def op(t: str) -> str:
        if not t:
            return char
        i = pos % len(t)
        return t[:i] + char + t[i + 1 :]

    return op


def _splice(other: int, i: int, j: int, kind: int) -> Callable[[str], str]:
    def op(t: str) -> str:
        o = BASES[other]
        if kind == 0:
            return t[: _at(i, t)] + o[_at(j, o) :]
        if kind == 1:
            return o[: _at(j, o)] + t[_at(i, t) :]
        # Swap whole parts at the dots, if any.
        mine, theirs = t.split("."), o.split(".")
        k = i % max(len(mine), 1)
        if k < len(theirs):
            mine[k] = theirs[k]
        return ".".join(mine)

    return op


@pytest.mark.slow
def test_byte_flips() -> None:
    check, count = _checker()
    ops = st.builds(_flip, POS, st.integers(1, 255))

    @_SETTINGS
    @given(st.sampled_from(BASES), st.lists(ops, min_size=CHAIN, max_size=CHAIN))
    def run(base: str, chain: list[Callable[[str], str]]) -> None:
        _run_chain(base, chain, check)

    run()
    assert count[0] >= PER_FAMILY


@pytest.mark.slow
def test_insertions() -> None:
    check, count = _checker()
    ops = st.builds(_insert, POS, st.text(CHARS, min_size=1, max_size=3))

    @_SETTINGS
    @given(st.sampled_from(BASES), st.lists(ops, min_size=CHAIN, max_size=CHAIN))
    def run(base: str, chain: list[Callable[[str], str]]) -> None:
        _run_chain(base, chain, check)

    run()
    assert count[0] >= PER_FAMILY


@pytest.mark.slow
def test_deletions() -> None:
    check, count = _checker()
    ops = st.builds(_delete, POS, st.integers(1, 8))

    @_SETTINGS
    @given(st.sampled_from(BASES), st.lists(ops, min_size=CHAIN, max_size=CHAIN))
    def run(base: str, chain: list[Callable[[str], str]]) -> None:
        _run_chain(base, chain, check)

    run()
    assert count[0] >= PER_FAMILY


@pytest.mark.slow
def test_truncations_and_extensions() -> None:
    check, count = _checker()
    ops = st.builds(_truncate_or_extend, POS, st.integers(0, 3))

    @_SETTINGS
    @given(st.sampled_from(BASES), st.lists(ops, min_size=CHAIN, max_size=CHAIN))
    def run(base: str, chain: list[Callable[[str], str]]) -> None:
        _run_chain(base, chain, check)

    run()
    assert count[0] >= PER_FAMILY


@pytest.mark.slow
def test_character_substitutions() -> None:
    check, count = _checker()
    ops = st.builds(_substitute, POS, CHARS)

    @_SETTINGS
    @given(st.sampled_from(BASES), st.lists(ops, min_size=CHAIN, max_size=CHAIN))
    def run(base: str, chain: list[Callable[[str], str]]) -> None:
        _run_chain(base, chain, check)

    run()
    assert count[0] >= PER_FAMILY


@pytest.mark.slow
def test_splices_of_two_tokens() -> None:
    check, count = _checker()
    ops = st.builds(_splice, st.integers(0, len(BASES) - 1), POS, POS, st.integers(0, 2))

    @_SETTINGS
    @given(st.sampled_from(BASES), st.lists(ops, min_size=CHAIN, max_size=CHAIN))
    def run(base: str, chain: list[Callable[[str], str]]) -> None:
        _run_chain(base, chain, check)

    run()
    assert count[0] >= PER_FAMILY


# ---------------------------------------------------------------- decoded-level family
# Mutating the bytes under the base32 and re-encoding canonically gets every candidate past
# the text checks, to the key lookup and the Ed25519 verification.


def _byte_op(
    part: int, kind: int, pos: int, value: int, other: int
) -> Callable[[tuple[bytes, bytes]], tuple[bytes, bytes]]:
    def op(parts: tuple[bytes, bytes]) -> tuple[bytes, bytes]:
        raw = bytearray(parts[part])
        i = pos % (len(raw) + 1)
        if kind == 0 and raw:
            raw[i % len(raw)] ^= 1 << (value % 8)  # bit flip
        elif kind == 1 and raw:
            raw[i % len(raw)] = value  # byte set
        elif kind == 2:
            raw[i:i] = bytes([value])  # byte insertion
        elif kind == 3:
            del raw[i : i + 1 + value % 4]  # deletion
        elif kind == 4:
            del raw[i:]  # truncation
        else:
            _, payload, sig = split(BASES[other % len(BASES)])
            raw = bytearray((payload, sig)[part])  # swap in another token's part
        new = bytes(raw)
        return (new, parts[1]) if part == 0 else (parts[0], new)

    return op


@pytest.mark.slow
def test_decoded_byte_mutations() -> None:
    check, count = _checker()
    ops = st.builds(
        _byte_op,
        st.integers(0, 1),
        st.integers(0, 5),
        POS,
        st.integers(0, 255),
        st.integers(0, len(BASES) - 1),
    )

    @_SETTINGS
    @given(st.sampled_from(BASES), st.lists(ops, min_size=CHAIN, max_size=CHAIN))
    def run(base: str, chain: list[Callable[[tuple[bytes, bytes]], tuple[bytes, bytes]]]) -> None:
        _, payload, sig = split(base)
        parts = (payload, sig)
        for op in chain:
            parts = op(parts)
            check(f"KP1.{b32(parts[0])}.{b32(parts[1])}")

    run()
    assert count[0] >= PER_FAMILY


# ---------------------------------------------------------------- the payload parser alone


_PAYLOADS: Final = [split(t)[1] for t in BASES]


@settings(max_examples=2_000, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=160),
        st.builds(lambda tail: b"\x01" + tail, st.binary(min_size=29, max_size=140)),
        st.builds(
            lambda i, pos, value, cut: (
                _PAYLOADS[i][: pos % 130] + bytes([value]) + _PAYLOADS[i][pos % 130 + cut :]
            ),
            st.integers(0, len(_PAYLOADS) - 1),
            POS,
            st.integers(0, 255),
            st.integers(0, 2),
        ),
    )
)
def test_payload_parser_is_canonical(payload: bytes) -> None:
    """Any bytes: MALFORMED, or a content that encodes back to exactly these bytes."""
    try:
        content = decode_payload(payload)
    except PassRejectedError as exc:
        reason = exc.reason
    else:
        assert encode_payload(content) == payload
        return
    assert reason is PassRejection.MALFORMED


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_NAME_TEXT: Final = st.text(
    st.characters(categories=("L", "M", "N", "P", "S", "Zs")), min_size=1, max_size=10
).filter(lambda s: _nfc(s) == _nfc(s).strip() and len(_nfc(s).encode()) <= 32)


@settings(max_examples=300, deadline=None)
@given(
    household=_NAME_TEXT,
    visitor=_NAME_TEXT,
    uses=st.integers(1, 255),
    hours=st.integers(1, 24 * 365),
    use_b=st.booleans(),
)
def test_any_valid_fields_round_trip(
    household: str, visitor: str, uses: int, hours: int, use_b: bool
) -> None:
    token = issue(
        KEY_B if use_b else KEY_A,
        household=household,
        visitor_name=visitor,
        uses_allowed=uses,
        valid_until=NOW + timedelta(hours=hours),
    )
    p = VERIFIER.verify(token)
    assert p.household == _nfc(household)
    assert p.visitor_name == _nfc(visitor)
    assert p.uses_allowed == uses
    assert p.valid_until == NOW + timedelta(hours=hours)
    content = PassContent(
        key_id=p.key_id,
        pass_id=p.pass_id,
        community_id=p.community_id,
        household=p.household,
        visitor_name=p.visitor_name,
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        uses_allowed=p.uses_allowed,
    )
    assert b32(encode_payload(content)) == token.split(".")[1]
    assert unb32(token.split(".")[1]) == encode_payload(content)
