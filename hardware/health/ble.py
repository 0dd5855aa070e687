"""Bluetooth LE health devices through bleak: blood pressure, scale, thermometer, pulse
oximeter, glucose meter (the Bluetooth SIG standard profiles).

:class:`BleHealthMonitor` runs its own asyncio event loop in a worker thread (the kiosk's Qt
thread is never touched) and loops: find the device, connect, subscribe, deliver readings
until the link drops, wait (exponential backoff), again.

Finding
    With ``address`` the client connects to it directly (bleak scans for it itself).
    Without, the first device advertising the profile's service UUID is used:

    ================  ======  ==============================================================
    kind              service subscribed characteristics
    ================  ======  ==============================================================
    blood_pressure    0x1810  0x2A35 measurement (indications), 0x2A36 intermediate cuff
                              pressure (notifications; optional — not every cuff has it)
    weight            0x181D  0x2A9D weight measurement
    thermometer       0x1809  0x2A1C temperature measurement
    pulse_oximeter    0x1822  0x2A5E spot-check and/or 0x2A5F continuous (at least one)
    glucose           0x1808  0x2A18 glucose measurement + 0x2A52 record access control
                              point (RACP); after subscribing, the monitor writes
                              "report stored records: last record" (0x01 0x06), because a
                              glucose meter sends records only when asked
    ================  ======  ==============================================================

Readings
    Every value goes through :func:`hardware.health.gatt.parse` and the typed reading is
    passed to ``on_reading`` on the worker thread. A malformed packet is skipped and
    counted (:attr:`BleHealthMonitor.malformed_packets`); the log names the characteristic
    and the error *type* only, never values (they are health data). A glucose record
    already delivered (same sequence number and base time) is not delivered again when the
    meter is reconnected and asked for its last record. Devices may also send stored
    (older) measurements on connection: the kiosk flow must judge readings by their time
    stamps.

Status
    ========  ===============================================================================
    UNKNOWN   before :meth:`~BleHealthMonitor.start` and after :meth:`~BleHealthMonitor.stop`;
              also during the first search/connection (the device has not answered yet)
    READY     connected and subscribed
    BUSY      blood pressure only: a measurement is under way (intermediate cuff pressure
              arrived, the result has not)
    OFFLINE   not found by a scan, connection failed, or the link dropped; the monitor keeps
              retrying (searching/reconnecting does not change the state again, so the
              state does not flicker)
    ERROR     no usable Bluetooth: bleak not installed (no retry), or the scanner failed —
              no adapter, BlueZ / D-Bus missing, adapter powered off (retried with backoff,
              since an adapter can be plugged in)
    ========  ===============================================================================

The ``client_factory`` and ``scanner_factory`` arguments exist for tests and for back-ends
other than bleak's defaults; see :class:`BleClient` and :class:`BleScanner` for the subset
of bleak's API that is used.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol, cast

from hardware.health._common import Backoff, HealthKind, StatusReporter, check_kind, deliver
from hardware.health.gatt import (
    BLOOD_PRESSURE_MEASUREMENT,
    GLUCOSE_MEASUREMENT,
    INTERMEDIATE_CUFF_PRESSURE,
    PLX_CONTINUOUS_MEASUREMENT,
    PLX_SPOT_CHECK_MEASUREMENT,
    SUPPORTED_CHARACTERISTICS,
    TEMPERATURE_MEASUREMENT,
    WEIGHT_MEASUREMENT,
    BloodPressureReading,
    GattParseError,
    GlucoseReading,
    parse,
)
from hardware.protocols import DeviceState, DeviceStatus, StateCallback

__all__ = [
    "RACP_NO_RECORDS_FOUND",
    "RACP_OPERATOR_LAST_RECORD",
    "RACP_REPORT_STORED_RECORDS",
    "RACP_RESPONSE_CODE",
    "RACP_SUCCESS",
    "RECORD_ACCESS_CONTROL_POINT",
    "SERVICES",
    "BleClient",
    "BleHealthMonitor",
    "BleScanner",
    "ClientFactory",
    "ScannerFactory",
    "uuid128",
]

_log = logging.getLogger(__name__)

RECORD_ACCESS_CONTROL_POINT: Final = 0x2A52
RACP_REPORT_STORED_RECORDS: Final = 0x01
RACP_RESPONSE_CODE: Final = 0x06
RACP_OPERATOR_LAST_RECORD: Final = 0x06
RACP_SUCCESS: Final = 0x01
RACP_NO_RECORDS_FOUND: Final = 0x06

SERVICES: Final[Mapping[HealthKind, int]] = {
    "blood_pressure": 0x1810,
    "weight": 0x181D,
    "thermometer": 0x1809,
    "pulse_oximeter": 0x1822,
    "glucose": 0x1808,
}
"""Kind → 16-bit service UUID that the device advertises."""


@dataclass(frozen=True, slots=True)
class _Subscription:
    characteristic: int
    required: bool
    measurement: bool = True


_SUBSCRIPTIONS: Final[Mapping[HealthKind, tuple[_Subscription, ...]]] = {
    "blood_pressure": (
        _Subscription(BLOOD_PRESSURE_MEASUREMENT, required=True),
        _Subscription(INTERMEDIATE_CUFF_PRESSURE, required=False),
    ),
    "weight": (_Subscription(WEIGHT_MEASUREMENT, required=True),),
    "thermometer": (_Subscription(TEMPERATURE_MEASUREMENT, required=True),),
    "pulse_oximeter": (
        _Subscription(PLX_SPOT_CHECK_MEASUREMENT, required=False),
        _Subscription(PLX_CONTINUOUS_MEASUREMENT, required=False),
    ),
    "glucose": (
        _Subscription(GLUCOSE_MEASUREMENT, required=True),
        _Subscription(RECORD_ACCESS_CONTROL_POINT, required=True, measurement=False),
    ),
}

_RACP_RESPONSES: Final[Mapping[int, str]] = {
    0x01: "success",
    0x02: "op code not supported",
    0x03: "invalid operator",
    0x04: "operator not supported",
    0x05: "invalid operand",
    0x06: "no records found",
    0x07: "abort unsuccessful",
    0x08: "procedure not completed",
    0x09: "operand not supported",
}

_BASE_UUID_SUFFIX: Final = "-0000-1000-8000-00805f9b34fb"
_LINK_POLL_S: Final = 1.0
_DISCONNECT_TIMEOUT_S: Final = 2.0
_MAX_REMEMBERED_RECORDS: Final = 256


def uuid128(number: int) -> str:
    """The full 128-bit form of a 16-bit Bluetooth SIG UUID, lower case (bleak's form)."""
    return f"{number:08x}{_BASE_UUID_SUFFIX}"


# ---------------------------------------------------------------- the bleak subset we use

NotifyCallback = Callable[[Any, bytearray], None]


class BleClient(Protocol):
    """The part of ``bleak.BleakClient`` the monitor uses."""

    @property
    def is_connected(self) -> bool: ...

    async def connect(self) -> Any: ...

    async def disconnect(self) -> Any: ...

    async def start_notify(self, char_specifier: str, callback: NotifyCallback) -> None: ...

    async def write_gatt_char(
        self, char_specifier: str, data: bytes, response: bool | None = None
    ) -> None: ...


class BleScanner(Protocol):
    """The part of ``bleak.BleakScanner`` the monitor uses (a class method there)."""

    def find_device_by_filter(
        self, filterfunc: Callable[[Any, Any], bool], timeout: float = ..., **kwargs: Any
    ) -> Awaitable[Any]: ...


ClientFactory = Callable[[Any, Callable[[Any], None]], BleClient]
"""``(device or address, disconnected_callback) -> client``."""
ScannerFactory = Callable[[], BleScanner]


class _BleakMissingError(Exception):
    """bleak is not installed."""


def _default_scanner_factory() -> BleScanner:
    try:
        from bleak import BleakScanner
    except ImportError as exc:
        raise _BleakMissingError from exc
    # Through Any: bleak's own annotations (a class method, TypedDict kwargs) are narrower
    # than the protocol, and bleak may not be installed where mypy runs.
    scanner: Any = BleakScanner
    return cast(BleScanner, scanner)


def _default_client_factory(timeout_s: float) -> ClientFactory:
    def make(target: Any, disconnected: Callable[[Any], None]) -> BleClient:
        try:
            from bleak import BleakClient
        except ImportError as exc:
            raise _BleakMissingError from exc
        client: BleClient = BleakClient(
            target, disconnected_callback=disconnected, timeout=timeout_s
        )
        return client

    return make


# ---------------------------------------------------------------- the monitor


class BleHealthMonitor:
    """:class:`~hardware.protocols.HealthMonitor` for a Bluetooth LE health device.

    ``kind``: "blood_pressure", "weight", "thermometer", "pulse_oximeter" or "glucose".
    ``address``: the device's address (MAC on Linux); ``None`` scans for the kind's service.
    ``scan_timeout_s``: length of one scan. ``connect_timeout_s``: limit for one connection
    attempt. ``backoff_initial_s`` / ``backoff_max_s``: the wait between attempts doubles
    from the first to the second and starts over after a successful connection.
    ``client_factory`` / ``scanner_factory``: default to bleak's ``BleakClient`` /
    ``BleakScanner`` (imported only when needed). See the module docstring for the status.
    """

    def __init__(
        self,
        kind: HealthKind,
        *,
        address: str | None = None,
        scan_timeout_s: float = 10.0,
        connect_timeout_s: float = 20.0,
        backoff_initial_s: float = 1.0,
        backoff_max_s: float = 30.0,
        client_factory: ClientFactory | None = None,
        scanner_factory: ScannerFactory | None = None,
    ) -> None:
        self.kind: HealthKind = check_kind(kind)
        self.address = address
        self.service_uuid = uuid128(SERVICES[self.kind])
        self.scan_timeout_s = scan_timeout_s
        self.connect_timeout_s = connect_timeout_s
        self._backoff = Backoff(backoff_initial_s, backoff_max_s)
        self._client_factory = client_factory or _default_client_factory(connect_timeout_s)
        self._scanner_factory = scanner_factory or _default_scanner_factory
        self._status = StatusReporter(DeviceStatus(DeviceState.UNKNOWN, "not started"))
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._on_reading: Callable[[Any], None] | None = None
        self._malformed = 0
        self._delivered_records: list[tuple[int, object]] = []
        self._client: BleClient | None = None

    # ---------------------------------------------------------------- HealthMonitor

    def start(self, on_reading: Callable[[Any], None], on_state: StateCallback) -> None:
        with self._lock:
            if self._thread is not None:
                raise RuntimeError("BLE health monitor already started")
            self._on_reading = on_reading
            self._status.attach(on_state)
            self._stopping = False
            self._backoff.reset()
            self._thread = threading.Thread(
                target=self._thread_main, name=f"ble-health-{self.kind}", daemon=True
            )
            self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Cancel the worker (it disconnects the device) and join it."""
        with self._lock:
            thread, self._thread = self._thread, None
            self._stopping = True
            loop, task = self._loop, self._task
        if thread is None:
            return
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already finished
                loop.call_soon_threadsafe(task.cancel)
        thread.join(timeout_s)
        if thread.is_alive():
            _log.warning("BLE %s worker did not stop within %.1f s", self.kind, timeout_s)
        # No callbacks after stop() returns, even from a worker that is stuck.
        self._status.attach(None)
        self._on_reading = None
        self._status.set(DeviceState.UNKNOWN, "stopped")

    def status(self) -> DeviceStatus:
        return self._status.get()

    @property
    def malformed_packets(self) -> int:
        """How many packets were skipped because they did not parse."""
        with self._lock:
            return self._malformed

    def request_last_record(self) -> None:
        """Glucose: ask a connected meter again for its last stored record (any thread)."""
        with self._lock:
            loop, client = self._loop, self._client
        if self.kind != "glucose" or loop is None or client is None:
            return
        request = self._request_last_record(client)
        try:
            asyncio.run_coroutine_threadsafe(request, loop)
        except RuntimeError:  # the loop has just finished
            request.close()

    # ---------------------------------------------------------------- worker thread

    def _thread_main(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            with self._lock:
                self._loop = loop
                self._task = loop.create_task(self._run())
                task = self._task
                if self._stopping:
                    task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(task)
        except Exception as exc:  # a bug here must still leave an honest status
            _log.error("BLE %s worker failed: %s", self.kind, type(exc).__name__)
            self._status.set(DeviceState.ERROR, f"worker failed ({type(exc).__name__})")
            return
        finally:
            with self._lock:
                self._loop = None
                self._task = None
                self._client = None
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
        with self._lock:
            stopping = self._stopping
        if stopping:
            self._status.set(DeviceState.UNKNOWN, "stopped")

    async def _run(self) -> None:
        self._status.set(DeviceState.UNKNOWN, "searching")
        while True:
            try:
                target = await self._find()
                if target is not None:
                    await self._session(target)
            except _BleakMissingError:
                self._status.set(DeviceState.ERROR, "bleak is not installed")
                return
            await asyncio.sleep(self._backoff.next())

    async def _find(self) -> Any:
        """The device (or address) to connect to, or None (status set) if there is none."""
        if self.address is not None:
            return self.address
        service = self.service_uuid

        def advertises_service(_device: Any, advertisement: Any) -> bool:
            uuids = getattr(advertisement, "service_uuids", None) or ()
            return service in (str(u).lower() for u in uuids)

        try:
            scanner = self._scanner_factory()
            device = await scanner.find_device_by_filter(
                advertises_service, timeout=self.scan_timeout_s, service_uuids=[service]
            )
        except _BleakMissingError:
            raise
        except Exception as exc:
            # No adapter, BlueZ/D-Bus missing (FileNotFoundError), adapter off (BleakError).
            name = type(exc).__name__
            if self._status.set(DeviceState.ERROR, f"Bluetooth unavailable ({name})"):
                _log.info("BLE scan failed: %s", name)  # once per change, not every retry
            return None
        if device is None:
            number = SERVICES[self.kind]
            self._status.set(DeviceState.OFFLINE, f"no device advertising 0x{number:04X}")
        return device

    async def _session(self, target: Any) -> None:
        """Connect, subscribe and wait for the link to drop. Always disconnects."""
        loop = asyncio.get_running_loop()
        dropped = asyncio.Event()

        def on_disconnect(_client: Any) -> None:
            # bleak calls this on the loop; a fake or another back-end might not.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(dropped.set)

        try:
            client = self._client_factory(target, on_disconnect)
        except _BleakMissingError:
            raise
        except Exception as exc:
            name = type(exc).__name__
            if self._status.set(DeviceState.OFFLINE, f"connect failed ({name})"):
                _log.info("BLE client creation failed: %s", name)
            return
        try:
            try:
                # bleak applies connect_timeout_s itself; the margin lets it clean up first.
                await asyncio.wait_for(client.connect(), self.connect_timeout_s + 5.0)
                await self._subscribe(client)
            except _SubscribeError as exc:
                if self._status.set(DeviceState.ERROR, str(exc)):
                    _log.info("BLE subscription failed: %s", exc)
                return
            except Exception as exc:
                name = type(exc).__name__
                if self._status.set(DeviceState.OFFLINE, f"connect failed ({name})"):
                    _log.info("BLE connect failed: %s", name)
                return
            with self._lock:
                self._client = client
            self._status.set(DeviceState.READY, "connected")
            self._backoff.reset()
            if self.kind == "glucose":
                await self._request_last_record(client)
            while not dropped.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(dropped.wait(), _LINK_POLL_S)
                if not client.is_connected:
                    break
            self._status.set(DeviceState.OFFLINE, "disconnected")
        finally:
            with self._lock:
                self._client = None
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.disconnect(), _DISCONNECT_TIMEOUT_S)

    async def _subscribe(self, client: BleClient) -> None:
        measurements = 0
        for sub in _SUBSCRIPTIONS[self.kind]:
            number = sub.characteristic
            uuid = uuid128(number)
            callback = self._packet_handler(number)
            try:
                await client.start_notify(uuid, callback)
            except Exception as exc:
                if sub.required:
                    raise _SubscribeError(
                        f"characteristic 0x{number:04X} unavailable ({type(exc).__name__})"
                    ) from exc
                _log.debug("optional characteristic 0x%04X not subscribed", number)
                continue
            measurements += sub.measurement
        if not measurements:
            raise _SubscribeError("no measurement characteristic available")

    async def _request_last_record(self, client: BleClient) -> None:
        request = bytes([RACP_REPORT_STORED_RECORDS, RACP_OPERATOR_LAST_RECORD])
        try:
            await client.write_gatt_char(uuid128(RECORD_ACCESS_CONTROL_POINT), request, True)
        except Exception as exc:
            _log.warning("glucose RACP request failed: %s", type(exc).__name__)

    # ---------------------------------------------------------------- packets (loop thread)

    def _packet_handler(self, number: int) -> NotifyCallback:
        if number == RECORD_ACCESS_CONTROL_POINT:

            def on_racp(_characteristic: Any, data: bytearray) -> None:
                self._on_racp(bytes(data))

            return on_racp
        uuid = f"{number:04X}"

        def on_packet(_characteristic: Any, data: bytearray) -> None:
            self._on_packet(uuid, data)

        return on_packet

    def _on_packet(self, uuid: str, data: bytearray) -> None:
        try:
            reading = parse(uuid, data)
        except GattParseError as exc:
            with self._lock:
                self._malformed += 1
            name = SUPPORTED_CHARACTERISTICS.get(int(uuid, 16), uuid)
            _log.warning("skipped malformed %s packet (%s)", name, type(exc).__name__)
            return
        if isinstance(reading, GlucoseReading) and not self._first_delivery(reading):
            _log.debug("glucose record delivered before; skipped")
            return
        if isinstance(reading, BloodPressureReading):
            if reading.intermediate:
                if self._status.get().state is DeviceState.READY:
                    self._status.set(DeviceState.BUSY, "measuring")
            elif self._status.get().state is DeviceState.BUSY:
                self._status.set(DeviceState.READY, "connected")
        deliver(self._on_reading, reading, "on_reading")

    def _first_delivery(self, reading: GlucoseReading) -> bool:
        key = (reading.sequence_number, reading.base_time)
        with self._lock:
            if key in self._delivered_records:
                return False
            self._delivered_records.append(key)
            del self._delivered_records[:-_MAX_REMEMBERED_RECORDS]
        return True

    def _on_racp(self, data: bytes) -> None:
        if len(data) == 4 and data[0] == RACP_RESPONSE_CODE:
            code = data[3]
            text = _RACP_RESPONSES.get(code, f"code 0x{code:02X}")
            if code in (RACP_SUCCESS, RACP_NO_RECORDS_FOUND):
                _log.debug("glucose RACP: %s", text)
            else:
                _log.warning("glucose RACP: %s", text)
        else:
            _log.debug("glucose RACP: unexpected %d-byte indication", len(data))


class _SubscribeError(Exception):
    """A required characteristic could not be subscribed to (wrong or odd device)."""
