"""``hardware.health.encode``: readings → characteristic bytes, checked against gatt.parse."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.health.encode import (
    EncodeError,
    characteristic_of,
    encode,
    encode_date_time,
    encode_float,
    encode_sfloat,
)
from hardware.health.gatt import (
    BloodPressureReading,
    BloodPressureStatus,
    GlucoseReading,
    GlucoseSampleLocation,
    GlucoseSampleType,
    GlucoseSensorStatus,
    GlucoseUnit,
    HealthReading,
    LengthUnit,
    PlxDeviceSensorStatus,
    PlxMeasurementStatus,
    PressureUnit,
    PulseRateRange,
    SpO2PulseRate,
    SpO2Reading,
    TemperatureReading,
    TemperatureType,
    TemperatureUnit,
    WeightReading,
    WeightUnit,
    parse,
)
from hardware.health.sfloat import SpecialValue, decode_float, decode_sfloat

FAST = settings(database=None, max_examples=200, deadline=None)
WHEN = datetime(2024, 3, 15, 8, 30, 5)
NAN = SpecialValue.NAN


def round_trip(reading: HealthReading) -> HealthReading:
    return parse(f"{characteristic_of(reading):04X}", encode(reading))


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "raw"),
    [
        (Decimal("120"), 0x0078),
        (Decimal("120.5"), 0xF4B5),  # the sfloat module's own example
        (Decimal("0.0056"), 0xC038),  # 56 × 10⁻⁴
        (Decimal("-3"), 0x0FFD),
        (Decimal("1.2E+3"), 0x200C),  # 12 × 10²
        (SpecialValue.NAN, 0x07FF),
        (SpecialValue.POSITIVE_INFINITY, 0x07FE),
    ],
)
def test_encode_sfloat_round_trips(value: Decimal | SpecialValue, raw: int) -> None:
    encoded = encode_sfloat(value)
    assert encoded == raw
    assert decode_sfloat(encoded) == value


def test_encode_sfloat_keeps_the_digits_when_they_fit() -> None:
    assert str(decode_sfloat(encode_sfloat(Decimal("98.0")))) == "98.0"
    # 36.50 needs mantissa 3650, too big: the trailing zero goes, the value stays exact.
    assert encode_sfloat(Decimal("36.50")) == 0xF16D


@pytest.mark.parametrize("value", ["2046", "0.000000001", "123.45", "1E+11", "Infinity", "NaN"])
def test_encode_sfloat_refuses_values_it_cannot_hold_exactly(value: str) -> None:
    with pytest.raises(EncodeError):
        encode_sfloat(Decimal(value))


def test_encode_float_examples() -> None:
    assert encode_float(Decimal("36.5")) == 0xFF00016D
    assert decode_float(encode_float(Decimal("98.6"))) == Decimal("98.6")
    assert encode_float(SpecialValue.NRES) == 0x00800000
    with pytest.raises(EncodeError):
        encode_float(Decimal("123456789"))  # nine significant digits > 24-bit mantissa


@FAST
@given(mantissa=st.integers(-2045, 2045), exponent=st.integers(-8, 7))
def test_any_sfloat_value_round_trips(mantissa: int, exponent: int) -> None:
    value = Decimal(mantissa).scaleb(exponent)
    assert decode_sfloat(encode_sfloat(value)) == value


@FAST
@given(mantissa=st.integers(-8_388_605, 8_388_605), exponent=st.integers(-128, 127))
def test_any_float_value_round_trips(mantissa: int, exponent: int) -> None:
    value = Decimal(mantissa).scaleb(exponent)
    assert decode_float(encode_float(value)) == value


def test_date_time() -> None:
    assert encode_date_time(WHEN) == bytes.fromhex("E807 03 0F 08 1E 05")
    assert encode_date_time(None) == bytes(7)
    with pytest.raises(EncodeError):
        encode_date_time(datetime(1000, 1, 1))


# ---------------------------------------------------------------- characteristics

BP = BloodPressureReading(
    systolic=Decimal(120),
    diastolic=Decimal(80),
    mean_arterial=Decimal(93),
    unit=PressureUnit.MMHG,
    timestamp=WHEN,
    pulse_rate=Decimal(72),
    user_id=1,
    status=BloodPressureStatus(
        body_movement=False,
        cuff_too_loose=False,
        irregular_pulse=True,
        pulse_rate_range=PulseRateRange.WITHIN_RANGE,
        improper_measurement_position=False,
        raw=0x0004,
    ),
    intermediate=False,
)


def test_blood_pressure_bytes_match_the_hand_worked_vector() -> None:
    # flags 0x1E (time stamp, pulse, user, status), 120, 80, 93, time, 72, user 1, status 0x0004.
    expected = bytes.fromhex("1E 7800 5000 5D00 E807030F081E05 4800 01 0400")
    assert encode(BP) == expected
    assert characteristic_of(BP) == 0x2A35


READINGS: list[HealthReading] = [
    BP,
    BloodPressureReading(
        systolic=Decimal("16.5"),
        diastolic=Decimal("10.7"),
        mean_arterial=NAN,
        unit=PressureUnit.KPA,
        timestamp=None,
        pulse_rate=None,
        user_id=None,
        status=None,
        intermediate=False,
    ),
    BloodPressureReading(
        systolic=Decimal(152),
        diastolic=NAN,
        mean_arterial=NAN,
        unit=PressureUnit.MMHG,
        timestamp=None,
        pulse_rate=None,
        user_id=None,
        status=None,
        intermediate=True,
    ),
    WeightReading(
        weight=Decimal("68.05"),
        unit=WeightUnit.KG,
        resolution=Decimal("0.005"),
        timestamp=WHEN,
        user_id=3,
        bmi=Decimal("25.0"),
        height=Decimal("1.650"),
        height_unit=LengthUnit.METRE,
    ),
    WeightReading(
        weight=Decimal("150.02"),
        unit=WeightUnit.LB,
        resolution=Decimal("0.01"),
        timestamp=None,
        user_id=None,
        bmi=None,
        height=None,
        height_unit=LengthUnit.INCH,
    ),
    WeightReading(
        weight=None,
        unit=WeightUnit.KG,
        resolution=Decimal("0.005"),
        timestamp=None,
        user_id=None,
        bmi=None,
        height=None,
        height_unit=LengthUnit.METRE,
    ),
    TemperatureReading(
        value=Decimal("98.6"),
        unit=TemperatureUnit.FAHRENHEIT,
        timestamp=WHEN,
        temperature_type=TemperatureType.TYMPANUM,
    ),
    TemperatureReading(
        value=Decimal("36.6"), unit=TemperatureUnit.CELSIUS, timestamp=None, temperature_type=None
    ),
    SpO2Reading(
        spo2=Decimal(97),
        pulse_rate=Decimal(68),
        continuous=False,
        timestamp=WHEN,
        device_clock_not_set=True,
        measurement_status=PlxMeasurementStatus.VALIDATED_DATA,
        device_and_sensor_status=PlxDeviceSensorStatus.LOW_PERFUSION,
        pulse_amplitude_index=Decimal("4.5"),
        fast=None,
        slow=None,
    ),
    SpO2Reading(
        spo2=Decimal(96),
        pulse_rate=Decimal(70),
        continuous=True,
        timestamp=None,
        device_clock_not_set=False,
        measurement_status=None,
        device_and_sensor_status=None,
        pulse_amplitude_index=None,
        fast=SpO2PulseRate(Decimal(95), Decimal(72)),
        slow=SpO2PulseRate(Decimal(97), Decimal(69)),
    ),
    GlucoseReading(
        sequence_number=42,
        base_time=WHEN,
        time_offset_min=-15,
        concentration=Decimal("0.0056"),
        unit=GlucoseUnit.MOL_PER_L,
        sample_type=GlucoseSampleType.CAPILLARY_WHOLE_BLOOD,
        sample_location=GlucoseSampleLocation.FINGER,
        sensor_status=GlucoseSensorStatus.DEVICE_BATTERY_LOW,
        context_information_follows=True,
    ),
    GlucoseReading(
        sequence_number=7,
        base_time=None,
        time_offset_min=None,
        concentration=None,
        unit=None,
        sample_type=None,
        sample_location=None,
        sensor_status=None,
        context_information_follows=False,
    ),
]


@pytest.mark.parametrize("reading", READINGS, ids=lambda r: type(r).__name__)
def test_readings_round_trip_through_gatt_parse(reading: HealthReading) -> None:
    assert round_trip(reading) == reading


def test_glucose_in_mg_per_dl_round_trips_with_its_conversions() -> None:
    reading = GlucoseReading(
        sequence_number=1,
        base_time=WHEN,
        time_offset_min=None,
        concentration=Decimal("0.00101"),  # 101 mg/dL in kg/L
        unit=GlucoseUnit.KG_PER_L,
        sample_type=GlucoseSampleType.CAPILLARY_PLASMA,
        sample_location=GlucoseSampleLocation.ALTERNATE_SITE_TEST,
        sensor_status=None,
        context_information_follows=False,
    )
    parsed = round_trip(reading)
    assert parsed == reading
    assert isinstance(parsed, GlucoseReading)
    assert parsed.mg_per_dl == Decimal(101)


@pytest.mark.parametrize(
    ("reading", "problem"),
    [
        (
            WeightReading(
                weight=Decimal("68.001"),
                unit=WeightUnit.KG,
                resolution=Decimal("0.005"),
                timestamp=None,
                user_id=None,
                bmi=None,
                height=None,
                height_unit=LengthUnit.METRE,
            ),
            "whole number",
        ),
        (
            WeightReading(
                weight=Decimal(68),
                unit=WeightUnit.KG,
                resolution=Decimal("0.005"),
                timestamp=None,
                user_id=None,
                bmi=Decimal(25),
                height=None,
                height_unit=LengthUnit.METRE,
            ),
            "together",
        ),
        (
            WeightReading(
                weight=Decimal(68),
                unit=WeightUnit.KG,
                resolution=Decimal("0.005"),
                timestamp=None,
                user_id=None,
                bmi=None,
                height=None,
                height_unit=LengthUnit.INCH,
            ),
            "matching system",
        ),
        (
            GlucoseReading(
                sequence_number=1,
                base_time=None,
                time_offset_min=None,
                concentration=Decimal("0.005"),
                unit=None,
                sample_type=None,
                sample_location=None,
                sensor_status=None,
                context_information_follows=False,
            ),
            "unit, type and sample location",
        ),
        (
            SpO2Reading(
                spo2=Decimal(96),
                pulse_rate=Decimal(70),
                continuous=True,
                timestamp=WHEN,
                device_clock_not_set=False,
                measurement_status=None,
                device_and_sensor_status=None,
                pulse_amplitude_index=None,
                fast=None,
                slow=None,
            ),
            "no time stamp",
        ),
    ],
)
def test_inconsistent_or_inexact_readings_are_refused(reading: HealthReading, problem: str) -> None:
    with pytest.raises(EncodeError, match=problem):
        encode(reading)


@FAST
@given(
    systolic=st.integers(40, 300),
    diastolic=st.integers(20, 200),
    pulse=st.none() | st.integers(20, 250),
    timestamp=st.none() | st.datetimes(datetime(1582, 1, 1), datetime(9999, 12, 31)),
    user_id=st.none() | st.integers(0, 255),
    status_raw=st.none() | st.integers(0, 0xFFFF).filter(lambda r: (r >> 3) & 3 != 3),
    intermediate=st.booleans(),
)
def test_blood_pressure_round_trips(
    systolic: int,
    diastolic: int,
    pulse: int | None,
    timestamp: datetime | None,
    user_id: int | None,
    status_raw: int | None,
    intermediate: bool,
) -> None:
    status = (
        None
        if status_raw is None
        else BloodPressureStatus(
            body_movement=bool(status_raw & 1),
            cuff_too_loose=bool(status_raw & 2),
            irregular_pulse=bool(status_raw & 4),
            pulse_rate_range=PulseRateRange((status_raw >> 3) & 3),
            improper_measurement_position=bool(status_raw & 0x20),
            raw=status_raw,
        )
    )
    reading = BloodPressureReading(
        systolic=Decimal(systolic),
        diastolic=Decimal(diastolic),
        mean_arterial=Decimal(diastolic + (systolic - diastolic) // 3),
        unit=PressureUnit.MMHG,
        timestamp=None if timestamp is None else timestamp.replace(microsecond=0),
        pulse_rate=None if pulse is None else Decimal(pulse),
        user_id=user_id,
        status=status,
        intermediate=intermediate,
    )
    assert round_trip(reading) == reading


@FAST
@given(steps=st.integers(0, 0xFFFE), imperial=st.booleans(), bmi=st.none() | st.integers(0, 999))
def test_weight_round_trips(steps: int, imperial: bool, bmi: int | None) -> None:
    step = Decimal("0.01") if imperial else Decimal("0.005")
    reading = WeightReading(
        weight=steps * step,
        unit=WeightUnit.LB if imperial else WeightUnit.KG,
        resolution=step,
        timestamp=None,
        user_id=None,
        bmi=None if bmi is None else bmi * Decimal("0.1"),
        height=None if bmi is None else Decimal("65.0") if imperial else Decimal("1.650"),
        height_unit=LengthUnit.INCH if imperial else LengthUnit.METRE,
    )
    assert round_trip(reading) == reading
