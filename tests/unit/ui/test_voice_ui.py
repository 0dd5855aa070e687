"""Speech rules at the window level (ACCESSIBILITY.md items 16, 18, 26, 27, 28).

A touch stops speech before the next utterance; leaving a screen stops its speech; 长辈模式
reads every screen on entry, standard mode only on 重听; the volume button cycles through every
level and says it; the volume is back to the default when the visit ends; a language switch
speaks the screen in the new language.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk import prompts
from kiosk.prompts import Prompt
from tests.helpers.fixtures import FakeClock
from tests.helpers.speech import UNTIL_STOPPED_S, TracingSpeechEngine
from tests.unit.ui import audit
from ui import navigator as nav
from ui.app import Kiosk
from ui.registry import SCREENS, load_all

load_all()
SCREEN_IDS = sorted(SCREENS)
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def speech() -> TracingSpeechEngine:
    """Overrides the shared fixture: the kiosk is built with this engine."""
    return TracingSpeechEngine()


def _begin(kiosk: Kiosk, *, elderly: bool) -> None:
    kiosk.ctx.session.begin()
    kiosk.ctx.navigator.go(nav.HOME)
    kiosk.ctx.session.set_elderly(elderly)
    assert kiosk.ctx.voice.wait_idle(5)


def _open_slowly(kiosk: Kiosk, speech: TracingSpeechEngine, qtbot: QtBot, screen_id: str) -> str:
    """Open a screen in 长辈模式 with a slow engine; return its intro, which is now playing."""
    speech.latency_s = UNTIL_STOPPED_S
    kiosk.ctx.navigator.go(screen_id)
    intro = kiosk.ctx.voice.last_text()
    assert intro
    qtbot.waitUntil(lambda: speech.speaking(intro), timeout=2000)
    return intro


@pytest.mark.gui
def test_tap_on_repeat_stops_the_intro_then_says_it_again(
    kiosk: Kiosk, speech: TracingSpeechEngine, qtbot: QtBot
) -> None:
    """Item 27: the press stops the engine before 重听 queues anything."""
    _begin(kiosk, elderly=True)
    intro = _open_slowly(kiosk, speech, qtbot, "notices")
    mark = speech.mark()
    speech.latency_s = 0
    qtbot.mouseClick(kiosk.window.bottom_bar.repeat, LEFT)
    qtbot.waitUntil(lambda: ("speak", intro) in speech.calls_since(mark), timeout=2000)
    assert kiosk.ctx.voice.wait_idle(5)
    calls = speech.calls_since(mark)
    assert calls[0] == ("stop", ""), "the press stops speech first"
    assert [c for c in calls if c[0] == "speak"] == [("speak", intro)]
    assert speech.interrupted == 1


@pytest.mark.gui
def test_a_press_anywhere_stops_speech(
    kiosk: Kiosk, speech: TracingSpeechEngine, qtbot: QtBot
) -> None:
    """Item 27: even a press on plain text (no action) silences the kiosk."""
    _begin(kiosk, elderly=True)
    _open_slowly(kiosk, speech, qtbot, "notices")
    stops = speech.stops
    screen = kiosk.ctx.navigator.current
    assert screen is not None
    # Sent as the platform delivers a touch: to the window, at the label's position.
    handle = kiosk.window.windowHandle()
    assert handle is not None
    at = screen.title_label.mapTo(kiosk.window, screen.title_label.rect().center())
    qtbot.mousePress(handle, LEFT, pos=at)
    assert speech.stops > stops
    assert kiosk.ctx.voice.wait_idle(5)
    assert speech.interrupted == 1
    qtbot.mouseRelease(handle, LEFT, pos=at)


@pytest.mark.gui
def test_leaving_a_screen_stops_its_speech(
    kiosk: Kiosk, speech: TracingSpeechEngine, qtbot: QtBot
) -> None:
    _begin(kiosk, elderly=True)
    _open_slowly(kiosk, speech, qtbot, "notices")
    notices = kiosk.ctx.navigator.current
    kiosk.ctx.voice.say("第二条公告的正文", owner=notices)  # queued behind the intro
    speech.latency_s = 0
    kiosk.ctx.navigator.go(nav.HOME)
    assert kiosk.ctx.voice.wait_idle(5)
    home = kiosk.ctx.navigator.current
    assert home is not None
    assert home.screen_id == nav.HOME
    assert "第二条公告的正文" not in speech.texts
    assert speech.interrupted == 1
    assert home.title() in speech.texts[-1], "the new screen is read instead"


@pytest.mark.gui
@pytest.mark.parametrize("screen_id", SCREEN_IDS)
def test_elderly_mode_reads_each_screen_on_entry(
    kiosk: Kiosk, speech: TracingSpeechEngine, screen_id: str
) -> None:
    """Item 26: title, instruction and the screen's buttons, in 长辈模式 at 180-220 字/min."""
    _begin(kiosk, elderly=True)
    mark = len(speech.texts)
    kiosk.ctx.navigator.go(screen_id)
    assert kiosk.ctx.voice.wait_idle(5)
    spoken = speech.utterances[mark:]
    assert len(spoken) == 1
    screen = kiosk.ctx.navigator.current
    assert screen is not None
    text = spoken[0].text
    assert screen.title() in text
    if isinstance(screen.voice_prompt, Prompt):
        assert screen.voice_prompt.text() in text
    # The buttons are read in the order the eye finds them: top to bottom, left to right.
    buttons = [b for b in audit.interactive_widgets(screen) if isinstance(b, QAbstractButton)]
    assert buttons
    buttons.sort(key=lambda b: (audit.window_rect(b, screen).y(), audit.window_rect(b, screen).x()))
    sep = QCoreApplication.translate("Screen", ", ")
    assert sep.join(b.accessibleName() for b in buttons) in text
    assert spoken[0].lang == "zh_CN"
    assert 180 <= spoken[0].rate_cpm <= 220


@pytest.mark.gui
@pytest.mark.parametrize("screen_id", SCREEN_IDS)
def test_standard_mode_is_silent_until_repeat(
    kiosk: Kiosk, speech: TracingSpeechEngine, qtbot: QtBot, screen_id: str
) -> None:
    _begin(kiosk, elderly=False)
    mark = len(speech.texts)
    kiosk.ctx.navigator.go(screen_id)
    assert kiosk.ctx.voice.wait_idle(5)
    assert speech.texts[mark:] == []
    screen = kiosk.ctx.navigator.current
    assert screen is not None
    qtbot.mouseClick(kiosk.window.bottom_bar.repeat, LEFT)
    assert kiosk.ctx.voice.wait_idle(5)
    spoken = speech.texts[mark:]
    assert len(spoken) == 1
    assert screen.title() in spoken[0]


@pytest.mark.gui
def test_elderly_toggle_reads_the_bars_then_the_screen(
    kiosk: Kiosk, speech: TracingSpeechEngine, qtbot: QtBot
) -> None:
    _begin(kiosk, elderly=False)
    mark = len(speech.texts)
    qtbot.mouseClick(kiosk.window.bottom_bar.elderly, LEFT)
    assert kiosk.ctx.session.elderly
    assert kiosk.ctx.voice.wait_idle(5)
    spoken = speech.texts[mark:]
    assert len(spoken) == 2
    assert kiosk.window.bottom_bar.repeat.accessibleName() in spoken[0]
    assert kiosk.window.top_bar.help.text() in spoken[0]
    home = kiosk.ctx.navigator.current
    assert home is not None
    assert home.title() in spoken[1]


@pytest.mark.gui
def test_volume_button_cycles_through_every_level_and_says_it(
    kiosk: Kiosk, speech: TracingSpeechEngine, qtbot: QtBot
) -> None:
    _begin(kiosk, elderly=False)
    voice = kiosk.ctx.voice
    n, start = voice.volume_steps, voice.volume_step
    button = kiosk.window.bottom_bar.volume
    assert f"{start}/{n}" in button.text()
    seen = []
    for _ in range(n):
        mark = len(speech.texts)
        qtbot.mouseClick(button, LEFT)
        assert voice.wait_idle(5)
        step = voice.volume_step
        seen.append(step)
        assert f"{step}/{n}" in button.text()
        spoken = speech.utterances[mark:]
        assert len(spoken) == 1, "each press says the new level, also in standard mode"
        assert str(step) in spoken[0].text
        assert spoken[0].volume == pytest.approx(voice.volume(step)), "said at the new level"
    assert sorted(seen) == list(range(1, n + 1)), "every level once"
    assert seen[-1] == start, "wrapped around"
    assert seen[seen.index(n) + 1] == 1, "after the loudest comes the quietest"


@pytest.mark.gui
def test_volume_is_back_to_the_default_after_the_visit(
    kiosk: Kiosk, speech: TracingSpeechEngine, qtbot: QtBot
) -> None:
    """Item 18/28(b)."""
    _begin(kiosk, elderly=True)
    voice = kiosk.ctx.voice
    default = kiosk.settings.voice.default_volume_step
    while voice.volume_step != voice.volume_steps:
        qtbot.mouseClick(kiosk.window.bottom_bar.volume, LEFT)
    assert voice.volume_step != default
    home = kiosk.ctx.navigator.current
    qtbot.mouseClick(home.finish, LEFT)  # type: ignore[union-attr]
    assert not kiosk.ctx.session.active
    assert voice.volume_step == default
    assert f"{default}/{voice.volume_steps}" in kiosk.window.bottom_bar.volume.text()
    voice.say("下一位")
    assert voice.wait_idle(5)
    assert speech.utterances[-1].volume == pytest.approx(voice.volume(default))


@pytest.mark.gui
def test_language_switch_reads_the_screen_in_the_new_language(
    kiosk: Kiosk, speech: TracingSpeechEngine, qtbot: QtBot
) -> None:
    """Item 28(d): after 中文 → English the intro is English, every button name included."""
    _begin(kiosk, elderly=True)
    mark = len(speech.texts)
    qtbot.mouseClick(kiosk.window.bottom_bar.language, LEFT)
    assert kiosk.ctx.language.current == "en"
    assert kiosk.ctx.voice.wait_idle(5)
    spoken = speech.utterances[mark:]
    assert len(spoken) == 1
    home = kiosk.ctx.navigator.current
    assert home is not None
    assert spoken[0].lang == "en"
    assert home.title() in spoken[0].text
    assert not audit.has_cjk(spoken[0].text), spoken[0].text


@pytest.mark.gui
def test_idle_warning_is_spoken_in_standard_mode(kiosk: Kiosk, speech: TracingSpeechEngine) -> None:
    """Item 16: the warning reaches the speaker, not only the screen, even without 长辈模式."""
    _begin(kiosk, elderly=False)
    clock = FakeClock()
    idle = kiosk.ctx.idle
    idle._clock = clock  # the watcher's injected clock
    idle.touch()
    clock.advance(idle.limit_s - idle.warning_s)
    idle.check()
    assert kiosk.ctx.voice.wait_idle(5)
    assert kiosk.window.idle_overlay.isVisible()
    assert speech.texts[-1] == prompts.IDLE_WARNING.text(seconds=idle.warning_s)
