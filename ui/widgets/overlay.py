"""Overlays drawn over the whole window: a dimmed backdrop and a card in the middle.

Only the system's own overlays exist (idle warning, messages); the close control is a large
button at the bottom centre of the card (ACCESSIBILITY.md item 4).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.screen import plain_label
from ui.widgets.big_button import BigButton


class Overlay(QWidget):
    """Covers its parent, blocks touches to what is below, shows a card."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("backdrop")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card = QFrame()
        self.card.setProperty("surface", "overlay")
        self.card_layout = QVBoxLayout(self.card)
        outer.addWidget(self.card, 0, Qt.AlignmentFlag.AlignCenter)
        parent.installEventFilter(self)
        self.hide()

    def apply_metrics(self, gap: int, width: int) -> None:
        self.card_layout.setContentsMargins(gap * 4, gap * 4, gap * 4, gap * 3)
        self.card_layout.setSpacing(gap * 3)
        self.card.setFixedWidth(width)

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if parent is not None and watched is parent and event.type() == QEvent.Type.Resize:
            self.setGeometry(parent.rect())
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        """Overridden by overlays with texts of their own."""


class IdleOverlay(Overlay):
    """继续使用? Visual half of the idle warning; the window speaks it.

    Signals:
        continue_clicked: The user wants more time.
        finish_clicked: The user is done; end the visit now.
    """

    continue_clicked = Signal()
    finish_clicked = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.message = plain_label(role="heading")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setProperty("kiosk_status", True)
        self.finish = BigButton(variant="secondary")
        self.resume = BigButton(variant="primary", primary=True)
        self.resume.setObjectName("continueButton")
        self.card_layout.addWidget(self.message)
        self.card_layout.addWidget(self.finish)
        self.card_layout.addWidget(self.resume)
        self.resume.clicked.connect(self.continue_clicked)
        self.finish.clicked.connect(self.finish_clicked)
        self._seconds = 0
        self.retranslate_ui()

    def set_seconds(self, seconds: int) -> None:
        self._seconds = seconds
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.message.setText(
            self.tr("Are you still there?\nThis visit ends in {0} seconds.").format(self._seconds)
        )
        self.finish.setText(self.tr("Finish now"))
        self.resume.setText(self.tr("Continue"))


class MessageOverlay(Overlay):
    """A message with one 知道了 button (help is coming, errors).

    Signals:
        closed: The user closed the message.
    """

    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.message = plain_label(role="heading")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setProperty("kiosk_status", True)
        self.close_button = BigButton(variant="primary", primary=True)
        self.close_button.setObjectName("closeMessage")
        self.card_layout.addWidget(self.message)
        self.card_layout.addWidget(self.close_button)
        self.close_button.clicked.connect(self._close)
        self.retranslate_ui()

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setProperty("role", "status-error" if error else "heading")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.open()

    def _close(self) -> None:
        self.hide()
        self.message.clear()
        self.closed.emit()

    def retranslate_ui(self) -> None:
        self.close_button.setText(self.tr("OK, got it"))
