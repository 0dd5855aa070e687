"""Render every picker widget offscreen, in Chinese and English, standard and 长辈模式, to PNG.

``python -m tests.unit.ui.widgets.render [out_dir]`` (default ``/tmp``) writes
``widgets_<widget>-<state>-<mode>-<orientation>[-en].png`` and prints any layout problem found
(item 1/2/3/7/9 checks of :func:`tests.unit.ui.widgets.helpers.layout_problems`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.i18n import I18N_DIR
from kiosk.security.short_codes import new_code
from tests.unit.ui.widgets import samples
from tests.unit.ui.widgets.helpers import (
    MODES,
    ORIENTATIONS,
    Host,
    layout_problems,
)
from tests.unit.ui.widgets.zh_strings import DictTranslator
from ui.widgets.choice_list import ChoiceList
from ui.widgets.code_entry import CodeEntry
from ui.widgets.household_picker import HouseholdPicker
from ui.widgets.phone_entry import PhoneEntry
from ui.widgets.surname_grid import SurnameGrid
from ui.widgets.time_window_picker import TimeWindowPicker


def _household_units(w: HouseholdPicker) -> None:
    w.pages.buttons[2].click()  # 3栋


def _household_floors(w: HouseholdPicker) -> None:
    _household_units(w)
    w.pages.buttons[1].click()  # 2单元 (24 rooms: floors first in any mode)


def _household_rooms(w: HouseholdPicker) -> None:
    w.pages.buttons[1].click()  # 2栋
    w.pages.buttons[0].click()  # 1单元


def _code_error(w: CodeEntry) -> None:
    for d in "1234":
        w.keypad.keys[d].click()
    w.keypad.ok_key.click()


def _code_full(w: CodeEntry) -> None:
    w.set_digits(new_code())


def _phone(w: PhoneEntry) -> None:
    w.set_digits("1381234")


def _phone_error(w: PhoneEntry) -> None:
    w.set_digits("2381234")
    w.keypad.ok_key.click()


def _surname_titles(w: SurnameGrid) -> None:
    w.pages.buttons[0].click()


def _surname_page2(w: SurnameGrid) -> None:
    w.pages.next_button.click()


def _window_step(w: TimeWindowPicker) -> None:
    w.pages.buttons[0].click()


def _window_tomorrow(w: TimeWindowPicker) -> None:
    w.pages.buttons[1].click()


def _nothing(_: QWidget) -> None:
    return None


CASES: list[tuple[str, Callable[[], QWidget], Callable[..., None]]] = [
    ("household-buildings", lambda: HouseholdPicker(samples.homes()), _nothing),
    ("household-units", lambda: HouseholdPicker(samples.homes()), _household_units),
    ("household-floors", lambda: HouseholdPicker(samples.homes()), _household_floors),
    ("household-rooms", lambda: HouseholdPicker(samples.homes()), _household_rooms),
    ("surname-first", SurnameGrid, _nothing),
    ("surname-page2", SurnameGrid, _surname_page2),
    ("surname-titles", SurnameGrid, _surname_titles),
    ("code-empty", CodeEntry, _nothing),
    ("code-error", CodeEntry, _code_error),
    ("code-full", CodeEntry, _code_full),
    ("phone-typing", PhoneEntry, _phone),
    ("phone-error", PhoneEntry, _phone_error),
    ("choice-reasons", lambda: ChoiceList(samples.VISIT_REASONS), _nothing),
    (
        "time-days",
        lambda: TimeWindowPicker(lambda: samples.WEDNESDAY_1330, samples.CST),
        _nothing,
    ),
    (
        "time-today",
        lambda: TimeWindowPicker(lambda: samples.WEDNESDAY_1330, samples.CST),
        _window_step,
    ),
    (
        "time-tomorrow",
        lambda: TimeWindowPicker(lambda: samples.WEDNESDAY_1330, samples.CST),
        _window_tomorrow,
    ),
]


def install_language(app: QApplication, lang: str) -> list[QTranslator]:
    """The shipped catalogue (Keypad's 删除/确定) and, for Chinese, the widgets' own table.

    English needs no table: the source strings are English.
    """
    shipped = QTranslator(app)
    shipped.load(str(I18N_DIR / f"kiosk_{lang}.qm"))
    app.installTranslator(shipped)
    if lang != "zh_CN":
        return [shipped]
    table = DictTranslator()
    app.installTranslator(table)
    return [shipped, table]


def render_all(out: Path, lang: str = "zh_CN") -> list[str]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    installed = install_language(app, lang)
    problems: list[str] = []
    suffix = "" if lang == "zh_CN" else f"-{lang}"
    for name, make, act in CASES:
        for mode in MODES:
            for orientation in ORIENTATIONS:
                widget = make()
                host = Host(widget, mode, orientation)
                host.show()
                host.settle()
                act(widget)
                host.settle()
                shot = f"{name}-{mode}-{orientation}{suffix}"
                problems += [f"{shot}: {p}" for p in layout_problems(host)]
                host.grab().save(str(out / f"widgets_{shot}.png"))
                host.close()
                host.deleteLater()
                app.processEvents()
    for translator in installed:
        app.removeTranslator(translator)
    return problems


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp")
    found = render_all(target, "zh_CN") + render_all(target, "en")
    sys.stdout.write("\n".join(found) + ("\n" if found else "no problems\n"))
