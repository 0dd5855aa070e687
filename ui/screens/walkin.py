"""Walk-in registration (没有通行码): whom the visitor visits, their name, an optional mobile
number, the reason, an optional photo, then the wait for the host's answer.

Screens, each bound to :class:`~kiosk.flows.walkin.WalkInFlow` (``ctx.walkin``)::

    walkin_host → walkin_name → walkin_phone → walkin_reason → [walkin_photo] → walkin_wait
        → checkin_result (approved: the welcome and the slip, as for a pass)
        → walkin_result  (refused: a kind message; referred: "please go to the service desk")

``walkin_photo`` is used only where ``visitors.photo`` is on. The visitor sees the camera
notice (purpose, retention) before anything is taken and may decline (PIPL art. 28/29: a
face is sensitive personal information); declining registers the visit without a photo.

The steps after the first show what was entered so far (ACCESSIBILITY.md item 22: "拜访
3栋2单元501 · 王先生"), and a step entered again offers what was given before (继续使用…).
A referral looks exactly like any other message screen: nothing on screen or in speech says
why. Admission is announced by the check-in flow, whose screens show the welcome and print
the slip.

A full-name keyboard (``walkin_fullname``, another screen) is offered after 其他姓氏 when it
is registered; it is expected to call ``ctx.walkin.set_name(...)`` and go on to
``walkin_phone``.
"""

from __future__ import annotations

import time
from typing import ClassVar, Protocol

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.flows.walkin import REASONS, WaitView, WalkInState
from kiosk.masking import mask_phone
from kiosk.prompts import QT_TRANSLATE_NOOP, Prompt
from ui import navigator as nav
from ui.context import ScreenContext
from ui.registry import SCREENS, register_screen
from ui.screen import Screen
from ui.screens._visitor_common import (
    ActionRow,
    SurnameStep,
    VisitorStep,
    centered_label,
    mark_data,
)
from ui.widgets.camera_view import CameraView
from ui.widgets.choice_list import ChoiceButton, ChoiceList
from ui.widgets.household_picker import HouseholdOption, HouseholdPicker
from ui.widgets.phone_entry import PhoneEntry

WALKIN_HOST = "walkin_host"
WALKIN_NAME = "walkin_name"
WALKIN_PHONE = "walkin_phone"
WALKIN_REASON = "walkin_reason"
WALKIN_PHOTO = "walkin_photo"
WALKIN_WAIT = "walkin_wait"
WALKIN_RESULT = "walkin_result"
# The full-name keyboard, built elsewhere; offered after 其他姓氏 when it is registered.
WALKIN_FULLNAME = "walkin_fullname"
# Where the check-in screen's 没有通行码 leads.
WALKIN_START = WALKIN_HOST

# The steps before the wait: the answer to the request moves the visitor on from these.
EDIT_SCREENS = frozenset({WALKIN_HOST, WALKIN_NAME, WALKIN_PHONE, WALKIN_REASON, WALKIN_PHOTO})
# Screens the visitor may go to while waiting without withdrawing the request.
_WAIT_KEEPS = frozenset({WALKIN_WAIT, WALKIN_RESULT, "volunteer_pin", "checkin_result"})

# NOTE: each literal is wrapped in QT_TRANSLATE_NOOP at its definition so lupdate sees it.
WALKIN_PHOTO_NOTICE = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "For the safety of the community, a photo will be taken. It is kept for {days} days "
        "and then deleted automatically. You may touch No photo: you can still register.",
    ),
)
WALKIN_OTHER_SURNAME_TYPE = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "If your surname is not in the list, touch Type the full name, "
        "or call a volunteer to help you.",
    ),
)
WALKIN_ASKING = Prompt(
    "Prompt", QT_TRANSLATE_NOOP("Prompt", "Asking the resident. One moment please.")
)
WALKIN_VOLUNTEER_UNREACHABLE = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "This home cannot be asked by phone. Volunteer: please check the visit with the "
        "visitor, then touch Approve as volunteer.",
    ),
)
WALKIN_VOLUNTEER_NO_ANSWER = Prompt(
    "Prompt",
    QT_TRANSLATE_NOOP(
        "Prompt",
        "The resident has not answered. Volunteer: please check the visit with the visitor, "
        "then touch Approve as volunteer.",
    ),
)


class _Home(Protocol):
    """What the picker needs of a ``HouseholdSummary`` (duck-typed: screens do not import
    the platform)."""

    household_id: int
    building: str
    building_name: str
    unit: str
    room: str
    label: str


class _WalkInStep(VisitorStep):
    """A step of the walk-in: the draft so far ("拜访 3栋2单元501 · 王先生"), a message line,
    and 继续使用 (keep what was given before).

    Subclasses add their widgets, then ``status`` and ``action_row`` where they belong.
    """

    #: What ``summary`` shows: any of "household", "name", "phone".
    summary_fields: ClassVar[tuple[str, ...]] = ()
    summary_name = "walkinSummary"
    status_name = "walkinStatus"

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        ctx.walkin.changed.connect(self._refresh)
        ctx.walkin.failed.connect(self._on_failed)

    def keep_text(self, value: str) -> str:
        return QCoreApplication.translate("WalkInStep", "Keep “{value}”").format(value=value)

    def summary_text(self) -> str:
        flow = self.ctx.walkin
        parts: list[str] = []
        if "household" in self.summary_fields and flow.household_label:
            parts.append(
                QCoreApplication.translate("WalkInStep", "Visiting {household}").format(
                    household=flow.household_label
                )
            )
        if "name" in self.summary_fields and flow.visitor_name:
            parts.append(flow.shown_name())
        if "phone" in self.summary_fields and flow.phone:
            parts.append(mask_phone(flow.phone))
        return " · ".join(parts)

    def _refresh(self) -> None:
        self.refresh()

    def _on_failed(self, error: KioskError) -> None:
        self.show_failure(error)


@register_screen
class WalkInHostScreen(_WalkInStep):
    """Whom is the visitor visiting? Building → unit → (floor →) room."""

    screen_id = WALKIN_HOST
    voice_prompt = prompts.WALKIN_HOST

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.picker = HouseholdPicker()
        self.retry = ChoiceButton(variant="secondary")
        self.retry.setObjectName("retryHouseholds")
        self.retry.hide()
        self.action_row.add(self.retry)
        self._root.addWidget(self.picker)
        self._root.addWidget(self.status)
        self._root.addStretch(1)
        self._root.addWidget(self.action_row)
        self._entering = False
        self.picker.chosen.connect(self._on_chosen)
        self.picker.step_changed.connect(self._on_step)
        self.picker.pages.page_changed.connect(lambda _p, _n: self._mark_data())
        self.retry.clicked.connect(self._load)
        ctx.walkin.households.connect(self._on_households)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Who are you visiting?")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.retry.setText(self.tr("Try again"))

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self.picker.apply_theme(self.ctx.theme)
        self._mark_data()

    def _mark_data(self) -> None:
        # Building names and room numbers are the community's; units and floors are worded.
        mark_data(self.picker.pages, self.picker.current_step() in ("building", "room"))

    def kept_value(self) -> str:
        return self.ctx.walkin.household_label

    def on_enter(self, **params: object) -> None:
        super().on_enter(**params)
        self._entering = True
        try:
            self.picker.reset()
            self._load()
        finally:
            self._entering = False

    def on_leave(self) -> None:
        super().on_leave()
        self.picker.reset()

    def clear_personal_data(self) -> None:
        self.picker.reset()
        super().clear_personal_data()

    def _load(self) -> None:
        self.retry.hide()
        self.ctx.walkin.load_households()

    def _on_households(self, homes: list[_Home]) -> None:
        options = [
            HouseholdOption(h.household_id, h.building, h.building_name, h.unit, h.room, h.label)
            for h in homes
        ]
        self._entering = True  # the first step's question is in the screen's intro
        try:
            self.picker.set_households(options)
        finally:
            self._entering = False

    def _on_failed(self, error: KioskError) -> None:
        super()._on_failed(error)
        if self.ctx.navigator.current is self:
            self.retry.show()

    def _on_step(self, question: str) -> None:
        self._mark_data()
        if not self._entering:
            self.say(question)

    def _on_chosen(self, household_id: int, label: str) -> None:
        self.ctx.walkin.choose_household(household_id, label)
        self.ctx.navigator.go(WALKIN_NAME)

    def _on_keep(self) -> None:
        self.ctx.navigator.go(WALKIN_NAME)


@register_screen
class WalkInNameScreen(SurnameStep, _WalkInStep):
    """How should we address the visitor? Surname, then 先生/女士 (no typing).

    其他姓氏 replaces the grid with what to do instead: call a volunteer, or type the full
    name where that keyboard exists; 返回选择姓氏 brings the grid back.
    """

    screen_id = WALKIN_NAME
    voice_prompt = prompts.WALKIN_NAME
    summary_fields = ("household",)

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.full_name = ChoiceButton(variant="primary", primary=True)
        self.full_name.setObjectName("fullNameButton")
        self._build_surname_step(self.full_name)
        self._root.addWidget(self.grid)
        self._root.addWidget(self.other_panel, 1)
        self._root.addWidget(self.status)
        self._root.addStretch(1)
        self._root.addWidget(self.action_row)
        self.full_name.clicked.connect(lambda: ctx.navigator.go(WALKIN_FULLNAME))
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Your name")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.full_name.setText(self.tr("Type the full name"))
        self.back_to_list.setText(self.tr("Back to the surnames"))
        self.other_message.setText(self.other_text())

    def kept_value(self) -> str:
        return self.ctx.walkin.shown_name()

    def full_name_available(self) -> bool:
        """Whether the full-name keyboard screen exists in this build (registered: it may
        not be built yet when screens are built after the first frame)."""
        return WALKIN_FULLNAME in SCREENS

    def other_text(self) -> str:
        """What to do when the surname is not offered: type it, or call a volunteer."""
        if self.full_name_available():
            return WALKIN_OTHER_SURNAME_TYPE.text()
        return prompts.WALKIN_OTHER_SURNAME.text()

    def _show_grid(self) -> None:
        self.other_panel.hide()
        self.grid.show()
        self._refresh()
        self.grid.reset()  # announces the first question (unless entering)
        # The title buttons still say "王先生" after a reset: the name goes with them.
        self.grid.titles.set_items([])

    def _on_step(self, question: str) -> None:
        self.set_status("")
        if not self._entering:
            self.say(question)

    def _on_other(self) -> None:
        self.grid.hide()
        self.keep.hide()
        self.full_name.setVisible(self.full_name_available())
        self.other_message.setText(self.other_text())
        self.other_panel.show()
        self.say(self.other_message.text())

    def _on_chosen(self, name: str) -> None:
        self.ctx.walkin.set_name(name)
        self.ctx.navigator.go(WALKIN_PHONE)

    def _on_keep(self) -> None:
        self.ctx.navigator.go(WALKIN_PHONE)


@register_screen
class WalkInPhoneScreen(_WalkInStep):
    """An optional mobile number (so the resident can call back), or 跳过."""

    screen_id = WALKIN_PHONE
    voice_prompt = prompts.WALKIN_PHONE
    summary_fields = ("household", "name")

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.entry = PhoneEntry()
        self._root.addWidget(self.entry, 1)
        self._root.addWidget(self.status)
        self.entry.submitted.connect(self._on_submitted)
        self.entry.skipped.connect(self._on_skipped)
        self.entry.invalid.connect(self.say)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Your mobile number")

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self.entry.apply_theme(self.ctx.theme)

    def on_enter(self, **params: object) -> None:
        super().on_enter(**params)
        self.entry.clear()
        if self.ctx.walkin.phone:
            self.entry.set_digits(self.ctx.walkin.phone)  # item 22: given before, kept

    def on_leave(self) -> None:
        super().on_leave()
        self.entry.clear()

    def clear_personal_data(self) -> None:
        self.entry.clear()
        super().clear_personal_data()

    def _on_submitted(self, phone: str) -> None:
        self.ctx.walkin.set_phone(phone)
        self.ctx.navigator.go(WALKIN_REASON)

    def _on_skipped(self) -> None:
        self.ctx.walkin.set_phone(None)
        self.ctx.navigator.go(WALKIN_REASON)


@register_screen
class WalkInReasonScreen(_WalkInStep):
    """Why are you visiting? One of six; then the photo (if used) or the host is asked."""

    screen_id = WALKIN_REASON
    voice_prompt = prompts.WALKIN_REASON
    summary_fields = ("household", "name", "phone")

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.choices = ChoiceList()
        self._root.addWidget(self.choices)
        self._root.addWidget(self.status)
        self._root.addStretch(1)
        self.choices.chosen.connect(self._on_chosen)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Reason for the visit")

    def reason_label(self, key: str) -> str:
        return {
            "family": self.tr("Visiting family"),
            "friend": self.tr("Visiting friends"),
            "delivery": self.tr("Delivery"),
            "repair": self.tr("Repair"),
            "housekeeping": self.tr("Housekeeping"),
            "other": self.tr("Other"),
        }[key]

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.choices.set_choices(((k, self.reason_label(k)) for k in REASONS), keep_page=True)

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self.choices.apply_theme(self.ctx.theme)

    def on_enter(self, **params: object) -> None:
        super().on_enter(**params)
        self.choices.reset()
        self.choices.setEnabled(True)

    def _on_chosen(self, key: str) -> None:
        flow = self.ctx.walkin
        flow.set_reason(key)
        if self.ctx.settings.visitors.photo:
            self.ctx.navigator.go(WALKIN_PHOTO)
            return
        self.set_status(WALKIN_ASKING.text(), error=False)
        self.choices.setEnabled(False)  # one tap, one request
        flow.submit()
        if self.ctx.navigator.current is self:
            # Still here: the request failed (the message says why) or is on its way.
            self.choices.setEnabled(flow.state is WalkInState.EDITING)

    def _on_failed(self, error: KioskError) -> None:
        super()._on_failed(error)
        self.choices.setEnabled(True)


@register_screen
class WalkInPhotoScreen(_WalkInStep):
    """The camera notice, the live picture, 拍照 / 不拍照 (a photo is never required)."""

    screen_id = WALKIN_PHOTO
    voice_prompt = None
    summary_fields = ("household", "name")

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.notice = centered_label("heading", "photoNotice")
        self.camera = CameraView(ctx.camera_frames)
        self.camera.setObjectName("photoCamera")
        # The picture takes the room that is left, never more (its size hint would push the
        # buttons below the fold in 长辈模式).
        self.camera.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.camera.setMinimumHeight(120)
        self.take = ChoiceButton(variant="primary", primary=True)
        self.take.setObjectName("takePhotoButton")
        self.decline = ChoiceButton(variant="secondary")
        self.decline.setObjectName("noPhotoButton")
        self.action_row.insert(0, self.decline)
        self.action_row.insert(1, self.take)
        self._root.addWidget(self.notice)
        self._root.addWidget(self.camera, 1)
        self._root.addWidget(self.status)
        self._root.addWidget(self.action_row)
        self.take.clicked.connect(self._take)
        self.decline.clicked.connect(self._decline)
        ctx.walkin.photo_taken.connect(self._on_taken)
        ctx.walkin.photo_failed.connect(self._on_failed)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Photo for the visitor record")

    def notice_text(self) -> str:
        return WALKIN_PHOTO_NOTICE.text(days=self.ctx.settings.retention.photo_days)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.notice.setText(self.notice_text())
        self.take.setText(self.tr("Take photo"))
        self.decline.setText(self.tr("No photo"))
        self.camera.set_placeholder_text(
            self.tr("The camera is not working. Please touch No photo to go on.")
        )

    def spoken_intro(self) -> list[str]:
        return [self.title(), self.notice_text(), self.actions_sentence()]

    def on_enter(self, **params: object) -> None:
        super().on_enter(**params)
        self._enable(True)

    def _enable(self, on: bool) -> None:
        self.take.setEnabled(on)
        self.decline.setEnabled(on)

    def _take(self) -> None:
        provider = self.ctx.camera_frames
        frame = provider() if provider is not None else None
        self._enable(False)
        self.set_status("")
        self.ctx.walkin.take_photo(frame)

    def _decline(self) -> None:
        self.ctx.walkin.decline_photo()
        self._submit()

    def _on_taken(self) -> None:
        if self.ctx.navigator.current is self:
            self._submit()

    def _submit(self) -> None:
        self._enable(False)
        self.set_status(WALKIN_ASKING.text(), error=False)
        flow = self.ctx.walkin
        flow.submit()
        if self.ctx.navigator.current is self and flow.state is WalkInState.EDITING:
            self._enable(True)

    def _on_failed(self, error: KioskError) -> None:
        super()._on_failed(error)
        self._enable(True)


@register_screen
class WalkInWaitScreen(_WalkInStep):
    """已通知住户，请稍候: the household, how long so far, 取消, and 志愿者批准 when allowed.

    Follows the flow's answers wherever they arrive: waiting (from the last edit step, or
    back here after a volunteer signed in), refused or referred (the message screen).
    While the host is being asked the visit is kept alive (the visitor was told to wait);
    once the request has expired the usual idle limit applies.
    """

    screen_id = WALKIN_WAIT
    voice_prompt = None
    shows_back = False  # editing means withdrawing the request: 取消 says so
    summary_fields = ("name",)

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.household = centered_label("title", "waitHousehold", data=True)
        self.message = centered_label("heading", "waitMessage")
        self.elapsed = centered_label("body", "waitElapsed")
        self.cancel = ChoiceButton(variant="secondary")
        self.cancel.setObjectName("cancelWaitButton")
        self.approve = ChoiceButton(variant="primary", primary=True)
        self.approve.setObjectName("volunteerApproveButton")
        self.approve.hide()
        self.retry = ChoiceButton(variant="secondary")
        self.retry.setObjectName("retryWaitButton")
        self.retry.hide()
        self.action_row.insert(0, self.cancel)
        self.action_row.insert(1, self.retry)
        self.action_row.insert(2, self.approve)
        # Title, then the home being asked, then the message; the visitor's name under it.
        self._root.removeWidget(self.summary)
        self._root.addWidget(self.household)
        self._root.addWidget(self.summary)
        self._root.addWidget(self.message)
        self._root.addWidget(self.elapsed)
        self._root.addWidget(self.status)
        self._root.addStretch(1)
        self._root.addWidget(self.action_row)
        self._view: WaitView | None = None
        self._started: float | None = None
        self._spoken = ""
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self.cancel.clicked.connect(self._cancel)
        self.approve.clicked.connect(self._approve)
        self.retry.clicked.connect(self._retry)
        flow = ctx.walkin
        flow.waiting.connect(self._on_waiting)
        # Bound methods, not lambdas: a lambda would tie the flow to this screen (and the
        # screen's context) in a cycle that Python cannot see through Qt.
        flow.refused.connect(self._on_refused)
        flow.referred.connect(self._on_referred)
        ctx.navigator.screen_will_change.connect(self._on_screen_will_change)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Waiting for the resident")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.cancel.setText(self.tr("Cancel"))
        self.approve.setText(self.tr("Approve as volunteer"))
        self.retry.setText(self.tr("Try again"))
        self._render()

    def spoken_intro(self) -> list[str]:
        return [self.title(), self.household.text(), self.message_text(), self.actions_sentence()]

    def on_enter(self, **params: object) -> None:
        super().on_enter(**params)
        self.retry.hide()
        self._render()
        self._ticker.start()
        self._spoken = self.message_text()

    def on_leave(self) -> None:
        super().on_leave()
        self._ticker.stop()

    def clear_personal_data(self) -> None:
        self._forget()
        super().clear_personal_data()

    # ---------------------------------------------------------------- what is shown
    def message_text(self) -> str:
        view = self._view
        if view is None:
            return prompts.WALKIN_WAITING.text(household=self.ctx.walkin.household_label)
        if view.volunteer_may_approve:
            prompt = (
                WALKIN_VOLUNTEER_NO_ANSWER
                if view.state == "expired"
                else WALKIN_VOLUNTEER_UNREACHABLE
            )
            return prompt.text()
        if view.state == "expired":
            return prompts.WALKIN_NO_ANSWER.text()
        if not view.host_reachable:
            return prompts.WALKIN_HOST_UNREACHABLE.text()
        return prompts.WALKIN_WAITING.text(household=view.household_label)

    def elapsed_text(self) -> str:
        if self._started is None:
            return ""
        seconds = int(time.monotonic() - self._started)
        if seconds < 60:
            return self.tr("Waiting for {seconds} s").format(seconds=seconds)
        return self.tr("Waiting for {minutes} min {seconds} s").format(
            minutes=seconds // 60, seconds=seconds % 60
        )

    def _render(self) -> None:
        view = self._view
        label = view.household_label if view is not None else self.ctx.walkin.household_label
        self.household.setText(label)
        self.household.setVisible(bool(label))
        self.message.setText(self.message_text())
        self.approve.setVisible(view is not None and view.volunteer_may_approve)
        self.approve.setEnabled(True)
        self._tick()

    def _tick(self) -> None:
        text = self.elapsed_text()
        self.elapsed.setText(text)
        self.elapsed.setVisible(bool(text))

    def _forget(self) -> None:
        self._ticker.stop()
        self._view = None
        self._started = None
        self._spoken = ""
        for label in (self.household, self.message, self.elapsed):
            label.clear()
        self.approve.hide()
        self.retry.hide()

    # ---------------------------------------------------------------- the flow's answers
    def _on_waiting(self, view: WaitView) -> None:
        self._view = view
        if self._started is None:
            self._started = time.monotonic()
        navigator = self.ctx.navigator
        current = navigator.current
        if current is self:
            self.set_status("")
            self.retry.hide()
            self._render()
            if view.state == "pending":
                # The visitor was asked to wait: that is not inactivity.
                self.ctx.idle.touch()
            text = self.message_text()
            if text != self._spoken:
                self._spoken = text
                self.say(text)
        elif current is not None and current.screen_id in EDIT_SCREENS:
            navigator.go(WALKIN_WAIT)
        else:
            # E.g. a volunteer signed in to approve: the sign-in goes home first.
            QTimer.singleShot(0, self._return_from_home)

    def _return_from_home(self) -> None:
        current = self.ctx.navigator.current
        if (
            self.ctx.walkin.state is WalkInState.WAITING
            and current is not None
            and current.screen_id == nav.HOME
        ):
            self.ctx.navigator.go(WALKIN_WAIT)

    def _on_refused(self, error: KioskError) -> None:
        self._finish("refused", error)

    def _on_referred(self, error: KioskError) -> None:
        self._finish("referred", error)

    def _finish(self, kind: str, error: KioskError) -> None:
        self._forget()
        self.ctx.navigator.go(WALKIN_RESULT, kind=kind, error=error)

    def _on_failed(self, error: KioskError) -> None:
        super()._on_failed(error)
        if self.ctx.navigator.current is self:
            self.approve.setEnabled(True)
            self.retry.setVisible(self.ctx.walkin.state is WalkInState.WAITING)

    def _on_screen_will_change(self, old: Screen | None, new: Screen) -> None:
        """Leaving the wait for anything but a volunteer's sign-in or the answer (返回首页,
        the admin corner) withdraws the request: nobody is left to let in."""
        if old is not self or new.screen_id in _WAIT_KEEPS:
            return
        if self.ctx.walkin.state is WalkInState.WAITING:
            self.ctx.walkin.cancel()
            self._forget()

    # ---------------------------------------------------------------- buttons
    def _cancel(self) -> None:
        self.ctx.walkin.cancel()
        self._forget()
        self.ctx.navigator.home()

    def _approve(self) -> None:
        self.approve.setEnabled(False)  # one tap, one decision
        self.ctx.walkin.volunteer_approve()

    def _retry(self) -> None:
        self.retry.hide()
        self.set_status("")
        self.ctx.walkin.poll()


@register_screen
class WalkInResultScreen(Screen):
    """The host said no (a kind message), or please go to the service desk (neutral).

    Both look the same, and the same as any other message: a title that names neither, the
    message, 完成.
    """

    screen_id = WALKIN_RESULT
    voice_prompt = None
    shows_back = False

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.message = centered_label("heading", "walkinResultMessage")
        self.done = ChoiceButton(variant="primary", primary=True)
        self.done.setObjectName("walkinResultDone")
        self._buttons = ActionRow()
        self._buttons.add(self.done)
        self._root.addStretch(1)
        self._root.addWidget(self.message)
        self._root.addStretch(2)
        self._root.addWidget(self._buttons)
        self.done.clicked.connect(ctx.navigator.home)
        self._error: KioskError | None = None
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Visitor registration")

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self._buttons.set_spacing(gap * 3)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.done.setText(self.tr("Done"))
        self.message.setText(self.message_text())

    def message_text(self) -> str:
        return self._error.text() if self._error is not None else ""

    def spoken_intro(self) -> list[str]:
        return [
            self.title(),
            self.message_text(),
            self.actions_sentence(),
        ]

    def on_enter(self, **params: object) -> None:
        error = params.get("error")
        self._error = error if isinstance(error, KioskError) else None
        self.message.setText(self.message_text())

    def on_leave(self) -> None:
        self._forget()

    def clear_personal_data(self) -> None:
        self._forget()
        super().clear_personal_data()

    def _forget(self) -> None:
        self._error = None
        self.message.clear()
