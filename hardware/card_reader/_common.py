"""Pieces shared by the card reader back-ends: key check, hashing, state and event delivery.

NOTE: Qt-free zone. A raw UID never leaves these helpers: :func:`hash_uid` is the only way a
back-end turns one into something it hands on, and nothing here logs values.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from hardware.cards import MIN_KEY_BYTES, card_uid_hash
from hardware.protocols import CardEvent
from hardware.status import StatusReporter, deliver

__all__ = ["EventCallback", "StatusReporter", "check_key", "deliver_event", "hash_uid"]

_log = logging.getLogger(__name__)

EventCallback = Callable[[CardEvent], None]


def check_key(key: bytes) -> bytes:
    """``key`` if it is long enough for :func:`hardware.cards.card_uid_hash`, else ValueError."""
    if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
        raise ValueError(f"card hash key must be at least {MIN_KEY_BYTES} bytes")
    return bytes(key)


def hash_uid(uid: str, key: bytes) -> str | None:
    """The keyed hash of ``uid``, or None when it is not a usable UID (nothing is logged)."""
    try:
        return card_uid_hash(uid, key)
    except ValueError:
        return None


def deliver_event(callback: EventCallback | None, event: CardEvent) -> None:
    """Call ``on_event``; an exception in it is logged (type only) and never stops a reader."""
    deliver(callback, event, "card event")
