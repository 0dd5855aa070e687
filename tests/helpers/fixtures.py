"""Shared fixtures: settings in a temp dir, a store, a recording voice, a built kiosk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from hardware.speech.recording import RecordingSpeechEngine
from kiosk.config import Settings, load_settings
from kiosk.store.db import Database
from kiosk.tasks import InlineRunner
from ui.app import Kiosk, build


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        None,
        overrides={
            "paths.data_dir": str(tmp_path / "data"),
            "paths.log_dir": str(tmp_path / "log"),
            "voice.engine": "recording",
            "display.fullscreen": False,
        },
    )


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'kiosk.db'}")
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture
def speech() -> RecordingSpeechEngine:
    return RecordingSpeechEngine()


@pytest.fixture
def kiosk(
    qtbot: QtBot, settings: Settings, database: Database, speech: RecordingSpeechEngine
) -> Iterator[Kiosk]:
    k = build(settings, database=database, engine=speech, runner=InlineRunner(), demo=True)
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


def fake_clock() -> FakeClock:
    return FakeClock()
