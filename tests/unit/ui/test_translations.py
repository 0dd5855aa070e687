"""Translations: complete catalogues, loadable .qm files, no English on Chinese screens, and a
language switch that re-labels everything at once (HOUSE-STYLE.md §7.5)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.i18n import I18N_DIR, LANGUAGES
from tests.unit.ui import audit
from ui.app import Kiosk
from ui.dev import translations
from ui.registry import SCREENS, load_all
from ui.screens.admin import AdminScreen

load_all()
SCREEN_IDS = sorted(SCREENS)
OVERLAYS = ["overlay:idle", "overlay:help"]
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
#: Texts shown in brackets after a device state on the admin screen ("正常 (recording
#: simulator)"): the driver's own technical detail for staff, never translated.
_DETAIL = re.compile(r"\s*\([^()]*\)$")

# ---------------------------------------------------------------- (a) catalogues


@pytest.mark.parametrize("lang", translations.LANGS)
def test_catalogue_has_no_unfinished_or_empty_translation(lang: str) -> None:
    assert translations.unfinished(lang) == []


@pytest.mark.parametrize("lang", translations.LANGS)
def test_catalogue_is_up_to_date_with_the_code(lang: str, tmp_path: Path) -> None:
    """lupdate over the sources finds no string the catalogue lacks (nothing new, untranslated).

    Runs on a copy, so the checked-in file is never touched.
    """
    copy = tmp_path / translations.ts_path(lang).name
    shutil.copy(translations.ts_path(lang), copy)
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run(
        [str(lupdate), *translations.sources(), "-ts", str(copy), "-locations", "none"],
        check=True,
        cwd=translations.ROOT,
        capture_output=True,
        timeout=60,
    )
    new = [
        m.findtext("source")
        for m in ET.parse(copy).iter("message")
        if (t := m.find("translation")) is None
        or t.get("type") in ("unfinished", "vanished", "obsolete")
    ]
    assert new == [], f"run `python -m ui.dev.translations update` and translate: {new}"


# ---------------------------------------------------------------- (b) compiled files


KEY_STRINGS = [
    ("TopBar", "Call a volunteer", "呼叫志愿者"),
    ("BottomBar", "Elderly mode", "长辈模式"),
    ("HomeScreen", "Finish and clear my information", "结束使用并清除我的信息"),
    ("Feature", "Community notices", "社区公告"),
    ("MessageOverlay", "OK, got it", "知道了"),
]


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_language_has_a_compiled_file_and_a_locale(lang: str) -> None:
    assert (I18N_DIR / f"kiosk_{lang}.qm").is_file()
    locale = LANGUAGES[lang]
    assert isinstance(locale, QLocale)
    assert locale.name().startswith(lang.split("_")[0])
    if lang == "zh_CN":
        assert locale.name() == "zh_CN"


@pytest.mark.parametrize("qm", sorted(I18N_DIR.glob("kiosk_*.qm")), ids=lambda p: p.stem)
def test_shipped_qm_loads_and_translates_key_strings(qapp: QApplication, qm: Path) -> None:
    lang = qm.stem.removeprefix("kiosk_")
    assert lang in LANGUAGES, f"{qm.name} ships a language the kiosk cannot select"
    translator = QTranslator()
    assert translator.load(str(qm))
    for context, source, chinese in KEY_STRINGS:
        expected = chinese if lang == "zh_CN" else source
        assert translator.translate(context, source) == expected


# ---------------------------------------------------------------- helpers


def _open(kiosk: Kiosk, qtbot: QtBot, mode: str, target: str) -> None:
    audit.enter_mode(kiosk, mode)
    if target == "overlay:idle":
        kiosk.ctx.navigator.go("home")
        kiosk.ctx.idle.warning.emit(25)
    elif target == "overlay:help":
        kiosk.ctx.navigator.go("home")
        kiosk.window.top_bar.help.click()
    else:
        kiosk.ctx.navigator.go(target)
    qtbot.wait(10)  # deferred shows of widgets added to visible layouts


def _in_a_layout(w: QWidget) -> bool:
    """False for a widget taken out of its parent's layout (a table being rebuilt)."""
    parent = w.parentWidget()
    layout = parent.layout() if parent is not None else None
    if layout is None:
        return True

    def contains(lay: QLayout) -> bool:
        for i in range(lay.count()):
            item = lay.itemAt(i)
            if item.widget() is w:
                return True
            inner = item.layout()
            if inner is not None and contains(inner):
                return True
        return False

    return contains(layout)


def _admin_table_cell(kiosk: Kiosk, w: QWidget) -> tuple[int, int] | None:
    """(row, column) if ``w`` is a cell of the admin device table."""
    admin = kiosk.ctx.navigator.screen("admin")
    assert isinstance(admin, AdminScreen)
    index = admin.table.indexOf(w)
    if index < 0:
        return None
    row, column, _, _ = admin.table.getItemPosition(index)
    return row, column


def _latin_words(kiosk: Kiosk, w: QWidget, text: str) -> list[str]:
    """Latin words in ``text`` that the allow-list does not cover.

    The allow-list, kept to what a Chinese-speaking resident never has to read:
    * the language toggle, labelled in the language it switches to ("English");
    * on the admin screen (staff only), in the device table: the driver column
      ("recording", "sqlite") and the bracketed technical detail after a state.
    """
    if w is kiosk.window.bottom_bar.language:
        return [] if text == "English" else LATIN_WORD.findall(text)
    cell = _admin_table_cell(kiosk, w)
    if cell is not None and cell[0] >= 1:
        if cell[1] == 1:
            return []
        if cell[1] == 2:
            text = _DETAIL.sub("", text)
    return LATIN_WORD.findall(text)


def _label_texts(w: QWidget) -> list[str]:
    texts = [w.text()] if isinstance(w, QLabel | QAbstractButton) else []
    if w.accessibleName():
        texts.append(w.accessibleName())
    return [t for t in texts if t.strip()]


# ---------------------------------------------------------------- (c) no English on zh_CN


@pytest.mark.gui
@pytest.mark.parametrize("mode", ["standard", "elderly"])
@pytest.mark.parametrize("target", SCREEN_IDS + OVERLAYS)
def test_chinese_screens_show_no_english(
    kiosk: Kiosk, qtbot: QtBot, target: str, mode: str
) -> None:
    assert kiosk.ctx.language.current == "zh_CN"
    _open(kiosk, qtbot, mode, target)
    problems = []
    for w in audit.visible_widgets(kiosk.window):
        for text in _label_texts(w):
            words = _latin_words(kiosk, w, text)
            if words:
                problems.append(f"{type(w).__name__}({w.objectName()}) {text!r}: {words}")
    screen = kiosk.ctx.navigator.current
    assert screen is not None
    intro = " ".join(screen.spoken_intro())
    if LATIN_WORD.search(intro):
        problems.append(f"spoken intro {intro!r}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- (d) switch at once


@pytest.mark.gui
@pytest.mark.parametrize("mode", ["standard", "elderly"])
@pytest.mark.parametrize("target", SCREEN_IDS)  # an overlay covers the language toggle
def test_switching_to_english_relabels_everything_at_once(
    kiosk: Kiosk, qtbot: QtBot, target: str, mode: str
) -> None:
    _open(kiosk, qtbot, mode, target)
    before = {
        w: _label_texts(w)
        for w in audit.visible_widgets(kiosk.window)
        if not w.property("data_text") and any(audit.has_cjk(t) for t in _label_texts(w))
    }
    assert before, "nothing Chinese on the screen to begin with"

    kiosk.ctx.language.set_language("en")  # and no event processing before looking

    problems = []
    for w, old in before.items():
        if not _in_a_layout(w):
            continue  # replaced by a rebuilt table; its successor is checked below
        new = _label_texts(w)
        if new == old or any(audit.has_cjk(t) for t in new):
            problems.append(f"{type(w).__name__}({w.objectName()}) {old!r} -> {new!r}")
    assert not problems, "\n".join(problems)

    QApplication.processEvents()
    for w in audit.visible_widgets(kiosk.window):
        if w.property("data_text") or w is kiosk.window.bottom_bar.language:
            continue  # data; the toggle is labelled in the language it switches to: 中文
        for text in _label_texts(w):
            assert not audit.has_cjk(text), f"{type(w).__name__} still shows {text!r}"
    assert QCoreApplication.translate("TopBar", "Call a volunteer") == "Call a volunteer"
