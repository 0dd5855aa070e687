"""The kiosk's button: theme variant, accessible name kept in step with its label."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget


class BigButton(QPushButton):
    """A touch button. Acts on release (QPushButton's ``clicked``), never on press.

    Args:
        variant: Theme variant: "primary", "secondary", "tile", "help", "bar" or "keypad".
        primary: Counts as one of the screen's primary actions (≤ 6 in 长辈模式).
    """

    def __init__(
        self,
        text: str = "",
        *,
        variant: str = "secondary",
        primary: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.setProperty("variant", variant)
        self.setProperty("primary", primary)
        self.setProperty("kiosk_interactive", True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setAccessibleName(text.replace("\n", " "))
