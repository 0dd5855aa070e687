"""``bench/fuzz_identity_token.py`` runs clean, and its oracle would notice a broken verifier."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench import fuzz_identity_token as fuzz
from kiosk.security import identity_tokens, passes


class _AcceptsEverything:
    """A broken verifier: every text is the same valid claim."""

    def __init__(self, claim: identity_tokens.IdentityClaim) -> None:
        self.claim = claim

    def verify(self, text: str, *, expected: Any, now: Any = None) -> Any:
        return self.claim


@pytest.fixture(scope="module")
def target() -> fuzz.Target:
    return fuzz.Target(identity_tokens, passes)


def test_quick_mode_finds_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert fuzz.run_quick(3_000, None, seed=7) == 0
    out = capsys.readouterr().out
    assert "failures:          0" in out
    assert "accepted" in out  # unmutated chains of valid codes do verify
    assert "bad_signature" in out  # byte-level mutations reach Ed25519


def test_seed_corpus_inputs_pass(target: fuzz.Target, tmp_path: Path) -> None:
    fuzz.write_corpus(target, tmp_path)
    seeds = sorted(tmp_path.iterdir())
    assert len(seeds) == 2 * len(target.bases)
    for seed in seeds:
        target.test_one_input(seed.read_bytes())
    valid = sorted(target.valid[identity_tokens.IdentityKind.RESIDENT])
    assert target.check_text(valid[0]) == "accepted"


def test_oracle_catches_an_accepted_forgery(
    target: fuzz.Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    genuine = sorted(target.valid[identity_tokens.IdentityKind.RESIDENT])[0]
    claim = target.verifier.verify(genuine, expected=identity_tokens.IdentityKind.RESIDENT)
    monkeypatch.setattr(target, "verifier", _AcceptsEverything(claim))
    with pytest.raises(AssertionError, match="never issued"):
        target.check_text(genuine[:-1] + ("A" if genuine[-1] != "A" else "B"))


def test_oracle_catches_a_non_canonical_payload(
    target: fuzz.Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    genuine = sorted(target.valid[identity_tokens.IdentityKind.VOLUNTEER])[0]
    kind = identity_tokens.IdentityKind.VOLUNTEER
    claim = target.verifier.verify(genuine, expected=kind)
    payload = fuzz._unb32(genuine.split(".")[1])
    assert payload is not None
    target.check_payload(payload)  # the real verifier: fine
    monkeypatch.setattr(target, "verifier", _AcceptsEverything(claim))  # ignores the extra byte
    with pytest.raises(AssertionError, match="non-canonical"):
        target.check_payload(payload + b"\x00")
