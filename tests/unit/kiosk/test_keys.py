"""Key files: created once with mode 0600, reused, refused when exposed or damaged."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk.keys import KeyFileError, load_or_create_key


def test_key_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "card.key"
    first = load_or_create_key(path)
    assert len(first) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == first


def test_two_keys_differ(tmp_path: Path) -> None:
    assert load_or_create_key(tmp_path / "a.key") != load_or_create_key(tmp_path / "b.key")


def test_world_readable_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "card.key"
    load_or_create_key(path)
    path.chmod(0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        load_or_create_key(path)


def test_truncated_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "card.key"
    load_or_create_key(path)
    path.write_bytes(b"short")
    with pytest.raises(KeyFileError, match="5 bytes"):
        load_or_create_key(path)
