"""OpenCvQrScanner: real files through cv2 and decode_qr, scripted captures for the faults.

Timing: scripted captures with an injected clock where the rule is about durations (stale
after 2 s, reopen after 0.5 s), real time with small settings where it is about threads, and
one real-time run with the default settings for the RELIABILITY item 25 bounds.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from bench import qrgen
from hardware.camera.opencv_qr import (
    OpenCvQrScanner,
    SourceKind,
    classify_source,
    describe_source,
)
from hardware.protocols import DeviceState, DeviceStatus, QrScanner
from hardware.qr import decode_qr
from tests.helpers.fixtures import FakeClock
from tests.unit.hardware.camera.conftest import MakeScanner
from tests.unit.hardware.camera.fakes import (
    FROZEN,
    FakeCapture,
    FakeFactory,
    Frame,
    Recorder,
    live,
    live_then_failing,
    live_then_frozen,
    qr_clip,
    qr_frame,
    scanner_threads,
    wait_for,
    write_small_video,
)

READY, OFFLINE, ERROR, UNKNOWN = (
    DeviceState.READY,
    DeviceState.OFFLINE,
    DeviceState.ERROR,
    DeviceState.UNKNOWN,
)
VISITOR = "访客通行证：张三，3栋2单元501"
LEGACY = "访客：李四，拜访 7栋1单元1203，有效期至 2025-06-30 18:00"


def _start(scanner: OpenCvQrScanner) -> Recorder:
    recorder = Recorder()
    scanner.start(recorder.on_payload, recorder.on_state)
    return recorder


def _state_is(scanner: OpenCvQrScanner, state: DeviceState, timeout: float = 2.0) -> bool:
    return wait_for(lambda: scanner.status().state is state, timeout)


# ---------------------------------------------------------------- real files


def test_video_file_reports_chinese_payload_once(
    tmp_path: Path, make_scanner: MakeScanner, caplog: pytest.LogCaptureFixture
) -> None:
    """(a) MJPG .avi: 8 blank frames, then the code in every frame, looping."""
    caplog.set_level(logging.DEBUG)
    video = qrgen.write_video(
        tmp_path / "pass.avi", VISITOR, frames_before=4, frames_total=14, fps=60.0
    )
    scanner = make_scanner(str(video))
    recorder = _start(scanner)

    assert wait_for(lambda: recorder.payloads, timeout=3.0)
    decoded = scanner.stats().frames_decoded
    assert wait_for(lambda: scanner.stats().frames_decoded >= decoded + 30, timeout=3.0)

    assert recorder.payloads == [VISITOR]
    stats = scanner.stats()
    assert stats.payloads_reported == 1
    assert stats.duplicates_dropped >= 20
    assert stats.open_attempts == 1  # looped, never reopened
    assert recorder.state_names == [READY]
    assert scanner.status().detail == "file pass.avi 1280x720"
    # Payloads are personal: never logged.
    assert VISITOR not in caplog.text
    assert "张三" not in caplog.text


def test_gb18030_video_decodes_to_the_right_text(tmp_path: Path, make_scanner: MakeScanner) -> None:
    """(b) A legacy generator's GB18030 bytes (byte mode, no ECI) come out as the text."""
    video = write_small_video(tmp_path / "legacy.avi", qr_clip(LEGACY.encode("gb18030"), 5))
    recorder = _start(make_scanner(str(video)))
    assert wait_for(lambda: recorder.payloads, timeout=3.0)
    assert recorder.payloads == [LEGACY]


def test_mp4v_file_works_too(tmp_path: Path, make_scanner: MakeScanner) -> None:
    video = write_small_video(
        tmp_path / "pass.mp4", qr_clip("VISIT:0042", 5, blank=2), fourcc="mp4v"
    )
    recorder = _start(make_scanner(str(video)))
    assert wait_for(lambda: recorder.payloads == ["VISIT:0042"], timeout=3.0)


def test_image_sequence_source(tmp_path: Path, make_scanner: MakeScanner) -> None:
    for i in range(6):
        cv2.imwrite(str(tmp_path / f"frame_{i:03d}.png"), qr_frame(VISITOR, i))
    scanner = make_scanner(str(tmp_path / "frame_%03d.png"))
    recorder = _start(scanner)
    assert wait_for(lambda: recorder.payloads, timeout=3.0)
    assert recorder.payloads == [VISITOR]
    assert scanner.status().state is READY


def test_loop_files_false_treats_the_end_as_a_camera_loss(
    tmp_path: Path, make_scanner: MakeScanner
) -> None:
    video = write_small_video(tmp_path / "short.avi", qr_clip("VISIT:1", 10), fps=100.0)
    scanner = make_scanner(str(video), loop_files=False, stale_after_s=0.2, reopen_every_s=0.05)
    recorder = _start(scanner)
    assert wait_for(lambda: recorder.state_names[:3] == [READY, OFFLINE, READY], timeout=3.0)
    assert scanner.stats().open_attempts >= 2
    assert "read() failing" in recorder.states[1].detail


def test_loop_files_rewinds_without_going_stale(tmp_path: Path, make_scanner: MakeScanner) -> None:
    video = write_small_video(tmp_path / "short.avi", qr_clip("VISIT:1", 10), fps=100.0)
    scanner = make_scanner(str(video), stale_after_s=0.2)
    recorder = _start(scanner)
    assert wait_for(lambda: scanner.stats().frames_read >= 45, timeout=3.0)  # > 4 loops
    assert recorder.state_names == [READY]
    assert scanner.stats().open_attempts == 1
    assert recorder.payloads == ["VISIT:1"]


def test_bad_source_path_is_error_with_detail_and_no_thread_leak(
    make_scanner: MakeScanner,
) -> None:
    """(i) The real cv2 factory on a missing file: ERROR, retried, threads bounded."""
    scanner = make_scanner("/nonexistent/dir/missing.avi", reopen_every_s=0.02)
    recorder = _start(scanner)
    assert _state_is(scanner, ERROR)
    assert scanner.status().detail == "cannot open file missing.avi; retrying"
    assert wait_for(lambda: scanner.stats().open_attempts >= 5)
    assert len(scanner_threads()) <= 2  # the scanner thread and at most one capture thread
    assert recorder.state_names == [ERROR]
    assert scanner.latest_frame() is None
    scanner.stop()
    assert scanner_threads() == []
    assert scanner.status().state is UNKNOWN


# ---------------------------------------------------------------- stale feed


def test_frozen_frames_go_offline_after_stale_time_then_reopen(make_scanner: MakeScanner) -> None:
    """(c) Identical frames (read() keeps returning True): OFFLINE at 2.0 s by the clock,
    reopened 0.5 s later, READY once the new capture delivers live frames."""
    clock = FakeClock()
    first = FakeCapture(live_then_frozen(5))
    factory = FakeFactory(first, FakeCapture(live))
    scanner = make_scanner(0, capture_factory=factory, clock=clock)
    recorder = _start(scanner)
    assert _state_is(scanner, READY)
    assert wait_for(lambda: first.reads > 20)  # frozen by now

    clock.advance(1.5)
    time.sleep(0.1)  # several scanner rounds
    assert scanner.status().state is READY
    clock.advance(0.5)
    assert _state_is(scanner, OFFLINE, timeout=1.0)
    assert scanner.status().detail == "camera 0: frozen (identical frames) for 2 s; reopening"
    assert scanner.latest_frame() is None
    assert wait_for(first.released.is_set)

    time.sleep(0.1)
    assert factory.calls == 1  # not before reopen_every_s
    clock.advance(0.5)
    assert _state_is(scanner, READY, timeout=1.0)
    assert factory.calls == 2
    assert recorder.state_names == [READY, OFFLINE, READY]
    assert scanner.stats().open_attempts == 2


def test_loss_flagged_within_2_s_and_recovered_within_5_s_in_real_time(
    make_scanner: MakeScanner,
) -> None:
    """RELIABILITY 25 with the default settings and the real clock."""
    last_live: list[float] = []

    def script(i: int) -> Frame:
        if i < 10:
            last_live.append(time.monotonic())
            return live(i)
        return FROZEN

    factory = FakeFactory(FakeCapture(script), FakeCapture(live))
    scanner = make_scanner(0, capture_factory=factory)
    recorder = _start(scanner)
    assert wait_for(lambda: recorder.state_names == [READY, OFFLINE], timeout=3.0)
    detected_after = recorder.state_times[1] - last_live[-1]
    assert 1.95 <= detected_after <= 2.25  # stale_after_s plus scheduling slack
    assert wait_for(lambda: len(recorder.states) == 3, timeout=5.0)
    assert recorder.state_names == [READY, OFFLINE, READY]
    assert recorder.state_times[2] - recorder.state_times[1] < 1.0  # bound: 5 s


def test_read_failing_goes_offline_and_reopens_until_it_works(make_scanner: MakeScanner) -> None:
    """(d) read() returning False: OFFLINE, reopen attempts counted, READY when one works."""
    factory = FakeFactory(
        FakeCapture(live_then_failing(5)),
        FakeCapture(live_then_failing(0)),
        FakeCapture(opened=False),
        FakeCapture(live_then_failing(0)),
        FakeCapture(live),
    )
    scanner = make_scanner(0, capture_factory=factory, stale_after_s=0.2, reopen_every_s=0.02)
    recorder = _start(scanner)
    assert wait_for(lambda: recorder.state_names == [READY, OFFLINE])
    assert recorder.states[1].detail == "camera 0: read() failing; reopening"
    assert wait_for(lambda: len(recorder.states) == 3, timeout=3.0)
    assert recorder.state_names == [READY, OFFLINE, READY]
    assert factory.calls == 5
    stats = scanner.stats()
    assert stats.open_attempts == 5
    assert stats.read_failures > 0
    assert all(c.released.is_set() for c in factory.handed_out[:4])


def test_read_blocking_forever_goes_offline_and_a_new_capture_takes_over(
    make_scanner: MakeScanner,
) -> None:
    """A driver stuck inside read() (never returns False): detected, reopened on a new
    thread; the stuck thread releases its capture when the call finally returns."""
    stuck = FakeCapture(live, block_from=5)
    factory = FakeFactory(stuck, FakeCapture(live))
    scanner = make_scanner(0, capture_factory=factory, stale_after_s=0.2, reopen_every_s=0.02)
    recorder = _start(scanner)
    assert wait_for(lambda: len(recorder.states) == 3)
    assert recorder.state_names == [READY, OFFLINE, READY]
    assert recorder.states[1].detail == "camera 0: no frames for 0.2 s; reopening"
    assert not stuck.released.is_set()  # still inside read()
    assert any(t.name == "qr-capture-1" for t in scanner_threads())
    stuck.gate.set()
    assert wait_for(stuck.released.is_set)
    assert scanner.status().state is READY


def test_source_that_never_delivers_a_frame_goes_offline(make_scanner: MakeScanner) -> None:
    factory = FakeFactory(FakeCapture(block_from=0))
    scanner = make_scanner(0, capture_factory=factory, stale_after_s=0.1)
    recorder = _start(scanner)
    assert _state_is(scanner, OFFLINE)
    assert recorder.state_names == [OFFLINE]


def test_camera_plugged_in_after_start_goes_from_error_to_ready(
    make_scanner: MakeScanner,
) -> None:
    factory = FakeFactory(FakeCapture(opened=False), FakeCapture(opened=False), FakeCapture(live))
    scanner = make_scanner(0, capture_factory=factory, reopen_every_s=0.02)
    recorder = _start(scanner)
    assert wait_for(lambda: recorder.state_names == [ERROR, READY])
    assert recorder.states[0].detail == "cannot open camera 0; retrying"


def test_hanging_open_times_out_and_stuck_threads_are_bounded(make_scanner: MakeScanner) -> None:
    gate = threading.Event()
    clock = FakeClock()
    factory = FakeFactory(FakeCapture(live), open_gate=gate)  # every open hangs until gate
    scanner = make_scanner(0, capture_factory=factory, clock=clock, open_timeout_s=1.0)
    recorder = _start(scanner)
    assert wait_for(lambda: factory.calls == 1)
    assert scanner.status().state is UNKNOWN
    clock.advance(1.0)
    assert _state_is(scanner, ERROR)
    assert scanner.status().detail == "opening camera 0 timed out; retrying"
    clock.advance(0.5)
    assert wait_for(lambda: factory.calls == 2)
    for _ in range(30):  # time out the second opening, then reach the next opening time
        clock.advance(0.1)
        if wait_for(lambda: "not responding" in scanner.status().detail, timeout=0.02):
            break
    assert scanner.status().detail == "capture driver not responding (2 threads blocked)"
    clock.advance(0.5)
    time.sleep(0.1)
    assert factory.calls == 2  # no third thread while two are stuck
    assert len(scanner_threads()) == 3
    gate.set()  # the driver comes back: the stuck opens finish and are released
    assert wait_for(lambda: len(scanner_threads()) == 1)
    clock.advance(0.5)
    assert wait_for(lambda: factory.calls == 3)
    assert recorder.state_names == [ERROR]


# ---------------------------------------------------------------- decoding


def test_decoder_raising_never_stops_the_loop(
    make_scanner: MakeScanner, caplog: pytest.LogCaptureFixture
) -> None:
    """(e) Three decoder failures (message quoting a payload), then the next frame decodes."""
    calls = 0

    def flaky(frame: Frame) -> list[str]:
        nonlocal calls
        calls += 1
        if calls <= 3:
            raise RuntimeError(f"decoder exploded on {VISITOR}")
        return decode_qr(frame)

    factory = FakeFactory(FakeCapture(lambda i: qr_frame(VISITOR, i)))
    scanner = make_scanner(0, capture_factory=factory, decoder=flaky)
    recorder = _start(scanner)
    assert wait_for(lambda: recorder.payloads)
    assert recorder.payloads == [VISITOR]
    assert scanner.stats().decode_errors == 3
    assert scanner.status().state is READY
    assert "RuntimeError" in caplog.text
    assert "张三" not in caplog.text


def test_callbacks_raising_never_stop_the_loop(make_scanner: MakeScanner) -> None:
    """(f) on_payload and on_state both raise every time; scanning goes on."""
    seen: list[str] = []
    states: list[DeviceState] = []

    def bad_payload(text: str) -> None:
        seen.append(text)
        raise ValueError(text)

    def bad_state(status: DeviceStatus) -> None:
        states.append(status.state)
        raise KeyError("state")

    factory = FakeFactory(FakeCapture(lambda i: qr_frame("PASS-A" if i < 15 else "PASS-B", i)))
    scanner = make_scanner(0, capture_factory=factory)
    scanner.start(bad_payload, bad_state)
    assert wait_for(lambda: seen == ["PASS-A", "PASS-B"])
    assert states == [READY]
    assert scanner.stats().callback_errors == 3
    assert scanner.status().state is READY


def test_several_codes_in_one_frame_each_reported_once(make_scanner: MakeScanner) -> None:
    frame = qrgen.frame_with_codes(["PASS-LEFT", "访客-右"])

    def script(i: int) -> Frame:
        out = frame.copy()
        out[0, 0] = i % 200
        return out

    scanner = make_scanner(0, capture_factory=FakeFactory(FakeCapture(script)))
    recorder = _start(scanner)
    assert wait_for(lambda: scanner.stats().frames_decoded >= 5)
    assert sorted(recorder.payloads) == ["PASS-LEFT", "访客-右"]


def test_same_text_again_after_the_debounce_window(make_scanner: MakeScanner) -> None:
    """Shown, taken away for 3 s (by the clock), shown again: reported twice."""
    clock = FakeClock()
    showing = threading.Event()
    showing.set()

    def script(i: int) -> Frame:
        return qr_frame(VISITOR, i) if showing.is_set() else live(i)

    factory = FakeFactory(FakeCapture(script))
    scanner = make_scanner(0, capture_factory=factory, clock=clock, stale_after_s=100.0)
    recorder = _start(scanner)
    assert wait_for(lambda: recorder.payloads == [VISITOR])
    clock.advance(2.0)
    time.sleep(0.05)
    showing.clear()
    decoded = scanner.stats().frames_decoded
    assert wait_for(lambda: scanner.stats().frames_decoded > decoded + 3)
    clock.advance(2.9)  # 2.9 s since the last sighting
    showing.set()
    decoded = scanner.stats().frames_decoded
    assert wait_for(lambda: scanner.stats().frames_decoded > decoded + 3)
    assert recorder.payloads == [VISITOR]
    showing.clear()
    decoded = scanner.stats().frames_decoded
    assert wait_for(lambda: scanner.stats().frames_decoded > decoded + 3)
    clock.advance(3.0)
    showing.set()
    assert wait_for(lambda: recorder.payloads == [VISITOR, VISITOR])


def test_a_frozen_frame_with_a_code_is_not_reported_again(make_scanner: MakeScanner) -> None:
    """Decoding the same picture again would defeat the debouncer once its window passed."""
    clock = FakeClock()
    code = qr_frame(VISITOR)
    factory = FakeFactory(FakeCapture(lambda i: live(i) if i < 2 else code))
    scanner = make_scanner(
        0, capture_factory=factory, clock=clock, debounce_s=1.0, stale_after_s=100.0
    )
    recorder = _start(scanner)
    assert wait_for(lambda: recorder.payloads == [VISITOR])
    for _ in range(3):
        clock.advance(1.5)
        time.sleep(0.03)
    assert recorder.payloads == [VISITOR]


def test_decode_every_n(make_scanner: MakeScanner) -> None:
    scanner = make_scanner(0, capture_factory=FakeFactory(FakeCapture(live)), decode_every_n=3)
    _start(scanner)
    assert wait_for(lambda: scanner.stats().frames_read >= 60)
    stats = scanner.stats()
    assert 0 < stats.frames_decoded <= stats.frames_read // 3 + 1


# ---------------------------------------------------------------- lifecycle and API


def test_status_lifecycle_and_protocol(make_scanner: MakeScanner) -> None:
    scanner = make_scanner(0, capture_factory=FakeFactory(FakeCapture(live)))
    assert isinstance(scanner, QrScanner)
    assert scanner.status().state is UNKNOWN
    assert scanner.latest_frame() is None
    scanner.stop()  # before start: nothing happens
    recorder = _start(scanner)
    with pytest.raises(RuntimeError, match="already started"):
        scanner.start(recorder.on_payload, recorder.on_state)
    assert _state_is(scanner, READY)
    assert scanner.status().detail == "camera 0 64x48"
    scanner.stop()
    assert scanner.status().state is UNKNOWN
    assert scanner.status().detail == "stopped"
    scanner.stop()


def test_latest_frame_is_a_read_only_reference_while_ready(make_scanner: MakeScanner) -> None:
    first = FakeCapture(live_then_failing(30))
    scanner = make_scanner(0, capture_factory=FakeFactory(first), stale_after_s=0.2)
    _start(scanner)
    assert _state_is(scanner, READY)
    frame = scanner.latest_frame()
    assert isinstance(frame, np.ndarray)
    assert frame.shape == (48, 64, 3)
    assert not frame.flags.writeable
    assert _state_is(scanner, OFFLINE)
    assert scanner.latest_frame() is None


def test_stop_joins_within_a_second_and_no_callback_follows(make_scanner: MakeScanner) -> None:
    """(g) Also with a capture thread stuck in read(): it is abandoned, stop still returns."""
    stuck = FakeCapture(live, block_from=20)
    scanner = make_scanner(0, capture_factory=FakeFactory(stuck))
    recorder = _start(scanner)
    assert _state_is(scanner, READY)
    assert wait_for(lambda: stuck.reads > 20)  # now blocked inside read()
    began = time.monotonic()
    scanner.stop()
    assert time.monotonic() - began < 1.0
    assert [t.name for t in scanner_threads()] == ["qr-capture-1"]
    count = len(recorder.states)
    stuck.gate.set()
    assert wait_for(stuck.released.is_set)
    assert wait_for(lambda: not scanner_threads())
    assert len(recorder.states) == count


def test_stop_is_quick_with_a_healthy_camera_and_restart_works(make_scanner: MakeScanner) -> None:
    factory = FakeFactory(FakeCapture(live, delay_s=0.03), FakeCapture(live))
    scanner = make_scanner(0, capture_factory=factory)
    _start(scanner)
    assert _state_is(scanner, READY)
    began = time.monotonic()
    scanner.stop()
    assert time.monotonic() - began < 0.2
    assert scanner_threads() == []
    assert factory.handed_out[0].released.is_set()
    recorder = _start(scanner)
    assert wait_for(lambda: recorder.state_names == [READY])
    assert factory.calls == 2


def test_stop_from_a_callback_does_not_deadlock(make_scanner: MakeScanner) -> None:
    factory = FakeFactory(FakeCapture(lambda i: qr_frame("PASS-STOP", i)))
    scanner = make_scanner(0, capture_factory=factory)
    seen: list[str] = []

    def on_payload(text: str) -> None:
        seen.append(text)
        scanner.stop()

    scanner.start(on_payload, lambda status: None)
    assert wait_for(lambda: seen == ["PASS-STOP"])
    assert wait_for(lambda: not scanner_threads())
    assert scanner.status().state is UNKNOWN


def test_digit_string_source_is_a_camera_index(make_scanner: MakeScanner) -> None:
    factory = FakeFactory(FakeCapture(live))
    scanner = make_scanner("2", capture_factory=factory)
    assert scanner.source == 2
    _start(scanner)
    assert wait_for(lambda: factory.sources == [2])


def test_invalid_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="decode_every_n"):
        OpenCvQrScanner(0, decode_every_n=0)
    with pytest.raises(ValueError, match="stale_after_s"):
        OpenCvQrScanner(0, stale_after_s=0)


@pytest.mark.parametrize(
    ("source", "kind", "name"),
    [
        (0, SourceKind.DEVICE, "camera 0"),
        ("/dev/video2", SourceKind.DEVICE, "/dev/video2"),
        (
            "rtsp://admin:s3cret@10.0.0.5:554/live?token=abc",
            SourceKind.STREAM,
            "rtsp://10.0.0.5:554",
        ),
        ("http://cam.local/mjpg", SourceKind.STREAM, "http://cam.local"),
        ("/home/zhang/videos/pass.avi", SourceKind.FILE, "file pass.avi"),
        ("frames/%04d.png", SourceKind.FILE, "file %04d.png"),
    ],
)
def test_sources_are_classified_and_described_without_credentials(
    source: int | str, kind: SourceKind, name: str
) -> None:
    assert classify_source(source) is kind
    assert describe_source(source) == name
