"""Pyttsx3SpeechEngine: pyttsx3's espeak driver (libespeak-ng) rendering real audio."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import pytest

from hardware.protocols import DeviceState, SpeechEngine, SpeechError
from hardware.speech.espeak import synthesize_wav
from hardware.speech.pcm import gain_db_to_volume
from hardware.speech.pyttsx3_engine import Pyttsx3SpeechEngine
from hardware.speech.rate import CALIBRATION_SENTENCE_ZH, count_speech_units

from .wavcheck import measure

WELCOME = "欢迎来到幸福里社区服务站，请轻触屏幕开始。"
WELCOME_EN = "Welcome to the community service station. Please touch the screen to begin."
SILENCE_DBFS = -50.0


@pytest.fixture(scope="module", autouse=True)
def _pyttsx3_usable() -> None:
    status = Pyttsx3SpeechEngine(player=("cat",)).status()
    if status.state is DeviceState.OFFLINE:  # pyttsx3 or libespeak-ng missing on this machine
        pytest.skip(f"pyttsx3 cannot run here: {status.detail}")
    assert status.state is DeviceState.READY, status.detail


def test_engine_satisfies_the_protocol() -> None:
    assert isinstance(Pyttsx3SpeechEngine(), SpeechEngine)


# (f) pyttsx3 renders real Mandarin audio at the requested rate.
def test_renders_audible_mandarin_at_the_requested_rate(tmp_path: Path) -> None:
    path = tmp_path / "welcome.wav"
    Pyttsx3SpeechEngine().render_wav(WELCOME, lang="zh_CN", rate_cpm=200, volume=1.0, path=path)
    wav = measure(path)
    assert wav.rms_dbfs > SILENCE_DBFS
    assert wav.seconds == pytest.approx(60 * count_speech_units(WELCOME) / 200, rel=0.15)


def test_calibration_sentence_at_elderly_rate(tmp_path: Path) -> None:
    path = tmp_path / "calibration.wav"
    Pyttsx3SpeechEngine().render_wav(
        CALIBRATION_SENTENCE_ZH, lang="zh_CN", rate_cpm=200, volume=1.0, path=path
    )
    assert 16.4 <= measure(path).seconds <= 20.0


def test_rate_and_voice_changes_always_apply(tmp_path: Path) -> None:
    """Regression: set through engine.setProperty, pyttsx3's runAndWait cancelled the queued
    rate about one render in five (the audio came out at the previous rate)."""
    engine = Pyttsx3SpeechEngine()
    cases = list(itertools.product(("zh_CN", "en"), (160, 250)))
    for i, (lang, rate) in enumerate(cases * 3):
        text = WELCOME if lang == "zh_CN" else WELCOME_EN
        got, want = tmp_path / f"p{i}.wav", tmp_path / f"e{i}.wav"
        engine.render_wav(text, lang=lang, rate_cpm=rate, volume=1.0, path=got)
        synthesize_wav(text, lang=lang, rate_cpm=rate, volume=1.0, path=want)
        assert measure(got).seconds == pytest.approx(measure(want).seconds, rel=0.02), (lang, rate)


def test_speak_plays_with_gain(
    tmp_path: Path, capture_player: tuple[str, ...], capture_path: Path
) -> None:
    engine = Pyttsx3SpeechEngine(player=capture_player)
    engine.speak(WELCOME, lang="zh_CN", rate_cpm=200, volume=gain_db_to_volume(-18))
    reference = tmp_path / "reference.wav"
    engine.render_wav(WELCOME, lang="zh_CN", rate_cpm=200, volume=1.0, path=reference)
    played, full = measure(capture_path), measure(reference)
    assert played.seconds == pytest.approx(full.seconds, abs=0.01)
    assert played.rms_dbfs - full.rms_dbfs == pytest.approx(-18, abs=0.2)


def test_speaks_english(capture_player: tuple[str, ...], capture_path: Path) -> None:
    Pyttsx3SpeechEngine(player=capture_player).speak(
        WELCOME_EN, lang="en", rate_cpm=200, volume=1.0
    )
    assert measure(capture_path).rms_dbfs > SILENCE_DBFS


def test_stop_from_another_thread_ends_speak(paced_player: tuple[str, ...]) -> None:
    engine = Pyttsx3SpeechEngine(player=paced_player)
    errors: list[BaseException] = []

    def voice_worker() -> None:
        try:
            engine.speak(CALIBRATION_SENTENCE_ZH * 3, lang="zh_CN", rate_cpm=200, volume=1.0)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=voice_worker)
    worker.start()
    time.sleep(0.3)
    assert worker.is_alive(), "speak should still be playing"
    engine.stop()
    worker.join(0.5)
    assert not worker.is_alive(), "speak did not return within 0.5 s of stop()"
    assert errors == []
    started = time.monotonic()
    engine.speak("好。", lang="zh_CN", rate_cpm=200, volume=1.0)
    assert time.monotonic() - started > 0.2


def test_failing_player_is_no_audio_output() -> None:
    engine = Pyttsx3SpeechEngine(player=("false",))
    status = engine.status()
    assert status.state is DeviceState.ERROR
    assert "no audio output" in status.detail
    with pytest.raises(SpeechError, match="false"):
        engine.speak("你好", lang="zh_CN", rate_cpm=200, volume=1.0)


def test_missing_voice_is_an_error() -> None:
    engine = Pyttsx3SpeechEngine(player=("cat",), voices={"zh_CN": "nonexistent"})
    status = engine.status()
    assert status.state is DeviceState.ERROR
    assert "nonexistent" in status.detail
    with pytest.raises(SpeechError, match="nonexistent"):
        engine.speak("你好", lang="zh_CN", rate_cpm=200, volume=1.0)


def test_status_is_fast_and_cached() -> None:
    engine = Pyttsx3SpeechEngine(player=("cat",))
    started = time.perf_counter()
    first = engine.status()
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    assert engine.status() == first
    assert first.state is DeviceState.READY
    assert first_s < 0.2
    assert time.perf_counter() - started < 0.01
