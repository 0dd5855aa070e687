"""``community-kiosk passes``: keygen, issue (token + QR PNG), verify."""

from __future__ import annotations

import io
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import pytest

from hardware.qr import decode_qr
from kiosk.cli.passes import main
from kiosk.security.passes import PassVerifier, load_public_key
from tests.unit.kiosk.security.tokens import COMMUNITY


def _run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private, public = tmp_path / "signer" / "pass.key", tmp_path / "pass.pub"
    code, out, _ = _run("keygen", "--private", private, "--public", public)
    assert code == 0
    assert "key id:" in out
    return private, public


def _issue(private: Path, *extra: str | Path) -> tuple[int, str, str]:
    return _run(
        "issue",
        "--private-key", private,
        "--community", COMMUNITY,
        "--household", "3-2-501",
        "--visitor", "王小明",
        *extra,
    )  # fmt: skip


def test_keygen_writes_protected_files(keys: tuple[Path, Path]) -> None:
    private, public = keys
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert b"PUBLIC KEY" in public.read_bytes()


def test_keygen_refuses_to_overwrite(keys: tuple[Path, Path]) -> None:
    private, public = keys
    code, _, err = _run("keygen", "--private", private, "--public", public)
    assert code == 2
    assert "refusing to overwrite" in err


def test_issue_prints_a_token_that_verifies(keys: tuple[Path, Path], tmp_path: Path) -> None:
    private, public = keys
    png = tmp_path / "pass.png"
    code, out, err = _issue(private, "--valid-until", "+4h", "--uses", "2", "--qr-png", png)
    assert code == 0, err
    token = out.strip()
    assert out == token + "\n"  # the token alone on stdout
    assert "pass id:" in err
    assert "QR code:" in err
    p = PassVerifier([load_public_key(public)], community_id=COMMUNITY).verify(token)
    assert p.uses_allowed == 2
    assert p.visitor_name == "王小明"
    assert timedelta(hours=3, minutes=59) < p.valid_until - datetime.now(UTC) <= timedelta(hours=4)
    image = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    assert decode_qr(image) == [token]


def test_issue_with_iso_times(keys: tuple[Path, Path]) -> None:
    private, public = keys
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    until = start + timedelta(days=1)
    code, out, err = _issue(
        private, "--valid-from", start.isoformat(), "--valid-until", until.isoformat()
    )
    assert code == 0, err
    p = PassVerifier([load_public_key(public)], community_id=COMMUNITY).verify(out.strip())
    assert (p.valid_from, p.valid_until) == (start, until)


def test_issue_naive_time_is_local_time(keys: tuple[Path, Path]) -> None:
    private, public = keys
    until = (datetime.now() + timedelta(hours=2)).replace(microsecond=0)
    code, out, _ = _issue(private, "--valid-until", until.isoformat())
    assert code == 0
    p = PassVerifier([load_public_key(public)], community_id=COMMUNITY).verify(out.strip())
    assert p.valid_until == until.astimezone(UTC)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--valid-until", "tomorrow"], "not a time"),
        (["--valid-until", "+4h", "--uses", "0"], "uses allowed"),
        (["--valid-until", "2001-01-01T00:00+00:00"], "not in the future"),
    ],
)
def test_issue_errors(keys: tuple[Path, Path], extra: list[str], message: str) -> None:
    code, out, err = _issue(keys[0], *extra)
    assert code == 2
    assert out == ""
    assert message in err


def test_issue_with_a_missing_key_file(tmp_path: Path) -> None:
    code, _, err = _issue(tmp_path / "nope.key", "--valid-until", "+1h")
    assert code == 2
    assert "cannot read" in err


def test_passphrase_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    private, public = tmp_path / "pass.key", tmp_path / "pass.pub"
    monkeypatch.setenv("PASS_KEY_PASSPHRASE", "correct horse")
    assert _run("keygen", "--private", private, "--public", public,
                "--passphrase-env", "PASS_KEY_PASSPHRASE")[0] == 0  # fmt: skip
    assert _issue(private, "--valid-until", "+1h")[0] == 2  # no passphrase given
    code, out, _ = _issue(
        private, "--valid-until", "+1h", "--passphrase-env", "PASS_KEY_PASSPHRASE"
    )
    assert code == 0
    assert PassVerifier([load_public_key(public)], community_id=COMMUNITY).verify(out.strip())
    monkeypatch.delenv("PASS_KEY_PASSPHRASE")
    code, _, err = _issue(
        private, "--valid-until", "+1h", "--passphrase-env", "PASS_KEY_PASSPHRASE"
    )
    assert code == 2
    assert "not set" in err


def test_verify_prints_the_fields(keys: tuple[Path, Path]) -> None:
    private, public = keys
    token = _issue(private, "--valid-until", "+1h")[1].strip()
    code, out, _ = _run("verify", "--public-key", public, "--community", COMMUNITY, token)
    assert code == 0
    assert out.startswith("valid\n")
    assert "visitor:      王小明" in out
    assert "household:    3-2-501" in out


@pytest.mark.parametrize(
    ("community", "mangle", "reason"),
    [
        ("sh-pd-0001", lambda t: t, "other_community"),
        (COMMUNITY, lambda t: t[:-2] + ("AA" if t[-2:] != "AA" else "QA"), "bad_signature"),
        (COMMUNITY, lambda t: t + "\x00", "not_ascii"),
        (COMMUNITY, lambda t: "KP2" + t[3:], "unsupported_version"),
        (COMMUNITY, lambda t: t.lower(), "malformed"),
    ],
)
def test_verify_rejects_with_the_reason(
    keys: tuple[Path, Path], community: str, mangle: Callable[[str], str], reason: str
) -> None:
    private, public = keys
    token = mangle(_issue(private, "--valid-until", "+1h")[1].strip())
    code, out, _ = _run("verify", "--public-key", public, "--community", community, token)
    assert code == 1
    assert out == f"rejected: {reason}\n"


def test_verify_with_several_keys_and_wrong_key(keys: tuple[Path, Path], tmp_path: Path) -> None:
    _, public = keys
    other_private, other_public = tmp_path / "o.key", tmp_path / "o.pub"
    _run("keygen", "--private", other_private, "--public", other_public)
    token = _issue(other_private, "--valid-until", "+1h")[1].strip()
    code, out, _ = _run("verify", "--public-key", public, "--community", COMMUNITY, token)
    assert (code, out) == (1, "rejected: wrong_key\n")
    code, out, _ = _run(
        "verify", "--public-key", public, "--public-key", other_public,
        "--community", COMMUNITY, token,
    )  # fmt: skip
    assert code == 0


def test_verify_refuses_a_private_key(keys: tuple[Path, Path]) -> None:
    private, _ = keys
    code, _, err = _run("verify", "--public-key", private, "--community", COMMUNITY, "KP1.A.B")
    assert code == 2
    assert "public key only" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["issue"]) == 2
    assert main(["frobnicate"]) == 2
    assert "usage:" in capsys.readouterr().err
    assert main(["--help"]) == 0
