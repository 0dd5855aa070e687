"""Encryption at rest of sensitive columns: AES-256-GCM under a small key ring.

What is encrypted (ARCHITECTURE.md §6): phone numbers, ID numbers, health values, visitor
names. The store keeps those columns as opaque ``bytes``; repositories and
:class:`kiosk.platform.local.LocalPlatform` call :meth:`FieldCipher.encrypt_text` /
:meth:`FieldCipher.decrypt_text` (or the JSON variants) explicitly.

Why explicit calls and not a SQLAlchemy ``TypeDecorator``: a type decorator needs the key
from somewhere global (a module variable or an engine option), and it would decrypt
whenever a row is loaded, so ORM objects (and their reprs, and anything that logs them) would
hold plaintext. With explicit calls the key is passed in like any other dependency, the
ORM objects only ever hold ciphertext, plaintext exists only in the masked-repr dataclasses
handed to the flows, and key rotation and the tests see exactly what is on disk.

Value format (one ``bytes`` value per column)::

    key_id (1 byte) | nonce (12 random bytes) | AES-GCM ciphertext (n bytes) + tag (16 bytes)

* ``key_id`` names the key the value was sealed with, so a key ring with an old and a new
  key can read both during rotation. It is derived from the key itself
  (:func:`key_id_of`: first byte of a SHA-256 over a domain tag and the key), so a key file
  needs no metadata; rotation makes sure the keys in one ring have distinct ids.
* The associated data is ``b"kiosk-field-v1\\x00" + key_id + context``, where ``context``
  names the column (``"residents.phone_enc"``). A value copied into another column fails to
  decrypt. It does not name the row: swapping two values of the same column between rows
  is not detected (confidentiality is the goal here; integrity of records is the audit
  log's job).
* Random 96-bit nonces are safe for far more values than a station will ever write under one
  key (NIST SP 800-38D's 2**32 limit per key).

Key files (``<data_dir>/keys/``, directory 0700, files 0600, outside the database):

* ``field-aes.key``: the current key, exactly 32 raw bytes. Created on first start by
  :func:`kiosk.keys.load_or_create_key` (atomic, so kiosks starting together agree).
* ``field-aes.key.retiring``: the previous key, 32 raw bytes, present only while a rotation
  is in progress (``community-kiosk keys rotate``). It is read too, so values not yet
  re-encrypted stay readable; it is deleted when every value has been re-encrypted.
* ``field-aes.key.new``: a transient file of the rotation, never read as a key.

The rotation steps (:func:`begin_rotation`, :func:`finish_rotation`) are ordered so that a
crash at any point leaves a key ring that reads every stored value and a rotation that can
simply be run again.

NOTE: Qt-free zone. No store, no platform: plain functions over bytes and files.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.keys import KeyFileError, load_or_create_key

__all__ = [
    "FIELD_KEY_FILE",
    "KEY_BYTES",
    "NEW_SUFFIX",
    "NONCE_BYTES",
    "OVERHEAD_BYTES",
    "RETIRING_SUFFIX",
    "DecryptionError",
    "FieldCipher",
    "JSONValue",
    "KeyFileError",
    "KeyRing",
    "UnknownKeyError",
    "begin_rotation",
    "finish_rotation",
    "key_id_of",
    "load_keyring",
    "rotation_in_progress",
]

FIELD_KEY_FILE: Final = "field-aes.key"
RETIRING_SUFFIX: Final = ".retiring"
NEW_SUFFIX: Final = ".new"

KEY_BYTES: Final = 32
NONCE_BYTES: Final = 12
TAG_BYTES: Final = 16
OVERHEAD_BYTES: Final = 1 + NONCE_BYTES + TAG_BYTES

_AAD_DOMAIN: Final = b"kiosk-field-v1\x00"
_KEY_ID_DOMAIN: Final = b"kiosk-field-key-id-v1\x00"
_MAX_CONTEXT = 128

JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]


class DecryptionError(ValueError):
    """A value cannot be decrypted: damaged, tampered with, from another column, or sealed
    with a key this ring does not hold. The message never contains the value."""


class UnknownKeyError(DecryptionError):
    """The value names a key id the ring does not hold (a retired or foreign key)."""

    def __init__(self, key_id: int) -> None:
        super().__init__(f"value sealed with unknown key id {key_id:#04x}")
        self.key_id = key_id


def key_id_of(key: bytes) -> int:
    """The one-byte id of ``key`` (0-255), as written in front of every value it seals."""
    return hashlib.sha256(_KEY_ID_DOMAIN + key).digest()[0]


def _check_key(key: bytes, what: str) -> None:
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"{what} has {len(key)} bytes, expected {KEY_BYTES}")


@dataclass(frozen=True, slots=True, repr=False)
class KeyRing:
    """The keys a :class:`FieldCipher` may use.

    Attributes:
        current: The key new values are sealed with.
        retiring: Older keys still read (during a rotation); never used to seal.
    """

    current: bytes
    retiring: tuple[bytes, ...] = ()

    def __post_init__(self) -> None:
        _check_key(self.current, "current field key")
        ids = {key_id_of(self.current)}
        for key in self.retiring:
            _check_key(key, "retiring field key")
            kid = key_id_of(key)
            if kid in ids:
                raise KeyFileError(f"two field keys share the key id {kid:#04x}")
            ids.add(kid)

    @property
    def current_id(self) -> int:
        return key_id_of(self.current)

    @property
    def retiring_ids(self) -> tuple[int, ...]:
        return tuple(key_id_of(k) for k in self.retiring)

    def key_for(self, key_id: int) -> bytes | None:
        """The key with ``key_id``, or ``None``."""
        for key in (self.current, *self.retiring):
            if key_id_of(key) == key_id:
                return key
        return None

    def __repr__(self) -> str:
        # Never the key bytes.
        retiring = ", ".join(f"{kid:#04x}" for kid in self.retiring_ids)
        return f"KeyRing(current={self.current_id:#04x}, retiring=[{retiring}])"


def _aad(key_id: int, context: str) -> bytes:
    return _AAD_DOMAIN + bytes([key_id]) + context.encode("utf-8")


def _check_context(context: str) -> None:
    if not context or len(context) > _MAX_CONTEXT or "\x00" in context:
        raise ValueError(f"encryption context must be 1 to {_MAX_CONTEXT} characters, no NUL")


class FieldCipher:
    """Seal and open column values with AES-256-GCM (format in the module docstring).

    Args:
        ring: The keys. Values are sealed with ``ring.current``; any key of the ring opens.
    """

    def __init__(self, ring: KeyRing) -> None:
        self._ring = ring
        self._current_id = ring.current_id
        self._aead: dict[int, AESGCM] = {
            key_id_of(k): AESGCM(k) for k in (ring.current, *ring.retiring)
        }

    @classmethod
    def from_key_dir(cls, keys_dir: Path) -> FieldCipher:
        """A cipher over :func:`load_keyring` of ``keys_dir`` (creates the key on first use)."""
        return cls(load_keyring(keys_dir))

    @property
    def ring(self) -> KeyRing:
        return self._ring

    @property
    def current_key_id(self) -> int:
        return self._current_id

    # ------------------------------------------------------------------ bytes

    def encrypt(self, plaintext: bytes, *, context: str) -> bytes:
        """Seal ``plaintext`` for the column named by ``context`` (``"table.column"``)."""
        _check_context(context)
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._aead[self._current_id].encrypt(
            nonce, bytes(plaintext), _aad(self._current_id, context)
        )
        return bytes([self._current_id]) + nonce + sealed

    def decrypt(self, blob: bytes, *, context: str) -> bytes:
        """Open a value sealed by :meth:`encrypt` for the same ``context``.

        Raises:
            DecryptionError: The value is too short, was changed, belongs to another column,
                or was sealed with a key the ring does not hold (:class:`UnknownKeyError`).
        """
        _check_context(context)
        blob = bytes(blob)
        if len(blob) < OVERHEAD_BYTES:
            raise DecryptionError("encrypted value is too short")
        key_id = blob[0]
        aead = self._aead.get(key_id)
        if aead is None:
            raise UnknownKeyError(key_id)
        nonce = blob[1 : 1 + NONCE_BYTES]
        try:
            return aead.decrypt(nonce, blob[1 + NONCE_BYTES :], _aad(key_id, context))
        except InvalidTag:
            raise DecryptionError(f"encrypted value for {context} failed authentication") from None

    @staticmethod
    def key_id_of_value(blob: bytes) -> int:
        """The key id a stored value was sealed with (its first byte)."""
        if not blob:
            raise DecryptionError("empty encrypted value")
        return blob[0]

    def needs_reencryption(self, blob: bytes) -> bool:
        """Whether ``blob`` was sealed with a key other than the current one."""
        return self.key_id_of_value(blob) != self._current_id

    def reencrypt(self, blob: bytes, *, context: str) -> bytes:
        """Open ``blob`` and seal it again with the current key (new nonce)."""
        return self.encrypt(self.decrypt(blob, context=context), context=context)

    # ------------------------------------------------------------------ text and JSON

    def encrypt_text(self, text: str, *, context: str) -> bytes:
        """Seal a string (UTF-8; every code point except lone surrogates round-trips).

        Raises:
            ValueError: ``text`` holds a lone surrogate (not encodable as UTF-8).
        """
        return self.encrypt(text.encode("utf-8"), context=context)

    def decrypt_text(self, blob: bytes, *, context: str) -> str:
        """Open a value sealed by :meth:`encrypt_text`.

        Raises:
            DecryptionError: As :meth:`decrypt`, or the plaintext is not UTF-8.
        """
        data = self.decrypt(blob, context=context)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise DecryptionError(f"encrypted value for {context} is not text") from None

    def encrypt_json(self, value: JSONValue, *, context: str) -> bytes:
        """Seal a JSON value (compact, sorted keys, UTF-8; NaN and infinities refused)."""
        text = json.dumps(
            value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        )
        return self.encrypt_text(text, context=context)

    def decrypt_json(self, blob: bytes, *, context: str) -> JSONValue:
        """Open a value sealed by :meth:`encrypt_json`."""
        text = self.decrypt_text(blob, context=context)
        try:
            value: JSONValue = json.loads(text)
        except json.JSONDecodeError:
            raise DecryptionError(f"encrypted value for {context} is not JSON") from None
        return value

    def __repr__(self) -> str:
        return f"FieldCipher({self._ring!r})"


# ---------------------------------------------------------------------- key files


def _paths(keys_dir: Path) -> tuple[Path, Path, Path]:
    current = keys_dir / FIELD_KEY_FILE
    return (
        current,
        current.with_name(FIELD_KEY_FILE + RETIRING_SUFFIX),
        current.with_name(FIELD_KEY_FILE + NEW_SUFFIX),
    )


def _read_key_file(path: Path) -> bytes | None:
    """The key in an existing file (mode and size checked), or ``None`` if there is none.

    Unlike :func:`load_or_create_key` this never creates the file.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
        if mode & 0o077:
            raise KeyFileError(f"key file {path} is readable by others (mode {mode:o}); chmod 600")
        key = handle.read(KEY_BYTES + 1)
    _check_key(key, f"key file {path}")
    return key


def _write_key_file(path: Path, key: bytes) -> None:
    """Write ``key`` to ``path`` (0600) via a temporary file, fsynced, replacing any file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load_keyring(keys_dir: Path) -> KeyRing:
    """The field key ring in ``keys_dir``: the current key (created 0600 on first use) and,
    during a rotation, the retiring key.

    Raises:
        KeyFileError: A key file is readable by others or has the wrong size.
    """
    current_path, retiring_path, _new = _paths(keys_dir)
    current = load_or_create_key(current_path, length=KEY_BYTES)
    retiring = _read_key_file(retiring_path)
    if retiring is None or retiring == current:
        # Equal only when a rotation stopped between its two file steps: nothing to read.
        return KeyRing(current)
    return KeyRing(current, (retiring,))


def rotation_in_progress(keys_dir: Path) -> bool:
    """Whether a retiring key exists (a rotation started and has not finished)."""
    return _paths(keys_dir)[1].exists()


def _new_key_unlike(*others: bytes) -> bytes:
    taken = {key_id_of(k) for k in others}
    while True:
        key = secrets.token_bytes(KEY_BYTES)
        if key_id_of(key) not in taken:
            return key


def begin_rotation(keys_dir: Path) -> KeyRing:
    """Make a new current key and keep the old one as the retiring key; return the ring.

    Steps, each durable before the next: write the new key to ``field-aes.key.new``; copy
    the current key to ``field-aes.key.retiring``; rename the new key over
    ``field-aes.key``. Called again after a crash, it resumes: if the retiring key differs
    from the current one, the rotation is past its file steps and the ring is returned as
    it is (re-encryption continues); if they are equal it completes the rename.
    """
    current_path, retiring_path, new_path = _paths(keys_dir)
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    old = load_or_create_key(current_path, length=KEY_BYTES)
    retiring = _read_key_file(retiring_path)
    if retiring is not None and retiring != old:
        return KeyRing(old, (retiring,))
    pending_new = _read_key_file(new_path) if retiring is not None else None
    new = (
        pending_new
        if pending_new is not None and key_id_of(pending_new) != key_id_of(old)
        else _new_key_unlike(old)
    )
    if pending_new is None or new is not pending_new:
        _write_key_file(new_path, new)
    if retiring is None:
        _write_key_file(retiring_path, old)
    os.replace(new_path, current_path)
    _fsync_dir(keys_dir)
    return KeyRing(new, (old,))


def finish_rotation(keys_dir: Path) -> None:
    """Delete the retiring key (call only when no stored value uses it any more)."""
    _current, retiring_path, new_path = _paths(keys_dir)
    retiring_path.unlink(missing_ok=True)
    new_path.unlink(missing_ok=True)
    _fsync_dir(keys_dir)
