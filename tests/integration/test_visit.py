"""A resident's whole visit through the real window, by taps only, with the real TaskRunner.

attract → 轻触开始 → home → 长辈模式 → 社区公告 → 下一条 → 呼叫志愿者 → 知道了 → 首页 → English
→ 结束使用 → attract, with every station default back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from hardware.speech.recording import RecordingSpeechEngine
from kiosk.config import Settings
from kiosk.store.db import Database
from kiosk.store.models import HelpRequest
from kiosk.tasks import TaskRunner
from ui import navigator as nav
from ui.app import Kiosk, build
from ui.screen import Screen
from ui.screens.home import HomeScreen
from ui.screens.notices import NoticesScreen

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def live_kiosk(
    qtbot: QtBot, settings: Settings, database: Database, speech: RecordingSpeechEngine
) -> Iterator[Kiosk]:
    """The kiosk as ``main()`` builds it: background work on the real TaskRunner."""
    k = build(settings, database=database, engine=speech, runner=TaskRunner(), demo=True)
    k.window.resize(settings.display.width_px, settings.display.height_px)
    k.window.show()
    qtbot.waitExposed(k.window)
    yield k
    k.ctx.language.reset()
    k.ctx.language.uninstall()
    k.shutdown()


def _current(kiosk: Kiosk) -> Screen:
    screen = kiosk.ctx.navigator.current
    assert screen is not None
    return screen


def _help_requests(database: Database) -> list[HelpRequest]:
    with database.session(write=False) as session:
        return list(session.scalars(select(HelpRequest)))


@pytest.mark.gui
def test_a_residents_visit(
    live_kiosk: Kiosk, qtbot: QtBot, speech: RecordingSpeechEngine, database: Database
) -> None:
    k = live_kiosk
    w = k.window
    session = k.ctx.session
    px_per_mm = k.settings.display.px_per_mm

    # Attract: the station's notices appear (loaded in the background).
    attract = _current(k)
    assert attract.screen_id == nav.ATTRACT
    assert not session.active
    qtbot.waitUntil(lambda: attract.notices_card.isVisible(), timeout=5000)  # type: ignore[attr-defined]

    # Tap to begin.
    qtbot.mouseClick(attract.start, LEFT)  # type: ignore[attr-defined]
    home = _current(k)
    assert isinstance(home, HomeScreen)
    assert session.active
    tile = home.tiles["notices"]
    assert tile.text() == "社区公告"
    standard_height = tile.height()

    # 长辈模式: bigger tiles (≥ 20 mm), read aloud, the toggle says it is on.
    qtbot.mouseClick(w.bottom_bar.elderly, LEFT)
    assert session.elderly
    assert w.bottom_bar.elderly.text() == "长辈模式：开"
    qtbot.waitUntil(lambda: tile.height() >= 20 * px_per_mm, timeout=2000)
    assert tile.height() > standard_height
    assert k.ctx.voice.wait_idle(5)
    assert home.title() in speech.texts[-1]

    # 社区公告: the pinned notice first.
    qtbot.mouseClick(tile, LEFT)
    notices = _current(k)
    assert isinstance(notices, NoticesScreen)
    qtbot.waitUntil(lambda: notices.notice_title.text() == "燃气安全检查", timeout=5000)
    assert notices.position.text() == "第 1 条，共 4 条"

    # 下一条: notice 2 is shown and, in 长辈模式, read aloud.
    qtbot.mouseClick(notices.next, LEFT)
    assert notices.notice_title.text() == "停水通知"
    assert notices.position.text() == "第 2 条，共 4 条"
    qtbot.waitUntil(lambda: any("停水通知" in t for t in speech.texts), timeout=5000)
    assert "停水通知" in k.ctx.voice.last_text()  # type: ignore[operator]

    # 呼叫志愿者: stored, then confirmed on screen.
    qtbot.mouseClick(w.top_bar.help, LEFT)
    qtbot.waitUntil(lambda: w.message_overlay.isVisible(), timeout=5000)
    requests = _help_requests(database)
    assert len(requests) == 1
    assert requests[0].screen_id == "notices"
    assert requests[0].mode == "elderly"
    assert "志愿者" in w.message_overlay.message.text()

    # 知道了, then 首页.
    assert w.message_overlay.close_button.text() == "知道了"
    qtbot.mouseClick(w.message_overlay.close_button, LEFT)
    assert not w.message_overlay.isVisible()
    assert w.top_bar.home.text() == "首页"
    qtbot.mouseClick(w.top_bar.home, LEFT)
    assert _current(k) is home

    # The visitor reads on in English, then finishes.
    qtbot.mouseClick(w.bottom_bar.language, LEFT)
    assert k.ctx.language.current == "en"
    assert home.finish.text() == "Finish and clear my information"
    qtbot.mouseClick(home.finish, LEFT)

    # Back to the attract screen with every station default.
    assert _current(k).screen_id == nav.ATTRACT
    assert not session.active
    assert not session.elderly
    assert k.ctx.language.current == "zh_CN"
    assert w.bottom_bar.elderly.text() == "长辈模式"
    assert k.ctx.voice.volume_step == k.settings.voice.default_volume_step
    assert not k.ctx.voice.enabled
    assert "停水通知" not in (k.ctx.voice.last_text() or ""), "重听 forgot the visit"
    assert len(_help_requests(database)) == 1
