"""Camera QR reader driver: OpenCV ``VideoCapture`` in a worker, decoding with ``decode_qr``.

NOTE: Qt-free zone. Nothing here blocks the caller: :meth:`OpenCvQrScanner.start` only starts
threads, :meth:`~OpenCvQrScanner.status` and :meth:`~OpenCvQrScanner.latest_frame` only take
a lock that is never held across a driver call, and :meth:`~OpenCvQrScanner.stop` returns
within a second whatever the driver does.

Threads
    *Capture* threads (``qr-capture-N``, one per opening of the source) open the source, call
    ``read()`` in a loop and publish each frame (the newest only; older ones are dropped) with
    a cheap fingerprint. They are the only threads that touch the ``VideoCapture`` object,
    and they release it themselves when told to stop.

    The *scanner* thread (``qr-scanner``) never touches the capture. It decodes the newest
    frame, debounces, watches the feed and decides when to reopen. All callbacks come from it.

    So a driver call that hangs (V4L2 ``read()`` after a USB reset, an RTSP stream that stops
    sending, OpenCV issues #6107/#5221/#10927/#4468) only stalls its capture thread: the
    scanner thread still notices, reports OFFLINE and opens the source again on a new capture
    thread. The hung thread is abandoned (a daemon thread; it releases its capture if the call
    ever returns). At most two hung capture threads are kept; beyond that the scanner waits
    for one to come back before opening again (status says "capture driver not responding").

Stale feed
    The feed is *stale* when no frame that differs from the previous one has arrived for
    ``stale_after_s``: ``read()`` failing, ``read()`` blocking, and ``read()`` returning the
    same frame again and again (what many drivers do after the device is gone) all look the
    same, so detection never relies on ``read()`` returning False. "Differs" compares a CRC of
    every 4th pixel of every 4th row: a live sensor's noise changes it on every frame, a frozen
    buffer never does. Consequences: a still image (a one-frame file, or a camera in total
    darkness delivering all-zero frames) counts as stale; show still images through the
    simulator's ``feed_frame`` instead.

    When the feed goes stale the scanner reports OFFLINE at once (``on_state``), retires the
    capture (its thread releases it) and opens the source again every ``reopen_every_s`` until
    it delivers *two different* frames, then reports READY. With the defaults a loss is
    reported 2 s after the last live frame (plus a few ms) and a camera that comes back is
    READY about 0.5 s + its open time later. Frames are decoded (and payloads reported)
    only while READY.

Sources
    An ``int`` is a camera index (``"0"``, or any all-digit string, is taken as one too);
    ``/dev/...`` a device node; a string with ``://`` a network stream (RTSP/HTTP; the default
    factory asks FFmpeg to give up opening or reading after 5 s); anything else a video file
    or an image sequence pattern (``frames/%04d.png``).

    *Files as a camera stand-in*: a file is played at its own frame rate (30 fps if it does
    not say; at most 120), not as fast as it can be decoded. With ``loop_files=True`` (the
    default) it rewinds at the end and plays forever, like a camera that keeps seeing the same
    scene; with ``loop_files=False`` the end of the file looks like a camera loss (OFFLINE,
    then the file is reopened and plays again), which is handy for rehearsing recovery.

States
    ``UNKNOWN`` before :meth:`~OpenCvQrScanner.start`, while the first opening is under way,
    and after :meth:`~OpenCvQrScanner.stop`; ``READY`` while live frames flow; ``OFFLINE``
    when the feed went stale (or never delivered a frame) and reopening is under way;
    ``ERROR`` when the source has never opened at all (wrong index, missing file, bad URL):
    opening is still retried every ``reopen_every_s``, so a camera plugged in later is picked
    up. ``on_state`` is called on every change of state, from the scanner thread. Details are
    short technical English for staff and never contain a payload or URL credentials.
"""

from __future__ import annotations

import enum
import logging
import math
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

import cv2
import numpy as np

from hardware.camera.common import Decoder, Frame, ScannerStats, ScanReporter
from hardware.camera.debounce import Debouncer
from hardware.protocols import DeviceState, DeviceStatus, StateCallback
from hardware.qr import decode_qr

__all__ = [
    "CaptureFactory",
    "OpenCvQrScanner",
    "SourceKind",
    "VideoCaptureLike",
    "classify_source",
    "describe_source",
    "open_video_capture",
]

_log = logging.getLogger(__name__)

#: Longest the scanner thread sleeps when nothing happens (it wakes at once for a frame).
_TICK_S: Final = 0.05
#: Pause after a failed ``read()`` before trying again (no busy loop on a dead device).
_READ_RETRY_S: Final = 0.02
#: Capture threads stuck in a driver call that may exist before opening is suspended.
_MAX_STUCK_CAPTURES: Final = 2
#: Total time :meth:`OpenCvQrScanner.stop` may take.
_STOP_BUDGET_S: Final = 0.9
#: Fingerprint sampling step (rows and columns).
_HASH_STEP: Final = 4
_DEFAULT_FILE_FPS: Final = 30.0
_MAX_FILE_FPS: Final = 120.0
#: FFmpeg open/read timeouts for network streams (the FFmpeg default is 30 s or never).
_STREAM_TIMEOUT_MS: Final = 5000


class VideoCaptureLike(Protocol):
    """The part of ``cv2.VideoCapture`` the scanner uses (tests pass fakes)."""

    def isOpened(self) -> bool: ...

    def read(self) -> tuple[bool, Any]: ...

    def release(self) -> None: ...

    def set(self, prop_id: int, value: float) -> bool: ...

    def get(self, prop_id: int) -> float: ...


CaptureFactory = Callable[[int | str], VideoCaptureLike]


class SourceKind(enum.Enum):
    DEVICE = "device"
    STREAM = "stream"
    FILE = "file"


def classify_source(source: int | str) -> SourceKind:
    """Whether ``source`` is a camera device, a network stream or a file / image sequence."""
    if isinstance(source, int) or source.startswith("/dev/"):
        return SourceKind.DEVICE
    if "://" in source:
        return SourceKind.STREAM
    return SourceKind.FILE


def describe_source(source: int | str) -> str:
    """A short, credential-free name for logs and status details."""
    kind = classify_source(source)
    if isinstance(source, int):
        return f"camera {source}"
    if kind is SourceKind.DEVICE:
        return source
    if kind is SourceKind.STREAM:
        # Never show user:password@ nor the path/query (tokens live there).
        parts = urlsplit(source)
        host = parts.hostname or "?"
        try:
            port = f":{parts.port}" if parts.port is not None else ""
        except ValueError:  # not a number: leave it out
            port = ""
        return f"{parts.scheme}://{host}{port}"
    return f"file {PurePath(source).name}"


def open_video_capture(source: int | str) -> VideoCaptureLike:
    """The default capture factory: ``cv2.VideoCapture``; network streams go through FFmpeg
    with 5 s open and read timeouts."""
    if isinstance(source, str) and classify_source(source) is SourceKind.STREAM:
        params = [
            cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
            _STREAM_TIMEOUT_MS,
            cv2.CAP_PROP_READ_TIMEOUT_MSEC,
            _STREAM_TIMEOUT_MS,
        ]
        capture: VideoCaptureLike = cv2.VideoCapture(source, cv2.CAP_FFMPEG, params)
        return capture
    capture = cv2.VideoCapture(source)
    return capture


def _fingerprint(frame: Frame) -> int:
    """CRC of a sparse sample of the frame (identical frames ⇔ identical CRC, in practice)."""
    sample = np.ascontiguousarray(frame[::_HASH_STEP, ::_HASH_STEP])
    return zlib.crc32(sample.tobytes(), zlib.crc32(repr(frame.shape).encode()))


def _usable(frame: object) -> Frame | None:
    """``frame`` if it is a non-empty ``uint8`` grey/BGR/BGRA image, else None."""
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.size == 0:
        return None
    if frame.ndim == 2 or (frame.ndim == 3 and frame.shape[2] in (1, 3, 4)):
        usable: Frame = frame
        return usable
    return None


@dataclass(eq=False)
class _Capture:
    """One opening of the source and what its capture thread has published.

    Fields below ``cancelled`` are written under the scanner's lock.
    """

    number: int
    started_at: float
    cancelled: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    opened_at: float | None = None
    open_failed: bool = False
    frame: Frame | None = None
    seq: int = 0
    fingerprint: int | None = None
    changes: int = 0
    last_frame_at: float | None = None
    last_change_at: float | None = None
    last_read_ok: bool = True


class OpenCvQrScanner:
    """:class:`~hardware.protocols.QrScanner` over an OpenCV ``VideoCapture`` source.

    See the module docstring for threads, stale-feed detection, sources and states.

    Args:
        source: Camera index, ``/dev/videoN``, stream URL, video file or image-sequence
            pattern.
        debounce_s: A text seen again less than this after its last sighting is dropped.
        stale_after_s: No new (different) frame for this long → OFFLINE and reopen.
        reopen_every_s: Pause between attempts to open the source.
        open_timeout_s: An opening that has not finished after this long is abandoned.
        decode_every_n: Decode only every n-th frame read (1: every frame the decoder can
            keep up with; frames that arrive while it is busy are skipped anyway).
        loop_files: Rewind a video file / image sequence at its end instead of going stale.
        capture_factory: Opens the source (default :func:`open_video_capture`).
        decoder: Frame → texts (default :func:`hardware.qr.decode_qr`).
        clock: Monotonic clock in seconds (tests inject a fake one).
    """

    def __init__(
        self,
        source: int | str,
        *,
        debounce_s: float = 3.0,
        stale_after_s: float = 2.0,
        reopen_every_s: float = 0.5,
        open_timeout_s: float = 10.0,
        decode_every_n: int = 1,
        loop_files: bool = True,
        capture_factory: CaptureFactory = open_video_capture,
        decoder: Decoder = decode_qr,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(source, str) and source.isdigit():
            source = int(source)
        if stale_after_s <= 0 or reopen_every_s < 0 or open_timeout_s <= 0:
            raise ValueError("stale_after_s and open_timeout_s must be > 0, reopen_every_s >= 0")
        if decode_every_n < 1:
            raise ValueError(f"decode_every_n must be >= 1, got {decode_every_n}")
        self.source = source
        self.kind = classify_source(source)
        self.stale_after_s = stale_after_s
        self.reopen_every_s = reopen_every_s
        self.open_timeout_s = open_timeout_s
        self.decode_every_n = decode_every_n
        self.loop_files = loop_files
        self._name = describe_source(source)
        self._factory = capture_factory
        self._clock = clock
        self._reporter = ScanReporter(decoder, Debouncer(debounce_s, clock=clock))

        self._cond = threading.Condition()
        # Guarded by _cond:
        self._status = DeviceStatus(DeviceState.UNKNOWN, "not started")
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._wake = False
        self._capture: _Capture | None = None
        self._retired: list[_Capture] = []
        self._pending_states: list[DeviceStatus] = []
        # Only touched by the scanner thread:
        self._numbers = 0
        self._next_open_at = 0.0
        self._ever_ready = False
        self._decoded_seq = 0  # seq of the current capture's frame last decoded
        self._decoded_fingerprint: int | None = None

    # ------------------------------------------------------------ QrScanner

    def start(self, on_payload: Callable[[str], None], on_state: StateCallback) -> None:
        """Start the worker threads and return at once. Raises RuntimeError if running."""
        with self._cond:
            if self._thread is not None:
                raise RuntimeError("scanner already started")
            self._reporter.connect(on_payload, on_state)
            self._stopping = threading.Event()
            self._status = DeviceStatus(DeviceState.UNKNOWN, f"opening {self._name}")
            self._next_open_at = self._clock()
            self._ever_ready = False
            self._thread = threading.Thread(target=self._run, name="qr-scanner", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the threads and release the capture; returns within about a second.

        No callback is made after this returns. A capture thread stuck inside the driver is
        abandoned (logged). Safe to call twice, before start, or from a callback.
        """
        with self._cond:
            thread = self._thread
            if thread is None:
                return
            self._stopping.set()
            self._reporter.disconnect()
            self._cond.notify_all()
        deadline = time.monotonic() + _STOP_BUDGET_S
        if thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))
        with self._cond:
            captures = [c for c in (self._capture, *self._retired) if c is not None]
            for capture in captures:
                capture.cancelled.set()
        for capture in captures:
            if capture.thread is not None and capture.thread is not threading.current_thread():
                capture.thread.join(max(0.0, deadline - time.monotonic()))
        stuck = sum(1 for c in captures if c.thread is not None and c.thread.is_alive())
        if thread.is_alive() and thread is not threading.current_thread():
            _log.warning("QR scanner thread did not stop in time (a callback is blocking?)")
        if stuck:
            _log.warning("%d capture thread(s) blocked in the camera driver; abandoned", stuck)
        with self._cond:
            self._thread = None
            self._capture = None
            self._retired = []
            self._pending_states = []
            self._status = DeviceStatus(DeviceState.UNKNOWN, "stopped")

    def status(self) -> DeviceStatus:
        with self._cond:
            return self._status

    def latest_frame(self) -> Frame | None:
        """The newest frame (read-only ``uint8`` BGR array) while READY, else None.

        The same array is returned until a newer frame arrives; it is never written to.
        """
        with self._cond:
            if self._status.state is not DeviceState.READY or self._capture is None:
                return None
            return self._capture.frame

    # ------------------------------------------------------------ extras

    def stats(self) -> ScannerStats:
        return self._reporter.stats()

    def reset_debounce(self) -> None:
        """Forget recent payloads: the next sighting of any code is reported."""
        self._reporter.debouncer.reset()

    # ------------------------------------------------------------ scanner thread

    def _run(self) -> None:
        stopping = self._stopping
        while not stopping.is_set():
            try:
                timeout = self._step()
            except Exception as exc:  # never let the loop die; keep watching the feed
                _log.error("QR scanner loop raised %s", type(exc).__name__)
                timeout = _TICK_S
            with self._cond:
                if not self._wake and not stopping.is_set():
                    self._cond.wait(min(_TICK_S, max(0.001, timeout)))
                self._wake = False
        with self._cond:
            if self._capture is not None:
                self._capture.cancelled.set()

    def _step(self) -> float:
        """One round: watch the feed, open/retire captures, decode the newest frame.

        Returns how long (in clock seconds) nothing needs doing.
        """
        now = self._clock()
        frame: Frame | None = None
        with self._cond:
            self._retired = [c for c in self._retired if c.thread is None or c.thread.is_alive()]
            capture = self._capture
            if capture is None:
                wait = self._maybe_open(now)
            elif capture.open_failed:
                self._retire(capture, now)
                self._set_status(self._lost_state(), f"cannot open {self._name}; retrying")
                wait = self.reopen_every_s
            elif capture.opened_at is None:
                wait = capture.started_at + self.open_timeout_s - now
                if wait <= 0:
                    self._retire(capture, now)
                    self._set_status(
                        self._lost_state(), f"opening {self._name} timed out; retrying"
                    )
                    wait = self.reopen_every_s
            else:
                fresh_at = (
                    capture.opened_at if capture.last_change_at is None else capture.last_change_at
                )
                idle = now - fresh_at
                if idle >= self.stale_after_s:
                    self._retire(capture, now)
                    self._set_status(DeviceState.OFFLINE, self._stale_detail(capture, now))
                    wait = self.reopen_every_s
                else:
                    if capture.changes >= 2:  # frames flow: READY, and only then decode
                        self._ever_ready = True
                        self._set_status(DeviceState.READY, self._ready_detail(capture))
                        frame = self._frame_to_decode(capture)
                    wait = self.stale_after_s - idle
            states, self._pending_states = self._pending_states, []
        for status in states:
            if not self._stopping.is_set():
                self._reporter.state(status)
        if frame is not None and not self._stopping.is_set():
            texts = self._reporter.decode(frame)
            if texts and not self._stopping.is_set():
                self._reporter.report(texts)
        return wait

    def _maybe_open(self, now: float) -> float:
        """Start a capture thread if it is time (lock held). Returns the wait until then."""
        if now < self._next_open_at:
            return self._next_open_at - now
        if len(self._retired) >= _MAX_STUCK_CAPTURES:
            self._set_status(
                self._lost_state(),
                f"capture driver not responding ({len(self._retired)} threads blocked)",
            )
            self._next_open_at = now + self.reopen_every_s
            return self.reopen_every_s
        self._numbers += 1
        capture = _Capture(self._numbers, now)
        capture.thread = threading.Thread(
            target=self._capture_loop,
            args=(capture,),
            name=f"qr-capture-{capture.number}",
            daemon=True,
        )
        self._capture = capture
        self._decoded_seq = 0
        self._decoded_fingerprint = None
        capture.thread.start()
        return min(self.open_timeout_s, self.stale_after_s)

    def _retire(self, capture: _Capture, now: float) -> None:
        """Tell ``capture``'s thread to release it and schedule the next opening (lock held)."""
        capture.cancelled.set()
        self._capture = None
        if capture.thread is not None and capture.thread.is_alive():
            self._retired.append(capture)
        self._next_open_at = now + self.reopen_every_s

    def _lost_state(self) -> DeviceState:
        """OFFLINE once the source has worked, ERROR while it never has."""
        return DeviceState.OFFLINE if self._ever_ready else DeviceState.ERROR

    def _ready_detail(self, capture: _Capture) -> str:
        if capture.frame is None:
            return self._name
        height, width = capture.frame.shape[:2]
        return f"{self._name} {width}x{height}"

    def _stale_detail(self, capture: _Capture, now: float) -> str:
        if capture.seq == 0 and not capture.last_read_ok:
            return f"{self._name}: read() fails; reopening"
        if not capture.last_read_ok:
            return f"{self._name}: read() failing; reopening"
        if capture.last_frame_at is None or now - capture.last_frame_at >= self.stale_after_s:
            return f"{self._name}: no frames for {self.stale_after_s:g} s; reopening"
        return f"{self._name}: frozen (identical frames) for {self.stale_after_s:g} s; reopening"

    def _set_status(self, state: DeviceState, detail: str) -> None:
        """Lock held. Queues an ``on_state`` call when the state changes."""
        if state is not self._status.state:
            level = logging.INFO if state is DeviceState.READY else logging.WARNING
            _log.log(level, "camera %s -> %s: %s", self._status.state.value, state.value, detail)
            self._status = DeviceStatus(state, detail)
            self._pending_states.append(self._status)
        elif detail != self._status.detail:
            self._status = DeviceStatus(state, detail)

    def _frame_to_decode(self, capture: _Capture) -> Frame | None:
        """The newest frame if it is due for decoding (lock held)."""
        if capture.frame is None or capture.seq < self._decoded_seq + self.decode_every_n:
            return None
        self._decoded_seq = capture.seq
        if capture.fingerprint == self._decoded_fingerprint:
            return None  # the very same picture: same result, and it would defeat debouncing
        self._decoded_fingerprint = capture.fingerprint
        return capture.frame

    # ------------------------------------------------------------ capture threads

    def _capture_loop(self, capture: _Capture) -> None:
        cap: VideoCaptureLike | None = None
        try:
            cap = self._open(capture)
            if cap is None:
                return
            interval = self._frame_interval(cap)
            while not capture.cancelled.is_set():
                began = time.monotonic()
                frame = self._read(cap)
                if frame is None and self.loop_files and self.kind is SourceKind.FILE:
                    frame = self._rewind(cap)
                if frame is None:
                    self._reporter.count("read_failures")
                    with self._cond:
                        capture.last_read_ok = False
                    capture.cancelled.wait(_READ_RETRY_S)
                    continue
                self._publish(capture, frame)
                if interval:
                    capture.cancelled.wait(max(0.0, interval - (time.monotonic() - began)))
        except Exception as exc:
            _log.error("camera capture thread raised %s", type(exc).__name__)
            with self._cond:
                capture.last_read_ok = False
        finally:
            if cap is not None:
                try:
                    cap.release()
                except Exception as exc:
                    _log.warning("releasing %s raised %s", self._name, type(exc).__name__)

    def _open(self, capture: _Capture) -> VideoCaptureLike | None:
        """Open the source; None (and ``open_failed`` set) if it cannot be opened."""
        self._reporter.count("open_attempts")
        cap: VideoCaptureLike | None = None
        try:
            cap = self._factory(self.source)
            opened = bool(cap.isOpened())
        except Exception as exc:
            _log.warning("opening %s raised %s", self._name, type(exc).__name__)
            opened = False
        if not opened:
            if cap is not None:
                try:
                    cap.release()
                except Exception as exc:
                    _log.debug("releasing %s raised %s", self._name, type(exc).__name__)
            with self._cond:
                capture.open_failed = True
                self._wake = True
                self._cond.notify_all()
            return None
        with self._cond:
            capture.opened_at = self._clock()
            self._wake = True
            self._cond.notify_all()
        return cap

    def _frame_interval(self, cap: VideoCaptureLike) -> float:
        """Seconds between frames when playing a file; 0 for live sources."""
        if self.kind is not SourceKind.FILE:
            return 0.0
        try:
            fps = float(cap.get(cv2.CAP_PROP_FPS))
        except Exception:
            fps = 0.0
        if not math.isfinite(fps) or fps <= 0:
            fps = _DEFAULT_FILE_FPS
        return 1.0 / min(fps, _MAX_FILE_FPS)

    def _read(self, cap: VideoCaptureLike) -> Frame | None:
        try:
            ok, frame = cap.read()
        except Exception as exc:
            _log.debug("read() on %s raised %s", self._name, type(exc).__name__)
            return None
        return _usable(frame) if ok else None

    def _rewind(self, cap: VideoCaptureLike) -> Frame | None:
        try:
            cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
        except Exception as exc:
            _log.debug("rewinding %s raised %s", self._name, type(exc).__name__)
            return None
        return self._read(cap)

    def _publish(self, capture: _Capture, frame: Frame) -> None:
        frame.flags.writeable = False  # shared with the decoder and the preview
        fingerprint = _fingerprint(frame)
        self._reporter.count("frames_read")
        with self._cond:
            if capture.cancelled.is_set():
                return
            now = self._clock()
            capture.seq += 1
            capture.last_frame_at = now
            capture.last_read_ok = True
            if fingerprint != capture.fingerprint:
                capture.changes += 1
                capture.last_change_at = now
                capture.fingerprint = fingerprint
            capture.frame = frame
            self._wake = True
            self._cond.notify_all()
