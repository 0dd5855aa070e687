"""Parsers for the Bluetooth LE health characteristics the kiosk reads.

One entry point, :func:`parse`, takes a characteristic UUID and the bytes of a notification
or indication and returns a typed, immutable reading with explicit units:

=======================================  ======  ===========================
Characteristic                           UUID    Reading
=======================================  ======  ===========================
Blood Pressure Measurement               0x2A35  :class:`BloodPressureReading`
Intermediate Cuff Pressure               0x2A36  :class:`BloodPressureReading`
                                                 (``intermediate=True``)
Weight Measurement                       0x2A9D  :class:`WeightReading`
Temperature Measurement                  0x2A1C  :class:`TemperatureReading`
PLX Spot-Check Measurement               0x2A5E  :class:`SpO2Reading`
PLX Continuous Measurement               0x2A5F  :class:`SpO2Reading`
                                                 (``continuous=True``)
Glucose Measurement                      0x2A18  :class:`GlucoseReading`
=======================================  ======  ===========================

Field layouts follow the Bluetooth SIG GATT Specification Supplement and the Blood Pressure,
Weight Scale, Health Thermometer, Pulse Oximeter and Glucose profiles. Everything is
little-endian.

Numbers
    SFLOAT/FLOAT fields are exact :class:`~decimal.Decimal` values or a
    :class:`~hardware.health.sfloat.SpecialValue` (NaN, NRes, ±infinity, reserved); see
    :mod:`hardware.health.sfloat`. Scaled integers (weight, height, BMI) are also exact
    ``Decimal``. Unit conversions offered as properties (``weight_kg``, ``celsius``,
    ``mmol_per_l`` …) are exact where the factor is exact and otherwise computed to 28
    significant digits; round for display.

Time stamps
    A Date Time field is 7 bytes: year (uint16, 1582..9999), month, day, hours, minutes,
    seconds. Year, month or day 0 means "not known"; such a time stamp is returned as
    ``None`` — the same as an absent one, because there is no instant to show or store.
    Values outside the ranges (month 13, hour 24, 30 February, year 1000) raise
    :class:`MalformedPacketError`. Times are naive ``datetime`` objects in the device's
    own wall-clock time: the characteristic carries no time zone.

Strictness
    The parser is strict about *structure* and about *enumerations*, lenient about *status
    bit fields*:

    * an empty or short packet, a field the flags promise but that is missing, trailing
      bytes after the last field, and reserved flag bits (they might announce fields we
      do not know, so the layout can no longer be trusted) raise
      :class:`MalformedPacketError`;
    * a reserved code in an enumerated field (temperature type, glucose type or sample
      location, pulse-rate-range 3 in blood pressure status) raises
      :class:`MalformedPacketError` too: it cannot be shown truthfully;
    * reserved bits in status/annunciation bit fields are ignored, as the Core
      Specification asks of receivers, but kept in the raw value (``IntFlag`` members
      keep unknown bits; :class:`BloodPressureStatus` has ``raw``).

User ID
    ``user_id`` is the device's user index as sent; 255 (:data:`UNKNOWN_USER_ID`) means the
    device does not know the user.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Context, Decimal
from typing import Final, TypeAlias, TypeVar

from hardware.health.sfloat import MeasuredValue, SpecialValue, decode_float, decode_sfloat

__all__ = [
    "BLOOD_PRESSURE_MEASUREMENT",
    "GLUCOSE_MEASUREMENT",
    "GLUCOSE_MOLAR_MASS_G_PER_MOL",
    "INTERMEDIATE_CUFF_PRESSURE",
    "PLX_CONTINUOUS_MEASUREMENT",
    "PLX_SPOT_CHECK_MEASUREMENT",
    "SUPPORTED_CHARACTERISTICS",
    "TEMPERATURE_MEASUREMENT",
    "UNKNOWN_USER_ID",
    "WEIGHT_MEASUREMENT",
    "BloodPressureReading",
    "BloodPressureStatus",
    "GattParseError",
    "GlucoseReading",
    "GlucoseSampleLocation",
    "GlucoseSampleType",
    "GlucoseSensorStatus",
    "GlucoseUnit",
    "HealthReading",
    "LengthUnit",
    "MalformedPacketError",
    "PlxDeviceSensorStatus",
    "PlxMeasurementStatus",
    "PressureUnit",
    "PulseRateRange",
    "SpO2PulseRate",
    "SpO2Reading",
    "TemperatureReading",
    "TemperatureType",
    "TemperatureUnit",
    "UnsupportedCharacteristicError",
    "WeightReading",
    "WeightUnit",
    "parse",
    "uuid16",
]

# ---------------------------------------------------------------- errors


class GattParseError(ValueError):
    """A characteristic value could not be turned into a reading."""


class UnsupportedCharacteristicError(GattParseError):
    """The UUID is not a characteristic this module parses (or not a UUID at all)."""


class MalformedPacketError(GattParseError):
    """The bytes do not follow the characteristic's format.

    The message names the characteristic and says what is wrong.
    """


# ---------------------------------------------------------------- characteristics

BLOOD_PRESSURE_MEASUREMENT: Final = 0x2A35
INTERMEDIATE_CUFF_PRESSURE: Final = 0x2A36
WEIGHT_MEASUREMENT: Final = 0x2A9D
TEMPERATURE_MEASUREMENT: Final = 0x2A1C
PLX_SPOT_CHECK_MEASUREMENT: Final = 0x2A5E
PLX_CONTINUOUS_MEASUREMENT: Final = 0x2A5F
GLUCOSE_MEASUREMENT: Final = 0x2A18

SUPPORTED_CHARACTERISTICS: Final[Mapping[int, str]] = {
    BLOOD_PRESSURE_MEASUREMENT: "Blood Pressure Measurement",
    INTERMEDIATE_CUFF_PRESSURE: "Intermediate Cuff Pressure",
    WEIGHT_MEASUREMENT: "Weight Measurement",
    TEMPERATURE_MEASUREMENT: "Temperature Measurement",
    PLX_SPOT_CHECK_MEASUREMENT: "PLX Spot-Check Measurement",
    PLX_CONTINUOUS_MEASUREMENT: "PLX Continuous Measurement",
    GLUCOSE_MEASUREMENT: "Glucose Measurement",
}
"""16-bit UUID → characteristic name, for every characteristic :func:`parse` accepts."""

UNKNOWN_USER_ID: Final = 0xFF
"""``user_id`` value meaning "unknown user"."""

GLUCOSE_MOLAR_MASS_G_PER_MOL: Final = Decimal("180.16")
"""Molar mass of glucose (C6H12O6, 180.156 g/mol) rounded as clinical practice does.

It gives the familiar factor 18.016 between mg/dL and mmol/L. Used for every kg/L ↔ mol/L
conversion in this module.
"""

_BLUETOOTH_BASE_UUID_SUFFIX: Final = "-0000-1000-8000-00805f9b34fb"
_HEX_DIGITS: Final = frozenset("0123456789abcdef")
# Decimal arithmetic here goes through this context, not the thread's current one, so results
# never depend on a caller's precision or rounding. Scaling is exact at this precision; only
# divisions (°F → °C, kg/L → mmol/L) round, to 28 significant digits.
_CONTEXT: Final = Context(prec=28)


def uuid16(uuid: str) -> int:
    """The 16-bit assigned number of a Bluetooth SIG UUID.

    Accepts ``"2A35"``, ``"0x2a35"`` and the full 128-bit form
    ``"00002a35-0000-1000-8000-00805f9b34fb"`` (any case, surrounding spaces ignored).
    Anything else raises :class:`UnsupportedCharacteristicError`.
    """
    text = uuid.strip().lower()
    if len(text) == 36:
        if not (text.startswith("0000") and text.endswith(_BLUETOOTH_BASE_UUID_SUFFIX)):
            raise UnsupportedCharacteristicError(
                f"{uuid!r} is not a Bluetooth SIG assigned-number UUID "
                f"(expected 0000xxxx{_BLUETOOTH_BASE_UUID_SUFFIX})"
            )
        text = text[4:8]
    elif text.startswith("0x"):
        text = text[2:]
    if len(text) != 4 or not set(text) <= _HEX_DIGITS:
        raise UnsupportedCharacteristicError(
            f"{uuid!r} is not a characteristic UUID: expected 4 hex digits such as '2A35', "
            "'0x2A35' or the 128-bit form '00002a35-0000-1000-8000-00805f9b34fb'"
        )
    return int(text, 16)


# ---------------------------------------------------------------- units and codes


class PressureUnit(enum.Enum):
    MMHG = "mmHg"
    KPA = "kPa"


class WeightUnit(enum.Enum):
    KG = "kg"
    LB = "lb"


class LengthUnit(enum.Enum):
    METRE = "m"
    INCH = "in"


class TemperatureUnit(enum.Enum):
    CELSIUS = "°C"
    FAHRENHEIT = "°F"


class GlucoseUnit(enum.Enum):
    """Glucose concentration unit *as sent on the wire*."""

    KG_PER_L = "kg/L"
    MOL_PER_L = "mol/L"


class PulseRateRange(enum.Enum):
    """Blood pressure status bits 3–4: pulse rate against the device's limits."""

    WITHIN_RANGE = 0
    EXCEEDS_UPPER_LIMIT = 1
    BELOW_LOWER_LIMIT = 2


class TemperatureType(enum.IntEnum):
    """Temperature Type (0x2A1D): where on the body the temperature was taken."""

    ARMPIT = 1
    BODY = 2
    EAR = 3  # usually the ear lobe
    FINGER = 4
    GASTROINTESTINAL_TRACT = 5
    MOUTH = 6
    RECTUM = 7
    TOE = 8
    TYMPANUM = 9  # ear drum


class GlucoseSampleType(enum.IntEnum):
    """Glucose Measurement Type nibble: what fluid was measured."""

    CAPILLARY_WHOLE_BLOOD = 1
    CAPILLARY_PLASMA = 2
    VENOUS_WHOLE_BLOOD = 3
    VENOUS_PLASMA = 4
    ARTERIAL_WHOLE_BLOOD = 5
    ARTERIAL_PLASMA = 6
    UNDETERMINED_WHOLE_BLOOD = 7
    UNDETERMINED_PLASMA = 8
    INTERSTITIAL_FLUID = 9
    CONTROL_SOLUTION = 10


class GlucoseSampleLocation(enum.IntEnum):
    """Glucose Measurement Sample Location nibble."""

    FINGER = 1
    ALTERNATE_SITE_TEST = 2
    EARLOBE = 3
    CONTROL_SOLUTION = 4
    NOT_AVAILABLE = 15


class GlucoseSensorStatus(enum.IntFlag):
    """Glucose Sensor Status Annunciation (16 bits; bits 12–15 reserved, kept if set)."""

    DEVICE_BATTERY_LOW = 1 << 0
    SENSOR_MALFUNCTION = 1 << 1
    SAMPLE_SIZE_INSUFFICIENT = 1 << 2
    STRIP_INSERTION_ERROR = 1 << 3
    STRIP_TYPE_INCORRECT = 1 << 4
    RESULT_TOO_HIGH = 1 << 5
    RESULT_TOO_LOW = 1 << 6
    TEMPERATURE_TOO_HIGH = 1 << 7
    TEMPERATURE_TOO_LOW = 1 << 8
    STRIP_PULLED_TOO_SOON = 1 << 9
    GENERAL_DEVICE_FAULT = 1 << 10
    TIME_FAULT = 1 << 11


class PlxMeasurementStatus(enum.IntFlag):
    """PLX Measurement Status (16 bits; bits 0–4 reserved, kept if set)."""

    MEASUREMENT_ONGOING = 1 << 5
    EARLY_ESTIMATED_DATA = 1 << 6
    VALIDATED_DATA = 1 << 7
    FULLY_QUALIFIED_DATA = 1 << 8
    DATA_FROM_MEASUREMENT_STORAGE = 1 << 9
    DATA_FOR_DEMONSTRATION = 1 << 10
    DATA_FOR_TESTING = 1 << 11
    CALIBRATION_ONGOING = 1 << 12
    MEASUREMENT_UNAVAILABLE = 1 << 13
    QUESTIONABLE_MEASUREMENT = 1 << 14
    INVALID_MEASUREMENT = 1 << 15


class PlxDeviceSensorStatus(enum.IntFlag):
    """PLX Device and Sensor Status (24 bits; bits 16–23 reserved, kept if set)."""

    EXTENDED_DISPLAY_UPDATE_ONGOING = 1 << 0
    EQUIPMENT_MALFUNCTION = 1 << 1
    SIGNAL_PROCESSING_IRREGULARITY = 1 << 2
    INADEQUATE_SIGNAL = 1 << 3
    POOR_SIGNAL = 1 << 4
    LOW_PERFUSION = 1 << 5
    ERRATIC_SIGNAL = 1 << 6
    NONPULSATILE_SIGNAL = 1 << 7
    QUESTIONABLE_PULSE = 1 << 8
    SIGNAL_ANALYSIS_ONGOING = 1 << 9
    SENSOR_INTERFERENCE = 1 << 10
    SENSOR_UNCONNECTED_TO_USER = 1 << 11
    UNKNOWN_SENSOR_CONNECTED = 1 << 12
    SENSOR_DISPLACED = 1 << 13
    SENSOR_MALFUNCTIONING = 1 << 14
    SENSOR_DISCONNECTED = 1 << 15


# ---------------------------------------------------------------- readings


@dataclass(frozen=True, slots=True)
class BloodPressureStatus:
    """Blood Pressure Measurement Status (16 bits; bits 6–15 reserved, kept in ``raw``)."""

    body_movement: bool
    cuff_too_loose: bool
    irregular_pulse: bool
    pulse_rate_range: PulseRateRange
    improper_measurement_position: bool
    raw: int


@dataclass(frozen=True, slots=True)
class BloodPressureReading:
    """A Blood Pressure Measurement, or an Intermediate Cuff Pressure if ``intermediate``.

    For an intermediate reading ``systolic`` holds the current cuff pressure (see
    :attr:`cuff_pressure`); ``diastolic`` and ``mean_arterial`` are unused and devices send
    NaN there. ``pulse_rate`` is in beats per minute.
    """

    systolic: MeasuredValue
    diastolic: MeasuredValue
    mean_arterial: MeasuredValue
    unit: PressureUnit
    timestamp: datetime | None
    pulse_rate: MeasuredValue | None
    user_id: int | None
    status: BloodPressureStatus | None
    intermediate: bool

    @property
    def cuff_pressure(self) -> MeasuredValue:
        """The current cuff pressure of an intermediate reading (the systolic field)."""
        return self.systolic


@dataclass(frozen=True, slots=True)
class WeightReading:
    """A Weight Measurement.

    ``weight`` is ``None`` when the scale reports "measurement unsuccessful" (0xFFFF).
    ``resolution`` is the weight step of one unit on the wire: 0.005 kg or 0.01 lb.
    ``height`` is in metres (SI) or inches (imperial), ``bmi`` in kg/m².
    """

    weight: Decimal | None
    unit: WeightUnit
    resolution: Decimal
    timestamp: datetime | None
    user_id: int | None
    bmi: Decimal | None
    height: Decimal | None
    height_unit: LengthUnit

    @property
    def measurement_unsuccessful(self) -> bool:
        return self.weight is None

    @property
    def weight_kg(self) -> Decimal | None:
        """Weight in kilograms (1 lb = 0.45359237 kg exactly)."""
        if self.weight is None or self.unit is WeightUnit.KG:
            return self.weight
        return _CONTEXT.multiply(self.weight, _KG_PER_LB)

    @property
    def height_m(self) -> Decimal | None:
        """Height in metres (1 in = 0.0254 m exactly)."""
        if self.height is None or self.height_unit is LengthUnit.METRE:
            return self.height
        return _CONTEXT.multiply(self.height, _M_PER_INCH)


@dataclass(frozen=True, slots=True)
class TemperatureReading:
    """A Temperature Measurement."""

    value: MeasuredValue
    unit: TemperatureUnit
    timestamp: datetime | None
    temperature_type: TemperatureType | None

    @property
    def celsius(self) -> MeasuredValue:
        """The temperature in °C (special values pass through unchanged)."""
        if isinstance(self.value, SpecialValue) or self.unit is TemperatureUnit.CELSIUS:
            return self.value
        above_freezing = _CONTEXT.subtract(self.value, Decimal(32))
        return _CONTEXT.divide(_CONTEXT.multiply(above_freezing, Decimal(5)), Decimal(9))


@dataclass(frozen=True, slots=True)
class SpO2PulseRate:
    """An SpO2 (percent) and pulse rate (beats per minute) pair."""

    spo2: MeasuredValue
    pulse_rate: MeasuredValue


@dataclass(frozen=True, slots=True)
class SpO2Reading:
    """A PLX Spot-Check Measurement, or a PLX Continuous Measurement if ``continuous``.

    ``spo2`` is in percent and ``pulse_rate`` in beats per minute (for a continuous
    measurement these are the "normal" averaging values; ``fast`` and ``slow`` are the
    optional other averaging times). ``timestamp`` and ``device_clock_not_set`` exist only
    in spot-check measurements. ``pulse_amplitude_index`` is in percent.
    """

    spo2: MeasuredValue
    pulse_rate: MeasuredValue
    continuous: bool
    timestamp: datetime | None
    device_clock_not_set: bool
    measurement_status: PlxMeasurementStatus | None
    device_and_sensor_status: PlxDeviceSensorStatus | None
    pulse_amplitude_index: MeasuredValue | None
    fast: SpO2PulseRate | None
    slow: SpO2PulseRate | None


@dataclass(frozen=True, slots=True)
class GlucoseReading:
    """A Glucose Measurement.

    ``concentration`` is in ``unit`` exactly as the meter sent it (kg/L or mol/L); use
    :attr:`mmol_per_l` or :attr:`mg_per_dl` to show it. ``concentration``, ``unit``,
    ``sample_type`` and ``sample_location`` are ``None`` when the meter did not include them.
    The time of measurement is ``base_time`` plus ``time_offset_min`` minutes
    (:attr:`measured_at`). If ``context_information_follows``, a Glucose Measurement
    Context with the same sequence number comes next.
    """

    sequence_number: int
    base_time: datetime | None
    time_offset_min: int | None
    concentration: MeasuredValue | None
    unit: GlucoseUnit | None
    sample_type: GlucoseSampleType | None
    sample_location: GlucoseSampleLocation | None
    sensor_status: GlucoseSensorStatus | None
    context_information_follows: bool

    @property
    def measured_at(self) -> datetime | None:
        if self.base_time is None:
            return None
        return self.base_time + timedelta(minutes=self.time_offset_min or 0)

    @property
    def mmol_per_l(self) -> MeasuredValue | None:
        """Concentration in mmol/L.

        mol/L × 1000 (exact); kg/L × 10⁶ mg/L ÷ 180.16 mg/mmol (28 significant digits).
        """
        value = self.concentration
        if value is None or isinstance(value, SpecialValue):
            return value
        if self.unit is GlucoseUnit.MOL_PER_L:
            return value.scaleb(3, _CONTEXT)  # keeps the meter's digits: 0.0056 → 5.6
        milligrams_per_litre = _CONTEXT.multiply(value, Decimal(1_000_000))
        return _CONTEXT.divide(milligrams_per_litre, GLUCOSE_MOLAR_MASS_G_PER_MOL)

    @property
    def mg_per_dl(self) -> MeasuredValue | None:
        """Concentration in mg/dL.

        kg/L × 100 000; mol/L × 180.16 g/mol × 100 (g/L → mg/dL). Both exact.
        """
        value = self.concentration
        if value is None or isinstance(value, SpecialValue):
            return value
        if self.unit is GlucoseUnit.KG_PER_L:
            return value.scaleb(5, _CONTEXT)  # keeps the meter's digits: 0.00120 → 120
        grams_per_litre = _CONTEXT.multiply(value, GLUCOSE_MOLAR_MASS_G_PER_MOL)
        return _CONTEXT.multiply(grams_per_litre, Decimal(100))


HealthReading: TypeAlias = (
    BloodPressureReading | WeightReading | TemperatureReading | SpO2Reading | GlucoseReading
)

_KG_PER_LB: Final = Decimal("0.45359237")
_M_PER_INCH: Final = Decimal("0.0254")
_KG_RESOLUTION: Final = Decimal("0.005")
_LB_RESOLUTION: Final = Decimal("0.01")
_M_RESOLUTION: Final = Decimal("0.001")
_INCH_RESOLUTION: Final = Decimal("0.1")
_BMI_RESOLUTION: Final = Decimal("0.1")
_WEIGHT_UNSUCCESSFUL: Final = 0xFFFF

_E = TypeVar("_E", bound=enum.Enum)

# ---------------------------------------------------------------- byte reader


class _Reader:
    """Walks a packet field by field, raising :class:`MalformedPacketError` with context."""

    __slots__ = ("_data", "_label", "_pos")

    def __init__(self, label: str, data: bytes) -> None:
        self._label = label
        self._data = data
        self._pos = 0

    def error(self, problem: str) -> MalformedPacketError:
        return MalformedPacketError(f"{self._label}: {problem}")

    def take(self, size: int, field: str) -> bytes:
        end = self._pos + size
        if end > len(self._data):
            left = len(self._data) - self._pos
            raise self.error(
                f"packet too short: {field} needs {size} byte(s) at offset {self._pos} "
                f"but only {left} remain (packet is {len(self._data)} bytes)"
            )
        chunk = self._data[self._pos : end]
        self._pos = end
        return chunk

    def uint(self, size: int, field: str) -> int:
        return int.from_bytes(self.take(size, field), "little")

    def sint16(self, field: str) -> int:
        return int.from_bytes(self.take(2, field), "little", signed=True)

    def sfloat(self, field: str) -> MeasuredValue:
        return decode_sfloat(self.uint(2, field))

    def float32(self, field: str) -> MeasuredValue:
        return decode_float(self.uint(4, field))

    def flags(self, defined: int) -> int:
        """Read the flags byte; any bit outside ``defined`` is reserved and rejected."""
        flags = self.uint(1, "Flags")
        reserved = flags & ~defined & 0xFF
        if reserved:
            raise self.error(
                f"reserved flag bit(s) 0x{reserved:02X} set in flags 0x{flags:02X}; "
                "the rest of the packet cannot be interpreted"
            )
        return flags

    def date_time(self, field: str) -> datetime | None:
        """A 7-byte Date Time; ``None`` if year, month or day is 0 ("not known")."""
        offset = self._pos
        raw = self.take(7, field)
        year = int.from_bytes(raw[0:2], "little")
        month, day, hours, minutes, seconds = raw[2], raw[3], raw[4], raw[5], raw[6]
        problems = []
        if year != 0 and not 1582 <= year <= 9999:
            problems.append(f"year {year} (1582..9999 or 0)")
        if month > 12:
            problems.append(f"month {month} (1..12 or 0)")
        if day > 31:
            problems.append(f"day {day} (1..31 or 0)")
        if hours > 23:
            problems.append(f"hours {hours} (0..23)")
        if minutes > 59:
            problems.append(f"minutes {minutes} (0..59)")
        if seconds > 59:
            problems.append(f"seconds {seconds} (0..59)")
        if problems:
            raise self.error(f"{field} at offset {offset} is invalid: " + ", ".join(problems))
        if year == 0 or month == 0 or day == 0:
            return None
        try:
            # Naive on purpose: Date Time carries no zone; it is the device's wall clock.
            return datetime(year, month, day, hours, minutes, seconds)
        except ValueError:
            raise self.error(
                f"{field} at offset {offset} is invalid: "
                f"{year:04d}-{month:02d}-{day:02d} is not a calendar date"
            ) from None

    def code(self, kind: type[_E], value: int, field: str) -> _E:
        """``kind(value)``, or a clear error if ``value`` is a reserved code."""
        try:
            return kind(value)
        except ValueError:
            raise self.error(f"{field} {value} is a reserved value") from None

    def finish(self) -> None:
        extra = len(self._data) - self._pos
        if extra:
            raise self.error(
                f"packet too long: {extra} unexpected trailing byte(s) after the last field "
                f"(the flags describe {self._pos} bytes, packet is {len(self._data)} bytes)"
            )


# ---------------------------------------------------------------- Blood Pressure (BLS)

_BP_UNITS_KPA: Final = 0x01
_BP_TIME_STAMP: Final = 0x02
_BP_PULSE_RATE: Final = 0x04
_BP_USER_ID: Final = 0x08
_BP_STATUS: Final = 0x10


def _blood_pressure_status(reader: _Reader, raw: int) -> BloodPressureStatus:
    return BloodPressureStatus(
        body_movement=bool(raw & 0x0001),
        cuff_too_loose=bool(raw & 0x0002),
        irregular_pulse=bool(raw & 0x0004),
        pulse_rate_range=reader.code(
            PulseRateRange, (raw >> 3) & 0b11, "Measurement Status pulse rate range"
        ),
        improper_measurement_position=bool(raw & 0x0020),
        raw=raw,
    )


def _parse_blood_pressure(reader: _Reader, *, intermediate: bool) -> BloodPressureReading:
    flags = reader.flags(0x1F)
    systolic = reader.sfloat("Current Cuff Pressure" if intermediate else "Systolic")
    diastolic = reader.sfloat("Diastolic")
    mean_arterial = reader.sfloat("Mean Arterial Pressure")
    timestamp = reader.date_time("Time Stamp") if flags & _BP_TIME_STAMP else None
    pulse_rate = reader.sfloat("Pulse Rate") if flags & _BP_PULSE_RATE else None
    user_id = reader.uint(1, "User ID") if flags & _BP_USER_ID else None
    status = (
        _blood_pressure_status(reader, reader.uint(2, "Measurement Status"))
        if flags & _BP_STATUS
        else None
    )
    return BloodPressureReading(
        systolic=systolic,
        diastolic=diastolic,
        mean_arterial=mean_arterial,
        unit=PressureUnit.KPA if flags & _BP_UNITS_KPA else PressureUnit.MMHG,
        timestamp=timestamp,
        pulse_rate=pulse_rate,
        user_id=user_id,
        status=status,
        intermediate=intermediate,
    )


def _parse_blood_pressure_measurement(reader: _Reader) -> BloodPressureReading:
    return _parse_blood_pressure(reader, intermediate=False)


def _parse_intermediate_cuff_pressure(reader: _Reader) -> BloodPressureReading:
    return _parse_blood_pressure(reader, intermediate=True)


# ---------------------------------------------------------------- Weight Scale (WSS)

_WEIGHT_IMPERIAL: Final = 0x01
_WEIGHT_TIME_STAMP: Final = 0x02
_WEIGHT_USER_ID: Final = 0x04
_WEIGHT_BMI_AND_HEIGHT: Final = 0x08


def _scaled(raw: int, resolution: Decimal) -> Decimal:
    return _CONTEXT.multiply(Decimal(raw), resolution)


def _parse_weight(reader: _Reader) -> WeightReading:
    flags = reader.flags(0x0F)
    imperial = bool(flags & _WEIGHT_IMPERIAL)
    resolution = _LB_RESOLUTION if imperial else _KG_RESOLUTION
    raw_weight = reader.uint(2, "Weight")
    timestamp = reader.date_time("Time Stamp") if flags & _WEIGHT_TIME_STAMP else None
    user_id = reader.uint(1, "User ID") if flags & _WEIGHT_USER_ID else None
    bmi: Decimal | None = None
    height: Decimal | None = None
    if flags & _WEIGHT_BMI_AND_HEIGHT:
        bmi = _scaled(reader.uint(2, "BMI"), _BMI_RESOLUTION)
        height_resolution = _INCH_RESOLUTION if imperial else _M_RESOLUTION
        height = _scaled(reader.uint(2, "Height"), height_resolution)
    return WeightReading(
        weight=None if raw_weight == _WEIGHT_UNSUCCESSFUL else _scaled(raw_weight, resolution),
        unit=WeightUnit.LB if imperial else WeightUnit.KG,
        resolution=resolution,
        timestamp=timestamp,
        user_id=user_id,
        bmi=bmi,
        height=height,
        height_unit=LengthUnit.INCH if imperial else LengthUnit.METRE,
    )


# ---------------------------------------------------------------- Health Thermometer (HTS)

_TEMPERATURE_FAHRENHEIT: Final = 0x01
_TEMPERATURE_TIME_STAMP: Final = 0x02
_TEMPERATURE_TYPE: Final = 0x04


def _parse_temperature(reader: _Reader) -> TemperatureReading:
    flags = reader.flags(0x07)
    value = reader.float32("Temperature Measurement Value")
    timestamp = reader.date_time("Time Stamp") if flags & _TEMPERATURE_TIME_STAMP else None
    temperature_type = (
        reader.code(TemperatureType, reader.uint(1, "Temperature Type"), "Temperature Type")
        if flags & _TEMPERATURE_TYPE
        else None
    )
    return TemperatureReading(
        value=value,
        unit=(
            TemperatureUnit.FAHRENHEIT
            if flags & _TEMPERATURE_FAHRENHEIT
            else TemperatureUnit.CELSIUS
        ),
        timestamp=timestamp,
        temperature_type=temperature_type,
    )


# ---------------------------------------------------------------- Pulse Oximeter (PLXS)

_SPOT_TIME_STAMP: Final = 0x01
_SPOT_MEASUREMENT_STATUS: Final = 0x02
_SPOT_DEVICE_SENSOR_STATUS: Final = 0x04
_SPOT_PULSE_AMPLITUDE_INDEX: Final = 0x08
_SPOT_DEVICE_CLOCK_NOT_SET: Final = 0x10

_CONTINUOUS_FAST: Final = 0x01
_CONTINUOUS_SLOW: Final = 0x02
_CONTINUOUS_MEASUREMENT_STATUS: Final = 0x04
_CONTINUOUS_DEVICE_SENSOR_STATUS: Final = 0x08
_CONTINUOUS_PULSE_AMPLITUDE_INDEX: Final = 0x10


def _spo2_pulse_rate(reader: _Reader, name: str) -> SpO2PulseRate:
    spo2 = reader.sfloat(f"{name} SpO2")
    return SpO2PulseRate(spo2=spo2, pulse_rate=reader.sfloat(f"{name} PR"))


def _plx_measurement_status(reader: _Reader) -> PlxMeasurementStatus:
    return PlxMeasurementStatus(reader.uint(2, "Measurement Status"))


def _plx_device_sensor_status(reader: _Reader) -> PlxDeviceSensorStatus:
    return PlxDeviceSensorStatus(reader.uint(3, "Device and Sensor Status"))


def _parse_plx_spot_check(reader: _Reader) -> SpO2Reading:
    flags = reader.flags(0x1F)
    normal = _spo2_pulse_rate(reader, "SpO2PR-Spot-Check")
    timestamp = reader.date_time("Timestamp") if flags & _SPOT_TIME_STAMP else None
    measurement_status = (
        _plx_measurement_status(reader) if flags & _SPOT_MEASUREMENT_STATUS else None
    )
    device_and_sensor_status = (
        _plx_device_sensor_status(reader) if flags & _SPOT_DEVICE_SENSOR_STATUS else None
    )
    pulse_amplitude_index = (
        reader.sfloat("Pulse Amplitude Index") if flags & _SPOT_PULSE_AMPLITUDE_INDEX else None
    )
    return SpO2Reading(
        spo2=normal.spo2,
        pulse_rate=normal.pulse_rate,
        continuous=False,
        timestamp=timestamp,
        device_clock_not_set=bool(flags & _SPOT_DEVICE_CLOCK_NOT_SET),
        measurement_status=measurement_status,
        device_and_sensor_status=device_and_sensor_status,
        pulse_amplitude_index=pulse_amplitude_index,
        fast=None,
        slow=None,
    )


def _parse_plx_continuous(reader: _Reader) -> SpO2Reading:
    flags = reader.flags(0x1F)
    normal = _spo2_pulse_rate(reader, "SpO2PR-Normal")
    fast = _spo2_pulse_rate(reader, "SpO2PR-Fast") if flags & _CONTINUOUS_FAST else None
    slow = _spo2_pulse_rate(reader, "SpO2PR-Slow") if flags & _CONTINUOUS_SLOW else None
    measurement_status = (
        _plx_measurement_status(reader) if flags & _CONTINUOUS_MEASUREMENT_STATUS else None
    )
    device_and_sensor_status = (
        _plx_device_sensor_status(reader) if flags & _CONTINUOUS_DEVICE_SENSOR_STATUS else None
    )
    pulse_amplitude_index = (
        reader.sfloat("Pulse Amplitude Index")
        if flags & _CONTINUOUS_PULSE_AMPLITUDE_INDEX
        else None
    )
    return SpO2Reading(
        spo2=normal.spo2,
        pulse_rate=normal.pulse_rate,
        continuous=True,
        timestamp=None,
        device_clock_not_set=False,
        measurement_status=measurement_status,
        device_and_sensor_status=device_and_sensor_status,
        pulse_amplitude_index=pulse_amplitude_index,
        fast=fast,
        slow=slow,
    )


# ---------------------------------------------------------------- Glucose (GLS)

_GLUCOSE_TIME_OFFSET: Final = 0x01
_GLUCOSE_CONCENTRATION: Final = 0x02
_GLUCOSE_UNITS_MOL_PER_L: Final = 0x04
_GLUCOSE_SENSOR_STATUS: Final = 0x08
_GLUCOSE_CONTEXT_FOLLOWS: Final = 0x10


def _parse_glucose(reader: _Reader) -> GlucoseReading:
    flags = reader.flags(0x1F)
    sequence_number = reader.uint(2, "Sequence Number")
    base_time = reader.date_time("Base Time")
    time_offset = reader.sint16("Time Offset") if flags & _GLUCOSE_TIME_OFFSET else None
    concentration: MeasuredValue | None = None
    unit: GlucoseUnit | None = None
    sample_type: GlucoseSampleType | None = None
    sample_location: GlucoseSampleLocation | None = None
    if flags & _GLUCOSE_CONCENTRATION:
        concentration = reader.sfloat("Glucose Concentration")
        unit = GlucoseUnit.MOL_PER_L if flags & _GLUCOSE_UNITS_MOL_PER_L else GlucoseUnit.KG_PER_L
        type_and_location = reader.uint(1, "Type-Sample Location")
        # Type is the least significant nibble, Sample Location the most significant.
        sample_type = reader.code(GlucoseSampleType, type_and_location & 0x0F, "Type")
        sample_location = reader.code(
            GlucoseSampleLocation, type_and_location >> 4, "Sample Location"
        )
    sensor_status = (
        GlucoseSensorStatus(reader.uint(2, "Sensor Status Annunciation"))
        if flags & _GLUCOSE_SENSOR_STATUS
        else None
    )
    return GlucoseReading(
        sequence_number=sequence_number,
        base_time=base_time,
        time_offset_min=time_offset,
        concentration=concentration,
        unit=unit,
        sample_type=sample_type,
        sample_location=sample_location,
        sensor_status=sensor_status,
        context_information_follows=bool(flags & _GLUCOSE_CONTEXT_FOLLOWS),
    )


# ---------------------------------------------------------------- entry point

_PARSERS: Final[dict[int, Callable[[_Reader], HealthReading]]] = {
    BLOOD_PRESSURE_MEASUREMENT: _parse_blood_pressure_measurement,
    INTERMEDIATE_CUFF_PRESSURE: _parse_intermediate_cuff_pressure,
    WEIGHT_MEASUREMENT: _parse_weight,
    TEMPERATURE_MEASUREMENT: _parse_temperature,
    PLX_SPOT_CHECK_MEASUREMENT: _parse_plx_spot_check,
    PLX_CONTINUOUS_MEASUREMENT: _parse_plx_continuous,
    GLUCOSE_MEASUREMENT: _parse_glucose,
}


def parse(uuid: str, data: bytes | bytearray | memoryview) -> HealthReading:
    """Parse one value of a supported health characteristic.

    ``uuid`` may be ``"2A35"``, ``"0x2a35"`` or ``"00002a35-0000-1000-8000-00805f9b34fb"``.
    ``data`` is the characteristic value exactly as received (bleak hands over a
    ``bytearray``).

    Raises :class:`UnsupportedCharacteristicError` for any other UUID and
    :class:`MalformedPacketError` for a packet that does not follow the format; both are
    :class:`GattParseError`, a :class:`ValueError`. Nothing else escapes for any input
    bytes.
    """
    number = uuid16(uuid)
    parser = _PARSERS.get(number)
    if parser is None:
        supported = ", ".join(
            f"0x{key:04X} {name}" for key, name in sorted(SUPPORTED_CHARACTERISTICS.items())
        )
        raise UnsupportedCharacteristicError(
            f"no parser for characteristic 0x{number:04X}; supported: {supported}"
        )
    reader = _Reader(f"{SUPPORTED_CHARACTERISTICS[number]} (0x{number:04X})", bytes(data))
    reading = parser(reader)
    reader.finish()
    return reading
