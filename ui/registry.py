"""Explicit registries of screens and of the feature tiles on the home screen.

A feature that exists registers its tile; nothing is shown for what is not built. The
accessibility audit discovers screens from ``SCREENS``, so a new screen is audited without
touching the test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from ui.screen import Screen

S = TypeVar("S", bound="type[Screen]")

SCREENS: dict[str, type[Screen]] = {}


def register_screen(cls: S) -> S:
    if not cls.screen_id:
        raise ValueError(f"{cls.__name__} has no screen_id")
    if cls.screen_id in SCREENS and SCREENS[cls.screen_id] is not cls:
        raise ValueError(f"screen id {cls.screen_id!r} registered twice")
    SCREENS[cls.screen_id] = cls
    return cls


@dataclass(frozen=True)
class Feature:
    """A home-screen tile.

    Attributes:
        key: Stable identifier.
        source: English label, translated in context "Feature".
        screen_id: Screen the tile opens.
        order: Position on the home screen, smallest first.
        hint: English one-line description, context "Feature".
    """

    key: str
    source: str
    screen_id: str
    order: int
    hint: str = ""

    def label(self) -> str:
        return QCoreApplication.translate("Feature", self.source)

    def hint_text(self) -> str:
        return QCoreApplication.translate("Feature", self.hint) if self.hint else ""


FEATURES: dict[str, Feature] = {}


def register_feature(feature: Feature) -> Feature:
    FEATURES[feature.key] = feature
    return feature


def features() -> list[Feature]:
    return sorted(FEATURES.values(), key=lambda f: (f.order, f.key))


def load_all() -> None:
    """Import every screen module so it registers itself."""
    import ui.screens  # noqa: F401  (import for side effect: registration)


ScreenFactory = Callable[..., "Screen"]
