"""A large numeric keypad for PINs and numbers; digits are never spoken."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from ui.widgets.big_button import BigButton


class Keypad(QWidget):
    """3×4 keypad: 1-9, 删除, 0, 确定.

    Signals:
        digit: A digit key was released; arg: "0".."9".
        erased: The delete key was released.
        accepted: The OK key was released.
    """

    digit = Signal(str)
    erased = Signal()
    accepted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.keys: dict[str, BigButton] = {}
        for i, key in enumerate("123456789"):
            self._add(grid, key, i // 3, i % 3)
        self.delete_key = BigButton(variant="keypad")
        self.delete_key.clicked.connect(self.erased)
        grid.addWidget(self.delete_key, 3, 0)
        self._add(grid, "0", 3, 1)
        self.ok_key = BigButton(variant="primary", primary=True)
        self.ok_key.clicked.connect(self.accepted)
        grid.addWidget(self.ok_key, 3, 2)
        self.retranslate_ui()

    def _add(self, grid: QGridLayout, key: str, row: int, col: int) -> None:
        button = BigButton(key, variant="keypad")
        button.clicked.connect(lambda: self.digit.emit(key))
        self.keys[key] = button
        grid.addWidget(button, row, col)

    def set_spacing(self, px: int) -> None:
        layout = self.layout()
        assert isinstance(layout, QGridLayout)
        layout.setSpacing(px)

    def retranslate_ui(self) -> None:
        self.delete_key.setText(self.tr("Delete"))
        self.ok_key.setText(self.tr("OK"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
