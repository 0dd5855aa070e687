"""Accessibility audit: every registered screen, in every mode and orientation.

Checks ACCESSIBILITY.md items 1, 2, 3, 5, 6, 7, 8, 11, 12, 13, 24, 25 and 26. Screens are
discovered from ``ui.registry.SCREENS``: a screen added later is audited without editing this
file.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from pytestqt.qtbot import QtBot

from kiosk.prompts import Prompt
from tests.unit.ui import audit
from ui.app import Kiosk
from ui.registry import SCREENS, load_all
from ui.theme import ELDERLY, STANDARD, TEXT_ROLES, contrast
from ui.widgets.big_button import BigButton

load_all()
SCREEN_IDS = sorted(SCREENS)


def _open(kiosk: Kiosk, qtbot: QtBot, mode: str, screen_id: str, size: tuple[int, int]) -> None:
    kiosk.window.resize(*size)
    audit.enter_mode(kiosk, mode)
    kiosk.ctx.navigator.go(screen_id)
    QApplication.processEvents()
    qtbot.wait(10)


@pytest.mark.gui
@pytest.mark.parametrize("orientation", sorted(audit.ORIENTATIONS))
@pytest.mark.parametrize("mode", audit.MODES)
@pytest.mark.parametrize("screen_id", SCREEN_IDS)
def test_screen_meets_checklist(
    kiosk: Kiosk, qtbot: QtBot, screen_id: str, mode: str, orientation: str
) -> None:
    _open(kiosk, qtbot, mode, screen_id, audit.ORIENTATIONS[orientation])
    window = kiosk.window
    elderly = kiosk.ctx.session.elderly
    problems: list[str] = []

    def name(w: object) -> str:
        text = w.text() if isinstance(w, QAbstractButton | QLabel) else ""
        return f"{type(w).__name__}({w.objectName() or text!r})"  # type: ignore[attr-defined]

    # Item 9 (at the default text size): the screen fits the panel and no label is cut off.
    assert (window.width(), window.height()) == audit.ORIENTATIONS[orientation], "window grew"
    screen = kiosk.ctx.navigator.current
    assert screen is not None
    if screen.scroll_area.verticalScrollBar().maximum() > 0:
        problems.append("item 9: the screen needs scrolling at the default text size")
    for w in audit.text_widgets(window):
        cut = audit.clipped(w)
        if cut:
            problems.append(f"item 9: {name(w)} {cut}")

    # Items 1 and 2: touch target size.
    interactive = audit.interactive_widgets(window)
    assert interactive, "a screen with nothing to touch"
    min_px = audit.mm(kiosk, 20.0 if elderly else 11.6)
    for w in interactive:
        if w.width() < min_px - 0.5 or w.height() < min_px - 0.5:
            problems.append(f"item 1/2: {name(w)} is {w.width()}x{w.height()} < {min_px:.0f}px")

    # Item 3: no overlap; 2 mm gaps in elderly mode.
    rects = [(w, audit.window_rect(w, window)) for w in interactive]
    min_gap = audit.mm(kiosk, 2.0) if elderly else 0.0
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            if ra.intersects(rb):
                problems.append(f"item 3: {name(a)} overlaps {name(b)}")
            elif elderly and audit.gap_between(ra, rb) < min_gap - 0.5:
                problems.append(f"item 3: {name(a)} and {name(b)} are closer than 2 mm")

    # Items 5, 6, 7: glyph heights measured on the fonts in use.
    floor = audit.mm(kiosk, 4.8)
    for w in audit.text_widgets(window):
        han = audit.glyph_height(w, "国")
        cap_i = audit.glyph_height(w, "I")
        if han < floor or cap_i < floor:
            problems.append(f"item 7: {name(w)} glyphs {han:.1f}/{cap_i:.1f}px < {floor:.1f}px")
        if elderly:
            body = audit.mm(kiosk, 6.7)
            if han < body - 0.5:
                problems.append(f"item 5: {name(w)} 国 is {han:.1f}px < {body:.1f}px")
            if audit.glyph_height(w, "H") < body - 0.5:
                problems.append(f"item 6: {name(w)} H is below {body:.1f}px")
            big = w.property("role") in ("title", "heading") or (
                isinstance(w, QAbstractButton) and bool(w.property("primary"))
            )
            if big and han < audit.mm(kiosk, 9.0) - 0.5:
                problems.append(f"item 5: heading/primary {name(w)} 国 is {han:.1f}px < 9 mm")

    # Item 11: text contrast from the theme table, confirmed on the rendered pixels.
    theme = kiosk.ctx.theme
    image = window.grab().toImage()
    need = 7.0 if elderly else 4.5
    for w in audit.text_widgets(window):
        if not w.isEnabled():
            continue  # disabled widgets are exempt (item 11)
        fg, bg = theme.colors_for(w)
        ratio = contrast(fg, bg)
        if ratio < need:
            problems.append(f"item 11: {name(w)} contrast {ratio:.2f} < {need}")
        rect = audit.window_rect(w, window).intersected(QRect(0, 0, image.width(), image.height()))
        if rect.width() < 6 or rect.height() < 6:
            continue
        seen = audit.dominant_color(image, rect)
        if not audit.close(seen, QColor(bg), 10):
            problems.append(f"item 11: {name(w)} renders on {seen.name()} not theme bg {bg}")
        elif not audit.has_color_near(image, rect, QColor(fg), 40):
            problems.append(f"item 11: {name(w)} shows no pixel of its text colour {fg}")

    # Item 12: button boundaries against what surrounds them.
    for w in interactive:
        if isinstance(w, QAbstractButton):
            edge, around = theme.boundary_for(w)
            if contrast(edge, around) < 3.0:
                problems.append(f"item 12: {name(w)} edge contrast {contrast(edge, around):.2f}")

    # Item 13: status widgets carry text (and are spoken in voice mode).
    for w in audit.visible_widgets(window):
        if w.property("kiosk_status") and isinstance(w, QLabel) and w.isVisible():
            if not w.text().strip() and w.property("role") == "status-error":
                continue  # an empty error label is "no error"
            if not w.text().strip():
                problems.append(f"item 13: status {name(w)} has no text")

    # Item 25: elderly mode toggle on every screen; at most 6 primary actions when elderly.
    toggle = window.bottom_bar.elderly
    if not toggle.isVisibleTo(window) or not toggle.isEnabled():
        problems.append("item 25: 长辈模式 toggle not reachable")
    if elderly:
        screen = kiosk.ctx.navigator.current
        assert screen is not None
        primaries = [
            b
            for b in screen.content_actions()
            if isinstance(b, BigButton) and b.property("primary")
        ]
        if len(primaries) > 6:
            problems.append(f"item 25: {len(primaries)} primary actions > 6")

    # Item 26: every interactive widget has an accessible name; entry speech covers the page.
    for w in interactive:
        if not w.accessibleName().strip():
            problems.append(f"item 26: {name(w)} has no accessibleName")
    if elderly:
        screen = kiosk.ctx.navigator.current
        assert screen is not None
        spoken = " ".join(kiosk.ctx.voice.history[-3:])
        if screen.title() not in spoken:
            problems.append(f"item 26: title {screen.title()!r} not spoken")
        if isinstance(screen.voice_prompt, Prompt) and screen.voice_prompt.text() not in spoken:
            problems.append("item 26: instruction not spoken")
        for b in screen.content_actions():
            if b.accessibleName() not in spoken:
                problems.append(f"item 26: button {b.accessibleName()!r} not spoken")

    assert not problems, "\n".join(problems)


@pytest.mark.gui
def test_text_roles_scale_in_elderly_mode() -> None:
    """Item 8: every text role ×1.4 in elderly mode; ≥ 3 text steps, the largest ≥ 30/18."""
    from kiosk.session import VisitorSession

    for role in TEXT_ROLES:
        assert ELDERLY.text_mm[role] / STANDARD.text_mm[role] >= 1.4, role
    steps = VisitorSession.TEXT_STEPS
    assert len(steps) >= 3
    assert max(steps) >= 30 / 18


@pytest.mark.gui
@pytest.mark.parametrize("mode", audit.MODES)
def test_help_button_same_place_on_every_screen(kiosk: Kiosk, qtbot: QtBot, mode: str) -> None:
    """Item 24: the help button keeps its geometry (±2 px) and its place among global buttons."""
    audit.enter_mode(kiosk, mode)
    window = kiosk.window
    seen: dict[str, QRect] = {}
    for screen_id in SCREEN_IDS:
        kiosk.ctx.navigator.go(screen_id)
        QApplication.processEvents()
        help_button = window.top_bar.help
        assert help_button.isVisibleTo(window)
        seen[screen_id] = audit.window_rect(help_button, window)
        globals_ = [
            b for b in window.top_bar.findChildren(QAbstractButton) if b.isVisibleTo(window)
        ]
        xs = sorted(globals_, key=lambda b: b.mapTo(window, b.rect().topLeft()).x())
        assert xs[-1] is help_button, "help is the right-most global button"
    first = next(iter(seen.values()))
    for screen_id, rect in seen.items():
        assert abs(rect.x() - first.x()) <= 2, screen_id
        assert abs(rect.y() - first.y()) <= 2, screen_id
        assert abs(rect.width() - first.width()) <= 2, screen_id
        assert abs(rect.height() - first.height()) <= 2, screen_id
    if kiosk.ctx.session.elderly:
        assert first.width() >= audit.mm(kiosk, 20)
        assert first.height() >= audit.mm(kiosk, 20)


@pytest.mark.gui
def test_one_tap_on_help_records_a_request_and_says_so(kiosk: Kiosk, qtbot: QtBot) -> None:
    """Item 24: one tap triggers the call: stored, shown and spoken."""
    audit.enter_mode(kiosk, "elderly")
    kiosk.ctx.navigator.go("notices")
    qtbot.mouseClick(kiosk.window.top_bar.help, Qt.MouseButton.LeftButton)
    tickets = kiosk.backend.services().help.open_requests()
    assert len(tickets) == 1
    assert tickets[0].screen_id == "notices"
    overlay = kiosk.window.message_overlay
    assert overlay.isVisible()
    assert "志愿者" in overlay.message.text()
    assert overlay.message.text() in kiosk.ctx.voice.history[-1]
