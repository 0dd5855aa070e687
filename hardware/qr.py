"""QR code decoding for the camera scanner (visitor passes, payment codes).

NOTE: Qt-free zone, and pure: :func:`decode_qr` keeps no state, touches no device and is
safe to call from any thread (the scanner calls it from its camera worker, benches call it
directly).

Strategy (figures from ``bench/bench_qr_decode.py`` — rerun it after changing anything here):

1. zxing-cpp on the grey frame, QR Code only (skipping the other formats is what makes it
   ~1 ms instead of ~10 ms on a 1280×720 frame), with zxing's own downscale pass (needed
   for noisy frames) and inverted-symbol pass (light-on-dark screens).
2. Only if that finds nothing: two *local contrast stretches* of the frame,
   ``gain * (grey - box_mean(grey)) + 128``, first with a 61 px window and gain 3, then with
   a 31 px window and gain 8. They turn faint, washed-out or glare-graded codes into
   full-contrast ones that zxing's binarizer accepts. On the synthetic set they lift the
   low-contrast category from about half to all and recover part of the glare category
   (decode rate on the whole set 87 % -> 96 %), for ~1.5 ms each, paid only on frames where
   the first pass found nothing: a 1280×720 frame with no code costs ~4 ms in total.
   Global min-max normalisation and CLAHE were measured too and did less (see the bench).

Text: zxing-cpp is asked for the raw symbol content in ECI protocol form
(``TextMode.HexECI``), so this module sees the bytes and whether the symbol carried an ECI
(a declared character set) and decodes them itself:

* With an ECI, each segment is decoded with the declared charset (UTF-8, GB18030/GB2312,
  Shift_JIS, Big5, ISO-8859-x, ...).
* Without an ECI (the common case: most generators write UTF-8 or legacy GB18030 bytes
  without saying so), the first of these that fits wins:

  1. strict UTF-8 (covers ASCII; a UTF-8 BOM is dropped);
  2. strict GB18030 when most double-byte characters lie in the GB2312 area (lead and
     trail byte 0xA1–0xFE): that is where common hanzi and full-width punctuation live in
     GB2312/GBK/GB18030, and where Shift_JIS kanji almost never are;
  3. strict Shift_JIS: symbols written in QR *Kanji mode* (some generators pick it for
     hanzi that also exist in JIS X 0208) reach us as Shift_JIS bytes;
  4. strict GB18030 (hanzi outside GB2312, e.g. rare names);
  5. ISO-8859-1, the byte-mode default of ISO/IEC 18004 (never fails).

  zxing-cpp's own guess for this case is ISO-8859-1 or Shift_JIS, which turns GB18030
  passes into mojibake; that is why it is not used.

Input contract: ``frame`` is a ``numpy.uint8`` array, 2-D (grey), or 3-D with 1 (grey),
3 (BGR) or 4 (BGRA) channels. Anything else is a caller bug and raises ``ValueError`` with
the offending type/dtype/shape (a camera never produces such frames, so failing loudly beats
silently scanning nothing). A frame with a zero-length dimension returns ``[]``.

Output: the decoded texts, one per distinct payload (identical texts in one frame are
reported once), ordered top-left first (by the top edge, then the left edge of each
symbol). Decoder failures never escape: they are logged at DEBUG level by exception type
only, never with the payload (passes carry names and addresses), and whatever was decoded
so far is returned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

__all__ = ["decode_qr"]

_log = logging.getLogger(__name__)

GreyFrame = npt.NDArray[np.uint8]

# An enum member, not a BarcodeFormats instance: a module-level nanobind instance is reported
# as "leaked" by nanobind at interpreter exit, after pytest's summary line.
_QR_FORMATS: Final = zxingcpp.BarcodeFormat.QRCode

# ECI assignment number -> Python codec (AIM ECI specification). Unknown numbers fall back
# to the heuristic used for symbols without ECI.
_ECI_CODECS: Final[dict[int, str]] = {
    0: "cp437",
    1: "latin-1",
    2: "cp437",
    3: "latin-1",
    4: "iso8859-2",
    5: "iso8859-3",
    6: "iso8859-4",
    7: "iso8859-5",
    8: "iso8859-6",
    9: "iso8859-7",
    10: "iso8859-8",
    11: "iso8859-9",
    12: "iso8859-10",
    13: "iso8859-11",
    15: "iso8859-13",
    16: "iso8859-14",
    17: "iso8859-15",
    18: "iso8859-16",
    20: "shift_jis",
    21: "cp1250",
    22: "cp1251",
    23: "cp1252",
    24: "cp1256",
    25: "utf-16-be",
    26: "utf-8",
    27: "ascii",
    28: "big5",
    29: "gb18030",  # GB2312; GB18030 is its superset
    30: "euc-kr",
    31: "gbk",
    32: "gb18030",
    33: "utf-16-le",
    34: "utf-32-be",
    35: "utf-32-le",
    170: "ascii",
}

# ISO/IEC 15424 symbology identifier modifiers for QR Code that mean "ECI protocol in use".
_ECI_MODIFIERS: Final = frozenset(b"246")


# ---------------------------------------------------------------- public API


def decode_qr(frame: npt.NDArray[np.uint8]) -> list[str]:
    """Decode every QR code in a camera frame.

    ``frame``: ``uint8`` array, ``(h, w)`` grey, or ``(h, w, c)`` with ``c`` = 1 (grey),
    3 (BGR) or 4 (BGRA). Returns the distinct decoded texts, top-left first; ``[]`` when
    there is no readable code or the frame is empty. Raises ``ValueError`` for any other
    input. Never raises because of the decoder. See the module docstring for the strategy
    and the text-decoding rules.
    """
    grey = _to_grey(frame)
    if grey is None:
        return []
    return _decode(grey, _STAGES)


# ---------------------------------------------------------------- input


def _to_grey(frame: object) -> GreyFrame | None:
    """Validate ``frame`` and return a contiguous grey view/copy, or None if it is empty."""
    if not isinstance(frame, np.ndarray):
        raise ValueError(f"decode_qr expects a numpy.ndarray, got {type(frame).__name__}")
    if frame.dtype != np.uint8:
        raise ValueError(f"decode_qr expects a uint8 frame, got dtype {frame.dtype}")
    if frame.ndim == 3 and frame.shape[2] not in (1, 3, 4):
        raise ValueError(
            f"decode_qr expects 1, 3 (BGR) or 4 (BGRA) channels, got shape {frame.shape}"
        )
    if frame.ndim not in (2, 3):
        raise ValueError(f"decode_qr expects a 2-D or 3-D frame, got shape {frame.shape}")
    if frame.size == 0:
        return None
    image: GreyFrame = np.ascontiguousarray(frame)
    if image.ndim == 2:
        return image
    channels = image.shape[2]
    if channels == 1:
        return np.ascontiguousarray(image[:, :, 0])
    code = cv2.COLOR_BGR2GRAY if channels == 3 else cv2.COLOR_BGRA2GRAY
    return np.asarray(cv2.cvtColor(image, code), dtype=np.uint8)


# ---------------------------------------------------------------- decoding stages


def _local_contrast(window: int, gain: float) -> Callable[[GreyFrame], GreyFrame]:
    """``gain * (grey - box_mean(grey, window)) + 128``, saturated to uint8."""

    def stretch(grey: GreyFrame) -> GreyFrame:
        mean = cv2.blur(grey, (window, window))
        return np.asarray(cv2.addWeighted(grey, gain, mean, -gain, 128.0), dtype=np.uint8)

    return stretch


@dataclass(frozen=True, slots=True)
class _Stage:
    """One decoding attempt: an image transform and zxing-cpp options."""

    name: str
    transform: Callable[[GreyFrame], GreyFrame] | None
    try_invert: bool


_PRIMARY: Final = _Stage("zxing", None, try_invert=True)
_FALLBACKS: Final = (
    _Stage("local_contrast_61x3", _local_contrast(61, 3.0), try_invert=False),
    _Stage("local_contrast_31x8", _local_contrast(31, 8.0), try_invert=False),
)
_STAGES: Final[tuple[_Stage, ...]] = (_PRIMARY, *_FALLBACKS)


@dataclass(frozen=True, slots=True)
class _Found:
    top: int
    left: int
    text: str


def _decode(grey: GreyFrame, stages: Sequence[_Stage]) -> list[str]:
    """Run ``stages`` in order until one finds a code; distinct texts, top-left first."""
    found: list[_Found] = []
    for stage in stages:
        try:
            image = grey if stage.transform is None else stage.transform(grey)
            barcodes = zxingcpp.read_barcodes(
                image,
                formats=_QR_FORMATS,  # type: ignore[arg-type]  # converted implicitly
                try_invert=stage.try_invert,
                text_mode=zxingcpp.TextMode.HexECI,
            )
        except Exception as exc:  # a decoder failure must never reach the scanner
            _log.debug("QR stage %s failed: %s", stage.name, type(exc).__name__)
            continue
        for barcode in barcodes:
            try:
                found.append(_found(barcode))
            except Exception as exc:
                _log.debug("QR text decoding failed: %s", type(exc).__name__)
        if found:
            break
    found.sort(key=lambda f: (f.top, f.left))
    return list(dict.fromkeys(f.text for f in found))


def _found(barcode: zxingcpp.Barcode) -> _Found:
    position = barcode.position
    corners = (
        position.top_left,
        position.top_right,
        position.bottom_right,
        position.bottom_left,
    )
    top = min(p.y for p in corners)
    left = min(p.x for p in corners)
    return _Found(top, left, _payload_text(barcode))


# ---------------------------------------------------------------- text


def _payload_text(barcode: zxingcpp.Barcode) -> str:
    """The symbol's text, decoded from its ECI-protocol hex dump (see module docstring)."""
    try:
        stream = bytes.fromhex(barcode.text)
    except ValueError:
        # Not the hex dump we asked for: decode the plain content bytes instead.
        return _decode_unlabelled(barcode.bytes)
    if len(stream) >= 3 and stream[:2] == b"]Q":
        has_eci = stream[2] in _ECI_MODIFIERS
        data = stream[3:]
    else:
        has_eci, data = False, stream
    if not has_eci:
        return _decode_unlabelled(data)
    return "".join(_decode_segment(eci, chunk) for eci, chunk in _eci_segments(data))


def _eci_segments(data: bytes) -> list[tuple[int | None, bytes]]:
    r"""Split ECI-protocol data into (ECI number or None, bytes) runs.

    ``\nnnnnn`` (backslash + 6 digits) switches the character set; ``\\`` is a literal
    backslash.
    """
    segments: list[tuple[int | None, bytes]] = []
    eci: int | None = None
    buf = bytearray()
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == 0x5C:
            if data[i + 1 : i + 2] == b"\\":
                buf.append(0x5C)
                i += 2
                continue
            digits = data[i + 1 : i + 7]
            if len(digits) == 6 and digits.isdigit():
                if buf:
                    segments.append((eci, bytes(buf)))
                    buf.clear()
                eci = int(digits)
                i += 7
                continue
        buf.append(byte)
        i += 1
    if buf:
        segments.append((eci, bytes(buf)))
    return segments


def _decode_segment(eci: int | None, data: bytes) -> str:
    codec = _ECI_CODECS.get(eci) if eci is not None else None
    if codec is None:
        return _decode_unlabelled(data)
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        # The symbol lied about its charset; the heuristic is the best remaining guess.
        return _decode_unlabelled(data)


def _decode_unlabelled(data: bytes) -> str:
    """Decode bytes that came without a declared character set (module docstring, 1–5)."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        pass
    gb_text = _strict(data, "gb18030")
    if gb_text is not None and _mostly_gb2312(gb_text):
        return gb_text
    sjis_text = _strict(data, "shift_jis")
    if sjis_text is not None:
        return sjis_text
    if gb_text is not None:
        return gb_text
    return data.decode("latin-1")


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _mostly_gb2312(text: str) -> bool:
    """True if at least half of the non-ASCII characters are GB2312-area double bytes."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return False
    in_area = 0
    for ch in wide:
        encoded = ch.encode("gb18030")
        if len(encoded) == 2 and encoded[0] >= 0xA1 and encoded[1] >= 0xA1:
            in_area += 1
    return 2 * in_area >= len(wide)
