"""Visitor photo files: their encryption context, their location, and durable writes.

A photo is a file under ``<data_dir>/photos`` (:data:`kiosk.services.retention.PHOTOS_DIR`)
named by a ``visit_photos`` row. It holds the JPEG sealed with the
:class:`~kiosk.security.crypto.FieldCipher` under :func:`photo_context`. Used by
:class:`kiosk.platform.local.LocalPlatform` (writes and reads photos) and
:mod:`kiosk.services.key_rotation` (re-seals them with a new key).

NOTE: Qt-free zone. No database: plain functions over paths and bytes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

__all__ = [
    "PHOTO_CONTEXT",
    "photo_context",
    "resolve_photo",
    "temporary_path",
    "write_durably",
]

PHOTO_CONTEXT: Final = "visit_photos.file"
"""The encryption context of photo files, before ``":<visit id>"``."""


def photo_context(visit_id: str) -> str:
    """The encryption context of the photo files of visit ``visit_id``.

    The visit id is part of the context: a photo file moved to another visit's row does
    not open.
    """
    return f"{PHOTO_CONTEXT}:{visit_id}"


def resolve_photo(photos_dir: Path, relative: str) -> Path | None:
    """The file a ``visit_photos.path`` names, or ``None`` when it points outside
    ``photos_dir`` (or at the directory itself)."""
    base = photos_dir.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base) or path == base:
        return None
    return path


def temporary_path(directory: Path, name: str) -> Path:
    """The temporary file :func:`write_durably` writes before renaming it to ``name``."""
    return directory / f".tmp-{name}"


def write_durably(directory: Path, name: str, data: bytes, *, clear_stale: bool = False) -> Path:
    """Write ``data`` to ``directory/name`` so that after return it survives a power cut:
    a temporary file, fsync, rename into place, fsync of the directory.

    Until the rename, an existing ``directory/name`` is untouched; after it, the file holds
    all of ``data``. A reader never sees a partly written file.

    Args:
        clear_stale: First remove the temporary file a crashed earlier write of the same
            ``name`` left behind (otherwise it makes this write fail). Only for callers that
            are the sole writer of ``name``.

    Raises:
        OSError: The file could not be written; no temporary file is left behind.
    """
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = directory / name
    temporary = temporary_path(directory, name)
    if clear_stale:
        temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        temporary.unlink(missing_ok=True)
        raise
    os.close(fd)
    try:
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return final
