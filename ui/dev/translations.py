"""Maintain i18n/*.ts: ``python -m ui.dev.translations update|check``.

``update`` runs pyside6-lupdate over kiosk/, ui/ and hardware/ into every .ts file (keeping
existing translations, dropping obsolete ones) and, for English, whose source strings are
already English, marks every message translated as itself. ``check`` lists unfinished
messages and exits non-zero when there are any.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "i18n"
LANGS = ("zh_CN", "en")


def sources() -> list[str]:
    files = []
    for pkg in ("kiosk", "ui", "hardware"):
        files += [
            str(p.relative_to(ROOT))
            for p in sorted((ROOT / pkg).rglob("*.py"))
            if "migrations" not in p.parts
        ]
    return files


def ts_path(lang: str) -> Path:
    return I18N / f"kiosk_{lang}.ts"


def update() -> None:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    for lang in LANGS:
        subprocess.run(
            [
                str(lupdate),
                *sources(),
                "-ts",
                str(ts_path(lang)),
                "-no-obsolete",
                "-locations",
                "none",
                "-target-language",
                lang,
            ],
            check=True,
            cwd=ROOT,
        )
    fill_english()


def fill_english() -> None:
    path = ts_path("en")
    tree = ET.parse(path)
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        if translation.get("type") == "unfinished" or not (translation.text or ""):
            translation.text = source
            translation.attrib.pop("type", None)
    write(tree, path)


def write(tree: ET.ElementTree[ET.Element], path: Path) -> None:
    root = tree.getroot()
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )


def unfinished(lang: str) -> list[tuple[str, str]]:
    tree = ET.parse(ts_path(lang))
    missing = []
    for context in tree.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if (
                translation is None
                or translation.get("type") in ("unfinished", "vanished", "obsolete")
                or not (translation.text or "").strip()
            ):
                missing.append((name, message.findtext("source") or ""))
    return missing


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["update", "check"])
    args = parser.parse_args()
    if args.command == "update":
        update()
    bad = 0
    for lang in LANGS:
        for context, source in unfinished(lang):
            bad += 1
            print(f"{lang}: unfinished [{context}] {source!r}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
