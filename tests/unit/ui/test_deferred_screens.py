"""Start-up builds only the screens a visitor may see at once; the rest are built one per
event-loop turn after the first frame, or at once when something asks for them first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hardware.speech.recording import RecordingSpeechEngine
from kiosk.config import Settings
from kiosk.store.db import Database
from kiosk.tasks import InlineRunner
from ui.app import Kiosk, build
from ui.main_window import EAGER_SCREENS
from ui.registry import SCREENS


@pytest.fixture
def deferred(
    qtbot: QtBot, settings: Settings, database: Database, tmp_path: Path
) -> Iterator[Kiosk]:
    k = build(
        settings,
        database=database,
        engine=RecordingSpeechEngine(),
        runner=InlineRunner(),
        demo=True,
        defer_screens=True,
    )
    k.window.resize(settings.display.width_px, settings.display.height_px)
    k.window.show()
    qtbot.waitExposed(k.window)
    yield k
    k.ctx.voice.shutdown()
    k.ctx.language.reset()
    k.ctx.language.uninstall()
    k.window._allow_close = True
    k.window.close()
    k.window.deleteLater()


@pytest.mark.gui
def test_only_the_first_screens_are_built_before_the_first_frame(deferred: Kiosk) -> None:
    built = {s.screen_id for s in deferred.ctx.navigator.screens()}
    assert built == set(EAGER_SCREENS) & set(SCREENS)
    assert len(SCREENS) > len(built)


@pytest.mark.gui
def test_a_screen_asked_for_early_is_built_at_once_and_styled(deferred: Kiosk) -> None:
    nav = deferred.ctx.navigator
    deferred.ctx.session.begin()
    nav.go("notices")
    assert nav.current is not None
    assert nav.current.screen_id == "notices"
    assert nav.current.isVisible()


@pytest.mark.gui
def test_the_rest_are_built_after_the_first_frame(deferred: Kiosk, qtbot: QtBot) -> None:
    deferred.build_screens_soon()
    qtbot.waitUntil(lambda: len(deferred.ctx.navigator.screens()) == len(SCREENS))
    assert {s.screen_id for s in deferred.ctx.navigator.screens()} == set(SCREENS)
