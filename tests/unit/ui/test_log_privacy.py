"""A whole visit logged at DEBUG leaves no resident name and no phone number in the log file."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.session import Volunteer
from kiosk.store.demo import DEMO_RESIDENTS, DEMO_VOLUNTEERS
from tests.helpers.logs import installed_log
from ui import navigator as nav
from ui.app import Kiosk

LEFT = Qt.MouseButton.LeftButton
PHONE = re.compile(r"(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Callable[[], str]]:
    yield from installed_log(tmp_path, "DEBUG")


@pytest.mark.gui
def test_a_visit_at_debug_level_logs_no_personal_data(
    debug_log: Callable[[], str], kiosk: Kiosk, qtbot: QtBot
) -> None:
    """The kiosk is built (and the demo community seeded) with DEBUG logging already on."""
    w = kiosk.window
    attract = kiosk.ctx.navigator.current
    qtbot.mouseClick(attract.start, LEFT)  # type: ignore[union-attr]
    qtbot.mouseClick(w.bottom_bar.elderly, LEFT)
    kiosk.ctx.session.sign_in_volunteer(Volunteer(volunteer_id=1, name=DEMO_VOLUNTEERS[0].name))
    home = kiosk.ctx.navigator.current
    qtbot.mouseClick(home.tiles["notices"], LEFT)  # type: ignore[union-attr]
    notices = kiosk.ctx.navigator.current
    qtbot.mouseClick(notices.next, LEFT)  # type: ignore[union-attr]
    qtbot.mouseClick(w.top_bar.help, LEFT)
    qtbot.mouseClick(w.message_overlay.close_button, LEFT)
    qtbot.mouseClick(w.top_bar.home, LEFT)
    qtbot.mouseClick(home.finish, LEFT)  # type: ignore[union-attr]
    assert kiosk.ctx.voice.wait_idle(5)
    assert kiosk.ctx.navigator.current is kiosk.ctx.navigator.screen(nav.ATTRACT)

    text = debug_log()
    # The log really recorded this visit, at DEBUG.
    assert " DEBUG " in text
    for line in ("screen notices", "help requested", "visit wiped"):
        assert line in text
    names = [r.name for r in DEMO_RESIDENTS] + [v.name for v in DEMO_VOLUNTEERS]
    assert [n for n in names if n in text] == []
    assert PHONE.findall(text) == []
