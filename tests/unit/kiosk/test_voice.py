"""VoiceService: queue, interrupt, 重听, auto speech, owner-scoped stop, rate, volume, language,
and the worker thread (ACCESSIBILITY.md items 26, 27, 28). Qt core only, no widgets."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hardware.speech.recording import RecordingSpeechEngine
from kiosk import prompts
from kiosk.config import VoiceConfig
from kiosk.i18n import LanguageService
from kiosk.voice import VoiceService
from tests.helpers.speech import UNTIL_STOPPED_S, TracingSpeechEngine


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def engine() -> TracingSpeechEngine:
    return TracingSpeechEngine()


@pytest.fixture
def voice(qapp: QApplication, engine: TracingSpeechEngine) -> Iterator[VoiceService]:
    service = VoiceService(engine, VoiceConfig(), language=lambda: "zh_CN")
    yield service
    engine.latency_s = 0
    service.shutdown()


def _hold(engine: TracingSpeechEngine, voice: VoiceService, qtbot: QtBot, text: str) -> None:
    """Say ``text`` and wait until it is on the (slow) engine."""
    engine.latency_s = UNTIL_STOPPED_S
    voice.say(text)
    qtbot.waitUntil(lambda: engine.speaking(text), timeout=2000)


def test_utterances_are_spoken_in_the_order_queued(
    voice: VoiceService, engine: TracingSpeechEngine
) -> None:
    voice.say("第一句")
    voice.say(prompts.HOME)
    voice.say(lambda: "第三句")
    assert voice.wait_idle(5)
    assert engine.texts == ["第一句", prompts.HOME.text(), "第三句"]


@pytest.mark.parametrize("method", ["interrupt", "stop"])
def test_stop_drops_the_queue_and_cuts_the_current_utterance(
    voice: VoiceService, engine: TracingSpeechEngine, qtbot: QtBot, method: str
) -> None:
    _hold(engine, voice, qtbot, "正在说")
    voice.say("排队一")
    voice.say("排队二")
    engine.latency_s = 0
    getattr(voice, method)()
    assert voice.wait_idle(5)
    assert engine.texts == ["正在说"]
    assert engine.stops == 1
    assert engine.interrupted == 1
    # The service keeps working after a stop.
    voice.say("之后")
    assert voice.wait_idle(5)
    assert engine.texts == ["正在说", "之后"]


def test_repeat_says_only_the_latest_utterance_in_standard_mode(
    voice: VoiceService, engine: TracingSpeechEngine
) -> None:
    assert not voice.enabled
    voice.say("第一句")
    voice.say("第二句")
    assert voice.wait_idle(5)
    voice.repeat_last()
    assert voice.wait_idle(5)
    assert engine.texts == ["第一句", "第二句", "第二句"]


def test_repeat_stops_what_is_playing_and_drops_the_queue(
    voice: VoiceService, engine: TracingSpeechEngine, qtbot: QtBot
) -> None:
    _hold(engine, voice, qtbot, "正在说")
    voice.say("排队")
    voice.say("最新")
    engine.latency_s = 0
    voice.repeat_last()
    assert voice.wait_idle(5)
    assert engine.texts == ["正在说", "最新"]
    assert engine.interrupted == 1


def test_auto_speech_is_silent_in_standard_mode_but_kept_for_repeat(
    voice: VoiceService, engine: TracingSpeechEngine
) -> None:
    voice.say("欢迎使用", auto=True)
    assert voice.wait_idle(5)
    assert engine.texts == []
    assert voice.last_text() == "欢迎使用"
    voice.repeat_last()
    assert voice.wait_idle(5)
    assert engine.texts == ["欢迎使用"]


def test_auto_speech_is_spoken_when_enabled(
    voice: VoiceService, engine: TracingSpeechEngine
) -> None:
    voice.set_enabled(True)  # 长辈模式
    voice.say("欢迎使用", auto=True)
    assert voice.wait_idle(5)
    assert engine.texts == ["欢迎使用"]


def test_stop_owned_by_drops_only_that_owners_speech(
    voice: VoiceService, engine: TracingSpeechEngine, qtbot: QtBot
) -> None:
    screen_a, screen_b = object(), object()
    engine.latency_s = UNTIL_STOPPED_S
    voice.say("甲一", owner=screen_a)
    qtbot.waitUntil(lambda: engine.speaking("甲一"), timeout=2000)
    voice.say("乙一", owner=screen_b)
    voice.say("甲二", owner=screen_a)
    voice.say("无主")
    engine.latency_s = 0
    voice.stop_owned_by(screen_a)
    assert voice.wait_idle(5)
    assert engine.texts == ["甲一", "乙一", "无主"]
    assert engine.stops == 1
    assert engine.interrupted == 1


def test_stop_owned_by_another_owner_leaves_current_speech_playing(
    voice: VoiceService, engine: TracingSpeechEngine, qtbot: QtBot
) -> None:
    screen_a, screen_b = object(), object()
    engine.latency_s = UNTIL_STOPPED_S
    voice.say("甲一", owner=screen_a)
    qtbot.waitUntil(lambda: engine.speaking("甲一"), timeout=2000)
    voice.say("乙一", owner=screen_b)
    voice.say("甲二", owner=screen_a)
    voice.stop_owned_by(screen_b)
    assert engine.stops == 0
    assert engine.interrupted == 0
    engine.latency_s = 0
    engine.stop()  # let 甲一 end
    assert voice.wait_idle(5)
    assert engine.texts == ["甲一", "甲二"]


def test_rate_steps_and_the_elderly_rate(voice: VoiceService, engine: TracingSpeechEngine) -> None:
    """Item 28(c): at least 3 rate steps; 长辈模式 speaks at 180-220 characters a minute."""
    steps = voice.rate_steps
    assert len(steps) >= 3
    assert list(steps) == sorted(set(steps)), "rate steps distinct, slowest first"
    voice.set_enabled(True)
    assert 180 <= voice.rate_cpm <= 220
    voice.say("长辈模式")
    assert voice.wait_idle(5)
    assert 180 <= engine.utterances[-1].rate_cpm <= 220
    for step, cpm in enumerate(steps):
        voice.set_rate_step(step)
        voice.say(f"语速{step}")
        assert voice.wait_idle(5)
        assert engine.utterances[-1].rate_cpm == cpm
    with pytest.raises(ValueError, match="out of range"):
        voice.set_rate_step(len(steps))


def test_volume_steps_cover_the_required_gain_range(
    voice: VoiceService, engine: TracingSpeechEngine
) -> None:
    """Item 28(a): ≥ 4 steps over ≥ 18 dB, one step ≥ 12 dB above the lowest; the engine
    receives the step's gain."""
    n = voice.volume_steps
    assert n >= 4
    gains = [voice.gain_db(step) for step in range(1, n + 1)]
    assert all(b > a for a, b in itertools.pairwise(gains)), "louder every step"
    assert gains[-1] - gains[0] >= 18.0
    assert any(g - gains[0] >= 12.0 for g in gains[1:])
    for step in range(1, n + 1):
        voice.set_volume_step(step)
        voice.say(f"音量{step}")
        assert voice.wait_idle(5)
        assert engine.utterances[-1].volume == pytest.approx(10 ** (voice.gain_db(step) / 20))
    with pytest.raises(ValueError, match="out of range"):
        voice.set_volume_step(n + 1)


def test_engine_language_follows_the_ui_language(
    qapp: QApplication, engine: TracingSpeechEngine
) -> None:
    """Item 28(d): the engine is asked for the UI's language, with text in that language."""
    language = LanguageService("zh_CN")
    voice = VoiceService(engine, VoiceConfig(), language=lambda: language.current)
    try:
        voice.say(prompts.HOME)
        assert voice.wait_idle(5)
        zh = engine.utterances[-1]
        assert zh.lang == "zh_CN"
        assert _has_cjk(zh.text)

        language.set_language("en")
        voice.say(prompts.HOME)
        assert voice.wait_idle(5)
        en = engine.utterances[-1]
        assert en.lang == "en"
        assert en.text == prompts.HOME.source
        assert not _has_cjk(en.text)

        # 重听 after the switch re-says the prompt in the new language.
        language.set_language("zh_CN")
        voice.say(prompts.HOME)
        language.set_language("en")
        voice.repeat_last()
        assert voice.wait_idle(5)
        assert engine.utterances[-1].lang == "en"
        assert engine.utterances[-1].text == prompts.HOME.source
    finally:
        language.reset()
        voice.shutdown()


def test_speech_never_runs_on_the_gui_thread(
    voice: VoiceService, engine: TracingSpeechEngine, qtbot: QtBot
) -> None:
    engine.latency_s = UNTIL_STOPPED_S
    started = time.monotonic()
    voice.say("慢慢说")
    returned = time.monotonic() - started
    qtbot.waitUntil(lambda: engine.speaking("慢慢说"), timeout=2000)
    assert returned < UNTIL_STOPPED_S / 2, "say() waited for the engine"
    voice.say("第二句")
    engine.latency_s = 0
    engine.stop()
    assert voice.wait_idle(5)
    assert len(engine.threads) == 2
    for thread in engine.threads:
        assert thread is not threading.main_thread()
        assert thread is not threading.current_thread()


class _LateResetEngine(RecordingSpeechEngine):
    """Like the real engines: clears its cancel flag when ``speak`` starts, a moment late."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self._cancel = threading.Event()

    def speak(self, text: str, *, lang: str, rate_cpm: int, volume: float) -> None:
        self.entered.set()
        time.sleep(0.02)  # the window in which a stop() used to be lost
        self._cancel.clear()
        self._cancel.wait(3.0)

    def stop(self) -> None:
        self._cancel.set()


def test_stop_is_not_lost_while_the_engine_is_starting(qapp: object) -> None:
    engine = _LateResetEngine()
    voice = VoiceService(engine, VoiceConfig(), language=lambda: "zh_CN")
    try:
        voice.say("一段很长的提示")
        assert engine.entered.wait(2.0)
        started = time.monotonic()
        voice.stop()
        assert voice.wait_idle(2.0)
        assert time.monotonic() - started < 1.0
    finally:
        voice.shutdown()
