"""The walk-in full-name screen in the whole kiosk: the name reaches the flow, the screen fits
the panel at every text size, 长辈模式 speaks letters and the masked name."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from pytestqt.qtbot import QtBot

from kiosk.session import EndReason
from tests.unit.ui import audit
from tests.unit.ui.zh_name_keyboard import SOURCES, ZH, translator
from ui.app import Kiosk
from ui.screens.walkin_fullname import WALKIN_FULLNAME, WalkInFullNameScreen
from ui.widgets.big_button import BigButton
from ui.widgets.name_keyboard import NameKeyboard

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
ROOT = Path(__file__).resolve().parents[3]


def _open(kiosk: Kiosk, qtbot: QtBot, mode: str = "standard") -> WalkInFullNameScreen:
    audit.enter_mode(kiosk, mode)
    kiosk.ctx.walkin.start()
    kiosk.ctx.navigator.go("walkin_name")
    kiosk.ctx.navigator.go(WALKIN_FULLNAME)
    QApplication.processEvents()
    qtbot.wait(10)
    screen = kiosk.ctx.navigator.current
    assert isinstance(screen, WalkInFullNameScreen)
    return screen


def _type(qtbot: QtBot, kb: NameKeyboard, *pairs: tuple[str, str]) -> None:
    """Tap the letters of each syllable, then its character (turning pages if needed)."""
    for letters, char in pairs:
        for letter in letters:
            QTest.mouseClick(kb.letter_keys[letter], LEFT)
        for _ in range(kb.page_count()):
            shown = [b for b in kb.candidate_buttons if b.isVisible() and b.text() == char]
            if shown:
                QTest.mouseClick(shown[0], LEFT)
                break
            QTest.mouseClick(kb.next_button, LEFT)
        else:
            raise AssertionError(f"{char} not offered for {letters}")


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    """The keyboard's strings in Chinese from the table, until the catalogue has them."""
    table = translator()
    qapp.installTranslator(table)
    yield
    qapp.removeTranslator(table)


def test_every_string_has_its_chinese(tmp_path: Path) -> None:
    """The table covers what pyside6-lupdate finds in the keyboard and the screen."""
    ts = tmp_path / "namekb.ts"
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run(
        [str(lupdate), *SOURCES, "-ts", str(ts), "-locations", "none"],
        check=True,
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    found = {
        (c.findtext("name"), m.findtext("source"))
        for c in ET.parse(ts).iter("context")
        for m in c.iter("message")
    }
    table = {(context, source) for context, strings in ZH.items() for source in strings}
    assert found == table


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_in_chinese_no_english_is_shown_or_spoken(kiosk: Kiosk, qtbot: QtBot, mode: str) -> None:
    screen = _open(kiosk, qtbot, mode)
    assert screen.title_label.text() == "输入姓名"
    kb = screen.keyboard
    for state in ("empty", "typing", "english"):
        if state == "typing":
            QTest.mouseClick(kb.letter_keys["z"], LEFT)
        elif state == "english":
            QTest.mouseClick(kb.clear_key, LEFT)
            QTest.mouseClick(kb.mode_key, LEFT)
        QApplication.processEvents()
        for w in audit.visible_widgets(screen):
            if w.property("data_text"):
                continue  # the visitor's own letters
            texts = [w.text()] if isinstance(w, QLabel | QAbstractButton) else []
            texts.append(w.accessibleName())
            for text in texts:
                assert not LATIN_WORD.search(text), f"{state}: {w.objectName()} {text!r}"
    assert not LATIN_WORD.search(" ".join(screen.spoken_intro()))


def test_done_gives_the_name_to_the_walk_in_and_goes_on(kiosk: Kiosk, qtbot: QtBot) -> None:
    screen = _open(kiosk, qtbot)
    _type(qtbot, screen.keyboard, ("zhang", "张"), ("wei", "伟"))
    QTest.mouseClick(screen.keyboard.done_button, LEFT)
    assert kiosk.ctx.walkin.visitor_name == "张伟"
    current = kiosk.ctx.navigator.current
    assert current is not None
    assert current.screen_id == "walkin_phone"
    assert screen.keyboard.name() == "", "nothing left behind on the screen"


def test_coming_back_offers_the_name_again(kiosk: Kiosk, qtbot: QtBot) -> None:
    screen = _open(kiosk, qtbot)
    _type(qtbot, screen.keyboard, ("li", "李"), ("ming", "明"))
    QTest.mouseClick(screen.keyboard.done_button, LEFT)
    kiosk.ctx.navigator.back()
    assert kiosk.ctx.navigator.current is screen
    assert screen.keyboard.name() == "李明"


def test_a_title_name_from_the_surname_list_is_not_offered(kiosk: Kiosk, qtbot: QtBot) -> None:
    kiosk.ctx.walkin.start()
    kiosk.ctx.walkin.set_name("王先生")
    kiosk.ctx.navigator.go(WALKIN_FULLNAME)
    screen = kiosk.ctx.navigator.current
    assert isinstance(screen, WalkInFullNameScreen)
    assert screen.keyboard.name() == ""


def test_cancel_goes_back(kiosk: Kiosk, qtbot: QtBot) -> None:
    screen = _open(kiosk, qtbot)
    _type(qtbot, screen.keyboard, ("li", "李"))
    QTest.mouseClick(screen.keyboard.cancel_button, LEFT)
    current = kiosk.ctx.navigator.current
    assert current is not None
    assert current.screen_id == "walkin_name"
    assert kiosk.ctx.walkin.visitor_name == ""
    assert screen.keyboard.name() == ""


def test_end_of_visit_wipes_the_name(kiosk: Kiosk, qtbot: QtBot) -> None:
    screen = _open(kiosk, qtbot)
    _type(qtbot, screen.keyboard, ("li", "李"))
    kiosk.ctx.session.end(EndReason.IDLE)
    assert screen.keyboard.name() == ""
    assert screen.keyboard.name_label.text() == ""


def test_elderly_mode_speaks_letters_and_the_masked_name(kiosk: Kiosk, qtbot: QtBot) -> None:
    screen = _open(kiosk, qtbot, "elderly")
    voice = kiosk.ctx.voice
    _type(qtbot, screen.keyboard, ("zhang", "张"))
    assert voice.history[-1] == "张"
    assert voice.history[-2] == "g"
    _type(qtbot, screen.keyboard, ("wei", "伟"), ("ming", "明"))
    assert voice.history[-1] == "张某明"
    assert "张伟明" not in voice.history
    QTest.mouseClick(screen.keyboard.done_button, LEFT)
    assert kiosk.ctx.walkin.visitor_name == "张伟明"


def test_standard_mode_does_not_speak_each_letter(kiosk: Kiosk, qtbot: QtBot) -> None:
    screen = _open(kiosk, qtbot)
    spoken = len(kiosk.ctx.voice.history)
    _type(qtbot, screen.keyboard, ("li", "李"))
    assert len(kiosk.ctx.voice.history) == spoken


def test_refusals_are_spoken_in_elderly_mode(kiosk: Kiosk, qtbot: QtBot) -> None:
    screen = _open(kiosk, qtbot, "elderly")
    _type(qtbot, screen.keyboard, ("li", "李"))
    QTest.mouseClick(screen.keyboard.done_button, LEFT)
    message = screen.keyboard.error_text()
    assert message
    assert kiosk.ctx.voice.history[-1] == message
    assert kiosk.ctx.walkin.visitor_name == ""


@pytest.mark.parametrize("orientation", sorted(audit.ORIENTATIONS))
def test_fits_without_scrolling_at_every_text_size(
    kiosk: Kiosk, qtbot: QtBot, orientation: str
) -> None:
    """长辈模式 at every text step, while typing: no scroll bar, nothing cut off on the
    screen, keys ≥ 20 mm and 2 mm apart, at most six primary actions."""
    kiosk.window.resize(*audit.ORIENTATIONS[orientation])
    screen = _open(kiosk, qtbot, "elderly")
    _type(qtbot, screen.keyboard, ("zhang", "张"))
    for letter in "w":
        QTest.mouseClick(screen.keyboard.letter_keys[letter], LEFT)
    session = kiosk.ctx.session
    for step in range(len(session.TEXT_STEPS)):
        session.set_text_step(step)
        for _ in range(3):
            QApplication.processEvents()
        qtbot.wait(10)
        assert screen.scroll_area.verticalScrollBar().maximum() == 0, f"step {step}"
        problems = [
            f"{w.objectName()}: {audit.clipped(w)}"
            for w in audit.text_widgets(screen)
            if audit.clipped(w)
        ]
        interactive = audit.interactive_widgets(screen)
        need = audit.mm(kiosk, 20.0)
        problems += [
            f"{w.objectName()} {w.width()}x{w.height()}"
            for w in interactive
            if w.width() < need - 0.5 or w.height() < need - 0.5
        ]
        rects = [(w, audit.window_rect(w, kiosk.window)) for w in interactive]
        for i, (a, ra) in enumerate(rects):
            for b, rb in rects[i + 1 :]:
                if ra.intersects(rb) or audit.gap_between(ra, rb) < audit.mm(kiosk, 2.0) - 0.5:
                    problems.append(f"{a.objectName()} too close to {b.objectName()}")
        viewport = screen.scroll_area.viewport().rect()
        for w in interactive:
            r = audit.window_rect(w, screen.scroll_area.viewport())
            if not viewport.contains(r):
                problems.append(f"{w.objectName()} outside the screen")
        assert not problems, f"step {step}: {problems}"
        assert screen.keyboard.next_button.isVisible()
        primaries = [
            b
            for b in screen.content_actions()
            if isinstance(b, BigButton) and b.property("primary")
        ]
        assert len(primaries) <= 6


def test_keyboard_is_off_the_start_up_path(kiosk: Kiosk) -> None:
    """Built on first entry; its module is not even imported when the screens are."""
    screen = kiosk.ctx.navigator.screen(WALKIN_FULLNAME)
    assert isinstance(screen, WalkInFullNameScreen)
    assert screen._keyboard is None
    code = (
        "import sys; from ui.registry import load_all; load_all(); "
        "assert 'ui.screens.walkin_fullname' in sys.modules; "
        "assert 'ui.widgets.name_keyboard' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60)


def test_first_entry_speaks_the_keys_in_screen_order(kiosk: Kiosk, qtbot: QtBot) -> None:
    _open(kiosk, qtbot, "elderly")
    spoken = kiosk.ctx.voice.history[-1]
    assert "输入姓名" in spoken or "Type your name" in spoken
    labels = [t.strip(" .。") for t in re.split(r"[、,，:：]", spoken)]
    order = [labels.index(k) for k in ("q", "p", "a", "l", "z", "m")]
    assert order == sorted(order), spoken
