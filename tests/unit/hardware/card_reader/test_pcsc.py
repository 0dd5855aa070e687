"""PcscCardReader against a real pcscd (started by the fixture) with vsmartcard's vpcd reader
and a virtual card program (``virtual_card.py``) that answers GET UID.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("smartcard", reason="pyscard not installed")

from hardware.card_reader.pcsc import GET_UID_APDU, PcscCardReader
from hardware.cards import card_uid_hash
from hardware.protocols import CardEvent, CardReader, DeviceState
from tests.unit.hardware.card_reader.conftest import KEY, UID_4, UID_7, Recorder
from tests.unit.hardware.card_reader.pcscd import READER_NAME, PcscDaemon, PcscLayout
from tests.unit.hardware.card_reader.virtual_card import (
    CONTACT_ATR,
    CONTACTLESS_ATR,
    VirtualCard,
)

# Removal and insertion reach pcscd within ~0.5 s; generous for a loaded CI machine.
TIMEOUT_S = 5.0


StartReader = Callable[..., PcscCardReader]


@pytest.fixture
def make_reader(recorder: Recorder) -> Iterator[StartReader]:
    """Builds and starts a PcscCardReader on the test reader; stops it at teardown."""
    readers: list[PcscCardReader] = []

    def start(
        *, reader_filter: str | None = READER_NAME, atr_fallback: bool = False
    ) -> PcscCardReader:
        reader = PcscCardReader(
            key=KEY, reader_filter=reader_filter, atr_fallback=atr_fallback, retry_interval_s=0.2
        )
        readers.append(reader)
        reader.start(recorder.on_event, recorder.on_state)
        return reader

    yield start
    for reader in readers:
        reader.stop()


@pytest.fixture
def cards() -> Iterator[list[VirtualCard]]:
    made: list[VirtualCard] = []
    yield made
    for card in made:
        card.remove()


def _card(
    cards: list[VirtualCard], port: int, uid: str | None, atr: bytes = CONTACTLESS_ATR
) -> VirtualCard:
    card = VirtualCard(port, uid=bytes.fromhex(uid) if uid else None, atr=atr)
    cards.append(card)
    return card


def test_is_a_card_reader() -> None:
    assert isinstance(PcscCardReader(key=KEY), CardReader)
    assert PcscCardReader(key=KEY).status().state is DeviceState.UNKNOWN
    with pytest.raises(ValueError, match="key"):
        PcscCardReader(key=b"short")


def test_insert_remove_cycles_give_hashed_events(
    pcscd: PcscDaemon,
    recorder: Recorder,
    make_reader: StartReader,
    cards: list[VirtualCard],
) -> None:
    make_reader()
    ready = recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    assert ready.detail == f"{pcscd.reader(0)}, {pcscd.reader(1)}"
    card = _card(cards, pcscd.card_port(0), UID_4)
    expected = card_uid_hash(UID_4, KEY)
    for cycle in range(2):
        card.insert()
        events = recorder.wait_events(2 * cycle + 1, TIMEOUT_S)
        assert events[-1] == CardEvent("inserted", expected, pcscd.reader(0))
        card.remove()
        events = recorder.wait_events(2 * cycle + 2, TIMEOUT_S)
        assert events[-1] == CardEvent("removed", expected, pcscd.reader(0))
    assert bytes(GET_UID_APDU) in card.apdus


def test_two_slots_and_a_seven_byte_uid_and_the_logs(
    pcscd: PcscDaemon,
    recorder: Recorder,
    make_reader: StartReader,
    cards: list[VirtualCard],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Besides the autouse guard (no UID/ATR in any log record), check the driver did log."""
    make_reader()
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    _card(cards, pcscd.card_port(0), UID_4).insert()
    recorder.wait_events(1, TIMEOUT_S)
    seven = _card(cards, pcscd.card_port(1), UID_7)
    seven.insert()
    events = recorder.wait_events(2, TIMEOUT_S)
    assert events[1] == CardEvent("inserted", card_uid_hash(UID_7, KEY), pcscd.reader(1))
    assert events[0].uid_hash != events[1].uid_hash
    seven.remove()
    recorder.wait_events(3, TIMEOUT_S)
    messages = [r.getMessage() for r in caplog.records if r.name == "hardware.card_reader.pcsc"]
    assert sum("card inserted" in m for m in messages) == 2
    assert any("card removed" in m for m in messages)
    assert all(r.levelno < logging.WARNING for r in caplog.records)


def test_card_already_on_the_reader_at_start(
    pcscd: PcscDaemon,
    recorder: Recorder,
    make_reader: StartReader,
    cards: list[VirtualCard],
) -> None:
    _card(cards, pcscd.card_port(1), UID_4).insert()
    time.sleep(0.3)  # let vpcd see it before the driver starts
    make_reader()
    events = recorder.wait_events(1, TIMEOUT_S)
    assert events == [CardEvent("inserted", card_uid_hash(UID_4, KEY), pcscd.reader(1))]


def test_uid_with_short_le_is_retried(
    pcscd: PcscDaemon,
    recorder: Recorder,
    make_reader: StartReader,
    cards: list[VirtualCard],
) -> None:
    """A card that insists on an exact Le (6C xx) still gives its UID."""

    class StrictCard(VirtualCard):
        def answer(self, message: bytes) -> bytes | None:
            if message == bytes(GET_UID_APDU):
                self.apdus.append(message)
                return bytes([0x6C, 7])
            return super().answer(message)

    card = StrictCard(pcscd.card_port(0), uid=bytes.fromhex(UID_7))
    cards.append(card)
    make_reader()
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    card.insert()
    events = recorder.wait_events(1, TIMEOUT_S)
    assert events[0].uid_hash == card_uid_hash(UID_7, KEY)
    assert card.apdus[-1] == bytes([*GET_UID_APDU[:4], 7])


@pytest.mark.parametrize("atr_fallback", [False, True])
def test_contact_card_without_uid(
    pcscd: PcscDaemon,
    recorder: Recorder,
    make_reader: StartReader,
    cards: list[VirtualCard],
    atr_fallback: bool,
) -> None:
    make_reader(atr_fallback=atr_fallback)
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    card = _card(cards, pcscd.card_port(0), None, atr=CONTACT_ATR)
    card.insert()
    events = recorder.wait_events(1, TIMEOUT_S)
    expected = card_uid_hash("ATR" + CONTACT_ATR.hex(), KEY) if atr_fallback else None
    assert events == [CardEvent("inserted", expected, pcscd.reader(0))]
    assert card.apdus == [bytes(GET_UID_APDU)]  # asked for the UID, got 6A81
    card.remove()
    assert recorder.wait_events(2, TIMEOUT_S)[1] == CardEvent("removed", expected, pcscd.reader(0))


def test_pcscd_not_running(
    pcsc_layout: PcscLayout, recorder: Recorder, make_reader: StartReader
) -> None:
    if not pcsc_layout.private and pcsc_layout.socket_path.exists():
        pytest.skip("a pcscd socket exists")
    make_reader()
    status = recorder.wait_state(DeviceState.OFFLINE, TIMEOUT_S)
    assert status.detail.startswith("pcscd not running")
    assert "0x8010001D" in status.detail


def test_no_matching_reader(
    pcscd: PcscDaemon, recorder: Recorder, make_reader: StartReader
) -> None:
    make_reader(reader_filter="No Such Reader")
    status = recorder.wait_state(DeviceState.OFFLINE, TIMEOUT_S)
    assert status.detail == "no reader matching 'No Such Reader'"


def test_no_reader_at_all(
    pcsc_layout: PcscLayout,
    tmp_path: Path,
    recorder: Recorder,
    make_reader: StartReader,
) -> None:
    daemon = PcscDaemon(pcsc_layout, tmp_path, vpcd=False)
    daemon.start()
    try:
        make_reader(reader_filter=None)
        status = recorder.wait_state(DeviceState.OFFLINE, TIMEOUT_S)
        assert status.detail == "no reader"
    finally:
        daemon.stop()


def test_pcscd_dies_and_comes_back(
    pcscd: PcscDaemon,
    recorder: Recorder,
    make_reader: StartReader,
    cards: list[VirtualCard],
) -> None:
    make_reader()
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    card = _card(cards, pcscd.card_port(0), UID_4)
    card.insert()
    recorder.wait_events(1, TIMEOUT_S)
    pcscd.kill()
    status = recorder.wait_state(DeviceState.OFFLINE, TIMEOUT_S)
    assert status.detail.startswith("pcscd")
    events = recorder.wait_events(2, TIMEOUT_S)
    assert events[1] == CardEvent("removed", card_uid_hash(UID_4, KEY), pcscd.reader(0))
    card.remove()

    pcscd.start()
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    card.insert()
    events = recorder.wait_events(3, TIMEOUT_S)
    assert events[2] == CardEvent("inserted", card_uid_hash(UID_4, KEY), pcscd.reader(0))


def test_stop_is_prompt_and_final(
    pcscd: PcscDaemon, recorder: Recorder, cards: list[VirtualCard]
) -> None:
    reader = PcscCardReader(key=KEY, reader_filter=READER_NAME, poll_interval_s=30.0)
    reader.start(recorder.on_event, recorder.on_state)
    recorder.wait_state(DeviceState.READY, TIMEOUT_S)
    time.sleep(0.1)  # inside SCardGetStatusChange with a 30 s timeout
    started = time.monotonic()
    reader.stop()
    assert time.monotonic() - started < 1.0  # SCardCancel woke it
    assert reader.status() == recorder.states[-1]
    assert reader.status().state is DeviceState.UNKNOWN
    _card(cards, pcscd.card_port(0), UID_4).insert()
    time.sleep(0.5)
    assert recorder.events == []
