"""The recording and silent speech engines (simulators for tests, not drivers)."""

from __future__ import annotations

import threading
import time

import pytest

from hardware.protocols import DeviceState, DeviceStatus, SpeechEngine, SpeechError
from hardware.speech.recording import RecordingSpeechEngine, Utterance
from hardware.speech.silent import SilentSpeechEngine


def test_simulators_satisfy_the_protocol() -> None:
    assert isinstance(RecordingSpeechEngine(), SpeechEngine)
    assert isinstance(SilentSpeechEngine(), SpeechEngine)


# (g) the recording engine records and stops.
def test_recording_engine_records_utterances() -> None:
    engine = RecordingSpeechEngine()
    engine.speak("你好", lang="zh_CN", rate_cpm=200, volume=0.5)
    engine.speak("Hello", lang="en", rate_cpm=160, volume=1.0)
    assert engine.utterances == [
        ("你好", "zh_CN", 200, 0.5),
        Utterance(text="Hello", lang="en", rate_cpm=160, volume=1.0),
    ]
    assert engine.texts == ["你好", "Hello"]
    assert engine.stops == 0
    assert engine.interrupted == 0


def test_recording_engine_stop_interrupts_latency() -> None:
    engine = RecordingSpeechEngine(latency_s=10.0)
    worker = threading.Thread(
        target=engine.speak,
        args=("请稍候",),
        kwargs={"lang": "zh_CN", "rate_cpm": 200, "volume": 1},
    )
    worker.start()
    time.sleep(0.05)
    assert worker.is_alive()
    engine.stop()
    worker.join(0.5)
    assert not worker.is_alive()
    assert engine.stops == 1
    assert engine.interrupted == 1
    assert engine.texts == ["请稍候"]


def test_recording_engine_latency_without_stop() -> None:
    engine = RecordingSpeechEngine(latency_s=0.05)
    engine.stop()  # while idle: counted, does not cancel the next utterance
    started = time.monotonic()
    engine.speak("好", lang="zh_CN", rate_cpm=200, volume=1.0)
    assert time.monotonic() - started >= 0.05
    assert engine.stops == 1
    assert engine.interrupted == 0


def test_recording_engine_faults_and_status() -> None:
    engine = RecordingSpeechEngine()
    assert engine.status().state is DeviceState.READY
    engine.fault = SpeechError("simulated failure")
    engine.device_status = DeviceStatus(DeviceState.ERROR, "simulated")
    with pytest.raises(SpeechError, match="simulated failure"):
        engine.speak("你好", lang="zh_CN", rate_cpm=200, volume=1.0)
    assert engine.status() == DeviceStatus(DeviceState.ERROR, "simulated")
    assert engine.texts == ["你好"]


def test_silent_engine() -> None:
    engine = SilentSpeechEngine()
    engine.speak("你好", lang="zh_CN", rate_cpm=200, volume=1.0)
    engine.stop()
    assert engine.status() == DeviceStatus(DeviceState.READY, "silent")
