"""How should we address you? A surname from the common ones, then 先生 or 女士.

Nobody types: the 30 most common surnames are offered in pages (most common first), then the
title. The result is the polite Chinese form of address (``"王先生"``, ``"王女士"``), the same
in every UI language, because it is a name. A rarer surname goes through 其他姓氏, which the
screen answers with a full keyboard or a volunteer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.widgets.choice_list import ChoiceButton, ChoicePages, StepHeader

if TYPE_CHECKING:
    from ui.theme import Theme

__all__ = ["COMMON_SURNAMES", "TITLES", "SurnameGrid"]

#: The 30 most common surnames, most common first.
COMMON_SURNAMES: Final = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹")
#: The titles in the order offered; the display name is surname + title.
TITLES: Final = ("先生", "女士")


class SurnameGrid(QWidget):
    """Pick a surname, then 先生/女士.

    Args:
        surnames: The surnames offered, in order (default :data:`COMMON_SURNAMES`).

    Attributes:
        header: The step's question, the chosen surname and 返回上一步.
        pages: The surname buttons with 上一页/下一页.
        titles: The two title buttons (先生 / 女士).
        other_button: 其他姓氏.

    Signals:
        chosen: The title was chosen; arg: the display name ("王先生").
        other_requested: 其他姓氏 was released.
        step_changed: A new step is shown; arg: its question (to be spoken).
    """

    chosen = Signal(str)
    other_requested = Signal()
    step_changed = Signal(str)

    def __init__(
        self, surnames: Sequence[str] = COMMON_SURNAMES, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if not surnames:
            raise ValueError("offer at least one surname")
        self._surnames = list(surnames)
        self._surname: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = StepHeader()
        self.pages = ChoicePages(variant="keypad", page_sizes=(15, 6), columns=(5, 3))
        self.pages.set_items(self._surnames)
        self.titles = ChoicePages(variant="keypad", page_sizes=(2, 2), columns=(2, 2))
        self.other_button = ChoiceButton(variant="secondary")
        self.other_button.setObjectName("otherSurname")
        layout.addWidget(self.header)
        layout.addWidget(self.pages)
        layout.addWidget(self.titles)
        layout.addWidget(self.other_button)
        self.header.back_button.clicked.connect(self.go_back)
        self.pages.chosen.connect(self._on_surname)
        self.titles.chosen.connect(self._on_title)
        self.other_button.clicked.connect(self.other_requested)
        self.retranslate_ui()
        self._show(announce=False)

    # ---------------------------------------------------------------- public
    def surname(self) -> str | None:
        """The surname chosen in the first step, if any."""
        return self._surname

    def reset(self) -> None:
        """Back to the first page of surnames, nothing chosen."""
        self._surname = None
        self.pages.set_page(0)
        self._show()

    def go_back(self) -> bool:
        """From the title back to the surnames (the same page); False when already there."""
        if self._surname is None:
            return False
        self._surname = None
        self._show()
        return True

    def prompt_text(self) -> str:
        return self.header.prompt.text()

    def set_page_size(self, size: int | None) -> None:
        self.pages.set_page_size(size)

    def apply_theme(self, theme: Theme) -> None:
        layout = self.layout()
        assert layout is not None
        layout.setSpacing(theme.gap_px() * 2)
        self.header.apply_theme(theme)
        self.pages.apply_theme(theme)
        self.titles.apply_theme(theme)

    def retranslate_ui(self) -> None:
        self.other_button.setText(self.tr("Other surname"))
        self._show(announce=False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ---------------------------------------------------------------- steps
    def _show(self, *, announce: bool = True) -> None:
        on_titles = self._surname is not None
        if self._surname is not None:
            prompt = self.tr("How should we address you?")
            path = [self._surname]
            # Shown with the surname ("王先生") so the button reads as the name it gives.
            self.titles.set_items(
                [
                    self.tr("Mr {surname}").format(surname=self._surname),
                    self.tr("Ms {surname}").format(surname=self._surname),
                ]
            )
        else:
            prompt = self.tr("Choose your surname")
            path = []
        self.header.set_state(prompt, path, can_go_back=on_titles)
        self.pages.setVisible(not on_titles)
        self.other_button.setVisible(not on_titles)
        self.titles.setVisible(on_titles)
        if announce:
            self.step_changed.emit(prompt)

    def _on_surname(self, index: int) -> None:
        self._surname = self._surnames[index]
        self._show()

    def _on_title(self, index: int) -> None:
        if self._surname is not None:
            self.chosen.emit(self._surname + TITLES[index])
