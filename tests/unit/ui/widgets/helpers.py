"""Hosting a widget the way a screen does, and checking what the visitor sees.

A :class:`Host` is a top-level window with the kiosk style sheet for one mode, sized like the
room a screen's body has under its title and one line of instruction on the reference panel
(21.5″ 1080p, 4.03 px/mm), measured on the real window with the global bars.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QVBoxLayout, QWidget

from tests.unit.ui import audit
from ui.theme import Theme, pick_font_family

PX_PER_MM = 4.03
MODES = ("standard", "elderly")
ORIENTATIONS = ("landscape", "portrait")

#: Body room (width, height) in px per (mode, orientation): the screen's scroll viewport minus
#: its margins, the title and one instruction line (see ``Screen`` and ``KioskWindow``).
BODY = {
    ("standard", "landscape"): (1860, 700),
    ("standard", "portrait"): (1020, 1550),
    ("elderly", "landscape"): (1848, 580),
    ("elderly", "portrait"): (1008, 1300),
}


def make_theme(mode: str, *, text_scale: float = 1.0) -> Theme:
    theme = Theme(PX_PER_MM, pick_font_family())
    theme.set_mode(elderly=mode == "elderly", text_scale=text_scale)
    return theme


class Host(QWidget):
    """A window holding one widget at the top of a screen-sized body."""

    def __init__(
        self,
        widget: QWidget,
        mode: str,
        orientation: str = "landscape",
        *,
        text_scale: float = 1.0,
    ) -> None:
        super().__init__()
        self.setObjectName("kioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.theme = make_theme(mode, text_scale=text_scale)
        self.mode = mode
        self.widget = widget
        self.setStyleSheet(self.theme.style_sheet())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget)
        layout.addStretch(1)
        self.setFixedSize(*BODY[(mode, orientation)])
        apply = getattr(widget, "apply_theme", None)
        if apply is not None:
            apply(self.theme)

    def switch(self, mode: str, orientation: str = "landscape") -> None:
        """Change mode the way the kiosk window does: new style sheet, then the metrics."""
        self.theme = make_theme(mode)
        self.mode = mode
        self.setStyleSheet(self.theme.style_sheet())
        self.setFixedSize(*BODY[(mode, orientation)])
        apply = getattr(self.widget, "apply_theme", None)
        if apply is not None:
            apply(self.theme)
        self.settle()

    @property
    def elderly(self) -> bool:
        return self.mode == "elderly"

    def settle(self) -> None:
        for _ in range(3):
            QApplication.processEvents()


def mm(millimetres: float) -> float:
    return millimetres * PX_PER_MM


def visible_buttons(root: QWidget) -> list[QAbstractButton]:
    return [
        b
        for b in root.findChildren(QAbstractButton)
        if b.isVisibleTo(root.window()) and b.isVisible()
    ]


def enabled_texts(root: QWidget) -> list[str]:
    """Texts of the visible, enabled buttons, in reading order."""
    window = root.window()
    buttons = [b for b in visible_buttons(root) if b.isEnabled()]
    buttons.sort(key=lambda b: (audit.window_rect(b, window).y(), audit.window_rect(b, window).x()))
    return [b.text() for b in buttons]


def layout_problems(host: Host) -> list[str]:
    """What breaks ACCESSIBILITY.md items 1, 2, 3, 7 and 9 inside the host."""
    host.settle()
    problems: list[str] = []
    window = host
    inside = host.rect()
    need = mm(20.0) if host.elderly else mm(11.6)
    if host.widget.minimumSizeHint().height() > host.height():
        problems.append(
            f"widget needs {host.widget.minimumSizeHint().height()}px > {host.height()}px"
        )
    interactive = audit.interactive_widgets(window)
    for w in interactive:
        r = audit.window_rect(w, window)
        name = f"{type(w).__name__}({getattr(w, 'text', lambda: '')()!r})"
        if not inside.contains(r):
            problems.append(f"{name} at {r.getRect()} is outside the body {inside.getRect()}")
        if w.width() < need - 0.5 or w.height() < need - 0.5:
            problems.append(f"{name} is {w.width()}x{w.height()} < {need:.0f}px")
    rects = [audit.window_rect(w, window) for w in interactive]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            if a.intersects(b):
                problems.append(f"{a.getRect()} overlaps {b.getRect()}")
            elif host.elderly and audit.gap_between(a, b) < mm(2.0) - 0.5:
                problems.append(f"{a.getRect()} and {b.getRect()} are closer than 2 mm")
    floor = mm(4.8)
    for w in audit.text_widgets(window):
        assert isinstance(w, QLabel | QAbstractButton)
        text = w.text()
        cut = audit.clipped(w)
        if cut:
            problems.append(f"{text!r}: {cut}")
        if isinstance(w, QLabel) and w.wordWrap():
            needed = w.heightForWidth(w.contentsRect().width())
            if needed > w.contentsRect().height() + 1:
                problems.append(f"{text!r} wraps to {needed}px in {w.height()}px")
        r = audit.window_rect(w, window)
        if not inside.contains(r):
            problems.append(f"{text!r} at {r.getRect()} is outside the body")
        if QFontMetricsF(w.font()).tightBoundingRect("国").height() < floor:
            problems.append(f"{text!r}: glyphs below 4.8 mm")
        if host.elderly and audit.glyph_height(w, "国") < mm(6.7) - 0.5:
            problems.append(f"{text!r}: 国 below 6.7 mm in elderly mode")
    return problems
