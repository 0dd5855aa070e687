"""Keyed hashing of card UIDs: the store never keeps a UID, only its HMAC.

A card reader may deliver the same UID as ``04:a1:b2:c3``, ``04A1B2C3`` or ``04 A1 B2 C3``;
:func:`normalize_card_uid` maps all of these to one form before hashing, so a card matches
whatever reader enrolled it.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["MIN_KEY_BYTES", "card_uid_hash", "normalize_card_uid"]

MIN_KEY_BYTES = 16


def normalize_card_uid(uid: str) -> str:
    """Upper-case letters and digits of ``uid``, separators and whitespace dropped.

    Raises:
        ValueError: Nothing is left, or the UID holds characters other than ASCII letters,
            digits, ``:``, ``-`` and whitespace.
    """
    kept: list[str] = []
    for ch in uid:
        if ch.isspace() or ch in ":-":
            continue
        if not (ch.isascii() and ch.isalnum()):
            raise ValueError("card UID holds an unexpected character")
        kept.append(ch.upper())
    if not kept:
        raise ValueError("empty card UID")
    return "".join(kept)


def card_uid_hash(uid: str, key: bytes) -> str:
    """HMAC-SHA256 (lower-case hex, 64 characters) of the normalised ``uid`` under ``key``.

    Raises:
        ValueError: The key is shorter than :data:`MIN_KEY_BYTES` or the UID is malformed.
    """
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"card hash key must be at least {MIN_KEY_BYTES} bytes")
    message = normalize_card_uid(uid).encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()
