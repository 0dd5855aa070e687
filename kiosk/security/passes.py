"""Signed visitor passes: Ed25519 tokens small enough for a QR code (ARCHITECTURE.md §6).

NOTE: Qt-free zone. :class:`PassVerifier` needs public keys only; :class:`PassSigner` and
:func:`load_private_key` are for the station signer and never run on a kiosk.

Token format, version 1
=======================

::

    KP1.<base32(payload)>.<base32(signature)>

* Text: the upper-case RFC 4648 base32 alphabet (``A-Z2-7``) without ``=`` padding, ``.``
  between the parts. All of it is in the QR *alphanumeric* mode set, which packs a character in
  5.5 bits instead of 8: a typical pass is ~203 characters and a version 8-M symbol (49×49
  modules), where the same pass as base64url would be ~170 characters but need version 9-M
  (53×53), because base64url's lower-case letters force byte mode. Fewer, larger modules scan
  better from a phone screen.
* Canonical: exactly one spelling is accepted. Lower case, padding, other alphabets and
  non-zero unused bits in the last character are all malformed, so a mutated spelling of a
  valid token can never verify.
* ``payload`` (36 to 129 bytes; big-endian integers)::

      0   u8      format version, 1 (must agree with the ``KP1`` prefix)
      1   4 B     key id: SHA-256(raw 32-byte Ed25519 public key)[:4]
      5   16 B    pass id (a UUID's bytes)
      21  u32     valid from, Unix seconds (UTC)
      25  u32     valid until, Unix seconds (UTC); later than valid from
      29  u8      uses allowed, 1..255
      30  3 × (u8 length, bytes):
                  community id  ASCII ``[A-Za-z0-9][A-Za-z0-9._:-]*``, 1..32 bytes
                  household     UTF-8 label such as ``3-2-501``, 1..32 bytes
                  visitor name  UTF-8 display name as given (screens mask it), 1..32 bytes
      end         nothing may follow

  Names and labels: strict UTF-8 (no surrogates, no overlong forms), no control, format
  (bidi overrides, zero-width), surrogate or line/paragraph-separator characters, no
  leading or trailing white space.
* ``signature``: Ed25519 over the ASCII bytes ``KP1.<base32(payload)>``, i.e. everything
  before the last dot, so the version prefix is signed too (domain separation: a KP1
  signature cannot be replayed under another prefix or another format). The algorithm is
  fixed by the version; there is no algorithm field to swap.

Verification order (:meth:`PassVerifier.verify`); the first failing check gives the reason:

1. more than :data:`MAX_TOKEN_CHARS` (2048) characters → ``OVERSIZED``;
2. anything outside printable ASCII (0x20–0x7E: catches NUL, C0, DEL, C1, lone
   surrogates, full-width forms) → ``NOT_ASCII``. Both before any decoding, so a 1 MB
   input costs one ``len`` and a 2 KB one a C-speed scan;
3. prefix ``KP<n>`` with n ≠ 1 → ``UNSUPPORTED_VERSION``; any other shape, length,
   alphabet or non-canonical base32, or a payload version byte ≠ 1 → ``MALFORMED``;
4. key id not among the kiosk's public keys → ``WRONG_KEY``;
5. Ed25519 signature does not verify → ``BAD_SIGNATURE`` (OpenSSL also refuses the
   malleable ``S ≥ L`` form);
6. payload fields (only parsed once the signature holds) → ``MALFORMED``;
7. community id not this kiosk's → ``OTHER_COMMUNITY``;
8. time window → ``NOT_YET_VALID`` / ``EXPIRED`` (below);
9. and in :class:`PassRedeemer`, the shared ledger → ``ALREADY_USED``.

No other exception escapes ``verify`` for any ``str`` input (fuzzed: ``bench/fuzz_pass_token.py``
and the property tests). ``verify`` costs ~0.1 ms (one Ed25519 verification at most).

Clock skew
==========

ARCHITECTURE §6 asks for ±5 min, RELIABILITY 13 for at most 60 s into the future (FAPI).
Both are honoured, one per side, because the risks differ:

* ``expiry_skew_s`` (default 300 s): a pass is accepted until ``valid_until + 300 s``. A
  visitor at the door at 17:59 with a pass until 18:00 must not be turned away by a kiosk
  clock a few minutes fast; the cost is a pass that works a few minutes longer, on a visit
  the resident approved anyway. 300 s is RFC 7519's "a few minutes", not more.
* ``not_before_skew_s`` (default 60 s): a pass is accepted from ``valid_from - 60 s``.
  Early use is the riskier side (tomorrow's pass used today) and a visitor who is early can
  wait; 60 s matches FAPI and the NTP drift alarm of RELIABILITY 11. So that an honest
  kiosk whose clock lags the signer's still accepts a pass issued a moment ago, the signer
  starts a pass's window :data:`DEFAULT_BACKDATE_S` before the issue time when no
  ``valid_from`` is given (nothing is given away: the pass did not exist before then).

The accepted window is open at both ends: ``valid_from - not_before_skew_s < now <
valid_until + expiry_skew_s``, so a pass exactly 60 s early is refused, as FAPI asks. Each
skew must lie in 0..300 s.

One-time use
============

:class:`RedemptionLedger` records uses; the store implementation (``kiosk.store``) is
shared by every kiosk on the station database, so a one-time pass works once per station,
not once per kiosk. :class:`PassRedeemer` verifies and then redeems.
"""

from __future__ import annotations

import base64
import binascii
import enum
import os
import re
import stat
import struct
import threading
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final, Protocol

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
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
    key_id,
    trusted_keys,
)

__all__ = [
    "DEFAULT_BACKDATE_S",
    "DEFAULT_EXPIRY_SKEW_S",
    "DEFAULT_NOT_BEFORE_SKEW_S",
    "FORMAT_VERSION",
    "MAX_SKEW_S",
    "MAX_TEXT_BYTES",
    "MAX_TOKEN_CHARS",
    "TOKEN_PREFIX",
    "AlreadyUsedError",
    "InMemoryRedemptionLedger",
    "PassContent",
    "PassKeyError",
    "PassRedeemer",
    "PassRejectedError",
    "PassRejection",
    "PassSigner",
    "PassVerifier",
    "RedeemedPass",
    "RedemptionLedger",
    "VerifiedPass",
    "b32decode",
    "b32encode",
    "decode_payload",
    "encode_payload",
    "epoch_seconds",
    "generate_keypair",
    "is_community_id",
    "key_id",
    "load_private_key",
    "load_public_key",
    "load_public_keys",
]

# ---------------------------------------------------------------- format constants

TOKEN_PREFIX: Final = "KP1"
"""The version-1 prefix, also the first signed bytes."""

FORMAT_VERSION: Final = 1
"""The payload's version byte for ``KP1``."""

MAX_TOKEN_CHARS: Final = 2048
"""Anything longer is refused as ``OVERSIZED`` before it is looked at (RELIABILITY 15)."""

MAX_TEXT_BYTES: Final = 32
"""Upper bound, in UTF-8 bytes, of the community id, household label and visitor name."""

PASS_ID_BYTES: Final = 16
SIGNATURE_BYTES: Final = 64
MAX_USES: Final = 255
_MAX_U32: Final = 2**32 - 1

DEFAULT_NOT_BEFORE_SKEW_S: Final = 60.0
"""Accept a pass this many seconds before its ``valid_from`` (FAPI, RELIABILITY 13)."""

DEFAULT_EXPIRY_SKEW_S: Final = 300.0
"""Accept a pass this many seconds after its ``valid_until`` (ARCHITECTURE §6)."""

MAX_SKEW_S: Final = 300.0
"""No skew above RFC 7519's "a few minutes" can be configured."""

DEFAULT_BACKDATE_S: Final = 300
"""Without an explicit ``valid_from`` the signer starts the window this long before now."""

# version, key id, pass id, valid from, valid until, uses allowed
_FIXED: Final = struct.Struct(">B4s16sIIB")
_TEXT_FIELDS: Final = 3
_MIN_PAYLOAD_BYTES: Final = _FIXED.size + _TEXT_FIELDS * 2
_MAX_PAYLOAD_BYTES: Final = _FIXED.size + _TEXT_FIELDS * (1 + MAX_TEXT_BYTES)


def _b32_len(n_bytes: int) -> int:
    return -(-n_bytes * 8 // 5)


_SIG_CHARS: Final = _b32_len(SIGNATURE_BYTES)
_TOKEN_RE: Final = re.compile(
    rf"{TOKEN_PREFIX}\.([A-Z2-7]{{{_b32_len(_MIN_PAYLOAD_BYTES)},{_b32_len(_MAX_PAYLOAD_BYTES)}}})"
    rf"\.([A-Z2-7]{{{_SIG_CHARS}}})"
)
# What a future version's prefix looks like: reported as UNSUPPORTED_VERSION, not MALFORMED.
_VERSIONED_PREFIX_RE: Final = re.compile(r"KP[1-9][0-9]{0,2}")
_COMMUNITY_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
# Control, format (bidi overrides, zero-width), surrogate, line and paragraph separators.
_FORBIDDEN_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


# ---------------------------------------------------------------- rejection


class PassRejection(enum.StrEnum):
    """Why a pass was refused. Values are stable identifiers for logs and the audit trail."""

    OVERSIZED = "oversized"
    """More than :data:`MAX_TOKEN_CHARS` characters."""
    NOT_ASCII = "not_ascii"
    """A character outside printable ASCII (controls, NUL, C1, surrogates, full-width...)."""
    UNSUPPORTED_VERSION = "unsupported_version"
    """A pass format this kiosk does not know (``KP2.…``): update the kiosk."""
    MALFORMED = "malformed"
    """Not a well-formed, canonical version-1 token."""
    WRONG_KEY = "wrong_key"
    """Signed with a key this kiosk does not trust (unknown key id)."""
    BAD_SIGNATURE = "bad_signature"
    """The signature does not match: forged or altered."""
    OTHER_COMMUNITY = "other_community"
    """Issued for another community/station."""
    NOT_YET_VALID = "not_yet_valid"
    """Its validity starts later (beyond the allowed skew)."""
    EXPIRED = "expired"
    """Its validity ended (beyond the allowed skew)."""
    ALREADY_USED = "already_used"
    """All its allowed uses have been redeemed at this station."""


class PassRejectedError(Exception):
    """A pass was refused.

    The message is the reason's value only: no token text and no personal data, so the
    exception can be logged as it is.

    Attributes:
        reason: Why.
    """

    def __init__(self, reason: PassRejection) -> None:
        super().__init__(reason.value)
        self.reason = reason


# ---------------------------------------------------------------- content


@dataclass(frozen=True, slots=True)
class PassContent:
    """The fields of a pass, as decoded; **not** proof of anything by itself.

    ``repr`` leaves out the household and the visitor's name (personal data in logs).

    Attributes:
        key_id: Which signing key (4 bytes).
        pass_id: 16 bytes (a UUID): the one-time-use key.
        community_id: Community/station the pass is for.
        household: The host household's label, e.g. ``"3-2-501"``.
        visitor_name: The visitor's display name as issued (mask it on screens).
        valid_from: Start of validity (aware, UTC).
        valid_until: End of validity (aware, UTC).
        uses_allowed: How many redemptions the pass allows (1..255).
    """

    key_id: bytes
    pass_id: bytes
    community_id: str
    household: str = field(repr=False)
    visitor_name: str = field(repr=False)
    valid_from: datetime
    valid_until: datetime
    uses_allowed: int

    @property
    def pass_uuid(self) -> uuid.UUID:
        """The pass id as a UUID."""
        return uuid.UUID(bytes=self.pass_id)


@dataclass(frozen=True, slots=True)
class VerifiedPass(PassContent):
    """A pass whose signature, community and time window have been checked.

    Only :meth:`PassVerifier.verify` makes these. It has not been redeemed: use
    :class:`PassRedeemer` to admit a visitor.
    """


@dataclass(frozen=True, slots=True)
class RedeemedPass:
    """A verified pass whose use has been recorded.

    Attributes:
        verified: The pass.
        use_number: Which use this was (1 for the first; ≤ ``uses_allowed``).
    """

    verified: VerifiedPass
    use_number: int


# ---------------------------------------------------------------- binary payload


def _text_ok(value: str) -> bool:
    if not value or value != value.strip():
        return False
    return not any(unicodedata.category(ch) in _FORBIDDEN_CATEGORIES for ch in value)


def _encode_text(value: str, what: str) -> bytes:
    try:
        raw = value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} is not valid Unicode text") from None
    if not 1 <= len(raw) <= MAX_TEXT_BYTES:
        raise ValueError(f"{what} must be 1 to {MAX_TEXT_BYTES} UTF-8 bytes, not {len(raw)}")
    if not _text_ok(value):
        raise ValueError(
            f"{what} has control or invisible characters, or white space at either end"
        )
    return raw


def encode_payload(content: PassContent) -> bytes:
    """The binary payload of ``content`` (see the module docstring).

    Raises:
        ValueError: A field is out of range (the message names it).
    """
    if len(content.key_id) != KEY_ID_BYTES:
        raise ValueError(f"key id must be {KEY_ID_BYTES} bytes")
    if len(content.pass_id) != PASS_ID_BYTES:
        raise ValueError(f"pass id must be {PASS_ID_BYTES} bytes")
    if not _COMMUNITY_RE.fullmatch(content.community_id):
        raise ValueError("community id must be ASCII letters, digits and . _ : - only")
    valid_from = epoch_seconds(content.valid_from, "valid_from")
    valid_until = epoch_seconds(content.valid_until, "valid_until")
    if valid_until <= valid_from:
        raise ValueError("valid_until must be later than valid_from")
    if not 1 <= content.uses_allowed <= MAX_USES:
        raise ValueError(f"uses allowed must be 1 to {MAX_USES}")
    parts = [
        _FIXED.pack(
            FORMAT_VERSION,
            content.key_id,
            content.pass_id,
            valid_from,
            valid_until,
            content.uses_allowed,
        )
    ]
    for value, what in (
        (content.community_id, "community id"),
        (content.household, "household"),
        (content.visitor_name, "visitor name"),
    ):
        raw = _encode_text(value, what)
        parts += [bytes([len(raw)]), raw]
    return b"".join(parts)


def epoch_seconds(value: datetime, what: str) -> int:
    """``value`` as whole Unix seconds (fraction dropped) that fit a u32.

    Raises:
        ValueError: ``value`` is naive, or outside 1970..2106 (the message names ``what``).
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    seconds = int(value.timestamp())
    if not 0 <= seconds <= _MAX_U32:
        raise ValueError(f"{what} is outside 1970..2106")
    return seconds


def _rejected(reason: str) -> PassRejectedError:
    return PassRejectedError(PassRejection(reason))


def _malformed() -> PassRejectedError:
    return PassRejectedError(PassRejection.MALFORMED)


def decode_payload(payload: bytes) -> PassContent:
    """Parse a binary payload strictly. Checks structure only, not the signature.

    Raises:
        PassRejectedError: ``MALFORMED`` for any deviation from the format: wrong version
            byte, short or trailing bytes, over-long or invalid text, empty window, zero
            uses. Nothing else is raised, whatever the bytes.
    """
    if not _MIN_PAYLOAD_BYTES <= len(payload) <= _MAX_PAYLOAD_BYTES:
        raise _malformed()
    version, kid, pass_id, valid_from, valid_until, uses = _FIXED.unpack_from(payload)
    if version != FORMAT_VERSION or valid_until <= valid_from or uses == 0:
        raise _malformed()
    texts: list[str] = []
    pos = _FIXED.size
    for _ in range(_TEXT_FIELDS):
        if pos >= len(payload):
            raise _malformed()
        n = payload[pos]
        end = pos + 1 + n
        if n == 0 or n > MAX_TEXT_BYTES or end > len(payload):
            raise _malformed()
        try:
            text = payload[pos + 1 : end].decode("utf-8")
        except UnicodeDecodeError:
            raise _malformed() from None
        if not _text_ok(text):
            raise _malformed()
        texts.append(text)
        pos = end
    if pos != len(payload) or not _COMMUNITY_RE.fullmatch(texts[0]):
        raise _malformed()
    return PassContent(
        key_id=kid,
        pass_id=pass_id,
        community_id=texts[0],
        household=texts[1],
        visitor_name=texts[2],
        valid_from=datetime.fromtimestamp(valid_from, UTC),
        valid_until=datetime.fromtimestamp(valid_until, UTC),
        uses_allowed=uses,
    )


# ---------------------------------------------------------------- base32 text


def b32encode(raw: bytes) -> str:
    """Upper-case RFC 4648 base32 of ``raw`` without ``=`` padding: the token spelling."""
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def b32decode(text: str) -> bytes | None:
    """Canonical unpadded base32 → bytes, or None. ``text`` is already ``[A-Z2-7]*``.

    None for a length no byte string encodes to and for non-zero unused bits in the last
    character, so exactly one spelling of any bytes decodes (the inverse of
    :func:`b32encode`).
    """
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        return None
    # A valid but non-canonical spelling (non-zero unused bits) re-encodes differently.
    return raw if b32encode(raw) == text else None


def is_community_id(text: str) -> bool:
    """Whether ``text`` is a valid community id: ASCII ``[A-Za-z0-9][A-Za-z0-9._:-]*``, at
    most :data:`MAX_TEXT_BYTES` long."""
    return len(text) <= MAX_TEXT_BYTES and _COMMUNITY_RE.fullmatch(text) is not None


# ---------------------------------------------------------------- signer (station side)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PassSigner:
    """Issues passes. Runs on the station signer / platform, which holds the private key.

    Args:
        private_key: The Ed25519 signing key (see :func:`load_private_key`).
        clock: Source of the current time (aware); injectable for tests.
    """

    def __init__(
        self, private_key: Ed25519PrivateKey, *, clock: Callable[[], datetime] = _utc_now
    ) -> None:
        self._key = private_key
        self._key_id = key_id(private_key.public_key())
        self._clock = clock

    @property
    def key_id(self) -> bytes:
        """The id of this signer's key, as written into its passes."""
        return self._key_id

    def public_key(self) -> Ed25519PublicKey:
        """The matching public key (what kiosks are given)."""
        return self._key.public_key()

    def issue(
        self,
        *,
        community_id: str,
        household: str,
        visitor_name: str,
        valid_until: datetime,
        valid_from: datetime | None = None,
        uses_allowed: int = 1,
        pass_id: uuid.UUID | None = None,
    ) -> str:
        """Sign a pass and return its token.

        Args:
            community_id: The community/station the pass is for.
            household: The host household's label (``"3-2-501"``), 1..32 UTF-8 bytes.
            visitor_name: The visitor's display name, as given (NFC-normalised),
                1..32 UTF-8 bytes (about 10 hanzi).
            valid_until: End of validity (aware); must be in the future.
            valid_from: Start of validity (aware). Default: :data:`DEFAULT_BACKDATE_S`
                before now (see the module docstring, *Clock skew*).
            uses_allowed: 1..255 redemptions.
            pass_id: The pass id. Default: a new random UUID4.

        Raises:
            ValueError: A field is out of range or invalid (the message names it).
        """
        now = self._clock()
        if valid_from is None:
            valid_from = now - timedelta(seconds=DEFAULT_BACKDATE_S)
        if epoch_seconds(valid_until, "valid_until") <= epoch_seconds(now, "now"):
            raise ValueError("valid_until is not in the future")
        content = PassContent(
            key_id=self._key_id,
            pass_id=(pass_id if pass_id is not None else uuid.uuid4()).bytes,
            community_id=community_id,
            household=unicodedata.normalize("NFC", household),
            visitor_name=unicodedata.normalize("NFC", visitor_name),
            valid_from=valid_from,
            valid_until=valid_until,
            uses_allowed=uses_allowed,
        )
        signed_part = f"{TOKEN_PREFIX}.{b32encode(encode_payload(content))}"
        signature = self._key.sign(signed_part.encode("ascii"))
        return f"{signed_part}.{b32encode(signature)}"


# ---------------------------------------------------------------- verifier (kiosk side)


class PassVerifier:
    """Checks pass tokens with public keys only. Stateless and thread-safe.

    Args:
        public_keys: Every key whose passes this kiosk accepts (several during a key
            rollover). Key ids are computed from the keys.
        community_id: This kiosk's community/station id.
        clock: Source of the current time (aware); injectable for tests.
        not_before_skew_s: Accept a pass this many seconds before its ``valid_from``.
        expiry_skew_s: Accept a pass this many seconds after its ``valid_until``.

    Raises:
        ValueError: No key, two keys with the same id, a skew outside 0..300 s, or an
            invalid community id.
    """

    def __init__(
        self,
        public_keys: Iterable[Ed25519PublicKey],
        *,
        community_id: str,
        clock: Callable[[], datetime] = _utc_now,
        not_before_skew_s: float = DEFAULT_NOT_BEFORE_SKEW_S,
        expiry_skew_s: float = DEFAULT_EXPIRY_SKEW_S,
    ) -> None:
        keys = trusted_keys(public_keys, what="a pass verifier")
        if not is_community_id(community_id):
            raise ValueError("invalid community id")
        check_skew("not_before_skew_s", not_before_skew_s, MAX_SKEW_S)
        check_skew("expiry_skew_s", expiry_skew_s, MAX_SKEW_S)
        self._keys = keys
        self._community_id = community_id
        self._clock = clock
        self._not_before_skew_s = float(not_before_skew_s)
        self._expiry_skew_s = float(expiry_skew_s)

    @property
    def key_ids(self) -> frozenset[bytes]:
        """The ids of the trusted keys."""
        return frozenset(self._keys)

    def verify(self, token: str, *, now: datetime | None = None) -> VerifiedPass:
        """Check ``token`` completely, except for one-time use (see :class:`PassRedeemer`).

        Args:
            token: The scanned text.
            now: The time to check against (aware). Default: the clock's.

        Returns:
            The pass.

        Raises:
            PassRejectedError: With the first failing check's reason (module docstring).
                Never anything else for a ``str`` token.
            ValueError: ``now`` or the clock's time is naive (a programming error).
        """
        # 1-2. Size and character set, before anything else looks at the text.
        check_text(token, MAX_TOKEN_CHARS, _rejected)
        # 3. Shape, version and canonical base32.
        match = _TOKEN_RE.fullmatch(token)
        if match is None:
            prefix = token.partition(".")[0]
            if prefix != TOKEN_PREFIX and _VERSIONED_PREFIX_RE.fullmatch(prefix):
                raise PassRejectedError(PassRejection.UNSUPPORTED_VERSION)
            raise _malformed()
        payload = b32decode(match[1])
        signature = b32decode(match[2])
        if payload is None or signature is None or payload[0] != FORMAT_VERSION:
            raise _malformed()
        # 4-5. Key and signature, before the payload's fields are parsed.
        check_signature(self._keys, payload, signature, token[: match.start(2) - 1], _rejected)
        # 6-8. Fields, community, time window.
        content = decode_payload(payload)
        if content.community_id != self._community_id:
            raise PassRejectedError(PassRejection.OTHER_COMMUNITY)
        check_window(
            self._clock() if now is None else now,
            content.valid_from,
            content.valid_until,
            not_before_skew_s=self._not_before_skew_s,
            expiry_skew_s=self._expiry_skew_s,
            reject=_rejected,
        )
        return VerifiedPass(
            key_id=content.key_id,
            pass_id=content.pass_id,
            community_id=content.community_id,
            household=content.household,
            visitor_name=content.visitor_name,
            valid_from=content.valid_from,
            valid_until=content.valid_until,
            uses_allowed=content.uses_allowed,
        )


# ---------------------------------------------------------------- one-time use


class AlreadyUsedError(Exception):
    """Every allowed use of a pass has been redeemed.

    Attributes:
        uses_so_far: How many redemptions are recorded (≥ ``uses_allowed``).
    """

    def __init__(self, uses_so_far: int) -> None:
        super().__init__(f"pass already used {uses_so_far} time(s)")
        self.uses_so_far = uses_so_far


class RedemptionLedger(Protocol):
    """Where redemptions of passes are recorded, shared by all kiosks of a station.

    Contract of :meth:`redeem`, which every implementation must keep:

    * **Atomic check-and-record.** Counting the pass's earlier redemptions and recording
      the new one is one indivisible step against every other caller: other threads,
      processes, and *other kiosks sharing the station database*. For a pass allowing k
      uses, at most k uses are ever recorded, with the distinct use numbers 1..k, and a
      call is refused only when k uses are already recorded: of N concurrent first calls,
      exactly ``min(N, k)`` succeed and the rest raise :class:`AlreadyUsedError`. The store
      implementation does this with a ``UNIQUE (pass_id, use_number)`` constraint (insert
      use ``count + 1``; on a unique violation recount and retry or refuse) or a row lock
      on the pass (``SELECT … FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite).
    * **Durable before returning.** When ``redeem`` returns, the redemption is committed:
      a crash after that cannot undo it (the visitor was admitted).
    * **Nothing recorded on refusal.** :class:`AlreadyUsedError` leaves the ledger as it
      was, and so does any other exception (a database error propagates as itself; it is
      not a rejection of the pass).
    * ``uses_allowed`` comes from the signed pass; the ledger trusts it.
    * ``kiosk_id`` and ``at`` are recorded with the use for the audit trail and for
      the platform (redemptions are also reported upstream through the outbox).

    Kiosks that do *not* share a database (offline, one SQLite file each) can each admit a
    one-time pass once until they sync; that window is bounded by the pass's validity
    (RELIABILITY 14).
    """

    def redeem(self, pass_id: bytes, uses_allowed: int, *, kiosk_id: str, at: datetime) -> int:
        """Record one use of ``pass_id``; return the number of uses so far, this one included.

        Raises:
            AlreadyUsedError: ``uses_allowed`` uses are already recorded; nothing recorded.
        """
        ...


class InMemoryRedemptionLedger:
    """A :class:`RedemptionLedger` in a dict behind a lock (tests, practice mode).

    Shared by every :class:`PassRedeemer` given the same instance, like kiosks sharing a
    station database.

    Attributes:
        records: Every recorded use as ``(pass_id, use_number, kiosk_id, at)``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._uses: dict[bytes, int] = {}
        self.records: list[tuple[bytes, int, str, datetime]] = []

    def redeem(self, pass_id: bytes, uses_allowed: int, *, kiosk_id: str, at: datetime) -> int:
        with self._lock:
            used = self._uses.get(pass_id, 0)
            if used >= uses_allowed:
                raise AlreadyUsedError(used)
            self._uses[pass_id] = used + 1
            self.records.append((pass_id, used + 1, kiosk_id, at))
            return used + 1


class PassRedeemer:
    """Verifies a scanned pass, then records its use in the shared ledger.

    Args:
        verifier: Checks the token.
        ledger: The station's redemption ledger.
        kiosk_id: This kiosk, recorded with each use.
        clock: Source of the current time (aware); the same instant is used for the
            validity check and the ledger record.
    """

    def __init__(
        self,
        verifier: PassVerifier,
        ledger: RedemptionLedger,
        *,
        kiosk_id: str,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._verifier = verifier
        self._ledger = ledger
        self._kiosk_id = kiosk_id
        self._clock = clock

    def redeem(self, token: str) -> RedeemedPass:
        """Verify ``token`` and record one use.

        Raises:
            PassRejectedError: Any verification failure, or ``ALREADY_USED``.
            Exception: Whatever the ledger raises besides :class:`AlreadyUsedError`
                (e.g. the database is unreachable): not the pass's fault, so not mapped
                to a rejection.
        """
        now = self._clock()
        verified = self._verifier.verify(token, now=now)
        try:
            use = self._ledger.redeem(
                verified.pass_id, verified.uses_allowed, kiosk_id=self._kiosk_id, at=now
            )
        except AlreadyUsedError:
            raise PassRejectedError(PassRejection.ALREADY_USED) from None
        return RedeemedPass(verified=verified, use_number=use)


# ---------------------------------------------------------------- key files


class PassKeyError(Exception):
    """A key file is missing, unreadable, of the wrong kind, or too widely readable."""


def _write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(path, mode)  # O_CREAT's mode is filtered by the umask


def generate_keypair(
    private_path: Path, public_path: Path, *, passphrase: bytes | None = None
) -> Ed25519PublicKey:
    """Create a signing key pair as PEM files: private (PKCS#8, mode 0600), public (0644).

    The private key belongs on the station signer only; copy the public file to kiosks.
    Existing files are never overwritten.

    Args:
        private_path: Where the private key goes (parent created with mode 0700).
        public_path: Where the public key goes.
        passphrase: Encrypt the private key with it (recommended off-line).

    Returns:
        The public key.

    Raises:
        PassKeyError: A target file exists, or the two paths are the same.
    """
    if private_path.resolve() == public_path.resolve():
        raise PassKeyError("the private and public key paths must differ")
    for path in (private_path, public_path):
        if path.exists():
            raise PassKeyError(f"{path} exists; refusing to overwrite a key")
    key = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    public = key.public_key()
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    private_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    public_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _write_new(private_path, private_pem, 0o600)
        _write_new(public_path, public_pem, 0o644)
    except FileExistsError as exc:
        raise PassKeyError(f"{exc.filename} exists; refusing to overwrite a key") from None
    return public


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PassKeyError(f"cannot read key file {path}: {exc.strerror}") from None


def load_private_key(path: Path, *, passphrase: bytes | None = None) -> Ed25519PrivateKey:
    """Load the station signer's private key (PEM).

    Raises:
        PassKeyError: Unreadable, readable by group or others, wrong passphrase, or not an
            Ed25519 private key.
    """
    data = _read(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise PassKeyError(f"private key {path} is readable by others (mode {mode:o}); chmod 600")
    try:
        key = serialization.load_pem_private_key(data, password=passphrase)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise PassKeyError(f"{path} is not a usable private key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise PassKeyError(f"{path} is not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Load a pass-verification public key (PEM), as a kiosk does.

    Raises:
        PassKeyError: Unreadable, not an Ed25519 public key, or a *private* key (which must
            never be installed on a kiosk).
    """
    data = _read(path)
    if b"PRIVATE KEY" in data:
        raise PassKeyError(
            f"{path} holds a private key; kiosks take the public key only (remove it)"
        )
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise PassKeyError(f"{path} is not a usable public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise PassKeyError(f"{path} is not an Ed25519 public key")
    return key


def load_public_keys(paths: Iterable[Path]) -> list[Ed25519PublicKey]:
    """:func:`load_public_key` for each path (e.g. config ``security.pass_public_keys``)."""
    return [load_public_key(path) for path in paths]
