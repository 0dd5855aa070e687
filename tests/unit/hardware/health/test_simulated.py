"""``SimulatedHealthMonitor``: realistic value statistics, seeded determinism, faults."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from hardware.health._common import HealthKind
from hardware.health.gatt import (
    BloodPressureReading,
    GlucoseReading,
    HealthReading,
    PlxDeviceSensorStatus,
    PlxMeasurementStatus,
    SpO2Reading,
    TemperatureReading,
    WeightReading,
)
from hardware.health.sfloat import SpecialValue
from hardware.health.simulated import PROFILES, PersonProfile, SimulatedHealthMonitor
from hardware.protocols import DeviceState, HealthDeviceError, HealthMonitor
from tests.unit.hardware.health.recorder import Recorder, wait_until

WHEN = datetime(2024, 3, 15, 8, 30, 5)


@pytest.fixture
def sims() -> Iterator[list[SimulatedHealthMonitor]]:
    made: list[SimulatedHealthMonitor] = []
    yield made
    for sim in made:
        sim.stop()


def start(
    sims: list[SimulatedHealthMonitor], kind: HealthKind, seed: int = 7, **options: Any
) -> tuple[SimulatedHealthMonitor, Recorder]:
    options.setdefault("duration_s", 0.0)
    options.setdefault("reconnect_s", 0.0)
    sim = SimulatedHealthMonitor(kind, seed=seed, clock=lambda: WHEN, **options)
    sims.append(sim)
    recorder = Recorder()
    sim.start(recorder.on_reading, recorder.on_state)
    recorder.wait_state(DeviceState.READY)
    return sim, recorder


def results(sim: SimulatedHealthMonitor, count: int) -> list[Any]:
    futures = [sim.measure() for _ in range(count)]
    return [future.result(5) for future in futures]


def number(value: object) -> float:
    assert isinstance(value, Decimal), value
    return float(value)


# ---------------------------------------------------------------- basics


def test_status_life_cycle(sims: list[SimulatedHealthMonitor]) -> None:
    sim = SimulatedHealthMonitor("weight", seed=1, duration_s=0)
    assert isinstance(sim, HealthMonitor)
    assert sim.status().state is DeviceState.UNKNOWN
    with pytest.raises(HealthDeviceError, match="not started"):
        sim.measure()
    recorder = Recorder()
    sim.start(recorder.on_reading, recorder.on_state)
    sims.append(sim)
    recorder.wait_state(DeviceState.READY)
    sim.measure().result(2)
    wait_until(lambda: sim.status().state is DeviceState.READY)
    assert [s.state for s in recorder.states] == [
        DeviceState.READY,
        DeviceState.BUSY,
        DeviceState.READY,
    ]
    sim.stop()
    assert sim.status() == recorder.states[-1]
    assert sim.status().state is DeviceState.UNKNOWN


def test_unknown_kind_profile_or_fault_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown health device kind"):
        SimulatedHealthMonitor("scale")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown profile"):
        SimulatedHealthMonitor("weight", profile="athlete")
    sim = SimulatedHealthMonitor("thermometer")
    with pytest.raises(ValueError, match="cannot simulate"):
        sim.fail_next("cuff_loose")
    with pytest.raises(ValueError, match="unknown fault"):
        sim.fail_next("fire")  # type: ignore[arg-type]


def test_blood_pressure_cuff_ramp_then_result(sims: list[SimulatedHealthMonitor]) -> None:
    sim, recorder = start(sims, "blood_pressure")
    final = sim.measure().result(2)
    readings = recorder.wait_readings(2)
    assert readings[-1] == final
    assert isinstance(final, BloodPressureReading)
    assert not final.intermediate
    ramp = [number(r.cuff_pressure) for r in readings[:-1]]
    assert all(r.intermediate for r in readings[:-1])
    peak = ramp.index(max(ramp))
    assert max(ramp) >= 170
    assert ramp[:peak] == sorted(ramp[:peak])  # inflating
    assert all(b < a for a, b in zip(ramp[peak:], ramp[peak + 1 :], strict=False))  # deflating
    assert ramp[-1] < number(final.diastolic)
    assert len(ramp) > 20  # enough points to animate
    assert final.timestamp == WHEN
    assert final.pulse_rate is not None


def test_duration_is_spread_over_the_measurement(sims: list[SimulatedHealthMonitor]) -> None:
    sim, _recorder = start(sims, "thermometer", duration_s=0.2)
    started = time.monotonic()
    sim.measure().result(2)
    assert time.monotonic() - started >= 0.2


def test_stop_ends_a_long_measurement_promptly(sims: list[SimulatedHealthMonitor]) -> None:
    sim, _ = start(sims, "blood_pressure", duration_s=30.0)
    future = sim.measure()
    wait_until(lambda: sim.status().state is DeviceState.BUSY)
    started = time.monotonic()
    sim.stop()
    assert time.monotonic() - started < 1.0
    with pytest.raises(HealthDeviceError, match="stopped"):
        future.result(1)


# ---------------------------------------------------------------- statistics


def test_blood_pressure_statistics_and_white_coat_effect(
    sims: list[SimulatedHealthMonitor],
) -> None:
    sim, _ = start(sims, "blood_pressure", seed=2024)
    series: list[list[BloodPressureReading]] = []
    for _ in range(150):
        sim.new_visitor()
        series.append(results(sim, 3))
    by_position = list(zip(*series, strict=True))
    systolic = [statistics.mean(number(r.systolic) for r in group) for group in by_position]
    diastolic = [statistics.mean(number(r.diastolic) for r in group) for group in by_position]
    # White-coat effect: the first reading is highest, later ones slightly lower.
    assert systolic[0] > systolic[1] + 2 > systolic[2] + 2
    assert diastolic[0] > diastolic[2] + 1.5
    assert systolic[2] == pytest.approx(132, abs=2)
    assert diastolic[2] == pytest.approx(84, abs=1.5)
    everything = [r for group in series for r in group]
    spread = statistics.stdev(number(r.systolic) for r in by_position[2])
    assert 3.5 < spread < 7
    pulses = [number(r.pulse_rate) for r in everything]
    assert min(pulses) >= 60
    assert max(pulses) <= 90
    assert 68 < statistics.mean(pulses) < 76
    assert all(number(r.systolic) >= number(r.diastolic) + 20 for r in everything)
    assert all(
        number(r.diastolic) < number(r.mean_arterial) < number(r.systolic) for r in everything
    )
    irregular = sum(r.status is not None and r.status.irregular_pulse for r in everything)
    assert 0.01 * len(everything) < irregular < 0.10 * len(everything)  # about 5 %


def test_weight_jitter_and_bmi(sims: list[SimulatedHealthMonitor]) -> None:
    sim, _ = start(sims, "weight")
    readings: list[WeightReading] = results(sim, 300)
    weights = [number(r.weight) for r in readings]
    assert statistics.mean(weights) == pytest.approx(68.0, abs=0.03)
    assert 0.06 < statistics.stdev(weights) < 0.15
    assert all(r.weight is not None and r.weight % Decimal("0.05") == 0 for r in readings)
    assert {r.height for r in readings} == {Decimal("1.650")}
    assert all(Decimal("24.8") <= (r.bmi or 0) <= Decimal("25.1") for r in readings)


def test_temperature_range_with_rare_fever(sims: list[SimulatedHealthMonitor]) -> None:
    sim, _ = start(sims, "thermometer")
    readings: list[TemperatureReading] = results(sim, 600)
    celsius = [number(r.celsius) for r in readings]
    fevers = [c for c in celsius if c >= 37.5]
    normal = [c for c in celsius if c < 37.5]
    assert 1 <= len(fevers) <= 30  # about 2 %
    assert all(37.5 <= c <= 39.2 for c in fevers)
    assert min(normal) >= 36.2
    assert max(normal) <= 37.2
    assert statistics.mean(normal) == pytest.approx(36.7, abs=0.05)


def test_spo2_range_with_rare_low_values(sims: list[SimulatedHealthMonitor]) -> None:
    sim, recorder = start(sims, "pulse_oximeter")
    readings: list[SpO2Reading] = results(sim, 600)
    values = [number(r.spo2) for r in readings]
    low = [v for v in values if v < 95]
    assert 1 <= len(low) <= 30
    assert all(88 <= v <= 92 for v in low)
    assert all(95 <= v <= 99 for v in values if v >= 95)
    assert all(not r.continuous for r in readings)
    # Continuous readings come first while the value settles.
    everything = recorder.wait_readings(600 * 5)
    assert [r.continuous for r in everything[:5]] == [True, True, True, True, False]


def test_glucose_range_and_sequence_numbers(sims: list[SimulatedHealthMonitor]) -> None:
    sim, _ = start(sims, "glucose")
    readings: list[GlucoseReading] = results(sim, 300)
    mmol = [number(r.mmol_per_l) for r in readings]
    assert min(mmol) >= 4.0
    assert max(mmol) <= 8.0
    assert statistics.mean(mmol) == pytest.approx(5.6, abs=0.15)
    sequence = [r.sequence_number for r in readings]
    assert sequence == list(range(sequence[0], sequence[0] + 300))


def test_named_profiles_shift_the_values(sims: list[SimulatedHealthMonitor]) -> None:
    assert set(PROFILES) >= {"default", "healthy", "hypertensive"}
    sim, _ = start(sims, "blood_pressure", profile="hypertensive")
    systolic = [number(r.systolic) for r in results(sim, 60)]
    assert statistics.mean(systolic) > 150
    custom, _ = start(sims, "weight", profile=PersonProfile(weight_kg=80.0, height_m=1.60))
    (reading,) = results(custom, 1)
    assert abs(number(reading.bmi) - number(reading.weight) / 1.6**2) <= 0.05


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize(
    "kind", ["blood_pressure", "weight", "thermometer", "pulse_oximeter", "glucose"]
)
def test_the_same_seed_gives_the_same_readings(
    sims: list[SimulatedHealthMonitor], kind: HealthKind
) -> None:
    first, first_rec = start(sims, kind, seed=99)
    second, second_rec = start(sims, kind, seed=99)
    other, _ = start(sims, kind, seed=100)
    a, b, c = results(first, 20), results(second, 20), results(other, 20)
    assert a == b
    assert a != c
    assert first_rec.readings == second_rec.readings  # intermediate readings too


# ---------------------------------------------------------------- faults


def test_cuff_loose(sims: list[SimulatedHealthMonitor]) -> None:
    sim, recorder = start(sims, "blood_pressure")
    sim.fail_next("cuff_loose")
    reading = sim.measure().result(2)
    assert reading.status.cuff_too_loose
    assert reading.systolic is SpecialValue.NAN
    assert reading.pulse_rate is SpecialValue.NAN
    ramp = [number(r.cuff_pressure) for r in recorder.readings[:-1]]
    assert max(ramp) < 50  # the cuff never tightened
    assert isinstance(sim.measure().result(2).systolic, Decimal)  # one-shot


def test_movement(sims: list[SimulatedHealthMonitor]) -> None:
    cuff, _ = start(sims, "blood_pressure")
    cuff.fail_next("movement")
    bp = cuff.measure().result(2)
    assert bp.status.body_movement
    assert isinstance(bp.systolic, Decimal)
    oximeter, _ = start(sims, "pulse_oximeter")
    oximeter.fail_next("movement")
    spo2 = oximeter.measure().result(2)
    assert spo2.measurement_status & PlxMeasurementStatus.QUESTIONABLE_MEASUREMENT
    assert spo2.device_and_sensor_status == PlxDeviceSensorStatus.ERRATIC_SIGNAL
    scale, _ = start(sims, "weight")
    scale.fail_next("movement")
    weight = scale.measure().result(2)
    assert weight.measurement_unsuccessful


def test_low_battery(sims: list[SimulatedHealthMonitor]) -> None:
    sim, recorder = start(sims, "glucose")
    sim.fail_next("low_battery")
    with pytest.raises(HealthDeviceError, match="battery low"):
        sim.measure().result(2)
    assert sim.status().state is DeviceState.ERROR
    assert sim.status().detail == "battery low"
    assert recorder.readings == []
    assert isinstance(sim.measure().result(2), GlucoseReading)
    wait_until(lambda: sim.status().state is DeviceState.READY)


@pytest.mark.parametrize("kind", ["blood_pressure", "pulse_oximeter", "weight"])
def test_disconnect_mid_measurement(sims: list[SimulatedHealthMonitor], kind: HealthKind) -> None:
    sim, recorder = start(sims, kind)
    sim.fail_next("disconnect")
    future: Future[HealthReading] = sim.measure()
    with pytest.raises(HealthDeviceError, match="disconnected"):
        future.result(2)
    recorder.wait_state(DeviceState.OFFLINE, "simulated: disconnected")
    recorder.wait_state_count(DeviceState.READY, 2)  # back after reconnect_s
    assert all(
        getattr(r, "intermediate", False) or getattr(r, "continuous", False)
        for r in recorder.readings
    )


def test_offline_and_back(sims: list[SimulatedHealthMonitor]) -> None:
    sim, _recorder = start(sims, "thermometer")
    sim.set_offline()
    assert sim.status().state is DeviceState.OFFLINE
    with pytest.raises(HealthDeviceError, match="offline"):
        sim.measure().result(2)
    sim.set_online()
    assert sim.status().state is DeviceState.READY
    assert isinstance(sim.measure().result(2), TemperatureReading)


def test_going_offline_abandons_a_measurement(sims: list[SimulatedHealthMonitor]) -> None:
    sim, _ = start(sims, "blood_pressure", duration_s=10.0)
    future = sim.measure()
    wait_until(lambda: sim.status().state is DeviceState.BUSY)
    sim.set_offline()
    with pytest.raises(HealthDeviceError, match="offline"):
        future.result(1)
    assert sim.status().state is DeviceState.OFFLINE
