"""Banner shown while a volunteer acts for a resident (assisted mode)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from ui.screen import plain_label
from ui.widgets.big_button import BigButton


class AssistBanner(QFrame):
    """ "志愿者 张*明 正在协助您" and a sign-out button. Only masked names reach it.

    Signals:
        sign_out_clicked: The volunteer ends assisted mode.
    """

    sign_out_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assistBanner")
        self.setProperty("surface", "banner")
        row = QHBoxLayout(self)
        self.label = plain_label(role="body", wrap=False)
        self.sign_out = BigButton(variant="secondary")
        row.addWidget(self.label, 1)
        row.addWidget(self.sign_out)
        self.sign_out.clicked.connect(self.sign_out_clicked)
        self._masked_name = ""
        self.retranslate_ui()
        self.hide()

    def apply_metrics(self, gap: int) -> None:
        layout = self.layout()
        assert isinstance(layout, QHBoxLayout)
        layout.setContentsMargins(gap * 3, gap, gap * 3, gap)
        layout.setSpacing(gap * 2)

    def show_volunteer(self, masked_name: str) -> None:
        self._masked_name = masked_name
        self.retranslate_ui()
        self.show()

    def clear(self) -> None:
        self._masked_name = ""
        self.label.clear()
        self.hide()

    def retranslate_ui(self) -> None:
        if self._masked_name:
            self.label.setText(self.tr("Volunteer {0} is helping you").format(self._masked_name))
        self.sign_out.setText(self.tr("End assistance"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
