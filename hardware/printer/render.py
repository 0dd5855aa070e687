"""A slip drawn as a picture: what an 80 mm thermal printer puts on paper.

Used by the simulator (PNG files a person can open) and by the ESC/POS driver for printers
without a Chinese font (``chinese="image"``: the picture is sent as a raster bit image).
576 px is the printable width of 80 mm paper at 203 dpi (384 px for 58 mm); the body font is
24 px, the size of the printer's own font A, and large text / the title are 48 px, the size
of the printer's double-size text.

Texts are cleaned with :func:`~hardware.printer.sanitize.clean_text` here too: bidi controls
would reorder what is drawn just as they would on paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import segno
from PIL import Image, ImageDraw, ImageFont

from hardware.printer.errors import ReceiptContentError
from hardware.printer.fonts import FONT_LOCK, has_bold_face, load_cjk_font
from hardware.printer.sanitize import clean_text
from hardware.printer.textwidth import wrap_text
from hardware.protocols import Receipt

__all__ = [
    "PRACTICE_BANNER",
    "PRACTICE_NOTE",
    "QrEc",
    "SlipRenderer",
    "fit_qr_module_px",
    "qr_image",
    "qr_modules",
    "to_printer_bitmap",
]

QrEc = Literal["L", "M", "Q", "H"]
Align = Literal["left", "center", "right"]

#: The mark every practice (tutorial sandbox) slip carries, on every printer.
PRACTICE_BANNER: Final = "练习 PRACTICE"
PRACTICE_NOTE: Final = "练习用，非正式凭条 / Practice only, not valid"

#: Quiet zone around a QR code, in modules (ISO/IEC 18004 asks for 4).
QR_BORDER_MODULES: Final = 4


def _make_qr(payload: str, ec: QrEc) -> segno.QRCode:
    try:
        return segno.make_qr(payload, error=ec.lower(), encoding="utf-8", boost_error=False)
    except segno.DataOverflowError as exc:
        raise ReceiptContentError("QR payload too long for a QR code") from exc


def qr_modules(payload: str, ec: QrEc) -> int:
    """Modules on a side of the QR code for ``payload`` (without the quiet zone)."""
    width, _ = _make_qr(payload, ec).symbol_size(scale=1, border=0)
    return int(width)


def fit_qr_module_px(payload: str, ec: QrEc, *, wanted: int, max_px: int) -> int:
    """The module size (dots) closest to ``wanted`` at which the code still fits ``max_px``."""
    modules = qr_modules(payload, ec)
    fitting = max_px // (modules + 2 * QR_BORDER_MODULES)
    if fitting < 1:
        raise ReceiptContentError("QR payload too long for the paper width")
    return max(1, min(wanted, fitting))


def qr_image(
    payload: str, *, module_px: int, ec: QrEc, border: int = QR_BORDER_MODULES
) -> Image.Image:
    """Black-on-white ``L`` image of the QR code, ``module_px`` pixels a module."""
    matrix: Sequence[Sequence[int]] = _make_qr(payload, ec).matrix
    size = len(matrix)
    side = size + 2 * border
    image = Image.new("L", (side, side), 255)
    pixels = image.load()
    assert pixels is not None
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                pixels[x + border, y + border] = 0
    return image.resize((side * module_px, side * module_px), Image.Resampling.NEAREST)


def to_printer_bitmap(image: Image.Image) -> Image.Image:
    """``image`` as 1-bit black/white with a hard threshold (no dithering: crisp text)."""
    grey = image.convert("L")
    return grey.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)


@dataclass(frozen=True, slots=True)
class _Style:
    size_px: int
    bold: bool = False
    align: Align = "left"
    invert: bool = False


class SlipRenderer:
    """Draws a :class:`~hardware.protocols.Receipt` the way the receipt printer lays it out."""

    def __init__(
        self,
        width_px: int = 576,
        *,
        margin_px: int = 8,
        body_px: int = 24,
        qr_module_px: int = 6,
        qr_ec: QrEc = "M",
        cut_mark: bool = False,
    ) -> None:
        if width_px < 8 * body_px:
            raise ValueError("width_px too small for the body font")
        self.width_px = width_px
        self.margin_px = margin_px
        self.body_px = body_px
        self.large_px = 2 * body_px
        self.qr_module_px = qr_module_px
        self.qr_ec: QrEc = qr_ec
        self.cut_mark = cut_mark

    # ------------------------------------------------------------------ public
    def render(self, receipt: Receipt) -> Image.Image:
        """The slip as a greyscale (``L``) image, ``width_px`` wide, white paper."""
        with FONT_LOCK:
            rows = self._rows(receipt)
        height = sum(row.height for row in rows)
        slip = Image.new("L", (self.width_px, height), 255)
        y = 0
        for row in rows:
            slip.paste(row, (0, y))
            y += row.height
        return slip

    # ------------------------------------------------------------------ layout
    def _rows(self, receipt: Receipt) -> list[Image.Image]:
        rows: list[Image.Image] = [self._gap(self.margin_px)]
        if receipt.practice:
            rows += self._banner()
        title = clean_text(receipt.title, single_line=True)
        if title:
            rows += self._text(title, _Style(self.large_px, bold=True, align="center"))
            rows.append(self._rule())
        for line in receipt.lines:
            size = self.large_px if line.large else self.body_px
            rows += self._text(clean_text(line.text), _Style(size, line.bold, line.align))
        payload = clean_text(receipt.qr) if receipt.qr is not None else ""
        if payload:
            rows.append(self._gap(self.body_px // 2))
            rows.append(self._qr(payload))
        caption = clean_text(receipt.qr_caption, single_line=True)
        if caption:
            rows += self._text(caption, _Style(self.body_px, align="center"))
        footer = clean_text(receipt.footer)
        if footer:
            rows.append(self._gap(self.body_px // 2))
            rows += self._text(footer, _Style(self.body_px, align="center"))
        if receipt.practice:
            rows.append(self._gap(self.body_px // 2))
            rows += self._banner()
        rows.append(self._gap(self.body_px * 2))
        if self.cut_mark:
            rows.append(self._rule(dashed=True))
        return rows

    def _banner(self) -> list[Image.Image]:
        rows = self._text(
            PRACTICE_BANNER, _Style(self.large_px, bold=True, align="center", invert=True)
        )
        rows += self._text(PRACTICE_NOTE, _Style(self.body_px, align="center"))
        return rows

    def _gap(self, height: int) -> Image.Image:
        return Image.new("L", (self.width_px, max(1, height)), 255)

    def _rule(self, *, dashed: bool = False) -> Image.Image:
        row = self._gap(self.body_px // 2 + 2)
        draw = ImageDraw.Draw(row)
        y = row.height // 2
        if dashed:
            for x in range(0, self.width_px, 16):
                draw.line((x, y, x + 8, y), fill=0, width=2)
        else:
            draw.line((self.margin_px, y, self.width_px - self.margin_px, y), fill=0, width=2)
        return row

    def _qr(self, payload: str) -> Image.Image:
        module_px = fit_qr_module_px(
            payload, self.qr_ec, wanted=self.qr_module_px, max_px=self.width_px
        )
        code = qr_image(payload, module_px=module_px, ec=self.qr_ec)
        row = self._gap(code.height)
        row.paste(code, ((self.width_px - code.width) // 2, 0))
        return row

    def _text(self, text: str, style: _Style) -> list[Image.Image]:
        font = load_cjk_font(style.size_px, bold=style.bold)
        fake_bold = style.bold and not has_bold_face()
        stroke = 1 if fake_bold else 0
        usable = self.width_px - 2 * self.margin_px

        def measure(s: str) -> float:
            return float(font.getlength(s)) + 2 * stroke

        ascent, descent = font.getmetrics()
        line_height = ascent + descent + style.size_px // 6
        rows: list[Image.Image] = []
        for line in wrap_text(text, usable, measure):
            rows.append(self._text_row(line, font, style, line_height, stroke))
        return rows

    def _text_row(
        self,
        line: str,
        font: ImageFont.FreeTypeFont,
        style: _Style,
        line_height: int,
        stroke: int,
    ) -> Image.Image:
        ink, paper = (255, 0) if style.invert else (0, 255)
        row = Image.new("L", (self.width_px, line_height), paper)
        draw = ImageDraw.Draw(row)
        width = float(font.getlength(line)) + 2 * stroke
        if style.align == "center":
            x = (self.width_px - width) / 2
        elif style.align == "right":
            x = self.width_px - self.margin_px - width
        else:
            x = float(self.margin_px)
        draw.text(
            (x + stroke, style.size_px // 12),
            line,
            font=font,
            fill=ink,
            stroke_width=stroke,
            stroke_fill=ink,
        )
        return row
