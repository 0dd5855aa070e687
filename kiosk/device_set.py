"""Build the configured devices from the settings (Qt-free).

NOTE: Qt-free zone: the doctor command uses this without a QApplication.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from hardware import registry
from hardware.protocols import (
    CardReader,
    DeviceState,
    DeviceStatus,
    HealthMonitor,
    QrScanner,
    ReceiptPrinter,
    SpeechEngine,
)
from kiosk.config import Settings

log = logging.getLogger(__name__)


@dataclass
class DeviceSet:
    """The devices of this kiosk. ``None`` where the configuration says ``none``.

    Attributes:
        drivers: device key → configured driver name (for the device table).
        required: device key → whether ``doctor`` fails when it is not ready.
    """

    speech: SpeechEngine
    printer: ReceiptPrinter | None = None
    document_printer: object | None = None
    camera: QrScanner | None = None
    card_reader: CardReader | None = None
    health: dict[str, HealthMonitor] = field(default_factory=dict)
    drivers: dict[str, str] = field(default_factory=dict)
    required: dict[str, bool] = field(default_factory=dict)

    def items(self) -> list[tuple[str, object]]:
        """(device key, device) for every configured device, in table order."""
        out: list[tuple[str, object]] = [("speech", self.speech)]
        for key in ("printer", "document_printer", "camera", "card_reader"):
            device = getattr(self, key)
            if device is not None:
                out.append((key, device))
        out += [(f"health.{kind}", monitor) for kind, monitor in self.health.items()]
        return out


def status_of(device: object) -> DeviceStatus:
    """A device's status; a device whose query fails is UNKNOWN, never READY."""
    query = getattr(device, "status", None)
    if query is None:
        return DeviceStatus(DeviceState.UNKNOWN, "no status query")
    try:
        status = query()
    except Exception as exc:  # a broken driver must not break the device table
        return DeviceStatus(DeviceState.UNKNOWN, f"status query failed: {type(exc).__name__}")
    if isinstance(status, DeviceStatus):
        return status
    return DeviceStatus(DeviceState.UNKNOWN, "status query gave no answer")


def create_devices(
    settings: Settings,
    *,
    card_key: bytes,
    speech: SpeechEngine | None = None,
    card_reader: CardReader | None = None,
    slips_dir: Path | None = None,
) -> DeviceSet:
    """Create (not start) every configured device.

    ``card_reader`` supplies a reader built elsewhere (the keyboard-wedge reader lives in
    the UI layer because it filters Qt key events).
    """
    d = settings.devices
    devices = DeviceSet(speech=speech or registry.create_speech_engine(settings.voice.engine))
    devices.drivers["speech"] = settings.voice.engine
    devices.required["speech"] = settings.voice.required

    p = d.printer
    if p.driver == "simulated":
        out = Path(p.output_dir) if p.output_dir else (slips_dir or settings.data_path() / "slips")
        devices.printer = registry.create_receipt_printer("simulated", out_dir=out)
    elif p.driver != "none":
        connection = p.driver.removeprefix("escpos-")
        devices.printer = registry.create_receipt_printer(
            "escpos",
            connection=connection,
            host=p.host,
            port=p.port,
            device=p.device,
            baudrate=p.baudrate,
            usb_vendor=p.usb_vendor,
            usb_product=p.usb_product,
            profile=p.profile,
            width_chars=p.width_chars,
            chinese=p.chinese,
        )
    if devices.printer is not None:
        devices.drivers["printer"] = p.driver
        devices.required["printer"] = p.required

    if d.document_printer.driver == "cups":
        devices.document_printer = registry.create_document_printer(
            "cups", queue=d.document_printer.queue
        )
        devices.drivers["document_printer"] = "cups"
        devices.required["document_printer"] = d.document_printer.required

    c = d.camera
    if c.driver == "simulated":
        devices.camera = registry.create_qr_scanner("simulated", debounce_s=c.debounce_s)
    elif c.driver == "opencv":
        source: int | str = int(c.source) if c.source.isdigit() else c.source
        devices.camera = registry.create_qr_scanner(
            "opencv", source=source, debounce_s=c.debounce_s, stale_after_s=c.stale_after_s
        )
    if devices.camera is not None:
        devices.drivers["camera"] = c.driver
        devices.required["camera"] = c.required

    r = d.card_reader
    if card_reader is not None:
        devices.card_reader = card_reader
    elif r.driver == "simulated":
        devices.card_reader = registry.create_card_reader("simulated", key=card_key)
    elif r.driver == "serial":
        devices.card_reader = registry.create_card_reader(
            "serial", port=r.port, key=card_key, baudrate=r.baudrate, framing=r.framing
        )
    elif r.driver == "pcsc":
        devices.card_reader = registry.create_card_reader(
            "pcsc", key=card_key, reader_filter=r.reader_filter or None
        )
    elif r.driver == "wedge":
        raise ValueError("the keyboard-wedge reader is created by the UI layer")
    if devices.card_reader is not None:
        devices.drivers["card_reader"] = r.driver
        devices.required["card_reader"] = r.required

    h = d.health
    if h.driver in ("simulated", "ble"):
        for kind in h.kinds:
            devices.health[kind] = registry.create_health_monitor(h.driver, kind=kind)
            devices.drivers[f"health.{kind}"] = h.driver
            devices.required[f"health.{kind}"] = h.required
    elif h.driver == "serial":
        log.warning("serial health devices need a line protocol per device; none configured")
    return devices
