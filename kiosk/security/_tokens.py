"""Verification steps shared by the signed tokens: visitor passes and identity codes.

:class:`kiosk.security.passes.PassVerifier` and
:class:`kiosk.security.identity_tokens.IdentityVerifier` check their tokens in the same
order (see those modules' docstrings); the steps that are the same for both live here. Each
step raises the caller's rejection error through ``reject``, given the reason's value (the
rejection enums of both modules share these values), so every reason and the order of the
checks stay exactly those the modules document.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Final, TypeAlias

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

__all__ = [
    "BAD_SIGNATURE",
    "EXPIRED",
    "KEY_ID_BYTES",
    "NOT_ASCII",
    "NOT_YET_VALID",
    "OVERSIZED",
    "WRONG_KEY",
    "Reject",
    "check_signature",
    "check_skew",
    "check_text",
    "check_window",
    "key_id",
    "trusted_keys",
]

KEY_ID_BYTES: Final = 4
"""Bytes of a key id (after the payload's version byte)."""

OVERSIZED: Final = "oversized"
NOT_ASCII: Final = "not_ascii"
WRONG_KEY: Final = "wrong_key"
BAD_SIGNATURE: Final = "bad_signature"
NOT_YET_VALID: Final = "not_yet_valid"
EXPIRED: Final = "expired"

Reject: TypeAlias = Callable[[str], Exception]
"""Makes the caller's rejection error from a reason's value."""


def key_id(public_key: Ed25519PublicKey) -> bytes:
    """The 4-byte key id: the first bytes of SHA-256 of the raw public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:KEY_ID_BYTES]


def trusted_keys(
    public_keys: Iterable[Ed25519PublicKey], *, what: str
) -> dict[bytes, Ed25519PublicKey]:
    """The keys by key id.

    Raises:
        ValueError: Two keys share a key id, or there is none (``what`` needs at least one).
    """
    keys: dict[bytes, Ed25519PublicKey] = {}
    for key in public_keys:
        kid = key_id(key)
        if kid in keys:
            raise ValueError(f"two public keys share the key id {kid.hex()}")
        keys[kid] = key
    if not keys:
        raise ValueError(f"{what} needs at least one public key")
    return keys


def check_skew(name: str, value: float, maximum: float) -> None:
    """Raises ValueError unless ``value`` is 0..``maximum`` seconds."""
    if not 0 <= value <= maximum:
        raise ValueError(f"{name} must be 0..{maximum:g} s, not {value!r}")


def check_text(token: str, max_chars: int, reject: Reject) -> None:
    """Steps 1-2: size, then printable ASCII, before anything else looks at the text."""
    if len(token) > max_chars:
        raise reject(OVERSIZED)
    if not (token.isascii() and token.isprintable()):
        raise reject(NOT_ASCII)


def check_signature(
    keys: Mapping[bytes, Ed25519PublicKey],
    payload: bytes,
    signature: bytes,
    signed_part: str,
    reject: Reject,
) -> None:
    """Steps 4-5: the key named by the payload's key id, then the signature of ``signed_part``."""
    key = keys.get(payload[1 : 1 + KEY_ID_BYTES])
    if key is None:
        raise reject(WRONG_KEY)
    try:
        key.verify(signature, signed_part.encode("ascii"))
    except InvalidSignature:
        raise reject(BAD_SIGNATURE) from None


def check_window(
    at: datetime,
    start: datetime,
    end: datetime,
    *,
    not_before_skew_s: float,
    expiry_skew_s: float,
    reject: Reject,
) -> None:
    """The time window: ``at`` no earlier than ``start`` and no later than ``end``, each
    give or take its skew.

    Raises:
        ValueError: ``at`` is naive (a programming error).
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("the verifier's time must be timezone-aware")
    t = at.timestamp()
    if start.timestamp() - t >= not_before_skew_s:
        raise reject(NOT_YET_VALID)
    if t - end.timestamp() >= expiry_skew_s:
        raise reject(EXPIRED)
