"""Pieces shared by the OpenCV scanner and its simulator: decode → debounce → report.

NOTE: Qt-free zone. Payloads are personal (names, addresses, phone numbers): nothing here
ever logs one, and exceptions are logged by type only (their messages may quote a payload).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Final

import numpy as np
import numpy.typing as npt

from hardware.camera.debounce import Debouncer
from hardware.protocols import DeviceStatus, StateCallback

__all__ = ["Decoder", "Frame", "ScanReporter", "ScannerStats"]

_log = logging.getLogger(__name__)

Frame = npt.NDArray[np.uint8]
#: A frame decoder: BGR/grey ``uint8`` frame → decoded texts (``hardware.qr.decode_qr``).
Decoder = Callable[[Frame], Sequence[str]]


@dataclass(frozen=True, slots=True)
class ScannerStats:
    """Counters since the scanner was created (for ``doctor``, staff pages and tests).

    Attributes:
        frames_read: Frames received from the source (or fed to the simulator).
        read_failures: ``read()`` calls that failed or returned no usable frame.
        open_attempts: Times the source was opened (1 + reopens; 0 for the simulator).
        frames_decoded: Decoder runs that completed.
        decode_errors: Decoder runs that raised (caught; the frame counts as empty).
        payloads_reported: Texts handed to ``on_payload``.
        duplicates_dropped: Texts dropped by the debouncer.
        callback_errors: ``on_payload`` / ``on_state`` calls that raised (caught).
    """

    frames_read: int = 0
    read_failures: int = 0
    open_attempts: int = 0
    frames_decoded: int = 0
    decode_errors: int = 0
    payloads_reported: int = 0
    duplicates_dropped: int = 0
    callback_errors: int = 0


_STAT_NAMES: Final = tuple(f.name for f in fields(ScannerStats))


class ScanReporter:
    """Runs the decoder, the debouncer and the callbacks with every failure contained.

    One per scanner. ``decode`` and ``report`` may be called from any thread; callbacks run on
    the calling thread. Nothing raised by the decoder or a callback escapes.
    """

    def __init__(self, decoder: Decoder, debouncer: Debouncer) -> None:
        self.debouncer = debouncer
        self._decoder = decoder
        self._on_payload: Callable[[str], None] | None = None
        self._on_state: StateCallback | None = None
        self._counts = dict.fromkeys(_STAT_NAMES, 0)
        self._lock = threading.Lock()

    def connect(self, on_payload: Callable[[str], None], on_state: StateCallback) -> None:
        self._on_payload = on_payload
        self._on_state = on_state

    def disconnect(self) -> None:
        """No callback is called after this returns (unless one is already running)."""
        self._on_payload = None
        self._on_state = None

    def count(self, name: str, n: int = 1) -> None:
        """Add ``n`` to the counter ``name`` (a :class:`ScannerStats` field)."""
        with self._lock:
            self._counts[name] += n

    def stats(self) -> ScannerStats:
        with self._lock:
            return ScannerStats(**self._counts)

    def decode(self, frame: Frame) -> list[str]:
        """The decoder's texts for ``frame``; ``[]`` if it raised (logged by type)."""
        try:
            texts = [t for t in self._decoder(frame) if isinstance(t, str) and t]
        except Exception as exc:  # a decoder failure must never stop the scanner
            with self._lock:
                self._counts["decode_errors"] += 1
                failures = self._counts["decode_errors"]
            # A broken decoder fails on every frame: log the 1st, 2nd, 4th, 8th... failure.
            level = logging.WARNING if failures & (failures - 1) == 0 else logging.DEBUG
            _log.log(level, "QR decoder raised %s (%d so far)", type(exc).__name__, failures)
            return []
        self.count("frames_decoded")
        return texts

    def report(self, texts: Sequence[str]) -> list[str]:
        """Debounce ``texts`` and hand the new ones to ``on_payload``; returns those."""
        reported: list[str] = []
        for text in texts:
            if not self.debouncer.accept(text):
                self.count("duplicates_dropped")
                _log.debug("QR payload dropped as a duplicate (%d chars)", len(text))
                continue
            callback = self._on_payload
            if callback is None:
                continue
            self.count("payloads_reported")
            reported.append(text)
            _log.info("QR payload reported (%d chars)", len(text))
            try:
                callback(text)
            except Exception as exc:
                self.count("callback_errors")
                _log.error("on_payload callback raised %s", type(exc).__name__)
        return reported

    def state(self, status: DeviceStatus) -> None:
        """Hand ``status`` to ``on_state`` (if connected)."""
        callback = self._on_state
        if callback is None:
            return
        try:
            callback(status)
        except Exception as exc:
            self.count("callback_errors")
            _log.error("on_state callback raised %s", type(exc).__name__)
