"""A simulated health measuring device, for demos, training and tests. Not a driver.

:class:`SimulatedHealthMonitor` implements :class:`~hardware.protocols.HealthMonitor` and
produces the same typed readings as the Bluetooth back-end — every reading is encoded to the
characteristic's bytes and parsed back with :func:`hardware.health.gatt.parse`, so the kiosk
sees exactly what a real device would send.

What it produces (for the default :class:`PersonProfile`; every figure is a profile field):

* **blood pressure** — a baseline of 132/84 mmHg, within-person SD 5/3.5 mmHg. The first
  reading of a visitor is raised by the white-coat effect (+8 mmHg systolic, half that
  diastolic), the second by 40 % of it, later ones not at all (:meth:`new_visitor` starts a
  new series). Pulse 72 ± 5 bpm kept within 60–90, an irregular-pulse flag in 5 % of
  readings. Before each result comes an intermediate cuff pressure ramp (inflate to about
  180 mmHg or systolic + 30, then deflate in 3–5 mmHg steps to below diastolic) so the UI
  can animate the cuff.
* **weight** — 68 kg ± 0.1 kg, shown to 0.05 kg, with height (1.65 m) and BMI.
* **thermometer** — 36.7 ± 0.2 °C kept within 36.2–37.2; a fever (37.5–39.2) in 2 %.
* **pulse oximeter** — a few continuous readings while the value settles, then a spot
  check: SpO2 95–99 %, in 2 % of measurements 88–92 %.
* **glucose** — 5.6 ± 0.7 mmol/L kept within 4–8 (sent in mol/L, as meters do), capillary
  whole blood from a finger, with increasing sequence numbers.

:meth:`SimulatedHealthMonitor.measure` starts one measurement on the monitor's own thread;
it lasts ``duration_s`` (0 in tests) and returns a :class:`~concurrent.futures.Future` for
the final reading. Faults: :meth:`~SimulatedHealthMonitor.fail_next` and
:meth:`~SimulatedHealthMonitor.set_offline`. With a ``seed`` the values are reproducible
(time stamps come from ``clock``).

NOTE: Qt-free zone.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Final, Literal, TypeAlias, get_args

from hardware.health._common import HealthKind, StatusReporter, check_kind, deliver
from hardware.health.encode import characteristic_of, encode
from hardware.health.gatt import (
    BloodPressureReading,
    BloodPressureStatus,
    GlucoseReading,
    GlucoseSampleLocation,
    GlucoseSampleType,
    GlucoseUnit,
    HealthReading,
    LengthUnit,
    PlxDeviceSensorStatus,
    PlxMeasurementStatus,
    PressureUnit,
    PulseRateRange,
    SpO2Reading,
    TemperatureReading,
    TemperatureType,
    TemperatureUnit,
    WeightReading,
    WeightUnit,
    parse,
)
from hardware.health.sfloat import SpecialValue
from hardware.protocols import DeviceState, DeviceStatus, HealthDeviceError, StateCallback

__all__ = [
    "FAULTS",
    "PROFILES",
    "Fault",
    "PersonProfile",
    "SimulatedHealthMonitor",
]

_log = logging.getLogger(__name__)

Fault: TypeAlias = Literal["cuff_loose", "movement", "low_battery", "disconnect"]
FAULTS: Final[tuple[Fault, ...]] = get_args(Fault)

# Which faults make sense for which device.
_APPLICABLE: Final[Mapping[HealthKind, frozenset[Fault]]] = {
    "blood_pressure": frozenset(FAULTS),
    "weight": frozenset({"movement", "low_battery", "disconnect"}),
    "thermometer": frozenset({"low_battery", "disconnect"}),
    "pulse_oximeter": frozenset({"movement", "low_battery", "disconnect"}),
    "glucose": frozenset({"low_battery", "disconnect"}),
}


@dataclass(frozen=True, slots=True)
class PersonProfile:
    """The simulated person (and device behaviour): baselines, spreads and rare events."""

    systolic_mmhg: float = 132.0
    diastolic_mmhg: float = 84.0
    systolic_sd_mmhg: float = 5.0
    diastolic_sd_mmhg: float = 3.5
    white_coat_mmhg: float = 8.0
    """Extra systolic pressure on a visitor's first reading (diastolic gets half)."""
    pulse_bpm: float = 72.0
    pulse_sd_bpm: float = 5.0
    pulse_range_bpm: tuple[int, int] = (60, 90)
    irregular_pulse_probability: float = 0.05
    weight_kg: float = 68.0
    weight_sd_kg: float = 0.1
    height_m: float = 1.65
    temperature_c: float = 36.7
    temperature_sd_c: float = 0.2
    fever_probability: float = 0.02
    spo2_percent: float = 97.5
    spo2_sd_percent: float = 1.0
    low_spo2_probability: float = 0.02
    glucose_mmol_l: float = 5.6
    glucose_sd_mmol_l: float = 0.7


PROFILES: Final[Mapping[str, PersonProfile]] = {
    "default": PersonProfile(),
    "healthy": PersonProfile(
        systolic_mmhg=116.0, diastolic_mmhg=74.0, white_coat_mmhg=5.0, weight_kg=60.0
    ),
    "hypertensive": PersonProfile(
        systolic_mmhg=154.0,
        diastolic_mmhg=96.0,
        systolic_sd_mmhg=7.0,
        diastolic_sd_mmhg=4.5,
        white_coat_mmhg=12.0,
        pulse_bpm=78.0,
        irregular_pulse_probability=0.12,
        weight_kg=78.5,
        height_m=1.70,
        glucose_mmol_l=6.8,
    ),
}
"""Named profiles for the configuration file (``profile = "hypertensive"``)."""

# Ranges the everyday values are kept within (rare events are drawn separately).
_SYSTOLIC_RANGE: Final = (85.0, 230.0)
_DIASTOLIC_RANGE: Final = (45.0, 135.0)
_TEMPERATURE_RANGE: Final = (36.2, 37.2)
_FEVER_RANGE: Final = (37.5, 39.2)
_SPO2_RANGE: Final = (95, 99)
_LOW_SPO2_RANGE: Final = (88, 92)
_GLUCOSE_RANGE: Final = (4.0, 8.0)
_CONTINUOUS_SAMPLES: Final = 4
_NAN: Final = SpecialValue.NAN


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _step(value: float, step: str) -> Decimal:
    """``value`` rounded to a multiple of ``step`` (e.g. "0.05"), as an exact Decimal."""
    unit = Decimal(step)
    return Decimal(round(value / float(unit))) * unit


def _wire(reading: HealthReading) -> HealthReading:
    """The reading as a device would deliver it: encoded, then parsed."""
    return parse(f"{characteristic_of(reading):04X}", encode(reading))


class _AbortError(Exception):
    """A measurement ends early; carries the error for its future."""

    def __init__(self, error: HealthDeviceError, state: DeviceState, detail: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.state = state
        self.detail = detail


@dataclass(slots=True)
class _Job:
    future: Future[HealthReading]
    fault: Fault | None


class SimulatedHealthMonitor:
    """Simulated :class:`~hardware.protocols.HealthMonitor` (see the module docstring).

    ``kind``: "blood_pressure", "weight", "thermometer", "pulse_oximeter" or "glucose".
    ``profile``: a :class:`PersonProfile` or a name from :data:`PROFILES`. ``duration_s``:
    how long one measurement takes. ``reconnect_s``: how long a simulated disconnect lasts.
    ``clock``: time stamps for the readings (naive local time, like a device's clock).

    Status: UNKNOWN before :meth:`start` and after :meth:`stop`; READY when idle; BUSY while
    measuring; OFFLINE after :meth:`set_offline` or during a simulated disconnect; ERROR
    after a low-battery fault until the next :meth:`measure`.
    """

    def __init__(
        self,
        kind: HealthKind,
        *,
        seed: int | None = None,
        profile: PersonProfile | str = "default",
        duration_s: float = 3.0,
        reconnect_s: float = 2.0,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.kind: HealthKind = check_kind(kind)
        if isinstance(profile, str):
            try:
                profile = PROFILES[profile]
            except KeyError:
                raise ValueError(
                    f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}"
                ) from None
        self.profile = profile
        self.duration_s = duration_s
        self.reconnect_s = reconnect_s
        self._clock = clock
        self._rng = random.Random(seed)
        self._status = StatusReporter(DeviceStatus(DeviceState.UNKNOWN, "not started"))
        self._lock = threading.Lock()
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._faults: deque[Fault] = deque()
        self._stop = threading.Event()
        self._offline = threading.Event()
        self._interrupt = threading.Event()  # wakes a measurement on stop or offline
        self._thread: threading.Thread | None = None
        self._on_reading: Callable[[Any], None] | None = None
        self._bp_index = 0
        self._glucose_sequence = self._rng.randint(1, 400)

    # ---------------------------------------------------------------- HealthMonitor

    def start(self, on_reading: Callable[[Any], None], on_state: StateCallback) -> None:
        with self._lock:
            if self._thread is not None:
                raise RuntimeError("simulated health monitor already started")
            self._on_reading = on_reading
            self._status.attach(on_state)
            self._stop.clear()
            if not self._offline.is_set():
                self._interrupt.clear()
            self._jobs = queue.Queue()
            self._thread = threading.Thread(
                target=self._work, name=f"sim-health-{self.kind}", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        self._interrupt.set()
        self._jobs.put(None)
        thread.join(timeout=5.0)
        # No callbacks after stop() returns.
        self._status.attach(None)
        self._on_reading = None
        self._status.set(DeviceState.UNKNOWN, "stopped")

    def status(self) -> DeviceStatus:
        return self._status.get()

    # ---------------------------------------------------------------- simulation controls

    def measure(self) -> Future[HealthReading]:
        """Start one measurement; the future gets the final reading or a HealthDeviceError.

        Intermediate readings (cuff pressure, continuous SpO2) go to ``on_reading`` too, on
        the monitor's thread, before the final one. Raises HealthDeviceError if not started.
        """
        with self._lock:
            if self._thread is None:
                raise HealthDeviceError("simulated health monitor is not started")
            fault = self._faults.popleft() if self._faults else None
            job = _Job(Future(), fault)
            self._jobs.put(job)
        return job.future

    def fail_next(self, fault: Fault) -> None:
        """Make the next measurement fail (faults queue up, one per measurement).

        ``cuff_loose`` (blood pressure): the cuff does not inflate; the result carries the
        cuff-too-loose flag and no values. ``movement``: blood pressure flags body movement
        (values noisier), the oximeter flags a questionable measurement and erratic signal,
        the scale reports "measurement unsuccessful". ``low_battery``: no reading; the
        future fails and the status is ERROR until the next measurement. ``disconnect``:
        the device drops mid-measurement (OFFLINE), the future fails, and it comes back
        READY after ``reconnect_s``. A fault that the kind cannot have raises ValueError.
        """
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; choose one of {', '.join(FAULTS)}")
        if fault not in _APPLICABLE[self.kind]:
            raise ValueError(f"a {self.kind} device cannot simulate {fault!r}")
        with self._lock:
            self._faults.append(fault)

    def set_offline(self) -> None:
        """Go OFFLINE (as if switched off or out of range): measurements fail until
        :meth:`set_online`; a measurement in progress is abandoned."""
        self._offline.set()
        self._interrupt.set()
        if self._running():
            self._status.set(DeviceState.OFFLINE, "simulated: offline")

    def set_online(self) -> None:
        self._offline.clear()
        if not self._stop.is_set():
            self._interrupt.clear()
        if self._running() and self.status().state is DeviceState.OFFLINE:
            self._status.set(DeviceState.READY, self._ready_detail)

    def new_visitor(self) -> None:
        """Start a new series of blood pressure readings (the white-coat effect again)."""
        with self._lock:
            self._bp_index = 0

    # ---------------------------------------------------------------- worker

    @property
    def _ready_detail(self) -> str:
        return f"simulated {self.kind.replace('_', ' ')}"

    def _running(self) -> bool:
        with self._lock:
            return self._thread is not None

    def _work(self) -> None:
        if self._offline.is_set():
            self._status.set(DeviceState.OFFLINE, "simulated: offline")
        else:
            self._status.set(DeviceState.READY, self._ready_detail)
        try:
            while True:
                job = self._jobs.get()
                if job is None or self._stop.is_set():
                    if job is not None:
                        job.future.cancel()
                    break
                if job.future.set_running_or_notify_cancel():
                    self._run(job)
        finally:
            self._drain()
            self._status.set(DeviceState.UNKNOWN, "stopped")

    def _drain(self) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                job.future.cancel()

    def _run(self, job: _Job) -> None:
        if self._offline.is_set():
            job.future.set_exception(HealthDeviceError("device is offline"))
            return
        self._status.set(DeviceState.BUSY, "measuring")
        try:
            reading = self._measure(job.fault)
        except _AbortError as abort:
            self._status.set(abort.state, abort.detail)
            job.future.set_exception(abort.error)
            reconnected = job.fault == "disconnect" and not self._stop.wait(self.reconnect_s)
            if reconnected and not self._offline.is_set():
                self._status.set(DeviceState.READY, self._ready_detail)
            return
        deliver(self._on_reading, reading, "on_reading")
        self._status.set(DeviceState.READY, self._ready_detail)
        job.future.set_result(reading)

    def _pause(self, seconds: float) -> None:
        """Wait as the device would; abandon the measurement on stop or offline."""
        if seconds > 0:
            self._interrupt.wait(seconds)
        if self._stop.is_set():
            raise _AbortError(HealthDeviceError("monitor stopped"), DeviceState.UNKNOWN, "stopped")
        if self._offline.is_set():
            raise _AbortError(
                HealthDeviceError("device went offline"), DeviceState.OFFLINE, "simulated: offline"
            )

    def _emit(self, reading: HealthReading) -> None:
        deliver(self._on_reading, _wire(reading), "on_reading")

    def _measure(self, fault: Fault | None) -> HealthReading:
        if fault == "low_battery":
            self._pause(min(self.duration_s, 0.5))
            raise _AbortError(HealthDeviceError("battery low"), DeviceState.ERROR, "battery low")
        if self.kind == "blood_pressure":
            return self._blood_pressure(fault)
        if self.kind == "pulse_oximeter":
            return self._spo2(fault)
        self._pause(self.duration_s / 2)
        if fault == "disconnect":
            raise _disconnected()
        self._pause(self.duration_s / 2)
        if self.kind == "weight":
            return _wire(self._weight(fault))
        if self.kind == "thermometer":
            return _wire(self._temperature())
        return _wire(self._glucose())

    # ---------------------------------------------------------------- blood pressure

    def _bp_values(self, fault: Fault | None) -> tuple[int, int, int, bool]:
        p, rng = self.profile, self._rng
        with self._lock:
            index = self._bp_index
            self._bp_index += 1
        white_coat = p.white_coat_mmhg * (1.0, 0.4)[index] if index < 2 else 0.0
        noise = 2.0 if fault == "movement" else 1.0
        systolic = _clip(
            rng.gauss(p.systolic_mmhg + white_coat, p.systolic_sd_mmhg * noise), *_SYSTOLIC_RANGE
        )
        diastolic = _clip(
            rng.gauss(p.diastolic_mmhg + white_coat / 2, p.diastolic_sd_mmhg * noise),
            *_DIASTOLIC_RANGE,
        )
        diastolic = min(diastolic, systolic - 20)
        irregular = rng.random() < p.irregular_pulse_probability
        low, high = p.pulse_range_bpm
        pulse = _clip(rng.gauss(p.pulse_bpm, p.pulse_sd_bpm * (2 if irregular else 1)), low, high)
        return round(systolic), round(diastolic), round(pulse), irregular

    def _cuff(self, pressure: float) -> None:
        self._emit(
            BloodPressureReading(
                systolic=Decimal(max(0, round(pressure))),
                diastolic=_NAN,
                mean_arterial=_NAN,
                unit=PressureUnit.MMHG,
                timestamp=None,
                pulse_rate=None,
                user_id=None,
                status=None,
                intermediate=True,
            )
        )

    def _blood_pressure(self, fault: Fault | None) -> HealthReading:
        rng = self._rng
        systolic, diastolic, pulse, irregular = self._bp_values(fault)
        peak = max(180.0, systolic + 30.0) + rng.uniform(-4, 4)
        if fault == "cuff_loose":
            peak = rng.uniform(25, 45)  # air leaks out: the cuff never tightens
        ramp: list[float] = []
        pressure = 0.0
        while pressure < peak:
            pressure = min(peak, pressure + rng.uniform(12, 18))
            ramp.append(pressure)
        inflate = len(ramp)
        if fault != "cuff_loose":
            while pressure > diastolic - 10:
                pressure -= rng.uniform(3, 5)
                ramp.append(pressure + rng.uniform(-1, 1))
        delay = self.duration_s / (len(ramp) + 1)
        for i, value in enumerate(ramp):
            if fault == "disconnect" and i == inflate // 2:
                raise _disconnected()
            self._pause(delay)
            self._cuff(value)
        self._pause(delay)
        status = BloodPressureStatus(
            body_movement=fault == "movement",
            cuff_too_loose=fault == "cuff_loose",
            irregular_pulse=irregular and fault != "cuff_loose",
            pulse_rate_range=PulseRateRange.WITHIN_RANGE,
            improper_measurement_position=False,
            raw=0,
        )
        if fault == "cuff_loose":
            values: tuple[Decimal | SpecialValue, ...] = (_NAN, _NAN, _NAN, _NAN)
        else:
            mean_arterial = round(diastolic + (systolic - diastolic) / 3)
            values = (
                Decimal(systolic),
                Decimal(diastolic),
                Decimal(mean_arterial),
                Decimal(pulse),
            )
        return _wire(
            BloodPressureReading(
                systolic=values[0],
                diastolic=values[1],
                mean_arterial=values[2],
                unit=PressureUnit.MMHG,
                timestamp=self._clock(),
                pulse_rate=values[3],
                user_id=None,
                status=status,
                intermediate=False,
            )
        )

    # ---------------------------------------------------------------- others

    def _weight(self, fault: Fault | None) -> WeightReading:
        p = self.profile
        weight = _step(self._rng.gauss(p.weight_kg, p.weight_sd_kg), "0.05")
        height = _step(p.height_m, "0.001")
        bmi = _step(float(weight) / float(height) ** 2, "0.1")
        return WeightReading(
            weight=None if fault == "movement" else weight,
            unit=WeightUnit.KG,
            resolution=Decimal("0.005"),
            timestamp=self._clock(),
            user_id=None,
            bmi=None if fault == "movement" else bmi,
            height=None if fault == "movement" else height,
            height_unit=LengthUnit.METRE,
        )

    def _temperature(self) -> TemperatureReading:
        p, rng = self.profile, self._rng
        if rng.random() < p.fever_probability:
            celsius = rng.uniform(*_FEVER_RANGE)
        else:
            celsius = _clip(rng.gauss(p.temperature_c, p.temperature_sd_c), *_TEMPERATURE_RANGE)
        return TemperatureReading(
            value=_step(celsius, "0.1"),
            unit=TemperatureUnit.CELSIUS,
            timestamp=self._clock(),
            temperature_type=TemperatureType.BODY,
        )

    def _spo2(self, fault: Fault | None) -> HealthReading:
        p, rng = self.profile, self._rng
        if rng.random() < p.low_spo2_probability:
            spo2 = rng.randint(*_LOW_SPO2_RANGE)
        else:
            spo2 = round(_clip(rng.gauss(p.spo2_percent, p.spo2_sd_percent), *_SPO2_RANGE))
        low, high = p.pulse_range_bpm
        pulse = round(_clip(rng.gauss(p.pulse_bpm, p.pulse_sd_bpm), low, high))
        delay = self.duration_s / (_CONTINUOUS_SAMPLES + 1)
        for i in range(_CONTINUOUS_SAMPLES):
            if fault == "disconnect" and i == _CONTINUOUS_SAMPLES // 2:
                raise _disconnected()
            self._pause(delay)
            settle = _CONTINUOUS_SAMPLES - i  # the spread shrinks as the value settles
            self._emit(
                SpO2Reading(
                    spo2=Decimal(min(100, spo2 + rng.randint(-settle, settle) // 2)),
                    pulse_rate=Decimal(pulse + rng.randint(-settle, settle)),
                    continuous=True,
                    timestamp=None,
                    device_clock_not_set=False,
                    measurement_status=PlxMeasurementStatus.EARLY_ESTIMATED_DATA,
                    device_and_sensor_status=None,
                    pulse_amplitude_index=None,
                    fast=None,
                    slow=None,
                )
            )
        self._pause(delay)
        movement = fault == "movement"
        return _wire(
            SpO2Reading(
                spo2=Decimal(spo2),
                pulse_rate=Decimal(pulse),
                continuous=False,
                timestamp=self._clock(),
                device_clock_not_set=False,
                measurement_status=(
                    PlxMeasurementStatus.QUESTIONABLE_MEASUREMENT
                    if movement
                    else PlxMeasurementStatus.VALIDATED_DATA
                ),
                device_and_sensor_status=(
                    PlxDeviceSensorStatus.ERRATIC_SIGNAL if movement else None
                ),
                pulse_amplitude_index=_step(rng.uniform(1.0, 8.0), "0.1"),
                fast=None,
                slow=None,
            )
        )

    def _glucose(self) -> GlucoseReading:
        p = self.profile
        mmol = _clip(self._rng.gauss(p.glucose_mmol_l, p.glucose_sd_mmol_l), *_GLUCOSE_RANGE)
        with self._lock:
            self._glucose_sequence = (self._glucose_sequence + 1) & 0xFFFF
            sequence = self._glucose_sequence
        return GlucoseReading(
            sequence_number=sequence,
            base_time=self._clock(),
            time_offset_min=0,
            concentration=_step(mmol, "0.1").scaleb(-3),  # mmol/L → mol/L
            unit=GlucoseUnit.MOL_PER_L,
            sample_type=GlucoseSampleType.CAPILLARY_WHOLE_BLOOD,
            sample_location=GlucoseSampleLocation.FINGER,
            sensor_status=None,
            context_information_follows=False,
        )


def _disconnected() -> _AbortError:
    return _AbortError(
        HealthDeviceError("device disconnected during the measurement"),
        DeviceState.OFFLINE,
        "simulated: disconnected",
    )
