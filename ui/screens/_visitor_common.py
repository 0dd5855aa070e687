"""Parts shared by the visitor screens (walk-in, invitation, check-in): centred labels, the
row of buttons, the confirmation card and the base of a step with a summary line, a message
line and 继续使用 (keep what was given before).

No screen lives here, and no translatable text: every string stays in the screen (and the
translation context) that shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.errors import KioskError
from ui.context import ScreenContext
from ui.screen import Screen, plain_label
from ui.widgets.choice_list import ChoiceButton, ChoicePages
from ui.widgets.surname_grid import SurnameGrid


def restyle(label: QLabel) -> None:
    """Apply the style sheet again after a property the sheet selects on changed."""
    style = label.style()
    style.unpolish(label)
    style.polish(label)


def set_role(label: QLabel, role: str) -> None:
    """Give ``label`` the style role ``role`` (``status-ok``, ``status-error``...)."""
    if label.property("role") != role:
        label.setProperty("role", role)
        restyle(label)


def centered_label(
    role: str,
    name: str = "",
    *,
    data: bool = False,
    status: bool = False,
    wrap: bool = True,
) -> QLabel:
    """A plain label centred across the screen.

    Args:
        role: The style role (``body``, ``heading``, ``title``, ``status-ok``...).
        name: The object name (tests find the label by it), if any.
        data: It shows data (a name, a home, a code), not interface text.
        status: It is a status line (``kiosk_status``).
        wrap: Wrap long text.
    """
    label = plain_label(role=role, wrap=wrap)
    if name:
        label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    if data:
        label.setProperty("data_text", True)
    if status:
        label.setProperty("kiosk_status", True)
    return label


def mark_data(pages: ChoicePages, is_data: bool) -> None:
    """Tag the choice buttons as showing data (a surname, a building's name: the same in every
    language) or interface text (2单元 / Unit 2), for the translation checks."""
    for button in pages.buttons:
        button.setProperty("data_text", is_data)


def detail_card(
    names: Sequence[str], *, caption_align: Qt.AlignmentFlag
) -> tuple[QFrame, list[QLabel], list[QLabel]]:
    """A card of caption → value rows (what a confirmation shows before the visitor commits).

    Args:
        names: The object names of the value labels, one row each.
        caption_align: The captions' vertical alignment (beside a value of several lines).

    Returns:
        The card, its captions and its values (data labels), in row order.
    """
    card = QFrame()
    card.setProperty("surface", "card")
    grid = QGridLayout(card)
    captions = [plain_label(role="body", wrap=False) for _ in names]
    values: list[QLabel] = []
    for name in names:
        value = plain_label(role="heading")
        value.setObjectName(name)
        values.append(value)
    for row, (caption, value) in enumerate(zip(captions, values, strict=True)):
        value.setProperty("data_text", True)
        grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignRight | caption_align)
        grid.addWidget(value, row, 1)
    grid.setColumnStretch(1, 1)
    return card, captions, values


class ActionRow(QWidget):
    """A screen's buttons sharing the width: side by side while they fit, else as many to a
    row as fit (every column as wide as the widest label), so no label is ever squeezed
    (item 9).

    Buttons shown or hidden later are placed again by themselves.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._buttons: list[QWidget] = []
        self._shape: tuple[tuple[int, ...], int] = ((), 0)
        self._pending = False
        # Only the height comes from the buttons: the width is what the screen gives, and
        # the buttons are placed again in it (an explicit minimum width stops the grid from
        # forcing its one-row width on the screen).
        self.setMinimumWidth(1)

    def add(self, *buttons: QWidget) -> None:
        for button in buttons:
            self.insert(len(self._buttons), button)

    def insert(self, index: int, button: QWidget) -> None:
        # A child first: a widget without a parent counts as hidden until it is shown; one
        # hidden explicitly stays hidden.
        button.setParent(self)
        self._buttons.insert(index, button)
        button.installEventFilter(self)
        self._shape = ((), 0)
        self.arrange()

    def set_spacing(self, px: int) -> None:
        self._grid.setSpacing(px)
        self._shape = ((), 0)
        self.arrange()

    def columns(self) -> int:
        return self._shape[1]

    def arrange(self) -> None:
        self._pending = False
        # A button deleted with its screen (the end of the kiosk) is dropped.
        self._buttons = [b for b in self._buttons if shiboken6.isValid(b)]
        visible = [b for b in self._buttons if not b.isHidden()]
        gap = max(0, self._grid.spacing())
        width = self.width() if self.width() > 1 else None
        widest = max((b.sizeHint().width() for b in visible), default=0)
        columns = max(1, len(visible))
        if width is not None:
            while columns > 1 and widest * columns + gap * (columns - 1) > width:
                columns -= 1
        shape = (tuple(id(b) for b in visible), columns)
        if shape == self._shape:
            return
        self._shape = shape
        for button in self._buttons:
            self._grid.removeWidget(button)
        for i, button in enumerate(visible):
            self._grid.addWidget(button, i // columns, i % columns)
        for c in range(max(columns, self._grid.columnCount())):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)
        self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (
            kind
            in (
                QEvent.Type.ShowToParent,
                QEvent.Type.HideToParent,
                QEvent.Type.FontChange,
                QEvent.Type.StyleChange,
            )
            and not self._pending
        ):
            self._pending = True
            self._shape = ((), 0)
            # With this row as the context: no call once it is gone.
            QTimer.singleShot(0, self, self.arrange)
        return False


class VisitorStep(Screen):
    """A step of a visitor's form: a summary of what was given so far, a message line, and
    继续使用 (keep what this step was given before).

    Subclasses add their widgets, then ``status`` and ``action_row`` where they belong, and
    say how the keep button reads (:meth:`keep_text`, in their own translation context).

    Attributes:
        summary: What was given on earlier steps.
        status: Errors (spoken too) and information for this step.
        keep: 继续使用“…”: what this step was given before, to go on with it.
        action_row: The row holding ``keep`` (subclasses add their own buttons).
    """

    #: The object names of ``summary`` and ``status`` (tests find them by these).
    summary_name: ClassVar[str] = ""
    status_name: ClassVar[str] = ""

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.summary = centered_label("body", self.summary_name, data=True)
        self.summary.hide()
        self._root.addWidget(self.summary)
        self.status = centered_label("status-error", self.status_name, status=True)
        self.status.hide()
        self.keep = ChoiceButton(variant="secondary")
        self.keep.setObjectName("keepButton")
        self.keep.hide()
        self.keep.clicked.connect(self._on_keep)
        self.action_row = ActionRow()
        self.action_row.add(self.keep)

    # ---------------------------------------------------------------- to override
    def kept_value(self) -> str:
        """What this step was given before, as shown ("" when nothing)."""
        return ""

    def keep_text(self, value: str) -> str:
        """The keep button's text for ``value`` (继续使用“…”)."""
        return value

    def summary_text(self) -> str:
        return ""

    def _on_keep(self) -> None:
        """Go on with what was given before."""

    # ---------------------------------------------------------------- Screen
    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.refresh()

    def on_enter(self, **params: object) -> None:
        self.set_status("")
        self.refresh()

    def on_leave(self) -> None:
        self.set_status("")

    def clear_personal_data(self) -> None:
        self.set_status("")
        self.summary.clear()
        self.summary.hide()
        self.keep.setText("")
        self.keep.hide()
        super().clear_personal_data()

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self.action_row.set_spacing(gap * 3)

    # ---------------------------------------------------------------- helpers
    def refresh(self) -> None:
        text = self.summary_text()
        self.summary.setText(text)
        self.summary.setVisible(bool(text))
        kept = self.kept_value()
        if kept:
            self.keep.setText(self.keep_text(kept))
        self.keep.setVisible(bool(kept))

    def set_status(self, text: str, *, error: bool = True) -> None:
        set_role(self.status, "status-error" if error else "status-ok")
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def say(self, text: str) -> None:
        """Speak ``text`` now if this screen is shown (voice mode only)."""
        if text and self.ctx.navigator.current is self:
            self.ctx.voice.say(text, owner=self, auto=True)

    def show_failure(self, error: KioskError) -> bool:
        """Show and speak ``error`` if this screen is shown; whether it was."""
        if self.ctx.navigator.current is not self:
            return False
        text = error.text()
        self.set_status(text)
        self.ctx.voice.say(text, owner=self, auto=True)
        return True


class SurnameStep(VisitorStep):
    """A name step with the surname grid (surname, then 先生/女士) and, in place of the grid
    after 其他姓氏, a panel saying what to do instead with the way back to the grid.

    Subclasses put ``grid`` and ``other_panel`` into their layout, set the texts, and
    define ``_show_grid`` and the grid's reactions (``_on_chosen``, ``_on_other``,
    ``_on_step``).
    """

    def _build_surname_step(self, *extra_actions: QWidget) -> None:
        self.grid = SurnameGrid()
        self.other_panel = QWidget()
        self.other_panel.setObjectName("otherSurnamePanel")
        panel = QVBoxLayout(self.other_panel)
        panel.setContentsMargins(0, 0, 0, 0)
        self.other_message = centered_label("heading", "otherSurnameMessage")
        self.back_to_list = ChoiceButton(variant="secondary")
        self.back_to_list.setObjectName("backToSurnames")
        self.other_actions = ActionRow()
        self.other_actions.add(self.back_to_list, *extra_actions)
        panel.addStretch(1)
        panel.addWidget(self.other_message)
        panel.addWidget(self.other_actions)
        panel.addStretch(2)
        self.other_panel.hide()
        self._entering = False
        self.grid.chosen.connect(self._on_chosen)
        self.grid.other_requested.connect(self._on_other)
        self.grid.step_changed.connect(self._on_step)
        self.back_to_list.clicked.connect(self._show_grid)

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self.grid.apply_theme(self.ctx.theme)
        mark_data(self.grid.pages, True)  # surnames: the same in every language
        layout = self.other_panel.layout()
        assert layout is not None
        layout.setSpacing(gap * 3)
        self.other_actions.set_spacing(gap * 3)

    def on_enter(self, **params: object) -> None:
        super().on_enter(**params)
        self._entering = True
        try:
            self._show_grid()
        finally:
            self._entering = False

    def on_leave(self) -> None:
        super().on_leave()
        self.grid.titles.set_items([])  # they name the visitor ("王先生")

    def clear_personal_data(self) -> None:
        self._show_grid()
        super().clear_personal_data()

    def _show_grid(self) -> None:
        raise NotImplementedError

    def _on_chosen(self, name: str) -> None:
        raise NotImplementedError

    def _on_other(self) -> None:
        raise NotImplementedError

    def _on_step(self, question: str) -> None:
        raise NotImplementedError
