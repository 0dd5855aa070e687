"""Look-ups into the project's assets/ and i18n/ folders."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"


def asset_path(relative: str) -> Path:
    path = ASSETS / relative
    if not path.exists():
        raise FileNotFoundError(f"asset {relative} is missing from {ASSETS}")
    return path
