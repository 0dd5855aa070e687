"""Volunteer sign-in: the volunteer's card or code was recognised; the PIN starts assisted mode.

Signing in again while signed in (to renew the sign-in before its maximum) returns to the
screen the volunteer was on; a first sign-in goes home.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.flows.resident import spoken_masked
from kiosk.session import Volunteer
from ui.context import ScreenContext
from ui.registry import register_screen
from ui.screen import Screen, plain_label
from ui.widgets.pin_pad import PinPad


@register_screen
class VolunteerPinScreen(Screen):
    screen_id = "volunteer_pin"
    voice_prompt = prompts.VOLUNTEER_PIN

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.instruction = plain_label(role="body")
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pad = PinPad()
        self._root.addWidget(self.instruction)
        self._root.addWidget(self.pad, 1)
        self._masked_name = ""
        self._renewal = False
        self.pad.submitted.connect(ctx.volunteer.submit_pin)
        ctx.volunteer.card_recognised.connect(self._on_card)
        ctx.volunteer.rejected.connect(self._on_rejected)
        ctx.volunteer.identification_failed.connect(self._on_rejected)
        ctx.volunteer.signed_in.connect(self._on_signed_in)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Volunteer sign-in")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        text = prompts.VOLUNTEER_PIN.text()
        # The masked name (data) leads the instruction: one line less in 长辈模式.
        self.instruction.setText(f"{self._masked_name}  {text}" if self._masked_name else text)

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self._root.setSpacing(gap)
        self.pad.set_spacing(gap)

    def on_leave(self) -> None:
        self.pad.clear()

    def clear_personal_data(self) -> None:
        self._masked_name = ""
        self._renewal = False
        self.pad.clear()
        super().clear_personal_data()

    def _on_card(self, masked_name: str) -> None:
        self._masked_name = masked_name
        self.pad.clear()
        self.retranslate_ui()
        if self.ctx.navigator.current is not self:
            self._renewal = self.ctx.session.volunteer is not None
            self.ctx.navigator.go(self.screen_id)

    def _on_rejected(self, error: KioskError) -> None:
        if self.ctx.navigator.current is self:
            text = error.text()
            self.pad.show_error(text)
            self.ctx.voice.say(text, owner=self, auto=True)

    def _on_signed_in(self, volunteer: Volunteer) -> None:
        navigator = self.ctx.navigator
        renewal, self._renewal = self._renewal, False
        if renewal and navigator.can_go_back():
            navigator.back()
        else:
            navigator.home()
        # Said after the switch (switching stops speech), before the next screen's intro.
        self.ctx.voice.interrupt()
        self.ctx.voice.say(
            prompts.VOLUNTEER_SIGNED_IN, name=spoken_masked(volunteer.masked_name), auto=True
        )
        navigator.speak_current()
