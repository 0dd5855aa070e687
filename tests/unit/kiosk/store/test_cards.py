from __future__ import annotations

import re

import pytest

from kiosk.store.cards import card_uid_hash, normalize_card_uid

KEY = b"0123456789abcdef"


@pytest.mark.parametrize(
    "uid", ["04a1b2c3", "04A1B2C3", "04:A1:B2:C3", "04-a1-b2-c3", " 04 A1 B2 C3\n"]
)
def test_uid_spellings_normalise_alike(uid: str) -> None:
    assert normalize_card_uid(uid) == "04A1B2C3"


@pytest.mark.parametrize("uid", ["", " : ", "04A1B2C3\x00", "０４Ａ１", "04A1;B2"])
def test_bad_uids_are_refused(uid: str) -> None:
    with pytest.raises(ValueError, match="card UID"):
        normalize_card_uid(uid)


def test_hash_is_hmac_hex_and_keyed() -> None:
    digest = card_uid_hash("04:a1:b2:c3", KEY)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest == card_uid_hash("04A1B2C3", KEY)
    assert digest != card_uid_hash("04A1B2C3", b"another key of 16+ bytes")
    assert digest != card_uid_hash("04A1B2C4", KEY)


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        card_uid_hash("04A1B2C3", b"short")
