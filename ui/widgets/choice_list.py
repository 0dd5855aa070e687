"""Single-choice lists of big buttons, one page at a time (ACCESSIBILITY.md items 14 and 25).

Three pieces, shared by the other picker widgets:

* :class:`ChoicePages`: a grid of choice buttons that shows one page and offers 上一页/下一页
  below it. It never scrolls and never shrinks a button below the theme's target size or
  below what its label needs: when the labels are wider than the columns allow, it uses
  fewer columns (more rows).
* :class:`StepHeader`: the question of a multi-step picker, what was chosen so far, and a
  返回上一步 button.
* :class:`ChoiceList`: ``(key, label)`` pairs on :class:`ChoicePages`, emitting the key.

Sizes come only from the style sheet (``BigButton`` variants) and from the theme passed to
``apply_theme``: in 长辈模式 a page holds at most :data:`ELDERLY_PAGE_SIZE` choices. Choice
buttons are not primary actions (``primary=False``), so they never count against the six
primary actions allowed on an elderly-mode page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from ui.screen import plain_label
from ui.widgets.big_button import BigButton

if TYPE_CHECKING:
    from ui.theme import Theme

__all__ = [
    "ELDERLY_PAGE_SIZE",
    "STANDARD_PAGE_SIZE",
    "ChoiceButton",
    "ChoiceList",
    "ChoicePages",
    "StepHeader",
    "is_elderly",
]

#: At most this many choices on one page in 长辈模式 (ACCESSIBILITY.md item 25).
ELDERLY_PAGE_SIZE = 6
#: Choices on one page in standard mode.
STANDARD_PAGE_SIZE = 12


def is_elderly(theme: Theme) -> bool:
    """Whether ``theme`` currently holds the 长辈模式 tokens."""
    return theme.tokens.name == "elderly"


class ChoiceButton(BigButton):
    """A ``BigButton`` that a crowded layout cannot squeeze below what its text needs.

    The style sheet's ``min-height``/``min-width`` (the target-size token) become the
    widget's explicit minimum size, and Qt lets layouts shrink a widget down to that even
    with a fixed size policy. At the larger text steps the label needs more than the token,
    so the minimum follows the size hint (which already includes the token) after every
    (re-)polish and text change: the page then grows, and the screen's scroll area takes
    over, instead of the label being cut.
    """

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.Polish, QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._keep_text_size()
        return handled

    def setText(self, text: str) -> None:
        super().setText(text)
        self._keep_text_size()

    def _keep_text_size(self) -> None:
        hint = self.sizeHint()
        if self.minimumSize() != hint:
            self.setMinimumSize(hint)


class ChoicePages(QWidget):
    """Choice buttons in a grid, one page at a time, with 上一页/下一页 beneath.

    The grid keeps its shape from page to page while there is more than one page (empty
    cells on the last page stay empty), so a button never jumps under the finger.

    Args:
        variant: ``BigButton`` variant of the choice buttons ("secondary", "keypad", ...).
        page_sizes: Choices per page as (standard, elderly); ``set_page_size`` overrides.
        columns: Most columns as (standard, elderly); fewer are used when labels are wide.

    Attributes:
        buttons: The choice buttons (those past the current page's slots are hidden).
        previous_button, next_button: 上一页 / 下一页.
        page_label: "第 1 页，共 3 页".

    Signals:
        chosen: A choice button was released; arg: index of the item in ``set_items``.
        page_changed: The page shown changed; args: page index (from 0), page count.
    """

    chosen = Signal(int)
    page_changed = Signal(int, int)

    def __init__(
        self,
        *,
        variant: str = "secondary",
        page_sizes: tuple[int, int] = (STANDARD_PAGE_SIZE, ELDERLY_PAGE_SIZE),
        columns: tuple[int, int] = (4, 3),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if min(page_sizes) < 1 or min(columns) < 1:
            raise ValueError("page sizes and columns are at least 1")
        self._variant = variant
        self._page_sizes = page_sizes
        self._columns = columns
        self._page_size_override: int | None = None
        self._elderly = False
        self._labels: list[str] = []
        self._page = 0
        self._shown_columns = 0
        self._needed_width: int | None = None
        self._rendering = False
        self.buttons: list[ChoiceButton] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)

        self._nav = QWidget()
        nav = QHBoxLayout(self._nav)
        nav.setContentsMargins(0, 0, 0, 0)
        self.previous_button = ChoiceButton(variant="secondary")
        self.previous_button.setObjectName("previousPage")
        self.next_button = ChoiceButton(variant="secondary")
        self.next_button.setObjectName("nextPage")
        self.page_label = plain_label(role="body", wrap=False)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self.previous_button)
        nav.addWidget(self.page_label, 1)
        nav.addWidget(self.next_button)
        layout.addWidget(self._nav)
        self.previous_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.retranslate_ui()
        self._render()

    # ---------------------------------------------------------------- data
    def set_items(self, labels: Iterable[str], *, keep_page: bool = False) -> None:
        """Show ``labels`` (plain text), from the first page unless ``keep_page``."""
        self._labels = list(labels)
        self._needed_width = None
        if not keep_page:
            self._page = 0
        self._render()

    def items(self) -> list[str]:
        return list(self._labels)

    def visible_items(self) -> list[str]:
        """Labels of the choices on the current page, in reading order."""
        start = self._page * self.page_size()
        return self._labels[start : start + self.page_size()]

    # ---------------------------------------------------------------- paging
    def page_size(self) -> int:
        """Choices per page now: the override or the mode's default, ≤ 6 in 长辈模式."""
        if self._page_size_override is not None:
            size = self._page_size_override
        else:
            size = self._page_sizes[1] if self._elderly else self._page_sizes[0]
        return min(size, ELDERLY_PAGE_SIZE) if self._elderly else size

    def set_page_size(self, size: int | None) -> None:
        """Choices per page; ``None`` goes back to the default for the mode.

        In 长辈模式 a page never holds more than :data:`ELDERLY_PAGE_SIZE` choices, whatever
        is set here.
        """
        if size is not None and size < 1:
            raise ValueError("a page holds at least one choice")
        first = self._page * self.page_size()
        self._page_size_override = size
        self._page = first // self.page_size()
        self._render()

    def set_columns(self, standard: int, elderly: int) -> None:
        """Most columns per mode (fewer are used when the labels are too wide)."""
        if min(standard, elderly) < 1:
            raise ValueError("at least one column")
        self._columns = (standard, elderly)
        self._render()

    def page(self) -> int:
        return self._page

    def page_count(self) -> int:
        return max(1, -(-len(self._labels) // self.page_size()))

    def set_page(self, page: int) -> None:
        page = max(0, min(page, self.page_count() - 1))
        if page != self._page:
            self._page = page
            self._render()
            self.page_changed.emit(self._page, self.page_count())

    def next_page(self) -> None:
        self.set_page(self._page + 1)

    def previous_page(self) -> None:
        self.set_page(self._page - 1)

    def page_of(self, index: int) -> int:
        """The page that shows item ``index``."""
        return index // self.page_size()

    # ---------------------------------------------------------------- metrics
    def apply_theme(self, theme: Theme) -> None:
        """Spacing and page size for the theme's current mode."""
        elderly = is_elderly(theme)
        if elderly != self._elderly:
            first = self._page * self.page_size()
            self._elderly = elderly
            self._page = first // self.page_size()
        gap = theme.gap_px()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.setSpacing(gap * 2)
        self._grid.setSpacing(gap)
        nav = self._nav.layout()
        assert nav is not None
        nav.setSpacing(gap * 2)
        self._needed_width = None  # fonts changed with the style sheet
        self._render()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._rendering:
            return  # a layout pass inside _render; it checks the width again when done
        if self._fit_columns() != self._shown_columns:
            self._render()
        else:
            self._render_page_label()

    def changeEvent(self, event: QEvent) -> None:
        t = event.type()
        if t == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        elif t in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._needed_width = None
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.previous_button.setText(self.tr("Previous page"))
        self.next_button.setText(self.tr("Next page"))
        self._render_page_label()

    # ---------------------------------------------------------------- rendering
    def _button(self, slot: int) -> ChoiceButton:
        while len(self.buttons) <= slot:
            b = ChoiceButton(variant=self._variant, parent=self)
            b.setObjectName(f"choice{len(self.buttons)}")
            i = len(self.buttons)
            b.clicked.connect(lambda _=False, i=i: self._on_button(i))
            b.hide()
            self.buttons.append(b)
        return self.buttons[slot]

    def _label_width(self) -> int:
        """Width the widest label needs as a button: what ``QPushButton.sizeHint`` would say,
        asked of the style directly (no text is set, so nothing relayouts)."""
        if self._needed_width is None:
            probe = self._button(0)
            probe.ensurePolished()
            fm = probe.fontMetrics()
            option = QStyleOptionButton()
            probe.initStyleOption(option)
            widest = 0
            for label in set(self._labels):
                text = label or "XXXX"  # what QPushButton measures for an empty label
                option.text = label
                content = fm.size(Qt.TextFlag.TextShowMnemonic, text)
                size = probe.style().sizeFromContents(
                    QStyle.ContentsType.CT_PushButton, option, content, probe
                )
                widest = max(widest, size.width())
            self._needed_width = widest
        return self._needed_width

    def _slots(self) -> int:
        size = self.page_size()
        return size if len(self._labels) > size else len(self._labels)

    def _fit_columns(self) -> int:
        preferred = self._columns[1] if self._elderly else self._columns[0]
        slots = max(1, self._slots())
        width = self.contentsRect().width()
        gap = max(0, self._grid.spacing())
        fit = (width + gap) // (self._label_width() + gap) if width > 0 else preferred
        return max(1, min(preferred, slots, fit))

    def _render(self) -> None:
        # Showing and hiding buttons can activate the parent's layout at once, which resizes
        # this widget from inside this method: guard, then fit again to the final width.
        self._rendering = True
        try:
            for _ in range(3):
                self._render_once()
                if self._fit_columns() == self._shown_columns:
                    break
        finally:
            self._rendering = False

    def _render_once(self) -> None:
        self._page = max(0, min(self._page, self.page_count() - 1))
        slots = self._slots()
        columns = self._fit_columns()
        start = self._page * self.page_size()
        multi_page = self.page_count() > 1
        for b in self.buttons:
            self._grid.removeWidget(b)
        for slot in range(max(slots, len(self.buttons))):
            b = self._button(slot)
            index = start + slot
            policy = b.sizePolicy()
            if slot < slots:
                self._grid.addWidget(b, slot // columns, slot % columns)
            if slot < slots and index < len(self._labels):
                b.setText(self._labels[index])
                b.show()
            else:
                b.setText("")
                b.hide()
            # Empty cells of a multi-page grid keep their room: the grid keeps its shape.
            policy.setRetainSizeWhenHidden(multi_page and slot < slots)
            b.setSizePolicy(policy)
        for c in range(max(self._shown_columns, columns)):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)
        self._shown_columns = columns
        self._nav.setVisible(multi_page)
        self.previous_button.setEnabled(self._page > 0)
        self.next_button.setEnabled(self._page < self.page_count() - 1)
        self._render_page_label()

    def _render_page_label(self) -> None:
        """ "第 1 页，共 3 页", or just "1/3" when the row between the buttons is too narrow."""
        page, pages = self._page + 1, self.page_count()
        text = self.tr("Page {page} of {pages}").format(page=page, pages=pages)
        nav = self._nav.layout()
        assert nav is not None
        room = (
            self.contentsRect().width()
            - self.previous_button.sizeHint().width()
            - self.next_button.sizeHint().width()
            - nav.spacing() * 2
        )
        self.page_label.ensurePolished()
        if self.page_label.fontMetrics().horizontalAdvance(text) > room:
            text = f"{page}/{pages}"
        self.page_label.setText(text)

    def _on_button(self, slot: int) -> None:
        index = self._page * self.page_size() + slot
        if index < len(self._labels):
            self.chosen.emit(index)


class StepHeader(QWidget):
    """The question of a step, the choices made so far, and 返回上一步.

    Attributes:
        back_button: 返回上一步; hidden on the first step.
        prompt: The question ("请选择楼栋").
        breadcrumb: What was chosen so far ("已选：3栋 › 2单元"); hidden when nothing is.
    """

    SEPARATOR = " › "

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.back_button = ChoiceButton(variant="secondary")
        self.back_button.setObjectName("previousStep")
        texts = QVBoxLayout()
        texts.setContentsMargins(0, 0, 0, 0)
        texts.setSpacing(0)
        self.prompt = plain_label(role="heading")
        self.breadcrumb = plain_label(role="body")
        texts.addWidget(self.prompt)
        texts.addWidget(self.breadcrumb)
        row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(texts, 1)
        self._path: list[str] = []
        self.retranslate_ui()
        self.set_state("", [], can_go_back=False)

    def set_state(self, prompt: str, path: Sequence[str], *, can_go_back: bool) -> None:
        """Show ``prompt`` and the choices in ``path`` (plain text)."""
        self.prompt.setText(prompt)
        self._path = list(path)
        self._render_path()
        self.back_button.setVisible(can_go_back)

    def apply_theme(self, theme: Theme) -> None:
        row = self.layout()
        assert row is not None
        row.setSpacing(theme.gap_px() * 2)

    def retranslate_ui(self) -> None:
        self.back_button.setText(self.tr("Previous step"))
        self._render_path()

    def _render_path(self) -> None:
        if self._path:
            self.breadcrumb.setText(
                self.tr("Chosen: {path}").format(path=self.SEPARATOR.join(self._path))
            )
        else:
            self.breadcrumb.clear()
        self.breadcrumb.setVisible(bool(self._path))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class ChoiceList(QWidget):
    """One choice out of ``(key, label)`` pairs (e.g. the reason for a visit), paged.

    The labels are shown as given (plain text); the screen passes translated labels and sets
    them again on a language change (``set_choices(..., keep_page=True)``).

    Attributes:
        pages: The :class:`ChoicePages` with the buttons and 上一页/下一页.

    Signals:
        chosen: A choice was released; arg: its key.
    """

    chosen = Signal(str)

    def __init__(
        self,
        choices: Iterable[tuple[str, str]] = (),
        *,
        variant: str = "secondary",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pages = ChoicePages(variant=variant, columns=(3, 2))
        layout.addWidget(self.pages)
        self._keys: list[str] = []
        self.pages.chosen.connect(self._on_chosen)
        self.set_choices(choices)

    def set_choices(self, choices: Iterable[tuple[str, str]], *, keep_page: bool = False) -> None:
        pairs = list(choices)
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError("choice keys must be unique")
        self._keys = keys
        self.pages.set_items((label for _, label in pairs), keep_page=keep_page)

    def keys(self) -> list[str]:
        return list(self._keys)

    def button_for(self, key: str) -> ChoiceButton | None:
        """The button showing ``key`` if it is on the current page."""
        index = self._keys.index(key)
        if self.pages.page_of(index) != self.pages.page():
            return None
        return self.pages.buttons[index - self.pages.page() * self.pages.page_size()]

    def show_key(self, key: str) -> None:
        """Turn to the page that holds ``key``."""
        self.pages.set_page(self.pages.page_of(self._keys.index(key)))

    def set_page_size(self, size: int | None) -> None:
        self.pages.set_page_size(size)

    def apply_theme(self, theme: Theme) -> None:
        self.pages.apply_theme(theme)

    def reset(self) -> None:
        self.pages.set_page(0)

    def _on_chosen(self, index: int) -> None:
        self.chosen.emit(self._keys[index])
