"""Scripted stand-ins for ``cv2.VideoCapture``, frame makers and a callback recorder."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from bench import qrgen
from hardware.protocols import DeviceState, DeviceStatus

Frame = qrgen.Frame
#: read number (0, 1, 2...) → frame, or None for a failed read.
Script = Callable[[int], Frame | None]


def live(i: int) -> Frame:
    """Frame ``i`` of a live feed: every frame differs from the one before."""
    return np.full((48, 64, 3), i % 251, dtype=np.uint8)


FROZEN = np.full((48, 64, 3), 77, dtype=np.uint8)


def live_then_frozen(n_live: int) -> Script:
    """``n_live`` live frames, then the very same frame forever (a wedged driver's buffer)."""
    return lambda i: live(i) if i < n_live else FROZEN


def live_then_failing(n_live: int) -> Script:
    return lambda i: live(i) if i < n_live else None


def qr_frame(payload: str | bytes, i: int = 0) -> Frame:
    """A clean BGR code (varied by ``i`` in one corner pixel, so consecutive frames differ)."""
    grey = qrgen.render_code(payload, module_px=4)
    frame = np.repeat(grey[..., None], 3, axis=2)
    frame[0, 0] = 250 - i % 5
    return frame


class FakeCapture:
    """A scripted ``VideoCapture``. ``block_from``: reads from that number on hang until
    ``gate`` is set (a driver stuck in ``read()``)."""

    def __init__(
        self,
        script: Script = live,
        *,
        opened: bool = True,
        delay_s: float = 0.004,
        block_from: int | None = None,
    ) -> None:
        self.script = script
        self.opened = opened
        self.delay_s = delay_s
        self.block_from = block_from
        self.gate = threading.Event()
        self.reads = 0
        self.released = threading.Event()

    def isOpened(self) -> bool:
        return self.opened and not self.released.is_set()

    def read(self) -> tuple[bool, Any]:
        i = self.reads
        self.reads += 1
        if self.block_from is not None and i >= self.block_from:
            self.gate.wait()
        time.sleep(self.delay_s)
        frame = self.script(i)
        return frame is not None, frame

    def release(self) -> None:
        self.released.set()

    def set(self, prop_id: int, value: float) -> bool:
        return False

    def get(self, prop_id: int) -> float:
        return 0.0


class FakeFactory:
    """Hands out the given captures in order, then captures that fail to open."""

    def __init__(self, *captures: FakeCapture, open_gate: threading.Event | None = None):
        self.captures = list(captures)
        self.open_gate = open_gate
        self.calls = 0
        self.sources: list[int | str] = []
        self.handed_out: list[FakeCapture] = []

    def __call__(self, source: int | str) -> FakeCapture:
        self.calls += 1
        self.sources.append(source)
        if self.open_gate is not None:
            self.open_gate.wait()
        capture = self.captures.pop(0) if self.captures else FakeCapture(opened=False)
        self.handed_out.append(capture)
        return capture


class Recorder:
    """Collects callbacks (from any thread)."""

    def __init__(self) -> None:
        self.payloads: list[str] = []
        self.states: list[DeviceStatus] = []
        self.state_times: list[float] = []

    def on_payload(self, text: str) -> None:
        self.payloads.append(text)

    def on_state(self, status: DeviceStatus) -> None:
        self.states.append(status)
        self.state_times.append(time.monotonic())

    @property
    def state_names(self) -> list[DeviceState]:
        return [s.state for s in self.states]


def wait_for(predicate: Callable[[], object], timeout: float = 2.0) -> bool:
    """Poll ``predicate`` every few ms until it is truthy or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.003)


def scanner_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(("qr-scanner", "qr-capture"))]


def write_small_video(
    path: Path, frames: Sequence[Frame], *, fps: float = 30.0, fourcc: str = "MJPG"
) -> Path:
    """A small camera stand-in video (``bench.qrgen.write_video`` makes realistic 1280×720
    ones, but slowly)."""
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*fourcc), fps, (width, height))
    assert writer.isOpened(), f"cannot write {fourcc} to {path}"
    try:
        for frame in frames:
            writer.write(frame)
    finally:
        writer.release()
    return path


def qr_clip(payload: str | bytes, n: int, *, blank: int = 0) -> list[Frame]:
    """``blank`` live frames then ``n`` frames showing the code, all 240×320 BGR."""
    code = qr_frame(payload)
    out: list[Frame] = []
    for i in range(blank + n):
        frame = np.full((240, 320, 3), 200, dtype=np.uint8)
        frame[:4, :4] = 10 * (i % 20)  # each frame differs
        if i >= blank:
            h, w = code.shape[:2]
            top, left = (240 - h) // 2, (320 - w) // 2
            frame[top : top + h, left : left + w] = code
        out.append(frame)
    return out
