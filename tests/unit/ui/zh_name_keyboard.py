"""Chinese for the full-name keyboard and its screen, until they are merged into i18n/*.ts.

``python -m tests.unit.ui.zh_name_keyboard [path]`` writes them as JSON
(``{"<context>": {"<English source>": "<简体中文>"}}``, default ``/tmp/zh_namekb.json``).
:func:`translator` shows the keyboard in Chinese in the tests; a test checks the table
against what ``pyside6-lupdate`` finds in the two source files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Final

from tests.unit.ui.widgets.zh_strings import DictTranslator

SOURCES: Final = ("ui/widgets/name_keyboard.py", "ui/screens/walkin_fullname.py")

ZH: Final[dict[str, dict[str, str]]] = {
    "NameKeyboard": {
        "Previous page": "上一页",
        "Next page": "下一页",
        "Delete": "删除",
        "Clear": "清空",
        "Cancel": "取消",
        "Done": "完成",
        "Deleted": "已删除",
        "Cleared": "已清空",
        "At most {n} characters": "最多{n}个字",
        "Choose a character first": "请先点选汉字",
        "No pinyin starts like this": "没有这样的拼音",
        "The name is too long": "姓名太长了",
        "Space": "空格",
        "Name dot": "间隔号",
        "Dot ·": "间隔号·",
        "Clear the name first": "请先清空姓名",
        "English letters": "英文字母",
        "Pinyin": "拼音",
        "English": "英文",
        "Please type your name": "请输入姓名",
        "At least {n} letters": "至少{n}个字母",
        "At least {n} characters": "至少{n}个字",
        "Please check the name": "请核对姓名",
        "Type in pinyin": "改用拼音输入",
        "Type English letters": "改用英文字母输入",
        "Touch a character": "请点选汉字",
        "Type the letters": "请输入字母",
        "Type the pinyin": "请输入拼音",
    },
    "WalkInFullNameScreen": {
        "Type your name": "输入姓名",
        (
            "Type the pinyin of each character of your name, then touch the character. "
            "For a name in English letters, touch English first."
        ): "请逐字输入姓名的拼音，再点选对应的汉字。外文姓名请先点“英文”。",
    },
}


def translator() -> DictTranslator:
    return DictTranslator(ZH)


def write_json(path: Path) -> None:
    path.write_text(json.dumps(ZH, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_json(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/zh_namekb.json"))
