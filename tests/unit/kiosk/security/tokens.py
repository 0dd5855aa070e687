"""Deterministic keys, a fixed clock and hand-made tokens for the pass tests."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.security.passes import PassSigner, PassVerifier

NOW = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
COMMUNITY = "bj-cy-0012"


def private_key(label: str) -> Ed25519PrivateKey:
    """The same key for the same label, in every run."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


KEY_A = private_key("station key A")
KEY_B = private_key("station key B (rollover)")
KEY_OTHER = private_key("some other platform")


def signer(key: Ed25519PrivateKey = KEY_A, *, at: datetime = NOW) -> PassSigner:
    return PassSigner(key, clock=lambda: at)


def verifier(*, at: datetime = NOW, community: str = COMMUNITY, **skews: float) -> PassVerifier:
    """Trusts KEY_A and KEY_B; its clock says ``at``."""
    return PassVerifier(
        [KEY_A.public_key(), KEY_B.public_key()],
        community_id=community,
        clock=lambda: at,
        **skews,
    )


def issue(
    key: Ed25519PrivateKey = KEY_A,
    *,
    community_id: str = COMMUNITY,
    household: str = "3-2-501",
    visitor_name: str = "王小明",
    valid_from: datetime = NOW - timedelta(hours=1),
    valid_until: datetime = NOW + timedelta(hours=3),
    uses_allowed: int = 1,
) -> str:
    """A token valid at NOW for COMMUNITY unless told otherwise."""
    return signer(key).issue(
        community_id=community_id,
        household=household,
        visitor_name=visitor_name,
        valid_from=valid_from,
        valid_until=valid_until,
        uses_allowed=uses_allowed,
    )


def b32(raw: bytes) -> str:
    """Canonical unpadded base32, as the token uses it."""
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def unb32(text: str) -> bytes:
    return base64.b32decode(text + "=" * (-len(text) % 8))


def split(token: str) -> tuple[str, bytes, bytes]:
    """``(prefix, payload, signature)`` of a well-formed token."""
    prefix, payload, signature = token.split(".")
    return prefix, unb32(payload), unb32(signature)


def sign_raw(
    payload: bytes,
    key: Ed25519PrivateKey = KEY_A,
    *,
    prefix: str = "KP1",
    signed_prefix: str | None = None,
) -> str:
    """A token around arbitrary ``payload`` bytes, genuinely signed by ``key``.

    ``signed_prefix`` signs under another prefix than the one written (domain-swap tests).
    """
    body = b32(payload)
    signed = prefix if signed_prefix is None else signed_prefix
    message = f"{signed}.{body}".encode("ascii")
    return f"{prefix}.{body}.{b32(key.sign(message))}"


def join(prefix: str, payload: bytes, signature: bytes) -> str:
    return f"{prefix}.{b32(payload)}.{b32(signature)}"
