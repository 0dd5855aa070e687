"""EspeakSpeechEngine and synthesize_wav with the real espeak-ng and the cmn voice."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from hardware.protocols import DeviceState, SpeechEngine, SpeechError
from hardware.speech.espeak import EspeakSpeechEngine, synthesize_wav
from hardware.speech.pcm import PcmFormat, gain_db_to_volume, silent_wav
from hardware.speech.rate import CALIBRATION_SENTENCE_ZH, count_speech_units

from .wavcheck import measure

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt install espeak-ng)"
)

WELCOME = "欢迎来到幸福里社区服务站，请轻触屏幕开始。"
#: RMS below this is "silent"; espeak-ng speech at full volume measures about -20 dBFS.
SILENCE_DBFS = -50.0


def _render(tmp_path: Path, text: str, *, rate: int = 200, volume: float = 1.0) -> Path:
    path = tmp_path / f"r{rate}-v{volume:.4f}.wav"
    synthesize_wav(text, lang="zh_CN", rate_cpm=rate, volume=volume, path=path)
    return path


def test_engine_satisfies_the_protocol() -> None:
    assert isinstance(EspeakSpeechEngine(), SpeechEngine)


# (a) a real Chinese prompt: audible, and as long as 200 字/min says (±15 %).
def test_welcome_prompt_is_audible_at_the_requested_rate(tmp_path: Path) -> None:
    wav = measure(_render(tmp_path, WELCOME, rate=200))
    expected = 60 * count_speech_units(WELCOME) / 200  # 19 units → 5.7 s
    assert wav.rms_dbfs > SILENCE_DBFS
    assert wav.peak > 3000
    assert wav.seconds == pytest.approx(expected, rel=0.15)


# (b) ACCESSIBILITY 28c: the 60-character calibration sentence at 200 字/min takes 16.4–20 s.
def test_calibration_sentence_at_elderly_rate(tmp_path: Path) -> None:
    assert count_speech_units(CALIBRATION_SENTENCE_ZH) == 60
    wav = measure(_render(tmp_path, CALIBRATION_SENTENCE_ZH, rate=200))
    assert 16.4 <= wav.seconds <= 20.0
    assert wav.rms_dbfs > SILENCE_DBFS


# (c) and calibration: three steps are strictly faster, each within ±5 % of the request.
def test_rate_steps_are_increasing_and_calibrated(tmp_path: Path) -> None:
    steps = (160, 200, 250)
    seconds = [measure(_render(tmp_path, CALIBRATION_SENTENCE_ZH, rate=s)).seconds for s in steps]
    assert seconds[0] > seconds[1] > seconds[2]
    for step, duration in zip(steps, seconds, strict=True):
        assert 60 * 60 / duration == pytest.approx(step, rel=0.05)


# (d) ACCESSIBILITY 28a: 5 volume steps, quietest ≥ 18 dB below loudest, measured on the WAV.
def test_volume_steps_cover_18_db(tmp_path: Path) -> None:
    gains = (-24, -18, -12, -6, 0)
    levels = [
        measure(_render(tmp_path, WELCOME, volume=gain_db_to_volume(g))).rms_dbfs for g in gains
    ]
    assert levels == sorted(levels)
    assert len(set(levels)) == len(levels)
    assert levels[-1] - levels[0] >= 18
    assert levels[-1] - levels[0] == pytest.approx(24, abs=0.5)  # the gain is exact


def test_speak_streams_the_same_audio_with_gain(
    tmp_path: Path, capture_player: tuple[str, ...], capture_path: Path
) -> None:
    engine = EspeakSpeechEngine(player=capture_player)
    engine.speak(WELCOME, lang="zh_CN", rate_cpm=200, volume=gain_db_to_volume(-12))
    played = measure(capture_path)
    reference = measure(_render(tmp_path, WELCOME, rate=200))
    assert played.seconds == pytest.approx(reference.seconds, abs=0.01)
    assert played.rms_dbfs - reference.rms_dbfs == pytest.approx(-12, abs=0.2)


def test_text_is_never_an_option_or_a_shell_word(
    capture_player: tuple[str, ...], capture_path: Path
) -> None:
    engine = EspeakSpeechEngine(player=capture_player)
    engine.speak('--help; echo "$HOME" `id` 你好', lang="zh_CN", rate_cpm=200, volume=1.0)
    assert measure(capture_path).rms_dbfs > SILENCE_DBFS


def test_english_speaks(capture_player: tuple[str, ...], capture_path: Path) -> None:
    engine = EspeakSpeechEngine(player=capture_player)
    engine.speak("Please touch the screen to begin.", lang="en", rate_cpm=200, volume=1.0)
    assert measure(capture_path).rms_dbfs > SILENCE_DBFS


def test_blank_text_returns_at_once(capture_player: tuple[str, ...], capture_path: Path) -> None:
    EspeakSpeechEngine(player=capture_player).speak(" \n", lang="zh_CN", rate_cpm=200, volume=1.0)
    assert not capture_path.exists()


def test_bad_arguments_are_rejected() -> None:
    engine = EspeakSpeechEngine()
    with pytest.raises(ValueError, match="volume"):
        engine.speak("你好", lang="zh_CN", rate_cpm=200, volume=2.0)
    with pytest.raises(ValueError, match="language"):
        engine.speak("你好", lang="fr", rate_cpm=200, volume=1.0)
    with pytest.raises(ValueError, match="rate"):
        engine.speak("你好", lang="zh_CN", rate_cpm=0, volume=1.0)


# (e) stop() from another thread ends a blocking speak() within 0.5 s.
def test_stop_from_another_thread_ends_speak(paced_player: tuple[str, ...]) -> None:
    engine = EspeakSpeechEngine(player=paced_player)
    errors: list[BaseException] = []

    def voice_worker() -> None:
        try:  # about 54 s of audio at real-time pace
            engine.speak(CALIBRATION_SENTENCE_ZH * 3, lang="zh_CN", rate_cpm=200, volume=1.0)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=voice_worker)
    worker.start()
    time.sleep(0.3)
    assert worker.is_alive(), "speak should still be playing"
    assert engine.status().state is DeviceState.BUSY
    engine.stop()
    worker.join(0.5)
    assert not worker.is_alive(), "speak did not return within 0.5 s of stop()"
    assert errors == []
    # The engine is usable again, and a stop while idle does not cancel the next utterance.
    engine.stop()
    started = time.monotonic()
    engine.speak("好。", lang="zh_CN", rate_cpm=200, volume=1.0)
    assert time.monotonic() - started > 0.2  # really played (paced), not skipped


# status(): honest and fast.
def test_status_ready_with_a_working_player(capture_player: tuple[str, ...]) -> None:
    engine = EspeakSpeechEngine(player=capture_player)
    started = time.perf_counter()
    first = engine.status()
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = engine.status()
    second_s = time.perf_counter() - started
    assert first.state is DeviceState.READY
    assert "cmn" in first.detail
    assert second == first
    assert first_s < 0.2
    assert second_s < 0.01


def test_status_offline_without_the_binary() -> None:
    status = EspeakSpeechEngine(binary="/nonexistent/espeak-ng").status()
    assert status.state is DeviceState.OFFLINE
    assert "not found" in status.detail


def test_status_error_without_the_voice(capture_player: tuple[str, ...]) -> None:
    engine = EspeakSpeechEngine(player=capture_player, voices={"zh_CN": "nonexistent"})
    status = engine.status()
    assert status.state is DeviceState.ERROR
    assert "nonexistent" in status.detail
    # espeak-ng itself would resolve "no-such-voice" to Norwegian: the probe checks the list.
    lenient = EspeakSpeechEngine(player=capture_player, voices={"zh_CN": "no-such-voice"})
    assert lenient.status().state is DeviceState.ERROR
    with pytest.raises(SpeechError, match="espeak-ng"):
        engine.speak("你好", lang="zh_CN", rate_cpm=200, volume=1.0)


def test_status_offline_without_the_player() -> None:
    status = EspeakSpeechEngine(player=("/nonexistent/aplay", "-q", "-")).status()
    assert status.state is DeviceState.OFFLINE
    assert "player not found" in status.detail


def test_failing_player_is_no_audio_output() -> None:
    engine = EspeakSpeechEngine(player=("false",))
    status = engine.status()
    assert status.state is DeviceState.ERROR
    assert "no audio output" in status.detail
    with pytest.raises(SpeechError, match="false"):
        engine.speak("你好", lang="zh_CN", rate_cpm=200, volume=1.0)


def test_default_player_status_matches_the_machine() -> None:
    """READY only where aplay really opens an output; here (no sound card) ERROR."""
    if shutil.which("aplay") is None:
        pytest.skip("aplay (alsa-utils) is not installed")
    probe = silent_wav(PcmFormat(sample_rate=22050), 0.02)
    can_play = (
        subprocess.run(
            ["aplay", "-q", "-"], input=probe, capture_output=True, check=False
        ).returncode
        == 0
    )
    status = EspeakSpeechEngine().status()
    if can_play:
        assert status.state is DeviceState.READY
    else:
        assert status.state is DeviceState.ERROR
        assert "no audio output" in status.detail


@pytest.mark.hardware
def test_speaks_on_the_real_audio_device() -> None:
    engine = EspeakSpeechEngine()
    status = engine.status()
    if status.state is not DeviceState.READY:
        pytest.skip(f"no usable audio output here: {status.detail}")
    engine.speak(WELCOME, lang="zh_CN", rate_cpm=200, volume=gain_db_to_volume(-12))
