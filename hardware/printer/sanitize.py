"""Text from outside, made safe for a printer.

Every text that reaches a printer (names, notes, titles, QR payloads) comes from visitors, the
platform or the database, so it may hold bytes that a printer executes: ``ESC @`` resets it,
``ESC p`` / ``DLE DC4`` open the cash drawer, ``GS V`` cuts, ``DLE EOT`` is answered in real
time, and bidi overrides make a printed line read differently from what the flow built
(RELIABILITY item 18). :func:`clean_text` removes all of that; only ``\\n`` survives, as the
one layout control the drivers understand.

Removed: C0 controls (U+0000–U+001F except LF), DEL, C1 controls (U+0080–U+009F), every
format character (category Cf: bidi embeddings/overrides/isolates U+202A–U+202E and
U+2066–U+2069, LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM, soft hyphen, tag
characters, ...), lone surrogates and noncharacters. Private-use characters become ``?``
(a printer maps them to its downloadable user-defined glyphs). Line ends (CR LF, CR, U+2028,
U+2029) become LF first and tabs become a space, so text typed on another system keeps its
shape; with ``single_line=True`` every line end becomes a space.

:func:`encode_gb18030` cleans again and encodes for a printer in Chinese (GB18030) mode. Its
output holds no byte below 0x20 except LF and no 0x7F: GB18030 encodes ASCII as itself and
every other character as 2 or 4 bytes from 0x30–0x39 and 0x40–0xFE only.
"""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = [
    "clean_text",
    "encode_gb18030",
    "is_removed_char",
    "printable_text",
]

_LINE_ENDS: Final = (("\r\n", "\n"), ("\r", "\n"), ("\u2028", "\n"), ("\u2029", "\n"))
_REMOVED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs"})
#: Printer fonts have these in GB2312; the Latin-1 forms are 4-byte GB18030 (MACHINE.md: ¥).
_PRINTER_SUBSTITUTES: Final = str.maketrans({"\u00a5": "\uffe5"})


def _is_noncharacter(cp: int) -> bool:
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


def is_removed_char(ch: str) -> bool:
    """Whether :func:`clean_text` drops ``ch`` (LF, tab and line separators are kept or mapped)."""
    if ch == "\n":
        return False
    return unicodedata.category(ch) in _REMOVED_CATEGORIES or _is_noncharacter(ord(ch))


def clean_text(text: str, *, single_line: bool = False) -> str:
    """``text`` without anything a printer could execute or that hides what is printed.

    Idempotent: ``clean_text(clean_text(s)) == clean_text(s)``.
    """
    for old, new in _LINE_ENDS:
        text = text.replace(old, new)
    text = text.replace("\t", " ")
    out: list[str] = []
    for ch in text:
        if ch == "\n":
            out.append(" " if single_line else "\n")
            continue
        category = unicodedata.category(ch)
        if category in _REMOVED_CATEGORIES or _is_noncharacter(ord(ch)):
            continue
        out.append("?" if category == "Co" else ch)
    return "".join(out)


def printable_text(text: str) -> str:
    """Cleaned text in the form a Chinese receipt printer's font can show.

    On top of :func:`clean_text`: NFC (pinyin with combining tone marks becomes the
    precomposed letters GB2312 has), leftover combining marks dropped (a printer cannot
    overlay them), ``¥`` → ``￥`` and other spaces → a plain space (U+3000, the ideographic
    space, is kept: it is in GB2312).
    """
    text = unicodedata.normalize("NFC", clean_text(text))
    out: list[str] = []
    for ch in text.translate(_PRINTER_SUBSTITUTES):
        category = unicodedata.category(ch)
        if category in ("Mn", "Me"):
            continue
        if category == "Zs" and ch not in (" ", "\u3000"):
            out.append(" ")
            continue
        out.append(ch)
    # NFC can compose into characters that are not in the cleaned set only in theory; clean
    # again so the guarantee does not depend on the Unicode tables.
    return clean_text("".join(out))


def encode_gb18030(text: str, *, four_byte: bool = True) -> bytes:
    """GB18030 bytes of the cleaned ``text``; never raises.

    ``four_byte=False`` replaces characters that need a 4-byte sequence (CJK Ext-B and later,
    emoji, most non-Chinese scripts) with ``?``: for printers whose font covers GBK only, which
    would print two wrong glyphs for each.
    """
    cleaned = clean_text(text)
    if four_byte:
        return cleaned.encode("gb18030", errors="replace")
    parts: list[bytes] = []
    for ch in cleaned:
        encoded = ch.encode("gb18030", errors="replace")
        parts.append(b"?" if len(encoded) == 4 else encoded)
    return b"".join(parts)
