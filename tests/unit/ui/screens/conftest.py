"""The walk-in and invitation screens in Chinese, until their strings are merged into the
catalogue (then the table answers nothing the catalogue does not)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from tests.unit.ui.screens.zh_walkin import DictTranslator, translator


@pytest.fixture(autouse=True)
def walkin_chinese(qapp: QApplication) -> Iterator[DictTranslator]:
    """Installed for every test; a test that switches language takes it out first (it
    answers in Chinese whatever the language)."""
    table = translator()
    qapp.installTranslator(table)
    yield table
    qapp.removeTranslator(table)
