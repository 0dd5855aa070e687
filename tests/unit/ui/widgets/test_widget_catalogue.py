"""The Chinese table for the new widgets covers exactly the strings lupdate finds in them,
keeps every placeholder, and is what ``zh_strings`` writes out as JSON."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.unit.ui.widgets.zh_strings import ZH, write_json

ROOT = Path(__file__).resolve().parents[4]
WIDGETS = [
    "ui/widgets/choice_list.py",
    "ui/widgets/household_picker.py",
    "ui/widgets/surname_grid.py",
    "ui/widgets/code_entry.py",
    "ui/widgets/phone_entry.py",
    "ui/widgets/time_window_picker.py",
]
PLACEHOLDER = re.compile(r"\{\w+\}")


def _lupdate(tmp_path: Path) -> set[tuple[str, str]]:
    ts = tmp_path / "widgets.ts"
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run(
        [str(lupdate), *WIDGETS, "-ts", str(ts), "-locations", "none"],
        check=True,
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    found: set[tuple[str, str]] = set()
    for context in ET.parse(ts).iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found.add((name, message.findtext("source") or ""))
    return found


def test_table_matches_the_sources(tmp_path: Path) -> None:
    table = {(ctx, src) for ctx, messages in ZH.items() for src in messages}
    found = _lupdate(tmp_path)
    assert found - table == set(), "strings without Chinese"
    assert table - found == set(), "Chinese for strings the code no longer has"


def test_translations_keep_placeholders_and_are_chinese() -> None:
    for messages in ZH.values():
        for source, chinese in messages.items():
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(chinese))
            assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese), chinese
            assert not re.search(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", chinese)), chinese


def test_json_export(tmp_path: Path) -> None:
    path = tmp_path / "zh_widgets.json"
    write_json(path)
    assert json.loads(path.read_text(encoding="utf-8")) == ZH
