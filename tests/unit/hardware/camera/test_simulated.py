"""SimulatedQrScanner: real symbols through the real decoder, same debounce, fault injection."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from hardware.camera.simulated import SimulatedQrScanner, render_qr_frame
from hardware.protocols import DeviceState, QrScanner
from hardware.qr import decode_qr
from tests.helpers.fixtures import FakeClock
from tests.unit.hardware.camera.fakes import Frame, Recorder, qr_frame

VISITOR = "访客通行证：张三，3栋2单元501"
LEGACY = "缴费单号 2024061200873 物业费 ￥356.00"


class SpyDecoder:
    """decode_qr, counting its calls and keeping the frames it saw."""

    def __init__(self) -> None:
        self.frames: list[Frame] = []

    def __call__(self, frame: Frame) -> list[str]:
        self.frames.append(frame)
        return decode_qr(frame)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def spy() -> SpyDecoder:
    return SpyDecoder()


@pytest.fixture
def scanner(clock: FakeClock, spy: SpyDecoder) -> SimulatedQrScanner:
    return SimulatedQrScanner(clock=clock, decoder=spy)


def _start(scanner: SimulatedQrScanner) -> Recorder:
    recorder = Recorder()
    scanner.start(recorder.on_payload, recorder.on_state)
    return recorder


def test_protocol_and_lifecycle(scanner: SimulatedQrScanner) -> None:
    assert isinstance(scanner, QrScanner)
    assert scanner.status().state is DeviceState.UNKNOWN
    assert scanner.latest_frame() is None
    assert scanner.show_qr("X") == []  # not started: nothing happens
    recorder = _start(scanner)
    assert recorder.state_names == [DeviceState.READY]
    assert scanner.status().detail == "simulated camera 640x480"
    with pytest.raises(RuntimeError, match="already started"):
        scanner.start(recorder.on_payload, recorder.on_state)
    scanner.stop()
    assert scanner.status().state is DeviceState.UNKNOWN
    assert scanner.show_qr("X") == []
    assert recorder.payloads == []


def test_show_qr_goes_through_the_real_decoder(
    scanner: SimulatedQrScanner, spy: SpyDecoder
) -> None:
    """(h) The symbol is rendered and decoded, and the preview shows it."""
    recorder = _start(scanner)
    assert scanner.show_qr(VISITOR) == [VISITOR]
    assert recorder.payloads == [VISITOR]
    assert len(spy.frames) == 1
    assert spy.frames[0].shape == (480, 640, 3)
    frame = scanner.latest_frame()
    assert frame is not None
    assert not frame.flags.writeable
    assert decode_qr(frame) == [VISITOR]
    scanner.clear()
    cleared = scanner.latest_frame()
    assert cleared is not None
    assert decode_qr(cleared) == []


def test_gb18030_bytes_decode_to_the_text(scanner: SimulatedQrScanner) -> None:
    recorder = _start(scanner)
    scanner.show_qr(LEGACY.encode("gb18030"))
    assert recorder.payloads == [LEGACY]


def test_same_debounce_as_the_driver(scanner: SimulatedQrScanner, clock: FakeClock) -> None:
    recorder = _start(scanner)
    assert scanner.show_qr(VISITOR) == [VISITOR]
    clock.advance(2.0)
    assert scanner.show_qr(VISITOR) == []  # within 3 s of the last sighting
    clock.advance(2.9)
    assert scanner.show_qr(VISITOR) == []  # the sighting above restarted the window
    assert scanner.show_qr("另一张通行证") == ["另一张通行证"]
    clock.advance(3.0)
    assert scanner.show_qr(VISITOR) == [VISITOR]
    assert recorder.payloads == [VISITOR, "另一张通行证", VISITOR]
    stats = scanner.stats()
    assert stats.payloads_reported == 3
    assert stats.duplicates_dropped == 2
    scanner.reset_debounce()
    assert scanner.show_qr(VISITOR) == [VISITOR]


def test_inject_payload_bypasses_the_decoder_not_the_debouncer(
    scanner: SimulatedQrScanner, spy: SpyDecoder
) -> None:
    recorder = _start(scanner)
    assert scanner.inject_payload("VISIT:1234") == ["VISIT:1234"]
    assert scanner.inject_payload("VISIT:1234") == []
    assert spy.frames == []
    assert recorder.payloads == ["VISIT:1234"]


def test_feed_frame(scanner: SimulatedQrScanner) -> None:
    recorder = _start(scanner)
    assert scanner.feed_frame(qr_frame("VISIT:77")) == ["VISIT:77"]
    assert scanner.feed_frame(np.zeros((10, 10, 3), np.uint8)) == []
    assert recorder.payloads == ["VISIT:77"]


def test_offline_and_back(scanner: SimulatedQrScanner) -> None:
    """(h) Flows are told at once; nothing is scanned and no preview while offline."""
    recorder = _start(scanner)
    scanner.go_offline()
    assert recorder.state_names == [DeviceState.READY, DeviceState.OFFLINE]
    assert scanner.status().detail == "simulated camera loss"
    assert scanner.latest_frame() is None
    assert scanner.show_qr(VISITOR) == []
    assert scanner.inject_payload(VISITOR) == []
    scanner.go_offline()  # no change, no callback
    scanner.come_back()
    assert recorder.state_names == [DeviceState.READY, DeviceState.OFFLINE, DeviceState.READY]
    assert scanner.latest_frame() is not None
    assert scanner.show_qr(VISITOR) == [VISITOR]
    scanner.go_error("simulated: cannot open /dev/video0")
    assert scanner.status().state is DeviceState.ERROR
    assert recorder.states[-1].detail == "simulated: cannot open /dev/video0"
    assert recorder.payloads == [VISITOR]


def test_start_offline() -> None:
    scanner = SimulatedQrScanner(start_offline=True)
    recorder = _start(scanner)
    assert recorder.state_names == [DeviceState.OFFLINE]
    scanner.come_back()
    assert scanner.show_qr("VISIT:5") == ["VISIT:5"]


def test_decoder_fault_is_contained(
    scanner: SimulatedQrScanner, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = _start(scanner)
    scanner.fail_decoder_next(2)
    assert scanner.show_qr(VISITOR) == []
    assert scanner.show_qr(VISITOR) == []
    assert scanner.show_qr(VISITOR) == [VISITOR]
    assert scanner.stats().decode_errors == 2
    assert recorder.payloads == [VISITOR]
    assert "SimulatedDecoderError" in caplog.text


def test_callback_fault_is_contained_and_payloads_never_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    scanner = SimulatedQrScanner()

    def boom(text: str) -> None:
        raise ValueError(text)

    scanner.start(boom, lambda status: None)
    assert scanner.show_qr(VISITOR) == [VISITOR]
    assert scanner.stats().callback_errors == 1
    assert scanner.show_qr("PASS-2") == ["PASS-2"]
    assert "张三" not in caplog.text
    assert "PASS-2" not in caplog.text


def test_stop_inside_a_callback() -> None:
    scanner = SimulatedQrScanner()
    scanner.start(lambda text: scanner.stop(), lambda status: None)
    assert scanner.show_qr("PASS-1") == ["PASS-1"]
    assert scanner.status().state is DeviceState.UNKNOWN


def test_render_qr_frame_size_and_limits() -> None:
    frame = render_qr_frame("访客", width=320, height=240)
    assert frame.shape == (240, 320, 3)
    assert frame.dtype == np.uint8
    assert decode_qr(frame) == ["访客"]
    with pytest.raises(ValueError, match="does not fit"):
        render_qr_frame("x" * 500, width=64, height=64)
