"""Device protocols, states and errors.

NOTE: Qt-free zone. Everything here is plain Python so drivers can be tested and reused
without a GUI. Blocking methods are called from worker threads by ``kiosk.tasks``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


class DeviceState(enum.Enum):
    """What a device reports about itself.

    A device that does not answer is ``UNKNOWN``, never ``READY``.
    """

    READY = "ready"
    BUSY = "busy"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    OFFLINE = "offline"
    ERROR = "error"
    UNKNOWN = "unknown"


READY_STATES = frozenset({DeviceState.READY, DeviceState.BUSY, DeviceState.PAPER_LOW})
ERROR_STATES = frozenset(
    {DeviceState.PAPER_OUT, DeviceState.OFFLINE, DeviceState.ERROR, DeviceState.UNKNOWN}
)


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """A device's state with a short, PII-free technical detail for staff."""

    state: DeviceState
    detail: str = ""


class DeviceError(Exception):
    """Base of every device failure."""


class SpeechError(DeviceError):
    """The speech engine failed or is missing."""


class PrinterError(DeviceError):
    """The printer failed."""


class PaperOutError(PrinterError):
    """The printer has no paper."""


class PrinterOfflineError(PrinterError):
    """The printer does not answer."""


@runtime_checkable
class SpeechEngine(Protocol):
    """Text-to-speech back-end.

    ``speak`` blocks until the utterance has been played (or ``stop`` was called from
    another thread) and is only ever called from the voice worker thread.
    """

    name: str

    def speak(self, text: str, *, lang: str, rate_cpm: int, volume: float) -> None:
        """Say ``text`` in ``lang`` ("zh_CN" or "en") at ``rate_cpm`` Chinese characters a
        minute (English is scaled to the same pace) and ``volume`` in 0..1."""
        ...

    def stop(self) -> None:
        """Stop the current utterance as soon as possible; safe from any thread."""
        ...

    def status(self) -> DeviceStatus:
        """Report whether the engine can speak."""
        ...
