"""The global bars present on every screen, at the same geometry.

Top: (hidden admin corner) 返回 首页 · station name · 呼叫志愿者.
Bottom: 长辈模式 · 中文/English · 音量 · 重听 · 停止 · 字号 (长辈模式 only).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QWidget

from ui.screen import plain_label
from ui.widgets.big_button import BigButton


class AdminCorner(QWidget):
    """Invisible corner: held for ``hold_s`` seconds it emits ``held``. Not a touch target.

    Signals:
        held: The corner was held long enough.
    """

    held = Signal()

    def __init__(self, hold_s: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adminCorner")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(hold_s * 1000))
        self._timer.timeout.connect(self.held)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._timer.start()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._timer.stop()
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:
        self._timer.stop()
        super().leaveEvent(event)


class TopBar(QFrame):
    """Signals: back_clicked, home_clicked, help_clicked, admin_held."""

    back_clicked = Signal()
    home_clicked = Signal()
    help_clicked = Signal()
    admin_held = Signal()

    def __init__(self, station_name: str, hold_s: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topBar")
        self.setProperty("surface", "bar")
        self._station_name = station_name
        row = QHBoxLayout(self)
        self.corner = AdminCorner(hold_s)
        self.back = BigButton(variant="bar")
        self.home = BigButton(variant="bar")
        self.station = plain_label(station_name, role="caption", wrap=False)
        self.station.setProperty("data_text", True)  # from the configuration, not translated
        self.station.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.help = BigButton(variant="help")
        self.help.setObjectName("helpButton")
        row.addWidget(self.corner)
        row.addWidget(self.back)
        row.addWidget(self.home)
        row.addWidget(self.station, 1)
        row.addWidget(self.help)
        self.back.clicked.connect(self.back_clicked)
        self.home.clicked.connect(self.home_clicked)
        self.help.clicked.connect(self.help_clicked)
        self.corner.held.connect(self.admin_held)
        self.retranslate_ui()

    def apply_metrics(self, gap: int, target: int) -> None:
        layout = self.layout()
        assert isinstance(layout, QHBoxLayout)
        layout.setContentsMargins(0, gap, gap * 2, gap)
        layout.setSpacing(gap * 2)
        self.corner.setFixedSize(max(gap * 4, target // 2), target)

    def retranslate_ui(self) -> None:
        self.back.setText(self.tr("Back"))
        self.home.setText(self.tr("Home"))
        self.help.setText(self.tr("Call a volunteer"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class BottomBar(QFrame):
    """Signals: elderly_clicked, language_clicked, volume_clicked, repeat_clicked,
    stop_clicked, text_size_clicked."""

    elderly_clicked = Signal()
    language_clicked = Signal()
    volume_clicked = Signal()
    repeat_clicked = Signal()
    stop_clicked = Signal()
    text_size_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bottomBar")
        self.setProperty("surface", "bar")
        self._grid = QGridLayout(self)
        self._columns = 0
        self.elderly = BigButton(variant="bar", parent=self)
        self.elderly.setObjectName("elderlyToggle")
        self.elderly.setCheckable(True)
        self.language = BigButton(variant="bar", parent=self)
        self.volume = BigButton(variant="bar", parent=self)
        self.repeat = BigButton(variant="bar", parent=self)
        self.stop = BigButton(variant="bar", parent=self)
        self.text_size = BigButton(variant="bar", parent=self)
        for button, signal in (
            (self.elderly, self.elderly_clicked),
            (self.language, self.language_clicked),
            (self.volume, self.volume_clicked),
            (self.repeat, self.repeat_clicked),
            (self.stop, self.stop_clicked),
            (self.text_size, self.text_size_clicked),
        ):
            button.clicked.connect(signal)
        self.buttons = [
            self.elderly,
            self.language,
            self.volume,
            self.repeat,
            self.stop,
            self.text_size,
        ]
        self._volume = (3, 5)
        self._text_step = (1, 3)
        self._language_target = "en"
        self.retranslate_ui()
        self.reflow(1920)

    def apply_metrics(self, gap: int) -> None:
        self._gap = gap
        self._grid.setContentsMargins(gap * 2, gap, gap * 2, gap)
        self._grid.setSpacing(gap * 2)

    def reflow(self, width: int) -> None:
        """One row when every label fits, else as few rows as keep every label whole."""
        shown = [b for b in self.buttons if not b.isHidden()]
        gap = getattr(self, "_gap", 8)
        available = width - gap * 4
        columns = len(shown)
        while columns > 2:
            widest = max(b.sizeHint().width() for b in shown)
            if columns * widest + (columns - 1) * gap * 2 <= available:
                break
            columns = (columns + 1) // 2 if columns > 3 else columns - 1
        for b in self.buttons:
            self._grid.removeWidget(b)
        for i, b in enumerate(shown):
            self._grid.addWidget(b, i // columns, i % columns)
        for c in range(6):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)
        self._columns = columns

    def set_state(
        self,
        *,
        elderly: bool,
        volume: tuple[int, int],
        text_step: tuple[int, int],
        language_target: str,
    ) -> None:
        self.elderly.setChecked(elderly)
        self.text_size.setHidden(not elderly)
        self._volume = volume
        self._text_step = text_step
        self._language_target = language_target
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        on = self.elderly.isChecked()
        self.elderly.setText(self.tr("Elderly mode: on") if on else self.tr("Elderly mode"))
        # The language button is labelled in the language it switches to.
        self.language.setText("English" if self._language_target == "en" else "中文")
        self.volume.setText(self.tr("Volume {0}/{1}").format(*self._volume))
        self.repeat.setText(self.tr("Repeat"))
        self.stop.setText(self.tr("Stop"))
        self.text_size.setText(self.tr("Text size {0}/{1}").format(*self._text_step))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
