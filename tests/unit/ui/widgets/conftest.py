"""Fixtures for the picker widget tests: a screen-sized host per mode, and Chinese text."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.i18n import I18N_DIR
from tests.unit.ui.widgets.helpers import Host
from tests.unit.ui.widgets.zh_strings import DictTranslator

HostFactory = Callable[..., Host]


@pytest.fixture
def host(qtbot: QtBot) -> HostFactory:
    """``host(widget, "elderly", "portrait")``: the widget shown in a themed, screen-sized body."""

    keep: list[Host] = []  # qtbot holds widgets weakly; the host must live as long as the test

    def make(widget: QWidget, mode: str = "standard", orientation: str = "landscape") -> Host:
        h = Host(widget, mode, orientation)
        keep.append(h)
        qtbot.addWidget(h)
        h.show()
        qtbot.waitExposed(h)
        h.settle()
        return h

    return make


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    """The UI in Chinese: the shipped catalogue, and this package's table for the new strings."""
    shipped = QTranslator()
    assert shipped.load(str(I18N_DIR / "kiosk_zh_CN.qm"))
    table = DictTranslator()
    qapp.installTranslator(shipped)
    qapp.installTranslator(table)
    yield
    qapp.removeTranslator(table)
    qapp.removeTranslator(shipped)
