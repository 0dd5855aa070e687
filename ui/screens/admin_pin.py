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
from ui.widgets.pin_pad import PinPad

MAX_PIN = 12


@register_screen
class AdminPinScreen(Screen):
    screen_id = "admin_pin"
    voice_prompt = prompts.ADMIN_PIN

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.instruction = plain_label(role="body")
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pad = PinPad(MAX_PIN)
        # The pad's parts, by the names the admin tests and the audit use.
        self.dots, self.status, self.keypad = self.pad.dots, self.pad.status, self.pad.keypad
        self.dots.setObjectName("pinDots")
        self._root.addWidget(self.instruction)
        self._root.addWidget(self.pad, 1)
        self._first = ""
        self.pad.submitted.connect(self._on_submitted)
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

    def on_enter(self, **params: object) -> None:
        self.clear_personal_data()
        self.ctx.admin.start()

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self._root.setSpacing(gap)
        self.pad.set_spacing(gap)

    def on_leave(self) -> None:
        self.clear_personal_data()

    def clear_personal_data(self) -> None:
        self._first = ""
        self.pad.clear()
        super().clear_personal_data()

    def _on_submitted(self, pin: str) -> None:
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
        self.pad.show_error(text)
        self.ctx.voice.say(text, owner=self, auto=True)
