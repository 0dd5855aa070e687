"""Every picker widget in every state, mode, orientation and language fits a screen's body:
targets ≥ 20 mm (长辈模式) / 11.6 mm, 2 mm apart, nothing cut off or outside, glyphs big
enough (ACCESSIBILITY.md items 1, 2, 3, 5, 7, 9). The same cases render the PNG pictures
(``python -m tests.unit.ui.widgets.render``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QWidget

from tests.unit.ui.widgets import render
from tests.unit.ui.widgets.conftest import HostFactory
from tests.unit.ui.widgets.helpers import MODES, ORIENTATIONS, Host, layout_problems

pytestmark = pytest.mark.gui

CASES = {name: (make, act) for name, make, act in render.CASES}


def _check(host: HostFactory, name: str, mode: str, orientation: str) -> Host:
    make, act = CASES[name]
    widget: QWidget = make()
    h = host(widget, mode, orientation)
    act(widget)
    assert layout_problems(h) == []
    return h


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize("orientation", ORIENTATIONS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_fits_in_chinese(host: HostFactory, name: str, mode: str, orientation: str) -> None:
    h = _check(host, name, mode, orientation)
    # No English left on a Chinese screen (digits, times and dashes are fine).
    for w in h.findChildren(QWidget):
        text = getattr(w, "text", None)
        if callable(text) and w.isVisible():
            value = text()
            assert isinstance(value, str)
            assert not any("a" <= c.lower() <= "z" for c in value), value


@pytest.mark.parametrize("orientation", ORIENTATIONS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_fits_in_english(host: HostFactory, name: str, mode: str, orientation: str) -> None:
    _check(host, name, mode, orientation)


def test_every_case_acts(host: HostFactory) -> None:
    """The render cases really reach the state they are named after."""
    make: Callable[[], QWidget]
    make, act = CASES["household-floors"]
    widget = make()
    host(widget, "elderly")
    act(widget)
    assert widget.current_step() == "floor"  # type: ignore[attr-defined]


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize("name", sorted(CASES))
def test_switching_mode_on_screen_refits(host: HostFactory, name: str) -> None:
    """长辈模式 switched on and off while the widget is shown (theme re-applied at run time)."""
    h = _check(host, name, "standard", "landscape")
    h.switch("elderly")
    assert layout_problems(h) == []
    h.switch("standard")
    assert layout_problems(h) == []
