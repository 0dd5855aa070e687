"""Typing the full name (``walkin_fullname``): walk-in visitors whose surname is not in the
list of common ones (其他姓氏 on ``walkin_name``) type it on :class:`NameKeyboard`.

完成 hands the name to :meth:`WalkInFlow.set_name <kiosk.flows.walkin.WalkInFlow.set_name>`
and goes on to ``walkin_phone``; 取消 goes back. In 长辈模式 each letter is spoken as it is
typed, and the name as characters are chosen, masked (张某明) as everywhere else. A name
typed earlier in the visit is offered again when the visitor comes back to this screen.

The keyboard (and its module) is built on first entry, not at start-up: the kiosk builds
every screen when it starts, and most visits never need this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from kiosk.prompts import QT_TRANSLATE_NOOP, Prompt
from ui.context import ScreenContext
from ui.registry import register_screen
from ui.screen import Screen
from ui.widgets.surname_grid import TITLES

if TYPE_CHECKING:
    from ui.widgets.name_keyboard import NameKeyboard

WALKIN_FULLNAME = "walkin_fullname"
#: The next step of the walk-in (ui/screens/walkin.py).
WALKIN_PHONE = "walkin_phone"

FULLNAME_PROMPT = Prompt(
    "WalkInFullNameScreen",
    QT_TRANSLATE_NOOP(
        "WalkInFullNameScreen",
        "Type the pinyin of each character of your name, then touch the character. "
        "For a name in English letters, touch English first.",
    ),
)


@register_screen
class WalkInFullNameScreen(Screen):
    """The visitor's full name on the on-screen keyboard (拼音 or 英文).

    Attributes:
        keyboard: The :class:`~ui.widgets.name_keyboard.NameKeyboard` (built on first use).
    """

    screen_id = WALKIN_FULLNAME
    voice_prompt = FULLNAME_PROMPT

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._keyboard: NameKeyboard | None = None
        self.retranslate_ui()

    @property
    def keyboard(self) -> NameKeyboard:
        if self._keyboard is None:
            # Imported here, off the start-up path.
            from ui.widgets.name_keyboard import NameKeyboard

            kb = NameKeyboard()
            self._root.addWidget(kb, 1)
            kb.submitted.connect(self._on_submitted)
            kb.cancelled.connect(self._on_cancelled)
            kb.invalid.connect(self._say)
            kb.announced.connect(self._say)
            kb.apply_theme(self.ctx.theme)
            kb.show()  # a widget added to a shown layout would only show on the next loop turn
            self._keyboard = kb
            # Placed now, so the entry speech reads the keys in their order on screen.
            self._root.activate()
            layout = kb.layout()
            if layout is not None:
                layout.activate()
        return self._keyboard

    def title(self) -> str:
        return self.tr("Type your name")

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        if self._keyboard is not None:
            self._keyboard.apply_theme(self.ctx.theme)

    def on_enter(self, **params: object) -> None:
        keyboard = self.keyboard  # built on the first entry
        earlier = self.ctx.walkin.visitor_name
        if earlier and not earlier.endswith(TITLES):
            keyboard.set_name(earlier)  # typed here before, in this visit
        else:
            keyboard.clear()  # nothing, or "王先生" from the surname list

    def on_leave(self) -> None:
        if self._keyboard is not None:
            self._keyboard.clear()

    def clear_personal_data(self) -> None:
        if self._keyboard is not None:
            self._keyboard.clear()
        super().clear_personal_data()

    def _say(self, text: str) -> None:
        # Letters and names are personal: spoken in 长辈模式 only, forgotten after the visit.
        self.ctx.voice.say(text, owner=self, auto=True, sensitive=True)

    def _on_submitted(self, name: str) -> None:
        self.ctx.walkin.set_name(name)
        self.ctx.navigator.go(WALKIN_PHONE)

    def _on_cancelled(self) -> None:
        self.keyboard.clear()
        if self.ctx.navigator.can_go_back():
            self.ctx.navigator.back()
        else:
            self.ctx.navigator.home()
