"""Developer panel (``--simulate``): inject QR codes, cards, readings and faults.

A tool for developers and demonstrations, not a kiosk screen: it is a separate window and
only exists when the devices are simulators. It drives the simulators directly; the kiosk
sees the results exactly as it would see real devices (through the DeviceHub).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hardware.camera.simulated import SimulatedQrScanner
from hardware.card_reader.simulated import SimulatedCardReader
from hardware.health.simulated import SimulatedHealthMonitor
from hardware.printer.simulated import SimulatedReceiptPrinter
from hardware.protocols import DeviceState
from kiosk.device_set import DeviceSet
from kiosk.masking import mask_name
from kiosk.store.demo import DEMO_CARDS

if TYPE_CHECKING:
    from kiosk.backend import Services

log = logging.getLogger(__name__)


class DemoVisitors:
    """What the community platform's phone app would do, for demonstrations: passes a
    resident sent, the app's resident and volunteer codes, and the host's answer to a
    walk-in. Uses the station's (demo) signing key and the station database."""

    def __init__(
        self,
        services: Callable[[], Services],
        walkin_ticket: Callable[[], Any],
        *,
        community_id: str,
    ) -> None:
        self._services = services
        self._ticket = walkin_ticket
        self._community = community_id

    def visitor_pass(self) -> str | None:
        s = self._services()
        if s.pass_signer is None:
            return None
        household = s.platform.find_households()[0]
        return s.pass_signer.issue(
            community_id=self._community,
            household=household.code,
            visitor_name="张三明",
            valid_until=datetime.now(UTC) + timedelta(hours=4),
        )

    def identity_code(self, kind: str) -> str | None:
        from sqlalchemy import select

        from kiosk.security.identity_tokens import IdentityKind
        from kiosk.store.models import Resident, Volunteer

        s = self._services()
        if s.identity_signer is None:
            return None
        model = Resident if kind == "resident" else Volunteer
        with s.database.session(write=False) as session:
            subject = session.scalar(select(model.id).order_by(model.id).limit(1))
        if subject is None:
            return None
        return s.identity_signer.issue(IdentityKind(kind), subject, self._community)

    def host_decides(self, approve: bool) -> str:
        from sqlalchemy import select

        from kiosk.platform.api import Actor
        from kiosk.store.models import Resident

        ticket = self._ticket()
        if ticket is None:
            return "no walk-in is waiting"
        s = self._services()
        with s.database.session(write=False) as session:
            host = session.scalar(
                select(Resident.id).where(Resident.household_id == ticket.host_household_id)
            )
        if host is None:
            return "nobody lives there to answer"
        decided = s.platform.decide_approval(
            ticket.approval_id, approve, actor=Actor.resident(host)
        )
        return decided.state


class SimulatorPanel(QWidget):
    """Buttons for every simulated device in ``devices``; real devices get no controls."""

    def __init__(
        self,
        devices: DeviceSet,
        parent: QWidget | None = None,
        *,
        visitors: DemoVisitors | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kiosk simulator panel")
        self.devices = devices
        layout = QVBoxLayout(self)
        self.status = QLabel("")
        if isinstance(devices.camera, SimulatedQrScanner):
            layout.addWidget(self._camera(devices.camera))
            if visitors is not None:
                layout.addWidget(self._visitors(devices.camera, visitors))
        if isinstance(devices.card_reader, SimulatedCardReader):
            layout.addWidget(self._cards(devices.card_reader))
        if isinstance(devices.printer, SimulatedReceiptPrinter):
            layout.addWidget(self._printer(devices.printer))
        sims = {k: m for k, m in devices.health.items() if isinstance(m, SimulatedHealthMonitor)}
        if sims:
            layout.addWidget(self._health(sims))
        layout.addWidget(self.status)
        layout.addStretch(1)

    def _button(self, row: QHBoxLayout, text: str, action: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(text)

        def run() -> None:
            try:
                result = action()
            except Exception as exc:
                self.status.setText(f"{text}: {type(exc).__name__}")
            else:
                self.status.setText(f"{text}: {result!r}" if result is not None else text)

        button.clicked.connect(run)
        row.addWidget(button)
        return button

    def _camera(self, camera: SimulatedQrScanner) -> QGroupBox:
        box = QGroupBox("Camera QR reader")
        row = QHBoxLayout(box)
        self.qr_text = QLineEdit()
        self.qr_text.setPlaceholderText("text of the QR code")
        row.addWidget(self.qr_text, 1)
        self._button(row, "Show QR", lambda: camera.show_qr(self.qr_text.text()))
        self._button(row, "Camera offline", camera.go_offline)
        self._button(row, "Camera back", camera.come_back)
        return box

    def _visitors(self, camera: SimulatedQrScanner, visitors: DemoVisitors) -> QGroupBox:
        box = QGroupBox("Visitors and residents (demo platform)")
        column = QVBoxLayout(box)
        shows = QHBoxLayout()
        column.addLayout(shows)

        def show(text: str | None) -> str:
            if text is None:
                return "no signing key"
            camera.reset_debounce()
            camera.show_qr(text)
            return "shown"

        self._button(shows, "Show visitor pass", lambda: show(visitors.visitor_pass()))
        self._button(shows, "Show resident code", lambda: show(visitors.identity_code("resident")))
        self._button(
            shows, "Show volunteer code", lambda: show(visitors.identity_code("volunteer"))
        )
        host = QHBoxLayout()
        column.addLayout(host)
        self._button(host, "Host approves walk-in", lambda: visitors.host_decides(True))
        self._button(host, "Host refuses walk-in", lambda: visitors.host_decides(False))
        return box

    def _cards(self, reader: SimulatedCardReader) -> QGroupBox:
        box = QGroupBox("Card reader")
        row = QHBoxLayout(box)
        self.card_choice = QComboBox()
        for card in DEMO_CARDS:
            self.card_choice.addItem(f"{card.kind}: {mask_name(card.holder)}", card.uid)
        row.addWidget(self.card_choice, 1)
        self._button(row, "Insert card", lambda: reader.insert_card(self.card_choice.currentData()))
        self._button(row, "Remove card", reader.remove_card)
        self._button(row, "Reader offline", reader.go_offline)
        self._button(row, "Reader back", reader.recover)
        return box

    def _printer(self, printer: SimulatedReceiptPrinter) -> QGroupBox:
        box = QGroupBox("Receipt printer")
        row = QHBoxLayout(box)
        self._button(row, "Paper low", lambda: printer.set_paper(DeviceState.PAPER_LOW))
        self._button(row, "Paper out", lambda: printer.set_paper(DeviceState.PAPER_OUT))
        self._button(row, "Paper OK", lambda: printer.set_paper(DeviceState.READY))
        self._button(row, "Printer offline", printer.go_offline)
        self._button(row, "Printer online", printer.go_online)
        return box

    def _health(self, monitors: dict[str, SimulatedHealthMonitor]) -> QGroupBox:
        box = QGroupBox("Health devices")
        column = QVBoxLayout(box)
        for kind, monitor in monitors.items():
            row = QHBoxLayout()
            row.addWidget(QLabel(kind), 1)
            self._button(row, f"Measure {kind}", lambda m=monitor: bool(m.measure()))
            fault = "cuff_loose" if kind == "blood_pressure" else "low_battery"
            self._button(row, f"Fault {kind}", lambda m=monitor, f=fault: m.fail_next(f))
            self._button(row, f"Offline {kind}", monitor.set_offline)
            self._button(row, f"Online {kind}", monitor.set_online)
            column.addLayout(row)
        return box
