"""Explicit registry: configuration names → device back-ends, imported lazily.

Simulators are first-class back-ends chosen by configuration; they are never called drivers.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from hardware.protocols import SpeechEngine

#: name → "module:Class". Real engines first, then the test/simulation ones.
SPEECH_ENGINES: dict[str, str] = {
    "pyttsx3": "hardware.speech.pyttsx3_engine:Pyttsx3SpeechEngine",
    "espeak": "hardware.speech.espeak:EspeakSpeechEngine",
    "recording": "hardware.speech.recording:RecordingSpeechEngine",
    "silent": "hardware.speech.silent:SilentSpeechEngine",
}


def _load(spec: str) -> Callable[[], object]:
    module_name, _, attr = spec.partition(":")
    factory: Callable[[], object] = getattr(import_module(module_name), attr)
    return factory


def create_speech_engine(name: str) -> SpeechEngine:
    try:
        spec = SPEECH_ENGINES[name]
    except KeyError:
        raise ValueError(
            f"unknown speech engine {name!r}; choose one of {', '.join(SPEECH_ENGINES)}"
        ) from None
    engine = _load(spec)()
    if not isinstance(engine, SpeechEngine):
        raise TypeError(f"{spec} does not implement SpeechEngine")
    return engine
