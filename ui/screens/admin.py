"""Admin screen: device states, voice test, visitors inside, sign-out, and the only way out
of the kiosk."""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from kiosk import prompts
from kiosk.devices import DeviceRow, summarize
from ui import navigator
from ui.context import ScreenContext
from ui.registry import register_screen
from ui.screen import Screen, plain_label
from ui.widgets.big_button import BigButton

#: The screens of admin mode. Moving between them keeps staff signed in; moving to any other
#: screen (首页, 返回 past the admin screen, the PIN screen) ends admin rights.
ADMIN_SCREENS: Final = frozenset({"admin", "admin_visitors"})


@register_screen
class AdminScreen(Screen):
    screen_id = "admin"
    voice_prompt = prompts.ADMIN

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.card = QFrame()
        self.card.setProperty("surface", "card")
        self.table = QGridLayout(self.card)
        self.header = [plain_label(role="heading", wrap=False) for _ in range(3)]
        for col, label in enumerate(self.header):
            self.table.addWidget(label, 0, col)
        self._cells: list[QLabel] = []
        self._rows: list[DeviceRow] = []
        self.voice_test = BigButton(variant="primary", primary=True)
        self.refresh = BigButton(variant="secondary", primary=True)
        self.visitors = BigButton(variant="primary", primary=True)
        self.visitors.setObjectName("visitorsInside")
        self.sign_out = BigButton(variant="secondary", primary=True)
        self.exit_app = BigButton(variant="secondary", primary=True)
        self.exit_app.setObjectName("exitKiosk")
        self._actions = [self.voice_test, self.refresh, self.visitors, self.sign_out, self.exit_app]
        self.action_grid = QGridLayout()
        self._columns = 0
        self._reflow_actions()
        self._root.addWidget(self.card)
        self._root.addStretch(1)
        self._root.addLayout(self.action_grid)
        self.voice_test.clicked.connect(lambda: ctx.voice.say(prompts.VOICE_TEST, owner=self))
        self.refresh.clicked.connect(ctx.admin.load_devices)
        self.sign_out.clicked.connect(self._sign_out)
        self.exit_app.clicked.connect(ctx.admin.request_exit)
        self.visitors.clicked.connect(self._open_visitors)
        ctx.admin.devices_loaded.connect(self._on_devices)
        ctx.navigator.screen_will_change.connect(self._on_screen_will_change)
        self.retranslate_ui()

    def title(self) -> str:
        return self.tr("Administration")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        for label, text in zip(
            self.header, (self.tr("Device"), self.tr("Driver"), self.tr("State")), strict=True
        ):
            label.setText(text)
        self.voice_test.setText(self.tr("Test voice"))
        self.refresh.setText(self.tr("Refresh"))
        self.sign_out.setText(self.tr("Sign out"))
        self.exit_app.setText(self.tr("Exit kiosk"))
        self.visitors.setText(self.tr("Visitors inside"))
        self._on_devices(self._rows)

    def on_enter(self, **params: object) -> None:
        self.ctx.admin.load_devices()

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        self.action_grid.setSpacing(gap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow_actions()

    def _reflow_actions(self) -> None:
        """The buttons in one row on a landscape panel; 3 + 2 on a portrait one, where a row
        of five would cut their labels (and there is height to spare)."""
        columns = len(self._actions) if self.width() >= self.height() else 3
        if columns == self._columns:
            return
        self._columns = columns
        for button in self._actions:
            self.action_grid.removeWidget(button)
        for i, button in enumerate(self._actions):
            self.action_grid.addWidget(button, i // columns, i % columns)
        for c in range(len(self._actions)):
            self.action_grid.setColumnStretch(c, 1 if c < columns else 0)

    def _open_visitors(self) -> None:
        if self.ctx.session.admin:
            self.ctx.navigator.go("admin_visitors")

    def _on_screen_will_change(self, old: Screen | None, new: Screen) -> None:
        """Admin rights end when staff leave the admin screens (before the next one opens)."""
        leaving = old is not None and old.screen_id in ADMIN_SCREENS
        if leaving and new.screen_id not in ADMIN_SCREENS and self.ctx.session.admin:
            self.ctx.admin.sign_out()

    def _sign_out(self) -> None:
        self.ctx.admin.sign_out()
        self.ctx.navigator.reset_to(navigator.ATTRACT)

    def _on_devices(self, rows: list[DeviceRow]) -> None:
        self._rows = summarize(list(rows), "health")
        for cell in self._cells:
            self.table.removeWidget(cell)
            cell.hide()  # deleteLater only acts on the next loop pass
            cell.deleteLater()
        self._cells = []
        for r, device in enumerate(self._rows, start=1):
            state = device.state_label() + (f" ({device.detail})" if device.detail else "")
            cells = [
                plain_label(device.device_label(), wrap=False),
                plain_label(device.driver, wrap=False),
                plain_label(state, role="body" if device.ok else "status-error"),
            ]
            for c, cell in enumerate(cells):
                self.table.addWidget(cell, r, c)
            self._cells.extend(cells)
