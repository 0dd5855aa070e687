"""Helpers of the accessibility audit (ACCESSIBILITY.md), shared by tests and screenshots."""

from __future__ import annotations

import math
from collections import Counter

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QFontMetricsF, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from kiosk.session import Volunteer
from ui.app import Kiosk

MODES = ("standard", "elderly", "assisted", "admin")
ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def enter_mode(kiosk: Kiosk, mode: str) -> None:
    s = kiosk.ctx.session
    s.begin()
    if mode == "elderly":
        s.set_elderly(True)
    elif mode == "assisted":
        s.sign_in_volunteer(Volunteer(volunteer_id=1, name="王志强"))
    elif mode == "admin":
        s.enter_admin()


def mm(kiosk: Kiosk, millimetres: float) -> float:
    return millimetres * kiosk.settings.display.px_per_mm


def is_interactive(w: QWidget) -> bool:
    return isinstance(w, QAbstractButton | QLineEdit | QComboBox | QAbstractSlider) or bool(
        w.property("kiosk_interactive")
    )


def visible_widgets(window: QWidget) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget) if w.isVisibleTo(window) and w.isVisible()]


def interactive_widgets(window: QWidget) -> list[QWidget]:
    return [w for w in visible_widgets(window) if is_interactive(w) and w.isEnabled()]


def text_widgets(window: QWidget) -> list[QWidget]:
    out: list[QWidget] = []
    for w in visible_widgets(window):
        if isinstance(w, QLabel | QAbstractButton) and w.text().strip():
            out.append(w)
    return out


def window_rect(w: QWidget, window: QWidget) -> QRect:
    return QRect(w.mapTo(window, QPoint(0, 0)), w.size())


def glyph_height(w: QWidget, sample: str) -> float:
    return QFontMetricsF(w.font()).tightBoundingRect(sample).height()


def gap_between(a: QRect, b: QRect) -> float:
    dx = max(b.left() - a.right() - 1, a.left() - b.right() - 1, 0)
    dy = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1, 0)
    return math.hypot(dx, dy) if dx and dy else max(dx, dy)


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def dominant_color(image: QImage, rect: QRect) -> QColor:
    counts: Counter[int] = Counter()
    step = max(1, min(rect.width(), rect.height()) // 24)
    for y in range(rect.top() + 2, rect.bottom() - 1, step):
        for x in range(rect.left() + 2, rect.right() - 1, step):
            counts[image.pixel(x, y) & 0xFFFFFF] += 1
    rgb = counts.most_common(1)[0][0]
    return QColor((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255)


def has_color_near(image: QImage, rect: QRect, color: QColor, tolerance: int) -> bool:
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1):
            c = QColor(image.pixel(x, y))
            if (
                abs(c.red() - color.red()) <= tolerance
                and abs(c.green() - color.green()) <= tolerance
                and abs(c.blue() - color.blue()) <= tolerance
            ):
                return True
    return False


def close(a: QColor, b: QColor, tolerance: int = 6) -> bool:
    return (
        abs(a.red() - b.red()) <= tolerance
        and abs(a.green() - b.green()) <= tolerance
        and abs(a.blue() - b.blue()) <= tolerance
    )


def clipped(w: QWidget) -> str:
    """Why the text of ``w`` does not fit, or "" when it fits."""
    if isinstance(w, QAbstractButton):
        fm = QFontMetricsF(w.font())
        room = w.contentsRect().width() - 4
        for line in w.text().splitlines():
            if fm.horizontalAdvance(line) > room:
                return f"text {fm.horizontalAdvance(line):.0f}px wide in {room}px"
        lines = max(1, len(w.text().splitlines()))
        if fm.height() * lines > w.contentsRect().height():
            return "text taller than the button"
    elif isinstance(w, QLabel) and not w.wordWrap():
        fm = QFontMetricsF(w.font())
        room = w.contentsRect().width()
        for line in w.text().splitlines():
            if fm.horizontalAdvance(line) > room + 0.5:
                return f"text {fm.horizontalAdvance(line):.0f}px wide in {room}px"
    return ""
