"""``community-kiosk passes identity``: resident and volunteer identity codes from the CLI."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest

from hardware.qr import decode_qr
from kiosk.cli.passes import main
from kiosk.security.identity_tokens import (
    IdentityKind,
    IdentityRejectedError,
    IdentityRejection,
    IdentityVerifier,
    looks_like_identity_token,
)
from kiosk.security.passes import key_id, load_public_key
from tests.unit.kiosk.security.tokens import COMMUNITY


def _run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private, public = tmp_path / "signer" / "pass.key", tmp_path / "pass.pub"
    assert _run("keygen", "--private", private, "--public", public)[0] == 0
    return private, public


def _identity(private: Path, *extra: str | Path, kind: str = "resident") -> tuple[int, str, str]:
    return _run(
        "identity",
        "--private-key", private,
        "--kind", kind,
        "--subject", "4711",
        "--community", COMMUNITY,
        *extra,
    )  # fmt: skip


def _verifier(public: Path) -> IdentityVerifier:
    return IdentityVerifier([load_public_key(public)], community_id=COMMUNITY)


@pytest.mark.parametrize("kind", list(IdentityKind))
def test_identity_prints_a_code_that_verifies_as_its_kind(
    keys: tuple[Path, Path], kind: IdentityKind
) -> None:
    private, public = keys
    before = datetime.now(UTC).replace(microsecond=0)
    code, out, err = _identity(private, kind=kind.value)
    assert code == 0, err
    token = out.strip()
    assert out == token + "\n"  # the token alone on stdout
    assert looks_like_identity_token(token) is kind
    claim = _verifier(public).verify(token, expected=kind)
    assert (claim.kind, claim.subject_id, claim.community_id) == (kind, 4711, COMMUNITY)
    assert claim.key_id == key_id(load_public_key(public))
    assert before <= claim.issued_at <= datetime.now(UTC)
    assert claim.expires_at - claim.issued_at == timedelta(minutes=5)  # the default
    assert f"{kind.value} 4711" in err
    assert f"key id: {claim.key_id.hex()}" in err
    assert "expires:" in err
    other = IdentityKind.VOLUNTEER if kind is IdentityKind.RESIDENT else IdentityKind.RESIDENT
    with pytest.raises(IdentityRejectedError) as info:
        _verifier(public).verify(token, expected=other)
    assert info.value.reason is IdentityRejection.WRONG_KIND


@pytest.mark.parametrize(
    ("valid_for", "seconds"), [("90s", 90), ("1m", 60), ("15m", 900), (" 2m ", 120)]
)
def test_valid_for(keys: tuple[Path, Path], valid_for: str, seconds: int) -> None:
    private, public = keys
    code, out, err = _identity(private, "--valid-for", valid_for, kind="volunteer")
    assert code == 0, err
    claim = _verifier(public).verify(out.strip(), expected=IdentityKind.VOLUNTEER)
    assert claim.expires_at - claim.issued_at == timedelta(seconds=seconds)


def test_qr_png_scans_back_to_the_token(keys: tuple[Path, Path], tmp_path: Path) -> None:
    private, _ = keys
    png = tmp_path / "resident.png"
    code, out, err = _identity(private, "--qr-png", png)
    assert code == 0, err
    assert f"QR code: {png}" in err
    assert "alphanumeric mode" in err  # base32 keeps the symbol small
    image = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    assert image is not None
    assert decode_qr(image.astype(np.uint8)) == [out.strip()]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--valid-for", "16m"], "valid_for"),
        (["--valid-for", "1h"], "valid_for"),
        (["--valid-for", "0s"], "valid_for"),
        (["--valid-for", "5 minutes"], "not a duration"),
        (["--valid-for", "+5m"], "not a duration"),
        (["--valid-for", "2d"], "not a duration"),
    ],
)
def test_valid_for_errors(keys: tuple[Path, Path], extra: list[str], message: str) -> None:
    code, out, err = _identity(keys[0], *extra)
    assert code == 2
    assert out == ""
    assert message in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--kind", "resident", "--subject", "0", "--community", COMMUNITY], "subject id"),
        (["--kind", "resident", "--subject", str(2**32), "--community", COMMUNITY], "subject"),
        (["--kind", "resident", "--subject", "abc", "--community", COMMUNITY], "invalid int"),
        (["--kind", "admin", "--subject", "1", "--community", COMMUNITY], "invalid choice"),
        (["--kind", "resident", "--subject", "1", "--community", "北京"], "community id"),
        (["--kind", "resident", "--subject", "1", "--community", "c" * 33], "community id"),
        (["--kind", "resident", "--subject", "1"], "--community"),
    ],
)
def test_argument_errors(
    keys: tuple[Path, Path],
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run("identity", "--private-key", keys[0], *argv)
    assert code == 2
    assert out == ""
    assert message in err + capsys.readouterr().err  # argparse writes to sys.stderr


def test_missing_or_public_key_file(keys: tuple[Path, Path], tmp_path: Path) -> None:
    code, out, err = _identity(tmp_path / "nope.key")
    assert (code, out) == (2, "")
    assert "cannot read" in err
    keys[1].chmod(0o600)
    code, out, err = _identity(keys[1])  # the public key cannot sign
    assert (code, out) == (2, "")
    assert "not a usable private key" in err


def test_passphrase_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private, public = tmp_path / "pass.key", tmp_path / "pass.pub"
    monkeypatch.setenv("PASS_KEY_PASSPHRASE", "correct horse")
    assert _run("keygen", "--private", private, "--public", public,
                "--passphrase-env", "PASS_KEY_PASSPHRASE")[0] == 0  # fmt: skip
    assert _identity(private)[0] == 2  # no passphrase given
    code, out, _ = _identity(private, "--passphrase-env", "PASS_KEY_PASSPHRASE")
    assert code == 0
    assert _verifier(public).verify(out.strip(), expected=IdentityKind.RESIDENT)
    monkeypatch.delenv("PASS_KEY_PASSPHRASE")
    code, _, err = _identity(private, "--passphrase-env", "PASS_KEY_PASSPHRASE")
    assert code == 2
    assert "not set" in err


def test_help_lists_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "identity" in capsys.readouterr().out
    assert main(["identity", "--help"]) == 0
    assert "--valid-for" in capsys.readouterr().out
