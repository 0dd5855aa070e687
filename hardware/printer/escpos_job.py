"""ESC/POS bytes for one slip, and the meaning of the printer's real-time status bytes.

Pure: nothing here opens a device. The job is assembled with python-escpos' ``Dummy`` printer
for the printer profile in use (so style, QR and cut commands are exactly python-escpos'),
but text never goes through python-escpos' ``text()``: its "magic" encoder sends hanzi as
GB18030 without switching the printer to Chinese mode and turns full-width characters in
lines without hanzi into ``?`` (MACHINE.md). Text is cleaned, wrapped and encoded here and
written raw.

Layout of a job in ``gb18030`` mode::

    ESC @                      initialise (the only one in the job)
    FS &                       Chinese character mode on
    [banner]                   practice slips: 练习 PRACTICE, reversed, double size
    ESC a 1, ESC E 1, GS ! 11  title: centred, bold, double width and height
    ... lines ...              per ReceiptLine: ESC a n, ESC E n, GS ! n, then wrapped text + LF
    GS ( k ...                 QR code (model 2, module size, error level, data, print)
    ... caption, footer, banner
    ESC d 6, GS V 1            feed and partial cut (what the profile supports)

In ``image`` mode the whole slip is drawn by :class:`~hardware.printer.render.SlipRenderer`
and sent as ``GS v 0`` raster blocks between ``ESC @`` and the cut.

Real-time commands (``DLE EOT``, ``DLE ENQ``, ``DLE DC4``) are executed by many printers even
inside another command's data. Text cannot contain them (cleaned text has no DLE); raster
data and ``GS ( k`` length bytes are checked: a DLE that would form one is cleared (one dot
of a picture) or the QR code is sent as a picture instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final, Literal

from escpos.printer import Dummy
from PIL import Image

from hardware.printer.render import (
    PRACTICE_BANNER,
    PRACTICE_NOTE,
    QrEc,
    SlipRenderer,
    fit_qr_module_px,
    qr_image,
    to_printer_bitmap,
)
from hardware.printer.sanitize import clean_text, encode_gb18030, printable_text
from hardware.printer.textwidth import wrap_text
from hardware.protocols import DeviceState, DeviceStatus, Receipt, ReceiptLine

__all__ = [
    "DOTS_PER_COLUMN",
    "ChineseMode",
    "JobOptions",
    "build_job",
    "decode_status",
    "is_valid_status_byte",
    "raster_commands",
    "scrub_realtime",
]

ChineseMode = Literal["gb18030", "image"]
_Align = Literal["left", "center", "right"]

#: Font A is 12 dots wide: 48 columns = 576 dots (80 mm), 32 columns = 384 dots (58 mm).
DOTS_PER_COLUMN: Final = 12
#: Rows of one ``GS v 0`` block: small blocks suit small printer buffers and keep the height
#: bytes below 0x02, so a header can never read as a real-time command.
RASTER_BLOCK_ROWS: Final = 256

ESC: Final = b"\x1b"
GS: Final = b"\x1d"
FS: Final = b"\x1c"
DLE: Final = b"\x10"
LF: Final = b"\n"
INIT: Final = ESC + b"@"
CHINESE_ON: Final = FS + b"&"
#: Second bytes that make ``DLE x`` a real-time command (EOT status, ENQ request, DC4 pulse).
REALTIME_SECOND_BYTES: Final = frozenset({0x04, 0x05, 0x14})
_REALTIME_DLE: Final = re.compile(rb"\x10(?=[\x04\x05\x14])")
_QR_EC_LEVEL: Final[dict[QrEc, int]] = {"L": 0, "M": 1, "Q": 2, "H": 3}


@dataclass(frozen=True, slots=True)
class JobOptions:
    """How a slip becomes bytes; see :class:`EscPosReceiptPrinter` for the meaning."""

    profile: str = "default"
    width_chars: int = 48
    chinese: ChineseMode = "gb18030"
    qr_native: bool = True
    qr_size: int = 6
    qr_ec: QrEc = "M"
    four_byte_gb18030: bool = True

    @property
    def width_px(self) -> int:
        return self.width_chars * DOTS_PER_COLUMN


# ---------------------------------------------------------------------------- status bytes
def is_valid_status_byte(value: int) -> bool:
    """Real-time status bytes have bits 0 and 7 clear and bits 1 and 4 set."""
    return (value & 0x93) == 0x12


def decode_status(offline_cause: int, paper: int) -> DeviceStatus:
    """The state from the answers to ``DLE EOT 2`` (offline cause) and ``DLE EOT 4`` (paper).

    Bytes that are not status bytes give UNKNOWN: a wrong answer means nothing is known.
    A cover-open printer is ERROR even when it also reports no paper (with the cover open
    the paper sensor is unreliable, and the cover must be closed first).
    """
    for value in (offline_cause, paper):
        if not is_valid_status_byte(value):
            return DeviceStatus(DeviceState.UNKNOWN, f"invalid status byte 0x{value:02x}")
    if offline_cause & 0x04:
        return DeviceStatus(DeviceState.ERROR, "cover open")
    if paper & 0x60 or offline_cause & 0x20:
        return DeviceStatus(DeviceState.PAPER_OUT, "paper end")
    if offline_cause & 0x40:
        return DeviceStatus(DeviceState.ERROR, "printer error")
    if paper & 0x0C:
        return DeviceStatus(DeviceState.PAPER_LOW, "paper near end")
    if offline_cause & 0x08:
        return DeviceStatus(DeviceState.BUSY, "paper feed button pressed")
    return DeviceStatus(DeviceState.READY, "")


# ---------------------------------------------------------------------------- raster
def scrub_realtime(data: bytes) -> bytes:
    """``data`` with every DLE that starts a real-time command cleared to 0x00."""
    return _REALTIME_DLE.sub(b"\x00", data)


def raster_commands(image: Image.Image, *, block_rows: int = RASTER_BLOCK_ROWS) -> bytes:
    """``GS v 0`` commands printing ``image`` (any mode; thresholded to black and white)."""
    # Ink = 1: the inverse of Pillow's "1" mode, where 1 is white; rows are padded with 0.
    ink = to_printer_bitmap(image).point(lambda v: 0 if v else 255).convert("1")
    width_bytes = (ink.width + 7) // 8
    out = bytearray()
    for top in range(0, ink.height, block_rows):
        block = ink.crop((0, top, ink.width, min(ink.height, top + block_rows)))
        out += GS + b"v0\x00" + _low_high(width_bytes) + _low_high(block.height)
        out += scrub_realtime(block.tobytes())
    return bytes(out)


def _low_high(value: int) -> bytes:
    return bytes((value & 0xFF, (value >> 8) & 0xFF))


# ---------------------------------------------------------------------------- the job
class _JobWriter:
    """One job being assembled on a python-escpos ``Dummy`` printer."""

    def __init__(self, options: JobOptions, renderer: SlipRenderer | None) -> None:
        self.options = options
        self.renderer = renderer
        self.device: Any = Dummy(profile=options.profile)

    @property
    def output(self) -> bytes:
        data: bytes = self.device.output
        return data

    def raw(self, data: bytes) -> None:
        self.device._raw(data)

    def style(
        self,
        *,
        align: _Align = "left",
        bold: bool = False,
        large: bool = False,
        invert: bool = False,
    ) -> None:
        size = 2 if large else 1
        self.device.set(
            align=align, bold=bold, invert=invert, custom_size=True, width=size, height=size
        )

    def text(self, text: str, *, large: bool = False) -> None:
        """Wrapped, encoded text, each line ended by LF (``text`` already cleaned)."""
        columns = self.options.width_chars // 2 if large else self.options.width_chars
        for line in wrap_text(text, columns):
            self.raw(encode_gb18030(line, four_byte=self.options.four_byte_gb18030) + LF)

    def line(self, line: ReceiptLine) -> None:
        self.style(align=line.align, bold=line.bold, large=line.large)
        self.text(printable_text(line.text), large=line.large)

    def banner(self) -> None:
        self.style(align="center", bold=True, large=True, invert=True)
        self.text(f" {PRACTICE_BANNER} ", large=True)
        self.style(align="center")
        self.text(PRACTICE_NOTE)

    def qr(self, payload: str) -> None:
        opts = self.options
        module_px = fit_qr_module_px(payload, opts.qr_ec, wanted=opts.qr_size, max_px=opts.width_px)
        native = opts.qr_native and bool(self.device.profile.supports("qrCode"))
        # The store command's length bytes pL pH must not read as DLE EOT/ENQ/DC4.
        store_length = len(payload.encode("utf-8")) + 3
        if (store_length & 0xFF) == 0x10 and (store_length >> 8) in REALTIME_SECOND_BYTES:
            native = False
        self.style(align="center")
        if native:
            self.device.qr(
                payload, ec=_QR_EC_LEVEL[opts.qr_ec], size=min(16, module_px), native=True
            )
            self.raw(LF)
            return
        code = qr_image(payload, module_px=module_px, ec=opts.qr_ec)
        row = Image.new("L", (opts.width_px, code.height), 255)
        row.paste(code, ((opts.width_px - code.width) // 2, 0))
        self.raw(raster_commands(row))

    def cut(self) -> None:
        self.device.cut(mode="PART")


def build_job(receipt: Receipt, options: JobOptions, renderer: SlipRenderer | None = None) -> bytes:
    """The complete ESC/POS job for ``receipt``.

    Raises :class:`~hardware.printer.errors.ReceiptContentError` for a QR payload no QR code
    can hold, :class:`~hardware.printer.errors.FontMissingError` in image mode without a CJK
    font.
    """
    writer = _JobWriter(options, renderer)
    writer.raw(INIT)
    if options.chinese == "image":
        slip_renderer = renderer or SlipRenderer(
            options.width_px, qr_module_px=options.qr_size, qr_ec=options.qr_ec
        )
        writer.raw(raster_commands(slip_renderer.render(receipt)))
        writer.cut()
        return writer.output
    if options.chinese != "gb18030":
        raise ValueError(f"unknown chinese mode {options.chinese!r}")
    writer.raw(CHINESE_ON)
    if receipt.practice:
        writer.banner()
    title = printable_text(clean_text(receipt.title, single_line=True))
    if title:
        writer.style(align="center", bold=True, large=True)
        writer.text(title, large=True)
        writer.style()
        writer.text("-" * options.width_chars)
    for line in receipt.lines:
        writer.line(line)
    payload = clean_text(receipt.qr) if receipt.qr is not None else ""
    if payload:
        writer.style()
        writer.raw(LF)
        writer.qr(payload)
    caption = printable_text(clean_text(receipt.qr_caption, single_line=True))
    if caption:
        writer.style(align="center")
        writer.text(caption)
    footer = printable_text(receipt.footer)
    if footer:
        writer.style(align="center")
        writer.raw(LF)
        writer.text(footer)
    if receipt.practice:
        writer.raw(LF)
        writer.banner()
    writer.style()
    writer.cut()
    return writer.output
