"""Identity codes for the identity-token tests: signers, verifiers, hand-built payloads.

Keys, clock and base32 helpers are the pass tests' (:mod:`tests.unit.kiosk.security.tokens`),
as the kiosk uses the same keys for both. :func:`build_payload` writes the documented byte
layout by itself, so the tests check the module against the format, not against itself.
"""

from __future__ import annotations

import struct
from datetime import datetime, timedelta
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.security.identity_tokens import IdentityKind, IdentitySigner, IdentityVerifier
from kiosk.security.passes import key_id
from tests.unit.kiosk.security.tokens import COMMUNITY, KEY_A, KEY_B, NOW, b32

RESIDENT: Final = IdentityKind.RESIDENT
VOLUNTEER: Final = IdentityKind.VOLUNTEER
PREFIX: Final = {RESIDENT: "KR1", VOLUNTEER: "KV1"}
KIND_BYTE: Final = {RESIDENT: 1, VOLUNTEER: 2}
SUBJECT: Final = 1234


def id_signer(key: Ed25519PrivateKey = KEY_A, *, at: datetime = NOW) -> IdentitySigner:
    return IdentitySigner(key, clock=lambda: at)


def id_verifier(
    *, at: datetime = NOW, community: str = COMMUNITY, skew_s: float = 60.0
) -> IdentityVerifier:
    """Trusts KEY_A and KEY_B; its clock says ``at``."""
    return IdentityVerifier(
        [KEY_A.public_key(), KEY_B.public_key()],
        community_id=community,
        clock=lambda: at,
        skew_s=skew_s,
    )


def issue_identity(
    kind: IdentityKind = RESIDENT,
    subject_id: int = SUBJECT,
    *,
    key: Ed25519PrivateKey = KEY_A,
    community_id: str = COMMUNITY,
    at: datetime = NOW,
    valid_for: timedelta = timedelta(minutes=5),
) -> str:
    """A code issued at ``at`` (valid at NOW for COMMUNITY unless told otherwise)."""
    return id_signer(key, at=at).issue(kind, subject_id, community_id, valid_for=valid_for)


def build_payload(
    *,
    version: int = 1,
    key: Ed25519PrivateKey = KEY_A,
    kind_byte: int = 1,
    subject: int = SUBJECT,
    issued: int | None = None,
    expires: int | None = None,
    community: bytes = COMMUNITY.encode(),
    length: int | None = None,
    tail: bytes = b"",
) -> bytes:
    """The documented layout, field by field (defaults: a resident code valid at NOW)."""
    issued = int(NOW.timestamp()) if issued is None else issued
    expires = issued + 300 if expires is None else expires
    return (
        struct.pack(">B", version)
        + key_id(key.public_key())
        + struct.pack(">BIII", kind_byte, subject, issued, expires)
        + struct.pack(">B", len(community) if length is None else length)
        + community
        + tail
    )


def sign_payload(
    payload: bytes,
    *,
    prefix: str = "KR1",
    key: Ed25519PrivateKey = KEY_A,
    signed_prefix: str | None = None,
) -> str:
    """A token around any ``payload``, genuinely signed by ``key``.

    ``signed_prefix`` signs under another prefix than the one written (domain-swap tests).
    """
    body = b32(payload)
    message = f"{prefix if signed_prefix is None else signed_prefix}.{body}".encode("ascii")
    return f"{prefix}.{body}.{b32(key.sign(message))}"
