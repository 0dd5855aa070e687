"""SimulatedCardReader: same event semantics as the drivers, plus faults."""

from __future__ import annotations

import pytest

from hardware.card_reader.simulated import SimulatedCardReader
from hardware.cards import card_uid_hash
from hardware.protocols import CardEvent, CardReader, DeviceState, DeviceStatus
from tests.unit.hardware.card_reader.conftest import KEY, UID_4, UID_7, Recorder


@pytest.fixture
def sim(recorder: Recorder) -> SimulatedCardReader:
    reader = SimulatedCardReader(KEY, reader_name="sim")
    reader.start(recorder.on_event, recorder.on_state)
    return reader


def ev(kind: str, uid: str) -> CardEvent:
    return CardEvent(kind, card_uid_hash(uid, KEY), "sim")  # type: ignore[arg-type]


def test_protocol_and_states(recorder: Recorder) -> None:
    reader = SimulatedCardReader(KEY)
    assert isinstance(reader, CardReader)
    assert reader.status().state is DeviceState.UNKNOWN
    assert not reader.insert_card(UID_4)  # not started: not seen
    reader.start(recorder.on_event, recorder.on_state)
    assert reader.status() == DeviceStatus(DeviceState.READY, "simulated reader")
    reader.stop()
    assert reader.status().state is DeviceState.UNKNOWN
    assert recorder.events == []
    with pytest.raises(ValueError, match="key"):
        SimulatedCardReader(b"short")


def test_insert_remove_and_swap(sim: SimulatedCardReader, recorder: Recorder) -> None:
    assert sim.insert_card("04:a1:b2:c3")  # any spelling of the UID gives the same hash
    assert sim.card_present
    assert sim.insert_card(UID_7)  # another card put on: the first one left
    assert sim.remove_card()
    assert not sim.remove_card()
    assert recorder.events == [
        ev("inserted", UID_4),
        ev("removed", UID_4),
        ev("inserted", UID_7),
        ev("removed", UID_7),
    ]
    with pytest.raises(ValueError, match="unexpected character"):
        sim.insert_card("not a uid!")


def test_offline_and_failure_faults(sim: SimulatedCardReader, recorder: Recorder) -> None:
    sim.insert_card(UID_4)
    sim.go_offline()
    assert sim.status() == DeviceStatus(DeviceState.OFFLINE, "simulated: reader unplugged")
    assert recorder.events[-1] == ev("removed", UID_4)
    assert not sim.insert_card(UID_7)
    sim.recover()
    assert sim.status().state is DeviceState.READY
    assert sim.insert_card(UID_7)
    sim.fail("antenna broken")
    assert sim.status() == DeviceStatus(DeviceState.ERROR, "antenna broken")
    assert recorder.events[-1] == ev("removed", UID_7)
    assert [s.state for s in recorder.states] == [
        DeviceState.READY,
        DeviceState.OFFLINE,
        DeviceState.READY,
        DeviceState.ERROR,
    ]
    with pytest.raises(ValueError, match="recover"):
        sim.fail(state=DeviceState.READY)


def test_stop_removes_the_card(sim: SimulatedCardReader, recorder: Recorder) -> None:
    sim.insert_card(UID_4)
    sim.stop()
    assert recorder.events[-1] == ev("removed", UID_4)
    assert recorder.states[-1] == DeviceStatus(DeviceState.UNKNOWN, "stopped")
