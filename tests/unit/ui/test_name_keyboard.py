"""The full-name keyboard: pinyin candidates, typing by taps on the keys, limits, sizes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.unit.ui import audit
from tests.unit.ui.widgets.helpers import BODY, PX_PER_MM, make_theme
from ui.resources import asset_path
from ui.widgets.big_button import BigButton
from ui.widgets.name_keyboard import (
    DATA_FILE,
    MAX_HANZI,
    NameKeyboard,
    default_table,
    is_valid_name,
)
from ui.widgets.surname_grid import COMMON_SURNAMES

LEFT = Qt.MouseButton.LeftButton


# ---------------------------------------------------------------- hosting


class _Host(QWidget):
    """A themed window of a screen body's size holding only the keyboard."""

    def __init__(self, mode: str, orientation: str, text_scale: float) -> None:
        super().__init__()
        self.setObjectName("kioskWindow")
        self.theme = make_theme(mode, text_scale=text_scale)
        self.setStyleSheet(self.theme.style_sheet())
        self.keyboard = NameKeyboard()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.keyboard)
        self.setFixedSize(*BODY[(mode, orientation)])
        self.keyboard.apply_theme(self.theme)


HostFactory = Callable[..., _Host]


@pytest.fixture
def host(qtbot: QtBot) -> HostFactory:
    keep: list[_Host] = []

    def make(mode: str = "standard", orientation: str = "landscape", scale: float = 1.0) -> _Host:
        h = _Host(mode, orientation, scale)
        keep.append(h)
        qtbot.addWidget(h)
        h.show()
        qtbot.waitExposed(h)
        for _ in range(3):
            QApplication.processEvents()
        return h

    return make


@pytest.fixture
def kb(host: HostFactory) -> NameKeyboard:
    return host().keyboard


def tap(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isVisible(), button.objectName()
    assert button.isEnabled(), button.objectName()
    QTest.mouseClick(button, LEFT)


def type_letters(qtbot: QtBot, kb: NameKeyboard, letters: str) -> None:
    for letter in letters:
        tap(qtbot, kb.letter_keys[letter])


def choose(qtbot: QtBot, kb: NameKeyboard, char: str) -> None:
    """Touch ``char`` among the candidates, turning pages with 下一页 if needed."""
    for _ in range(kb.page_count()):
        for b in kb.candidate_buttons:
            if b.isVisible() and b.text() == char:
                tap(qtbot, b)
                return
        tap(qtbot, kb.next_button)
    raise AssertionError(f"{char} is not offered for {kb.pinyin()!r}")


# ---------------------------------------------------------------- the table


def test_table_ranks_surnames_first_then_given_name_characters() -> None:
    table = default_table()
    assert table.candidates("zhang", surname=True)[0] == "张"
    assert table.candidates("wang", surname=True)[0] == "王"
    assert table.candidates("wei", surname=False)[0] == "伟"
    assert table.candidates("li", surname=True)[0] == "李"
    # A syllable being typed offers the characters of every syllable it starts.
    assert table.candidates("zh", surname=True)[:3] == ["张", "赵", "周"]
    assert table.candidates("w", surname=True)[0] == "王"
    # The syllable's own characters come before those of longer ones (zhan before zhang).
    zhan = table.candidates("zhan", surname=False)
    assert zhan.index("展") < zhan.index("张")
    assert table.candidates("zhx", surname=True) == []
    assert table.candidates("", surname=True) == []


def test_table_spells_u_umlaut_with_v_and_knows_surname_readings() -> None:
    table = default_table()
    assert table.candidates("lv", surname=True)[0] == "吕"
    assert "曾" in table.candidates("zeng", surname=True)[:3]
    assert "单" in table.candidates("shan", surname=True)[:3]
    assert table.is_prefix("zhuan")
    assert not table.is_prefix("zhuangg")


@pytest.mark.parametrize("surname", COMMON_SURNAMES)
def test_every_common_surname_is_on_the_first_page_of_its_syllable(surname: str) -> None:
    table = default_table()
    syllables = [s for s, chars in table.surnames.items() if surname in chars]
    assert syllables, surname
    assert surname in table.candidates(syllables[0], surname=True)[:8]


def test_table_is_small_and_carries_its_licence_notices() -> None:
    path = asset_path(DATA_FILE)
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_size < 64 * 1024
    for notice in ("MIT License", "mozillazg", "Sun Junyi"):
        assert notice in text
    table = default_table()
    assert 3000 < len(table.frequency) < 5000
    assert all(table.first.values())


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("张伟", True),
        ("欧阳娜娜", True),
        ("阿依古丽·买买提", True),
        ("张", False),
        ("张" * (MAX_HANZI + 1), False),
        ("张" * MAX_HANZI, True),
        ("·张伟", False),
        ("张伟·", False),
        ("张··伟", False),
        ("LI MING", True),
        ("L", False),
        ("LI  MING", False),
        (" LI", False),
        ("A" * 32, True),
        ("A" * 33, False),
        ("李MING", False),
        ("<b>李</b>", False),
        ("", False),
    ],
)
def test_valid_names(name: str, valid: bool) -> None:
    assert is_valid_name(name) is valid


# ---------------------------------------------------------------- typing by taps


@pytest.mark.gui
def test_typing_zhang_offers_zhang_on_the_first_page(qtbot: QtBot, kb: NameKeyboard) -> None:
    type_letters(qtbot, kb, "zhang")
    assert kb.pinyin() == "zhang"
    assert kb.pinyin_label.text() == "zhang"
    assert "张" in kb.visible_candidates()
    assert kb.visible_candidates()[0] == "张"


@pytest.mark.gui
def test_typing_wang_offers_wang(qtbot: QtBot, kb: NameKeyboard) -> None:
    type_letters(qtbot, kb, "wang")
    assert kb.visible_candidates()[0] == "王"


@pytest.mark.gui
def test_choosing_candidates_builds_zhang_wei(qtbot: QtBot, kb: NameKeyboard) -> None:
    type_letters(qtbot, kb, "zhang")
    choose(qtbot, kb, "张")
    assert kb.name() == "张"
    assert kb.pinyin() == ""
    assert kb.visible_candidates() == []
    type_letters(qtbot, kb, "wei")
    assert "伟" in kb.visible_candidates()  # a given-name character, on the first page
    choose(qtbot, kb, "伟")
    assert kb.name() == "张伟"
    assert kb.name_label.text() == "张伟"


@pytest.mark.gui
def test_delete_takes_letters_then_characters(qtbot: QtBot, kb: NameKeyboard) -> None:
    type_letters(qtbot, kb, "zhang")
    choose(qtbot, kb, "张")
    type_letters(qtbot, kb, "wex")  # x cannot follow "we": refused with a message
    assert kb.pinyin() == "we"
    assert kb.error_text()
    tap(qtbot, kb.delete_key)
    assert kb.pinyin() == "w"
    assert kb.error_text() == ""
    tap(qtbot, kb.delete_key)
    assert kb.pinyin() == ""
    assert kb.visible_candidates() == []
    tap(qtbot, kb.delete_key)
    assert kb.name() == ""
    tap(qtbot, kb.delete_key)  # nothing left: nothing happens
    assert kb.name() == ""


@pytest.mark.gui
def test_clear_forgets_everything(qtbot: QtBot, kb: NameKeyboard) -> None:
    type_letters(qtbot, kb, "li")
    choose(qtbot, kb, "李")
    type_letters(qtbot, kb, "ming")
    tap(qtbot, kb.clear_key)
    assert (kb.name(), kb.pinyin(), kb.visible_candidates()) == ("", "", [])


@pytest.mark.gui
def test_done_emits_the_name(qtbot: QtBot, kb: NameKeyboard) -> None:
    type_letters(qtbot, kb, "zhang")
    choose(qtbot, kb, "张")
    type_letters(qtbot, kb, "wei")
    choose(qtbot, kb, "伟")
    with qtbot.wait_signal(kb.submitted, timeout=1000) as blocker:
        tap(qtbot, kb.done_button)
    assert blocker.args == ["张伟"]


@pytest.mark.gui
def test_done_refuses_one_character_and_letters_without_a_character(
    qtbot: QtBot, kb: NameKeyboard
) -> None:
    refused: list[str] = []
    submitted: list[str] = []
    kb.invalid.connect(refused.append)
    kb.submitted.connect(submitted.append)
    type_letters(qtbot, kb, "li")
    tap(qtbot, kb.done_button)
    assert refused[-1] == kb.error_text() == "Choose a character first"
    choose(qtbot, kb, "李")
    tap(qtbot, kb.done_button)
    assert refused[-1] == "At least 2 characters"
    assert kb.status.isVisible()
    assert kb.name() == "李", "what was typed stays (item 21)"
    assert submitted == []


@pytest.mark.gui
def test_cancel(qtbot: QtBot, kb: NameKeyboard) -> None:
    with qtbot.wait_signal(kb.cancelled, timeout=1000):
        tap(qtbot, kb.cancel_button)


@pytest.mark.gui
def test_candidate_pages(qtbot: QtBot, kb: NameKeyboard) -> None:
    type_letters(qtbot, kb, "z")
    size = kb.page_size()
    first = kb.visible_candidates()
    assert len(first) == size
    assert kb.previous_button.isVisible()
    assert not kb.previous_button.isEnabled()
    tap(qtbot, kb.next_button)
    assert kb.visible_candidates() == kb.candidates()[size : 2 * size]
    tap(qtbot, kb.previous_button)
    assert kb.visible_candidates() == first


@pytest.mark.gui
def test_ten_characters_at_most(qtbot: QtBot, kb: NameKeyboard) -> None:
    kb.set_name("欧阳" + "娜" * (MAX_HANZI - 2))
    type_letters(qtbot, kb, "a")
    assert kb.pinyin() == ""
    assert kb.error_text() == f"At most {MAX_HANZI} characters"


@pytest.mark.gui
def test_name_dot_between_parts(qtbot: QtBot, kb: NameKeyboard) -> None:
    tap(qtbot, kb.dot_key)  # not at the start
    assert kb.name() == ""
    for syllable, char in (("a", "阿"), ("yi", "依"), ("gu", "古"), ("li", "丽")):
        type_letters(qtbot, kb, syllable)
        choose(qtbot, kb, char)
    tap(qtbot, kb.dot_key)
    tap(qtbot, kb.dot_key)  # not twice
    for syllable, char in (("mai", "买"), ("mai", "买"), ("ti", "提")):
        type_letters(qtbot, kb, syllable)
        choose(qtbot, kb, char)
    with qtbot.wait_signal(kb.submitted, timeout=1000) as blocker:
        tap(qtbot, kb.done_button)
    assert blocker.args == ["阿依古丽·买买提"]


@pytest.mark.gui
def test_english_letters_for_a_foreign_name(qtbot: QtBot, kb: NameKeyboard) -> None:
    tap(qtbot, kb.mode_key)
    assert kb.latin_mode()
    assert kb.letter_keys["q"].text() == "Q"
    type_letters(qtbot, kb, "li")
    tap(qtbot, kb.dot_key)  # 空格
    tap(qtbot, kb.dot_key)  # a second space is ignored
    type_letters(qtbot, kb, "ming")
    assert kb.name() == "LI MING"
    assert kb.visible_candidates() == []
    tap(qtbot, kb.mode_key)  # no mixing: clear first
    assert kb.latin_mode()
    assert kb.error_text() == "Clear the name first"
    with qtbot.wait_signal(kb.submitted, timeout=1000) as blocker:
        tap(qtbot, kb.done_button)
    assert blocker.args == ["LI MING"]


@pytest.mark.gui
def test_latin_name_is_at_most_32_bytes(qtbot: QtBot, kb: NameKeyboard) -> None:
    tap(qtbot, kb.mode_key)
    type_letters(qtbot, kb, "a" * 40)
    assert kb.name() == "A" * 32
    assert kb.error_text() == "The name is too long"
    assert audit.clipped(kb.name_label) == ""


@pytest.mark.gui
def test_keys_act_on_release_only(qtbot: QtBot, kb: NameKeyboard) -> None:
    """Item 15: a press without a release types nothing."""
    key = kb.letter_keys["a"]
    QTest.mousePress(key, LEFT)
    assert kb.pinyin() == ""
    QTest.mouseRelease(key, LEFT)
    assert kb.pinyin() == "a"


@pytest.mark.gui
def test_announces_letters_and_the_name_masked(qtbot: QtBot, kb: NameKeyboard) -> None:
    said: list[str] = []
    kb.announced.connect(said.append)
    type_letters(qtbot, kb, "zhang")
    assert said == list("zhang")
    choose(qtbot, kb, "张")
    assert said[-1] == "张"  # a surname alone
    for syllable, char in (("wei", "伟"), ("ming", "明")):
        type_letters(qtbot, kb, syllable)
        choose(qtbot, kb, char)
    assert said[-1] == "张某明"
    assert "张伟明" not in said


@pytest.mark.gui
def test_only_done_is_a_primary_action(kb: NameKeyboard) -> None:
    primaries = [b for b in kb.findChildren(BigButton) if b.property("primary")]
    assert primaries == [kb.done_button]
    assert len(kb.findChildren(BigButton)) > 30


@pytest.mark.gui
def test_plain_text_only(qtbot: QtBot, kb: NameKeyboard) -> None:
    kb.set_name("<b>李</b>")  # not a name this keyboard could type: ignored
    assert kb.name() == ""
    for label in (kb.name_label, kb.pinyin_label, kb.hint, kb.status):
        assert label.textFormat() == Qt.TextFormat.PlainText


# ---------------------------------------------------------------- sizes


def _layout_problems(h: _Host, elderly: bool) -> list[str]:
    for _ in range(3):
        QApplication.processEvents()  # layouts settle after a change, as on screen
    problems: list[str] = []
    need = (20.0 if elderly else 11.6) * PX_PER_MM
    inside = h.rect()
    interactive = audit.interactive_widgets(h)
    for w in interactive:
        r = audit.window_rect(w, h)
        if not inside.contains(r):
            problems.append(f"{w.objectName()} at {r.getRect()} outside {inside.getRect()}")
        if w.width() < need - 0.5 or w.height() < need - 0.5:
            problems.append(f"{w.objectName()} is {w.width()}x{w.height()} < {need:.0f}")
    rects = [(w, audit.window_rect(w, h)) for w in interactive]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            if ra.intersects(rb):
                problems.append(f"{a.objectName()} overlaps {b.objectName()}")
            elif elderly and audit.gap_between(ra, rb) < 2.0 * PX_PER_MM - 0.5:
                problems.append(f"{a.objectName()} and {b.objectName()} closer than 2 mm")
    for w in audit.text_widgets(h):
        cut = audit.clipped(w)
        if cut:
            problems.append(f"{w.objectName()} {cut}")
        floor = (6.7 if elderly else 4.8) * PX_PER_MM
        if audit.glyph_height(w, "国") < floor - 0.5:
            problems.append(f"{w.objectName()}: 国 below {floor:.0f}px")
    return problems


@pytest.mark.gui
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_fits_with_big_targets(
    qtbot: QtBot, host: HostFactory, mode: str, orientation: str
) -> None:
    """Items 1, 2, 3, 5, 7, 9: every key ≥ 20 mm (长辈模式) / 11.6 mm, 2 mm apart, nothing
    cut off or outside, while typing (candidates and pages shown) and in 英文 mode."""
    h = host(mode, orientation)
    kb = h.keyboard
    elderly = mode == "elderly"
    assert _layout_problems(h, elderly) == []
    type_letters(qtbot, kb, "z")
    assert kb.next_button.isVisible()
    assert _layout_problems(h, elderly) == []
    tap(qtbot, kb.delete_key)
    tap(qtbot, kb.mode_key)
    type_letters(qtbot, kb, "w" * 32)
    assert _layout_problems(h, elderly) == []
    if elderly:
        key = kb.letter_keys["q"]
        assert min(key.width(), key.height()) >= 20 * PX_PER_MM
        assert audit.glyph_height(kb.done_button, "国") >= 9 * PX_PER_MM - 0.5  # item 5


@pytest.mark.gui
def test_keys_stay_put_when_candidates_come_and_go(qtbot: QtBot, host: HostFactory) -> None:
    h = host("elderly", "landscape")
    kb = h.keyboard
    before = {k: audit.window_rect(b, h) for k, b in kb.letter_keys.items()}
    type_letters(qtbot, kb, "z")
    QApplication.processEvents()
    assert {k: audit.window_rect(b, h) for k, b in kb.letter_keys.items()} == before


@pytest.mark.gui
def test_elderly_keys_are_larger_than_standard(host: HostFactory) -> None:
    standard = host("standard", "portrait").keyboard
    elderly = host("elderly", "portrait").keyboard
    for kb in (standard, elderly):
        kb.ensurePolished()
    s_key, e_key = standard.letter_keys["a"], elderly.letter_keys["a"]
    assert e_key.height() > s_key.height()
    assert e_key.font().pixelSize() >= 1.4 * s_key.font().pixelSize()
