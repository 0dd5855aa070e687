"""Attract screen: station name, date and time, notices, 轻触屏幕开始."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk import prompts
from ui import navigator
from ui.context import ScreenContext

if TYPE_CHECKING:
    from kiosk.services.notices import NoticeView
from ui.registry import register_screen
from ui.screen import Screen, plain_label
from ui.widgets.big_button import BigButton


@register_screen
class AttractScreen(Screen):
    screen_id = navigator.ATTRACT
    voice_prompt = prompts.ATTRACT
    shows_back = False

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        # The title is the station name from the configuration: data, not translated.
        self.title_label.setProperty("data_text", True)
        self.clock = plain_label(role="heading")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.notices_card = QFrame()
        self.notices_card.setProperty("surface", "card")
        self._notice_layout = QVBoxLayout(self.notices_card)
        self.notices_heading = plain_label(role="heading")
        self._notice_layout.addWidget(self.notices_heading)
        self._notice_labels: list[QWidget] = []
        self.start = BigButton(variant="tile", primary=True)
        self.start.setObjectName("startButton")
        self.start.clicked.connect(self._start)
        self._root.addWidget(self.clock)
        self._root.addWidget(self.notices_card)
        self._root.addStretch(1)
        self._root.addWidget(self.start)
        self._timer = QTimer(self)
        self._timer.setInterval(15000)
        self._timer.timeout.connect(self._update_clock)
        ctx.notices.loaded.connect(self._show_notices)
        self.retranslate_ui()

    def title(self) -> str:
        return self.ctx.settings.station.name

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.notices_heading.setText(self.tr("Community notices"))
        self.start.setText(self.tr("Touch the screen to begin"))
        self._update_clock()

    def on_enter(self, **params: object) -> None:
        self._update_clock()
        self._timer.start()
        self.ctx.notices.load()

    def on_leave(self) -> None:
        self._timer.stop()

    def _update_clock(self) -> None:
        now = QDateTime.currentDateTime()
        fmt = (
            "yyyy年M月d日 dddd HH:mm"
            if self.ctx.language.current == "zh_CN"
            else ("dddd d MMMM yyyy, HH:mm")
        )
        self.clock.setText(QLocale().toString(now, fmt))

    def _show_notices(self, notices: list[NoticeView]) -> None:
        for label in self._notice_labels:
            self._notice_layout.removeWidget(label)
            label.hide()  # deleteLater only acts on the next loop pass
            label.deleteLater()
        self._notice_labels = []
        for notice in notices[:3]:
            label = plain_label(f"• {notice.title}", role="body")
            label.setProperty("data_text", True)
            self._notice_layout.addWidget(label)
            self._notice_labels.append(label)
        self.notices_card.setVisible(bool(notices))

    def _start(self) -> None:
        self.ctx.session.begin()
        self.ctx.navigator.go(navigator.HOME)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self._start()
        super().mouseReleaseEvent(event)
