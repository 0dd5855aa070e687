"""SerialCardReader on real pseudo-terminals (the test writes frames on the master side)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("serial", reason="pyserial not installed")

import serial

from hardware.card_reader.serial_reader import (
    LineFramer,
    RegexFramer,
    SerialCardReader,
    StxEtxFramer,
    make_framer,
    parse_uid,
)
from hardware.cards import card_uid_hash
from hardware.protocols import CardEvent, CardReader, DeviceState
from tests.unit.hardware.card_reader.conftest import (
    KEY,
    UID_4,
    UID_7,
    UID_DECIMAL,
    UID_SERIAL,
    Recorder,
)

TIMEOUT_S = 3.0


class Pty:
    """A pseudo-terminal pair; the reader opens ``link`` (a stable symlink, like by-id)."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.master = -1
        self.plug()

    def plug(self) -> None:
        master, slave = os.openpty()
        name = os.ttyname(slave)
        os.close(slave)  # the reader opens the slave by path
        self.master = master
        tmp = self.link.with_suffix(".new")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(name)
        tmp.replace(self.link)

    def unplug(self) -> None:
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def write(self, data: bytes) -> None:
        os.write(self.master, data)


@pytest.fixture
def pty(tmp_path: Path) -> Iterator[Pty]:
    pair = Pty(tmp_path / "ttyCARD")
    yield pair
    pair.unplug()


@pytest.fixture
def started(recorder: Recorder) -> Iterator[list[SerialCardReader]]:
    readers: list[SerialCardReader] = []
    yield readers
    for reader in readers:
        reader.stop()


def _start(
    readers: list[SerialCardReader], recorder: Recorder, port: Path | str, **kw: object
) -> SerialCardReader:
    reader = SerialCardReader(
        str(port),
        key=KEY,
        reader_name="desk",
        reopen_interval_s=0.05,
        **kw,  # type: ignore[arg-type]
    )
    readers.append(reader)
    reader.start(recorder.on_event, recorder.on_state)
    return reader


def inserted(uid: str) -> CardEvent:
    return CardEvent("inserted", card_uid_hash(uid, KEY), "desk")


# ---------------------------------------------------------------- framing (no port)
def test_line_framer_splits_joins_and_drops_overlong() -> None:
    framer = LineFramer(max_frame_bytes=8)
    assert framer.feed(b"04A1") == []
    assert framer.feed(b"B2C3\r\n\n\r") == [b"04A1B2C3"]
    assert framer.feed(b"0123456789ABCDEF\r1234\n") == [b"1234"]  # overlong line dropped
    assert framer.discarded == 1


def test_stx_etx_framer_ignores_noise_and_restarts() -> None:
    framer = StxEtxFramer(max_frame_bytes=16)
    assert framer.feed(b"noise\x0212\x02AB") == []
    assert framer.feed(b"CD\x03junk\x03\x02EF\x03") == [b"ABCD", b"EF"]
    assert framer.discarded == 1


def test_regex_framer_groups_and_validation() -> None:
    framer = RegexFramer(r"\x02(?P<uid>[0-9A-F]{10})[0-9A-F]{2}\x03")
    assert framer.feed(b"\x02" + UID_SERIAL.encode() + b"7F") == []
    assert framer.feed(b"\x03") == [UID_SERIAL.encode()]
    assert RegexFramer(r"ID=(\d+);").feed(b"xxID=42;ID=7;") == [b"42", b"7"]
    assert RegexFramer(r"[0-9]{4}\n").feed(b"1234\n") == [b"1234\n"]
    with pytest.raises(ValueError, match="regular expression"):
        make_framer("([0-9")
    with pytest.raises(ValueError, match="empty"):
        make_framer(r"\d*")
    with pytest.raises(ValueError, match="framing"):
        make_framer("")


def test_regex_framer_buffer_is_bounded() -> None:
    framer = RegexFramer(r"<(\w+)>", max_frame_bytes=8)
    framer.feed(b"x" * 1000)
    assert framer.feed(b"<AB12>") == [b"AB12"]


@pytest.mark.parametrize(
    ("payload", "fmt", "expected"),
    [
        (b"04A1B2C3", "hex", "04A1B2C3"),
        (b" 04:a1:b2:c3 ", "hex", "04:a1:b2:c3".replace(":", "")),
        (b"04-A1-B2-C3", "hex", "04A1B2C3"),
        (b"0012345678", "decimal", "0012345678"),
        (b"04A1B2C3", "decimal", None),
        (b"04G1B2C3", "hex", None),
        (b"04\xff1B2C3", "hex", None),
        (b"123", "hex", None),
        (b"1" * 33, "hex", None),
        (b"", "hex", None),
    ],
)
def test_parse_uid(payload: bytes, fmt: str, expected: str | None) -> None:
    assert parse_uid(payload, fmt) == expected  # type: ignore[arg-type]


def test_constructor_checks() -> None:
    with pytest.raises(ValueError, match="key"):
        SerialCardReader("/dev/null", key=b"short")
    with pytest.raises(ValueError, match="uid_format"):
        SerialCardReader("/dev/null", key=KEY, uid_format="octal")  # type: ignore[arg-type]
    reader = SerialCardReader("/dev/null", key=KEY)
    assert isinstance(reader, CardReader)
    assert reader.status().state is DeviceState.UNKNOWN


# ---------------------------------------------------------------- on a pseudo-terminal
def test_line_frames_with_garbage_and_partials(
    pty: Pty, recorder: Recorder, started: list[SerialCardReader]
) -> None:
    reader = _start(started, recorder, pty.link)
    status = recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    assert status.detail == f"{pty.link} open"
    pty.write(b"\x00\xfe\xffgarbage!\r\n")  # not a UID: discarded
    pty.write(b"04A1")
    time.sleep(0.15)  # a frame split over two reads
    pty.write(b"B2C3\r\n")
    pty.write(UID_7.lower().encode() + b"\n")
    events = recorder.wait_events(2, TIMEOUT_S)
    assert events == [inserted(UID_4), inserted(UID_7)]
    assert reader.discarded_frames == 1


def test_repeats_are_suppressed(
    pty: Pty, recorder: Recorder, started: list[SerialCardReader]
) -> None:
    _start(started, recorder, pty.link, repeat_suppress_s=0.3)
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    for _ in range(3):  # a reader repeating the card while it lies there
        pty.write(b"04A1B2C3\r\n")
        time.sleep(0.05)
    pty.write(b"04112233445566\r\n")
    recorder.wait_events(2, TIMEOUT_S)
    time.sleep(0.4)
    pty.write(b"04112233445566\r\n")  # presented again later
    events = recorder.wait_events(3, TIMEOUT_S)
    assert events == [inserted(UID_4), inserted(UID_7), inserted(UID_7)]


def test_stx_etx_framing(pty: Pty, recorder: Recorder, started: list[SerialCardReader]) -> None:
    _start(started, recorder, pty.link, framing="stx-etx")
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    pty.write(b"\r\nnoise\x0212")  # a frame cut short by the next STX
    pty.write(b"\x02" + UID_SERIAL.encode() + b"\x03\x02nothex\x03")
    assert recorder.wait_events(1, TIMEOUT_S) == [inserted(UID_SERIAL)]


def test_regex_framing_decimal_uids(
    pty: Pty, recorder: Recorder, started: list[SerialCardReader]
) -> None:
    _start(started, recorder, pty.link, framing=r"CARD:(\d+)\r", uid_format="decimal")
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    pty.write(b"HELLO\r\nCARD:" + UID_DECIMAL.encode() + b"\r\n")
    assert recorder.wait_events(1, TIMEOUT_S) == [inserted(UID_DECIMAL)]


def test_port_missing_then_appearing(
    tmp_path: Path, recorder: Recorder, started: list[SerialCardReader]
) -> None:
    link = tmp_path / "ttyLATE"
    _start(started, recorder, link)
    status = recorder.wait_state(DeviceState.OFFLINE, TIMEOUT_S)
    assert status.detail.startswith(f"cannot open {link}")
    late = Pty(link)
    try:
        recorder.wait_state(DeviceState.READY, TIMEOUT_S)
        late.write(b"04A1B2C3\n")
        assert recorder.wait_events(1, TIMEOUT_S) == [inserted(UID_4)]
    finally:
        late.unplug()


def test_port_disappears_and_is_reopened(
    pty: Pty, recorder: Recorder, started: list[SerialCardReader]
) -> None:
    _start(started, recorder, pty.link)
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    pty.write(b"04A1B2C3\n")
    recorder.wait_events(1, TIMEOUT_S)
    pty.unplug()  # USB adapter pulled: reads fail, the device node goes away
    status = recorder.wait_state(DeviceState.OFFLINE, TIMEOUT_S)
    assert str(pty.link) in status.detail
    pty.plug()  # plugged in again (a new tty behind the same by-id link)
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    pty.write(b"04112233445566\n")
    assert recorder.wait_events(2, TIMEOUT_S)[1] == inserted(UID_7)


def test_stop_is_prompt(pty: Pty, recorder: Recorder) -> None:
    reader = SerialCardReader(str(pty.link), key=KEY, read_timeout_s=5.0)
    reader.start(recorder.on_event, recorder.on_state)
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    started = time.monotonic()
    reader.stop()
    assert time.monotonic() - started < 1.0  # cancel_read wakes the blocking read
    assert reader.status().state is DeviceState.UNKNOWN
    with contextlib.suppress(OSError):
        pty.write(b"04A1B2C3\n")
    time.sleep(0.1)
    assert recorder.events == []


def test_injected_serial_factory(recorder: Recorder, started: list[SerialCardReader]) -> None:
    """Any pyserial URL works; here a loopback port the test writes into."""
    loop = serial.serial_for_url("loop://", timeout=0.05)
    opened: list[str] = []

    def factory(url: str, **kwargs: object) -> object:
        opened.append(url)
        return loop

    reader = SerialCardReader("loop://", key=KEY, reader_name="desk", serial_factory=factory)
    started.append(reader)
    reader.start(recorder.on_event, recorder.on_state)
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    loop.write(b"04A1B2C3\r\n")
    assert recorder.wait_events(1, TIMEOUT_S) == [inserted(UID_4)]
    assert opened == ["loop://"]


def test_callback_errors_do_not_stop_the_reader(
    pty: Pty, recorder: Recorder, started: list[SerialCardReader]
) -> None:
    calls: list[CardEvent] = []

    def fragile(event: CardEvent) -> None:
        calls.append(event)
        recorder.on_event(event)
        if len(calls) == 1:
            raise RuntimeError("boom")

    reader = SerialCardReader(str(pty.link), key=KEY, reader_name="desk")
    started.append(reader)
    reader.start(fragile, recorder.on_state)
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    pty.write(b"04A1B2C3\n04112233445566\n")
    assert recorder.wait_events(2, TIMEOUT_S) == [inserted(UID_4), inserted(UID_7)]
    assert reader.status().state is DeviceState.READY
