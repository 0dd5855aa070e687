"""Screen base class: one widget per screen, bound to flows, holding no business state."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.prompts import Prompt

if TYPE_CHECKING:
    from ui.context import ScreenContext


def plain_label(text: str = "", *, role: str = "body", wrap: bool = True) -> QLabel:
    """A label that never interprets text as rich text (external data stays literal).

    A label that shows data rather than interface text (station name, notice title and body)
    gets ``setProperty("data_text", True)``: it is not translated, and the translation tests
    leave it out.
    """
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setWordWrap(wrap)
    label.setProperty("role", role)
    return label


class Screen(QWidget):
    """Base of every screen.

    Subclasses set ``screen_id`` and ``voice_prompt``, build widgets in ``__init__`` and set
    their texts in ``retranslate_ui()``, which runs again on every language change.

    Attributes:
        screen_id: Registry key.
        voice_prompt: Instruction spoken after the title on entry (elderly mode) or on 重听.
        shows_back: Whether 返回 makes sense here.
    """

    screen_id: ClassVar[str] = ""
    voice_prompt: ClassVar[Prompt | None] = None
    shows_back: ClassVar[bool] = True

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"screen_{self.screen_id}")
        # The content sits in a scroll area so one tall screen can never force the window
        # past the panel; the audit checks that every screen fits without scrolling.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = QWidget()
        self.body.setObjectName("screenBody")
        self.scroll_area.setWidget(self.body)
        outer.addWidget(self.scroll_area)
        self._root = QVBoxLayout(self.body)
        gap = ctx.theme.gap_px()
        self._root.setContentsMargins(gap * 3, gap * 2, gap * 3, gap * 2)
        self._root.setSpacing(gap * 2)
        self.title_label = plain_label(role="title")
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._root.addWidget(self.title_label)

    # ---------------------------------------------------------------- to override
    def title(self) -> str:
        """Translated page title."""
        raise NotImplementedError

    def retranslate_ui(self) -> None:
        self.title_label.setText(self.title())

    def on_enter(self, **params: object) -> None:
        """The navigator switched to this screen."""

    def on_leave(self) -> None:
        """The navigator is leaving this screen."""

    def clear_personal_data(self) -> None:
        """The visit ended: forget everything about the person who used this screen.

        The base puts every static text back; subclasses also drop the data they hold
        and call ``super()``.
        """
        self.retranslate_ui()

    def apply_metrics(self, gap: int) -> None:
        """Spacing for the current mode; subclasses with grids extend it."""
        self._root.setContentsMargins(gap * 3, gap * 2, gap * 3, gap * 2)
        self._root.setSpacing(gap * 2)

    def content_actions(self) -> list[QAbstractButton]:
        """The screen's own buttons in reading order (the global bar is not included).

        Reading order is where the buttons are (top to bottom, then left to right), not the
        order they were created in: a grid filled later (the home tiles) would otherwise be
        read after the button below it.
        """
        buttons = [
            b for b in self.findChildren(QAbstractButton) if b.isVisibleTo(self) and b.isEnabled()
        ]

        def position(b: QAbstractButton) -> tuple[int, int]:
            p = b.mapTo(self, QPoint(0, 0))
            return p.y(), p.x()

        return sorted(buttons, key=position)

    def spoken_intro(self) -> list[str]:
        """What is read aloud on entry: title, instruction, then the labels of the actions."""
        parts = [self.title()]
        if self.voice_prompt is not None:
            parts.append(self.voice_prompt.text())
        actions = self.actions_sentence()
        if actions:
            parts.append(actions)
        return parts

    def actions_sentence(self) -> str:
        """ "Buttons: …" with the labels of the screen's actions in reading order ("" if none).
        Screens that say something of their own on entry still end with this."""
        labels = [b.accessibleName() or b.text() for b in self.content_actions()]
        labels = [lab for lab in labels if lab]
        if not labels:
            return ""
        sep = QCoreApplication.translate("Screen", ", ")
        return QCoreApplication.translate("Screen", "Buttons: {labels}.").format(
            labels=sep.join(labels)
        )

    # ---------------------------------------------------------------- Qt
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
