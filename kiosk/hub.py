"""DeviceHub: starts the devices and turns their worker-thread callbacks into Qt signals.

Drivers call back on their own threads. The hub lives on the GUI thread, so emitting its
signals from those threads queues the calls to the GUI thread; flows only ever see signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from hardware.protocols import CardEvent, DeviceState, DeviceStatus
from kiosk.device_set import DeviceSet, status_of
from kiosk.devices import DeviceRow

log = logging.getLogger(__name__)


class DeviceHub(QObject):
    """The kiosk's view of its devices.

    Signals:
        qr_scanned: A code was read by the camera; arg: its text (personal data: never log).
        card_event: A card arrived or left; arg: a CardEvent (UID as keyed hash only).
        health_reading: A measuring device sent a reading; arg: the typed reading.
        state_changed: (device key, DeviceStatus) whenever a device reports a new state.
    """

    qr_scanned = Signal(str)
    card_event = Signal(object)
    health_reading = Signal(object)
    state_changed = Signal(str, object)

    def __init__(
        self,
        devices: DeviceSet | Callable[[], DeviceSet],
        parent: QObject | None = None,
    ) -> None:
        """``devices`` is the device set, or a factory for it: creating the devices imports
        OpenCV, Pillow and the drivers, so ``main`` calls :meth:`load` on a worker after the
        first frame instead of on the start-up path."""
        super().__init__(parent)
        self._factory: Callable[[], DeviceSet] | None = None
        self._devices: DeviceSet | None = None
        if isinstance(devices, DeviceSet):
            self._devices = devices
        else:
            self._factory = devices
        self._states: dict[str, DeviceStatus] = {}
        self._lock = threading.Lock()
        self._started = False

    @property
    def devices(self) -> DeviceSet:
        """The device set (creates it here if :meth:`load` has not run: workers only)."""
        if self._devices is None:
            self.load()
        assert self._devices is not None
        return self._devices

    @property
    def loaded(self) -> bool:
        return self._devices is not None

    def load(self) -> DeviceSet:
        """Create the devices (blocking: imports drivers). Thread-safe, once."""
        with self._lock:
            if self._devices is None:
                assert self._factory is not None
                self._devices = self._factory()
            return self._devices

    def state(self, key: str) -> DeviceStatus:
        """Last reported state (UNKNOWN until the device said anything)."""
        with self._lock:
            return self._states.get(key, DeviceStatus(DeviceState.UNKNOWN))

    def start(self) -> None:
        """Start every device that runs on its own (camera, card reader, health devices)."""
        if self._started:
            return
        self._started = True
        d = self.devices
        if d.camera is not None:
            self._safely("camera", d.camera.start, self._on_qr, self._state_cb("camera"))
        if d.card_reader is not None:
            self._safely(
                "card_reader", d.card_reader.start, self._on_card, self._state_cb("card_reader")
            )
        for kind, monitor in d.health.items():
            key = f"health.{kind}"
            self._safely(key, monitor.start, self._on_reading, self._state_cb(key))

    def stop(self) -> None:
        if not self._started or self._devices is None:
            return
        self._started = False
        d = self._devices
        running: list[Any] = [d.camera, d.card_reader, *d.health.values()]
        for device in running:
            if device is not None:
                try:
                    device.stop()
                except Exception as exc:
                    log.warning("device stop failed: %s", type(exc).__name__)

    def rows(self) -> list[DeviceRow]:
        """The device table. Queries devices (a printer may take a second): workers only."""
        rows = []
        for key, device in self.devices.items():
            status = status_of(device)
            rows.append(
                DeviceRow(key, self.devices.drivers.get(key, "?"), status.state, status.detail)
            )
        return rows

    # ---------------------------------------------------------------- callbacks (any thread)
    def _safely(self, key: str, start: Any, *callbacks: Any) -> None:
        try:
            start(*callbacks)
        except Exception as exc:
            log.error("device %s failed to start: %s", key, type(exc).__name__)
            self._record(
                key, DeviceStatus(DeviceState.ERROR, f"start failed: {type(exc).__name__}")
            )

    def _state_cb(self, key: str) -> Any:
        def on_state(status: DeviceStatus) -> None:
            self._record(key, status)

        return on_state

    def _record(self, key: str, status: DeviceStatus) -> None:
        with self._lock:
            self._states[key] = status
        log.info("device %s: %s", key, status.state.value)
        self.state_changed.emit(key, status)

    def _on_qr(self, text: str) -> None:
        self.qr_scanned.emit(text)

    def _on_card(self, event: CardEvent) -> None:
        self.card_event.emit(event)

    def _on_reading(self, reading: object) -> None:
        self.health_reading.emit(reading)
