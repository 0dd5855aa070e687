"""Simulated camera QR reader: a first-class back-end chosen by configuration (not a driver).

NOTE: Qt-free zone. The simulator has no thread of its own: every injection method runs the
scan on the *calling* thread (decode → debounce → ``on_payload``) and returns when the
callbacks have run, which makes tests deterministic. The real driver calls back from its own
worker thread; the kiosk layer must (and does) move callbacks to the GUI thread either way.

:meth:`SimulatedQrScanner.show_qr` renders a real QR symbol (segno, UTF-8 byte mode, or the
given bytes verbatim, e.g. GB18030 as legacy generators write it) into a camera-sized frame
and runs it through the same decoder as the driver (``hardware.qr.decode_qr`` by default),
so simulated scans exercise the real decoder and the same :class:`~hardware.camera.debounce.
Debouncer`. The frame also becomes :meth:`~SimulatedQrScanner.latest_frame`, so the preview
shows it.

Fault injection: :meth:`~SimulatedQrScanner.go_offline` (camera lost: OFFLINE, frames and
payloads ignored, no preview), :meth:`~SimulatedQrScanner.go_error` (camera cannot be opened),
:meth:`~SimulatedQrScanner.come_back`, :meth:`~SimulatedQrScanner.fail_decoder_next`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import numpy as np
import segno

from hardware.camera.common import Decoder, Frame, ScannerStats, ScanReporter
from hardware.camera.debounce import Debouncer
from hardware.protocols import DeviceState, DeviceStatus, StateCallback
from hardware.qr import decode_qr

__all__ = ["SimulatedDecoderError", "SimulatedQrScanner", "render_qr_frame"]

_log = logging.getLogger(__name__)

_QUIET_ZONE = 4  # modules of white border, as ISO/IEC 18004 requires


class SimulatedDecoderError(RuntimeError):
    """Raised by the decoder when :meth:`SimulatedQrScanner.fail_decoder_next` asked for it."""


def _scene(width: int, height: int) -> Frame:
    """A plain camera scene: a soft vertical grey-blue gradient (BGR)."""
    ramp = np.linspace(150, 90, height, dtype=np.float32)[:, None]
    scene = np.empty((height, width, 3), dtype=np.uint8)
    scene[...] = np.stack([ramp + 20, ramp, ramp - 10], axis=-1).astype(np.uint8)
    return scene


def render_qr_frame(payload: str | bytes, *, width: int = 640, height: int = 480) -> Frame:
    """A BGR frame with ``payload`` as a QR code in the middle, as a camera would see a pass.

    ``str`` is written as UTF-8 in byte mode (never Kanji mode, never Micro QR); ``bytes``
    verbatim in byte mode without an ECI. Raises ValueError if the symbol cannot fit.
    """
    if isinstance(payload, bytes):
        qr = segno.make_qr(payload, error="m")
    else:
        qr = segno.make_qr(payload, error="m", encoding="utf-8")
    modules = np.pad(np.array(qr.matrix, dtype=np.uint8), _QUIET_ZONE)
    side = modules.shape[0]
    module_px = int(min(width, height) * 0.8) // side
    if module_px < 2:
        raise ValueError(f"a {side}-module symbol does not fit a {width}x{height} frame")
    symbol = np.kron(modules, np.ones((module_px, module_px), dtype=np.uint8))
    grey = np.where(symbol > 0, 20, 240).astype(np.uint8)
    frame = _scene(width, height)
    top = (height - grey.shape[0]) // 2
    left = (width - grey.shape[1]) // 2
    frame[top : top + grey.shape[0], left : left + grey.shape[1]] = grey[..., None]
    return frame


class SimulatedQrScanner:
    """Simulated :class:`~hardware.protocols.QrScanner` with fault injection.

    Injection methods may be called from any thread; scans and callbacks run on that thread.
    Before :meth:`start`, after :meth:`stop` and while offline or in error they do nothing
    and return ``[]``.

    Args:
        debounce_s: Same duplicate rule as the driver.
        width, height: Size of the simulated camera frames.
        start_offline: Start in OFFLINE (camera missing at boot) instead of READY.
        decoder: Frame → texts (default :func:`hardware.qr.decode_qr`).
        clock: Monotonic clock in seconds for the debouncer.
    """

    def __init__(
        self,
        *,
        debounce_s: float = 3.0,
        width: int = 640,
        height: int = 480,
        start_offline: bool = False,
        decoder: Decoder = decode_qr,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.width = width
        self.height = height
        self.start_offline = start_offline
        self._decoder = decoder
        self._reporter = ScanReporter(self._decode, Debouncer(debounce_s, clock=clock))
        self._lock = threading.Lock()
        self._status = DeviceStatus(DeviceState.UNKNOWN, "not started")
        self._started = False
        self._frame: Frame | None = None
        self._decoder_faults = 0

    # ------------------------------------------------------------ QrScanner

    def start(self, on_payload: Callable[[str], None], on_state: StateCallback) -> None:
        """Become READY (or OFFLINE with ``start_offline``) and report it via ``on_state``."""
        with self._lock:
            if self._started:
                raise RuntimeError("scanner already started")
            self._started = True
            self._frame = self._blank()
        self._reporter.connect(on_payload, on_state)
        if self.start_offline:
            self._change(DeviceState.OFFLINE, "simulated camera missing")
        else:
            self._change(DeviceState.READY, f"simulated camera {self.width}x{self.height}")

    def stop(self) -> None:
        self._reporter.disconnect()
        with self._lock:
            self._started = False
            self._frame = None
            self._status = DeviceStatus(DeviceState.UNKNOWN, "stopped")

    def status(self) -> DeviceStatus:
        with self._lock:
            return self._status

    def latest_frame(self) -> Frame | None:
        """What the simulated camera sees while READY (read-only), else None."""
        with self._lock:
            return self._frame if self._status.state is DeviceState.READY else None

    # ------------------------------------------------------------ injection

    def show_qr(self, payload: str | bytes) -> list[str]:
        """Hold a pass with ``payload`` in front of the camera; returns the texts reported.

        The symbol is rendered into a frame and decoded by the real decoder, so GB18030
        ``bytes`` come back as the right text, and a code shown again within the debounce
        window returns ``[]``.
        """
        return self.feed_frame(render_qr_frame(payload, width=self.width, height=self.height))

    def feed_frame(self, frame: Frame) -> list[str]:
        """Show any ``uint8`` BGR/grey frame to the camera; returns the texts reported."""
        with self._lock:
            if not self._live():
                return []
            frame = frame.copy()
            frame.flags.writeable = False
            self._frame = frame
        self._reporter.count("frames_read")
        return self._reporter.report(self._reporter.decode(frame))

    def clear(self) -> None:
        """Take the pass away (the camera sees the empty scene again)."""
        with self._lock:
            if self._started:
                self._frame = self._blank()

    def inject_payload(self, text: str) -> list[str]:
        """Report ``text`` as if decoded, bypassing the decoder (but not the debouncer)."""
        with self._lock:
            if not self._live():
                return []
        return self._reporter.report([text])

    def go_offline(self, detail: str = "simulated camera loss") -> None:
        """Camera lost (unplugged, frozen): OFFLINE at once, nothing is scanned."""
        self._change(DeviceState.OFFLINE, detail)

    def go_error(self, detail: str = "simulated camera cannot be opened") -> None:
        """Camera cannot be opened at all: ERROR, nothing is scanned."""
        self._change(DeviceState.ERROR, detail)

    def come_back(self) -> None:
        """Camera works again: READY."""
        self._change(DeviceState.READY, f"simulated camera {self.width}x{self.height}")

    def fail_decoder_next(self, count: int = 1) -> None:
        """Make the next ``count`` decoder runs raise :class:`SimulatedDecoderError`."""
        with self._lock:
            self._decoder_faults += count

    def stats(self) -> ScannerStats:
        return self._reporter.stats()

    def reset_debounce(self) -> None:
        """Forget recent payloads: the next sighting of any code is reported."""
        self._reporter.debouncer.reset()

    # ------------------------------------------------------------ internals

    def _live(self) -> bool:
        return self._started and self._status.state is DeviceState.READY

    def _blank(self) -> Frame:
        frame = _scene(self.width, self.height)
        frame.flags.writeable = False
        return frame

    def _decode(self, frame: Frame) -> list[str]:
        with self._lock:
            fail = self._decoder_faults > 0
            if fail:
                self._decoder_faults -= 1
        if fail:
            raise SimulatedDecoderError("simulated decoder fault")
        return list(self._decoder(frame))

    def _change(self, state: DeviceState, detail: str) -> None:
        with self._lock:
            if not self._started:
                return
            changed = state is not self._status.state
            status = self._status = DeviceStatus(state, detail)
        if changed:
            _log.info("simulated camera -> %s: %s", state.value, detail)
            self._reporter.state(status)
