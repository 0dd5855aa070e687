"""``community-kiosk doctor``: check every configured device and print a table.

Exit status 0 when every required device (and the database) is ready, 1 otherwise. A device
that does not answer is UNKNOWN, and UNKNOWN is not ready.

NOTE: Qt-free zone: runs without a display.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from hardware.protocols import ERROR_STATES, DeviceState, DeviceStatus
from kiosk.backend import CARD_KEY_FILE, Backend
from kiosk.config import Settings
from kiosk.device_set import create_devices, status_of
from kiosk.devices import DeviceRow
from kiosk.keys import load_or_create_key

SIMULATED = {
    "devices.printer.driver": "simulated",
    "devices.document_printer.driver": "none",
    "devices.camera.driver": "simulated",
    "devices.card_reader.driver": "simulated",
    "devices.health.driver": "simulated",
    "voice.engine": "recording",
}


def check(settings: Settings, *, wait_s: float = 3.0) -> tuple[list[DeviceRow], bool]:
    """Start the devices, wait up to ``wait_s`` for them to settle, and report.

    Returns the rows and whether every required device is ready.
    """
    card_key = load_or_create_key(settings.data_path() / "keys" / CARD_KEY_FILE)
    wedge = settings.devices.card_reader.driver == "wedge"
    if wedge:
        settings = settings.replace(
            devices=settings.devices.replace(
                card_reader=settings.devices.card_reader.replace(driver="none")
            )
        )
    devices = create_devices(settings, card_key=card_key)
    running = [d for d in (devices.camera, devices.card_reader, *devices.health.values()) if d]

    def ignore(*_args: object) -> None:
        return None

    for device in running:
        device.start(ignore, ignore)
    try:
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if all(status_of(d).state is not DeviceState.UNKNOWN for d in running):
                break
            time.sleep(0.1)
        rows = [
            DeviceRow(key, devices.drivers.get(key, "?"), s.state, s.detail)
            for key, s in ((key, status_of(d)) for key, d in devices.items())
        ]
    finally:
        for device in running:
            device.stop()
    ok = all(r.state not in ERROR_STATES for r in rows if devices.required.get(r.device, False))
    if wedge:
        note = DeviceStatus(DeviceState.UNKNOWN, "keyboard wedge: swipe a card at the kiosk")
        rows.append(DeviceRow("card_reader", "wedge", note.state, note.detail))
        ok = ok and not settings.devices.card_reader.required
    backend = Backend(settings, card_key=card_key)
    try:
        database = backend.open().database
        database.ping()
        rows.append(DeviceRow("database", database.engine.dialect.name, DeviceState.READY))
    except Exception as exc:  # reported, not raised: the table is the answer
        rows.append(DeviceRow("database", "-", DeviceState.ERROR, type(exc).__name__))
        ok = False
    finally:
        backend.close()
    return rows, ok


def print_table(rows: list[DeviceRow], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    header = ("device", "driver", "state", "detail")
    table = [header] + [(r.device, r.driver, r.state.value, r.detail) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        cells = [row[i].ljust(widths[i]) for i in range(3)] + [row[3]]
        out.write("  ".join(cells).rstrip() + "\n")


def main(settings: Settings, *, wait_s: float, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    rows, ok = check(settings, wait_s=wait_s)
    print_table(rows, out)
    out.write("all required devices ready\n" if ok else "NOT READY: see the table above\n")
    return 0 if ok else 1
