"""Table tests for ``hardware.health.gatt.parse``.

Every byte vector is worked out by hand from the Bluetooth SIG formats; the comment next to
it shows the arithmetic. Hex strings are written field by field, little-endian, with spaces
between fields (``bytes.fromhex`` ignores them).

Building blocks used throughout:

* SFLOAT 120 → m 120 = 0x078, e 0 → 0x0078 → ``7800``; 80 → ``5000``; 93 → ``5D00``;
  72 → ``4800``; 98 → ``6200``; NaN → 0x07FF → ``FF07``.
* Date Time ``E807 03 0F 08 1E 05`` = year 0x07E8 = 2024, March, 15th, 08:30:05.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from hardware.health.gatt import (
    BloodPressureReading,
    BloodPressureStatus,
    GattParseError,
    GlucoseReading,
    GlucoseSampleLocation,
    GlucoseSampleType,
    GlucoseSensorStatus,
    GlucoseUnit,
    LengthUnit,
    MalformedPacketError,
    PlxDeviceSensorStatus,
    PlxMeasurementStatus,
    PressureUnit,
    PulseRateRange,
    SpO2PulseRate,
    SpO2Reading,
    TemperatureReading,
    TemperatureType,
    TemperatureUnit,
    UnsupportedCharacteristicError,
    WeightReading,
    WeightUnit,
    parse,
    uuid16,
)
from hardware.health.sfloat import MeasuredValue, SpecialValue

TS = "E807 03 0F 08 1E 05"
WHEN = datetime(2024, 3, 15, 8, 30, 5)
NAN = SpecialValue.NAN


def h(text: str) -> bytes:
    return bytes.fromhex(text)


def bp(
    systolic: MeasuredValue,
    diastolic: MeasuredValue,
    mean_arterial: MeasuredValue,
    unit: PressureUnit = PressureUnit.MMHG,
    *,
    timestamp: datetime | None = None,
    pulse_rate: MeasuredValue | None = None,
    user_id: int | None = None,
    status: BloodPressureStatus | None = None,
    intermediate: bool = False,
) -> BloodPressureReading:
    return BloodPressureReading(
        systolic=systolic,
        diastolic=diastolic,
        mean_arterial=mean_arterial,
        unit=unit,
        timestamp=timestamp,
        pulse_rate=pulse_rate,
        user_id=user_id,
        status=status,
        intermediate=intermediate,
    )


def bp_status(
    raw: int,
    *,
    body_movement: bool = False,
    cuff_too_loose: bool = False,
    irregular_pulse: bool = False,
    pulse_rate_range: PulseRateRange = PulseRateRange.WITHIN_RANGE,
    improper_measurement_position: bool = False,
) -> BloodPressureStatus:
    return BloodPressureStatus(
        body_movement=body_movement,
        cuff_too_loose=cuff_too_loose,
        irregular_pulse=irregular_pulse,
        pulse_rate_range=pulse_rate_range,
        improper_measurement_position=improper_measurement_position,
        raw=raw,
    )


def weight(
    value: Decimal | None,
    unit: WeightUnit = WeightUnit.KG,
    *,
    timestamp: datetime | None = None,
    user_id: int | None = None,
    bmi: Decimal | None = None,
    height: Decimal | None = None,
) -> WeightReading:
    kg = unit is WeightUnit.KG
    return WeightReading(
        weight=value,
        unit=unit,
        resolution=Decimal("0.005") if kg else Decimal("0.01"),
        timestamp=timestamp,
        user_id=user_id,
        bmi=bmi,
        height=height,
        height_unit=LengthUnit.METRE if kg else LengthUnit.INCH,
    )


def temperature(
    value: MeasuredValue,
    unit: TemperatureUnit = TemperatureUnit.CELSIUS,
    *,
    timestamp: datetime | None = None,
    temperature_type: TemperatureType | None = None,
) -> TemperatureReading:
    return TemperatureReading(
        value=value, unit=unit, timestamp=timestamp, temperature_type=temperature_type
    )


def spo2(
    spo2_value: MeasuredValue,
    pulse_rate: MeasuredValue,
    *,
    continuous: bool = False,
    timestamp: datetime | None = None,
    device_clock_not_set: bool = False,
    measurement_status: PlxMeasurementStatus | None = None,
    device_and_sensor_status: PlxDeviceSensorStatus | None = None,
    pulse_amplitude_index: MeasuredValue | None = None,
    fast: SpO2PulseRate | None = None,
    slow: SpO2PulseRate | None = None,
) -> SpO2Reading:
    return SpO2Reading(
        spo2=spo2_value,
        pulse_rate=pulse_rate,
        continuous=continuous,
        timestamp=timestamp,
        device_clock_not_set=device_clock_not_set,
        measurement_status=measurement_status,
        device_and_sensor_status=device_and_sensor_status,
        pulse_amplitude_index=pulse_amplitude_index,
        fast=fast,
        slow=slow,
    )


def glucose(
    sequence_number: int,
    base_time: datetime | None = WHEN,
    *,
    time_offset_min: int | None = None,
    concentration: MeasuredValue | None = None,
    unit: GlucoseUnit | None = None,
    sample_type: GlucoseSampleType | None = None,
    sample_location: GlucoseSampleLocation | None = None,
    sensor_status: GlucoseSensorStatus | None = None,
    context_information_follows: bool = False,
) -> GlucoseReading:
    return GlucoseReading(
        sequence_number=sequence_number,
        base_time=base_time,
        time_offset_min=time_offset_min,
        concentration=concentration,
        unit=unit,
        sample_type=sample_type,
        sample_location=sample_location,
        sensor_status=sensor_status,
        context_information_follows=context_information_follows,
    )


M = PlxMeasurementStatus
S = PlxDeviceSensorStatus
G = GlucoseSensorStatus

# (id, uuid, hex, expected reading). Every flag bit of every characteristic appears on its
# own at least once, and all together once.
VECTORS: list[tuple[str, str, str, object]] = [
    # ------------------------------------------------ Blood Pressure Measurement 0x2A35
    # flags 0x00: mmHg, no optional fields.
    ("bp-mmhg-minimal", "2A35", "00 7800 5000 5D00", bp(Decimal(120), Decimal(80), Decimal(93))),
    # flags 0x01 (bit 0): kPa. 0xF0A0: e -1, m 160 → 16.0; 0xF06B: m 107 → 10.7;
    # 0xF07C: m 124 → 12.4.
    (
        "bp-kpa",
        "2A35",
        "01 A0F0 6BF0 7CF0",
        bp(Decimal("16.0"), Decimal("10.7"), Decimal("12.4"), PressureUnit.KPA),
    ),
    # Systolic 0xF4B5: e -1, m 0x4B5 = 1205 → 120.5 exactly.
    ("bp-decimal", "2A35", "00 B5F4 5000 5D00", bp(Decimal("120.5"), Decimal(80), Decimal(93))),
    # flags 0x02 (bit 1): time stamp.
    (
        "bp-time-stamp",
        "2A35",
        f"02 7800 5000 5D00 {TS}",
        bp(Decimal(120), Decimal(80), Decimal(93), timestamp=WHEN),
    ),
    # Time stamp all zero: date not known → None.
    (
        "bp-time-unknown",
        "2A35",
        "02 7800 5000 5D00 0000 00 00 00 00 00",
        bp(Decimal(120), Decimal(80), Decimal(93)),
    ),
    # flags 0x04 (bit 2): pulse rate 72 bpm.
    (
        "bp-pulse",
        "2A35",
        "04 7800 5000 5D00 4800",
        bp(Decimal(120), Decimal(80), Decimal(93), pulse_rate=Decimal(72)),
    ),
    # flags 0x08 (bit 3): user ID 3.
    (
        "bp-user",
        "2A35",
        "08 7800 5000 5D00 03",
        bp(Decimal(120), Decimal(80), Decimal(93), user_id=3),
    ),
    # flags 0x10 (bit 4): status 0x002F = bits 0,1,2,5 + pulse range 01 in bits 3-4.
    (
        "bp-status-all",
        "2A35",
        "10 7800 5000 5D00 2F00",
        bp(
            Decimal(120),
            Decimal(80),
            Decimal(93),
            status=bp_status(
                0x2F,
                body_movement=True,
                cuff_too_loose=True,
                irregular_pulse=True,
                pulse_rate_range=PulseRateRange.EXCEEDS_UPPER_LIMIT,
                improper_measurement_position=True,
            ),
        ),
    ),
    # flags 0x1F: everything, kPa; user 0xFF (unknown user); status 0x0010 → pulse below.
    (
        "bp-all-fields",
        "2A35",
        f"1F A0F0 6BF0 7CF0 {TS} 4800 FF 1000",
        bp(
            Decimal("16.0"),
            Decimal("10.7"),
            Decimal("12.4"),
            PressureUnit.KPA,
            timestamp=WHEN,
            pulse_rate=Decimal(72),
            user_id=255,
            status=bp_status(0x10, pulse_rate_range=PulseRateRange.BELOW_LOWER_LIMIT),
        ),
    ),
    # Pulse rate NaN: the device could not determine it.
    (
        "bp-pulse-nan",
        "2A35",
        "04 7800 5000 5D00 FF07",
        bp(Decimal(120), Decimal(80), Decimal(93), pulse_rate=NAN),
    ),
    # ------------------------------------------------ Intermediate Cuff Pressure 0x2A36
    # Cuff 0x008C = 140 mmHg; diastolic and MAP unused (NaN).
    ("icp-mmhg", "2A36", "00 8C00 FF07 FF07", bp(Decimal(140), NAN, NAN, intermediate=True)),
    # kPa: 0xF12C: e -1, m 0x12C = 300 → 30.0 kPa; with time stamp and pulse rate.
    (
        "icp-kpa-all",
        "2A36",
        f"1F 2CF1 FF07 FF07 {TS} 4800 01 0000",
        bp(
            Decimal("30.0"),
            NAN,
            NAN,
            PressureUnit.KPA,
            timestamp=WHEN,
            pulse_rate=Decimal(72),
            user_id=1,
            status=bp_status(0),
            intermediate=True,
        ),
    ),
    # ------------------------------------------------ Weight Measurement 0x2A9D
    # flags 0x00: SI. 0x36B0 = 14000 × 0.005 kg = 70.000 kg.
    ("weight-kg", "2A9D", "00 B036", weight(Decimal("70.000"))),
    # flags 0x01 (bit 0): imperial. 0x3C48 = 15432 × 0.01 lb = 154.32 lb.
    ("weight-lb", "2A9D", "01 483C", weight(Decimal("154.32"), WeightUnit.LB)),
    # flags 0x02 (bit 1): time stamp.
    ("weight-time-stamp", "2A9D", f"02 B036 {TS}", weight(Decimal(70), timestamp=WHEN)),
    # flags 0x04 (bit 2): user 2.
    ("weight-user", "2A9D", "04 B036 02", weight(Decimal(70), user_id=2)),
    # flags 0x08 (bit 3): BMI 0x00E5 = 229 × 0.1 = 22.9; height 0x06D6 = 1750 × 0.001 m.
    (
        "weight-bmi-si",
        "2A9D",
        "08 B036 E500 D606",
        weight(Decimal(70), bmi=Decimal("22.9"), height=Decimal("1.750")),
    ),
    # flags 0x09: imperial BMI/height. Height 0x02B1 = 689 × 0.1 in = 68.9 in.
    (
        "weight-bmi-imperial",
        "2A9D",
        "09 483C E500 B102",
        weight(Decimal("154.32"), WeightUnit.LB, bmi=Decimal("22.9"), height=Decimal("68.9")),
    ),
    # flags 0x0F: everything, imperial, user 0xFF (unknown).
    (
        "weight-all-fields",
        "2A9D",
        f"0F 483C {TS} FF E500 B102",
        weight(
            Decimal("154.32"),
            WeightUnit.LB,
            timestamp=WHEN,
            user_id=255,
            bmi=Decimal("22.9"),
            height=Decimal("68.9"),
        ),
    ),
    # Weight 0xFFFF: "measurement unsuccessful".
    ("weight-unsuccessful", "2A9D", "00 FFFF", weight(None)),
    # flags 0x07: imperial, time stamp, user 1; weight 0xFFFF "measurement unsuccessful".
    (
        "weight-unsuccessful-lb",
        "2A9D",
        f"07 FFFF {TS} 01",
        weight(None, WeightUnit.LB, timestamp=WHEN, user_id=1),
    ),
    # 0xFFFE = 65534 × 0.005 = 327.670 kg, the largest weight.
    ("weight-max", "2A9D", "00 FEFF", weight(Decimal("327.670"))),
    # ------------------------------------------------ Temperature Measurement 0x2A1C
    # flags 0x00: °C. FLOAT 0xFF00016D: e -1, m 365 → 36.5.
    ("temp-celsius", "2A1C", "00 6D0100FF", temperature(Decimal("36.5"))),
    # flags 0x01 (bit 0): °F. 0xFF0003DA: e -1, m 986 → 98.6.
    (
        "temp-fahrenheit",
        "2A1C",
        "01 DA0300FF",
        temperature(Decimal("98.6"), TemperatureUnit.FAHRENHEIT),
    ),
    # flags 0x02 (bit 1): time stamp. 0xFE000E8D: e -2, m 3725 → 37.25.
    ("temp-time-stamp", "2A1C", f"02 8D0E00FE {TS}", temperature(Decimal("37.25"), timestamp=WHEN)),
    # flags 0x04 (bit 2): type 0x02 body.
    (
        "temp-type",
        "2A1C",
        "04 6D0100FF 02",
        temperature(Decimal("36.5"), temperature_type=TemperatureType.BODY),
    ),
    # flags 0x07: all, °F, mouth (0x06).
    (
        "temp-all-fields",
        "2A1C",
        f"07 DA0300FF {TS} 06",
        temperature(
            Decimal("98.6"),
            TemperatureUnit.FAHRENHEIT,
            timestamp=WHEN,
            temperature_type=TemperatureType.MOUTH,
        ),
    ),
    # 0xFFFFFFCE: e -1, m 0xFFFFCE = -50 → -5.0.
    ("temp-negative", "2A1C", "00 CEFFFFFF", temperature(Decimal("-5.0"))),
    # Specials: NaN 0x007FFFFF, NRes 0x00800000, +INF 0x007FFFFE, -INF 0x00800002,
    # reserved 0x00800001.
    ("temp-nan", "2A1C", "00 FFFF7F00", temperature(NAN)),
    ("temp-nres", "2A1C", "00 00008000", temperature(SpecialValue.NRES)),
    ("temp-plus-inf", "2A1C", "00 FEFF7F00", temperature(SpecialValue.POSITIVE_INFINITY)),
    (
        "temp-minus-inf",
        "2A1C",
        "01 02008000",
        temperature(SpecialValue.NEGATIVE_INFINITY, TemperatureUnit.FAHRENHEIT),
    ),
    ("temp-reserved", "2A1C", "00 01008000", temperature(SpecialValue.RESERVED)),
    # ------------------------------------------------ PLX Spot-Check 0x2A5E
    # flags 0x00: SpO2 98 %, PR 72 bpm.
    ("spot-minimal", "2A5E", "00 6200 4800", spo2(Decimal(98), Decimal(72))),
    # SpO2 0xF3CF: e -1, m 0x3CF = 975 → 97.5 %.
    ("spot-decimal", "2A5E", "00 CFF3 4800", spo2(Decimal("97.5"), Decimal(72))),
    # flags 0x01 (bit 0): time stamp.
    (
        "spot-time-stamp",
        "2A5E",
        f"01 6200 4800 {TS}",
        spo2(Decimal(98), Decimal(72), timestamp=WHEN),
    ),
    # flags 0x02 (bit 1): measurement status 0x0180 = bit 7 validated + bit 8 fully qualified.
    (
        "spot-measurement-status",
        "2A5E",
        "02 6200 4800 8001",
        spo2(
            Decimal(98), Decimal(72), measurement_status=M.VALIDATED_DATA | M.FULLY_QUALIFIED_DATA
        ),
    ),
    # flags 0x04 (bit 2): device/sensor status 0x002020 = bit 5 low perfusion + bit 13
    # sensor displaced, 3 bytes.
    (
        "spot-device-status",
        "2A5E",
        "04 6200 4800 202000",
        spo2(
            Decimal(98), Decimal(72), device_and_sensor_status=S.LOW_PERFUSION | S.SENSOR_DISPLACED
        ),
    ),
    # flags 0x08 (bit 3): pulse amplitude index 0xF023: e -1, m 35 → 3.5 %.
    (
        "spot-pai",
        "2A5E",
        "08 6200 4800 23F0",
        spo2(Decimal(98), Decimal(72), pulse_amplitude_index=Decimal("3.5")),
    ),
    # flags 0x10 (bit 4): device clock is not set (no field).
    (
        "spot-clock-not-set",
        "2A5E",
        "10 6200 4800",
        spo2(Decimal(98), Decimal(72), device_clock_not_set=True),
    ),
    # flags 0x1F: everything.
    (
        "spot-all-fields",
        "2A5E",
        f"1F 6200 4800 {TS} 8001 202000 23F0",
        spo2(
            Decimal(98),
            Decimal(72),
            timestamp=WHEN,
            device_clock_not_set=True,
            measurement_status=M.VALIDATED_DATA | M.FULLY_QUALIFIED_DATA,
            device_and_sensor_status=S.LOW_PERFUSION | S.SENSOR_DISPLACED,
            pulse_amplitude_index=Decimal("3.5"),
        ),
    ),
    # No finger: both NaN.
    ("spot-nan", "2A5E", "00 FF07 FF07", spo2(NAN, NAN)),
    # ------------------------------------------------ PLX Continuous 0x2A5F
    ("cont-minimal", "2A5F", "00 6200 4800", spo2(Decimal(98), Decimal(72), continuous=True)),
    # flags 0x01 (bit 0): fast 97 % (0x61) / 74 bpm (0x4A).
    (
        "cont-fast",
        "2A5F",
        "01 6200 4800 6100 4A00",
        spo2(
            Decimal(98), Decimal(72), continuous=True, fast=SpO2PulseRate(Decimal(97), Decimal(74))
        ),
    ),
    # flags 0x02 (bit 1): slow 99 % (0x63) / 70 bpm (0x46).
    (
        "cont-slow",
        "2A5F",
        "02 6200 4800 6300 4600",
        spo2(
            Decimal(98), Decimal(72), continuous=True, slow=SpO2PulseRate(Decimal(99), Decimal(70))
        ),
    ),
    # flags 0x04 (bit 2): measurement status 0x2000 = bit 13 measurement unavailable.
    (
        "cont-measurement-status",
        "2A5F",
        "04 6200 4800 0020",
        spo2(
            Decimal(98), Decimal(72), continuous=True, measurement_status=M.MEASUREMENT_UNAVAILABLE
        ),
    ),
    # flags 0x08 (bit 3): device/sensor status 0x008000 = bit 15 sensor disconnected.
    (
        "cont-device-status",
        "2A5F",
        "08 6200 4800 008000",
        spo2(
            Decimal(98),
            Decimal(72),
            continuous=True,
            device_and_sensor_status=S.SENSOR_DISCONNECTED,
        ),
    ),
    # flags 0x10 (bit 4): pulse amplitude index 3.5 %.
    (
        "cont-pai",
        "2A5F",
        "10 6200 4800 23F0",
        spo2(Decimal(98), Decimal(72), continuous=True, pulse_amplitude_index=Decimal("3.5")),
    ),
    # flags 0x1F: everything.
    (
        "cont-all-fields",
        "2A5F",
        "1F 6200 4800 6100 4A00 6300 4600 8001 202000 23F0",
        spo2(
            Decimal(98),
            Decimal(72),
            continuous=True,
            fast=SpO2PulseRate(Decimal(97), Decimal(74)),
            slow=SpO2PulseRate(Decimal(99), Decimal(70)),
            measurement_status=M.VALIDATED_DATA | M.FULLY_QUALIFIED_DATA,
            device_and_sensor_status=S.LOW_PERFUSION | S.SENSOR_DISPLACED,
            pulse_amplitude_index=Decimal("3.5"),
        ),
    ),
    # ------------------------------------------------ Glucose Measurement 0x2A18
    # flags 0x00: sequence 1, base time only.
    ("glucose-minimal", "2A18", f"00 0100 {TS}", glucose(1)),
    # Base time not known (all zero).
    ("glucose-time-unknown", "2A18", "00 0100 0000 00 00 00 00 00", glucose(1, None)),
    # flags 0x01 (bit 0): time offset 0xFFFB = -5 minutes.
    ("glucose-offset", "2A18", f"01 0100 {TS} FBFF", glucose(1, time_offset_min=-5)),
    # flags 0x02 (bit 1): 0xB078: e 0xB = -5, m 120 → 0.00120 kg/L (= 120 mg/dL);
    # type-location 0x11: type 1 capillary whole blood (low nibble), finger (high nibble).
    (
        "glucose-kg-per-l",
        "2A18",
        f"02 2A00 {TS} 78B0 11",
        glucose(
            42,
            concentration=Decimal("0.00120"),
            unit=GlucoseUnit.KG_PER_L,
            sample_type=GlucoseSampleType.CAPILLARY_WHOLE_BLOOD,
            sample_location=GlucoseSampleLocation.FINGER,
        ),
    ),
    # flags 0x06 (bits 1, 2): mol/L. 0xC038: e -4, m 56 → 0.0056 mol/L (= 5.6 mmol/L);
    # 0xF2: type 2 capillary plasma, location 15 not available.
    (
        "glucose-mol-per-l",
        "2A18",
        f"06 2A00 {TS} 38C0 F2",
        glucose(
            42,
            concentration=Decimal("0.0056"),
            unit=GlucoseUnit.MOL_PER_L,
            sample_type=GlucoseSampleType.CAPILLARY_PLASMA,
            sample_location=GlucoseSampleLocation.NOT_AVAILABLE,
        ),
    ),
    # flags 0x04 (bit 2) alone: the unit applies to nothing.
    ("glucose-unit-without-value", "2A18", f"04 0100 {TS}", glucose(1)),
    # flags 0x08 (bit 3): annunciation 0x0FFF, all 12 defined bits.
    (
        "glucose-status",
        "2A18",
        f"08 0100 {TS} FF0F",
        glucose(1, sensor_status=GlucoseSensorStatus(0x0FFF)),
    ),
    # flags 0x10 (bit 4): context information follows (no field).
    ("glucose-context", "2A18", f"10 0100 {TS}", glucose(1, context_information_follows=True)),
    # flags 0x1F: sequence 0x1234 = 4660, offset +60 min, 5.6 mmol/L, 0x19 = ISF (9) at
    # the finger (1), annunciation 0x0001 battery low.
    (
        "glucose-all-fields",
        "2A18",
        f"1F 3412 {TS} 3C00 38C0 19 0100",
        glucose(
            4660,
            time_offset_min=60,
            concentration=Decimal("0.0056"),
            unit=GlucoseUnit.MOL_PER_L,
            sample_type=GlucoseSampleType.INTERSTITIAL_FLUID,
            sample_location=GlucoseSampleLocation.FINGER,
            sensor_status=G.DEVICE_BATTERY_LOW,
            context_information_follows=True,
        ),
    ),
    # Concentration NaN (0x07FF): strip error.
    (
        "glucose-nan",
        "2A18",
        f"02 0100 {TS} FF07 11",
        glucose(
            1,
            concentration=NAN,
            unit=GlucoseUnit.KG_PER_L,
            sample_type=GlucoseSampleType.CAPILLARY_WHOLE_BLOOD,
            sample_location=GlucoseSampleLocation.FINGER,
        ),
    ),
]

VECTOR_IDS = [v[0] for v in VECTORS]


@pytest.mark.parametrize(("uuid", "hex_data", "expected"), [v[1:] for v in VECTORS], ids=VECTOR_IDS)
def test_vectors(uuid: str, hex_data: str, expected: object) -> None:
    assert parse(uuid, h(hex_data)) == expected


@pytest.mark.parametrize(("uuid", "hex_data"), [v[1:3] for v in VECTORS], ids=VECTOR_IDS)
def test_every_truncation_is_rejected(uuid: str, hex_data: str) -> None:
    data = h(hex_data)
    for length in range(len(data)):
        with pytest.raises(MalformedPacketError, match="too short"):
            parse(uuid, data[:length])


@pytest.mark.parametrize(("uuid", "hex_data"), [v[1:3] for v in VECTORS], ids=VECTOR_IDS)
def test_trailing_bytes_are_rejected(uuid: str, hex_data: str) -> None:
    with pytest.raises(MalformedPacketError, match="too long: 1 unexpected trailing byte"):
        parse(uuid, h(hex_data) + b"\x00")


# ---------------------------------------------------------------- exact values for display


def test_decimal_values_keep_the_device_resolution() -> None:
    reading = parse("2A35", h("01 B5F4 6BF0 A0F0"))
    assert isinstance(reading, BloodPressureReading)
    assert [str(reading.systolic), str(reading.diastolic), str(reading.mean_arterial)] == [
        "120.5",
        "10.7",
        "16.0",
    ]


def test_weight_is_exact() -> None:
    # 0x3A99 = 15001 × 0.005 = 75.005 kg, which a binary float cannot hold.
    reading = parse("2A9D", h("00 993A"))
    assert isinstance(reading, WeightReading)
    assert str(reading.weight) == "75.005"
    assert reading.weight_kg == Decimal("75.005")
    assert not reading.measurement_unsuccessful


# ---------------------------------------------------------------- blood pressure status bits

BP_STATUS_TABLE = [
    (0x0000, bp_status(0x0000)),
    (0x0001, bp_status(0x0001, body_movement=True)),
    (0x0002, bp_status(0x0002, cuff_too_loose=True)),
    (0x0004, bp_status(0x0004, irregular_pulse=True)),
    (0x0008, bp_status(0x0008, pulse_rate_range=PulseRateRange.EXCEEDS_UPPER_LIMIT)),
    (0x0010, bp_status(0x0010, pulse_rate_range=PulseRateRange.BELOW_LOWER_LIMIT)),
    (0x0020, bp_status(0x0020, improper_measurement_position=True)),
    # Bits 6-15 are reserved: ignored, kept in raw.
    (0xFFC0, bp_status(0xFFC0)),
]


@pytest.mark.parametrize(
    ("raw", "expected"), BP_STATUS_TABLE, ids=[f"{r:#06x}" for r, _ in BP_STATUS_TABLE]
)
def test_blood_pressure_status_bits(raw: int, expected: BloodPressureStatus) -> None:
    reading = parse("2A35", h("10 7800 5000 5D00") + raw.to_bytes(2, "little"))
    assert isinstance(reading, BloodPressureReading)
    assert reading.status == expected


def test_blood_pressure_reserved_pulse_rate_range() -> None:
    # Bits 3-4 = 0b11 (0x0018) is reserved.
    with pytest.raises(MalformedPacketError, match="pulse rate range 3 is a reserved value"):
        parse("2A35", h("10 7800 5000 5D00 1800"))


def test_intermediate_cuff_pressure() -> None:
    reading = parse("0x2a36", h("00 8C00 FF07 FF07"))
    assert isinstance(reading, BloodPressureReading)
    assert reading.intermediate
    assert reading.cuff_pressure == Decimal(140)


# ---------------------------------------------------------------- weight conversions


def test_weight_imperial_conversions() -> None:
    reading = parse("2A9D", h("09 483C E500 B102"))
    assert isinstance(reading, WeightReading)
    # 154.32 lb × 0.45359237 kg/lb; 68.9 in × 0.0254 m/in.
    assert reading.weight_kg == Decimal("69.9983745384")
    assert reading.height_m == Decimal("1.75006")
    assert reading.resolution == Decimal("0.01")


def test_weight_si_conversions_are_identity() -> None:
    reading = parse("2A9D", h("08 B036 E500 D606"))
    assert isinstance(reading, WeightReading)
    assert reading.weight_kg == Decimal(70)
    assert reading.height_m == Decimal("1.75")
    assert reading.resolution == Decimal("0.005")


def test_weight_unsuccessful() -> None:
    reading = parse("2A9D", h("00 FFFF"))
    assert isinstance(reading, WeightReading)
    assert reading.measurement_unsuccessful
    assert reading.weight_kg is None
    assert reading.height_m is None


# ---------------------------------------------------------------- temperature types

TEMPERATURE_TYPES = [
    (0x01, TemperatureType.ARMPIT),
    (0x02, TemperatureType.BODY),
    (0x03, TemperatureType.EAR),
    (0x04, TemperatureType.FINGER),
    (0x05, TemperatureType.GASTROINTESTINAL_TRACT),
    (0x06, TemperatureType.MOUTH),
    (0x07, TemperatureType.RECTUM),
    (0x08, TemperatureType.TOE),
    (0x09, TemperatureType.TYMPANUM),
]


@pytest.mark.parametrize(
    ("code", "expected"), TEMPERATURE_TYPES, ids=[t.name for _, t in TEMPERATURE_TYPES]
)
def test_temperature_types(code: int, expected: TemperatureType) -> None:
    reading = parse("2A1C", h("04 6D0100FF") + bytes([code]))
    assert isinstance(reading, TemperatureReading)
    assert reading.temperature_type is expected


@pytest.mark.parametrize("code", [0x00, 0x0A, 0xFF])
def test_temperature_type_reserved(code: int) -> None:
    with pytest.raises(MalformedPacketError, match=f"Temperature Type {code} is a reserved value"):
        parse("2A1C", h("04 6D0100FF") + bytes([code]))


@pytest.mark.parametrize(
    ("hex_data", "celsius"),
    [
        ("00 6D0100FF", Decimal("36.5")),  # already °C
        ("01 DA0300FF", Decimal("37.0")),  # (98.6 - 32) × 5 / 9 = 37
        ("01 00000000", Decimal("-17.77777777777777777777777778")),  # 0 °F, 28 significant digits
        ("01 FEFF7F00", SpecialValue.POSITIVE_INFINITY),  # specials pass through
    ],
)
def test_temperature_celsius(hex_data: str, celsius: MeasuredValue) -> None:
    reading = parse("2A1C", h(hex_data))
    assert isinstance(reading, TemperatureReading)
    assert reading.celsius == celsius


# ---------------------------------------------------------------- PLX status bits

PLX_MEASUREMENT_STATUS = [
    (5, M.MEASUREMENT_ONGOING),
    (6, M.EARLY_ESTIMATED_DATA),
    (7, M.VALIDATED_DATA),
    (8, M.FULLY_QUALIFIED_DATA),
    (9, M.DATA_FROM_MEASUREMENT_STORAGE),
    (10, M.DATA_FOR_DEMONSTRATION),
    (11, M.DATA_FOR_TESTING),
    (12, M.CALIBRATION_ONGOING),
    (13, M.MEASUREMENT_UNAVAILABLE),
    (14, M.QUESTIONABLE_MEASUREMENT),
    (15, M.INVALID_MEASUREMENT),
]


@pytest.mark.parametrize(
    ("bit", "member"), PLX_MEASUREMENT_STATUS, ids=[m.name or "" for _, m in PLX_MEASUREMENT_STATUS]
)
@pytest.mark.parametrize(("uuid", "flags"), [("2A5E", 0x02), ("2A5F", 0x04)])
def test_plx_measurement_status_bits(uuid: str, flags: int, bit: int, member: M) -> None:
    reading = parse(uuid, bytes([flags]) + h("6200 4800") + (1 << bit).to_bytes(2, "little"))
    assert isinstance(reading, SpO2Reading)
    assert reading.measurement_status is not None
    assert reading.measurement_status == member
    assert list(reading.measurement_status) == [member]


def test_plx_measurement_status_reserved_bits_are_kept() -> None:
    # Bits 0-4 (0x001F) are reserved: no named flag, raw value kept.
    reading = parse("2A5E", h("02 6200 4800 1F00"))
    assert isinstance(reading, SpO2Reading)
    assert reading.measurement_status is not None
    assert int(reading.measurement_status) == 0x1F
    assert list(reading.measurement_status) == []


PLX_DEVICE_STATUS = [
    (0, S.EXTENDED_DISPLAY_UPDATE_ONGOING),
    (1, S.EQUIPMENT_MALFUNCTION),
    (2, S.SIGNAL_PROCESSING_IRREGULARITY),
    (3, S.INADEQUATE_SIGNAL),
    (4, S.POOR_SIGNAL),
    (5, S.LOW_PERFUSION),
    (6, S.ERRATIC_SIGNAL),
    (7, S.NONPULSATILE_SIGNAL),
    (8, S.QUESTIONABLE_PULSE),
    (9, S.SIGNAL_ANALYSIS_ONGOING),
    (10, S.SENSOR_INTERFERENCE),
    (11, S.SENSOR_UNCONNECTED_TO_USER),
    (12, S.UNKNOWN_SENSOR_CONNECTED),
    (13, S.SENSOR_DISPLACED),
    (14, S.SENSOR_MALFUNCTIONING),
    (15, S.SENSOR_DISCONNECTED),
]


@pytest.mark.parametrize(
    ("bit", "member"), PLX_DEVICE_STATUS, ids=[m.name or "" for _, m in PLX_DEVICE_STATUS]
)
@pytest.mark.parametrize(("uuid", "flags"), [("2A5E", 0x04), ("2A5F", 0x08)])
def test_plx_device_and_sensor_status_bits(uuid: str, flags: int, bit: int, member: S) -> None:
    reading = parse(uuid, bytes([flags]) + h("6200 4800") + (1 << bit).to_bytes(3, "little"))
    assert isinstance(reading, SpO2Reading)
    assert reading.device_and_sensor_status is not None
    assert list(reading.device_and_sensor_status) == [member]


def test_plx_device_status_is_24_bits_and_reserved_bits_are_kept() -> None:
    # 0x810001: bit 23 and bit 16 (reserved) plus bit 0.
    reading = parse("2A5F", h("08 6200 4800 010081"))
    assert isinstance(reading, SpO2Reading)
    assert reading.device_and_sensor_status is not None
    assert int(reading.device_and_sensor_status) == 0x810001
    assert list(reading.device_and_sensor_status) == [S.EXTENDED_DISPLAY_UPDATE_ONGOING]


# ---------------------------------------------------------------- glucose codes and units

GLUCOSE_STATUS = [
    (0, G.DEVICE_BATTERY_LOW),
    (1, G.SENSOR_MALFUNCTION),
    (2, G.SAMPLE_SIZE_INSUFFICIENT),
    (3, G.STRIP_INSERTION_ERROR),
    (4, G.STRIP_TYPE_INCORRECT),
    (5, G.RESULT_TOO_HIGH),
    (6, G.RESULT_TOO_LOW),
    (7, G.TEMPERATURE_TOO_HIGH),
    (8, G.TEMPERATURE_TOO_LOW),
    (9, G.STRIP_PULLED_TOO_SOON),
    (10, G.GENERAL_DEVICE_FAULT),
    (11, G.TIME_FAULT),
]


@pytest.mark.parametrize(
    ("bit", "member"), GLUCOSE_STATUS, ids=[m.name or "" for _, m in GLUCOSE_STATUS]
)
def test_glucose_sensor_status_bits(bit: int, member: G) -> None:
    reading = parse("2A18", h(f"08 0100 {TS}") + (1 << bit).to_bytes(2, "little"))
    assert isinstance(reading, GlucoseReading)
    assert reading.sensor_status is not None
    assert list(reading.sensor_status) == [member]


def test_glucose_sensor_status_reserved_bits_are_kept() -> None:
    reading = parse("2A18", h(f"08 0100 {TS} 00F0"))  # bits 12-15, reserved
    assert isinstance(reading, GlucoseReading)
    assert reading.sensor_status is not None
    assert int(reading.sensor_status) == 0xF000
    assert list(reading.sensor_status) == []


GLUCOSE_TYPES = [
    (1, GlucoseSampleType.CAPILLARY_WHOLE_BLOOD),
    (2, GlucoseSampleType.CAPILLARY_PLASMA),
    (3, GlucoseSampleType.VENOUS_WHOLE_BLOOD),
    (4, GlucoseSampleType.VENOUS_PLASMA),
    (5, GlucoseSampleType.ARTERIAL_WHOLE_BLOOD),
    (6, GlucoseSampleType.ARTERIAL_PLASMA),
    (7, GlucoseSampleType.UNDETERMINED_WHOLE_BLOOD),
    (8, GlucoseSampleType.UNDETERMINED_PLASMA),
    (9, GlucoseSampleType.INTERSTITIAL_FLUID),
    (10, GlucoseSampleType.CONTROL_SOLUTION),
]


@pytest.mark.parametrize(
    ("code", "expected"), GLUCOSE_TYPES, ids=[t.name for _, t in GLUCOSE_TYPES]
)
def test_glucose_types(code: int, expected: GlucoseSampleType) -> None:
    # Type in the low nibble, location 1 (finger) in the high nibble.
    reading = parse("2A18", h(f"02 0100 {TS} 78B0") + bytes([0x10 | code]))
    assert isinstance(reading, GlucoseReading)
    assert reading.sample_type is expected
    assert reading.sample_location is GlucoseSampleLocation.FINGER


GLUCOSE_LOCATIONS = [
    (1, GlucoseSampleLocation.FINGER),
    (2, GlucoseSampleLocation.ALTERNATE_SITE_TEST),
    (3, GlucoseSampleLocation.EARLOBE),
    (4, GlucoseSampleLocation.CONTROL_SOLUTION),
    (15, GlucoseSampleLocation.NOT_AVAILABLE),
]


@pytest.mark.parametrize(
    ("code", "expected"), GLUCOSE_LOCATIONS, ids=[t.name for _, t in GLUCOSE_LOCATIONS]
)
def test_glucose_locations(code: int, expected: GlucoseSampleLocation) -> None:
    # Location in the high nibble, type 1 (capillary whole blood) in the low nibble.
    reading = parse("2A18", h(f"02 0100 {TS} 78B0") + bytes([code << 4 | 0x01]))
    assert isinstance(reading, GlucoseReading)
    assert reading.sample_location is expected
    assert reading.sample_type is GlucoseSampleType.CAPILLARY_WHOLE_BLOOD


@pytest.mark.parametrize(
    ("type_location", "message"),
    [
        (0x10, "Type 0 is a reserved value"),
        (0x1B, "Type 11 is a reserved value"),
        (0x1F, "Type 15 is a reserved value"),
        (0x01, "Sample Location 0 is a reserved value"),
        (0x51, "Sample Location 5 is a reserved value"),
        (0xE1, "Sample Location 14 is a reserved value"),
    ],
)
def test_glucose_reserved_codes(type_location: int, message: str) -> None:
    with pytest.raises(MalformedPacketError, match=message):
        parse("2A18", h(f"02 0100 {TS} 78B0") + bytes([type_location]))


@pytest.mark.parametrize(
    ("hex_data", "mmol_per_l", "mg_per_dl"),
    [
        # 0.00120 kg/L = 1200 mg/L; ÷ 180.16 mg/mmol = 6.6607… mmol/L; × 10^5 = 120 mg/dL.
        (f"02 0100 {TS} 78B0 11", Decimal("6.660746003552397868561278863"), Decimal(120)),
        # 0.0056 mol/L = 5.6 mmol/L; × 180.16 g/mol × 100 = 100.8896 mg/dL (= 5.6 × 18.016).
        (f"06 0100 {TS} 38C0 11", Decimal("5.6"), Decimal("100.8896")),
        # 0xA05A: e -6, m 90 → 0.000090 kg/L = 9.0 mg/dL (a hypo reading, keeps digits).
        (f"02 0100 {TS} 5AA0 11", Decimal("0.4995559502664298401420959147"), Decimal("9.0")),
        (f"02 0100 {TS} FF07 11", NAN, NAN),
        (f"00 0100 {TS}", None, None),
    ],
)
def test_glucose_conversions(
    hex_data: str, mmol_per_l: MeasuredValue | None, mg_per_dl: MeasuredValue | None
) -> None:
    reading = parse("2A18", h(hex_data))
    assert isinstance(reading, GlucoseReading)
    assert reading.mmol_per_l == mmol_per_l
    assert reading.mg_per_dl == mg_per_dl


def test_glucose_conversion_keeps_meter_digits() -> None:
    reading = parse("2A18", h(f"06 0100 {TS} 38C0 11"))
    assert isinstance(reading, GlucoseReading)
    assert str(reading.mmol_per_l) == "5.6"
    reading = parse("2A18", h(f"02 0100 {TS} 78B0 11"))
    assert isinstance(reading, GlucoseReading)
    assert str(reading.mg_per_dl) == "120"


@pytest.mark.parametrize(
    ("hex_data", "measured_at"),
    [
        (f"01 0100 {TS} FBFF", datetime(2024, 3, 15, 8, 25, 5)),  # -5 min
        (f"01 0100 {TS} A005", datetime(2024, 3, 16, 8, 30, 5)),  # 0x05A0 = 1440 min
        (f"00 0100 {TS}", WHEN),  # no offset
        ("01 0100 0000 00 00 00 00 00 0A00", None),  # base time unknown
    ],
)
def test_glucose_measured_at(hex_data: str, measured_at: datetime | None) -> None:
    reading = parse("2A18", h(hex_data))
    assert isinstance(reading, GlucoseReading)
    assert reading.measured_at == measured_at


# ---------------------------------------------------------------- Date Time


@pytest.mark.parametrize(
    ("date_time", "expected"),
    [
        ("E807 03 0F 08 1E 05", datetime(2024, 3, 15, 8, 30, 5)),
        ("E807 0C 1F 17 3B 3B", datetime(2024, 12, 31, 23, 59, 59)),  # 0x0C 0x1F 0x17 0x3B
        ("E807 02 1D 00 00 00", datetime(2024, 2, 29)),  # leap day
        ("2E06 01 01 00 00 00", datetime(1582, 1, 1)),  # 0x062E = 1582, first valid year
        ("0F27 0C 1F 17 3B 3B", datetime(9999, 12, 31, 23, 59, 59)),  # 0x270F = 9999
        ("0000 03 0F 08 1E 05", None),  # year not known
        ("E807 00 0F 08 1E 05", None),  # month not known
        ("E807 03 00 08 1E 05", None),  # day not known
        ("0000 00 00 00 00 00", None),  # nothing known
    ],
)
def test_date_time(date_time: str, expected: datetime | None) -> None:
    reading = parse("2A18", h(f"00 0100 {date_time}"))
    assert isinstance(reading, GlucoseReading)
    assert reading.base_time == expected


@pytest.mark.parametrize(
    ("date_time", "message"),
    [
        ("2D06 01 01 00 00 00", "year 1581"),  # 0x062D
        ("1027 01 01 00 00 00", "year 10000"),  # 0x2710
        ("E807 0D 0F 08 1E 05", "month 13"),
        ("E807 03 20 08 1E 05", "day 32"),
        ("E807 03 0F 18 1E 05", "hours 24"),
        ("E807 03 0F 08 3C 05", "minutes 60"),
        ("E807 03 0F 08 1E 3C", "seconds 60"),
        ("E807 02 1E 00 00 00", "2024-02-30 is not a calendar date"),
        ("E707 02 1D 00 00 00", "2023-02-29 is not a calendar date"),
        ("E807 04 1F 00 00 00", "2024-04-31 is not a calendar date"),
        # Out-of-range time of day is rejected even when the date is unknown.
        ("0000 00 00 FF 00 00", "hours 255"),
    ],
)
def test_date_time_invalid(date_time: str, message: str) -> None:
    with pytest.raises(
        MalformedPacketError, match=f"Glucose Measurement \\(0x2A18\\): Base Time .*{message}"
    ):
        parse("2A18", h(f"00 0100 {date_time}"))


# ---------------------------------------------------------------- errors

# (uuid, name, defined flag bits)
CHARACTERISTICS = [
    ("2A35", "Blood Pressure Measurement", 0x1F),
    ("2A36", "Intermediate Cuff Pressure", 0x1F),
    ("2A9D", "Weight Measurement", 0x0F),
    ("2A1C", "Temperature Measurement", 0x07),
    ("2A5E", "PLX Spot-Check Measurement", 0x1F),
    ("2A5F", "PLX Continuous Measurement", 0x1F),
    ("2A18", "Glucose Measurement", 0x1F),
]


@pytest.mark.parametrize(
    ("uuid", "name", "defined"), CHARACTERISTICS, ids=[c[1] for c in CHARACTERISTICS]
)
def test_reserved_flag_bits_are_rejected(uuid: str, name: str, defined: int) -> None:
    reserved_bits = [1 << bit for bit in range(8) if not defined & (1 << bit)]
    assert reserved_bits
    for bit in reserved_bits:
        # Long enough for any layout, so only the flag check can fail.
        with pytest.raises(
            MalformedPacketError, match=f"reserved flag bit\\(s\\) 0x{bit:02X}"
        ) as info:
            parse(uuid, bytes([bit]) + bytes(40))
        assert str(info.value).startswith(f"{name} (0x{uuid}): ")


@pytest.mark.parametrize(
    ("uuid", "name", "defined"), CHARACTERISTICS, ids=[c[1] for c in CHARACTERISTICS]
)
def test_empty_packet(uuid: str, name: str, defined: int) -> None:
    del defined
    with pytest.raises(MalformedPacketError) as info:
        parse(uuid, b"")
    assert str(info.value) == (
        f"{name} (0x{uuid}): packet too short: Flags needs 1 byte(s) at offset 0 "
        "but only 0 remain (packet is 0 bytes)"
    )


def test_missing_promised_field_names_it() -> None:
    # flags 0x02 promise a 7-byte time stamp at offset 7; only 2 bytes follow.
    with pytest.raises(MalformedPacketError) as info:
        parse("2A35", h("02 7800 5000 5D00 E807"))
    assert str(info.value) == (
        "Blood Pressure Measurement (0x2A35): packet too short: Time Stamp needs 7 byte(s) "
        "at offset 7 but only 2 remain (packet is 9 bytes)"
    )


def test_trailing_bytes_message() -> None:
    # flags 0x00 describe 7 bytes; the time stamp is there but not announced.
    with pytest.raises(MalformedPacketError) as info:
        parse("2A35", h(f"00 7800 5000 5D00 {TS}"))
    assert str(info.value) == (
        "Blood Pressure Measurement (0x2A35): packet too long: 7 unexpected trailing byte(s) "
        "after the last field (the flags describe 7 bytes, packet is 14 bytes)"
    )


def test_errors_are_value_errors() -> None:
    assert issubclass(MalformedPacketError, GattParseError)
    assert issubclass(UnsupportedCharacteristicError, GattParseError)
    assert issubclass(GattParseError, ValueError)


# ---------------------------------------------------------------- UUIDs and input types


@pytest.mark.parametrize(
    "uuid",
    [
        "2A35",
        "2a35",
        "0x2A35",
        "0x2a35",
        "0X2A35",
        " 2A35 ",
        "00002a35-0000-1000-8000-00805f9b34fb",
        "00002A35-0000-1000-8000-00805F9B34FB",
    ],
)
def test_uuid_forms(uuid: str) -> None:
    assert uuid16(uuid) == 0x2A35
    assert parse(uuid, h("00 7800 5000 5D00")) == bp(Decimal(120), Decimal(80), Decimal(93))


@pytest.mark.parametrize("uuid", ["2A37", "0x180D", "00002a19-0000-1000-8000-00805f9b34fb"])
def test_unsupported_characteristic(uuid: str) -> None:
    with pytest.raises(UnsupportedCharacteristicError, match="no parser for characteristic 0x"):
        parse(uuid, b"\x00")


@pytest.mark.parametrize(
    "uuid",
    [
        "",
        "2A3",
        "2A355",
        "0x",
        "xyz!",
        "+2A3",
        "2_A3",
        "12345678",
        "00002a35-0000-1000-8000-00805f9b34fc",  # not the Bluetooth base UUID
        "12342a35-0000-1000-8000-00805f9b34fb",  # not a 16-bit alias
    ],
)
def test_not_a_characteristic_uuid(uuid: str) -> None:
    with pytest.raises(UnsupportedCharacteristicError, match="not a"):
        parse(uuid, h("00 7800 5000 5D00"))


def test_bytearray_and_memoryview_are_accepted() -> None:
    data = h("00 7800 5000 5D00")
    expected = bp(Decimal(120), Decimal(80), Decimal(93))
    assert parse("2A35", bytearray(data)) == expected
    assert parse("2A35", memoryview(data)) == expected
