"""Card readers on a serial port (RS-232, USB-serial, or anything pyserial opens by URL).

NOTE: Qt-free zone.

Serial RFID readers send one frame per card seen, often repeating it while the card stays on
the reader; they do not say when it leaves. So this driver reports ``inserted`` events only,
and drops repeats of the same card within ``repeat_suppress_s`` of its previous frame.

Framing (``framing``):

* ``"line"``: the UID then CR, LF or CR LF (empty lines are ignored).
* ``"stx-etx"``: STX (0x02) UID ETX (0x03); bytes outside a frame are ignored.
* any other string: a regular expression searched in the received bytes (decoded as
  Latin-1). The UID is the group named ``uid``, else group 1, else the whole match. The
  pattern must end with something that marks the end of a frame. Example for RDM6300-type
  125 kHz readers (STX, 10 hex digits, 2 hex checksum digits, ETX):
  ``\\x02(?P<uid>[0-9A-Fa-f]{10})[0-9A-Fa-f]{2}\\x03``.

The UID text (``uid_format``) is ``"hex"`` (hex digits; ``:``, ``-`` and spaces between them
are dropped) or ``"decimal"`` (digits only). A frame that is not such a UID, or is longer than
``max_frame_bytes``, is discarded without logging its content. The UID is hashed as sent
(:func:`hardware.cards.card_uid_hash`); a card gives the same hash on every reader that sends
the same text for it (a decimal reader and a hex reader do not).

When the port cannot be opened, or fails while reading (USB adapter unplugged), the state
becomes OFFLINE and the port is reopened every ``reopen_interval_s`` (use a stable path such as
``/dev/serial/by-id/…``).
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any, Final, Literal, Protocol

import serial

from hardware.card_reader._common import (
    EventCallback,
    StatusReporter,
    check_key,
    deliver_event,
    hash_uid,
)
from hardware.protocols import CardEvent, DeviceState, DeviceStatus, StateCallback

__all__ = [
    "Framer",
    "LineFramer",
    "RegexFramer",
    "SerialCardReader",
    "StxEtxFramer",
    "make_framer",
    "parse_uid",
]

_log = logging.getLogger(__name__)

UidFormat = Literal["hex", "decimal"]

STX: Final = 0x02
ETX: Final = 0x03
_HEX_DIGITS: Final = frozenset("0123456789abcdefABCDEF")
_DEC_DIGITS: Final = frozenset("0123456789")
_HEX_SEPARATORS: Final = frozenset(":- \t")
_READ_CHUNK = 4096


class SerialPort(Protocol):
    """The part of ``serial.Serial`` this driver uses."""

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def close(self) -> None: ...


SerialFactory = Callable[..., Any]


class Framer(Protocol):
    """Cuts a byte stream into frame payloads."""

    def feed(self, data: bytes) -> list[bytes]:
        """Bytes as received; returns the payloads of the frames they completed."""
        ...

    def reset(self) -> None:
        """Drop any partial frame (after the port was reopened)."""
        ...


class LineFramer:
    """Frames end at CR or LF; an over-long line is dropped up to its end."""

    def __init__(self, max_frame_bytes: int = 64) -> None:
        self.max_frame_bytes = max_frame_bytes
        self._buf = bytearray()
        self._skipping = False
        self.discarded = 0

    def feed(self, data: bytes) -> list[bytes]:
        frames: list[bytes] = []
        for byte in data:
            if byte in (0x0D, 0x0A):
                if self._skipping:
                    self._skipping = False
                elif self._buf:
                    frames.append(bytes(self._buf))
                self._buf.clear()
            elif not self._skipping:
                self._buf.append(byte)
                if len(self._buf) > self.max_frame_bytes:
                    self._buf.clear()
                    self._skipping = True
                    self.discarded += 1
        return frames

    def reset(self) -> None:
        self._buf.clear()
        self._skipping = False


class StxEtxFramer:
    """Frames are STX payload ETX; a second STX restarts the frame; noise between is ignored."""

    def __init__(self, max_frame_bytes: int = 64) -> None:
        self.max_frame_bytes = max_frame_bytes
        self._buf = bytearray()
        self._inside = False
        self.discarded = 0

    def feed(self, data: bytes) -> list[bytes]:
        frames: list[bytes] = []
        for byte in data:
            if byte == STX:
                if self._inside and self._buf:
                    self.discarded += 1  # a frame cut short
                self._buf.clear()
                self._inside = True
            elif not self._inside:
                continue
            elif byte == ETX:
                frames.append(bytes(self._buf))
                self._buf.clear()
                self._inside = False
            else:
                self._buf.append(byte)
                if len(self._buf) > self.max_frame_bytes:
                    self._buf.clear()
                    self._inside = False
                    self.discarded += 1
        return frames

    def reset(self) -> None:
        self._buf.clear()
        self._inside = False


class RegexFramer:
    """Frames are the matches of a regular expression in the stream (decoded as Latin-1)."""

    def __init__(self, pattern: str, max_frame_bytes: int = 64) -> None:
        try:
            self.pattern = re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"serial framing is not a valid regular expression: {exc}") from None
        if self.pattern.search("") is not None:
            raise ValueError("serial framing regular expression must not match empty input")
        self.max_frame_bytes = max_frame_bytes
        if "uid" in self.pattern.groupindex:
            self._group: int | str = "uid"
        else:
            self._group = 1 if self.pattern.groups >= 1 else 0
        self._buf = ""
        self.discarded = 0

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data.decode("latin-1")
        frames: list[bytes] = []
        while True:
            match = self.pattern.search(self._buf)
            if match is None:
                break
            frames.append((match.group(self._group) or "").encode("latin-1"))
            self._buf = self._buf[match.end() :]
        keep = 4 * self.max_frame_bytes
        if len(self._buf) > keep:
            self._buf = self._buf[-keep:]
            self.discarded += 1
        return frames

    def reset(self) -> None:
        self._buf = ""


def make_framer(framing: str, *, max_frame_bytes: int = 64) -> Framer:
    """The framer for a ``framing`` setting: "line", "stx-etx" or a regular expression."""
    if framing == "line":
        return LineFramer(max_frame_bytes)
    if framing == "stx-etx":
        return StxEtxFramer(max_frame_bytes)
    if not framing:
        raise ValueError("serial framing must be 'line', 'stx-etx' or a regular expression")
    return RegexFramer(framing, max_frame_bytes)


def parse_uid(
    payload: bytes, uid_format: UidFormat, *, min_chars: int = 4, max_chars: int = 32
) -> str | None:
    """The UID text in a frame payload, or None if the payload is not one."""
    try:
        text = payload.decode("ascii").strip()
    except UnicodeDecodeError:
        return None
    if uid_format == "hex":
        uid = "".join(ch for ch in text if ch not in _HEX_SEPARATORS)
        digits = _HEX_DIGITS
    else:
        uid = text
        digits = _DEC_DIGITS
    if not min_chars <= len(uid) <= max_chars or not set(uid) <= digits:
        return None
    return uid


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


class SerialCardReader:
    """A card reader on a serial port (see the module docstring). Implements ``CardReader``.

    Callbacks come from the reader's own thread.
    """

    def __init__(
        self,
        port: str,
        *,
        key: bytes,
        baudrate: int = 9600,
        framing: str = "line",
        uid_format: UidFormat = "hex",
        reader_name: str = "serial",
        serial_factory: SerialFactory | None = None,
        read_timeout_s: float = 0.1,
        reopen_interval_s: float = 1.0,
        repeat_suppress_s: float = 1.0,
        max_frame_bytes: int = 64,
        min_uid_chars: int = 4,
        max_uid_chars: int = 32,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if uid_format not in ("hex", "decimal"):
            raise ValueError("uid_format must be 'hex' or 'decimal'")
        if read_timeout_s <= 0 or reopen_interval_s <= 0 or repeat_suppress_s < 0:
            raise ValueError("timeouts must be positive")
        self.port = port
        self.reader_name = reader_name
        self._key = check_key(key)
        self._baudrate = baudrate
        self._framer = make_framer(framing, max_frame_bytes=max_frame_bytes)
        self._uid_format: UidFormat = uid_format
        self._min_uid = min_uid_chars
        self._max_uid = max_uid_chars
        self._factory: SerialFactory = serial_factory or serial.serial_for_url
        self._read_timeout_s = read_timeout_s
        self._reopen_interval_s = reopen_interval_s
        self._repeat_suppress_s = repeat_suppress_s
        self._clock = clock
        self._status = StatusReporter()
        self._on_event: EventCallback | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._open_port: SerialPort | None = None
        self._last_hash: str | None = None
        self._last_seen = 0.0
        #: Frames thrown away since start (garbage, wrong format); for diagnostics.
        self.discarded_frames = 0

    # ---------------------------------------------------------------- CardReader
    def start(self, on_event: EventCallback, on_state: StateCallback) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("serial card reader already started")
        self._on_event = on_event
        self._status.attach(on_state)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="card-serial", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            port = self._open_port
        cancel = getattr(port, "cancel_read", None)
        if callable(cancel):
            with contextlib.suppress(OSError, ValueError):
                cancel()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2.0)
        self._status.set(DeviceState.UNKNOWN, "stopped")
        self._status.attach(None)
        self._on_event = None

    def status(self) -> DeviceStatus:
        return self._status.get()

    # ---------------------------------------------------------------- worker thread
    def _run(self) -> None:
        while not self._stop.is_set():
            port = self._open()
            if port is None:
                self._stop.wait(self._reopen_interval_s)
                continue
            try:
                self._pump(port)
            finally:
                with self._lock:
                    self._open_port = None
                with contextlib.suppress(OSError, ValueError):
                    port.close()
            if not self._stop.is_set():
                self._stop.wait(self._reopen_interval_s)

    def _open(self) -> SerialPort | None:
        try:
            port: SerialPort = self._factory(
                self.port, baudrate=self._baudrate, timeout=self._read_timeout_s
            )
        except (OSError, ValueError) as exc:  # serial.SerialException is an OSError
            if self._status.set(DeviceState.OFFLINE, f"cannot open {self.port}: {_reason(exc)}"):
                _log.warning("card reader %s: cannot open %s", self.reader_name, self.port)
            return None
        with self._lock:
            self._open_port = port
        self._framer.reset()
        self._status.set(DeviceState.READY, f"{self.port} open")
        _log.info("card reader %s: %s open", self.reader_name, self.port)
        return port

    def _pump(self, port: SerialPort) -> None:
        while not self._stop.is_set():
            try:
                waiting = port.in_waiting
                data = port.read(min(max(1, waiting), _READ_CHUNK))
            except (OSError, ValueError, TypeError, AttributeError) as exc:
                # pyserial raises SerialException (OSError) on EIO; a port closed under a
                # read can surface as TypeError/AttributeError from inside pyserial.
                if self._stop.is_set():
                    return
                self._status.set(DeviceState.OFFLINE, f"{self.port} lost: {_reason(exc)}")
                _log.warning("card reader %s: %s lost", self.reader_name, self.port)
                return
            if data:
                for frame in self._framer.feed(data):
                    self._handle_frame(frame)

    def _handle_frame(self, frame: bytes) -> None:
        uid = parse_uid(frame, self._uid_format, min_chars=self._min_uid, max_chars=self._max_uid)
        uid_hash = hash_uid(uid, self._key) if uid is not None else None
        if uid_hash is None:
            self.discarded_frames += 1
            _log.debug(
                "card reader %s: discarded a %d-byte frame that is not a %s UID",
                self.reader_name,
                len(frame),
                self._uid_format,
            )
            return
        now = self._clock()
        repeat = uid_hash == self._last_hash and now - self._last_seen < self._repeat_suppress_s
        self._last_hash, self._last_seen = uid_hash, now
        if repeat:
            return
        _log.info("card read on %s (hash %s...)", self.reader_name, uid_hash[:8])
        deliver_event(self._on_event, CardEvent("inserted", uid_hash, self.reader_name))
