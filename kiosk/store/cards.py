"""Keyed hashing of card UIDs (defined in ``hardware.cards``: drivers hash before anything
leaves them; the store compares hashes)."""

from hardware.cards import MIN_KEY_BYTES, card_uid_hash, normalize_card_uid

__all__ = ["MIN_KEY_BYTES", "card_uid_hash", "normalize_card_uid"]
