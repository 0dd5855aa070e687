"""Encoders: typed health readings → Bluetooth LE characteristic values.

The inverse of :func:`hardware.health.gatt.parse`, for the simulator and for tests that play
a device (fake BLE clients deliver these bytes). For every reading ``r`` that the parser can
produce, ``parse(f"{characteristic_of(r):04X}", encode(r)) == r``.

Numbers are encoded *exactly*: a ``Decimal`` that SFLOAT (mantissa ±2045, exponent −8..7) or
FLOAT (mantissa ±8388605, exponent −128..127) cannot hold without rounding raises
:class:`EncodeError`, and so does a weight, height or BMI that is not a whole number of
wire steps (0.005 kg, 0.01 lb, 0.001 m, 0.1 in, 0.1 kg/m²). Round before encoding.

NOTE: Qt-free zone.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Context, Decimal
from typing import Final

from hardware.health.gatt import (
    BLOOD_PRESSURE_MEASUREMENT,
    GLUCOSE_MEASUREMENT,
    INTERMEDIATE_CUFF_PRESSURE,
    PLX_CONTINUOUS_MEASUREMENT,
    PLX_SPOT_CHECK_MEASUREMENT,
    TEMPERATURE_MEASUREMENT,
    WEIGHT_MEASUREMENT,
    BloodPressureReading,
    BloodPressureStatus,
    GlucoseReading,
    GlucoseUnit,
    HealthReading,
    LengthUnit,
    PressureUnit,
    SpO2Reading,
    TemperatureReading,
    TemperatureUnit,
    WeightReading,
    WeightUnit,
)
from hardware.health.sfloat import MeasuredValue, SpecialValue

__all__ = [
    "EncodeError",
    "blood_pressure_status_raw",
    "characteristic_of",
    "encode",
    "encode_date_time",
    "encode_float",
    "encode_sfloat",
]


class EncodeError(ValueError):
    """The reading cannot be put on the wire exactly (or is inconsistent)."""


_SFLOAT_SPECIAL: Final = {
    SpecialValue.NAN: 0x07FF,
    SpecialValue.NRES: 0x0800,
    SpecialValue.POSITIVE_INFINITY: 0x07FE,
    SpecialValue.NEGATIVE_INFINITY: 0x0802,
    SpecialValue.RESERVED: 0x0801,
}
_FLOAT_SPECIAL: Final = {
    SpecialValue.NAN: 0x007FFFFF,
    SpecialValue.NRES: 0x00800000,
    SpecialValue.POSITIVE_INFINITY: 0x007FFFFE,
    SpecialValue.NEGATIVE_INFINITY: 0x00800002,
    SpecialValue.RESERVED: 0x00800001,
}
_CONTEXT: Final = Context(prec=60)

_KG_STEP: Final = Decimal("0.005")
_LB_STEP: Final = Decimal("0.01")
_M_STEP: Final = Decimal("0.001")
_INCH_STEP: Final = Decimal("0.1")
_BMI_STEP: Final = Decimal("0.1")


# ---------------------------------------------------------------- numbers


def _mantissa_exponent(
    value: Decimal, *, mantissa_max: int, exponent_min: int, exponent_max: int, name: str
) -> tuple[int, int]:
    if not value.is_finite():
        raise EncodeError(f"{name} cannot carry {value}; use a SpecialValue")
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    mantissa = int("".join(map(str, digits)) or "0")
    if sign:
        mantissa = -mantissa
    while exponent > exponent_max and abs(mantissa) <= mantissa_max:
        mantissa *= 10
        exponent -= 1
    # Drop trailing zeros while the exponent is too small or the mantissa too large.
    while (exponent < exponent_min or abs(mantissa) > mantissa_max) and (
        mantissa % 10 == 0 and exponent < exponent_max
    ):
        mantissa //= 10
        exponent += 1
    if not exponent_min <= exponent <= exponent_max or abs(mantissa) > mantissa_max:
        raise EncodeError(f"{value} is not exactly representable as {name}")
    return mantissa, exponent


def encode_sfloat(value: MeasuredValue) -> int:
    """The 16-bit SFLOAT (as an unsigned int) that decodes to exactly ``value``.

    Keeps the value's own exponent when it fits, so ``Decimal("36.50")`` stays 3650 × 10⁻².
    """
    if isinstance(value, SpecialValue):
        return _SFLOAT_SPECIAL[value]
    mantissa, exponent = _mantissa_exponent(
        value, mantissa_max=2045, exponent_min=-8, exponent_max=7, name="SFLOAT"
    )
    return ((exponent & 0x0F) << 12) | (mantissa & 0x0FFF)


def encode_float(value: MeasuredValue) -> int:
    """The 32-bit FLOAT (as an unsigned int) that decodes to exactly ``value``."""
    if isinstance(value, SpecialValue):
        return _FLOAT_SPECIAL[value]
    mantissa, exponent = _mantissa_exponent(
        value, mantissa_max=8_388_605, exponent_min=-128, exponent_max=127, name="FLOAT"
    )
    return ((exponent & 0xFF) << 24) | (mantissa & 0x00FF_FFFF)


def encode_date_time(when: datetime | None) -> bytes:
    """A 7-byte Date Time; ``None`` → all zeros ("not known"). Sub-seconds are dropped."""
    if when is None:
        return bytes(7)
    if not 1582 <= when.year <= 9999:
        raise EncodeError(f"Date Time year {when.year} is outside 1582..9999")
    return when.year.to_bytes(2, "little") + bytes(
        (when.month, when.day, when.hour, when.minute, when.second)
    )


def _u(value: int, size: int, name: str) -> bytes:
    if not 0 <= value < 1 << (8 * size):
        raise EncodeError(f"{name} {value} does not fit in {size} byte(s)")
    return value.to_bytes(size, "little")


def _sf(value: MeasuredValue) -> bytes:
    return encode_sfloat(value).to_bytes(2, "little")


def _steps(value: Decimal, step: Decimal, name: str) -> int:
    count = _CONTEXT.divide(value, step)
    if count != count.to_integral_value():
        raise EncodeError(f"{name} {value} is not a whole number of {step} steps")
    return int(count)


# ---------------------------------------------------------------- characteristics


def blood_pressure_status_raw(status: BloodPressureStatus) -> int:
    """The 16-bit Measurement Status for ``status`` (reserved bits taken from ``raw``)."""
    return (
        (status.raw & 0xFFC0)
        | int(status.body_movement)
        | int(status.cuff_too_loose) << 1
        | int(status.irregular_pulse) << 2
        | status.pulse_rate_range.value << 3
        | int(status.improper_measurement_position) << 5
    )


def _blood_pressure(r: BloodPressureReading) -> bytes:
    flags = 0x01 if r.unit is PressureUnit.KPA else 0
    body = _sf(r.systolic) + _sf(r.diastolic) + _sf(r.mean_arterial)
    if r.timestamp is not None:
        flags |= 0x02
        body += encode_date_time(r.timestamp)
    if r.pulse_rate is not None:
        flags |= 0x04
        body += _sf(r.pulse_rate)
    if r.user_id is not None:
        flags |= 0x08
        body += _u(r.user_id, 1, "User ID")
    if r.status is not None:
        flags |= 0x10
        body += _u(blood_pressure_status_raw(r.status), 2, "Measurement Status")
    return bytes([flags]) + body


def _weight(r: WeightReading) -> bytes:
    imperial = r.unit is WeightUnit.LB
    if r.height_unit is not (LengthUnit.INCH if imperial else LengthUnit.METRE):
        raise EncodeError(f"a weight in {r.unit.value} needs a height in the matching system")
    flags = 0x01 if imperial else 0
    raw = (
        0xFFFF
        if r.weight is None
        else _steps(r.weight, _LB_STEP if imperial else _KG_STEP, "Weight")
    )
    if raw > 0xFFFE and r.weight is not None:
        raise EncodeError(f"weight {r.weight} {r.unit.value} is beyond the field's range")
    body = _u(raw, 2, "Weight")
    if r.timestamp is not None:
        flags |= 0x02
        body += encode_date_time(r.timestamp)
    if r.user_id is not None:
        flags |= 0x04
        body += _u(r.user_id, 1, "User ID")
    if (r.bmi is None) != (r.height is None):
        raise EncodeError("BMI and height travel together: give both or neither")
    if r.bmi is not None and r.height is not None:
        flags |= 0x08
        body += _u(_steps(r.bmi, _BMI_STEP, "BMI"), 2, "BMI")
        body += _u(_steps(r.height, _INCH_STEP if imperial else _M_STEP, "Height"), 2, "Height")
    return bytes([flags]) + body


def _temperature(r: TemperatureReading) -> bytes:
    flags = 0x01 if r.unit is TemperatureUnit.FAHRENHEIT else 0
    body = encode_float(r.value).to_bytes(4, "little")
    if r.timestamp is not None:
        flags |= 0x02
        body += encode_date_time(r.timestamp)
    if r.temperature_type is not None:
        flags |= 0x04
        body += bytes([int(r.temperature_type)])
    return bytes([flags]) + body


def _spo2(r: SpO2Reading) -> bytes:
    body = _sf(r.spo2) + _sf(r.pulse_rate)
    if r.continuous:
        if r.timestamp is not None or r.device_clock_not_set:
            raise EncodeError("a continuous PLX measurement has no time stamp or clock flag")
        flags = 0
        if r.fast is not None:
            flags |= 0x01
            body += _sf(r.fast.spo2) + _sf(r.fast.pulse_rate)
        if r.slow is not None:
            flags |= 0x02
            body += _sf(r.slow.spo2) + _sf(r.slow.pulse_rate)
        bits = (0x04, 0x08, 0x10)
    else:
        if r.fast is not None or r.slow is not None:
            raise EncodeError("a spot-check PLX measurement has no fast/slow values")
        flags = 0x10 if r.device_clock_not_set else 0
        if r.timestamp is not None:
            flags |= 0x01
            body += encode_date_time(r.timestamp)
        bits = (0x02, 0x04, 0x08)
    if r.measurement_status is not None:
        flags |= bits[0]
        body += _u(int(r.measurement_status), 2, "Measurement Status")
    if r.device_and_sensor_status is not None:
        flags |= bits[1]
        body += _u(int(r.device_and_sensor_status), 3, "Device and Sensor Status")
    if r.pulse_amplitude_index is not None:
        flags |= bits[2]
        body += _sf(r.pulse_amplitude_index)
    return bytes([flags]) + body


def _glucose(r: GlucoseReading) -> bytes:
    flags = 0x10 if r.context_information_follows else 0
    body = _u(r.sequence_number, 2, "Sequence Number") + encode_date_time(r.base_time)
    if r.time_offset_min is not None:
        if not -0x8000 <= r.time_offset_min <= 0x7FFF:
            raise EncodeError(f"Time Offset {r.time_offset_min} does not fit in sint16")
        flags |= 0x01
        body += r.time_offset_min.to_bytes(2, "little", signed=True)
    parts = (r.concentration, r.unit, r.sample_type, r.sample_location)
    if r.concentration is not None:
        if r.unit is None or r.sample_type is None or r.sample_location is None:
            raise EncodeError("a glucose concentration needs its unit, type and sample location")
        flags |= 0x02
        if r.unit is GlucoseUnit.MOL_PER_L:
            flags |= 0x04
        body += _sf(r.concentration)
        body += bytes([int(r.sample_type) | int(r.sample_location) << 4])
    elif any(part is not None for part in parts):
        raise EncodeError("unit, type and sample location need a glucose concentration")
    if r.sensor_status is not None:
        flags |= 0x08
        body += _u(int(r.sensor_status), 2, "Sensor Status Annunciation")
    return bytes([flags]) + body


def characteristic_of(reading: HealthReading) -> int:
    """The 16-bit UUID of the characteristic that carries ``reading``."""
    if isinstance(reading, BloodPressureReading):
        return INTERMEDIATE_CUFF_PRESSURE if reading.intermediate else BLOOD_PRESSURE_MEASUREMENT
    if isinstance(reading, WeightReading):
        return WEIGHT_MEASUREMENT
    if isinstance(reading, TemperatureReading):
        return TEMPERATURE_MEASUREMENT
    if isinstance(reading, SpO2Reading):
        return PLX_CONTINUOUS_MEASUREMENT if reading.continuous else PLX_SPOT_CHECK_MEASUREMENT
    return GLUCOSE_MEASUREMENT


def encode(reading: HealthReading) -> bytes:
    """The characteristic value for ``reading`` (see :func:`characteristic_of` for which)."""
    if isinstance(reading, BloodPressureReading):
        return _blood_pressure(reading)
    if isinstance(reading, WeightReading):
        return _weight(reading)
    if isinstance(reading, TemperatureReading):
        return _temperature(reading)
    if isinstance(reading, SpO2Reading):
        return _spo2(reading)
    return _glucose(reading)
