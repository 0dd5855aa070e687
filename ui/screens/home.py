"""Home: one large tile per feature that exists, and 结束使用."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk import prompts
from kiosk.session import EndReason
from ui import navigator
from ui.context import ScreenContext
from ui.registry import Feature, features, register_screen
from ui.screen import Screen
from ui.widgets.big_button import BigButton


@register_screen
class HomeScreen(Screen):
    screen_id = navigator.HOME
    voice_prompt = prompts.HOME
    shows_back = False

    def __init__(self, ctx: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.grid = QGridLayout()
        self.tiles: dict[str, BigButton] = {}
        self._features: list[Feature] = features()
        for feature in self._features:
            tile = BigButton(variant="tile", primary=True)
            tile.setObjectName(f"tile_{feature.key}")
            tile.clicked.connect(lambda _=False, f=feature: ctx.navigator.go(f.screen_id))
            self.tiles[feature.key] = tile
        self._root.addLayout(self.grid)
        self._root.addStretch(1)
        self.finish = BigButton(variant="secondary")
        self.finish.setObjectName("finishButton")
        self.finish.clicked.connect(lambda: ctx.session.end(EndReason.FINISHED))
        self._root.addWidget(self.finish)
        self.retranslate_ui()

    def apply_metrics(self, gap: int) -> None:
        """Two columns in 长辈模式 or portrait, three otherwise."""
        super().apply_metrics(gap)
        self.grid.setSpacing(gap * 3)
        portrait = self.ctx.settings.display.height_px > self.ctx.settings.display.width_px
        cols = 2 if (self.ctx.session.elderly or portrait) else 3
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
        for i, feature in enumerate(self._features):
            self.grid.addWidget(self.tiles[feature.key], i // cols, i % cols)

    def title(self) -> str:
        return self.tr("Please choose a service")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        for feature in self._features:
            self.tiles[feature.key].setText(feature.label())
        self.finish.setText(self.tr("Finish and clear my information"))
