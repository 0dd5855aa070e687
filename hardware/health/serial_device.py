"""Health devices on a serial line (RS-232, USB-serial) that print one reading per line.

Many blood pressure monitors, scales and thermometers sold for clinics have a serial output
that writes a text line per measurement, each model in its own format. A
:class:`LineProtocol` describes that format — a regular expression with named groups, or a
CSV field map — and :class:`SerialHealthMonitor` reads lines on its own thread and turns
them into the same typed readings the Bluetooth back-end produces
(:mod:`hardware.health.gatt`).

Field names (regex group names or CSV column names):

==================  ==========================================================================
kind                fields (* required)
==================  ==========================================================================
blood_pressure      systolic*, diastolic*, pulse, mean_arterial — unit mmHg or kPa
weight              weight*, height, bmi — unit kg, lb or jin (斤, converted to kg); height in
                    metres (inches with lb), bmi in kg/m²
thermometer         temperature* — unit C / °C / ℃ or F / °F / ℉
pulse_oximeter      spo2* (percent), pulse — no unit needed
glucose             glucose* — unit mmol/L or mg/dL
==================  ==========================================================================

Units are never guessed: every kind but the pulse oximeter needs either a ``unit`` field in
the line or a fixed ``unit`` in the protocol (mg/dL read as mmol/L would be a dangerous
mistake). Values outside a generous plausible range (e.g. systolic 20–300 mmHg, temperature
20–50 °C) make the line garbage: they come from line noise, not from people.

Garbage lines — no match, wrong column count, a number that is not one, an unknown unit,
an implausible value, a line longer than ``max_line_bytes`` — are skipped and counted
(:attr:`SerialHealthMonitor.garbage_lines`); the log gives the reason, never the line
(it may hold health data). Empty lines are ignored.

Status: UNKNOWN before start, while opening and while the port is open but no reading has
arrived yet (an open port proves only that the adapter is there); READY after a reading;
OFFLINE when the port cannot be opened or vanishes (it is reopened with backoff); ERROR if
pyserial is missing or the port may not be opened (permission).

NOTE: Qt-free zone.
"""

from __future__ import annotations

import errno
import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Protocol

from hardware.health._common import Backoff, HealthKind, StatusReporter, check_kind, deliver
from hardware.health.gatt import (
    BloodPressureReading,
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
from hardware.protocols import DeviceState, DeviceStatus, StateCallback

__all__ = [
    "FIELDS",
    "LineError",
    "LineProtocol",
    "SerialHealthMonitor",
    "SerialPort",
    "parse_line_fields",
]

_log = logging.getLogger(__name__)

FIELDS: Final = frozenset(
    {
        "systolic",
        "diastolic",
        "mean_arterial",
        "pulse",
        "weight",
        "height",
        "bmi",
        "temperature",
        "spo2",
        "glucose",
        "unit",
    }
)
"""Every field name a protocol may use."""

_REQUIRED: Final[Mapping[HealthKind, frozenset[str]]] = {
    "blood_pressure": frozenset({"systolic", "diastolic"}),
    "weight": frozenset({"weight"}),
    "thermometer": frozenset({"temperature"}),
    "pulse_oximeter": frozenset({"spo2"}),
    "glucose": frozenset({"glucose"}),
}
_ALLOWED: Final[Mapping[HealthKind, frozenset[str]]] = {
    "blood_pressure": frozenset({"systolic", "diastolic", "mean_arterial", "pulse", "unit"}),
    "weight": frozenset({"weight", "height", "bmi", "unit"}),
    "thermometer": frozenset({"temperature", "unit"}),
    "pulse_oximeter": frozenset({"spo2", "pulse", "unit"}),
    "glucose": frozenset({"glucose", "unit"}),
}

# Unit spellings (compared case-insensitively, spaces removed) → canonical name.
_UNITS: Final[Mapping[HealthKind, Mapping[str, str]]] = {
    "blood_pressure": {"mmhg": "mmHg", "kpa": "kPa"},
    "weight": {"kg": "kg", "lb": "lb", "lbs": "lb", "jin": "jin", "斤": "jin"},
    "thermometer": {
        "c": "C",
        "°c": "C",
        "℃": "C",
        "degc": "C",
        "f": "F",
        "°f": "F",
        "℉": "F",
        "degf": "F",
    },
    "pulse_oximeter": {"%": "%"},
    "glucose": {"mmol/l": "mmol/L", "mg/dl": "mg/dL"},
}

_MMHG_PER_KPA: Final = Decimal("7.50062")
_KG_PER_LB: Final = Decimal("0.45359237")
_KG_PER_JIN: Final = Decimal("0.5")
_NAN: Final = SpecialValue.NAN


class LineError(ValueError):
    """A line is garbage; the message says why (without the line's content)."""


@dataclass(frozen=True, slots=True)
class LineProtocol:
    """How a device writes its lines.

    Give either ``pattern`` — a regular expression with named groups from :data:`FIELDS`,
    matched against the whole line (surrounding spaces stripped) — or ``fields`` — the CSV
    columns in order, ``""`` for a column to ignore; a line must have exactly that many
    columns, split on ``delimiter``. ``unit`` fixes the unit when the line has no ``unit``
    field. ``line_ending`` is what ends a line on the wire (``"\\r\\n"``, ``"\\n"``,
    ``"\\r"``, ``"\\x03"`` …); lines are decoded with ``encoding``.

    Example, for a monitor that writes ``SYS:128 DIA:82 PUL:71 mmHg``::

        LineProtocol(pattern=r"SYS:(?P<systolic>\\d+) DIA:(?P<diastolic>\\d+) "
                             r"PUL:(?P<pulse>\\d+) (?P<unit>mmHg|kPa)")
    """

    pattern: str | None = None
    fields: tuple[str, ...] = ()
    delimiter: str = ","
    unit: str | None = None
    line_ending: str = "\r\n"
    encoding: str = "ascii"
    max_line_bytes: int = 256
    _regex: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if (self.pattern is None) == (not self.fields):
            raise ValueError("a line protocol needs either pattern or fields (not both)")
        if not self.line_ending:
            raise ValueError("line_ending must not be empty")
        if self.max_line_bytes < 1:
            raise ValueError("max_line_bytes must be positive")
        "".encode(self.encoding)  # LookupError for an unknown codec, now rather than later
        if self.pattern is not None:
            try:
                regex = re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"invalid line pattern: {exc}") from None
            names = set(regex.groupindex)
            object.__setattr__(self, "_regex", regex)
        else:
            if not self.delimiter:
                raise ValueError("delimiter must not be empty")
            named = [name for name in self.fields if name]
            if len(named) != len(set(named)):
                raise ValueError("a CSV field name appears twice")
            names = set(named)
        unknown = names - FIELDS
        if unknown:
            raise ValueError(
                f"unknown field(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(FIELDS))}"
            )

    @property
    def field_names(self) -> frozenset[str]:
        if self._regex is not None:
            return frozenset(self._regex.groupindex)
        return frozenset(name for name in self.fields if name)

    @property
    def ending_bytes(self) -> bytes:
        return self.line_ending.encode(self.encoding)

    def extract(self, line: str) -> dict[str, str]:
        """The line's fields as text (absent optional groups left out); LineError if none."""
        text = line.strip()
        if self._regex is not None:
            match = self._regex.fullmatch(text)
            if match is None:
                raise LineError("line does not match the pattern")
            return {k: v.strip() for k, v in match.groupdict().items() if v is not None}
        columns = text.split(self.delimiter)
        if len(columns) != len(self.fields):
            raise LineError(f"{len(columns)} columns, expected {len(self.fields)}")
        return {
            name: value.strip()
            for name, value in zip(self.fields, columns, strict=True)
            if name and value.strip()
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LineProtocol:
        """Build from a configuration table: ``pattern`` or ``csv`` (list of column names),
        and optionally ``delimiter``, ``unit``, ``line_ending``, ``encoding``,
        ``max_line_bytes``."""
        known = {"pattern", "csv", "delimiter", "unit", "line_ending", "encoding", "max_line_bytes"}
        unknown = set(config) - known
        if unknown:
            raise ValueError(f"unknown line protocol key(s): {', '.join(sorted(unknown))}")
        csv = config.get("csv", ())
        if isinstance(csv, str) or not all(isinstance(name, str) for name in csv):
            raise ValueError("csv must be a list of column names")
        return cls(
            pattern=config.get("pattern"),
            fields=tuple(csv),
            delimiter=str(config.get("delimiter", ",")),
            unit=config.get("unit"),
            line_ending=str(config.get("line_ending", "\r\n")),
            encoding=str(config.get("encoding", "ascii")),
            max_line_bytes=int(config.get("max_line_bytes", 256)),
        )


# ---------------------------------------------------------------- line → reading


def _number(fields: Mapping[str, str], name: str) -> Decimal | None:
    text = fields.get(name)
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise LineError(f"{name} is not a number") from None
    if not value.is_finite():
        raise LineError(f"{name} is not a finite number")
    return value


def _required(fields: Mapping[str, str], name: str) -> Decimal:
    value = _number(fields, name)
    if value is None:
        raise LineError(f"{name} is missing")
    return value


def _plausible(name: str, value: Decimal | None, low: str, high: str, factor: Decimal) -> None:
    """Reject ``value`` (converted by ``factor``) outside ``low``..``high``."""
    if value is not None and not Decimal(low) <= value * factor <= Decimal(high):
        raise LineError(f"{name} is outside the plausible range")


def _unit(kind: HealthKind, fields: Mapping[str, str], default: str | None) -> str:
    text = fields.get("unit", default)
    if text is None:
        if kind == "pulse_oximeter":
            return "%"
        raise LineError("no unit")
    unit = _UNITS[kind].get("".join(text.split()).lower())
    if unit is None:
        raise LineError(f"unit is not one of {', '.join(sorted(set(_UNITS[kind].values())))}")
    return unit


def parse_line_fields(
    kind: HealthKind, fields: Mapping[str, str], *, unit: str | None = None, sequence: int = 0
) -> HealthReading:
    """Turn extracted text fields into a typed reading; :class:`LineError` for garbage.

    ``unit`` is the protocol's fixed unit, used when ``fields`` has none. ``sequence`` is
    the glucose sequence number to give (serial meters do not send one).
    """
    one = Decimal(1)
    if kind == "blood_pressure":
        pressure_unit = _unit(kind, fields, unit)
        to_mmhg = _MMHG_PER_KPA if pressure_unit == "kPa" else one
        systolic = _required(fields, "systolic")
        diastolic = _required(fields, "diastolic")
        mean_arterial = _number(fields, "mean_arterial")
        pulse = _number(fields, "pulse")
        _plausible("systolic", systolic, "20", "300", to_mmhg)
        _plausible("diastolic", diastolic, "10", "250", to_mmhg)
        _plausible("mean arterial pressure", mean_arterial, "10", "300", to_mmhg)
        _plausible("pulse", pulse, "20", "300", one)
        return BloodPressureReading(
            systolic=systolic,
            diastolic=diastolic,
            mean_arterial=_NAN if mean_arterial is None else mean_arterial,
            unit=PressureUnit.KPA if pressure_unit == "kPa" else PressureUnit.MMHG,
            timestamp=None,
            pulse_rate=pulse,
            user_id=None,
            status=None,
            intermediate=False,
        )
    if kind == "weight":
        weight_unit = _unit(kind, fields, unit)
        weight = _required(fields, "weight")
        height = _number(fields, "height")
        bmi = _number(fields, "bmi")
        # The step of the number as written (65.4 → 0.1) is the scale's resolution.
        resolution = Decimal(1).scaleb(min(0, _exponent(weight)))
        if weight_unit == "jin":
            weight, resolution = weight * _KG_PER_JIN, resolution * _KG_PER_JIN
        imperial = weight_unit == "lb"
        _plausible("weight", weight, "0.1", "500", _KG_PER_LB if imperial else one)
        _plausible("height", height, "0.3", "2.8", Decimal("0.0254") if imperial else one)
        _plausible("BMI", bmi, "5", "150", one)
        return WeightReading(
            weight=weight,
            unit=WeightUnit.LB if imperial else WeightUnit.KG,
            resolution=resolution,
            timestamp=None,
            user_id=None,
            bmi=bmi,
            height=height,
            height_unit=LengthUnit.INCH if imperial else LengthUnit.METRE,
        )
    if kind == "thermometer":
        fahrenheit = _unit(kind, fields, unit) == "F"
        value = _required(fields, "temperature")
        celsius = (value - 32) * 5 / 9 if fahrenheit else value
        _plausible("temperature", celsius, "20", "50", one)
        return TemperatureReading(
            value=value,
            unit=TemperatureUnit.FAHRENHEIT if fahrenheit else TemperatureUnit.CELSIUS,
            timestamp=None,
            temperature_type=None,
        )
    if kind == "pulse_oximeter":
        _unit(kind, fields, unit)
        spo2 = _required(fields, "spo2")
        pulse = _number(fields, "pulse")
        _plausible("SpO2", spo2, "0", "100", one)
        _plausible("pulse", pulse, "20", "300", one)
        pulse_rate: MeasuredValue = _NAN if pulse is None else pulse
        return SpO2Reading(
            spo2=spo2,
            pulse_rate=pulse_rate,
            continuous=False,
            timestamp=None,
            device_clock_not_set=False,
            measurement_status=None,
            device_and_sensor_status=None,
            pulse_amplitude_index=None,
            fast=None,
            slow=None,
        )
    glucose_unit = _unit(kind, fields, unit)
    value = _required(fields, "glucose")
    mg_per_dl = glucose_unit == "mg/dL"
    _plausible("glucose", value, "0.5", "50", one / Decimal("18.016") if mg_per_dl else one)
    return GlucoseReading(
        sequence_number=sequence & 0xFFFF,
        base_time=None,
        time_offset_min=None,
        # On the wire of the Glucose profile: mg/dL → kg/L (÷ 100 000), mmol/L → mol/L.
        concentration=value.scaleb(-5) if mg_per_dl else value.scaleb(-3),
        unit=GlucoseUnit.KG_PER_L if mg_per_dl else GlucoseUnit.MOL_PER_L,
        sample_type=None,
        sample_location=None,
        sensor_status=None,
        context_information_follows=False,
    )


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


# ---------------------------------------------------------------- the port


class SerialPort(Protocol):
    """The part of a pyserial ``Serial`` the monitor uses."""

    def read(self, size: int = 1) -> bytes: ...

    def close(self) -> None: ...


SerialFactory = Callable[..., SerialPort]
"""``(port, baudrate=..., timeout=...) -> SerialPort``, like ``serial.serial_for_url``."""


class _PyserialMissingError(Exception):
    """pyserial is not installed."""


def _default_serial_factory(port: str, **kwargs: Any) -> SerialPort:
    try:
        import serial
    except ImportError as exc:
        raise _PyserialMissingError from exc
    opened: SerialPort = serial.serial_for_url(port, **kwargs)
    return opened


class SerialHealthMonitor:
    """:class:`~hardware.protocols.HealthMonitor` for a line-oriented serial device.

    ``port``: a device path (``/dev/ttyUSB0``, ``COM3``) or a pyserial URL (``loop://``,
    ``socket://host:port``). ``kind``: the device kind (decides the reading type and which
    fields the protocol must have). ``protocol``: a :class:`LineProtocol`. ``baudrate``:
    line speed (8N1). ``serial_factory``: opens the port, default
    ``serial.serial_for_url``. ``read_timeout_s``: how long one read blocks (bounds how
    fast :meth:`stop` returns). ``reopen_initial_s`` / ``reopen_max_s``: backoff between
    attempts to reopen a lost port.
    """

    def __init__(
        self,
        port: str,
        *,
        kind: HealthKind,
        protocol: LineProtocol,
        baudrate: int = 9600,
        serial_factory: SerialFactory | None = None,
        read_timeout_s: float = 0.2,
        reopen_initial_s: float = 1.0,
        reopen_max_s: float = 30.0,
    ) -> None:
        self.kind: HealthKind = check_kind(kind)
        names = protocol.field_names
        missing = _REQUIRED[self.kind] - names
        if missing:
            raise ValueError(f"a {kind} protocol needs field(s) {', '.join(sorted(missing))}")
        extra = names - _ALLOWED[self.kind]
        if extra:
            raise ValueError(f"field(s) {', '.join(sorted(extra))} do not belong to a {kind}")
        if protocol.unit is not None:
            _unit(self.kind, {}, protocol.unit)  # LineError (a ValueError) if unknown
        elif "unit" not in names and self.kind != "pulse_oximeter":
            raise ValueError(f"a {kind} protocol needs a unit field or a fixed unit")
        self.port = port
        self.protocol = protocol
        self.baudrate = baudrate
        self.read_timeout_s = read_timeout_s
        self._factory: SerialFactory = serial_factory or _default_serial_factory
        self._backoff = Backoff(reopen_initial_s, reopen_max_s)
        self._status = StatusReporter(DeviceStatus(DeviceState.UNKNOWN, "not started"))
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._serial: SerialPort | None = None
        self._on_reading: Callable[[Any], None] | None = None
        self._garbage = 0
        self._readings = 0

    # ---------------------------------------------------------------- HealthMonitor

    def start(self, on_reading: Callable[[Any], None], on_state: StateCallback) -> None:
        with self._lock:
            if self._thread is not None:
                raise RuntimeError("serial health monitor already started")
            self._on_reading = on_reading
            self._status.attach(on_state)
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._work, name=f"serial-health-{self.kind}", daemon=True
            )
            self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
            port = self._serial
        if thread is None:
            return
        self._stop.set()
        cancel = getattr(port, "cancel_read", None)
        if callable(cancel):
            try:
                cancel()
            except Exception as exc:  # the read times out soon anyway
                _log.debug("cancel_read failed: %s", type(exc).__name__)
        thread.join(timeout_s)
        if thread.is_alive():
            _log.warning("serial %s reader did not stop within %.1f s", self.kind, timeout_s)
        self._status.attach(None)
        self._on_reading = None
        self._status.set(DeviceState.UNKNOWN, "stopped")

    def status(self) -> DeviceStatus:
        return self._status.get()

    @property
    def garbage_lines(self) -> int:
        """How many non-empty lines were skipped as garbage."""
        with self._lock:
            return self._garbage

    # ---------------------------------------------------------------- reader thread

    def _work(self) -> None:
        self._status.set(DeviceState.UNKNOWN, "opening port")
        try:
            while not self._stop.is_set():
                port = self._open()
                if port is not None:
                    try:
                        self._read_lines(port)
                    finally:
                        self._close(port)
                if not self._stop.is_set():
                    self._stop.wait(self._backoff.next())
        except _PyserialMissingError:
            self._status.set(DeviceState.ERROR, "pyserial is not installed")
            return
        self._status.set(DeviceState.UNKNOWN, "stopped")

    def _open(self) -> SerialPort | None:
        try:
            port = self._factory(self.port, baudrate=self.baudrate, timeout=self.read_timeout_s)
        except _PyserialMissingError:
            raise
        except Exception as exc:
            name = type(exc).__name__
            if getattr(exc, "errno", None) in (errno.EACCES, errno.EPERM):
                changed = self._status.set(DeviceState.ERROR, f"permission denied ({name})")
            else:
                changed = self._status.set(DeviceState.OFFLINE, f"cannot open port ({name})")
            if changed:  # once per change, not on every retry
                _log.info("serial port open failed: %s", name)
            return None
        with self._lock:
            self._serial = port
        self._status.set(DeviceState.UNKNOWN, "port open; no reading yet")
        self._backoff.reset()
        return port

    def _close(self, port: SerialPort) -> None:
        with self._lock:
            self._serial = None
        try:
            port.close()
        except Exception as exc:
            _log.debug("serial port close failed: %s", type(exc).__name__)

    def _read_lines(self, port: SerialPort) -> None:
        ending = self.protocol.ending_bytes
        limit = self.protocol.max_line_bytes
        buffer = bytearray()
        discarding = False  # inside an overlong line: drop bytes up to the next ending
        while not self._stop.is_set():
            try:
                waiting = getattr(port, "in_waiting", 0)
                chunk = port.read(max(1, int(waiting)))
            except Exception as exc:
                name = type(exc).__name__
                _log.info("serial port lost: %s", name)
                if not self._stop.is_set():
                    self._status.set(DeviceState.OFFLINE, f"port lost ({name})")
                return
            if not chunk:
                continue
            buffer += chunk
            while (end := buffer.find(ending)) >= 0:
                line = bytes(buffer[:end])
                del buffer[: end + len(ending)]
                if discarding:
                    discarding = False
                    continue
                self._line(line)
            if len(buffer) > limit:
                # Keep a possible partial line ending at the tail.
                del buffer[: len(buffer) - (len(ending) - 1)]
                if not discarding:
                    discarding = True
                    self._garbage_line("line too long")

    def _line(self, raw: bytes) -> None:
        if len(raw) > self.protocol.max_line_bytes:
            self._garbage_line("line too long")
            return
        try:
            text = raw.decode(self.protocol.encoding)
        except UnicodeDecodeError:
            self._garbage_line(f"not {self.protocol.encoding} text")
            return
        if not text.strip():
            return
        try:
            fields = self.protocol.extract(text)
            with self._lock:
                sequence = self._readings + 1
            reading = parse_line_fields(
                self.kind, fields, unit=self.protocol.unit, sequence=sequence
            )
        except LineError as exc:
            self._garbage_line(str(exc))
            return
        with self._lock:
            self._readings += 1
        self._status.set(DeviceState.READY, "receiving")
        deliver(self._on_reading, reading, "on_reading")

    def _garbage_line(self, reason: str) -> None:
        with self._lock:
            self._garbage += 1
        _log.debug("serial %s: garbage line skipped (%s)", self.kind, reason)
