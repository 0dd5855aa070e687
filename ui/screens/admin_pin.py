"""Admin PIN: set on first start (twice), then entered on every admin visit. Digits are
shown and spoken only as dots."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.flows.admin import AdminState
from ui.context import ScreenContext
from ui.registry import register_screen
from ui.screen import Screen, plain_label
from ui.widgets.keypad import Keypad

MAX_PIN = 12


@register_screen
class AdminPinScreen(Screen):
    screen_id = "admin_pin"
    voice_prompt = prompts.ADMIN_PIN

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.instruction = plain_label(role="body")
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.dots = plain_label(role="keypad", wrap=False)
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots.setObjectName("pinDots")
        self.status = plain_label(role="status-error")
        self.status.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.status.setProperty("kiosk_status", True)
        self.keypad = Keypad()
        self._root.addWidget(self.instruction)
        self._root.addWidget(self.dots)
        self._root.addWidget(self.status)
        self._root.addWidget(self.keypad, 1)
        self._pin = ""
        self._first = ""
        self.keypad.digit.connect(self._on_digit)
        self.keypad.erased.connect(self._on_erase)
        self.keypad.accepted.connect(self._on_accept)
        ctx.admin.state_changed.connect(self._on_state)
        ctx.admin.rejected.connect(self._on_rejected)
        self.retranslate_ui()

    def title(self) -> str:
        if self.ctx.admin.state is AdminState.NEEDS_SETUP:
            return self.tr("Set the administrator PIN")
        return self.tr("Administrator sign-in")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        if self.ctx.admin.state is AdminState.NEEDS_SETUP:
            self.instruction.setText(
                self.tr("Enter the new PIN again to confirm.")
                if self._first
                else prompts.ADMIN_SET_PIN.text()
            )
        else:
            self.instruction.setText(prompts.ADMIN_PIN.text())
        self._render()

    def on_enter(self, **params: object) -> None:
        self.clear_personal_data()
        self.ctx.admin.start()

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self._root.setSpacing(gap)
        self.keypad.set_spacing(gap)

    def on_leave(self) -> None:
        self.clear_personal_data()

    def clear_personal_data(self) -> None:
        self._pin = ""
        self._first = ""
        self.status.clear()
        super().clear_personal_data()

    def _render(self) -> None:
        self.dots.setText("●" * len(self._pin) if self._pin else "—")

    def _on_digit(self, digit: str) -> None:
        if len(self._pin) < MAX_PIN:
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
        if self.ctx.admin.state is AdminState.NEEDS_SETUP:
            if not self._first:
                self._first = pin
                self.retranslate_ui()
                return
            first, self._first = self._first, ""
            self.ctx.admin.submit_new_pin(first, pin)
            self.retranslate_ui()
        else:
            self.ctx.admin.submit_pin(pin)

    def _on_state(self, state: AdminState) -> None:
        self.retranslate_ui()
        if state is AdminState.UNLOCKED and self.ctx.navigator.current is self:
            self.ctx.navigator.go("admin")

    def _on_rejected(self, error: KioskError) -> None:
        text = error.text()
        self.status.setText(text)
        self.ctx.voice.say(text, owner=self, auto=True)
