"""``BleHealthMonitor`` against fake bleak scanner/client objects delivering spec bytes."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import pytest

from hardware.health import ble
from hardware.health._common import HealthKind
from hardware.health.ble import (
    RACP_OPERATOR_LAST_RECORD,
    RACP_REPORT_STORED_RECORDS,
    RECORD_ACCESS_CONTROL_POINT,
    BleHealthMonitor,
    uuid128,
)
from hardware.health.encode import encode
from hardware.health.gatt import (
    BLOOD_PRESSURE_MEASUREMENT,
    GLUCOSE_MEASUREMENT,
    INTERMEDIATE_CUFF_PRESSURE,
    PLX_CONTINUOUS_MEASUREMENT,
    PLX_SPOT_CHECK_MEASUREMENT,
    TEMPERATURE_MEASUREMENT,
    WEIGHT_MEASUREMENT,
    BloodPressureReading,
    GlucoseReading,
    GlucoseSampleLocation,
    GlucoseSampleType,
    GlucoseUnit,
    LengthUnit,
    PressureUnit,
    SpO2Reading,
    TemperatureReading,
    TemperatureType,
    TemperatureUnit,
    WeightReading,
    WeightUnit,
)
from hardware.health.sfloat import SpecialValue
from hardware.protocols import DeviceState, HealthMonitor
from tests.unit.hardware.health.ble_fakes import (
    FakeBleakError,
    FakePeripheral,
    FakeScanner,
    advert,
)
from tests.unit.hardware.health.recorder import Recorder, wait_until

WHEN = datetime(2024, 3, 15, 8, 30, 5)
BP_ADDRESS = "C0:FF:EE:00:18:10"
NAN = SpecialValue.NAN


def bp(systolic: int, diastolic: int, pulse: int) -> BloodPressureReading:
    return BloodPressureReading(
        systolic=Decimal(systolic),
        diastolic=Decimal(diastolic),
        mean_arterial=Decimal(diastolic + (systolic - diastolic) // 3),
        unit=PressureUnit.MMHG,
        timestamp=WHEN,
        pulse_rate=Decimal(pulse),
        user_id=1,
        status=None,
        intermediate=False,
    )


def cuff(pressure: int) -> BloodPressureReading:
    return BloodPressureReading(
        systolic=Decimal(pressure),
        diastolic=NAN,
        mean_arterial=NAN,
        unit=PressureUnit.MMHG,
        timestamp=None,
        pulse_rate=None,
        user_id=None,
        status=None,
        intermediate=True,
    )


def glucose(sequence: int, mmol: str) -> GlucoseReading:
    return GlucoseReading(
        sequence_number=sequence,
        base_time=WHEN,
        time_offset_min=0,
        concentration=Decimal(mmol).scaleb(-3),
        unit=GlucoseUnit.MOL_PER_L,
        sample_type=GlucoseSampleType.CAPILLARY_WHOLE_BLOOD,
        sample_location=GlucoseSampleLocation.FINGER,
        sensor_status=None,
        context_information_follows=False,
    )


class Rig:
    """A monitor wired to a fake scanner and peripheral, plus a recorder."""

    def __init__(
        self,
        kind: HealthKind,
        peripheral: FakePeripheral,
        scanner: FakeScanner,
        *,
        address: str | None = None,
    ) -> None:
        self.peripheral = peripheral
        self.scanner = scanner
        self.recorder = Recorder()
        self.monitor = BleHealthMonitor(
            kind,
            address=address,
            scan_timeout_s=0.5,
            backoff_initial_s=0.01,
            backoff_max_s=0.05,
            client_factory=peripheral.factory,
            scanner_factory=scanner.factory,
        )

    def start(self) -> Rig:
        self.monitor.start(self.recorder.on_reading, self.recorder.on_state)
        return self

    def connected(self) -> None:
        self.recorder.wait_state(DeviceState.READY, "connected")


@pytest.fixture
def rigs() -> Iterator[list[Rig]]:
    started: list[Rig] = []
    yield started
    for rig in started:
        rig.monitor.stop()


def make_rig(
    rigs: list[Rig],
    kind: HealthKind,
    characteristics: set[int],
    *,
    service: int,
    address: str | None = None,
    peripheral: FakePeripheral | None = None,
    scanner: FakeScanner | None = None,
) -> Rig:
    peripheral = peripheral or FakePeripheral(characteristics)
    scanner = scanner or FakeScanner(
        [advert("AA:AA:AA:00:18:1D", 0x181D), advert(f"DE:V1:CE:{service:04X}", service)]
    )
    rig = Rig(kind, peripheral, scanner, address=address)
    rigs.append(rig)
    return rig.start()


BP_CHARACTERISTICS = {BLOOD_PRESSURE_MEASUREMENT, INTERMEDIATE_CUFF_PRESSURE}


# ---------------------------------------------------------------- finding and subscribing


def test_it_is_a_health_monitor_and_unknown_before_start() -> None:
    monitor = BleHealthMonitor("blood_pressure", client_factory=FakePeripheral(set()).factory)
    assert isinstance(monitor, HealthMonitor)
    assert monitor.status().state is DeviceState.UNKNOWN
    monitor.stop()  # stopping a monitor that never started is harmless


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown health device kind"):
        BleHealthMonitor("sphygmomanometer")  # type: ignore[arg-type]


def test_scans_by_service_uuid_and_subscribes_to_measurement_characteristics(
    rigs: list[Rig],
) -> None:
    rig = make_rig(rigs, "blood_pressure", BP_CHARACTERISTICS, service=0x1810)
    rig.connected()
    call = rig.scanner.calls[0]
    assert call["service_uuids"] == ["00001810-0000-1000-8000-00805f9b34fb"]
    assert call["timeout"] == 0.5
    client = rig.peripheral.client
    assert client.target.address == "DE:V1:CE:1810"  # not the scale advertised first
    assert client.subscribed() == {0x2A35, 0x2A36}
    assert rig.monitor.status().state is DeviceState.READY


def test_the_first_search_is_unknown_not_ready(rigs: list[Rig]) -> None:
    rig = make_rig(rigs, "weight", {WEIGHT_MEASUREMENT}, service=0x181D)
    rig.connected()
    assert rig.recorder.states[0].state is DeviceState.UNKNOWN
    assert rig.recorder.states[0].detail == "searching"


@pytest.mark.parametrize(
    ("kind", "service", "characteristics"),
    [
        ("weight", 0x181D, {0x2A9D}),
        ("thermometer", 0x1809, {0x2A1C}),
        ("pulse_oximeter", 0x1822, {0x2A5E, 0x2A5F}),
        ("glucose", 0x1808, {0x2A18, 0x2A52}),
    ],
)
def test_each_kind_scans_for_its_service(
    rigs: list[Rig], kind: HealthKind, service: int, characteristics: set[int]
) -> None:
    rig = make_rig(rigs, kind, characteristics, service=service)
    rig.connected()
    assert rig.scanner.calls[0]["service_uuids"] == [uuid128(service)]
    assert rig.peripheral.client.subscribed() == characteristics


def test_a_configured_address_is_used_without_scanning(rigs: list[Rig]) -> None:
    scanner = FakeScanner(error=AssertionError("must not scan"))
    rig = make_rig(
        rigs,
        "blood_pressure",
        BP_CHARACTERISTICS,
        service=0x1810,
        address=BP_ADDRESS,
        scanner=scanner,
    )
    rig.connected()
    assert rig.peripheral.client.target == BP_ADDRESS
    assert scanner.calls == []


def test_optional_characteristics_may_be_missing(rigs: list[Rig]) -> None:
    # A cuff without Intermediate Cuff Pressure; an oximeter with only continuous data.
    cuff_rig = make_rig(rigs, "blood_pressure", {BLOOD_PRESSURE_MEASUREMENT}, service=0x1810)
    oxi_rig = make_rig(rigs, "pulse_oximeter", {PLX_CONTINUOUS_MEASUREMENT}, service=0x1822)
    cuff_rig.connected()
    oxi_rig.connected()
    assert cuff_rig.peripheral.client.subscribed() == {0x2A35}
    assert oxi_rig.peripheral.client.subscribed() == {0x2A5F}


def test_a_device_without_the_measurement_characteristic_is_an_error(rigs: list[Rig]) -> None:
    rig = make_rig(rigs, "blood_pressure", {INTERMEDIATE_CUFF_PRESSURE}, service=0x1810)
    status = rig.recorder.wait_state(DeviceState.ERROR)
    assert status.detail == "characteristic 0x2A35 unavailable (FakeBleakError)"
    wait_until(lambda: rig.peripheral.client.disconnect_calls >= 1)
    assert rig.recorder.readings == []


# ---------------------------------------------------------------- readings


def test_blood_pressure_reading_with_time_stamp_and_pulse(rigs: list[Rig]) -> None:
    rig = make_rig(rigs, "blood_pressure", BP_CHARACTERISTICS, service=0x1810)
    rig.connected()
    sent = bp(128, 82, 71)
    rig.peripheral.client.notify(BLOOD_PRESSURE_MEASUREMENT, encode(sent))
    (reading,) = rig.recorder.wait_readings(1)
    assert reading == sent
    assert reading.timestamp == WHEN
    assert reading.pulse_rate == Decimal(71)
    assert not reading.intermediate
    assert rig.recorder.threads == {"ble-health-blood_pressure"}  # never the caller's thread


def test_intermediate_cuff_pressure_sequence_makes_the_monitor_busy(rigs: list[Rig]) -> None:
    rig = make_rig(rigs, "blood_pressure", BP_CHARACTERISTICS, service=0x1810)
    rig.connected()
    ramp = [20, 60, 110, 160, 182, 170, 150, 130, 110, 90, 80]
    client = rig.peripheral.client
    client.notify_all((INTERMEDIATE_CUFF_PRESSURE, encode(cuff(p))) for p in ramp)
    rig.recorder.wait_readings(len(ramp))
    assert rig.monitor.status().state is DeviceState.BUSY
    client.notify(BLOOD_PRESSURE_MEASUREMENT, encode(bp(131, 85, 74)))
    readings = rig.recorder.wait_readings(len(ramp) + 1)
    assert [r.cuff_pressure for r in readings[:-1]] == [Decimal(p) for p in ramp]
    assert all(r.intermediate for r in readings[:-1])
    assert not readings[-1].intermediate
    wait_until(lambda: rig.monitor.status().state is DeviceState.READY)
    busy = [s for s in rig.recorder.states if s.state is DeviceState.BUSY]
    assert [s.detail for s in busy] == ["measuring"]


def test_weight_in_kg_and_lb(rigs: list[Rig]) -> None:
    rig = make_rig(rigs, "weight", {WEIGHT_MEASUREMENT}, service=0x181D)
    rig.connected()
    kg = bytes.fromhex("08 3C35 FA00 7206")  # 13628 × 0.005 = 68.14 kg, BMI 25.0, 1.650 m
    lb = bytes.fromhex("01 A23A")  # 15010 × 0.01 = 150.10 lb
    rig.peripheral.client.notify_all([(WEIGHT_MEASUREMENT, kg), (WEIGHT_MEASUREMENT, lb)])
    first, second = rig.recorder.wait_readings(2)
    assert isinstance(first, WeightReading)
    assert (first.weight, first.unit) == (Decimal("68.14"), WeightUnit.KG)
    assert (first.bmi, first.height, first.height_unit) == (
        Decimal("25.0"),
        Decimal("1.650"),
        LengthUnit.METRE,
    )
    assert (second.weight, second.unit) == (Decimal("150.10"), WeightUnit.LB)
    assert second.weight_kg == Decimal("68.0842147370")


def test_temperature_in_fahrenheit_has_a_celsius_property(rigs: list[Rig]) -> None:
    rig = make_rig(rigs, "thermometer", {TEMPERATURE_MEASUREMENT}, service=0x1809)
    rig.connected()
    sent = TemperatureReading(
        value=Decimal("98.6"),
        unit=TemperatureUnit.FAHRENHEIT,
        timestamp=WHEN,
        temperature_type=TemperatureType.TYMPANUM,
    )
    rig.peripheral.client.notify(TEMPERATURE_MEASUREMENT, encode(sent))
    (reading,) = rig.recorder.wait_readings(1)
    assert reading == sent
    assert reading.celsius == Decimal(37)


def test_spo2_spot_check_and_continuous(rigs: list[Rig]) -> None:
    rig = make_rig(
        rigs,
        "pulse_oximeter",
        {PLX_SPOT_CHECK_MEASUREMENT, PLX_CONTINUOUS_MEASUREMENT},
        service=0x1822,
    )
    rig.connected()
    continuous = bytes.fromhex("00 6000 4800")  # SpO2 96 %, PR 72
    spot = bytes.fromhex("01 6100 4600 E807030F081E05")  # 97 %, 70 bpm, time stamp
    rig.peripheral.client.notify_all(
        [(PLX_CONTINUOUS_MEASUREMENT, continuous), (PLX_SPOT_CHECK_MEASUREMENT, spot)]
    )
    first, second = rig.recorder.wait_readings(2)
    assert isinstance(first, SpO2Reading)
    assert isinstance(second, SpO2Reading)
    assert (first.continuous, first.spo2, first.pulse_rate) == (True, Decimal(96), Decimal(72))
    assert (second.continuous, second.spo2, second.timestamp) == (False, Decimal(97), WHEN)


def test_glucose_is_requested_through_the_record_access_control_point(rigs: list[Rig]) -> None:
    peripheral = FakePeripheral(
        {GLUCOSE_MEASUREMENT, RECORD_ACCESS_CONTROL_POINT},
        glucose_records=[encode(glucose(11, "6.1")), encode(glucose(12, "5.4"))],
    )
    rig = make_rig(rigs, "glucose", set(), service=0x1808, peripheral=peripheral)
    rig.connected()
    (reading,) = rig.recorder.wait_readings(1)
    assert isinstance(reading, GlucoseReading)
    assert reading.sequence_number == 12  # the last record only
    assert reading.mmol_per_l == Decimal("5.4")
    client = peripheral.client
    assert client.writes == [
        (
            uuid128(RECORD_ACCESS_CONTROL_POINT),
            bytes([RACP_REPORT_STORED_RECORDS, RACP_OPERATOR_LAST_RECORD]),
            True,
        )
    ]

    # The meter reconnects: the same record is not delivered twice, a new one is.
    client.drop()
    rig.recorder.wait_state_count(DeviceState.READY, 2)
    wait_until(lambda: len(peripheral.clients[-1].writes) == 1)
    time.sleep(0.05)
    assert len(rig.recorder.readings) == 1
    peripheral.glucose_records.append(encode(glucose(13, "7.2")))
    rig.monitor.request_last_record()
    readings = rig.recorder.wait_readings(2)
    assert readings[1].sequence_number == 13


def test_glucose_meter_without_records_is_still_ready(rigs: list[Rig]) -> None:
    rig = make_rig(
        rigs, "glucose", {GLUCOSE_MEASUREMENT, RECORD_ACCESS_CONTROL_POINT}, service=0x1808
    )
    rig.connected()
    wait_until(lambda: len(rig.peripheral.client.writes) == 1)
    assert rig.monitor.status().state is DeviceState.READY
    assert rig.recorder.readings == []


def test_malformed_packets_are_skipped_and_logged_without_values(
    rigs: list[Rig], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="hardware.health")
    rig = make_rig(rigs, "blood_pressure", BP_CHARACTERISTICS, service=0x1810)
    rig.connected()
    client = rig.peripheral.client
    client.notify(BLOOD_PRESSURE_MEASUREMENT, bytes.fromhex("02 8700 5200"))  # truncated
    client.notify(BLOOD_PRESSURE_MEASUREMENT, bytes.fromhex("1E 8700 5200 6200 E8070D"))
    client.notify(BLOOD_PRESSURE_MEASUREMENT, encode(bp(135, 82, 66)))
    (reading,) = rig.recorder.wait_readings(1)
    assert reading.systolic == Decimal(135)
    assert rig.monitor.malformed_packets == 2
    assert rig.monitor.status().state is DeviceState.READY
    messages = [r.getMessage() for r in caplog.records if "malformed" in r.getMessage()]
    assert (
        messages
        == ["skipped malformed Blood Pressure Measurement packet (MalformedPacketError)"] * 2
    )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for value in ("135", "82", "87", "2024"):
        assert value not in logged


def test_a_failing_callback_does_not_stop_the_monitor(rigs: list[Rig]) -> None:
    rig = make_rig(rigs, "blood_pressure", BP_CHARACTERISTICS, service=0x1810)
    rig.connected()
    calls: list[object] = []

    def explode(reading: object) -> None:
        calls.append(reading)
        raise RuntimeError("UI bug")

    rig.monitor._on_reading = explode
    client = rig.peripheral.client
    client.notify_all([(BLOOD_PRESSURE_MEASUREMENT, encode(bp(120, 80, 70)))] * 2)
    wait_until(lambda: len(calls) == 2)
    assert rig.monitor.status().state is DeviceState.READY


# ---------------------------------------------------------------- losing the device


def test_reconnects_after_the_link_drops(rigs: list[Rig]) -> None:
    rig = make_rig(rigs, "blood_pressure", BP_CHARACTERISTICS, service=0x1810)
    rig.connected()
    rig.peripheral.client.drop()
    rig.recorder.wait_state(DeviceState.OFFLINE, "disconnected")
    rig.recorder.wait_state_count(DeviceState.READY, 2)
    assert rig.peripheral.client_count() == 2
    rig.peripheral.client.notify(BLOOD_PRESSURE_MEASUREMENT, encode(bp(126, 80, 68)))
    (reading,) = rig.recorder.wait_readings(1)
    assert reading.systolic == Decimal(126)


def test_a_silent_link_loss_is_noticed_by_polling(
    rigs: list[Rig], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ble, "_LINK_POLL_S", 0.02)
    rig = make_rig(rigs, "weight", {WEIGHT_MEASUREMENT}, service=0x181D)
    rig.connected()
    rig.peripheral.client.drop(callback=False)
    rig.recorder.wait_state(DeviceState.OFFLINE, "disconnected")
    rig.recorder.wait_state_count(DeviceState.READY, 2)


def test_a_failed_connection_is_offline_and_retried(rigs: list[Rig]) -> None:
    peripheral = FakePeripheral(
        BP_CHARACTERISTICS, connect_errors=[TimeoutError(), FakeBleakError("le-connection-abort")]
    )
    rig = make_rig(rigs, "blood_pressure", set(), service=0x1810, peripheral=peripheral)
    rig.connected()
    offline = [s.detail for s in rig.recorder.states if s.state is DeviceState.OFFLINE]
    assert offline == ["connect failed (TimeoutError)", "connect failed (FakeBleakError)"]
    assert peripheral.client_count() == 3


def test_no_device_advertising_is_offline_and_scanning_goes_on(rigs: list[Rig]) -> None:
    scanner = FakeScanner([advert("AA:AA:AA:00:18:1D", 0x181D)])
    rig = make_rig(rigs, "blood_pressure", BP_CHARACTERISTICS, service=0x1810, scanner=scanner)
    status = rig.recorder.wait_state(DeviceState.OFFLINE)
    assert status.detail == "no device advertising 0x1810"
    wait_until(lambda: len(scanner.calls) >= 3)
    assert rig.peripheral.client_count() == 0
    # Repeated scans do not repeat the report.
    assert [s.state for s in rig.recorder.states] == [DeviceState.UNKNOWN, DeviceState.OFFLINE]
    scanner.adverts.append(advert("DE:V1:CE:18:10", 0x1810))
    rig.connected()


def test_a_missing_adapter_is_an_error_status_not_a_crash(rigs: list[Rig]) -> None:
    # What bleak raises on a machine without BlueZ/D-Bus (this one): FileNotFoundError.
    scanner = FakeScanner(error=FileNotFoundError(2, "No such file or directory"))
    rig = make_rig(rigs, "blood_pressure", BP_CHARACTERISTICS, service=0x1810, scanner=scanner)
    status = rig.recorder.wait_state(DeviceState.ERROR)
    assert status.detail == "Bluetooth unavailable (FileNotFoundError)"
    wait_until(lambda: len(scanner.calls) >= 2)  # retried: an adapter may be plugged in
    scanner.error = None
    scanner.adverts.append(advert("DE:V1:CE:18:10", 0x1810))
    rig.connected()


def test_without_bleak_installed_the_status_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "bleak", None)  # makes `import bleak` fail
    recorder = Recorder()
    monitor = BleHealthMonitor("thermometer", scan_timeout_s=0.2)
    monitor.start(recorder.on_reading, recorder.on_state)
    try:
        status = recorder.wait_state(DeviceState.ERROR)
        assert status.detail == "bleak is not installed"
    finally:
        monitor.stop()
    assert monitor.status().state is DeviceState.UNKNOWN


def test_the_real_bleak_path_on_this_machine_reports_honestly() -> None:
    """No Bluetooth here (or no bleak): an honest ERROR/OFFLINE, never READY, never a crash."""
    recorder = Recorder()
    monitor = BleHealthMonitor("blood_pressure", scan_timeout_s=0.3, backoff_initial_s=0.05)
    monitor.start(recorder.on_reading, recorder.on_state)
    try:
        recorder.wait(
            lambda: any(
                s.state in (DeviceState.ERROR, DeviceState.OFFLINE) for s in recorder.states
            ),
            timeout=10.0,
        )
        assert all(s.state is not DeviceState.READY for s in recorder.states)
    finally:
        started = time.monotonic()
        monitor.stop()
        assert time.monotonic() - started < 2.0


# ---------------------------------------------------------------- stopping


def test_stop_disconnects_and_joins_within_a_second(rigs: list[Rig]) -> None:
    rig = make_rig(rigs, "blood_pressure", BP_CHARACTERISTICS, service=0x1810)
    rig.connected()
    client = rig.peripheral.client
    thread = rig.monitor._thread
    assert thread is not None
    started = time.monotonic()
    rig.monitor.stop()
    assert time.monotonic() - started < 1.0
    assert not thread.is_alive()
    assert client.disconnect_calls == 1
    assert not client.is_connected
    assert rig.monitor.status().state is DeviceState.UNKNOWN
    assert rig.recorder.states[-1].detail == "stopped"


def test_stop_during_a_long_scan_cancels_it(rigs: list[Rig]) -> None:
    scanner = FakeScanner(delay_s=30.0)
    rig = make_rig(rigs, "glucose", set(), service=0x1808, scanner=scanner)
    wait_until(lambda: len(scanner.calls) == 1)
    started = time.monotonic()
    rig.monitor.stop()
    assert time.monotonic() - started < 1.0
    assert scanner.cancelled.is_set()


def test_no_callbacks_after_stop_and_restart_works(rigs: list[Rig]) -> None:
    rig = make_rig(rigs, "weight", {WEIGHT_MEASUREMENT}, service=0x181D)
    rig.connected()
    rig.monitor.stop()
    count = len(rig.recorder.states)
    time.sleep(0.05)
    assert len(rig.recorder.states) == count
    rig.start()
    rig.recorder.wait_state_count(DeviceState.READY, 2)
    with pytest.raises(RuntimeError, match="already started"):
        rig.start()


def test_threads_do_not_leak() -> None:
    before = threading.active_count()
    peripheral = FakePeripheral({WEIGHT_MEASUREMENT})
    for _ in range(5):
        recorder = Recorder()
        monitor = BleHealthMonitor(
            "weight",
            address="AA",
            client_factory=peripheral.factory,
            scanner_factory=FakeScanner().factory,
        )
        monitor.start(recorder.on_reading, recorder.on_state)
        recorder.wait_state(DeviceState.READY)
        monitor.stop()
    wait_until(lambda: threading.active_count() <= before)
