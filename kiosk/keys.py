"""Station secrets kept in files outside the database (mode 0600, created on first start)."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


class KeyFileError(Exception):
    """A key file exists but cannot be used (wrong size, readable by others)."""


def load_or_create_key(path: Path, *, length: int = 32) -> bytes:
    """Read the key at ``path``, or create it with ``length`` random bytes and mode 0600.

    Creation is atomic (``O_EXCL``): two kiosk processes starting together end up with the
    same key. A key file readable by group or others is refused, not silently used.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        try:
            os.write(fd, secrets.token_bytes(length))
            os.fsync(fd)
        finally:
            os.close(fd)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyFileError(f"key file {path} is readable by others (mode {mode:o}); chmod 600")
    key = path.read_bytes()
    if len(key) != length:
        raise KeyFileError(f"key file {path} has {len(key)} bytes, expected {length}")
    return key
