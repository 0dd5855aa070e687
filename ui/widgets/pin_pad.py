"""PIN entry: dots instead of digits, a status line, and the large keypad."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.screen import plain_label
from ui.widgets.keypad import Keypad


class PinPad(QWidget):
    """Collects up to ``max_digits`` digits; never shows or speaks them.

    Signals:
        submitted: OK was pressed with at least one digit; arg: the PIN (then cleared).
    """

    submitted = Signal(str)

    def __init__(self, max_digits: int = 12, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._max = max_digits
        self._pin = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.dots = plain_label(role="keypad", wrap=False)
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = plain_label(role="status-error")
        self.status.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.status.setProperty("kiosk_status", True)
        self.keypad = Keypad()
        layout.addWidget(self.dots)
        layout.addWidget(self.status)
        layout.addWidget(self.keypad, 1)
        self.keypad.digit.connect(self._on_digit)
        self.keypad.erased.connect(self._on_erase)
        self.keypad.accepted.connect(self._on_accept)
        self._render()

    def set_spacing(self, px: int) -> None:
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.setSpacing(px)
        self.keypad.set_spacing(px)

    def clear(self) -> None:
        self._pin = ""
        self.status.clear()
        self._render()

    def show_error(self, text: str) -> None:
        self.status.setText(text)

    def _render(self) -> None:
        self.dots.setText("●" * len(self._pin) if self._pin else "—")

    def _on_digit(self, digit: str) -> None:
        if len(self._pin) < self._max:
            self._pin += digit
            self.status.clear()
            self._render()

    def _on_erase(self) -> None:
        self._pin = self._pin[:-1]
        self._render()

    def _on_accept(self) -> None:
        if not self._pin:
            return
        pin, self._pin = self._pin, ""
        self._render()
        self.submitted.emit(pin)
