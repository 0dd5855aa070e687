"""A4 documents drawn with Pillow and saved as an image PDF.

CUPS prints a Chinese *text* file with boxes (MACHINE.md), so documents are drawn here with a
CJK font and handed to CUPS as a PDF with one bitmap page per sheet (1-bit, CCITT G4
compressed by Pillow: a text page is a few tens of KB). Two inputs:

* :class:`A4Document`: a title and paragraphs, wrapped and paginated here;
* pages of lines (``[["line", ...], ...]``): each inner list starts a new page; lines that do
  not fit continue on an extra page.

Every page carries "第 n / N 页" at the bottom and, for practice documents, a 练习 PRACTICE
band at the top. All text is cleaned (:func:`~hardware.printer.sanitize.clean_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from PIL import Image, ImageDraw, ImageFont

from hardware.printer.fonts import FONT_LOCK, has_bold_face, load_cjk_font
from hardware.printer.render import PRACTICE_BANNER, to_printer_bitmap
from hardware.printer.sanitize import clean_text
from hardware.printer.textwidth import wrap_text

__all__ = ["A4Document", "A4Renderer", "Pages", "save_pdf"]

Pages = Sequence[Sequence[str]]
_Kind = Literal["title", "body", "break"]

A4_MM: Final = (210.0, 297.0)


@dataclass(frozen=True, slots=True)
class A4Document:
    """A simple document: a title, paragraphs (``\\n`` inside one is a line break)."""

    title: str
    paragraphs: tuple[str, ...] = ()
    practice: bool = False


@dataclass(frozen=True, slots=True)
class _Line:
    kind: _Kind
    text: str = ""
    space_before: int = 0


class A4Renderer:
    """Lays out and draws A4 pages at ``dpi`` (150–300; 200 by default)."""

    def __init__(
        self,
        *,
        dpi: int = 200,
        margin_mm: float = 20.0,
        body_pt: float = 12.0,
        title_pt: float = 18.0,
    ) -> None:
        if not 72 <= dpi <= 600:
            raise ValueError("dpi must be between 72 and 600")
        self.dpi = dpi
        self.size_px = (self._px(A4_MM[0]), self._px(A4_MM[1]))
        self.margin_px = self._px(margin_mm)
        self.body_px = round(body_pt * dpi / 72)
        self.title_px = round(title_pt * dpi / 72)

    def _px(self, mm: float) -> int:
        return round(mm / 25.4 * self.dpi)

    # ------------------------------------------------------------------ public
    def render(self, document: A4Document | Pages) -> list[Image.Image]:
        """One greyscale image per page."""
        with FONT_LOCK:
            if isinstance(document, A4Document):
                lines = self._document_lines(document)
                practice = document.practice
            else:
                lines = self._pages_lines(document)
                practice = False
            pages = self._paginate(lines, practice)
            return [
                self._draw(page, number, len(pages), practice)
                for number, page in enumerate(pages, start=1)
            ]

    # ------------------------------------------------------------------ layout
    def _font(self, kind: _Kind) -> ImageFont.FreeTypeFont:
        if kind == "title":
            return load_cjk_font(self.title_px, bold=True)
        return load_cjk_font(self.body_px)

    def _line_height(self, kind: _Kind) -> int:
        size = self.title_px if kind == "title" else self.body_px
        return round(size * 1.6)

    def _usable_width(self) -> int:
        return self.size_px[0] - 2 * self.margin_px

    def _wrap(self, text: str, kind: _Kind) -> list[str]:
        font = self._font(kind)

        def measure(s: str) -> float:
            return float(font.getlength(s))

        return wrap_text(text, self._usable_width(), measure)

    def _document_lines(self, document: A4Document) -> list[_Line]:
        lines: list[_Line] = []
        title = clean_text(document.title, single_line=True).strip()
        if title:
            lines += [_Line("title", t) for t in self._wrap(title, "title")]
        for paragraph in document.paragraphs:
            wrapped = self._wrap(clean_text(paragraph), "body")
            gap = self.body_px // 2 if lines else 0
            for i, text in enumerate(wrapped):
                lines.append(_Line("body", text, gap if i == 0 else 0))
        return lines

    def _pages_lines(self, pages: Pages) -> list[_Line]:
        lines: list[_Line] = []
        for index, page in enumerate(pages):
            if index:
                lines.append(_Line("break"))
            for text in page:
                lines += [_Line("body", t) for t in self._wrap(clean_text(text), "body")]
        return lines

    def _paginate(self, lines: list[_Line], practice: bool) -> list[list[_Line]]:
        top = self.margin_px + (self._line_height("title") if practice else 0)
        bottom = self.size_px[1] - self.margin_px - self._line_height("body")
        pages: list[list[_Line]] = [[]]
        y = top
        for line in lines:
            if line.kind == "break":
                pages.append([])
                y = top
                continue
            height = line.space_before + self._line_height(line.kind)
            if y + height > bottom and pages[-1]:
                pages.append([])
                y = top
            pages[-1].append(line)
            y += height
        return pages

    # ------------------------------------------------------------------ drawing
    def _draw(self, lines: list[_Line], number: int, total: int, practice: bool) -> Image.Image:
        page = Image.new("L", self.size_px, 255)
        draw = ImageDraw.Draw(page)
        width = self.size_px[0]
        y = self.margin_px
        if practice:
            band = self._line_height("title")
            draw.rectangle((self.margin_px, y, width - self.margin_px, y + band - 8), fill=0)
            font = load_cjk_font(self.title_px, bold=True)
            text_w = font.getlength(PRACTICE_BANNER)
            draw.text(((width - text_w) / 2, y + 4), PRACTICE_BANNER, font=font, fill=255)
            y += band
        for line in lines:
            y += line.space_before
            font = self._font(line.kind)
            if line.kind == "title":
                stroke = 0 if has_bold_face() else 1
                x = (width - font.getlength(line.text)) / 2
                draw.text((x, y), line.text, font=font, fill=0, stroke_width=stroke, stroke_fill=0)
            else:
                draw.text((self.margin_px, y), line.text, font=font, fill=0)
            y += self._line_height(line.kind)
        footer = f"第 {number} / {total} 页"
        font = self._font("body")
        draw.text(
            ((width - font.getlength(footer)) / 2, self.size_px[1] - self.margin_px - self.body_px),
            footer,
            font=font,
            fill=0,
        )
        return page


def save_pdf(pages: Sequence[Image.Image], path: Path, *, dpi: int) -> None:
    """Write ``pages`` as a PDF whose page size is their pixel size at ``dpi`` (A4)."""
    if not pages:
        raise ValueError("a document needs at least one page")
    bitmaps = [to_printer_bitmap(page) for page in pages]
    bitmaps[0].save(
        path, format="PDF", save_all=True, append_images=bitmaps[1:], resolution=float(dpi)
    )
