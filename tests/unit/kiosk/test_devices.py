"""The device table folds a group of devices into one row showing its worst member."""

from __future__ import annotations

from hardware.protocols import DeviceState
from kiosk.devices import DeviceRow, summarize


def test_group_shows_worst_state_and_ready_count() -> None:
    rows = [
        DeviceRow("speech", "pyttsx3", DeviceState.READY),
        DeviceRow("health.weight", "ble", DeviceState.READY),
        DeviceRow("health.glucose", "ble", DeviceState.OFFLINE, "not found"),
        DeviceRow("health.thermometer", "simulated", DeviceState.READY),
        DeviceRow("database", "sqlite", DeviceState.READY),
    ]
    out = summarize(rows, "health")
    assert [r.device for r in out] == ["speech", "health", "database"]
    health = out[1]
    assert health.state is DeviceState.OFFLINE
    assert health.detail == "2/3"
    assert health.driver == "ble,simulated"
    assert not health.ok


def test_without_the_group_nothing_changes() -> None:
    rows = [DeviceRow("speech", "recording", DeviceState.READY)]
    assert summarize(rows, "health") == rows
