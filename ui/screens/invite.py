"""邀请访客: a resident invites a visitor and takes the pass home on paper.

Screens, bound to :class:`~kiosk.flows.invite.InviteFlow` (``ctx.invite``)::

    home tile 邀请访客 → [resident_identify, then back here] → invite_when → invite_name
        → invite_confirm (打印邀请函) → invite_done (the code in large type, the slip)

The invitation is the identified resident's (``ctx.session.resident``): without one,
``invite_when`` sends the visitor to the resident identification screen, which continues to
``invite_when`` once they are identified (``then="invite_when"``). Going back from there
leaves the invitation instead of asking again.

The confirmation shows what the slip will print: the masked visitor name (``王*生``), the
resident's home and the window. The pass's short code is shown large on the done screen and
never spoken (whoever hears it could use the pass).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QWidget

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.flows.checkin import spoken_name
from kiosk.flows.invite import InvitationView
from kiosk.masking import mask_name
from kiosk.prompts import QT_TRANSLATE_NOOP, Prompt
from ui.context import ScreenContext
from ui.registry import Feature, register_feature, register_screen
from ui.screen import Screen, plain_label
from ui.screens._visitor_common import (
    ActionRow,
    SurnameStep,
    VisitorStep,
    centered_label,
    detail_card,
    set_role,
)
from ui.widgets.choice_list import ChoiceButton
from ui.widgets.time_window_picker import DEFAULT_WINDOWS, TimeWindow, TimeWindowPicker

INVITE_WHEN = "invite_when"
INVITE_NAME = "invite_name"
INVITE_CONFIRM = "invite_confirm"
INVITE_DONE = "invite_done"
# The resident identification screen (ui.screens.resident_identify); ``then=`` continues.
RESIDENT_IDENTIFY = "resident_identify"

# The parts of a day offered for a visit.
INVITE_WINDOWS: Sequence[TimeWindow] = DEFAULT_WINDOWS

register_feature(
    Feature(
        key="invite",
        source=QT_TRANSLATE_NOOP("Feature", "Invite a visitor"),
        screen_id=INVITE_WHEN,
        order=20,
        hint=QT_TRANSLATE_NOOP("Feature", "Print a pass for your visitor"),
    )
)

# NOTE: each literal is wrapped in QT_TRANSLATE_NOOP at its definition so lupdate sees it.
INVITE_OTHER_SURNAME: Final = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "If your visitor's surname is not in the list, please call a volunteer, "
        "who will type the name for you.",
    ),
)
INVITE_ISSUING: Final = Prompt(
    "Prompt", QT_TRANSLATE_NOOP("Prompt", "Making the pass. One moment please.")
)


class _InviteStep(VisitorStep):
    """A step of the invitation: for whose home, a message line, and 继续使用 (keep)."""

    summary_name = "inviteSummary"
    status_name = "inviteStatus"

    def keep_text(self, value: str) -> str:
        return QCoreApplication.translate("InviteStep", "Keep “{value}”").format(value=value)

    def summary_text(self) -> str:
        resident = self.ctx.session.resident
        if resident is None:
            return ""
        return QCoreApplication.translate("InviteStep", "Inviting to {household}").format(
            household=resident.household_label
        )


@register_screen
class InviteWhenScreen(_InviteStep):
    """When will the visitor come? A day, then a part of it. Asks who the resident is first."""

    screen_id = INVITE_WHEN
    voice_prompt = prompts.INVITE_WHEN

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        tz = ZoneInfo(ctx.settings.visitors.timezone)
        self.picker = TimeWindowPicker(
            now=lambda: datetime.now(tz),
            tz=tz,
            max_days=ctx.settings.visitors.max_invitation_days,
            windows=INVITE_WINDOWS,
        )
        self._root.addWidget(self.picker)
        self._root.addWidget(self.status)
        self._root.addStretch(1)
        self._root.addWidget(self.action_row)
        self._entering = False
        self._came_from = ""
        self.picker.chosen.connect(self._on_chosen)
        self.picker.step_changed.connect(self._on_step)
        ctx.navigator.screen_will_change.connect(self._on_screen_will_change)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Invite a visitor")

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self.picker.apply_theme(self.ctx.theme)

    def kept_value(self) -> str:
        return self.ctx.invite.window_text()

    def on_enter(self, **params: object) -> None:
        super().on_enter(**params)
        self._entering = True
        try:
            self.picker.reset()  # the days and windows left, from the clock now
        finally:
            self._entering = False
        if self.ctx.session.resident is None:
            # After this switch has finished (no navigation inside another).
            QTimer.singleShot(0, self._identify_first)

    def _on_screen_will_change(self, old: Screen | None, new: Screen) -> None:
        if new is self:
            self._came_from = old.screen_id if old is not None else ""

    def _identify_first(self) -> None:
        navigator = self.ctx.navigator
        if navigator.current is not self or self.ctx.session.resident is not None:
            return
        if self._came_from == RESIDENT_IDENTIFY:
            # 返回 from the identification: the visitor is leaving, not starting again.
            navigator.back()
            return
        navigator.go(RESIDENT_IDENTIFY, then=INVITE_WHEN)

    def _on_step(self, question: str) -> None:
        if not self._entering:
            self.say(question)

    def _on_chosen(self, valid_from: object, valid_until: object) -> None:
        assert isinstance(valid_from, datetime)
        assert isinstance(valid_until, datetime)
        self.ctx.invite.choose_window(valid_from, valid_until)
        self.ctx.navigator.go(INVITE_NAME)

    def _on_keep(self) -> None:
        self.ctx.navigator.go(INVITE_NAME)


@register_screen
class InviteNameScreen(SurnameStep, _InviteStep):
    """The visitor's surname, then 先生/女士: how the pass names them."""

    screen_id = INVITE_NAME
    voice_prompt = prompts.INVITE_NAME

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.question = plain_label(role="heading")
        self.question.setObjectName("inviteNameQuestion")
        # 其他姓氏: what to do instead, in place of the grid, with the way back to it.
        self._build_surname_step()
        # The grid asks "your surname"; here it is the visitor's, so the screen asks. The
        # header then holds only 返回上一步 and the surname chosen: shown on the title step.
        self.grid.header.prompt.hide()
        self.grid.header.hide()
        self._root.addWidget(self.question)
        self._root.addWidget(self.grid)
        self._root.addWidget(self.other_panel, 1)
        self._root.addWidget(self.status)
        self._root.addStretch(1)
        self._root.addWidget(self.action_row)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Your visitor's name")

    def question_text(self) -> str:
        if self.grid.surname() is None:
            return self.tr("Choose your visitor's surname")
        return self.tr("How should we address your visitor?")

    def summary_text(self) -> str:
        base = super().summary_text()
        window = self.ctx.invite.window_text()
        return " · ".join(part for part in (base, window) if part)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.question.setText(self.question_text())
        self.other_message.setText(INVITE_OTHER_SURNAME.text())
        self.back_to_list.setText(self.tr("Back to the surnames"))

    def kept_value(self) -> str:
        name = self.ctx.invite.visitor_name
        return mask_name(name)

    def _show_grid(self) -> None:
        self.other_panel.hide()
        self.question.show()
        self.grid.show()
        self.refresh()
        self.grid.reset()  # announces the first question (unless entering)
        self.question.setText(self.question_text())
        # The title buttons still say "王先生" after a reset: the name goes with them.
        self.grid.titles.set_items([])

    def _on_step(self, _question: str) -> None:
        self.set_status("")
        self.grid.header.setVisible(self.grid.surname() is not None)
        text = self.question_text()
        self.question.setText(text)
        if not self._entering:
            self.say(text)

    def _on_other(self) -> None:
        self.grid.hide()
        self.question.hide()
        self.keep.hide()
        self.other_panel.show()
        self.say(self.other_message.text())

    def _on_chosen(self, name: str) -> None:
        self.ctx.invite.set_name(name)
        self.ctx.navigator.go(INVITE_CONFIRM)

    def _on_keep(self) -> None:
        self.ctx.navigator.go(INVITE_CONFIRM)


@register_screen
class InviteConfirmScreen(_InviteStep):
    """What the invitation will say: visitor (masked), home, time; 打印邀请函."""

    screen_id = INVITE_CONFIRM
    voice_prompt = None

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.card, captions, values = detail_card(
            ("inviteVisitor", "inviteHome", "inviteWhen"),
            caption_align=Qt.AlignmentFlag.AlignVCenter,
        )
        self.visitor_caption, self.home_caption, self.when_caption = captions
        self.visitor, self.home, self.when = values
        self.change_time = ChoiceButton(variant="secondary")
        self.change_time.setObjectName("changeTimeButton")
        self.change_name = ChoiceButton(variant="secondary")
        self.change_name.setObjectName("changeNameButton")
        self.print_button = ChoiceButton(variant="primary", primary=True)
        self.print_button.setObjectName("printInvitationButton")
        self.action_row.insert(0, self.change_time)
        self.action_row.insert(1, self.change_name)
        self.action_row.insert(2, self.print_button)
        self.summary.hide()
        self._root.addWidget(self.card)
        self._root.addWidget(self.status)
        self._root.addStretch(1)
        self._root.addWidget(self.action_row)
        self.change_time.clicked.connect(lambda: ctx.navigator.go(INVITE_WHEN))
        self.change_name.clicked.connect(lambda: ctx.navigator.go(INVITE_NAME))
        self.print_button.clicked.connect(self._print)
        flow = ctx.invite
        flow.issued.connect(self._on_issued)
        flow.failed.connect(self._on_failed)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Please check the invitation")

    def summary_text(self) -> str:
        return ""  # the card says it all

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.visitor_caption.setText(self.tr("Visitor"))
        self.home_caption.setText(self.tr("Your home"))
        self.when_caption.setText(self.tr("When"))
        self.change_time.setText(self.tr("Change the time"))
        self.change_name.setText(self.tr("Change the name"))
        self.print_button.setText(self.tr("Print invitation"))

    def spoken_intro(self) -> list[str]:
        parts = [self.title()]
        flow = self.ctx.invite
        if flow.visitor_name and flow.window_text():
            parts.append(
                prompts.INVITE_CONFIRM.text(
                    name=spoken_name(flow.visitor_name), window=flow.window_text()
                )
            )
        parts.append(self.actions_sentence())
        return parts

    def ready(self) -> bool:
        flow = self.ctx.invite
        return bool(
            self.ctx.session.resident is not None
            and flow.visitor_name
            and flow.window_text()
            and not flow.busy
        )

    def on_enter(self, **params: object) -> None:
        super().on_enter(**params)
        flow = self.ctx.invite
        resident = self.ctx.session.resident
        self.visitor.setText(mask_name(flow.visitor_name) if flow.visitor_name else "")
        self.home.setText(resident.household_label if resident is not None else "")
        self.when.setText(flow.window_text())
        self.print_button.setEnabled(self.ready())

    def on_leave(self) -> None:
        super().on_leave()
        self._forget()

    def clear_personal_data(self) -> None:
        self._forget()
        super().clear_personal_data()

    def _forget(self) -> None:
        for label in (self.visitor, self.home, self.when):
            label.clear()

    def _print(self) -> None:
        if not self.ready():
            return
        self.print_button.setEnabled(False)  # one tap, one pass
        self.set_status(INVITE_ISSUING.text(), error=False)
        self.ctx.invite.issue()

    def _on_issued(self, view: InvitationView) -> None:
        self.ctx.navigator.go(INVITE_DONE, view=view)

    def _on_failed(self, error: KioskError) -> None:
        if self.show_failure(error):
            self.print_button.setEnabled(self.ready())


@register_screen
class InviteDoneScreen(Screen):
    """The invitation is printing: the pass code in large type, 重新打印, 完成."""

    screen_id = INVITE_DONE
    voice_prompt = prompts.INVITE_DONE
    shows_back = False  # the pass exists; going back would only offer to print another

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.headline = centered_label("heading", "inviteDoneHeadline", data=True)
        self.message = centered_label("body", "inviteDoneMessage")
        self.code_caption = centered_label("body")
        self.code = centered_label("title", "inviteCode", data=True, wrap=False)
        self.slip_status = centered_label("status-ok", "inviteSlipStatus", status=True)
        self.reprint = ChoiceButton(variant="secondary")
        self.reprint.setObjectName("reprintInvitationButton")
        self.done = ChoiceButton(variant="primary", primary=True)
        self.done.setObjectName("inviteDoneButton")
        self._buttons = ActionRow()
        self._buttons.add(self.reprint, self.done)
        self._root.addWidget(self.headline)
        self._root.addWidget(self.message)
        self._root.addWidget(self.code_caption)
        self._root.addWidget(self.code)
        self._root.addWidget(self.slip_status)
        self._root.addStretch(1)
        self._root.addWidget(self._buttons)
        self._view: InvitationView | None = None
        self._slip: KioskError | None = None  # the print failure, if any
        self._printed = False
        self.reprint.clicked.connect(self._reprint)
        self.done.clicked.connect(self._finish)
        ctx.invite.printed.connect(self._on_printed)
        ctx.invite.print_failed.connect(self._on_print_failed)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Your invitation")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.message.setText(prompts.INVITE_DONE.text())
        self.reprint.setText(self.tr("Print again"))
        self.done.setText(self.tr("Done"))
        view = self._view
        self.code_caption.setText(self.tr("Pass code") if view is not None else "")
        self.code_caption.setVisible(view is not None)
        self._render_slip()

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self._buttons.set_spacing(gap * 3)

    def on_enter(self, **params: object) -> None:
        view = params.get("view")
        if isinstance(view, InvitationView):
            self._view = view
            self._slip = None
            self._printed = False
            self.headline.setText(f"{view.masked_visitor}  {view.window}")
            self.code.setText(view.short_code)
        self.retranslate_ui()

    def on_leave(self) -> None:
        self._forget()

    def clear_personal_data(self) -> None:
        self._forget()
        super().clear_personal_data()

    def _forget(self) -> None:
        self._view = None
        self._slip = None
        self._printed = False
        for label in (self.headline, self.code, self.code_caption, self.slip_status):
            label.clear()
        self.code_caption.hide()
        self.reprint.hide()

    def _render_slip(self) -> None:
        if self._view is None:
            self.slip_status.clear()
            self.slip_status.hide()
            self.reprint.hide()
            return
        if self._slip is not None:
            role, text = "status-error", self._slip.text()
        elif self._printed:
            role, text = "status-ok", self.tr("Please take the invitation.")
        else:
            role, text = "status-ok", self.tr("Printing the invitation…")
        set_role(self.slip_status, role)
        self.slip_status.setText(text)
        self.slip_status.show()
        self.reprint.setVisible(self._printed or self._slip is not None)

    def _on_printed(self) -> None:
        if self._view is None:
            return
        self._printed = True
        self._slip = None
        self._render_slip()
        self._speak(self.slip_status.text())

    def _on_print_failed(self, error: KioskError) -> None:
        if self._view is None:
            return
        self._slip = error
        self._render_slip()
        # The message holds the pass code: never read out on the speaker.
        if self.ctx.navigator.current is self:
            self.ctx.voice.say(error.text(), owner=self, auto=True, sensitive=True)

    def _speak(self, text: str) -> None:
        if text and self.ctx.navigator.current is self:
            self.ctx.voice.say(text, owner=self, auto=True)

    def _reprint(self) -> None:
        self._printed = False
        self._slip = None
        self._render_slip()
        self.ctx.invite.reprint()

    def _finish(self) -> None:
        self.ctx.invite.reset()
        self.ctx.navigator.home()
