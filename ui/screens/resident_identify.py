"""Resident identification: 刷社区卡, 出示居民码, or 房号 + 手机尾号.

One screen, several views (only one shown at a time; hidden views take no room, so the screen
never scrolls):

* ``choose``: the three ways as large buttons. A card tapped or a resident code shown while
  this screen is up is identified whatever view is shown (the composition root routes cards
  and codes to :class:`~kiosk.flows.resident.ResidentFlow`).
* ``card`` / ``qr``: what to do, in large type (with the camera picture for the code).
* ``room``: building → unit → (floor →) room on the touch picker, then ``phone``: the last
  four digits of the phone number on the keypad, shown as dots and never spoken.
* ``confirm`` (assisted mode, room path): "请志愿者核对：张*明，3栋2单元501" with 确认身份 and
  不是本人.

``navigator.go("resident_identify", then="invite")`` continues to ``invite`` once the resident
is identified (home without ``then``). The flow is taken from ``ctx.resident`` or
``ctx.extras["resident"]``; without one the screen still shows (the card and code views
explain what to do) but cannot identify anyone.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import KioskError
from kiosk.flows import resident as rp
from kiosk.flows.resident import HomeChoice, ResidentFlow, ResidentState, spoken_masked
from kiosk.prompts import Prompt
from kiosk.session import Resident
from ui.context import ScreenContext
from ui.registry import register_screen
from ui.screen import Screen, plain_label
from ui.theme import Palette
from ui.widgets.big_button import BigButton
from ui.widgets.camera_view import CameraView
from ui.widgets.code_entry import DigitEntry
from ui.widgets.household_picker import HouseholdOption, HouseholdPicker

SCREEN_ID = "resident_identify"
PHONE_DIGITS = 4

CHOOSE = "choose"
CARD = "card"
QR = "qr"
ROOM = "room"
PHONE = "phone"
CONFIRM = "confirm"


class TapCardPicture(QWidget):
    """A card coming down onto the reader: the 刷社区卡 view's picture (painted, no assets).

    Takes the room that is left and no more; colours come from the theme's palette.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.setMinimumHeight(120)
        self._card = QColor("#0A58A8")
        self._reader = QColor("#1B1F24")
        self._chip = QColor("#E8A200")

    def set_palette(self, palette: Palette) -> None:
        self._card = QColor(palette.primary_bg)
        self._reader = QColor(palette.page_fg)
        self._chip = QColor(palette.focus)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        h = self.height()
        unit = min(self.width() / 3.0, h / 1.9)
        if unit < 10:
            return
        cx = self.width() / 2.0
        top = (h - unit * 1.9) / 2.0
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            # The card, held above the reader.
            card = QRectF(cx - unit * 0.8, top, unit * 1.6, unit)
            painter.setBrush(self._card)
            painter.drawRoundedRect(card, unit * 0.1, unit * 0.1)
            painter.setBrush(self._chip)
            painter.drawRoundedRect(
                QRectF(card.left() + unit * 0.2, card.top() + unit * 0.3, unit * 0.3, unit * 0.25),
                unit * 0.04,
                unit * 0.04,
            )
            # The reader beneath it.
            painter.setBrush(self._reader)
            painter.drawRoundedRect(
                QRectF(cx - unit, top + unit * 1.4, unit * 2.0, unit * 0.5),
                unit * 0.08,
                unit * 0.08,
            )
            # Waves between them: hold the card there.
            pen = QPen(self._reader, max(2.0, unit * 0.05))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            base = top + unit * 1.35
            for i in range(3):
                r = unit * (0.1 + 0.08 * i)
                painter.drawArc(QRectF(cx - r, base - r, 2 * r, 2 * r), 45 * 16, 90 * 16)
        finally:
            painter.end()


class PhoneDigits(DigitEntry):
    """The last four digits of the phone number: shown as dots, named as stars, never spoken.

    Signals:
        submitted: OK with four digits; arg: the digits (then cleared).
        invalid: OK was refused; arg: the message shown next to the field (to be spoken).
    """

    submitted = Signal(str)
    invalid = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(PHONE_DIGITS, [PHONE_DIGITS], parent)
        self.display.setObjectName("phoneDigits")

    def _render(self) -> None:
        typed = len(self.digits())
        self.display.setText("●" * typed + "-" * (PHONE_DIGITS - typed))
        # Whatever reads names aloud hears stars, never the digits.
        self.display.setAccessibleName("*" * typed)

    def _accept(self) -> None:
        digits = self.digits()
        if len(digits) < PHONE_DIGITS:
            self._refuse(lambda: rp.RESIDENT_PHONE_INCOMPLETE.text(), self.invalid.emit)
            return
        self.clear()
        self.submitted.emit(digits)


@register_screen
class ResidentIdentifyScreen(Screen):
    """Who is the resident? Mirrors :class:`ResidentFlow`; holds no business state."""

    screen_id = SCREEN_ID
    voice_prompt = rp.RESIDENT_IDENTIFY

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._view = CHOOSE
        self._then: str | None = None
        self._homes: dict[int, HouseholdOption] = {}
        self._home: HouseholdOption | None = None
        self._confirm: tuple[str, str] | None = None
        self._bound: ResidentFlow | None = None
        self._portrait = False

        self.instruction = plain_label(role="heading")
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.instruction.setObjectName("residentInstruction")
        self._root.addWidget(self.instruction)

        # -- choose
        self.choose_view = QWidget()
        self._choose_box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.choose_view)
        self._choose_box.setContentsMargins(0, 0, 0, 0)
        self.card_button = BigButton(variant="tile", primary=True)
        self.card_button.setObjectName("wayCard")
        self.qr_button = BigButton(variant="tile", primary=True)
        self.qr_button.setObjectName("wayCode")
        self.room_button = BigButton(variant="tile", primary=True)
        self.room_button.setObjectName("wayRoom")
        for button in (self.card_button, self.qr_button, self.room_button):
            self._choose_box.addWidget(button, 1)
        self.card_button.clicked.connect(lambda: self._show(CARD))
        self.qr_button.clicked.connect(lambda: self._show(QR))
        self.room_button.clicked.connect(self._open_room)

        # -- card and code: instruction above, a picture of the reader or the camera's
        self.card_picture = TapCardPicture()
        self.card_picture.setObjectName("tapCardPicture")
        self.camera = CameraView(getattr(ctx, "camera_frames", None))
        self.camera.setObjectName("residentCamera")
        # The picture takes the room that is left, never more: its 640×480 size hint would
        # otherwise push 换一种方式 below the fold in 长辈模式.
        self.camera.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.camera.setMinimumHeight(120)

        # -- room
        self.picker = HouseholdPicker()
        self.picker.step_changed.connect(self._say)
        self.picker.chosen.connect(self._on_home_chosen)

        # -- phone digits
        self.phone = PhoneDigits()
        self.phone.submitted.connect(self._on_phone_submitted)
        self.phone.invalid.connect(self._say)
        self.change_room = BigButton(variant="secondary")
        self.change_room.setObjectName("changeRoom")
        self.change_room.clicked.connect(self._open_room)
        self.phone_other_ways = BigButton(variant="secondary")
        self.phone_other_ways.setObjectName("phoneOtherWays")
        self.phone_other_ways.clicked.connect(lambda: self._show(CHOOSE))
        self._phone_actions = QWidget()
        phone_actions = QHBoxLayout(self._phone_actions)
        phone_actions.setContentsMargins(0, 0, 0, 0)
        phone_actions.addWidget(self.change_room)
        phone_actions.addWidget(self.phone_other_ways)
        # Beside the digits (under the message when the keypad is beside them).
        self.phone.set_aside(self._phone_actions)
        # The instruction goes with the digits: beside the keypad in landscape, where a line
        # above it would push the keypad's last row off a 长辈模式 screen.
        self.phone_instruction = plain_label(role="heading")
        self.phone_instruction.setObjectName("phoneInstruction")
        self.phone_instruction.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.phone.field_layout.insertWidget(0, self.phone_instruction)

        # -- the volunteer's check
        self.confirm_page = QWidget()
        confirm_page = QVBoxLayout(self.confirm_page)
        confirm_page.setContentsMargins(0, 0, 0, 0)
        self.confirm_heading = plain_label(role="heading")
        self.confirm_heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.confirm_view = QFrame()
        self.confirm_view.setProperty("surface", "card")
        confirm_layout = QVBoxLayout(self.confirm_view)
        self.confirm_who = plain_label(role="title")
        self.confirm_who.setProperty("data_text", True)
        self.confirm_who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.confirm_who.setObjectName("confirmWho")
        confirm_layout.addWidget(self.confirm_who)
        self.confirm_buttons = QWidget()
        buttons = QHBoxLayout(self.confirm_buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        self.confirm_yes = BigButton(variant="primary", primary=True)
        self.confirm_yes.setObjectName("confirmIdentity")
        self.confirm_no = BigButton(variant="secondary")
        self.confirm_no.setObjectName("notThisPerson")
        buttons.addWidget(self.confirm_yes, 1)
        buttons.addWidget(self.confirm_no, 1)
        confirm_page.addStretch(1)
        confirm_page.addWidget(self.confirm_heading)
        confirm_page.addWidget(self.confirm_view)
        confirm_page.addWidget(self.confirm_buttons)
        confirm_page.addStretch(2)

        # -- shared: the message line and 换一种方式
        self.status = plain_label(role="status-error")
        self.status.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.status.setProperty("kiosk_status", True)
        self.status.setObjectName("residentStatus")
        self.other_ways = BigButton(variant="secondary")
        self.other_ways.setObjectName("otherWays")
        self.other_ways.clicked.connect(lambda: self._show(CHOOSE))
        self._bottom = QHBoxLayout()
        self._bottom.addStretch(1)
        self._bottom.addWidget(self.other_ways)
        self._bottom.addStretch(1)

        self._root.addWidget(self.choose_view, 1)
        self._root.addWidget(self.card_picture, 1)
        self._root.addWidget(self.camera, 1)
        self._root.addWidget(self.picker)
        self._root.addWidget(self.phone, 1)
        self._root.addWidget(self.confirm_page, 1)
        self._root.addWidget(self.status)
        self._root.addStretch(0)
        self._root.addLayout(self._bottom)

        self._bind()
        self._show(CHOOSE, speak=False)
        self.retranslate_ui()

    # ---------------------------------------------------------------- the flow
    def flow(self) -> ResidentFlow | None:
        """The resident flow from the composition root, if it has one."""
        found = getattr(self.ctx, "resident", None) or self.ctx.extras.get("resident")
        return found if isinstance(found, ResidentFlow) else None

    def _bind(self) -> None:
        flow = self.flow()
        if flow is None or flow is self._bound:
            return
        self._bound = flow
        flow.checking.connect(self._on_checking)
        flow.identified.connect(self._on_identified)
        flow.rejected.connect(self._on_rejected)
        flow.needs_volunteer_confirmation.connect(self._on_needs_confirmation)
        flow.households_loaded.connect(self._on_homes)
        flow.households_failed.connect(self._on_rejected)
        self.confirm_yes.clicked.connect(flow.confirm)
        self.confirm_no.clicked.connect(flow.decline)

    # ---------------------------------------------------------------- Screen
    def title(self) -> str:
        return self.tr("Resident identification")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.card_button.setText(self.tr("Tap card"))
        self.qr_button.setText(self.tr("Show code"))
        self.room_button.setText(self.tr("Room + phone"))
        self.change_room.setText(self.tr("Change the room"))
        self.other_ways.setText(self.tr("Other ways"))
        self.phone_other_ways.setText(self.tr("Other ways"))
        self.confirm_yes.setText(self.tr("Confirm identity"))
        self.confirm_no.setText(self.tr("Not this person"))
        self.camera.set_placeholder_text(
            self.tr("The camera is not working. Please use your card or room number.")
        )
        self.card_picture.setAccessibleDescription(
            self.tr("Picture: a community card held just above the card reader.")
        )
        self.instruction.setText(self._instruction())
        self.phone_instruction.setText(self._instruction() if self._view == PHONE else "")
        self.confirm_heading.setText(self.tr("Volunteer, please check who this is:"))
        self.confirm_who.setText(self._confirm_line())

    def on_enter(self, **params: object) -> None:
        self._bind()
        then = params.get("then", params.get("next_screen"))
        self._then = then if isinstance(then, str) and then else None
        self._home = None
        self.phone.clear()
        self._set_status("")
        self._show(CHOOSE, speak=False)

    def on_leave(self) -> None:
        flow = self.flow()
        if flow is not None and flow.state is not ResidentState.IDLE:
            flow.reset()  # a pending confirmation is not left behind for the next screen
        self._forget()

    def clear_personal_data(self) -> None:
        self._then = None
        self._forget()
        self._homes = {}
        self.picker.set_households([])
        self._show(CHOOSE, speak=False)
        super().clear_personal_data()

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self._root.setSpacing(gap * 2)
        self._choose_box.setSpacing(gap * 3)
        self._bottom.setSpacing(gap * 3)
        for box in (self.confirm_buttons, self._phone_actions, self.confirm_page):
            layout = box.layout()
            assert layout is not None
            layout.setSpacing(gap * 3)
        self.picker.apply_theme(self.ctx.theme)
        self.card_picture.set_palette(self.ctx.theme.tokens.palette)
        self.phone.apply_theme(self.ctx.theme)

    def spoken_intro(self) -> list[str]:
        """Title, what to do in the view shown, then its buttons (digits never)."""
        parts = [self.title(), self._instruction()]
        if self._view == PHONE:
            # The keys are not read out one by one; the instruction names OK.
            labels = [self.change_room.accessibleName(), self.phone_other_ways.accessibleName()]
        else:
            labels = [b.accessibleName() or b.text() for b in self.content_actions()]
        labels = [label for label in labels if label]
        if labels:
            sep = QCoreApplication.translate("Screen", ", ")
            parts.append(
                QCoreApplication.translate("Screen", "Buttons: {labels}.").format(
                    labels=sep.join(labels)
                )
            )
        return parts

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        portrait = self.height() > self.width()
        if portrait != self._portrait:
            self._portrait = portrait
            self._choose_box.setDirection(
                QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
            )

    # ---------------------------------------------------------------- views
    @property
    def view(self) -> str:
        return self._view

    def _instruction(self) -> str:
        prompt: Prompt = {
            CHOOSE: rp.RESIDENT_IDENTIFY,
            CARD: rp.RESIDENT_CARD,
            QR: rp.RESIDENT_QR,
            ROOM: rp.RESIDENT_ROOM,
            PHONE: rp.RESIDENT_PHONE,
            CONFIRM: rp.RESIDENT_CONFIRM,
        }[self._view]
        if self._view == PHONE:
            return prompt.text(household=self._home.label if self._home else "")
        if self._view == CONFIRM:
            return self.tr("Volunteer, please check who this is:")
        return prompt.text()

    def _confirm_line(self) -> str:
        """ "张*明，3栋2单元501" (data, masked) for the volunteer's check."""
        if self._confirm is None:
            return ""
        name, household = self._confirm
        return self.tr("{name}, {household}").format(name=name, household=household)

    def _show(self, view: str, *, speak: bool = True) -> None:
        self._view = view
        self.choose_view.setVisible(view == CHOOSE)
        self.card_picture.setVisible(view == CARD)
        self.camera.setVisible(view == QR)
        self.picker.setVisible(view == ROOM)
        self.phone.setVisible(view == PHONE)
        self.confirm_page.setVisible(view == CONFIRM)
        self.other_ways.setVisible(view in (CARD, QR, ROOM))
        # The room picker has its own question (its step) as a heading; the volunteer's
        # check has its own above the name.
        self.instruction.setVisible(view not in (ROOM, PHONE, CONFIRM))
        self.instruction.setText(self._instruction())
        self.phone_instruction.setText(self._instruction() if view == PHONE else "")
        if view != CONFIRM:
            self._confirm = None
            self.confirm_who.clear()
        if speak and self.ctx.navigator.current is self:
            self.ctx.voice.say(" ".join(self.spoken_intro()[1:]), owner=self, auto=True)

    def _forget(self) -> None:
        self._home = None
        self._confirm = None
        self.confirm_who.clear()
        self.phone.clear()
        self.picker.reset()
        self._set_status("")

    def _open_room(self) -> None:
        self._home = None
        self.phone.clear()
        self._set_status("")
        self.picker.reset()
        self._show(ROOM, speak=False)
        flow = self.flow()
        if flow is not None:
            flow.load_households()
        self._say(self.picker.prompt_text())

    # ---------------------------------------------------------------- messages
    def _set_status(self, text: str, *, error: bool = True) -> None:
        role = "status-error" if error else "status-ok"
        if self.status.property("role") != role:
            self.status.setProperty("role", role)
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _say(self, text: str) -> None:
        if text and self.ctx.navigator.current is self:
            self.ctx.voice.say(text, owner=self, auto=True)

    # ---------------------------------------------------------------- reactions
    def _on_homes(self, homes: list[HomeChoice]) -> None:
        options = [HouseholdOption(*home) for home in homes]
        self._homes = {o.household_id: o for o in options}
        self.picker.set_households(options)
        if self.ctx.navigator.current is self and self._view == ROOM:
            self._say(self.picker.prompt_text())

    def _on_home_chosen(self, household_id: int, _label: str) -> None:
        self._home = self._homes.get(household_id)
        if self._home is None:
            return
        self.phone.clear()
        self._set_status("")
        self._show(PHONE)

    def _on_phone_submitted(self, digits: str) -> None:
        flow, home = self.flow(), self._home
        if flow is None or home is None:
            return
        flow.room_entered(home.building, home.unit, home.room, digits)

    def _on_checking(self) -> None:
        if self.ctx.navigator.current is self:
            self._set_status(rp.RESIDENT_CHECKING.text(), error=False)

    def _on_needs_confirmation(self, masked_name: str, household_label: str) -> None:
        if self.ctx.navigator.current is not self:
            return
        self._set_status("")
        self._confirm = (masked_name, household_label)
        self.confirm_who.setText(self._confirm_line())
        self._show(CONFIRM, speak=False)
        self.ctx.voice.say(
            rp.RESIDENT_CONFIRM.text(name=spoken_masked(masked_name), household=household_label),
            owner=self,
            auto=True,
            sensitive=True,
        )

    def _on_rejected(self, error: KioskError) -> None:
        if self.ctx.navigator.current is not self:
            return
        if self._view == CONFIRM:
            self._show(PHONE, speak=False)  # 不是本人: the room stays chosen
        text = error.text()
        if self._view == PHONE:
            self.phone.show_error(text)
            self._set_status("")
        else:
            self._set_status(text)
        self.ctx.voice.say(text, owner=self, auto=True)

    def _on_identified(self, resident: Resident) -> None:
        navigator = self.ctx.navigator
        if navigator.current is not self:
            return
        self._set_status("")
        then = self._then
        self._then = None
        if then is not None and then in {s.screen_id for s in navigator.screens()}:
            navigator.go(then)
        else:
            navigator.home()
        # The greeting first, then what the next screen says (switching screens stops
        # speech, so the greeting cannot be queued before the switch).
        voice = self.ctx.voice
        voice.interrupt()
        voice.say(rp.RESIDENT_WELCOME, name=spoken_masked(resident.masked_name), auto=True)
        navigator.speak_current()
