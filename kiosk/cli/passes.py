"""``community-kiosk passes …``: key generation, pass issuing and checking (station side).

::

    passes keygen   --private PATH --public PATH [--passphrase-env VAR]
    passes issue    --private-key PATH --community ID --household LABEL --visitor NAME
                    [--valid-from WHEN] --valid-until WHEN [--uses N] [--qr-png PATH]
                    [--passphrase-env VAR]
    passes verify   --public-key PATH [--public-key PATH …] --community ID TOKEN
    passes identity --private-key PATH --kind resident|volunteer --subject ID --community ID
                    [--valid-for DURATION] [--qr-png PATH] [--passphrase-env VAR]

``WHEN`` is ISO 8601 (``2025-06-01T18:00``, ``2025-06-01T10:00:00+08:00``; without an offset
it is this machine's local time) or relative to now: ``+90m``, ``+4h``, ``+2d``.

``issue`` prints the token alone on stdout (so ``TOKEN=$(… issue …)`` works) and the details
on stderr; with ``--qr-png`` it also writes the QR code. ``verify`` prints the pass's fields
and exits 0, or ``rejected: <reason>`` and exits 1. Usage and key-file errors exit 2.

``identity`` signs a resident or volunteer identity code (``KR1.…``/``KV1.…``,
:mod:`kiosk.security.identity_tokens`) with the same key, as the platform's app would show
it: for trying a kiosk, demos and tests. ``--subject`` is the platform id of the resident or
volunteer; ``DURATION`` is ``90s``, ``5m`` (the default) … ``15m``, the longest the format
allows. Like ``issue`` it prints the token alone on stdout and the details on stderr.

The private key never goes on a kiosk: ``keygen``, ``issue`` and ``identity`` run on the
station signer; kiosks get the public PEM file only. A passphrase is read from the
environment variable named by ``--passphrase-env``, never from the command line (visible in
``ps``).

NOTE: Qt-free zone.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

import segno

from kiosk.security.identity_tokens import (
    DEFAULT_VALIDITY,
    IdentityKind,
    IdentitySigner,
    IdentityVerifier,
)
from kiosk.security.passes import (
    PassKeyError,
    PassRejectedError,
    PassSigner,
    PassVerifier,
    generate_keypair,
    key_id,
    load_private_key,
    load_public_keys,
)

__all__ = ["main"]

_RELATIVE = re.compile(r"\+([0-9]{1,6})([smhd])")
_DURATION = re.compile(r"([0-9]{1,6})([smh])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_QR_SCALE = 8
_QR_BORDER = 4


class _UsageError(Exception):
    """A bad option value (exit 2)."""


def _when(text: str, now: datetime) -> datetime:
    match = _RELATIVE.fullmatch(text.strip())
    if match:
        return now + timedelta(seconds=int(match[1]) * _UNIT_SECONDS[match[2]])
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise _UsageError(f"not a time: {text!r} (ISO 8601, or +90m / +4h / +2d)") from None
    if value.tzinfo is None:
        value = value.astimezone()  # this machine's local time zone
    return value


def _duration(text: str) -> timedelta:
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise _UsageError(f"not a duration: {text!r} (such as 90s or 5m)")
    return timedelta(seconds=int(match[1]) * _UNIT_SECONDS[match[2]])


def _passphrase(env_name: str | None) -> bytes | None:
    if env_name is None:
        return None
    value = os.environ.get(env_name)
    if not value:
        raise _UsageError(f"environment variable {env_name} is not set")
    return value.encode("utf-8")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="community-kiosk passes", description="Signed visitor passes (station side)."
    )
    sub = p.add_subparsers(dest="command", required=True)

    keygen = sub.add_parser("keygen", help="create an Ed25519 signing key pair")
    keygen.add_argument("--private", type=Path, required=True, help="private key file (0600)")
    keygen.add_argument("--public", type=Path, required=True, help="public key file for kiosks")
    keygen.add_argument("--passphrase-env", metavar="VAR", help="encrypt with $VAR")

    issue = sub.add_parser("issue", help="sign a pass; print the token")
    issue.add_argument("--private-key", type=Path, required=True)
    issue.add_argument("--passphrase-env", metavar="VAR", help="the key's passphrase is in $VAR")
    issue.add_argument("--community", required=True, help="community/station id")
    issue.add_argument("--household", required=True, help='host household, e.g. "3-2-501"')
    issue.add_argument("--visitor", required=True, help="visitor display name")
    issue.add_argument("--valid-from", metavar="WHEN", help="default: 5 minutes ago")
    issue.add_argument("--valid-until", metavar="WHEN", required=True)
    issue.add_argument("--uses", type=int, default=1, help="uses allowed (1..255, default 1)")
    issue.add_argument("--qr-png", type=Path, metavar="PATH", help="also write the QR code")

    verify = sub.add_parser("verify", help="check a token as a kiosk would (no redemption)")
    verify.add_argument(
        "--public-key", type=Path, action="append", required=True, help="repeat for several"
    )
    verify.add_argument("--community", required=True, help="this kiosk's community id")
    verify.add_argument("token")

    identity = sub.add_parser(
        "identity", help="sign a resident or volunteer identity code; print the token"
    )
    identity.add_argument("--private-key", type=Path, required=True)
    identity.add_argument("--passphrase-env", metavar="VAR", help="the key's passphrase is in $VAR")
    identity.add_argument("--kind", choices=[k.value for k in IdentityKind], required=True)
    identity.add_argument(
        "--subject", type=int, required=True, metavar="ID", help="platform id of the person"
    )
    identity.add_argument("--community", required=True, help="community/station id")
    identity.add_argument(
        "--valid-for",
        metavar="DURATION",
        default=f"{int(DEFAULT_VALIDITY.total_seconds()) // 60}m",
        help="90s, 5m … 15m (default %(default)s)",
    )
    identity.add_argument("--qr-png", type=Path, metavar="PATH", help="also write the QR code")
    return p


def _keygen(args: argparse.Namespace, out: TextIO) -> int:
    public = generate_keypair(
        args.private, args.public, passphrase=_passphrase(args.passphrase_env)
    )
    out.write(f"private key: {args.private} (keep it on the station signer only)\n")
    out.write(f"public key:  {args.public} (install on kiosks)\n")
    out.write(f"key id:      {key_id(public).hex()}\n")
    return 0


def _issue(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    now = datetime.now(UTC)
    valid_until = _when(args.valid_until, now)
    valid_from = None if args.valid_from is None else _when(args.valid_from, now)
    key = load_private_key(args.private_key, passphrase=_passphrase(args.passphrase_env))
    signer = PassSigner(key)
    pass_id = uuid.uuid4()
    try:
        token = signer.issue(
            community_id=args.community,
            household=args.household,
            visitor_name=args.visitor,
            valid_from=valid_from,
            valid_until=valid_until,
            uses_allowed=args.uses,
            pass_id=pass_id,
        )
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    out.write(token + "\n")
    err.write(f"pass id: {pass_id}  key id: {signer.key_id.hex()}  length: {len(token)}\n")
    if args.qr_png is not None:
        _write_qr(token, args.qr_png, err)
    return 0


def _write_qr(token: str, path: Path, err: TextIO) -> None:
    qr = segno.make_qr(token, encoding="utf-8", error="m")
    qr.save(str(path), kind="png", scale=_QR_SCALE, border=_QR_BORDER)
    err.write(f"QR code: {path} (version {qr.designator}, {qr.mode} mode)\n")


def _identity(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    kind = IdentityKind(args.kind)
    valid_for = _duration(args.valid_for)
    key = load_private_key(args.private_key, passphrase=_passphrase(args.passphrase_env))
    now = datetime.now(UTC)
    try:
        token = IdentitySigner(key, clock=lambda: now).issue(
            kind, args.subject, args.community, valid_for=valid_for
        )
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    # Read the times back from the token itself, checking it on the way.
    claim = IdentityVerifier([key.public_key()], community_id=args.community).verify(
        token, expected=kind, now=now
    )
    out.write(token + "\n")
    local = "%Y-%m-%d %H:%M:%S %z"
    err.write(
        f"{kind.value} {claim.subject_id}  key id: {claim.key_id.hex()}  "
        f"expires: {claim.expires_at.astimezone().strftime(local)}  length: {len(token)}\n"
    )
    if args.qr_png is not None:
        _write_qr(token, args.qr_png, err)
    return 0


def _verify(args: argparse.Namespace, out: TextIO) -> int:
    verifier = PassVerifier(load_public_keys(args.public_key), community_id=args.community)
    try:
        p = verifier.verify(args.token)
    except PassRejectedError as exc:
        out.write(f"rejected: {exc.reason.value}\n")
        return 1
    local = "%Y-%m-%d %H:%M:%S %z"
    out.write("valid\n")
    out.write(f"pass id:      {p.pass_uuid}\n")
    out.write(f"key id:       {p.key_id.hex()}\n")
    out.write(f"community:    {p.community_id}\n")
    out.write(f"household:    {p.household}\n")
    out.write(f"visitor:      {p.visitor_name}\n")
    out.write(f"valid from:   {p.valid_from.astimezone().strftime(local)}\n")
    out.write(f"valid until:  {p.valid_until.astimezone().strftime(local)}\n")
    out.write(f"uses allowed: {p.uses_allowed} (redemptions are not checked here)\n")
    return 0


def main(argv: list[str], *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``community-kiosk passes`` with ``argv`` (the words after ``passes``).

    Returns:
        0 on success, 1 when ``verify`` rejects the token, 2 on usage or key-file errors.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has already printed the usage message
        return exc.code if isinstance(exc.code, int) else 2
    try:
        if args.command == "keygen":
            return _keygen(args, out)
        if args.command == "issue":
            return _issue(args, out, err)
        if args.command == "identity":
            return _identity(args, out, err)
        return _verify(args, out)
    except (_UsageError, PassKeyError, ValueError) as exc:
        err.write(f"error: {exc}\n")
        return 2
    except OSError as exc:
        err.write(f"error: {exc}\n")
        return 2
