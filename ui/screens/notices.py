"""Community notices, one at a time, with 上一条 / 下一条 (no swipe needed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk import prompts
from kiosk.prompts import QT_TRANSLATE_NOOP
from ui.context import ScreenContext

if TYPE_CHECKING:
    from kiosk.services.notices import NoticeView
from ui.registry import Feature, register_feature, register_screen
from ui.screen import Screen, plain_label
from ui.widgets.big_button import BigButton

register_feature(
    Feature(
        key="notices",
        source=QT_TRANSLATE_NOOP("Feature", "Community notices"),
        screen_id="notices",
        order=90,
    )
)


@register_screen
class NoticesScreen(Screen):
    screen_id = "notices"
    voice_prompt = prompts.NOTICES

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.card = QFrame()
        self.card.setProperty("surface", "card")
        inner = QVBoxLayout(self.card)
        self.notice_title = plain_label(role="heading")
        self.notice_date = plain_label(role="caption")
        self.notice_body = plain_label(role="body")
        self.notice_body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # Notice title and body are community data in the language they were written in.
        # (The date is not: it is formatted for the current language.)
        self.notice_body.setProperty("data_text", True)
        inner.addWidget(self.notice_title)
        inner.addWidget(self.notice_date)
        inner.addWidget(self.notice_body, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.card)
        self.position = plain_label(role="body", wrap=False)
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row = QHBoxLayout()
        self.previous = BigButton(variant="primary", primary=True)
        self.next = BigButton(variant="primary", primary=True)
        self.previous.clicked.connect(lambda: self._move(-1))
        self.next.clicked.connect(lambda: self._move(1))
        row.addWidget(self.previous, 1)
        row.addWidget(self.position, 1)
        row.addWidget(self.next, 1)
        self._root.addWidget(scroll, 1)
        self._root.addLayout(row)
        self._notices: list[NoticeView] = []
        self._index = 0
        ctx.notices.loaded.connect(self._on_loaded)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Community notices")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.previous.setText(self.tr("Previous"))
        self.next.setText(self.tr("Next"))
        self._show()

    def on_enter(self, **params: object) -> None:
        self._index = 0
        self._notices = list(self.ctx.notices.notices)
        self._show()
        self.ctx.notices.load()

    def _on_loaded(self, notices: list[NoticeView]) -> None:
        self._notices = list(notices)
        self._index = min(self._index, max(0, len(self._notices) - 1))
        self._show()

    def _move(self, step: int) -> None:
        if not self._notices:
            return
        self._index = max(0, min(len(self._notices) - 1, self._index + step))
        self._show()
        notice = self._notices[self._index]
        self.ctx.voice.say(
            prompts.NOTICE_READ,
            owner=self,
            auto=True,
            index=self._index + 1,
            count=len(self._notices),
            title=notice.title,
            body=notice.body,
        )

    def _show(self) -> None:
        count = len(self._notices)
        self.previous.setEnabled(self._index > 0)
        self.next.setEnabled(self._index < count - 1)
        self.notice_title.setProperty("data_text", bool(count))
        if not count:
            self.notice_title.setText(prompts.NO_NOTICES.text())
            self.notice_date.clear()
            self.notice_body.clear()
            self.position.setText("")
            return
        notice = self._notices[self._index]
        self.notice_title.setText(notice.title)
        self.notice_date.setText(QLocale().toString(_qdate(notice), QLocale.FormatType.LongFormat))
        self.notice_body.setText(notice.body)
        self.position.setText(self.tr("{0} of {1}").format(self._index + 1, count))


def _qdate(notice: NoticeView) -> QDate:
    d = notice.published_at
    return QDate(d.year, d.month, d.day)
