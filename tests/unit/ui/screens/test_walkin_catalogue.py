"""The Chinese table of the walk-in and invitation screens covers every string lupdate finds in
them, keeps every placeholder, and is what ``zh_walkin`` writes out as JSON."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from kiosk import prompts
from kiosk.prompts import Prompt
from tests.unit.ui.screens.zh_walkin import ZH, write_json

ROOT = Path(__file__).resolve().parents[4]
#: Every string of these is new.
NEW = ["ui/screens/walkin.py", "ui/screens/invite.py", "kiosk/flows/walkin.py"]
#: Only some strings of these are ours: 没有通行码, and the WALKIN_/INVITE_ prompts.
SHARED = ["ui/screens/checkin.py", "kiosk/prompts.py"]
PLACEHOLDER = re.compile(r"\{\w+\}")


def _lupdate(tmp_path: Path, sources: list[str], name: str) -> set[tuple[str, str]]:
    ts = tmp_path / f"{name}.ts"
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run(
        [str(lupdate), *sources, "-ts", str(ts), "-locations", "none"],
        check=True,
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    found: set[tuple[str, str]] = set()
    for context in ET.parse(ts).iter("context"):
        context_name = context.findtext("name") or ""
        for message in context.iter("message"):
            found.add((context_name, message.findtext("source") or ""))
    return found


def test_table_covers_the_sources(tmp_path: Path) -> None:
    table = {(ctx, src) for ctx, messages in ZH.items() for src in messages}
    new = _lupdate(tmp_path, NEW, "new")
    shared = _lupdate(tmp_path, SHARED, "shared")
    assert new - table == set(), "strings without Chinese"
    assert table - new - shared == set(), "Chinese for strings the code does not have"
    assert ("CheckInScreen", "No pass? Register") in table


def test_every_walk_in_and_invitation_prompt_is_in_the_table() -> None:
    ours = [
        value
        for name, value in vars(prompts).items()
        if name.startswith(("WALKIN_", "INVITE_")) and isinstance(value, Prompt)
    ]
    assert len(ours) >= 14
    for prompt in ours:
        assert prompt.source in ZH["Prompt"], prompt.source


def test_translations_keep_placeholders_and_are_chinese() -> None:
    for messages in ZH.values():
        for source, chinese in messages.items():
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(chinese))
            assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese), chinese
            assert not re.search(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", chinese)), chinese


def test_json_export(tmp_path: Path) -> None:
    path = tmp_path / "zh_walkin.json"
    write_json(path)
    assert json.loads(path.read_text(encoding="utf-8")) == ZH
