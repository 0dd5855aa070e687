"""Visitor check-in with a pass, and sign-out (离开登记).

Screens: ``checkin`` (camera + the ways in), ``checkin_code`` (short code keypad),
``checkin_confirm`` (masked visitor, host, validity; 确认登记), ``checkin_result`` (welcome
with the exit code, or a refusal with what to do next) and ``checkout`` (exit code keypad).
The navigation lives in :class:`CheckInScreen`, which follows the flow's signals wherever
the scan happened (a pass scanned on the home screen goes straight to the confirmation).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QWidget

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.flows.checkin import PassView, VisitView
from kiosk.prompts import QT_TRANSLATE_NOOP
from kiosk.security.short_codes import is_valid_code
from ui.context import ScreenContext
from ui.registry import Feature, register_feature, register_screen
from ui.screen import Screen
from ui.screens._visitor_common import centered_label, detail_card, set_role
from ui.widgets.big_button import BigButton
from ui.widgets.camera_view import CameraView
from ui.widgets.code_entry import CodeEntry

register_feature(
    Feature(
        key="checkin",
        source=QT_TRANSLATE_NOOP("Feature", "Visitor check-in"),
        screen_id="checkin",
        order=10,
        hint=QT_TRANSLATE_NOOP("Feature", "Scan a visitor pass"),
    )
)

CHECKIN = "checkin"
CHECKIN_CODE = "checkin_code"
CHECKIN_CONFIRM = "checkin_confirm"
CHECKIN_RESULT = "checkin_result"
CHECKOUT = "checkout"
# The first walk-in screen (ui.screens.walkin.WALKIN_START), for 没有通行码.
WALKIN_START = "walkin_host"

#: Screens on which a pass or exit QR code read by the camera is acted on.
SCAN_SCREENS = frozenset({"attract", "home", CHECKIN, CHECKIN_CODE, CHECKIN_RESULT, CHECKOUT})


@register_screen
class CheckInScreen(Screen):
    screen_id = CHECKIN
    voice_prompt = prompts.CHECKIN

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.camera = CameraView(ctx.camera_frames)
        # The preview takes the room that is left: a live frame must never push the
        # buttons below the fold (large text, 长辈模式).
        self.camera.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.camera.setMinimumHeight(120)
        self.instruction = centered_label("body")
        self.status = centered_label("status-ok")
        self.type_code = BigButton(variant="primary", primary=True)
        self.type_code.setObjectName("typeCodeButton")
        self.leaving = BigButton(variant="secondary")
        self.leaving.setObjectName("leavingButton")
        self.walk_in = BigButton(variant="secondary")
        self.walk_in.setObjectName("walkInButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.type_code)
        buttons.addWidget(self.walk_in)
        buttons.addWidget(self.leaving)
        self._root.addWidget(self.camera, 1)
        self._root.addWidget(self.instruction)
        self._root.addWidget(self.status)
        self._root.addLayout(buttons)
        self.type_code.clicked.connect(lambda: ctx.navigator.go(CHECKIN_CODE))
        self.leaving.clicked.connect(lambda: ctx.navigator.go(CHECKOUT))
        self.walk_in.clicked.connect(self._walk_in)
        flow = ctx.checkin
        flow.checking.connect(self._on_checking)
        flow.preview_ready.connect(self._on_preview)
        flow.rejected.connect(self._on_rejected)
        flow.admitted.connect(self._on_admitted)
        flow.checked_out.connect(self._on_checked_out)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Visitor check-in")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.instruction.setText(
            self.tr("Hold the pass QR code up to the camera, about 20 cm away.")
        )
        self.camera.set_placeholder_text(
            self.tr("The camera is not working. Please touch Type the code.")
        )
        self.type_code.setText(self.tr("Type the code"))
        self.leaving.setText(self.tr("Leaving: sign out"))
        self.walk_in.setText(self.tr("No pass? Register"))

    def on_enter(self, **params: object) -> None:
        self.status.clear()

    def on_leave(self) -> None:
        self.status.clear()

    def _walk_in(self) -> None:
        self.ctx.walkin.start()
        self.ctx.navigator.go(WALKIN_START)

    def _on_checking(self) -> None:
        if self.ctx.navigator.current is self:
            self.status.setText(prompts.CHECKIN_CHECKING.text())

    def _on_preview(self, view: PassView) -> None:
        self.ctx.navigator.go(CHECKIN_CONFIRM, view=view)

    def _on_rejected(self, error: KioskError) -> None:
        current = self.ctx.navigator.current
        if current is not None and current.screen_id == CHECKIN_CONFIRM:
            # The platform was away at 确认登记: stay on the confirmation, say why.
            confirm = current
            assert isinstance(confirm, CheckInConfirmScreen)
            confirm.show_error(error)
            return
        self.ctx.navigator.go(CHECKIN_RESULT, kind="rejected", message=error.text())

    def _on_admitted(self, view: VisitView) -> None:
        self.ctx.navigator.go(CHECKIN_RESULT, kind="admitted", visit=view)

    def _on_checked_out(self, view: VisitView) -> None:
        self.ctx.navigator.go(CHECKIN_RESULT, kind="checked_out", visit=view)


class _CodeScreen(Screen):
    """A 9-digit code on the keypad (pass short code, or a slip's exit code)."""

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.instruction = centered_label("body")
        self.entry = CodeEntry(validator=is_valid_code)
        self._root.addWidget(self.instruction)
        self._root.addWidget(self.entry, 1)
        self.entry.submitted.connect(self._submit)
        self.entry.invalid.connect(self._say_error)
        ctx.checkin.wrong_code.connect(self._on_wrong)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        if self.voice_prompt is not None:
            self.instruction.setText(self.voice_prompt.text())

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self.entry.set_spacing(gap)

    def on_enter(self, **params: object) -> None:
        self.entry.clear()

    def on_leave(self) -> None:
        self.entry.clear()

    def clear_personal_data(self) -> None:
        self.entry.clear()
        super().clear_personal_data()

    def _submit(self, code: str) -> None:
        raise NotImplementedError

    def _say_error(self, text: str) -> None:
        self.ctx.voice.say(text, owner=self, auto=True)

    def _on_wrong(self, error: KioskError) -> None:
        if self.ctx.navigator.current is self:
            text = error.text()
            self.entry.show_error(text)
            self._say_error(text)


@register_screen
class CheckInCodeScreen(_CodeScreen):
    screen_id = CHECKIN_CODE
    voice_prompt = prompts.CHECKIN_CODE

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Type the pass code")

    def _submit(self, code: str) -> None:
        self.ctx.checkin.code_entered(code)


@register_screen
class CheckOutScreen(_CodeScreen):
    screen_id = CHECKOUT
    voice_prompt = prompts.CHECKOUT

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        ctx.checkin.checkout_failed.connect(self._on_wrong)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Sign out")

    def _submit(self, code: str) -> None:
        self.ctx.checkin.exit_code_entered(code)


@register_screen
class CheckInConfirmScreen(Screen):
    screen_id = CHECKIN_CONFIRM
    voice_prompt = None

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.card, captions, values = detail_card(
            ("confirmVisitor", "confirmHost", "confirmUntil"),
            caption_align=Qt.AlignmentFlag.AlignTop,
        )
        self.visitor_caption, self.host_caption, self.until_caption = captions
        self.visitor, self.host, self.until = values
        self.status = centered_label("status-error")
        self.confirm = BigButton(variant="primary", primary=True)
        self.confirm.setObjectName("confirmCheckInButton")
        self.cancel = BigButton(variant="secondary")
        self.cancel.setObjectName("cancelCheckInButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.confirm)
        self._root.addWidget(self.card)
        self._root.addWidget(self.status)
        self._root.addStretch(1)
        self._root.addLayout(buttons)
        self._view: PassView | None = None
        self.confirm.clicked.connect(self._confirm)
        self.cancel.clicked.connect(self._cancel)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Please check your visit")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.visitor_caption.setText(self.tr("Visitor"))
        self.host_caption.setText(self.tr("Visiting"))
        self.until_caption.setText(self.tr("Valid until"))
        self.confirm.setText(self.tr("Confirm check-in"))
        self.cancel.setText(self.tr("Cancel"))

    def spoken_intro(self) -> list[str]:
        parts = [self.title()]
        view = self._view
        if view is not None:
            parts.append(
                prompts.CHECKIN_CONFIRM.text(
                    name=view.spoken_visitor, household=view.household_label, until=view.valid_until
                )
            )
        parts.append(self.actions_sentence())
        return parts

    def on_enter(self, **params: object) -> None:
        view = params.get("view")
        self.status.clear()
        self.confirm.setEnabled(True)
        if isinstance(view, PassView):
            self._view = view
            self.visitor.setText(view.masked_visitor)
            self.host.setText(view.household_label)
            self.until.setText(view.valid_until)

    def on_leave(self) -> None:
        self._forget()

    def clear_personal_data(self) -> None:
        self._forget()
        super().clear_personal_data()

    def show_error(self, error: KioskError) -> None:
        text = error.text()
        self.status.setText(text)
        self.confirm.setEnabled(True)
        self.ctx.voice.say(text, owner=self, auto=True)

    def _forget(self) -> None:
        self._view = None
        for label in (self.visitor, self.host, self.until, self.status):
            label.clear()

    def _confirm(self) -> None:
        self.confirm.setEnabled(False)  # one tap, one visit
        self.status.clear()
        self.ctx.checkin.confirm()

    def _cancel(self) -> None:
        self.ctx.checkin.cancel()
        self.ctx.navigator.home()


@register_screen
class CheckInResultScreen(Screen):
    """Welcome (with the exit code), goodbye, or a refusal with what to do next."""

    screen_id = CHECKIN_RESULT
    voice_prompt = None

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.headline = centered_label("heading")
        self.message = centered_label("body", "resultMessage")
        self.exit_code = centered_label("title", "exitCode", data=True)
        self.slip_status = centered_label("status-ok")
        self.reprint = BigButton(variant="secondary")
        self.reprint.setObjectName("reprintButton")
        self.type_code = BigButton(variant="secondary")
        self.type_code.setObjectName("resultTypeCodeButton")
        self.done = BigButton(variant="primary", primary=True)
        self.done.setObjectName("resultDoneButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.reprint)
        buttons.addWidget(self.type_code)
        buttons.addWidget(self.done)
        self._root.addWidget(self.headline)
        self._root.addWidget(self.message)
        self._root.addWidget(self.exit_code)
        self._root.addWidget(self.slip_status)
        self._root.addStretch(1)
        self._root.addLayout(buttons)
        self.kind = ""
        self._spoken = ""
        self.reprint.clicked.connect(self._reprint)
        self.type_code.clicked.connect(lambda: ctx.navigator.go(CHECKIN_CODE))
        self.done.clicked.connect(ctx.navigator.home)
        ctx.checkin.slip_printed.connect(self._on_printed)
        ctx.checkin.slip_failed.connect(self._on_slip_failed)
        self.retranslate_ui()

    def title(self) -> str:
        return {
            "admitted": self.tr("Checked in"),
            "checked_out": self.tr("Signed out"),
        }.get(self.kind, self.tr("The pass could not be used"))

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.reprint.setText(self.tr("Print again"))
        self.type_code.setText(self.tr("Type the code"))
        self.done.setText(self.tr("Done"))

    def spoken_intro(self) -> list[str]:
        return [self.title(), self._spoken, self.actions_sentence()]

    def on_enter(self, **params: object) -> None:
        self.kind = str(params.get("kind", "rejected"))
        visit = params.get("visit")
        self.slip_status.clear()
        self.exit_code.clear()
        self.headline.clear()
        self.reprint.setVisible(False)
        self.type_code.setVisible(self.kind == "rejected")
        if self.kind == "admitted" and isinstance(visit, VisitView):
            self.headline.setText(f"{visit.masked_visitor}  {visit.household_label}")
            self.exit_code.setText(self.tr("Exit code {code}").format(code=visit.exit_code))
            self._set_message(prompts.CHECKIN_WELCOME.text())
            self.slip_status.setText(self.tr("Printing your slip…"))
            if not self.ctx.session.elderly:
                # Every visitor hears the welcome; in 长辈模式 the screen's intro says it.
                self.ctx.voice.say(self._spoken, owner=self)
        elif self.kind == "checked_out" and isinstance(visit, VisitView):
            self._set_message(prompts.CHECKOUT_DONE.text(name=visit.masked_visitor))
            self._spoken = prompts.CHECKOUT_DONE.text(name=visit.spoken_visitor)
        else:
            self._set_message(str(params.get("message", "")))
        self.retranslate_ui()

    def on_leave(self) -> None:
        self._forget()

    def clear_personal_data(self) -> None:
        self._forget()
        super().clear_personal_data()

    def _set_message(self, text: str) -> None:
        self.message.setText(text)
        self._spoken = text

    def _forget(self) -> None:
        self.kind = ""
        self._spoken = ""
        for label in (self.headline, self.message, self.exit_code, self.slip_status):
            label.clear()

    def _reprint(self) -> None:
        self.slip_status.setText(self.tr("Printing your slip…"))
        self.ctx.checkin.reprint()

    def _on_printed(self) -> None:
        if self.kind == "admitted":
            set_role(self.slip_status, "status-ok")
            self.slip_status.setText(self.tr("Please take your slip."))
            self.reprint.setVisible(True)

    def _on_slip_failed(self, error: KioskError) -> None:
        if self.kind == "admitted":
            text = error.text()
            set_role(self.slip_status, "status-error")
            self.slip_status.setText(text)
            self.reprint.setVisible(True)
            self.ctx.voice.say(text, owner=self, auto=True)
