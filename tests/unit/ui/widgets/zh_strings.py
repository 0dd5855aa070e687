"""Chinese for the strings of the picker widgets, until they are merged into i18n/*.ts.

``python -m tests.unit.ui.widgets.zh_strings [path]`` writes them as JSON
(``{"<context>": {"<English source>": "<简体中文>"}}``, default ``/tmp/zh_widgets.json``).
:class:`DictTranslator` lets the tests show the widgets in Chinese from this table; the
catalogue test checks it against what ``pyside6-lupdate`` finds in the widget sources.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Final

from PySide6.QtCore import QTranslator

ZH: Final[dict[str, dict[str, str]]] = {
    "ChoicePages": {
        "Previous page": "上一页",
        "Next page": "下一页",
        "Page {page} of {pages}": "第 {page} 页，共 {pages} 页",
    },
    "StepHeader": {
        "Previous step": "返回上一步",
        "Chosen: {path}": "已选：{path}",
    },
    "HouseholdPicker": {
        "There are no homes to choose.": "暂无可选择的住户。",
        "Choose the building": "请选择楼栋",
        "Choose the unit": "请选择单元",
        "Choose the floor": "请选择楼层",
        "Choose the room": "请选择房号",
        "Unit {unit}": "{unit}单元",
        "Floor {floor}": "{floor}层",
    },
    "SurnameGrid": {
        "Other surname": "其他姓氏",
        "How should we address you?": "请选择称呼",
        "Mr {surname}": "{surname}先生",
        "Ms {surname}": "{surname}女士",
        "Choose your surname": "请选择您的姓氏",
    },
    "CodeEntry": {
        "The number has {total} digits; {missing} more to type.": (
            "号码共{total}位，还差{missing}位，请继续输入。"
        ),
        "The number is not right. Please check it and type it again.": (
            "号码有误，请核对后重新输入"
        ),
    },
    "PhoneEntry": {
        "Skip": "跳过",
        "Please type your mobile number, or press Skip.": "请输入手机号码，或按“跳过”。",
        "A mobile number has 11 digits and starts with 1. Please check it.": (
            "手机号码为11位，以1开头，请核对后重新输入。"
        ),
    },
    "TimeWindowPicker": {
        "Which day will the guest come?": "请选择来访日期",
        "At what time?": "请选择来访时间段",
        "Mon": "周一",
        "Tue": "周二",
        "Wed": "周三",
        "Thu": "周四",
        "Fri": "周五",
        "Sat": "周六",
        "Sun": "周日",
        "{weekday} {day}/{month}": "{month}月{day}日 {weekday}",
        "Today": "今天",
        "Tomorrow": "明天",
        "Day after tomorrow": "后天",
        "Morning": "上午",
        "Afternoon": "下午",
        "Evening": "晚上",
        "All day": "全天",
    },
}


class DictTranslator(QTranslator):
    """Answers from :data:`ZH`; returns nothing for other strings so the next translator can."""

    def __init__(self, table: dict[str, dict[str, str]] = ZH) -> None:
        super().__init__()
        self._table = table

    def translate(
        self,
        context: str,
        sourceText: str,  # noqa: N803 - Qt's argument name
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        return self._table.get(context, {}).get(sourceText)

    def isEmpty(self) -> bool:
        return False


def write_json(path: Path) -> None:
    path.write_text(json.dumps(ZH, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_json(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/zh_widgets.json"))
