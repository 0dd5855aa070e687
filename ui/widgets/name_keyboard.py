"""Typing a full name on screen: a large QWERTY keyboard with pinyin → hanzi candidates.

For visitors whose surname is not among the common ones (:mod:`ui.widgets.surname_grid`).
Nothing but touch is needed: no physical keyboard, no system input method.

* 拼音 mode: the letters typed spell one syllable; the characters read so are offered below
  the name, a page at a time (上一页/下一页), most likely first. While no character has been
  chosen yet, surnames read so come first (``zhang`` → 张); after that, characters common in
  given names (``wei`` → 伟). A syllable still being typed offers the characters of every
  syllable it starts (``zh`` → 张 赵 周 …). Touching a character adds it to the name.
  The ``·`` key joins the parts of a name such as 阿依古丽·买买提.
* 英文 mode, for foreign names: the letters go straight into the name, in capitals as on a
  passport, with 空格 between the parts.

A name is 2–10 hanzi, or Latin letters and single spaces (at least two letters, at most
:data:`MAX_LATIN_BYTES` bytes of UTF-8). Plain text only: everything is shown in plain labels.

The characters come from ``assets/pinyin/name_pinyin.tsv`` (about 3,600 characters: the most
frequent simplified ones, common surnames and given-name characters), read on first use.

Sizes: every key, candidate and action uses one label size, the theme's ``keypad`` size or
less when the panel cannot hold the keyboard at that size (landscape, the largest 长辈模式
text steps). It never goes below what ACCESSIBILITY.md items 5 and 7 ask for, and keys stay
at least the theme's target size (≥ 20 mm in 长辈模式). Landscape puts the candidates and the
actions beside the letters; portrait stacks them. Keys are not primary actions; only 完成 is.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.flows.checkin import spoken_name
from ui.resources import asset_path
from ui.screen import plain_label
from ui.widgets.big_button import BigButton

if TYPE_CHECKING:
    from ui.theme import Theme

__all__ = [
    "MAX_HANZI",
    "MAX_LATIN_BYTES",
    "MIN_HANZI",
    "NAME_DOT",
    "NameKeyboard",
    "PinyinTable",
    "default_table",
    "is_valid_name",
]

MIN_HANZI: Final = 2
MAX_HANZI: Final = 10
MIN_LATIN_LETTERS: Final = 2
MAX_LATIN_BYTES: Final = 32
#: The longest syllable has six letters (zhuang, shuang, chuang).
MAX_PINYIN: Final = 6
#: 间隔号, between the parts of a transcribed name (阿依古丽·买买提).
NAME_DOT: Final = "·"
ROWS: Final = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
#: Most candidates on a page (the layout may show fewer).
MAX_CANDIDATES: Final = 8
DATA_FILE: Final = "pinyin/name_pinyin.tsv"

_LATIN_NAME = re.compile(r"[A-Z]+( [A-Z]+)*")


def is_hanzi(ch: str) -> bool:
    """A CJK unified ideograph (basic block or extension A)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def is_valid_name(name: str) -> bool:
    """2–10 hanzi (parts joined by single ``·``), or Latin capitals and single spaces with at
    least two letters and at most :data:`MAX_LATIN_BYTES` bytes."""
    if not name or name != name.strip():
        return False
    if all(is_hanzi(ch) or ch == NAME_DOT for ch in name):
        parts = name.split(NAME_DOT)
        count = sum(len(p) for p in parts)
        return all(parts) and MIN_HANZI <= count <= MAX_HANZI
    letters = sum(ch.isalpha() for ch in name)
    return (
        _LATIN_NAME.fullmatch(name) is not None
        and letters >= MIN_LATIN_LETTERS
        and len(name.encode("utf-8")) <= MAX_LATIN_BYTES
    )


# ------------------------------------------------------------------ the candidate table
@dataclass(frozen=True)
class PinyinTable:
    """Pinyin syllable → characters, ranked for typing names.

    Attributes:
        frequency: Character → rank by frequency (0 = most frequent).
        surname_rank: Surname → rank (0 = most common).
        surnames: Syllable → surnames read so, most common first.
        given: Syllable → characters common in given names, most common first.
        first: Syllable → characters whose first reading it is, most frequent first.
        further: Syllable → characters for which it is a further reading.
    """

    frequency: dict[str, int]
    surname_rank: dict[str, int]
    surnames: dict[str, str]
    given: dict[str, str]
    first: dict[str, str]
    further: dict[str, str]

    @classmethod
    def parse(cls, lines: Iterable[str]) -> PinyinTable:
        """Read the rows of ``name_pinyin.tsv`` (see its header)."""
        frequency: dict[str, int] = {}
        surname_rank: dict[str, int] = {}
        rows: dict[str, dict[str, str]] = {"S": {}, "G": {}, "C": {}, "D": {}}
        for raw in lines:
            line = raw.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            kind, *fields = line.split("\t")
            if kind == "F":
                frequency = {ch: i for i, ch in enumerate(fields[0])}
            elif kind == "N":
                surname_rank = {ch: i for i, ch in enumerate(fields[0])}
            elif kind in rows and len(fields) == 2:
                rows[kind][fields[0]] = fields[1]
            else:
                raise ValueError(f"unexpected row in the pinyin table: {line[:40]!r}")
        return cls(frequency, surname_rank, rows["S"], rows["G"], rows["C"], rows["D"])

    @classmethod
    def load(cls, path: Path) -> PinyinTable:
        with path.open(encoding="utf-8") as f:
            return cls.parse(f)

    @functools.cached_property
    def syllables(self) -> frozenset[str]:
        return frozenset(self.first) | frozenset(self.further) | frozenset(self.surnames)

    @functools.cached_property
    def _prefixes(self) -> frozenset[str]:
        return frozenset(s[:i] for s in self.syllables for i in range(1, len(s) + 1))

    def is_prefix(self, letters: str) -> bool:
        """Whether ``letters`` is a syllable or the start of one."""
        return letters in self._prefixes

    def candidates(self, letters: str, *, surname: bool) -> list[str]:
        """Characters for ``letters`` (one syllable, complete or being typed), best first.

        The syllable's own characters come before those of longer syllables it starts
        (``zhan`` → 展 站 … then 张 章 …). ``surname``: the name has no character yet, so
        surnames read so come first.
        """
        if not letters or not self.is_prefix(letters):
            return []
        exact = [letters] if letters in self.syllables else []
        longer = sorted(s for s in self.syllables if s.startswith(letters) and s != letters)
        out: dict[str, None] = {}
        for group in (exact, longer):
            for ch in self._ranked(group, surname=surname):
                out.setdefault(ch, None)
        return list(out)

    def _ranked(self, syllables: Sequence[str], *, surname: bool) -> list[str]:
        def by(rank: dict[str, int]) -> Callable[[str], int]:
            return lambda ch: rank.get(ch, len(rank))

        def chars(table: dict[str, str]) -> list[str]:
            return [ch for s in syllables for ch in table.get(s, "")]

        out: list[str] = []
        if surname:
            out += sorted(chars(self.surnames), key=by(self.surname_rank))
        given = chars(self.given)
        if len(syllables) > 1:
            given.sort(key=by(self.frequency))
        out += given
        out += sorted(chars(self.first), key=by(self.frequency))
        out += sorted(chars(self.further), key=by(self.frequency))
        return out


@functools.cache
def default_table() -> PinyinTable:
    """The bundled table, read once, on first use (never at start-up)."""
    return PinyinTable.load(asset_path(DATA_FILE))


# ------------------------------------------------------------------ layout arithmetic
@dataclass(frozen=True)
class _Fit:
    """A layout that fits: arrangement, label size and the least outer size of each kind of
    button (px, border and padding included)."""

    wide: bool
    font_px: int
    key_h: int
    candidate_columns: int
    candidate_rows: int
    widths: dict[str, int]
    #: Stacked only: the five actions in one row, or in two (long labels, narrow panel).
    action_rows: int = 1


class _Measure:
    """Text widths at one pixel size, for deciding whether a layout fits."""

    def __init__(self, family: str, px: int) -> None:
        bold = QFont(family)
        bold.setPixelSize(px)
        bold.setBold(True)
        self.fm = QFontMetricsF(bold)

    def width(self, text: str) -> float:
        return self.fm.horizontalAdvance(text)

    def widest(self, texts: Iterable[str]) -> float:
        return max((self.width(t) for t in texts), default=0.0)

    def line(self) -> float:
        return self.fm.height()

    def han_height(self) -> float:
        return self.fm.tightBoundingRect("国").height()


# ------------------------------------------------------------------ the widget
class NameKeyboard(QWidget):
    """Type a full name by touch: pinyin with candidates, or Latin letters.

    Attributes:
        field: The name as typed so far (a card): ``name_label``, ``pinyin_label``, and
            the hint or the message (``hint``, ``status``).
        letter_keys: "a".."z" → key.
        dot_key: ``·`` in 拼音 mode, 空格 in 英文 mode.
        candidate_buttons: The characters offered on the current page.
        previous_button, next_button: 上一页 / 下一页 through the candidates.
        delete_key, clear_key, mode_key, cancel_button, done_button: 删除, 清空, 英文/拼音,
            取消, 完成 (the only primary action).

    Signals:
        submitted: 完成 with a valid name; arg: the name (kept until ``clear()``).
        cancelled: 取消 was released.
        invalid: A key or 完成 was refused; arg: the message shown in the field (to speak).
        announced: Feedback to speak in 长辈模式; arg: the text (a name is masked: 张某明).
    """

    submitted = Signal(str)
    cancelled = Signal()
    invalid = Signal(str)
    announced = Signal(str)

    def __init__(
        self, table: Callable[[], PinyinTable] = default_table, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._table_source = table
        self._name = ""
        self._pinyin = ""
        self._latin = False
        self._page = 0
        self._candidates: list[str] = []
        self._error: Callable[[], str] | None = None
        self._theme: Theme | None = None
        self._fit: _Fit | None = None
        self._gap = 0
        self._fitted_for: tuple[int, int, str, int] | None = None
        # The parent's layout gives this widget the room left under the title; the keyboard
        # then sizes itself to it (it never pushes the screen into scrolling).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

        self.field = QFrame(self)
        self.field.setObjectName("nameField")
        self.field.setProperty("surface", "card")
        self.name_label = self._label("nameText", "keypad")
        self.pinyin_label = self._label("pinyinText", "body")
        self.hint = self._label("nameHint", "body")
        self.hint.setProperty("data_text", False)
        self.status = self._label("nameStatus", "status-error")
        self.status.setProperty("data_text", False)
        self.status.setProperty("kiosk_status", True)
        self.message_row = QWidget(self)
        row = QHBoxLayout(self.message_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.hint)
        row.addWidget(self.status)
        self._field_line = QHBoxLayout(self.field)
        self._field_line.setContentsMargins(0, 0, 0, 0)
        self._field_line.addWidget(self.name_label)
        self._field_line.addWidget(self.pinyin_label)
        self._field_line.addStretch(1)

        self.letter_keys: dict[str, BigButton] = {}
        for letters in ROWS:
            for letter in letters:
                key = self._button(letter, "keypad", lambda _=False, c=letter: self._on_letter(c))
                key.setObjectName(f"key_{letter}")
                key.setProperty("nk_role", "key")
                self.letter_keys[letter] = key
        self.dot_key = self._button("", "keypad", self._on_dot_or_space)
        self.dot_key.setObjectName("dotKey")
        self.dot_key.setProperty("nk_role", "dot")
        self.candidate_buttons: list[BigButton] = []
        for i in range(MAX_CANDIDATES):
            b = self._button("", "keypad", lambda _=False, i=i: self._on_candidate(i))
            b.setObjectName(f"candidate{i}")
            b.setProperty("nk_role", "candidate")
            self.candidate_buttons.append(b)
        self.previous_button = self._button("", "secondary", self.previous_page)
        self.previous_button.setObjectName("candidatesPrevious")
        self.next_button = self._button("", "secondary", self.next_page)
        self.next_button.setObjectName("candidatesNext")
        self.delete_key = self._button("", "secondary", self.erase)
        self.delete_key.setObjectName("deleteKey")
        self.clear_key = self._button("", "secondary", self._on_clear)
        self.clear_key.setObjectName("clearKey")
        self.mode_key = self._button("", "secondary", self._on_mode)
        self.mode_key.setObjectName("modeKey")
        self.cancel_button = self._button("", "secondary", self.cancelled.emit)
        self.cancel_button.setObjectName("cancelName")
        self.done_button = self._button("", "primary", self._on_done)
        self.done_button.setObjectName("doneName")
        self.done_button.setProperty("primary", True)
        self.previous_button.setProperty("nk_role", "nav")
        self.next_button.setProperty("nk_role", "nav")
        for b in (
            self.delete_key,
            self.clear_key,
            self.mode_key,
            self.cancel_button,
            self.done_button,
        ):
            b.setProperty("nk_role", "action")
        for b in (*self.candidate_buttons, self.previous_button, self.next_button):
            policy = b.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # no key moves when the candidates change
            b.setSizePolicy(policy)

        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._letters = QGridLayout()
        self._side = QGridLayout()
        self._actions = QGridLayout()
        self._nav_row = QHBoxLayout()
        self._top_row = QHBoxLayout()
        self._field_box = QVBoxLayout()
        for layout in self._inner_layouts():
            layout.setContentsMargins(0, 0, 0, 0)
        self.retranslate_ui()
        self._render()

    # ---------------------------------------------------------------- building blocks
    @staticmethod
    def _label(name: str, role: str) -> QLabel:
        label = plain_label(role=role, wrap=False)
        label.setObjectName(name)
        label.setProperty("data_text", True)  # the visitor's name and letters, not UI text
        return label

    def _button(self, text: str, variant: str, slot: Callable[..., object]) -> BigButton:
        b = BigButton(text, variant=variant, parent=self)  # never a window of its own
        b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        b.clicked.connect(slot)
        return b

    # ---------------------------------------------------------------- public
    def name(self) -> str:
        """The name typed so far (without letters still waiting for a character)."""
        return self._name

    def pinyin(self) -> str:
        """Letters typed that do not yet have their character."""
        return self._pinyin

    def latin_mode(self) -> bool:
        return self._latin

    def candidates(self) -> list[str]:
        """Every character offered for the letters typed, best first."""
        return list(self._candidates)

    def visible_candidates(self) -> list[str]:
        """The characters on the current page, in reading order."""
        return [b.text() for b in self.candidate_buttons if b.isVisibleTo(self)]

    def page(self) -> int:
        return self._page

    def page_count(self) -> int:
        size = self.page_size()
        return max(1, -(-len(self._candidates) // size))

    def page_size(self) -> int:
        fit = self._fit
        if fit is None:
            return MAX_CANDIDATES
        return fit.candidate_columns * fit.candidate_rows

    def error_text(self) -> str:
        return self.status.text()

    def set_name(self, name: str) -> None:
        """Pre-fill a name typed earlier in the visit (ACCESSIBILITY.md item 22).

        A name that this keyboard could not have produced is ignored.
        """
        self.clear()
        if is_valid_name(name):
            self._name = name
            self._latin = not is_hanzi(name[0])
            self._label_mode_keys()
            self._render()

    def clear(self) -> None:
        """Forget the name, the letters, the message; back to 拼音 mode."""
        self._name = ""
        self._pinyin = ""
        self._latin = False
        self._page = 0
        self._candidates = []
        self._error = None
        self.status.clear()
        self._label_mode_keys()  # (the sizes already allow for either mode's labels)
        self._render()

    def apply_theme(self, theme: Theme) -> None:
        """Spacing, sizes and label size for the theme's mode and text step."""
        self._theme = theme
        self._fitted_for = None
        self._refit()

    def retranslate_ui(self) -> None:
        self.previous_button.setText(self.tr("Previous page"))
        self.next_button.setText(self.tr("Next page"))
        self.delete_key.setText(self.tr("Delete"))
        self.clear_key.setText(self.tr("Clear"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.done_button.setText(self.tr("Done"))
        self._label_mode_keys()
        if self._error is not None:
            self.status.setText(self._error())
        self._render_hint()
        self._fitted_for = None
        self._refit()

    # ---------------------------------------------------------------- candidate pages
    def next_page(self) -> None:
        if self._page < self.page_count() - 1:
            self._page += 1
            self._render_candidates()

    def previous_page(self) -> None:
        if self._page > 0:
            self._page -= 1
            self._render_candidates()

    # ---------------------------------------------------------------- typing
    def erase(self) -> None:
        """删除: the last letter waiting for a character, else the last character."""
        if self._pinyin:
            self._pinyin = self._pinyin[:-1]
        elif self._name:
            self._name = self._name[:-1]
        else:
            return
        self._clear_error()
        self._update_candidates()
        self.announced.emit(self.tr("Deleted"))

    def _on_clear(self) -> None:
        latin = self._latin
        self.clear()
        self._latin = latin
        self._label_mode_keys()
        self._render()
        self.announced.emit(self.tr("Cleared"))

    def _on_letter(self, letter: str) -> None:
        if self._latin:
            self._type_latin(letter.upper())
            return
        if self._hanzi_count() >= MAX_HANZI:
            self._refuse(lambda: self.tr("At most {n} characters").format(n=MAX_HANZI))
            return
        table = self._table_source()
        typed = self._pinyin + letter
        if len(typed) > MAX_PINYIN or not table.is_prefix(typed):
            if self._pinyin and self._candidates:
                self._refuse(lambda: self.tr("Choose a character first"))
            else:
                self._refuse(lambda: self.tr("No pinyin starts like this"))
            return
        self._pinyin = typed
        self._clear_error()
        self._update_candidates()
        self.announced.emit(letter)

    def _type_latin(self, letter: str) -> None:
        if len((self._name + letter).encode("utf-8")) > MAX_LATIN_BYTES:
            self._refuse(lambda: self.tr("The name is too long"))
            return
        self._name += letter
        self._clear_error()
        self._render()
        self.announced.emit(letter)

    def _on_dot_or_space(self) -> None:
        if self._latin:
            name = self._name
            if not name or name.endswith(" "):
                return  # nothing to separate yet
            if len((name + " ").encode("utf-8")) >= MAX_LATIN_BYTES:
                self._refuse(lambda: self.tr("The name is too long"))
                return
            self._name = name + " "
            self._clear_error()
            self._render()
            self.announced.emit(self.tr("Space"))
            return
        if self._pinyin:
            self._refuse(lambda: self.tr("Choose a character first"))
            return
        if not self._name or self._name.endswith(NAME_DOT):
            return  # a dot only goes between two parts
        self._name += NAME_DOT
        self._clear_error()
        self._render()
        self.announced.emit(self.tr("Name dot"))

    def _on_candidate(self, slot: int) -> None:
        index = self._page * self.page_size() + slot
        if not self._pinyin or index >= len(self._candidates):
            return
        self._name += self._candidates[index]
        self._pinyin = ""
        self._clear_error()
        self._update_candidates()
        self.announced.emit(self._spoken_name())

    def _on_mode(self) -> None:
        if self._name or self._pinyin:
            self._refuse(lambda: self.tr("Clear the name first"))
            return
        self._latin = not self._latin
        self._clear_error()
        self._label_mode_keys()
        self._render()
        self.announced.emit(
            self.tr("English letters") if self._latin else self.tr("Pinyin"),
        )

    def _on_done(self) -> None:
        if self._pinyin:
            self._refuse(lambda: self.tr("Choose a character first"))
            return
        name = self._name.strip()
        if not name:
            self._refuse(lambda: self.tr("Please type your name"))
        elif self._latin and sum(ch.isalpha() for ch in name) < MIN_LATIN_LETTERS:
            self._refuse(lambda: self.tr("At least {n} letters").format(n=MIN_LATIN_LETTERS))
        elif not self._latin and self._hanzi_count() < MIN_HANZI:
            self._refuse(lambda: self.tr("At least {n} characters").format(n=MIN_HANZI))
        elif not is_valid_name(name):
            self._refuse(lambda: self.tr("Please check the name"))
        else:
            self._clear_error()
            self.submitted.emit(name)

    # ---------------------------------------------------------------- state → widgets
    def _hanzi_count(self) -> int:
        return sum(is_hanzi(ch) for ch in self._name)

    def _spoken_name(self) -> str:
        name = self._name.rstrip(NAME_DOT)
        # One character is only a surname: say it, so the visitor hears what was chosen.
        return name if len(name) == 1 else spoken_name(name)

    def _update_candidates(self) -> None:
        table = self._table_source()
        self._candidates = table.candidates(self._pinyin, surname=self._hanzi_count() == 0)
        self._page = 0
        self._render()

    def _refuse(self, message: Callable[[], str]) -> None:
        self._error = message
        self.status.setText(message())
        self._render_hint()
        self.invalid.emit(self.status.text())

    def _clear_error(self) -> None:
        self._error = None
        self.status.clear()
        self._render_hint()

    def _label_mode_keys(self) -> None:
        self.mode_key.setText(self.tr("Pinyin") if self._latin else self.tr("English"))
        self.mode_key.setAccessibleName(
            self.tr("Type in pinyin") if self._latin else self.tr("Type English letters")
        )
        self.dot_key.setText(self.tr("Space") if self._latin else self.tr("Dot ·"))
        self.dot_key.setAccessibleName(self.tr("Space") if self._latin else self.tr("Name dot"))
        for letter, key in self.letter_keys.items():
            key.setText(letter.upper() if self._latin else letter)

    def _render(self) -> None:
        self.name_label.setText(self._name)
        self.name_label.setVisible(bool(self._name))
        self.pinyin_label.setText(self._pinyin)
        self.pinyin_label.setVisible(bool(self._pinyin))
        self._render_hint()
        self._render_candidates()
        self._fit_name()

    def _fit_name(self) -> None:
        """A long Latin name gets a smaller size of its own, so that it stays whole."""
        fit = self._fit
        if fit is None or not self._name or self._theme is None:
            return
        family = self._theme.font_family
        border, pad = _frame(self._theme)
        room = float(self.width() - 2 * (border + pad) - 2 * self._gap)
        if self._pinyin:
            room -= _Measure(family, fit.font_px).width(self._pinyin) + self._gap
        if fit.wide:  # the message shares the line, and 取消 完成 follow it
            room -= 2 * (fit.widths["action"] + self._gap)
            m = _Measure(family, min(fit.font_px, self._theme.text_px("body")))
            room -= sum(m.width(t) + self._gap for t in (self.hint.text(), self.status.text()))
        px = fit.font_px
        while px > 1 and _Measure(family, px).width(self._name) > room:
            px -= 1
        sheet = f"QLabel {{ font-size: {px}px; }}" if px < fit.font_px else ""
        if self.name_label.styleSheet() != sheet:
            self.name_label.setStyleSheet(sheet)

    def _render_hint(self) -> None:
        if self._error is not None:
            hint = ""
        elif self._pinyin:
            hint = self.tr("Touch a character")
        elif self._latin:
            hint = self.tr("Type the letters")
        elif not self._name:
            hint = self.tr("Type the pinyin")
        else:
            hint = ""
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.status.setVisible(self._error is not None)

    def _render_candidates(self) -> None:
        size = self.page_size()
        start = self._page * size
        shown = self._candidates[start : start + size]
        for i, b in enumerate(self.candidate_buttons):
            text = shown[i] if i < len(shown) else ""
            b.setText(text)
            b.setVisible(bool(text) and i < size)
        paged = len(self._candidates) > size
        self.previous_button.setVisible(paged)
        self.next_button.setVisible(paged)
        self.previous_button.setEnabled(self._page > 0)
        self.next_button.setEnabled(self._page < self.page_count() - 1)

    # ---------------------------------------------------------------- fitting
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _messages(self) -> list[str]:
        """Every hint and message the field may show, in the current language."""
        return [
            self.tr("Touch a character"),
            self.tr("Type the letters"),
            self.tr("Type the pinyin"),
            self.tr("At most {n} characters").format(n=MAX_HANZI),
            self.tr("Choose a character first"),
            self.tr("No pinyin starts like this"),
            self.tr("The name is too long"),
            self.tr("Clear the name first"),
            self.tr("Please type your name"),
            self.tr("At least {n} letters").format(n=MIN_LATIN_LETTERS),
            self.tr("At least {n} characters").format(n=MIN_HANZI),
            self.tr("Please check the name"),
        ]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refit()

    def _refit(self) -> None:
        theme = self._theme
        if theme is None or self.width() <= 0 or self.height() <= 0:
            return
        if not self.isVisible():
            return  # measured when shown: nothing to lay out while the screen is hidden
        key = (self.width(), self.height(), theme.tokens.name, theme.text_px("keypad"))
        if key == self._fitted_for:
            return
        self._fitted_for = key
        fit = self._choose_fit(theme, self.width(), self.height())
        self._apply_fit(theme, fit)

    def _choose_fit(self, theme: Theme, width: int, height: int) -> _Fit:
        """The largest label size (≤ the keypad token) at which a layout fits, landscape
        (side by side) or portrait (stacked); the smallest allowed one if none does."""
        elderly = theme.tokens.name == "elderly"
        # Items 5 and 7: 国 at least 9 mm in 长辈模式 (完成 is a primary action), 4.8 mm else.
        floor_mm = 9.0 if elderly else 4.8
        top = theme.text_px("keypad")
        best: _Fit | None = None
        px = top
        for px in range(top, 0, -1):
            m = _Measure(theme.font_family, px)
            if m.han_height() < theme.px(floor_mm) + 0.5:
                break
            for wide in (True, False):
                fit = self._try(theme, m, px, width, height, wide=wide)
                if fit is not None and (best is None or (fit.wide and not best.wide)):
                    best = fit
            if best is not None:
                return best
        # Nothing fits: the smallest allowed size, the tests and the audit will say so.
        px = max(1, px + 1)
        m = _Measure(theme.font_family, px)
        wide = width > height
        return _Fit(
            wide=wide,
            font_px=px,
            key_h=self._key_height(theme, m),
            candidate_columns=4 if wide else MAX_CANDIDATES,
            candidate_rows=2 if wide else 1,
            widths=self._widths(theme, m),
        )

    @staticmethod
    def _key_height(theme: Theme, m: _Measure) -> int:
        border, _pad = _frame(theme)
        return max(theme.target_px(), math.ceil(m.line()) + 2 * border + 2)

    def _widths(self, theme: Theme, m: _Measure) -> dict[str, int]:
        """Least outer width of each kind of button ("role") at this label size."""
        target = theme.target_px()
        border, pad = _frame(theme)

        def button(*texts: str, room: int = 6) -> int:
            return max(target, math.ceil(m.widest(texts)) + 2 * (border + pad) + room)

        words = theme.px(3.0)  # labels of words get air around them; single keys need less

        letters = [*ROWS[0], *ROWS[1], *ROWS[2]]
        return {
            "key": button(*letters, *(t.upper() for t in letters)),
            "dot": button(self.tr("Space"), self.tr("Dot ·"), room=words),
            "candidate": button("国"),
            "nav": button(self.previous_button.text(), self.next_button.text(), room=words),
            "action": button(
                self.delete_key.text(),
                self.clear_key.text(),
                self.tr("Pinyin"),
                self.tr("English"),
                self.cancel_button.text(),
                self.done_button.text(),
                room=words,
            ),
        }

    def _try(
        self, theme: Theme, m: _Measure, px: int, width: int, height: int, *, wide: bool
    ) -> _Fit | None:
        gap = theme.gap_px()
        border, pad = _frame(theme)
        h = self._key_height(theme, m)
        w = self._widths(theme, m)
        letters_w = 10 * w["key"] + 9 * gap
        if w["dot"] > 3 * w["key"] + 2 * gap:
            return None
        # The name line: ten characters, or nine and the longest syllable. (A long Latin
        # name gets a smaller size of its own, see ``_fit_name``.)
        name_w = max(10 * m.width("国"), 9 * m.width("国") + m.width("zhuang") + gap)
        message_w = m.widest(self._messages())
        field_pad = 2 * (border + pad)
        if wide:
            # [field ........ 取消 完成] over [letters | candidates + pages | actions]
            side_w = max(2 * w["nav"] + gap, 4 * w["candidate"] + 3 * gap)
            total_w = letters_w + 2 * gap + side_w + 2 * gap + w["action"]
            field_w = width - 2 * w["action"] - 2 * gap
            total_h = 4 * h + 4 * gap
            if (
                total_w > width
                or total_h > height
                or name_w + gap + message_w + field_pad > field_w
            ):
                return None
            return _Fit(True, px, self._grow(theme, h, (height - 4 * gap) // 4), 4, 2, w)
        # Stacked: field, message, candidates, pages, three rows of letters, actions.
        columns = min(MAX_CANDIDATES, int((width + gap) // (w["candidate"] + gap)))
        action_rows = 1 if 5 * w["action"] + 4 * gap <= width else 2
        # Rows: 8 or 9 keys high; gaps: one inside each group, two between groups.
        rows = 7 + action_rows
        total_h = rows * h + (9 + action_rows) * gap
        fits = (
            letters_w <= width
            and 3 * w["action"] + 2 * gap <= width
            and 2 * w["nav"] + gap <= width
            and columns >= 3
            and name_w + field_pad <= width
            and message_w <= width
            and total_h <= height
        )
        if not fits:
            return None
        grown = self._grow(theme, h, (height - (9 + action_rows) * gap) // rows)
        return _Fit(False, px, grown, columns, 1, w, action_rows)

    @staticmethod
    def _grow(theme: Theme, least: int, room: int) -> int:
        """Keys taller than they must be where there is room, up to 1.6 × the target."""
        return max(least, min(room, round(1.6 * theme.target_px())))

    def _apply_fit(self, theme: Theme, fit: _Fit) -> None:
        gap = theme.gap_px()
        border, pad = _frame(theme)
        message_px = min(fit.font_px, theme.text_px("body"))
        # Style sheet sizes are of the contents: the outer size less padding and border.
        inner_h = fit.key_h - 2 * border
        rules = [
            f"QPushButton {{ font-size: {fit.font_px}px; padding: 0px {pad}px;"
            f" min-height: {inner_h}px; max-height: {inner_h}px; }}",
            f"QLabel#nameText, QLabel#pinyinText {{ font-size: {fit.font_px}px; }}",
            f"QLabel#nameHint, QLabel#nameStatus {{ font-size: {message_px}px; }}",
            f"QFrame#nameField {{ padding: 0px {pad}px; }}",
        ]
        for role, outer in fit.widths.items():
            inner = outer - 2 * (border + pad)
            rules.append(f'QPushButton[nk_role="{role}"] {{ min-width: {inner}px; }}')
        self._gap = gap
        self.setStyleSheet("\n".join(rules))
        self.field.setFixedHeight(fit.key_h)
        # Stacked, the message has a line of its own, kept even when empty (nothing moves).
        self.message_row.setFixedHeight(fit.key_h - 2 * border)
        changed = self._fit is None or (
            (
                self._fit.wide,
                self._fit.candidate_columns,
                self._fit.candidate_rows,
                self._fit.action_rows,
            )
            != (fit.wide, fit.candidate_columns, fit.candidate_rows, fit.action_rows)
        )
        first = self._page * self.page_size()
        self._fit = fit
        self._page = first // self.page_size()
        for layout in self._inner_layouts():
            layout.setSpacing(gap)
        if changed:
            self._arrange(fit)
        if fit.wide:
            w = fit.widths
            side = max(2 * w["nav"] + gap, 4 * w["candidate"] + 3 * gap)
            share = (self.width() - w["action"] - 4 * gap) * 3 // 10
            self._grid.setColumnMinimumWidth(1, max(side, share))
            self._grid.setColumnMinimumWidth(2, w["action"])
        else:
            self._grid.setColumnMinimumWidth(1, 0)
            self._grid.setColumnMinimumWidth(2, 0)
        # Two gaps between the groups (field, candidates, letters, actions).
        self._grid.setSpacing(gap * 2)
        self._render()

    def _inner_layouts(self) -> tuple[QLayout, ...]:
        return (
            self._letters,
            self._side,
            self._actions,
            self._nav_row,
            self._top_row,
            self._field_box,
        )

    def _arrange(self, fit: _Fit) -> None:
        for layout in (self._grid, *self._inner_layouts()):
            _empty(layout)
        for r, letters in enumerate(ROWS):
            for c, letter in enumerate(letters):
                self._letters.addWidget(self.letter_keys[letter], r, c)
        self._letters.addWidget(self.dot_key, 2, 7, 1, 3)
        for c in range(10):
            self._letters.setColumnStretch(c, 1)
        cols, rows = fit.candidate_columns, fit.candidate_rows
        for i, b in enumerate(self.candidate_buttons):
            if i < cols * rows:
                self._side.addWidget(b, i // cols, i % cols)
            else:
                b.hide()
        self._nav_row.addWidget(self.previous_button)
        self._nav_row.addWidget(self.next_button)
        self._side.addLayout(self._nav_row, rows, 0, 1, cols)
        for c in range(MAX_CANDIDATES):
            self._side.setColumnStretch(c, 1 if c < cols else 0)
        self._field_line.removeWidget(self.message_row)
        for r in range(6):
            self._grid.setRowStretch(r, 0)
        if fit.wide:
            top = self._top_row
            top.addWidget(self.field, 1)
            top.addWidget(self.cancel_button)
            top.addWidget(self.done_button)
            self._field_line.addWidget(self.message_row)
            for r, b in enumerate((self.delete_key, self.clear_key, self.mode_key)):
                self._actions.addWidget(b, r, 0)
            self._grid.addLayout(top, 0, 0, 1, 3)
            self._grid.addLayout(self._letters, 1, 0)
            self._grid.addLayout(self._side, 1, 1)
            self._grid.addLayout(self._actions, 1, 2)
            # The letters take what is left: their size never depends on the candidates.
            self._grid.setColumnStretch(0, 1)
            self._grid.setColumnStretch(1, 0)
            self._grid.setColumnStretch(2, 0)
            self._grid.setRowStretch(2, 1)
        else:
            field_box = self._field_box
            field_box.addWidget(self.field)
            field_box.addWidget(self.message_row)
            actions = (
                self.delete_key,
                self.clear_key,
                self.mode_key,
                self.cancel_button,
                self.done_button,
            )
            # One row of five, or 删除 清空 英文 over 取消 完成 (a grid of six columns).
            places = (
                [(0, 2 * c, 1, 2) for c in range(5)]
                if fit.action_rows == 1
                else [(0, 0, 1, 2), (0, 2, 1, 2), (0, 4, 1, 2), (1, 0, 1, 3), (1, 3, 1, 3)]
            )
            for b, (row, col, rspan, cspan) in zip(actions, places, strict=True):
                self._actions.addWidget(b, row, col, rspan, cspan)
            for c in range(10):
                self._actions.setColumnStretch(
                    c, 1 if c < (10 if fit.action_rows == 1 else 6) else 0
                )
            self._grid.addLayout(field_box, 0, 0)
            self._grid.addLayout(self._side, 1, 0)
            self._grid.addLayout(self._letters, 2, 0)
            self._grid.addLayout(self._actions, 3, 0)
            self._grid.setColumnStretch(0, 1)
            for c in (1, 2):
                self._grid.setColumnStretch(c, 0)
            self._grid.setRowStretch(4, 1)


def _frame(theme: Theme) -> tuple[int, int]:
    """(border, horizontal padding) of the keyboard's buttons, in px."""
    return max(2, theme.px(theme.tokens.border_mm)), max(4, theme.px(1.5))


def _empty(layout: QLayout) -> None:
    """Take every item out of ``layout``; the widgets and nested layouts stay alive (the
    keyboard keeps references to them) for the next arrangement."""
    while (item := layout.takeAt(0)) is not None:
        inner = item.layout()
        if inner is not None:
            inner.setParent(None)
