"""Fuzz target for the pass-token verifier and payload parser (RELIABILITY 12, 15, 16).

Two ways to run it:

* **Atheris (libFuzzer)**, coverage-guided, when ``atheris`` is installed
  (``.venv/bin/pip install atheris``; wheels exist for CPython 3.11 on Linux x86-64)::

      python bench/fuzz_pass_token.py [libFuzzer flags] [CORPUS_DIR ...]
      python bench/fuzz_pass_token.py -max_total_time=3600 -rss_limit_mb=1024 corpus/

  Without a corpus directory a temporary one is seeded with valid tokens. libFuzzer
  stops and writes ``crash-*`` on the first failure. ``--write-corpus DIR`` only writes
  the seeds.

* **Quick mode**, no atheris needed: random mutations of valid tokens (the families of
  ``tests/unit/kiosk/security/test_passes_mutations.py`` plus oversized and hostile input),
  timing every ``verify`` call::

      python bench/fuzz_pass_token.py --quick 200000 [--seed S]
      python bench/fuzz_pass_token.py --seconds 60

  Prints executions, executions/s, verify latency p50/p99/p99.9/max overall and per
  rejection reason (target: p99 ≤ 10 ms, RELIABILITY 15), the reasons seen, and the RSS
  before and after. Exits 1 if a non-identical token verified or any exception other than
  ``PassRejectedError`` escaped.

Each input is checked three ways: the bytes as Latin-1 text (every byte a character, so
C0/C1 controls and NUL reach the verifier), the bytes as UTF-8 with ``surrogateescape``
(lone surrogates, real CJK text), and the raw bytes through ``decode_payload`` (the
post-signature parser, which a fuzzer cannot reach through ``verify`` without forging a
signature; it must either refuse with ``MALFORMED`` or decode to content that encodes back
to exactly the same bytes).
"""

from __future__ import annotations

import hashlib
import importlib
import random
import sys
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
NEAR_MISSES = ".=-_+/ 0189abcxyzKP"
HOSTILE = ["\x00", "\x1b", "\x7f", "\x85", "\x9b", "\ud800", "\udfff", "Ａ", "．", "\u202e"]


def _key(label: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


class Target:
    """The verifier under test, its valid tokens and the oracle."""

    def __init__(self, passes: Any) -> None:
        self.passes = passes
        key_a, key_b, key_x = _key("fuzz key A"), _key("fuzz key B"), _key("fuzz key X")

        def issue(key: Ed25519PrivateKey, **fields: Any) -> str:
            args: dict[str, Any] = {
                "community_id": COMMUNITY,
                "household": "3-2-501",
                "visitor_name": "王小明",
                "valid_from": NOW - timedelta(hours=1),
                "valid_until": NOW + timedelta(hours=3),
            }
            args.update(fields)
            token: str = passes.PassSigner(key, clock=lambda: NOW).issue(**args)
            return token

        self.valid = (
            issue(key_a),
            issue(key_a, visitor_name="Li Ming", household="12-3-1502", uses_allowed=2),
            issue(key_b, visitor_name="阿依古丽·买买提", household="7栋1单元302"),
        )
        self.never_valid = (
            issue(key_x),
            issue(key_a, community_id="sh-pd-0001"),
            issue(key_a, valid_from=NOW + timedelta(hours=1)),
        )
        self.bases = self.valid + self.never_valid
        self.valid_set = frozenset(self.valid)
        self.verifier = passes.PassVerifier(
            [key_a.public_key(), key_b.public_key()], community_id=COMMUNITY, clock=lambda: NOW
        )

    def check_text(self, text: str) -> str:
        """Verify ``text``; return the reason (or ``"accepted"``); raise on a broken oracle."""
        try:
            self.verifier.verify(text)
        except self.passes.PassRejectedError as exc:
            reason: str = exc.reason.value
            return reason
        if text not in self.valid_set:
            raise AssertionError(f"a token that was never issued verified: {text!r}")
        return "accepted"

    def check_payload(self, raw: bytes) -> None:
        try:
            content = self.passes.decode_payload(raw)
        except self.passes.PassRejectedError as exc:
            if exc.reason is not self.passes.PassRejection.MALFORMED:
                raise AssertionError(f"decode_payload said {exc.reason}") from None
            return
        if self.passes.encode_payload(content) != raw:
            raise AssertionError(f"non-canonical payload accepted: {raw!r}")

    def test_one_input(self, data: bytes) -> None:
        latin = data.decode("latin-1")
        self.check_text(latin)
        utf8 = data.decode("utf-8", "surrogateescape")
        if utf8 != latin:
            self.check_text(utf8)
        self.check_payload(data)


# ---------------------------------------------------------------- atheris


def _instrumented() -> Target:
    return Target(importlib.import_module("kiosk.security.passes"))


def run_atheris(argv: list[str]) -> int:
    return _fuzz.run_atheris(argv, _instrumented, write_corpus, "pass-token-corpus-")


def write_corpus(target: Target, directory: Path) -> None:
    _fuzz.write_token_corpus(target.bases, directory)


# ---------------------------------------------------------------- quick mode


_b32 = _fuzz.b32
_unb32 = _fuzz.unb32


def _char(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.55:
        return rng.choice(BASE32)
    if r < 0.75:
        return rng.choice(NEAR_MISSES)
    if r < 0.85:
        return rng.choice(HOSTILE)
    return chr(rng.randrange(0x110000))  # any code point, surrogates included


def _mutations(bases: tuple[str, ...]) -> list[Callable[[random.Random, str], str]]:
    def flip(rng: random.Random, t: str) -> str:
        if not t:
            return chr(rng.randrange(1, 256))
        i = rng.randrange(len(t))
        return t[:i] + chr((ord(t[i]) ^ rng.randrange(1, 256)) or 1) + t[i + 1 :]

    def insert(rng: random.Random, t: str) -> str:
        i = rng.randrange(len(t) + 1)
        return t[:i] + "".join(_char(rng) for _ in range(rng.randint(1, 3))) + t[i:]

    def delete(rng: random.Random, t: str) -> str:
        i = rng.randrange(len(t) + 1)
        return t[:i] + t[i + rng.randint(1, 8) :]

    def truncate(rng: random.Random, t: str) -> str:
        i = rng.randrange(len(t) + 1)
        return t[:i] if rng.random() < 0.5 else t[i:]

    def substitute(rng: random.Random, t: str) -> str:
        if not t:
            return _char(rng)
        i = rng.randrange(len(t))
        return t[:i] + _char(rng) + t[i + 1 :]

    def splice(rng: random.Random, t: str) -> str:
        o = rng.choice(bases)
        return t[: rng.randrange(len(t) + 1)] + o[rng.randrange(len(o) + 1) :]

    def decoded(rng: random.Random, t: str) -> str:
        parts = t.split(".")
        if len(parts) != 3:
            return flip(rng, t)
        k = rng.choice((1, 2))
        raw = _unb32(parts[k])
        if raw is None or not raw:
            return flip(rng, t)
        b = bytearray(raw)
        i = rng.randrange(len(b))
        kind = rng.randrange(4)
        if kind == 0:
            b[i] ^= 1 << rng.randrange(8)
        elif kind == 1:
            b[i] = rng.randrange(256)
        elif kind == 2:
            b.insert(i, rng.randrange(256))
        else:
            del b[i:]
        parts[k] = _b32(bytes(b))
        return ".".join(parts)

    # Decoded-level mutations count twice: they are the ones that reach Ed25519.
    return [flip, insert, delete, truncate, substitute, splice, decoded, decoded]


def run_quick(n: int | None, seconds: float | None, seed: int) -> int:
    from kiosk.security import passes

    target = Target(passes)
    rng = random.Random(seed)
    ops = _mutations(target.bases)
    oversize_sizes = (2049, 3 * 1024, 64 * 1024, 1024 * 1024)
    run = _fuzz.QuickRun(n, seconds)
    for i in run.steps():
        text = run.mutate(rng, target.bases, ops, oversize_sizes)
        if not run.verify(target.check_text, text):
            continue
        if i % 4 == 0:  # the raw parser on the mutated text's bytes, a quarter of the time
            run.payload_checks += 1
            try:
                target.check_payload(text.encode("utf-8", "surrogatepass")[:200])
            except AssertionError as exc:
                run.parser_failure(exc)
    return run.report(
        executions=f"token mutations (+{run.payload_checks:,} raw-parser inputs)",
        outcomes="by outcome",
    )


def _write_corpus(directory: Path) -> None:
    from kiosk.security import passes

    write_corpus(Target(passes), directory)


def main(argv: list[str]) -> int:
    return _fuzz.main(
        argv,
        description="Fuzz the pass-token verifier (atheris), or run a quick random campaign.",
        write_corpus=_write_corpus,
        run_quick=run_quick,
        run_atheris=run_atheris,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv))
