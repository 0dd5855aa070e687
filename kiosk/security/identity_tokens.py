"""Signed resident and volunteer identity codes, verified offline (ARCHITECTURE.md §6).

NOTE: Qt-free zone. :class:`IdentityVerifier` needs public keys only; :class:`IdentitySigner`
is the platform's side (and the station CLI's, for tests and demos) and never runs on a kiosk.

The community platform's phone app shows a resident or a volunteer a short-lived QR code. The
kiosk checks it with the platform's public keys (the same keys as visitor passes,
:mod:`kiosk.security.passes`) and learns *who* it is: a kind and a platform id. Nothing else is
in the code, so a photographed QR code gives away no name, phone or address.

Token format, version 1
=======================

::

    KR1.<base32(payload)>.<base32(signature)>      a resident
    KV1.<base32(payload)>.<base32(signature)>      a volunteer

* Text: exactly the pass token's shape: upper-case RFC 4648 base32 (``A-Z2-7``) without
  padding, ``.`` between the parts, all in the QR alphanumeric set. One canonical spelling
  only: lower case, padding and non-zero unused bits are malformed. 140 to 190 characters.
* ``payload`` (20 to 51 bytes; big-endian integers)::

      0   u8      format version, 1 (must agree with the ``1`` of the prefix)
      1   4 B     key id: SHA-256(raw Ed25519 public key)[:4], as for passes
      5   u8      kind: 1 resident, 2 volunteer (must agree with the prefix)
      6   u32     subject id: the resident's or volunteer's platform id, ≥ 1
      10  u32     issued at, Unix seconds (UTC)
      14  u32     expires at, Unix seconds; 1 s to 15 min after issued at
      18  u8 length + community id, ASCII ``[A-Za-z0-9][A-Za-z0-9._:-]*``, 1..32 bytes
      end         nothing may follow

  The kind is written twice on purpose: the prefix lets the kiosk route a scanned code
  without decoding it (:func:`looks_like_identity_token`), and the byte makes the signed
  payload name its kind by itself. Both are signed; they must agree.
* ``signature``: Ed25519 over the ASCII bytes before the last dot, prefix included. The same
  key signs passes (``KP1.``) and both identity kinds, but every message starts with its own
  prefix, so no signature can be moved from one kind or format to another: a resident code is
  never a volunteer code, and neither is ever a pass.

Verification order (:meth:`IdentityVerifier.verify`); the first failing check gives the reason:

1. more than :data:`MAX_TOKEN_CHARS` (512) characters → ``OVERSIZED``;
2. anything outside printable ASCII → ``NOT_ASCII``. Both before any decoding;
3. shape, alphabet, canonical base32, the version byte and the kind byte's agreement with the
   prefix → ``MALFORMED``. Anything that is not a ``KR1``/``KV1`` token is ``MALFORMED``,
   a visitor pass (``KP1.…``) and future versions (``KR2.…``) included: the kiosk routes a
   scan by its prefix before it asks this module, so a pass never reaches ``verify`` there,
   and ``WRONG_KIND`` keeps its one meaning. Then a well-formed code of the *other*
   identity kind than ``expected`` → ``WRONG_KIND`` (decided on the unverified prefix: it is a
   refusal either way; a forger gains nothing from learning it);
4. key id not among the kiosk's public keys → ``WRONG_KEY``;
5. Ed25519 signature does not verify → ``BAD_SIGNATURE``;
6. the payload's fields (only parsed once the signature holds) → ``MALFORMED``: subject 0,
   an empty or longer than 15 minute validity, a bad community id, trailing bytes;
7. community id not this kiosk's → ``OTHER_COMMUNITY``;
8. time: accepted only while ``issued_at - skew < now < expires_at + skew`` (open at both
   ends; ``skew_s`` defaults to 60 s and may be 0..300 s) → ``NOT_YET_VALID`` / ``EXPIRED``.

No other exception escapes ``verify`` for any ``str`` token (fuzzed:
``bench/fuzz_identity_token.py`` and the property tests).

Why the codes live minutes, not hours
=====================================

An identity code is shown again and again, so unlike a pass it is not one-time: there is no
ledger, and a copy (a screenshot, a photo over someone's shoulder, a forwarded picture) works
exactly like the original. Short validity is what bounds that. The app shows a code valid for
:data:`DEFAULT_VALIDITY` (5 min) and renews it while it is on screen; the format itself refuses
anything valid for longer than :data:`MAX_VALIDITY` (15 min), however it was signed, so a copy
is worthless a quarter of an hour (plus the skew) after it was made.

What a code proves is therefore "someone had this person's unlocked phone a few minutes ago":
as much as tapping their card. For residents that identifies them (the platform may still
answer that the resident has moved out). For volunteers it is *not* a login: the kiosk
identifies the volunteer from the code and still asks for their PIN
(``Platform.verify_volunteer_pin``, with its lockout), so a copied volunteer code alone opens
nothing.
"""

from __future__ import annotations

import enum
import re
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from kiosk.security._tokens import (
    KEY_ID_BYTES,
    check_signature,
    check_skew,
    check_text,
    check_window,
    trusted_keys,
)
from kiosk.security.passes import (
    MAX_SKEW_S,
    MAX_TEXT_BYTES,
    SIGNATURE_BYTES,
    b32decode,
    b32encode,
    epoch_seconds,
    is_community_id,
    key_id,
)

__all__ = [
    "DEFAULT_SKEW_S",
    "DEFAULT_VALIDITY",
    "MAX_TOKEN_CHARS",
    "MAX_VALIDITY",
    "IdentityClaim",
    "IdentityKind",
    "IdentityRejectedError",
    "IdentityRejection",
    "IdentitySigner",
    "IdentityVerifier",
    "looks_like_identity_token",
]

# ---------------------------------------------------------------- format constants

_FORMAT_VERSION: Final = 1
MAX_TOKEN_CHARS: Final = 512
"""Anything longer is refused as ``OVERSIZED`` before it is looked at (the longest valid
code has 190 characters)."""

DEFAULT_VALIDITY: Final = timedelta(minutes=5)
"""How long a code is valid unless the signer is told otherwise."""

MAX_VALIDITY: Final = timedelta(minutes=15)
"""The longest validity the format allows: a longer-lived code is malformed."""

DEFAULT_SKEW_S: Final = 60.0
"""Accept a code this many seconds before it was issued and after it expired."""

_MAX_VALIDITY_S: Final = int(MAX_VALIDITY.total_seconds())
_MAX_U32: Final = 2**32 - 1

# version, key id, kind, subject id, issued at, expires at, community id length
_FIXED: Final = struct.Struct(">B4sBIIIB")
_MIN_PAYLOAD_BYTES: Final = _FIXED.size + 1
_MAX_PAYLOAD_BYTES: Final = _FIXED.size + MAX_TEXT_BYTES
_KIND_OFFSET: Final = 1 + KEY_ID_BYTES


def _b32_len(n_bytes: int) -> int:
    return -(-n_bytes * 8 // 5)


_TOKEN_RE: Final = re.compile(
    rf"(K[RV]1)\.([A-Z2-7]{{{_b32_len(_MIN_PAYLOAD_BYTES)},{_b32_len(_MAX_PAYLOAD_BYTES)}}})"
    rf"\.([A-Z2-7]{{{_b32_len(SIGNATURE_BYTES)}}})"
)


# ---------------------------------------------------------------- public types


class IdentityKind(enum.StrEnum):
    """Whose code it is."""

    RESIDENT = "resident"
    VOLUNTEER = "volunteer"


_PREFIX: Final[dict[IdentityKind, str]] = {
    IdentityKind.RESIDENT: "KR1",
    IdentityKind.VOLUNTEER: "KV1",
}
_KIND_OF_PREFIX: Final = {prefix: kind for kind, prefix in _PREFIX.items()}
_KIND_BYTE: Final[dict[IdentityKind, int]] = {
    IdentityKind.RESIDENT: 1,
    IdentityKind.VOLUNTEER: 2,
}


class IdentityRejection(enum.StrEnum):
    """Why an identity code was refused. Values are stable identifiers for logs and audit."""

    OVERSIZED = "oversized"
    """More than :data:`MAX_TOKEN_CHARS` characters."""
    NOT_ASCII = "not_ascii"
    """A character outside printable ASCII."""
    MALFORMED = "malformed"
    """Not a well-formed, canonical ``KR1``/``KV1`` code (visitor passes included)."""
    WRONG_KIND = "wrong_kind"
    """A resident code where a volunteer code was expected, or the other way round."""
    WRONG_KEY = "wrong_key"
    """Signed with a key this kiosk does not trust (unknown key id)."""
    BAD_SIGNATURE = "bad_signature"
    """The signature does not match: forged or altered."""
    OTHER_COMMUNITY = "other_community"
    """Issued for another community/station."""
    NOT_YET_VALID = "not_yet_valid"
    """Issued later than the kiosk's time (beyond the allowed skew)."""
    EXPIRED = "expired"
    """Its few minutes are over (beyond the allowed skew): the app shows a fresh one."""


class IdentityRejectedError(Exception):
    """An identity code was refused.

    The message is the reason's value only (no token text), so it can be logged as it is.

    Attributes:
        reason: Why.
    """

    def __init__(self, reason: IdentityRejection) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class IdentityClaim:
    """A verified identity code: signature, kind, community and time window all checked.

    It says who showed the code, not that the person still exists on the platform, and for a
    volunteer it is not a login (the PIN is still needed).

    Attributes:
        kind: Resident or volunteer.
        subject_id: The resident's or volunteer's platform id (≥ 1).
        community_id: The community/station the code was issued for (this kiosk's).
        issued_at: When the app's code was signed (aware, UTC).
        expires_at: When it stops being valid, before skew (aware, UTC).
        key_id: Which signing key (4 bytes).
    """

    kind: IdentityKind
    subject_id: int
    community_id: str
    issued_at: datetime
    expires_at: datetime
    key_id: bytes


def looks_like_identity_token(text: str) -> IdentityKind | None:
    """The kind a scanned text *claims* by its prefix (``KR1.``, ``KV1.``), else None.

    Constant time whatever the length; proves nothing. It lets the kiosk send a scan to the
    right place (identity, pass, short code) before anything is verified.
    """
    return _KIND_OF_PREFIX.get(text[:3]) if text[3:4] == "." else None


def _rejected(reason: str) -> IdentityRejectedError:
    return IdentityRejectedError(IdentityRejection(reason))


def _utc_now() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------- payload


def _encode(
    kid: bytes, kind: IdentityKind, subject_id: int, issued: int, expires: int, community: str
) -> bytes:
    raw = community.encode("ascii")
    head = _FIXED.pack(
        _FORMAT_VERSION, kid, _KIND_BYTE[kind], subject_id, issued, expires, len(raw)
    )
    return head + raw


def _decode(payload: bytes, kind: IdentityKind) -> IdentityClaim:
    """Parse a signed payload strictly; ``MALFORMED`` for any deviation.

    The caller has checked the length range, the version byte and the kind byte.
    """
    _, kid, _, subject_id, issued, expires, length = _FIXED.unpack_from(payload)
    if (
        subject_id == 0
        or not 0 < expires - issued <= _MAX_VALIDITY_S
        or _FIXED.size + length != len(payload)
    ):
        raise IdentityRejectedError(IdentityRejection.MALFORMED)
    try:
        community = payload[_FIXED.size :].decode("ascii")
    except UnicodeDecodeError:
        raise IdentityRejectedError(IdentityRejection.MALFORMED) from None
    if not is_community_id(community):
        raise IdentityRejectedError(IdentityRejection.MALFORMED)
    return IdentityClaim(
        kind=kind,
        subject_id=subject_id,
        community_id=community,
        issued_at=datetime.fromtimestamp(issued, UTC),
        expires_at=datetime.fromtimestamp(expires, UTC),
        key_id=kid,
    )


# ---------------------------------------------------------------- signer (platform side)


class IdentitySigner:
    """Issues identity codes. Runs where the private key is (platform, station signer).

    Args:
        private_key: The Ed25519 signing key (see :func:`kiosk.security.passes.load_private_key`).
        clock: Source of the current time (aware); injectable for tests.
    """

    def __init__(
        self, private_key: Ed25519PrivateKey, *, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self._key = private_key
        self._key_id = key_id(private_key.public_key())
        self._clock = clock

    def issue(
        self,
        kind: IdentityKind,
        subject_id: int,
        community_id: str,
        *,
        valid_for: timedelta = DEFAULT_VALIDITY,
    ) -> str:
        """Sign a code for ``subject_id``, valid from now (whole seconds) for ``valid_for``.

        Args:
            kind: Resident or volunteer.
            subject_id: The platform id, 1..2³²-1.
            community_id: The community/station the code is for.
            valid_for: 1 s to :data:`MAX_VALIDITY`, whole seconds.

        Raises:
            ValueError: An argument is out of range or invalid (the message names it), or
                the clock is naive.
        """
        kind = IdentityKind(kind)
        if isinstance(subject_id, bool) or not 1 <= subject_id <= _MAX_U32:
            raise ValueError(f"subject id must be 1 to {_MAX_U32}")
        if not is_community_id(community_id):
            raise ValueError(
                f"community id must be 1 to {MAX_TEXT_BYTES} ASCII letters, digits and . _ : -"
            )
        seconds = valid_for.total_seconds()
        if not 0 < seconds <= _MAX_VALIDITY_S or seconds != int(seconds):
            raise ValueError(
                f"valid_for must be whole seconds, more than 0 and at most {MAX_VALIDITY}"
            )
        issued = epoch_seconds(self._clock(), "now")
        expires = issued + int(seconds)
        if expires > _MAX_U32:
            raise ValueError("the code would expire after 2106")
        payload = _encode(self._key_id, kind, subject_id, issued, expires, community_id)
        signed_part = f"{_PREFIX[kind]}.{b32encode(payload)}"
        signature = self._key.sign(signed_part.encode("ascii"))
        return f"{signed_part}.{b32encode(signature)}"


# ---------------------------------------------------------------- verifier (kiosk side)


class IdentityVerifier:
    """Checks identity codes with public keys only. Stateless and thread-safe.

    Args:
        public_keys: Every key whose codes this kiosk accepts (the pass keys; several during
            a rollover).
        community_id: This kiosk's community/station id.
        clock: Source of the current time (aware); injectable for tests.
        skew_s: Accept a code this many seconds before its issue time and after its expiry
            (0..300 s).

    Raises:
        ValueError: No key, two keys with the same id, a skew outside 0..300 s, or an invalid
            community id.
    """

    def __init__(
        self,
        public_keys: Iterable[Ed25519PublicKey],
        *,
        community_id: str,
        clock: Callable[[], datetime] = _utc_now,
        skew_s: float = DEFAULT_SKEW_S,
    ) -> None:
        keys = trusted_keys(public_keys, what="an identity verifier")
        if not is_community_id(community_id):
            raise ValueError("invalid community id")
        check_skew("skew_s", skew_s, MAX_SKEW_S)
        self._keys = keys
        self._community_id = community_id
        self._clock = clock
        self._skew_s = float(skew_s)

    def verify(
        self, token: str, *, expected: IdentityKind, now: datetime | None = None
    ) -> IdentityClaim:
        """Check ``token`` completely as a code of the ``expected`` kind.

        Args:
            token: The scanned text.
            expected: The kind the kiosk is asking for.
            now: The time to check against (aware). Default: the clock's.

        Returns:
            Who it is.

        Raises:
            IdentityRejectedError: With the first failing check's reason (module docstring).
                Never anything else for a ``str`` token.
            ValueError: ``now`` or the clock's time is naive (a programming error).
        """
        # 1-2. Size and character set, before anything else looks at the text.
        check_text(token, MAX_TOKEN_CHARS, _rejected)
        # 3. Shape, canonical base32, version and kind agreement; then the kind asked for.
        match = _TOKEN_RE.fullmatch(token)
        if match is None:
            raise IdentityRejectedError(IdentityRejection.MALFORMED)
        kind = _KIND_OF_PREFIX[match[1]]
        payload = b32decode(match[2])
        signature = b32decode(match[3])
        if (
            payload is None
            or signature is None
            or payload[0] != _FORMAT_VERSION
            or payload[_KIND_OFFSET] != _KIND_BYTE[kind]
        ):
            raise IdentityRejectedError(IdentityRejection.MALFORMED)
        if kind != expected:
            raise IdentityRejectedError(IdentityRejection.WRONG_KIND)
        # 4-5. Key and signature, before the payload's fields are parsed.
        check_signature(self._keys, payload, signature, token[: match.start(3) - 1], _rejected)
        # 6-8. Fields, community, time window.
        claim = _decode(payload, kind)
        if claim.community_id != self._community_id:
            raise IdentityRejectedError(IdentityRejection.OTHER_COMMUNITY)
        check_window(
            self._clock() if now is None else now,
            claim.issued_at,
            claim.expires_at,
            not_before_skew_s=self._skew_s,
            expiry_skew_s=self._skew_s,
            reject=_rejected,
        )
        return claim
