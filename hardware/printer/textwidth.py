"""Display width and line wrapping for slips (columns on a receipt printer, or pixels).

Column rules:

* ``printer_columns``: a receipt printer in Chinese (GB18030) mode prints every single-byte
  (ASCII) character in one column (12 dots in font A) and every multi-byte character —
  hanzi, full-width punctuation, but also ``“”``, ``·``, ``é`` — in two (24 dots). That is the
  rule :class:`~hardware.printer.escpos_printer.EscPosReceiptPrinter` wraps by.
* ``display_columns``: the Unicode East Asian Width rule (W/F two columns, combining marks
  and format characters zero, the rest one) for monospaced screens.

:func:`wrap_text` wraps by any measure (columns or a font's pixel length): Latin words break
at spaces (a word longer than the line is split), hanzi between any two characters, with
the usual Chinese line-breaking rules: closing punctuation (，。、！？）」 …) never starts a
line and opening brackets (（「《 …) never end one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Final

__all__ = [
    "NO_LINE_END",
    "NO_LINE_START",
    "display_columns",
    "printer_columns",
    "wrap_text",
]

Measure = Callable[[str], float]

#: Characters that must not begin a line (closing punctuation, small kana-like marks).
NO_LINE_START: Final = frozenset("，。、；：！？）］｝〕〉》」』】〗〙〛”’…—～·,.;:!?)]}%℃")
#: Characters that must not end a line (opening brackets and quotes).
NO_LINE_END: Final = frozenset("（［｛〔〈《「『【〖〘〚“‘([{")


def _char_printer_columns(ch: str) -> int:
    if ch == "\n":
        return 0
    return 1 if ord(ch) < 0x80 else 2


def printer_columns(text: str) -> int:
    """Columns ``text`` takes on a receipt printer in GB18030 mode (ASCII 1, the rest 2)."""
    return sum(_char_printer_columns(ch) for ch in text)


def _char_display_columns(ch: str) -> int:
    if ch == "\n" or unicodedata.combining(ch):
        return 0
    if unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_columns(text: str) -> int:
    """Columns ``text`` takes on a monospaced screen (Unicode East Asian Width)."""
    return sum(_char_display_columns(ch) for ch in text)


def _is_word_char(ch: str) -> bool:
    """Part of a run that only breaks at spaces (Latin letters, digits, ASCII punctuation)."""
    if ord(ch) < 0x80:
        return ch != " "
    if ch in NO_LINE_START or ch in NO_LINE_END:
        return False
    return unicodedata.east_asian_width(ch) not in ("W", "F")


def _tokens(paragraph: str) -> list[str]:
    """Runs of spaces, runs of word characters, and every other character on its own."""
    tokens: list[str] = []
    for ch in paragraph:
        if tokens:
            last = tokens[-1]
            if (ch == " " and last[-1] == " ") or (_is_word_char(ch) and _is_word_char(last[-1])):
                tokens[-1] = last + ch
                continue
        tokens.append(ch)
    return tokens


def _split_long(token: str, width: float, measure: Measure) -> list[str]:
    """Cut ``token`` into pieces that each fit (a piece always holds at least one char)."""
    pieces: list[str] = []
    current = ""
    for ch in token:
        if current and measure(current + ch) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


def _wrap_paragraph(paragraph: str, width: float, measure: Measure) -> list[str]:
    lines: list[str] = []
    line: list[str] = []
    pending_space = ""

    def flush(*, last: bool = False) -> list[str]:
        """Emit the current line; return what moves to the next one (an opening bracket)."""
        carry: list[str] = []
        if not last and len(line) >= 2 and line[-1] in NO_LINE_END:
            carry.append(line.pop())
        while line and line[-1].startswith(" "):
            line.pop()
        lines.append("".join(line))
        line.clear()
        return carry

    for token in _tokens(paragraph):
        if token.startswith(" "):
            if line or not lines:  # inner spaces, or the paragraph's indentation
                pending_space += token
            continue
        space, pending_space = pending_space, ""
        current = "".join(line)
        if measure(current + space + token) <= width:
            if space:
                line.append(space)
            line.append(token)
            continue
        carry: list[str] = []
        if line:
            last = line[-1]
            if (
                token[0] in NO_LINE_START
                and len(line) >= 2
                and not last.startswith(" ")
                and measure(last + token) <= width
            ):
                line.pop()
                carry = [*flush(), last]
            else:
                carry = flush()
        line.extend(carry)
        if measure("".join(line) + token) <= width:
            line.append(token)
            continue
        if line:
            flush()
        pieces = _split_long(token, width, measure)
        line.append(pieces[0])
        for piece in pieces[1:]:
            flush()
            line.append(piece)
    if line or not lines:
        flush(last=True)
    return lines


def wrap_text(text: str, width: float, measure: Measure | None = None) -> list[str]:
    """``text`` broken into lines no wider than ``width`` by ``measure`` (default: printer
    columns). ``\\n`` forces a break; an empty text gives one empty line. A single character
    wider than ``width`` gets a line of its own."""
    if width <= 0:
        raise ValueError("width must be positive")
    measure_fn: Measure = measure if measure is not None else printer_columns
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, measure_fn))
    return lines
