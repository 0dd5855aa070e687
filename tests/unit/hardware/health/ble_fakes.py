"""Stand-ins for bleak's BleakScanner / BleakClient, delivering byte vectors.

They implement only what :class:`hardware.health.ble.BleHealthMonitor` uses:
``find_device_by_filter`` (and ``discover``) on the scanner; ``connect``, ``disconnect``,
``is_connected``, ``start_notify`` and ``write_gatt_char`` on the client. Notifications
are scheduled on the client's event loop, as bleak does, with ``call_soon_threadsafe``, so
tests can push packets from their own thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hardware.health.ble import (
    RACP_OPERATOR_LAST_RECORD,
    RACP_REPORT_STORED_RECORDS,
    RACP_RESPONSE_CODE,
    RACP_SUCCESS,
    RECORD_ACCESS_CONTROL_POINT,
    uuid128,
)
from hardware.health.gatt import GLUCOSE_MEASUREMENT

RACP_NO_RECORDS = 0x06


class FakeBleakError(Exception):
    """Plays bleak's BleakError."""


@dataclass(frozen=True)
class FakeDevice:
    address: str
    name: str = ""


@dataclass(frozen=True)
class FakeAdvertisement:
    service_uuids: list[str]
    local_name: str = ""


def advert(address: str, *services: int) -> tuple[FakeDevice, FakeAdvertisement]:
    return FakeDevice(address), FakeAdvertisement([uuid128(s) for s in services])


class FakeScanner:
    """``find_device_by_filter`` runs the filter over a fixed list of advertisements."""

    def __init__(
        self,
        adverts: Sequence[tuple[FakeDevice, FakeAdvertisement]] = (),
        *,
        error: BaseException | None = None,
        delay_s: float = 0.0,
    ) -> None:
        self.adverts = list(adverts)
        self.error = error
        self.delay_s = delay_s
        self.calls: list[dict[str, Any]] = []
        self.cancelled = threading.Event()

    def factory(self) -> FakeScanner:
        return self

    async def find_device_by_filter(
        self, filterfunc: Callable[[Any, Any], bool], timeout: float = 10.0, **kwargs: Any
    ) -> FakeDevice | None:
        self.calls.append({"timeout": timeout, **kwargs})
        try:
            await asyncio.sleep(self.delay_s)
        except asyncio.CancelledError:
            self.cancelled.set()
            raise
        if self.error is not None:
            raise self.error
        for device, advertisement in self.adverts:
            if filterfunc(device, advertisement):
                return device
        return None

    async def discover(self, timeout: float = 5.0, **kwargs: Any) -> list[FakeDevice]:
        return [device for device, _ in self.adverts]


@dataclass
class FakePeripheral:
    """A device: which characteristics it has, what it does on connection and on RACP.

    ``glucose_records``: Glucose Measurement values the meter has stored; a "report stored
    records: last record" write makes it notify the last one, then indicate success (or
    "no records found").
    """

    characteristics: set[int]
    connect_errors: list[BaseException] = field(default_factory=list)
    glucose_records: list[bytes] = field(default_factory=list)
    clients: list[FakeClient] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def factory(self, target: Any, disconnected_callback: Callable[[Any], None]) -> FakeClient:
        client = FakeClient(self, target, disconnected_callback)
        with self.lock:
            self.clients.append(client)
        return client

    @property
    def client(self) -> FakeClient:
        """The newest client."""
        with self.lock:
            return self.clients[-1]

    def client_count(self) -> int:
        with self.lock:
            return len(self.clients)


class FakeClient:
    def __init__(
        self,
        peripheral: FakePeripheral,
        target: Any,
        disconnected_callback: Callable[[Any], None],
    ) -> None:
        self.peripheral = peripheral
        self.target = target
        self._disconnected_callback = disconnected_callback
        self._connected = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self.subscriptions: dict[str, Callable[[Any, bytearray], None]] = {}
        self.writes: list[tuple[str, bytes, bool | None]] = []
        self.disconnect_calls = 0
        self.ready = threading.Event()

    # ---------------------------------------------------------------- bleak API

    @property
    def is_connected(self) -> bool:
        return self._connected

    async def connect(self) -> bool:
        self._loop = asyncio.get_running_loop()
        with self.peripheral.lock:
            error = (
                self.peripheral.connect_errors.pop(0) if self.peripheral.connect_errors else None
            )
        if error is not None:
            raise error
        self._connected = True
        return True

    async def disconnect(self) -> bool:
        self.disconnect_calls += 1
        self._connected = False
        return True

    async def start_notify(self, char_specifier: str, callback: Callable[..., None]) -> None:
        if not self._connected:
            raise FakeBleakError("not connected")
        known = {uuid128(n) for n in self.peripheral.characteristics}
        if char_specifier not in known:
            raise FakeBleakError(f"Characteristic {char_specifier} was not found!")
        self.subscriptions[char_specifier] = callback

    async def write_gatt_char(
        self, char_specifier: str, data: bytes, response: bool | None = None
    ) -> None:
        self.writes.append((char_specifier, bytes(data), response))
        racp = uuid128(RECORD_ACCESS_CONTROL_POINT)
        if char_specifier == racp and bytes(data) == bytes(
            [RACP_REPORT_STORED_RECORDS, RACP_OPERATOR_LAST_RECORD]
        ):
            # The meter answers later, on the loop, as bleak delivers indications.
            loop = asyncio.get_running_loop()
            records = self.peripheral.glucose_records[-1:]
            for record in records:
                loop.call_soon(self._deliver, GLUCOSE_MEASUREMENT, record)
            code = RACP_SUCCESS if records else RACP_NO_RECORDS
            loop.call_soon(
                self._deliver,
                RECORD_ACCESS_CONTROL_POINT,
                bytes([RACP_RESPONSE_CODE, 0x00, RACP_REPORT_STORED_RECORDS, code]),
            )

    # ---------------------------------------------------------------- test side (any thread)

    def subscribed(self) -> set[int]:
        return {int(uuid[4:8], 16) for uuid in self.subscriptions}

    def notify(self, number: int, data: bytes) -> None:
        """Send a notification/indication of characteristic ``number``."""
        assert self._loop is not None, "not connected"
        self._loop.call_soon_threadsafe(self._deliver, number, data)

    def notify_all(self, packets: Iterable[tuple[int, bytes]]) -> None:
        for number, data in packets:
            self.notify(number, data)

    def drop(self, *, callback: bool = True) -> None:
        """The link is lost; bleak then calls the disconnected callback on the loop."""
        assert self._loop is not None, "not connected"
        self._loop.call_soon_threadsafe(self._drop, callback)

    def _drop(self, callback: bool) -> None:
        self._connected = False
        if callback:
            self._disconnected_callback(self)

    def _deliver(self, number: int, data: bytes) -> None:
        callback = self.subscriptions.get(uuid128(number))
        if callback is not None and self._connected:
            callback(None, bytearray(data))
