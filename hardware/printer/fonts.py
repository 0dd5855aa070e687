"""Finding a Simplified Chinese font for slips and A4 pages rendered as images.

Asks fontconfig (``fc-match``) for each preferred family and accepts the answer only when the
family really matches (fc-match always answers, with DejaVu if nothing fits). For a
collection (``.ttc``) the face index of the SC face is taken from fontconfig: Noto Sans CJK
holds JP, KR, SC, TC and HK faces in one file, and the JP face draws 直 骨 门 the Japanese
way. Without fontconfig a few well-known Debian paths are tried.

Debian packages: ``fonts-noto-cjk`` (Noto Sans CJK SC, preferred) or ``fonts-wqy-microhei``.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PIL import ImageFont

from hardware.printer.errors import FontMissingError

__all__ = [
    "CJK_FAMILIES",
    "FONT_LOCK",
    "FontFile",
    "find_cjk_font",
    "has_bold_face",
    "load_cjk_font",
]

_log = logging.getLogger(__name__)

#: Held while drawing with the shared (cached) FreeType faces: one face must not be used by
#: two threads at once.
FONT_LOCK: Final = threading.Lock()

#: Preferred families, best first.
CJK_FAMILIES: Final = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans SC",
)

_KNOWN_FILES: Final = (
    # (regular, bold, face index of the SC face)
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        2,
    ),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "", 0),
)

_MISSING_HINT: Final = (
    "no Simplified Chinese font found; install the Debian package fonts-noto-cjk "
    "(or fonts-wqy-microhei)"
)


@dataclass(frozen=True, slots=True)
class FontFile:
    """A font file and the face to use in it."""

    path: Path
    index: int
    family: str
    bold: bool


def _fc_match(pattern: str) -> tuple[str, int, str, str] | None:
    binary = shutil.which("fc-match")
    if binary is None:
        return None
    try:
        result = subprocess.run(
            [binary, "-f", "%{file}\t%{index}\t%{family}\t%{style}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        _log.warning("fc-match failed: %s", type(exc).__name__)
        return None
    parts = result.stdout.split("\t")
    if result.returncode != 0 or len(parts) != 4:
        return None
    path, index, family, style = parts
    try:
        return path, int(index or 0), family, style
    except ValueError:
        return None


@functools.lru_cache(maxsize=4)
def find_cjk_font(*, bold: bool = False) -> FontFile | None:
    """The best installed CJK font (bold face when asked and available), or None."""
    for family in CJK_FAMILIES:
        pattern = f"{family}:style=Bold" if bold else family
        found = _fc_match(pattern)
        if found is None:
            continue
        path, index, families, style = found
        if family.lower() not in (name.strip().lower() for name in families.split(",")):
            continue
        is_bold = "bold" in style.lower()
        if bold and not is_bold:
            continue
        if Path(path).is_file():
            return FontFile(Path(path), index, family, is_bold)
    for regular, bold_file, index in _KNOWN_FILES:
        candidate = bold_file if bold else regular
        if candidate and Path(candidate).is_file():
            return FontFile(Path(candidate), index, Path(candidate).stem, bold)
    return None


@functools.lru_cache(maxsize=64)
def load_cjk_font(size_px: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """A CJK font at ``size_px`` pixels; the regular face stands in for a missing bold one
    (callers then embolden with a stroke). Raises :class:`FontMissingError`."""
    found = find_cjk_font(bold=bold) or (find_cjk_font(bold=False) if bold else None)
    if found is None:
        raise FontMissingError(_MISSING_HINT)
    try:
        return ImageFont.truetype(str(found.path), size_px, index=found.index)
    except OSError as exc:
        raise FontMissingError(f"cannot load font {found.path.name}: {exc}") from exc


def has_bold_face() -> bool:
    """Whether a real bold CJK face is installed."""
    return find_cjk_font(bold=True) is not None
