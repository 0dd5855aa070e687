"""Device protocols, states and errors.

NOTE: Qt-free zone. Everything here is plain Python so drivers can be tested and reused
without a GUI. Blocking methods are called from worker threads by ``kiosk.tasks``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable


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


class CameraError(DeviceError):
    """The camera cannot be opened or stopped delivering frames."""


class CardReaderError(DeviceError):
    """The card reader failed."""


class HealthDeviceError(DeviceError):
    """A health measuring device failed or sent something unusable."""


StateCallback = Callable[[DeviceStatus], None]


@runtime_checkable
class QrScanner(Protocol):
    """Camera QR reader.

    Callbacks are called on the driver's own worker thread; the kiosk layer moves them to the
    GUI thread. ``on_payload`` receives each decoded text once (duplicates within the debounce
    window are dropped); ``on_state`` is called whenever the state changes (e.g. READY →
    OFFLINE when the feed goes stale, and back after the camera is reopened).
    """

    def start(self, on_payload: Callable[[str], None], on_state: StateCallback) -> None: ...

    def stop(self) -> None: ...

    def status(self) -> DeviceStatus: ...

    def latest_frame(self) -> Any:
        """The newest BGR frame (numpy uint8 array) for a preview, or None."""
        ...


@dataclass(frozen=True, slots=True)
class CardEvent:
    """A card arrived or left. The UID leaves the driver only as a keyed hash (HMAC)."""

    kind: Literal["inserted", "removed"]
    uid_hash: str | None
    reader: str = ""


@runtime_checkable
class CardReader(Protocol):
    """Community / staff card reader. Callbacks come from the driver's thread."""

    def start(self, on_event: Callable[[CardEvent], None], on_state: StateCallback) -> None: ...

    def stop(self) -> None: ...

    def status(self) -> DeviceStatus: ...


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """One line of a slip. ``text`` is plain text from anywhere; printers sanitise it."""

    text: str
    bold: bool = False
    large: bool = False
    align: Literal["left", "center", "right"] = "left"


@dataclass(frozen=True, slots=True)
class Receipt:
    """A slip: title, lines, an optional QR code and its caption, a footer.

    ``practice`` slips (tutorial sandbox) carry a 练习 / PRACTICE mark on every printer.
    """

    title: str
    lines: tuple[ReceiptLine, ...] = ()
    qr: str | None = None
    qr_caption: str = ""
    footer: str = ""
    practice: bool = False


@runtime_checkable
class ReceiptPrinter(Protocol):
    """Slip printer. ``print_receipt`` blocks and raises PrinterError subclasses; a printer that
    does not answer a status query is UNKNOWN, never READY."""

    def status(self) -> DeviceStatus: ...

    def print_receipt(self, receipt: Receipt) -> None: ...


@runtime_checkable
class HealthMonitor(Protocol):
    """A health measuring device (blood pressure, scale, thermometer, oximeter, glucose).

    ``on_reading`` receives typed readings from ``hardware.health.gatt`` (or the serial /
    simulated equivalents); callbacks come from the driver's thread.
    """

    def start(self, on_reading: Callable[[Any], None], on_state: StateCallback) -> None: ...

    def stop(self) -> None: ...

    def status(self) -> DeviceStatus: ...
