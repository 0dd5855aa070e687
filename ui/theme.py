"""Theme tokens per mode, in physical units, rendered into one Qt style sheet.

Sizes are millimetres converted with the configured pixels-per-mm (ACCESSIBILITY.md: Qt point
sizes are not physical). Colours come from this table, so the accessibility audit can check
contrast from the same source the style sheet is made of, and confirm it on rendered pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import QAbstractButton, QWidget

from ui.resources import asset_path

#: Families tried in order; the first installed one is used. Simplified Chinese faces first:
#: with LANG=C Qt would otherwise pick Japanese glyph shapes from Noto Sans CJK.
FONT_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "Noto Sans SC", "Source Han Sans SC")

TEXT_ROLES = ("title", "heading", "body", "caption", "button", "tile", "bar", "keypad")


@dataclass(frozen=True)
class Palette:
    page_bg: str
    page_fg: str
    muted_fg: str
    card_bg: str
    card_fg: str
    card_border: str
    primary_bg: str
    primary_fg: str
    secondary_bg: str
    secondary_fg: str
    secondary_border: str
    help_bg: str
    help_fg: str
    bar_bg: str
    bar_fg: str
    bar_button_bg: str
    bar_button_border: str
    banner_bg: str
    banner_fg: str
    ok_fg: str
    error_fg: str
    pressed_bg: str
    focus: str
    backdrop: str


@dataclass(frozen=True)
class Tokens:
    """One mode's design tokens. Sizes in millimetres."""

    name: str
    text_mm: dict[str, float]
    target_mm: float
    tile_mm: float
    gap_mm: float
    radius_mm: float
    border_mm: float
    min_contrast: float
    palette: Palette


STANDARD_PALETTE = Palette(
    page_bg="#F3F5F7",
    page_fg="#1B1F24",
    muted_fg="#3D4650",
    card_bg="#FFFFFF",
    card_fg="#1B1F24",
    card_border="#6B7785",
    primary_bg="#0A58A8",
    primary_fg="#FFFFFF",
    secondary_bg="#FFFFFF",
    secondary_fg="#1B1F24",
    secondary_border="#56616D",
    help_bg="#B42318",
    help_fg="#FFFFFF",
    bar_bg="#1F2A37",
    bar_fg="#FFFFFF",
    bar_button_bg="#2F3E52",
    bar_button_border="#9AA8B8",
    banner_bg="#FFD966",
    banner_fg="#1B1F24",
    ok_fg="#0F6B3A",
    error_fg="#A3160C",
    pressed_bg="#D6E4F5",
    focus="#E8A200",
    backdrop="#1B1F24",
)

ELDERLY_PALETTE = Palette(
    page_bg="#FFFFFF",
    page_fg="#000000",
    muted_fg="#1F1F1F",
    card_bg="#FFFFFF",
    card_fg="#000000",
    card_border="#000000",
    primary_bg="#003C78",
    primary_fg="#FFFFFF",
    secondary_bg="#FFFFFF",
    secondary_fg="#000000",
    secondary_border="#000000",
    help_bg="#8A1C12",
    help_fg="#FFFFFF",
    bar_bg="#000000",
    bar_fg="#FFFFFF",
    bar_button_bg="#1A1A1A",
    bar_button_border="#C8C8C8",
    banner_bg="#FFD966",
    banner_fg="#000000",
    ok_fg="#0A4F2A",
    error_fg="#7A0E06",
    pressed_bg="#CCE0FF",
    focus="#B36B00",
    backdrop="#000000",
)

STANDARD = Tokens(
    name="standard",
    text_mm={
        "title": 12.0,
        "heading": 9.5,
        "body": 7.0,
        "caption": 7.0,
        "button": 7.5,
        "tile": 9.5,
        "bar": 7.0,
        "keypad": 10.0,
    },
    target_mm=16.0,
    tile_mm=32.0,
    gap_mm=2.5,
    radius_mm=2.5,
    border_mm=0.75,
    min_contrast=4.5,
    palette=STANDARD_PALETTE,
)

ELDERLY = Tokens(
    name="elderly",
    text_mm={
        "title": 17.0,
        "heading": 13.5,
        "body": 10.0,
        "caption": 10.0,
        "button": 11.0,
        "tile": 14.0,
        "bar": 10.0,
        "keypad": 14.5,
    },
    target_mm=22.0,
    tile_mm=42.0,
    gap_mm=3.0,
    radius_mm=3.0,
    border_mm=1.0,
    min_contrast=7.0,
    palette=ELDERLY_PALETTE,
)


def tokens_for(elderly: bool) -> Tokens:
    return ELDERLY if elderly else STANDARD


def pick_font_family() -> str:
    installed = set(QFontDatabase.families())
    for family in FONT_FAMILIES:
        if family in installed:
            return family
    return "sans-serif"


# ------------------------------------------------------------------ contrast (WCAG 2.x)
def _channel(c: float) -> float:
    c /= 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str | QColor) -> float:
    q = QColor(color)
    return 0.2126 * _channel(q.red()) + 0.7152 * _channel(q.green()) + 0.0722 * _channel(q.blue())


def contrast(a: str | QColor, b: str | QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# ------------------------------------------------------------------ style sheet
class Theme:
    """Turns tokens into pixel sizes and a style sheet for the current mode and text step."""

    def __init__(self, px_per_mm: float, font_family: str) -> None:
        self.px_per_mm = px_per_mm
        self.font_family = font_family
        self.tokens = STANDARD
        self.text_scale = 1.0
        self._template = Template(asset_path("qss/kiosk.qss").read_text(encoding="utf-8"))

    def set_mode(self, *, elderly: bool, text_scale: float = 1.0) -> None:
        self.tokens = tokens_for(elderly)
        self.text_scale = text_scale

    def px(self, mm: float) -> int:
        return round(mm * self.px_per_mm)

    def text_px(self, role: str) -> int:
        return self.px(self.tokens.text_mm[role] * self.text_scale)

    def target_px(self) -> int:
        return self.px(self.tokens.target_mm)

    def tile_px(self) -> int:
        return self.px(self.tokens.tile_mm)

    def gap_px(self) -> int:
        return self.px(self.tokens.gap_mm)

    def style_sheet(self) -> str:
        p = self.tokens.palette
        values: dict[str, object] = {f"{k}": v for k, v in vars(p).items()}
        values.update({f"font_{role}": self.text_px(role) for role in TEXT_ROLES})
        values.update(
            family=self.font_family,
            target=self.target_px(),
            tile=self.tile_px(),
            gap=self.gap_px(),
            radius=self.px(self.tokens.radius_mm),
            border=max(2, self.px(self.tokens.border_mm)),
            focus_width=max(3, self.px(self.tokens.border_mm) + 2),
            pad=self.px(3.0),
        )
        return self._template.substitute(values)

    # -------------------------------------------------------------- for the audit
    def colors_for(self, widget: QWidget) -> tuple[str, str]:
        """(text colour, background colour) the style sheet gives ``widget``."""
        p = self.tokens.palette
        if isinstance(widget, QAbstractButton):
            variant = widget.property("variant") or "secondary"
            return {
                "primary": (p.primary_fg, p.primary_bg),
                "tile": (p.primary_fg, p.primary_bg),
                "help": (p.help_fg, p.help_bg),
                "bar": (p.bar_fg, p.bar_button_bg),
                "secondary": (p.secondary_fg, p.secondary_bg),
                "keypad": (p.secondary_fg, p.secondary_bg),
            }[str(variant)]
        surface = surface_of(widget)
        bg = {
            "page": p.page_bg,
            "card": p.card_bg,
            "bar": p.bar_bg,
            "banner": p.banner_bg,
            "overlay": p.card_bg,
        }[surface]
        role = widget.property("role")
        if role == "status-error":
            return p.error_fg, bg
        if role == "status-ok":
            return p.ok_fg, bg
        fg = {
            "page": p.page_fg,
            "card": p.card_fg,
            "bar": p.bar_fg,
            "banner": p.banner_fg,
            "overlay": p.card_fg,
        }[surface]
        return fg, bg

    def boundary_for(self, widget: QAbstractButton) -> tuple[str, str]:
        """(button edge colour, colour of the surface around it)."""
        p = self.tokens.palette
        parent = widget.parentWidget()
        around = {
            "page": p.page_bg,
            "card": p.card_bg,
            "bar": p.bar_bg,
            "banner": p.banner_bg,
            "overlay": p.card_bg,
        }[surface_of(parent) if parent is not None else "page"]
        variant = str(widget.property("variant") or "secondary")
        edge = {
            "primary": p.primary_bg,
            "tile": p.primary_bg,
            "help": p.bar_button_border,
            "bar": p.bar_button_border,
            "secondary": p.secondary_border,
            "keypad": p.secondary_border,
        }[variant]
        return edge, around


def surface_of(widget: QWidget) -> str:
    w: QWidget | None = widget
    while w is not None:
        s = w.property("surface")
        if s:
            return str(s)
        w = w.parentWidget()
    return "page"
