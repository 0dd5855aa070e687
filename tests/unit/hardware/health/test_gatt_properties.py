"""Property tests: arbitrary bytes never crash the parser; encode → parse round-trips.

The encoders below are written from the characteristic formats, independently of the
parser, and only for these tests.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.health.gatt import (
    BloodPressureReading,
    BloodPressureStatus,
    GattParseError,
    LengthUnit,
    PressureUnit,
    PulseRateRange,
    WeightReading,
    WeightUnit,
    parse,
)
from hardware.health.sfloat import MeasuredValue, SpecialValue

# No example database: keep the working tree clean and runs reproducible.
FAST = settings(database=None, max_examples=200, deadline=None)

UUIDS = ["2A35", "2A36", "2A9D", "2A1C", "2A5E", "2A5F", "2A18"]
# Defined flag bits per characteristic, to steer random packets past the flags check.
DEFINED_FLAGS = {
    "2A35": 0x1F,
    "2A36": 0x1F,
    "2A9D": 0x0F,
    "2A1C": 0x07,
    "2A5E": 0x1F,
    "2A5F": 0x1F,
    "2A18": 0x1F,
}


# ---------------------------------------------------------------- robustness


@FAST
@given(uuid=st.sampled_from(UUIDS), data=st.binary(max_size=40))
def test_random_bytes_only_raise_gatt_parse_error(uuid: str, data: bytes) -> None:
    with contextlib.suppress(GattParseError):
        parse(uuid, data)


@FAST
@given(data=st.data(), uuid=st.sampled_from(UUIDS))
def test_random_bodies_with_valid_flags_only_raise_gatt_parse_error(
    data: st.DataObject, uuid: str
) -> None:
    flags = data.draw(st.integers(0, 0xFF).map(lambda f: f & DEFINED_FLAGS[uuid]))
    body = data.draw(st.binary(min_size=0, max_size=30))
    with contextlib.suppress(GattParseError):
        parse(uuid, bytes([flags]) + body)


@FAST
@given(uuid=st.text(max_size=40), data=st.binary(max_size=8))
def test_random_uuids_only_raise_gatt_parse_error(uuid: str, data: bytes) -> None:
    with contextlib.suppress(GattParseError):
        parse(uuid, data)


# ---------------------------------------------------------------- encoders

_SFLOAT_SPECIAL_CODES = {
    SpecialValue.NAN: 0x07FF,
    SpecialValue.NRES: 0x0800,
    SpecialValue.POSITIVE_INFINITY: 0x07FE,
    SpecialValue.NEGATIVE_INFINITY: 0x0802,
    SpecialValue.RESERVED: 0x0801,
}


def encode_sfloat(value: MeasuredValue) -> bytes:
    """SFLOAT: 4-bit exponent over a 12-bit mantissa, both two's complement."""
    if isinstance(value, SpecialValue):
        raw = _SFLOAT_SPECIAL_CODES[value]
    else:
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)
        mantissa = int(value.scaleb(-exponent))
        # Move trailing zeros into the exponent until the mantissa fits.
        while abs(mantissa) > 2045 and mantissa % 10 == 0:
            mantissa //= 10
            exponent += 1
        while exponent > 7:
            mantissa *= 10
            exponent -= 1
        assert -2045 <= mantissa <= 2045, value
        assert -8 <= exponent <= 7, value
        raw = ((exponent & 0xF) << 12) | (mantissa & 0xFFF)
    return raw.to_bytes(2, "little")


def encode_date_time(moment: datetime) -> bytes:
    return moment.year.to_bytes(2, "little") + bytes(
        [moment.month, moment.day, moment.hour, moment.minute, moment.second]
    )


def encode_blood_pressure(reading: BloodPressureReading) -> bytes:
    flags = 0
    fields = b""
    if reading.unit is PressureUnit.KPA:
        flags |= 0x01
    if reading.timestamp is not None:
        flags |= 0x02
        fields += encode_date_time(reading.timestamp)
    if reading.pulse_rate is not None:
        flags |= 0x04
        fields += encode_sfloat(reading.pulse_rate)
    if reading.user_id is not None:
        flags |= 0x08
        fields += bytes([reading.user_id])
    if reading.status is not None:
        flags |= 0x10
        fields += reading.status.raw.to_bytes(2, "little")
    values = (
        encode_sfloat(reading.systolic)
        + encode_sfloat(reading.diastolic)
        + encode_sfloat(reading.mean_arterial)
    )
    return bytes([flags]) + values + fields


def encode_weight(reading: WeightReading) -> bytes:
    flags = 0x01 if reading.unit is WeightUnit.LB else 0x00
    raw_weight = 0xFFFF if reading.weight is None else int(reading.weight / reading.resolution)
    fields = raw_weight.to_bytes(2, "little")
    if reading.timestamp is not None:
        flags |= 0x02
        fields += encode_date_time(reading.timestamp)
    if reading.user_id is not None:
        flags |= 0x04
        fields += bytes([reading.user_id])
    if reading.bmi is not None and reading.height is not None:
        flags |= 0x08
        height_step = Decimal("0.1") if reading.height_unit is LengthUnit.INCH else Decimal("0.001")
        fields += int(reading.bmi / Decimal("0.1")).to_bytes(2, "little")
        fields += int(reading.height / height_step).to_bytes(2, "little")
    return bytes([flags]) + fields


# ---------------------------------------------------------------- strategies

sfloat_numbers = st.builds(
    lambda mantissa, exponent: Decimal(mantissa).scaleb(exponent),
    st.integers(-2045, 2045),
    st.integers(-8, 7),
)
sfloat_values: st.SearchStrategy[MeasuredValue] = st.one_of(
    sfloat_numbers, st.sampled_from(list(SpecialValue))
)
timestamps = st.datetimes(
    min_value=datetime(1582, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)
).map(lambda moment: moment.replace(microsecond=0))


def _status(raw: int) -> BloodPressureStatus:
    # Written out from the bit layout, not taken from the parser.
    return BloodPressureStatus(
        body_movement=raw & 1 != 0,
        cuff_too_loose=raw & 2 != 0,
        irregular_pulse=raw & 4 != 0,
        pulse_rate_range=[
            PulseRateRange.WITHIN_RANGE,
            PulseRateRange.EXCEEDS_UPPER_LIMIT,
            PulseRateRange.BELOW_LOWER_LIMIT,
        ][(raw >> 3) & 3],
        improper_measurement_position=raw & 0x20 != 0,
        raw=raw,
    )


bp_statuses = st.integers(0, 0xFFFF).filter(lambda raw: (raw >> 3) & 3 != 3).map(_status)

blood_pressure_readings = st.builds(
    BloodPressureReading,
    systolic=sfloat_values,
    diastolic=sfloat_values,
    mean_arterial=sfloat_values,
    unit=st.sampled_from(PressureUnit),
    timestamp=st.none() | timestamps,
    pulse_rate=st.none() | sfloat_values,
    user_id=st.none() | st.integers(0, 255),
    status=st.none() | bp_statuses,
    intermediate=st.booleans(),
)


@st.composite
def weight_readings(draw: st.DrawFn) -> WeightReading:
    imperial = draw(st.booleans())
    resolution = Decimal("0.01") if imperial else Decimal("0.005")
    raw_weight = draw(st.integers(0, 0xFFFF))
    with_bmi = draw(st.booleans())
    height_step = Decimal("0.1") if imperial else Decimal("0.001")
    return WeightReading(
        weight=None if raw_weight == 0xFFFF else raw_weight * resolution,
        unit=WeightUnit.LB if imperial else WeightUnit.KG,
        resolution=resolution,
        timestamp=draw(st.none() | timestamps),
        user_id=draw(st.none() | st.integers(0, 255)),
        bmi=draw(st.integers(0, 0xFFFF)) * Decimal("0.1") if with_bmi else None,
        height=draw(st.integers(0, 0xFFFF)) * height_step if with_bmi else None,
        height_unit=LengthUnit.INCH if imperial else LengthUnit.METRE,
    )


# ---------------------------------------------------------------- round trips


@FAST
@given(reading=blood_pressure_readings)
def test_blood_pressure_round_trip(reading: BloodPressureReading) -> None:
    uuid = "2A36" if reading.intermediate else "2A35"
    assert parse(uuid, encode_blood_pressure(reading)) == reading


@FAST
@given(reading=weight_readings())
def test_weight_round_trip(reading: WeightReading) -> None:
    assert parse("2A9D", encode_weight(reading)) == reading


@FAST
@given(value=sfloat_values)
def test_sfloat_round_trip_through_pulse_rate(value: MeasuredValue) -> None:
    data = b"\x04" + encode_sfloat(Decimal(120)) * 3 + encode_sfloat(value)
    reading = parse("2A35", data)
    assert isinstance(reading, BloodPressureReading)
    assert reading.pulse_rate == value
