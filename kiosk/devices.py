"""Device states as staff see them: translatable labels, one row per device."""

from __future__ import annotations

from dataclasses import dataclass

from hardware.protocols import ERROR_STATES, DeviceState
from kiosk.prompts import QT_TRANSLATE_NOOP, Prompt

STATE_LABELS: dict[DeviceState, Prompt] = {
    DeviceState.READY: Prompt("DeviceState", QT_TRANSLATE_NOOP("DeviceState", "Ready")),
    DeviceState.BUSY: Prompt("DeviceState", QT_TRANSLATE_NOOP("DeviceState", "Busy")),
    DeviceState.PAPER_LOW: Prompt("DeviceState", QT_TRANSLATE_NOOP("DeviceState", "Paper low")),
    DeviceState.PAPER_OUT: Prompt("DeviceState", QT_TRANSLATE_NOOP("DeviceState", "Paper out")),
    DeviceState.OFFLINE: Prompt("DeviceState", QT_TRANSLATE_NOOP("DeviceState", "Offline")),
    DeviceState.ERROR: Prompt("DeviceState", QT_TRANSLATE_NOOP("DeviceState", "Error")),
    DeviceState.UNKNOWN: Prompt("DeviceState", QT_TRANSLATE_NOOP("DeviceState", "Unknown")),
}

DEVICE_NAMES: dict[str, Prompt] = {
    "speech": Prompt("Device", QT_TRANSLATE_NOOP("Device", "Speech")),
    "database": Prompt("Device", QT_TRANSLATE_NOOP("Device", "Database")),
    "printer": Prompt("Device", QT_TRANSLATE_NOOP("Device", "Receipt printer")),
    "camera": Prompt("Device", QT_TRANSLATE_NOOP("Device", "Camera QR reader")),
    "card_reader": Prompt("Device", QT_TRANSLATE_NOOP("Device", "Card reader")),
    "document_printer": Prompt("Device", QT_TRANSLATE_NOOP("Device", "A4 printer")),
    "health": Prompt("Device", QT_TRANSLATE_NOOP("Device", "Health devices")),
    "health.blood_pressure": Prompt(
        "Device", QT_TRANSLATE_NOOP("Device", "Blood pressure monitor")
    ),
    "health.weight": Prompt("Device", QT_TRANSLATE_NOOP("Device", "Scale")),
    "health.thermometer": Prompt("Device", QT_TRANSLATE_NOOP("Device", "Thermometer")),
    "health.pulse_oximeter": Prompt("Device", QT_TRANSLATE_NOOP("Device", "Pulse oximeter")),
    "health.glucose": Prompt("Device", QT_TRANSLATE_NOOP("Device", "Glucose meter")),
}


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """One line of the device table (admin screen, doctor command)."""

    device: str
    driver: str
    state: DeviceState
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state not in ERROR_STATES

    def device_label(self) -> str:
        prompt = DEVICE_NAMES.get(self.device)
        return prompt.text() if prompt else self.device

    def state_label(self) -> str:
        return STATE_LABELS[self.state].text()


#: Worst first: the state a group of devices shows is that of its worst member.
_SEVERITY = (
    DeviceState.ERROR,
    DeviceState.OFFLINE,
    DeviceState.UNKNOWN,
    DeviceState.PAPER_OUT,
    DeviceState.PAPER_LOW,
    DeviceState.BUSY,
    DeviceState.READY,
)


def summarize(rows: list[DeviceRow], group: str) -> list[DeviceRow]:
    """Fold the rows ``group.*`` into one row with the worst state and "ready/total"."""
    members = [r for r in rows if r.device.startswith(group + ".")]
    if not members:
        return rows
    worst = min(members, key=lambda r: _SEVERITY.index(r.state))
    ready = sum(1 for r in members if r.ok)
    drivers = ",".join(sorted({r.driver for r in members}))
    folded = DeviceRow(group, drivers, worst.state, f"{ready}/{len(members)}")
    out: list[DeviceRow] = []
    for r in rows:
        if r.device.startswith(group + "."):
            if folded not in out:
                out.append(folded)
        else:
            out.append(r)
    return out
