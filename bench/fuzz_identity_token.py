"""Fuzz target for the resident/volunteer identity-code verifier (RELIABILITY 12, 15, 16).

The identity-code counterpart of ``bench/fuzz_pass_token.py``; run it the same two ways:

* **Atheris (libFuzzer)**, coverage-guided, when ``atheris`` is installed::

      python bench/fuzz_identity_token.py [libFuzzer flags] [CORPUS_DIR ...]
      python bench/fuzz_identity_token.py -max_total_time=3600 -rss_limit_mb=1024 corpus/

  Without a corpus directory a temporary one is seeded with valid codes and their payloads.
  ``--write-corpus DIR`` only writes the seeds.

* **Quick mode**, no atheris needed: random mutations of valid codes (flips, insertions,
  deletions, truncations, case changes, splices, byte-level edits under the base32) plus
  oversized and hostile input, timing every ``verify`` call::

      python bench/fuzz_identity_token.py --quick 200000 [--seed S]
      python bench/fuzz_identity_token.py --seconds 60

  Prints executions, executions/s, verify latency p50/p99/p99.9/max overall and per outcome
  (target: p99 ≤ 10 ms, RELIABILITY 15), and the RSS before and after. Exits 1 if a code
  that was never issued verified, a code verified as the other kind, or any exception other
  than ``IdentityRejectedError`` escaped.

Each input is checked three ways: the bytes as Latin-1 text (every byte a character, so C0/C1
controls and NUL reach the verifier), the bytes as UTF-8 with ``surrogateescape``, and the
bytes as a *payload* the harness signs under both prefixes with the trusted key it names
(else with the first). A fuzzer
cannot forge a signature, so the last way is how it reaches the field parser behind it: a
genuinely signed payload must be refused for a reason other than text or signature, or give a
claim that this harness re-encodes (with its own ``struct`` code) to exactly those bytes.
Every text is verified as a resident and as a volunteer code: at most the kind it was issued
as may accept it, and only if it is byte-identical to an issued code.
"""

from __future__ import annotations

import hashlib
import importlib
import random
import struct
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench import _fuzz

NOW = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
COMMUNITY = "bj-cy-0012"
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
NEAR_MISSES = ".=-_+/ 0189abcxyzKRVP"
HOSTILE = ["\x00", "\x1b", "\x7f", "\x85", "\x9b", "\ud800", "\udfff", "Ａ", "．", "\u202e"]
PREFIXES = {"resident": "KR1", "volunteer": "KV1"}
KIND_BYTES = {"resident": 1, "volunteer": 2}
MAX_PAYLOAD_FUZZ = 64  # longer payloads are only refused by length


def _key(label: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


_b32 = _fuzz.b32
_unb32 = _fuzz.unb32


class Target:
    """The verifier under test, its valid codes and the oracle."""

    def __init__(self, ids: Any, passes: Any) -> None:
        self.ids = ids
        self.kinds = list(ids.IdentityKind)
        key_a, key_b, key_x = _key("fuzz key A"), _key("fuzz key B"), _key("fuzz key X")
        # Who signs a fuzzed payload: the trusted key it names, else key A.
        self.signers = {passes.key_id(k.public_key()): k for k in (key_a, key_b)}
        self.key_a = key_a

        def issue(kind: str, subject: int, key: Ed25519PrivateKey = key_a, **kw: Any) -> str:
            at = kw.pop("at", NOW)
            signer = ids.IdentitySigner(key, clock=lambda: at)
            token: str = signer.issue(ids.IdentityKind(kind), subject, COMMUNITY, **kw)
            return token

        self.valid = {
            ids.IdentityKind.RESIDENT: frozenset(
                {
                    issue("resident", 1234),
                    issue("resident", 2**32 - 1, key_b, valid_for=timedelta(minutes=15)),
                }
            ),
            ids.IdentityKind.VOLUNTEER: frozenset(
                {
                    issue("volunteer", 42),
                    issue("volunteer", 7, key_b, at=NOW - timedelta(minutes=3)),
                }
            ),
        }
        a_pass = passes.PassSigner(key_a, clock=lambda: NOW).issue(
            community_id=COMMUNITY,
            household="3-2-501",
            visitor_name="王小明",
            valid_until=NOW + timedelta(hours=3),
        )
        self.never_valid = (
            issue("resident", 1234, key_x),
            issue("volunteer", 42, at=NOW - timedelta(hours=1)),
            ids.IdentitySigner(key_a, clock=lambda: NOW).issue(
                ids.IdentityKind.RESIDENT, 5, "sh-pd-0001"
            ),
            a_pass,
        )
        self.bases = (*sorted(self.valid[self.kinds[0]]), *sorted(self.valid[self.kinds[1]]))
        self.bases += self.never_valid
        self.verifier = ids.IdentityVerifier(
            [key_a.public_key(), key_b.public_key()], community_id=COMMUNITY, clock=lambda: NOW
        )
        self.allowed_for_signed = frozenset(
            ids.IdentityRejection[name]
            for name in ("MALFORMED", "WRONG_KEY", "OTHER_COMMUNITY", "NOT_YET_VALID", "EXPIRED")
        )

    def check_text(self, text: str) -> str:
        """Verify ``text`` as both kinds; return the outcome for the kind its prefix claims
        (resident if none); raise AssertionError on a broken oracle."""
        claimed = self.ids.looks_like_identity_token(text) or self.ids.IdentityKind.RESIDENT
        outcome = ""
        for kind in self.kinds:
            try:
                claim = self.verifier.verify(text, expected=kind)
            except self.ids.IdentityRejectedError as exc:
                result: str = exc.reason.value
            else:
                if text not in self.valid[kind] or claim.kind is not kind:
                    raise AssertionError(f"a code that was never issued verified: {text!r}")
                if self.ids.looks_like_identity_token(text) is not kind:
                    raise AssertionError(f"routing disagrees with the verified kind: {text!r}")
                result = "accepted"
            if kind is claimed:
                outcome = result
        return outcome

    def check_payload(self, raw: bytes) -> None:
        """Sign ``raw`` under both prefixes with a trusted key; check the verdicts."""
        raw = raw[:MAX_PAYLOAD_FUZZ]
        key = self.signers.get(raw[1:5], self.key_a)
        for kind in self.kinds:
            signed = f"{PREFIXES[kind.value]}.{_b32(raw)}"
            token = f"{signed}.{_b32(key.sign(signed.encode('ascii')))}"
            try:
                claim = self.verifier.verify(token, expected=kind)
            except self.ids.IdentityRejectedError as exc:
                if exc.reason not in self.allowed_for_signed:
                    raise AssertionError(
                        f"signed payload refused as {exc.reason}: {raw!r}"
                    ) from None
                continue
            issued = int(claim.issued_at.timestamp())
            expires = int(claim.expires_at.timestamp())
            community = claim.community_id.encode("ascii")
            again = struct.pack(
                ">B4sBIIIB",
                1,
                claim.key_id,
                KIND_BYTES[kind.value],
                claim.subject_id,
                issued,
                expires,
                len(community),
            )
            if again + community != raw:
                raise AssertionError(f"non-canonical payload accepted: {raw!r}")
            if not (
                claim.subject_id >= 1
                and 0 < expires - issued <= 900
                and claim.community_id == COMMUNITY
                and issued - 60 < NOW.timestamp() < expires + 60
            ):
                raise AssertionError(f"a claim outside the format's limits: {claim!r}")

    def test_one_input(self, data: bytes) -> None:
        latin = data.decode("latin-1")
        self.check_text(latin)
        utf8 = data.decode("utf-8", "surrogateescape")
        if utf8 != latin:
            self.check_text(utf8)
        self.check_payload(data)


def _load() -> Target:
    from kiosk.security import identity_tokens, passes

    return Target(identity_tokens, passes)


# ---------------------------------------------------------------- atheris


def _instrumented() -> Target:
    ids = importlib.import_module("kiosk.security.identity_tokens")
    passes = importlib.import_module("kiosk.security.passes")
    return Target(ids, passes)


def run_atheris(argv: list[str]) -> int:
    return _fuzz.run_atheris(argv, _instrumented, write_corpus, "identity-token-corpus-")


def write_corpus(target: Target, directory: Path) -> None:
    _fuzz.write_token_corpus(target.bases, directory)


# ---------------------------------------------------------------- quick mode


def _char(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.55:
        return rng.choice(BASE32)
    if r < 0.75:
        return rng.choice(NEAR_MISSES)
    if r < 0.85:
        return rng.choice(HOSTILE)
    return chr(rng.randrange(0x110000))  # any code point, surrogates included


def _byte_edit(rng: random.Random, raw: bytes) -> bytes:
    b = bytearray(raw)
    i = rng.randrange(len(b) + 1)
    kind = rng.randrange(5)
    if kind == 0 and b:
        b[i % len(b)] ^= 1 << rng.randrange(8)
    elif kind == 1 and b:
        b[i % len(b)] = rng.randrange(256)
    elif kind == 2:
        b.insert(i, rng.randrange(256))
    elif kind == 3:
        del b[i:]
    else:  # a run of 0x00 or 0xFF: zero ids, far-off or reversed times
        n = rng.randint(1, 4)
        b[i : i + n] = bytes([rng.choice((0, 255))]) * n
    return bytes(b)


def _mutations(bases: tuple[str, ...]) -> list[Callable[[random.Random, str], str]]:
    def flip(rng: random.Random, t: str) -> str:
        if not t:
            return chr(rng.randrange(1, 256))
        i = rng.randrange(len(t))
        return t[:i] + chr((ord(t[i]) ^ rng.randrange(1, 256)) or 1) + t[i + 1 :]

    def symbol(rng: random.Random, t: str) -> str:
        # Stays in the alphabet; half the time in the last characters, whose low bits are
        # unused and must be zero.
        if not t:
            return flip(rng, t)
        i = len(t) - 1 - (rng.randrange(4) if rng.random() < 0.5 else rng.randrange(len(t)))
        if i < 0 or t[i] not in BASE32:
            return flip(rng, t)
        return t[:i] + BASE32[BASE32.index(t[i]) ^ (1 << rng.randrange(5))] + t[i + 1 :]

    def insert(rng: random.Random, t: str) -> str:
        i = rng.randrange(len(t) + 1)
        return t[:i] + "".join(_char(rng) for _ in range(rng.randint(1, 3))) + t[i:]

    def delete(rng: random.Random, t: str) -> str:
        i = rng.randrange(len(t) + 1)
        return t[:i] + t[i + rng.randint(1, 8) :]

    def truncate(rng: random.Random, t: str) -> str:
        i = rng.randrange(len(t) + 1)
        return t[:i] if rng.random() < 0.5 else t[i:]

    def case(rng: random.Random, t: str) -> str:
        if rng.random() < 0.2:
            return rng.choice((str.lower, str.swapcase, str.title))(t)
        i, k = rng.randrange(len(t) + 1), rng.randint(1, 4)
        return t[:i] + t[i : i + k].swapcase() + t[i + k :]

    def splice(rng: random.Random, t: str) -> str:
        o = rng.choice(bases)
        if rng.random() < 0.5:  # swap the prefixes: the kind (or the format) changes
            return o.split(".", 1)[0] + "." + t.split(".", 1)[-1]
        return t[: rng.randrange(len(t) + 1)] + o[rng.randrange(len(o) + 1) :]

    def decoded(rng: random.Random, t: str) -> str:
        parts = t.split(".")
        if len(parts) != 3:
            return flip(rng, t)
        k = rng.choice((1, 2))
        raw = _unb32(parts[k])
        if raw is None:
            return flip(rng, t)
        parts[k] = _b32(_byte_edit(rng, raw))
        return ".".join(parts)

    # Decoded-level mutations count twice: they are the ones that reach Ed25519.
    return [flip, symbol, insert, delete, truncate, case, splice, decoded, decoded]


def run_quick(n: int | None, seconds: float | None, seed: int) -> int:
    target = _load()
    rng = random.Random(seed)
    ops = _mutations(target.bases)
    payloads = [p for p in (_unb32(t.split(".")[1]) for t in target.bases) if p is not None]
    oversize_sizes = (513, 2048, 64 * 1024, 1024 * 1024)
    run = _fuzz.QuickRun(n, seconds)
    for i in run.steps():
        text = run.mutate(rng, target.bases, ops, oversize_sizes)
        # Both kinds: one of them reaches Ed25519 at most.
        if not run.verify(target.check_text, text):
            continue
        if i % 4 == 0:  # the field parser, through signed payloads, a quarter of the time
            run.payload_checks += 1
            raw = rng.choice(payloads)
            for _ in range(rng.randint(1, 3)):
                raw = _byte_edit(rng, raw)
            try:
                target.check_payload(raw)
            except AssertionError as exc:
                run.parser_failure(exc)
            except Exception:
                run.failures += 1
                print(f"UNEXPECTED EXCEPTION for payload {raw!r}:", file=sys.stderr)
                traceback.print_exc()
    return run.report(
        executions=f"code mutations (+{run.payload_checks:,} signed payloads)",
        latency_note="  (both kinds checked)",
        outcomes="by outcome for the claimed kind",
    )


def main(argv: list[str]) -> int:
    return _fuzz.main(
        argv,
        description="Fuzz the identity-code verifier (atheris), or run a quick random campaign.",
        write_corpus=lambda directory: write_corpus(_load(), directory),
        run_quick=run_quick,
        run_atheris=run_atheris,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv))
