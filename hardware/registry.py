"""Explicit registry: configuration names → device back-ends, imported lazily.

Simulators are first-class back-ends chosen by configuration; they are never called drivers.
A back-end's optional dependency (pyscard, bleak, python-escpos, pyserial) is imported only
when that back-end is chosen.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from hardware.protocols import (
    CardReader,
    HealthMonitor,
    QrScanner,
    ReceiptPrinter,
    SpeechEngine,
)

#: name → "module:Class". Real engines first, then the test/simulation ones.
SPEECH_ENGINES: dict[str, str] = {
    "pyttsx3": "hardware.speech.pyttsx3_engine:Pyttsx3SpeechEngine",
    "espeak": "hardware.speech.espeak:EspeakSpeechEngine",
    "recording": "hardware.speech.recording:RecordingSpeechEngine",
    "silent": "hardware.speech.silent:SilentSpeechEngine",
}

QR_SCANNERS: dict[str, str] = {
    "opencv": "hardware.camera.opencv_qr:OpenCvQrScanner",
    "simulated": "hardware.camera.simulated:SimulatedQrScanner",
}

CARD_READERS: dict[str, str] = {
    "serial": "hardware.card_reader.serial_reader:SerialCardReader",
    "pcsc": "hardware.card_reader.pcsc:PcscCardReader",
    "simulated": "hardware.card_reader.simulated:SimulatedCardReader",
}

RECEIPT_PRINTERS: dict[str, str] = {
    "escpos": "hardware.printer.escpos_printer:EscPosReceiptPrinter",
    "simulated": "hardware.printer.simulated:SimulatedReceiptPrinter",
}

DOCUMENT_PRINTERS: dict[str, str] = {
    "cups": "hardware.printer.cups_printer:CupsDocumentPrinter",
}

HEALTH_MONITORS: dict[str, str] = {
    "ble": "hardware.health.ble:BleHealthMonitor",
    "serial": "hardware.health.serial_device:SerialHealthMonitor",
    "simulated": "hardware.health.simulated:SimulatedHealthMonitor",
}


def _create(table: dict[str, str], what: str, name: str, options: dict[str, Any]) -> object:
    try:
        spec = table[name]
    except KeyError:
        raise ValueError(f"unknown {what} {name!r}; choose one of {', '.join(table)}") from None
    module_name, _, attr = spec.partition(":")
    factory = getattr(import_module(module_name), attr)
    return factory(**options)


def create_speech_engine(name: str, **options: Any) -> SpeechEngine:
    engine = _create(SPEECH_ENGINES, "speech engine", name, options)
    if not isinstance(engine, SpeechEngine):
        raise TypeError(f"{SPEECH_ENGINES[name]} does not implement SpeechEngine")
    return engine


def create_qr_scanner(name: str, **options: Any) -> QrScanner:
    scanner = _create(QR_SCANNERS, "camera driver", name, options)
    if not isinstance(scanner, QrScanner):
        raise TypeError(f"{QR_SCANNERS[name]} does not implement QrScanner")
    return scanner


def create_card_reader(name: str, **options: Any) -> CardReader:
    reader = _create(CARD_READERS, "card reader driver", name, options)
    if not isinstance(reader, CardReader):
        raise TypeError(f"{CARD_READERS[name]} does not implement CardReader")
    return reader


def create_receipt_printer(name: str, **options: Any) -> ReceiptPrinter:
    printer = _create(RECEIPT_PRINTERS, "printer driver", name, options)
    if not isinstance(printer, ReceiptPrinter):
        raise TypeError(f"{RECEIPT_PRINTERS[name]} does not implement ReceiptPrinter")
    return printer


def create_document_printer(name: str, **options: Any) -> object:
    return _create(DOCUMENT_PRINTERS, "document printer driver", name, options)


def create_health_monitor(name: str, **options: Any) -> HealthMonitor:
    monitor = _create(HEALTH_MONITORS, "health device driver", name, options)
    if not isinstance(monitor, HealthMonitor):
        raise TypeError(f"{HEALTH_MONITORS[name]} does not implement HealthMonitor")
    return monitor
