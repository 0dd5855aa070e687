"""``SerialHealthMonitor`` and ``LineProtocol``: line parsing, a real pty pair, ``loop://``.

The pty tests run twice: with pyserial opening the slave side (skipped if pyserial is not
installed) and with a minimal file-descriptor port, so the reader thread, line splitting and
port-loss handling are exercised even where pyserial is absent.
"""

from __future__ import annotations

import errno
import os
import select
import sys
import time
import tty
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from hardware.health._common import HealthKind
from hardware.health.gatt import (
    BloodPressureReading,
    GlucoseReading,
    GlucoseUnit,
    LengthUnit,
    PressureUnit,
    SpO2Reading,
    TemperatureReading,
    TemperatureUnit,
    WeightReading,
    WeightUnit,
)
from hardware.health.serial_device import (
    LineError,
    LineProtocol,
    SerialHealthMonitor,
    SerialPort,
    parse_line_fields,
)
from hardware.health.sfloat import SpecialValue
from hardware.protocols import DeviceState, HealthMonitor
from tests.unit.hardware.health.recorder import Recorder, wait_until

BP_REGEX = LineProtocol(
    pattern=r"SYS:(?P<systolic>\d+) DIA:(?P<diastolic>\d+) PUL:(?P<pulse>\d+) (?P<unit>\S+)"
)
BP_CSV = LineProtocol(fields=("systolic", "diastolic", "pulse", ""), unit="mmHg")


# ---------------------------------------------------------------- protocol configuration


def test_protocol_needs_exactly_one_of_pattern_and_fields() -> None:
    with pytest.raises(ValueError, match="either pattern or fields"):
        LineProtocol()
    with pytest.raises(ValueError, match="either pattern or fields"):
        LineProtocol(pattern="x", fields=("weight",))


def test_protocol_rejects_unknown_fields_and_bad_patterns() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        LineProtocol(pattern=r"(?P<sys>\d+)")
    with pytest.raises(ValueError, match="invalid line pattern"):
        LineProtocol(pattern=r"(?P<weight>\d+")
    with pytest.raises(ValueError, match="twice"):
        LineProtocol(fields=("weight", "weight"))
    with pytest.raises(LookupError):
        LineProtocol(fields=("weight",), encoding="no-such-codec")


def test_monitor_checks_the_protocol_against_the_kind() -> None:
    with pytest.raises(ValueError, match="needs field"):
        SerialHealthMonitor(
            "loop://",
            kind="blood_pressure",
            protocol=LineProtocol(fields=("systolic",), unit="mmHg"),
        )
    with pytest.raises(ValueError, match="do not belong"):
        SerialHealthMonitor(
            "loop://", kind="weight", protocol=LineProtocol(fields=("weight", "spo2"), unit="kg")
        )
    with pytest.raises(ValueError, match="unit field or a fixed unit"):
        SerialHealthMonitor("loop://", kind="glucose", protocol=LineProtocol(fields=("glucose",)))
    with pytest.raises(ValueError, match="unit is not one of"):
        SerialHealthMonitor(
            "loop://", kind="glucose", protocol=LineProtocol(fields=("glucose",), unit="g/L")
        )
    # The oximeter needs no unit: SpO2 is always a percentage.
    SerialHealthMonitor("loop://", kind="pulse_oximeter", protocol=LineProtocol(fields=("spo2",)))


def test_protocol_from_config() -> None:
    protocol = LineProtocol.from_config(
        {"csv": ["weight", "", "bmi"], "delimiter": ";", "unit": "kg", "line_ending": "\r"}
    )
    assert protocol.fields == ("weight", "", "bmi")
    assert protocol.ending_bytes == b"\r"
    assert protocol.extract(" 65.4 ; x ;22.1 ") == {"weight": "65.4", "bmi": "22.1"}
    with pytest.raises(ValueError, match="unknown line protocol key"):
        LineProtocol.from_config({"csv": ["weight"], "units": "kg"})
    with pytest.raises(ValueError, match="list of column names"):
        LineProtocol.from_config({"csv": "weight,bmi"})


def test_extract_regex_and_csv() -> None:
    assert BP_REGEX.extract("SYS:128 DIA:82 PUL:71 mmHg\r") == {
        "systolic": "128",
        "diastolic": "82",
        "pulse": "71",
        "unit": "mmHg",
    }
    with pytest.raises(LineError, match="does not match"):
        BP_REGEX.extract("ERR 3")
    with pytest.raises(LineError, match="3 columns, expected 4"):
        BP_CSV.extract("128,82,71")
    optional = LineProtocol(pattern=r"(?P<spo2>\d+)%(?: PR(?P<pulse>\d+))?")
    assert optional.extract("97%") == {"spo2": "97"}


# ---------------------------------------------------------------- fields → readings


def reading(kind: HealthKind, unit: str | None = None, **fields: str) -> Any:
    return parse_line_fields(kind, fields, unit=unit, sequence=5)


def test_blood_pressure_in_mmhg_and_kpa() -> None:
    r = reading("blood_pressure", systolic="128", diastolic="82", pulse="71", unit="mmHg")
    assert isinstance(r, BloodPressureReading)
    assert (r.systolic, r.diastolic, r.pulse_rate) == (Decimal(128), Decimal(82), Decimal(71))
    assert r.unit is PressureUnit.MMHG
    assert r.mean_arterial is SpecialValue.NAN  # not sent, not invented
    assert r.timestamp is None
    assert not r.intermediate
    kpa = reading("blood_pressure", "kPa", systolic="17.1", diastolic="10.9")
    assert (kpa.unit, kpa.systolic, kpa.pulse_rate) == (PressureUnit.KPA, Decimal("17.1"), None)


def test_weight_units_and_resolution() -> None:
    kg = reading("weight", "kg", weight="65.40", height="1.712", bmi="22.3")
    assert isinstance(kg, WeightReading)
    assert (kg.weight, kg.unit, kg.resolution) == (Decimal("65.40"), WeightUnit.KG, Decimal("0.01"))
    assert (kg.height, kg.height_unit, kg.bmi) == (
        Decimal("1.712"),
        LengthUnit.METRE,
        Decimal("22.3"),
    )
    lb = reading("weight", "lbs", weight="150.2")
    assert (lb.unit, lb.height_unit, lb.resolution) == (
        WeightUnit.LB,
        LengthUnit.INCH,
        Decimal("0.1"),
    )
    jin = reading("weight", "斤", weight="130.8")  # market scales weigh in jin: 0.5 kg
    assert (jin.weight, jin.unit, jin.resolution) == (
        Decimal("65.4"),
        WeightUnit.KG,
        Decimal("0.05"),
    )


@pytest.mark.parametrize(
    ("unit", "value", "expected_unit", "celsius"),
    [
        ("C", "36.6", TemperatureUnit.CELSIUS, Decimal("36.6")),
        ("℃", "37.0", TemperatureUnit.CELSIUS, Decimal("37.0")),
        ("°F", "98.6", TemperatureUnit.FAHRENHEIT, Decimal(37)),
    ],
)
def test_temperature_units(
    unit: str, value: str, expected_unit: TemperatureUnit, celsius: Decimal
) -> None:
    r = reading("thermometer", temperature=value, unit=unit)
    assert isinstance(r, TemperatureReading)
    assert r.unit is expected_unit
    assert r.celsius == celsius


def test_spo2_with_and_without_pulse() -> None:
    r = reading("pulse_oximeter", spo2="97", pulse="68")
    assert isinstance(r, SpO2Reading)
    assert (r.spo2, r.pulse_rate, r.continuous) == (Decimal(97), Decimal(68), False)
    assert reading("pulse_oximeter", spo2="95").pulse_rate is SpecialValue.NAN


def test_glucose_in_mmol_and_mg_per_dl() -> None:
    mmol = reading("glucose", "mmol/L", glucose="5.6")
    assert isinstance(mmol, GlucoseReading)
    assert (mmol.unit, mmol.mmol_per_l, mmol.sequence_number) == (
        GlucoseUnit.MOL_PER_L,
        Decimal("5.6"),
        5,
    )
    mg = reading("glucose", "mg/dL", glucose="101")
    assert (mg.unit, mg.mg_per_dl) == (GlucoseUnit.KG_PER_L, Decimal(101))


@pytest.mark.parametrize(
    ("kind", "fields", "problem"),
    [
        ("blood_pressure", {"systolic": "12O", "diastolic": "80", "unit": "mmHg"}, "not a number"),
        ("blood_pressure", {"systolic": "999", "diastolic": "80", "unit": "mmHg"}, "plausible"),
        ("blood_pressure", {"systolic": "120", "diastolic": "80", "unit": "psi"}, "unit"),
        ("blood_pressure", {"systolic": "120", "diastolic": "NaN", "unit": "mmHg"}, "finite"),
        ("weight", {"weight": "-2", "unit": "kg"}, "plausible"),
        ("thermometer", {"temperature": "36.6", "unit": "F"}, "plausible"),  # 2.6 °C
        ("pulse_oximeter", {"spo2": "101"}, "plausible"),
        ("glucose", {"glucose": "101", "unit": "mmol/L"}, "plausible"),  # mg/dL sent as mmol/L
        ("glucose", {"glucose": "5.6"}, "no unit"),
    ],
)
def test_garbage_fields(kind: HealthKind, fields: dict[str, str], problem: str) -> None:
    with pytest.raises(LineError, match=problem):
        parse_line_fields(kind, fields)


# ---------------------------------------------------------------- ports


class FdPort:
    """A tiny serial port on a file descriptor (pty slave), the subset pyserial offers."""

    def __init__(self, path: str, *, baudrate: int, timeout: float) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        tty.setraw(self.fd)
        self.timeout = timeout
        self._wake_r, self._wake_w = os.pipe()

    def read(self, size: int = 1) -> bytes:
        ready, _, _ = select.select([self.fd, self._wake_r], [], [], self.timeout)
        if self._wake_r in ready:
            os.read(self._wake_r, 64)
            return b""
        if not ready:
            return b""
        data = os.read(self.fd, size)  # EIO once the master side is closed
        if not data:
            raise OSError(errno.EIO, "port gone")
        return data

    def cancel_read(self) -> None:
        os.write(self._wake_w, b"x")

    def close(self) -> None:
        for fd in (self.fd, self._wake_r, self._wake_w):
            os.close(fd)


def pyserial_opener(path: str, **kwargs: Any) -> SerialPort:
    serial = pytest.importorskip("serial")
    port: SerialPort = serial.serial_for_url(path, **kwargs)
    return port


def fd_opener(path: str, **kwargs: Any) -> SerialPort:
    return FdPort(path, baudrate=kwargs["baudrate"], timeout=kwargs["timeout"])


class PtyPair:
    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.path = os.ttyname(slave)
        self._slave = slave  # kept open so the path exists until the test ends

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def close_master(self) -> None:
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def close(self) -> None:
        self.close_master()
        os.close(self._slave)


@pytest.fixture
def ptys() -> Iterator[Callable[[], PtyPair]]:
    made: list[PtyPair] = []

    def make() -> PtyPair:
        pair = PtyPair()
        made.append(pair)
        return pair

    yield make
    for pair in made:
        pair.close()


@pytest.fixture(params=["pyserial", "fd"])
def opener(request: pytest.FixtureRequest) -> Callable[..., SerialPort]:
    if request.param == "pyserial":
        pytest.importorskip("serial")
        return pyserial_opener
    return fd_opener


@pytest.fixture
def monitors() -> Iterator[list[SerialHealthMonitor]]:
    made: list[SerialHealthMonitor] = []
    yield made
    for monitor in made:
        monitor.stop()


def start(
    monitors: list[SerialHealthMonitor],
    port: str,
    protocol: LineProtocol,
    factory: Callable[..., SerialPort] | None,
    kind: HealthKind = "blood_pressure",
) -> tuple[SerialHealthMonitor, Recorder]:
    monitor = SerialHealthMonitor(
        port,
        kind=kind,
        protocol=protocol,
        baudrate=9600,
        serial_factory=factory,
        read_timeout_s=0.05,
        reopen_initial_s=0.01,
        reopen_max_s=0.05,
    )
    monitors.append(monitor)
    recorder = Recorder()
    monitor.start(recorder.on_reading, recorder.on_state)
    return monitor, recorder


def test_pty_lines_become_readings_and_garbage_is_counted(
    monitors: list[SerialHealthMonitor],
    ptys: Callable[[], PtyPair],
    opener: Callable[..., SerialPort],
) -> None:
    pty = ptys()
    monitor, recorder = start(monitors, pty.path, BP_REGEX, opener)
    assert isinstance(monitor, HealthMonitor)
    recorder.wait_state(DeviceState.UNKNOWN, "port open; no reading yet")
    pty.write(b"SYS:128 DIA:82 PUL:71 mmHg\r\n")
    pty.write(b"\r\nERR 3\r\n\xff\xfe\r\n")  # empty (ignored), no match, not ASCII
    pty.write(b"SYS:131 DIA:")  # a line split across writes
    time.sleep(0.05)
    pty.write(b"84 PUL:69 mmHg\r\nSYS:999 DIA:84 PUL:69 mmHg\r\n")
    first, second = recorder.wait_readings(2)
    assert (first.systolic, first.diastolic, first.pulse_rate) == (
        Decimal(128),
        Decimal(82),
        Decimal(71),
    )
    assert (second.systolic, second.diastolic) == (Decimal(131), Decimal(84))
    wait_until(lambda: monitor.garbage_lines == 3)
    assert monitor.status().state is DeviceState.READY
    assert recorder.threads == {"serial-health-blood_pressure"}


def test_port_vanishing_goes_offline_and_the_port_is_reopened(
    monitors: list[SerialHealthMonitor],
    ptys: Callable[[], PtyPair],
    opener: Callable[..., SerialPort],
) -> None:
    first, second = ptys(), ptys()
    opened: list[str] = []

    def factory(path: str, **kwargs: Any) -> SerialPort:
        # The adapter comes back under the same name: here, the second pty.
        target = first.path if not opened else second.path
        opened.append(target)
        return opener(target, **kwargs)

    monitor, recorder = start(monitors, "/dev/ttyUSB-health", BP_CSV, factory)
    recorder.wait_state(DeviceState.UNKNOWN, "port open; no reading yet")
    first.write(b"120,80,70,x\r\n")
    recorder.wait_readings(1)
    first.close_master()  # the USB adapter is pulled
    status = recorder.wait_state(DeviceState.OFFLINE)
    assert status.detail.startswith("port lost (")
    wait_until(lambda: len(opened) == 2)
    recorder.wait_state_count(DeviceState.UNKNOWN, 3)  # opening, open, reopened
    second.write(b"118,78,66,x\r\n")
    readings = recorder.wait_readings(2)
    assert readings[1].systolic == Decimal(118)
    assert monitor.status().state is DeviceState.READY


def test_stop_is_prompt(
    monitors: list[SerialHealthMonitor],
    ptys: Callable[[], PtyPair],
    opener: Callable[..., SerialPort],
) -> None:
    pty = ptys()
    monitor = SerialHealthMonitor(
        pty.path,
        kind="weight",
        protocol=LineProtocol(fields=("weight",), unit="kg"),
        serial_factory=opener,
        read_timeout_s=5.0,  # stop() must not wait for the read
    )
    recorder = Recorder()
    monitor.start(recorder.on_reading, recorder.on_state)
    recorder.wait_state(DeviceState.UNKNOWN, "port open; no reading yet")
    started = time.monotonic()
    monitor.stop()
    assert time.monotonic() - started < 1.0
    assert monitor.status().state is DeviceState.UNKNOWN


def test_loop_url_with_a_custom_line_ending_and_overlong_lines(
    monitors: list[SerialHealthMonitor],
) -> None:
    serial = pytest.importorskip("serial")
    ports: list[Any] = []

    def factory(url: str, **kwargs: Any) -> SerialPort:
        port = serial.serial_for_url(url, **kwargs)
        ports.append(port)
        return port  # type: ignore[no-any-return]

    protocol = LineProtocol(
        pattern=r"T=(?P<temperature>[\d.]+)(?P<unit>C|F)", line_ending="\x03", max_line_bytes=32
    )
    monitor, recorder = start(monitors, "loop://", protocol, factory, kind="thermometer")
    wait_until(lambda: bool(ports))
    port = ports[0]
    port.write(b"T=36.6C\x03" + b"x" * 100 + b"\x03T=99.1F\x03")
    first, second = recorder.wait_readings(2)
    assert (first.value, first.unit) == (Decimal("36.6"), TemperatureUnit.CELSIUS)
    assert (second.value, second.unit) == (Decimal("99.1"), TemperatureUnit.FAHRENHEIT)
    assert monitor.garbage_lines == 1


def test_a_missing_port_is_offline_and_retried(monitors: list[SerialHealthMonitor]) -> None:
    attempts: list[str] = []

    def factory(path: str, **kwargs: Any) -> SerialPort:
        attempts.append(path)
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")

    _, recorder = start(monitors, "/dev/ttyUSB9", BP_CSV, factory)
    status = recorder.wait_state(DeviceState.OFFLINE)
    assert status.detail == "cannot open port (FileNotFoundError)"
    wait_until(lambda: len(attempts) >= 3)
    assert [s.state for s in recorder.states] == [DeviceState.UNKNOWN, DeviceState.OFFLINE]


def test_real_pyserial_on_a_missing_device(monitors: list[SerialHealthMonitor]) -> None:
    pytest.importorskip("serial")
    _, recorder = start(monitors, "/dev/ttyNO-SUCH-PORT", BP_CSV, None)
    status = recorder.wait_state(DeviceState.OFFLINE)
    assert status.detail == "cannot open port (SerialException)"


def test_permission_denied_is_an_error(monitors: list[SerialHealthMonitor]) -> None:
    def factory(path: str, **kwargs: Any) -> SerialPort:
        raise PermissionError(errno.EACCES, "Permission denied")

    _, recorder = start(monitors, "/dev/ttyS0", BP_CSV, factory)
    status = recorder.wait_state(DeviceState.ERROR)
    assert status.detail == "permission denied (PermissionError)"


def test_without_pyserial_the_status_says_so(
    monitors: list[SerialHealthMonitor], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "serial", None)
    _, recorder = start(monitors, "/dev/ttyUSB0", BP_CSV, None)
    status = recorder.wait_state(DeviceState.ERROR)
    assert status.detail == "pyserial is not installed"
