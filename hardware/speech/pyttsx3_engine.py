"""Speech through pyttsx3's espeak driver (libespeak-ng in-process), played by a killable player.

Why this design (pyttsx3 2.99, espeak-ng 1.51, measured here):

* pyttsx3's espeak driver initializes libespeak-ng in ``AUDIO_OUTPUT_RETRIEVAL`` mode: synthesis
  runs on espeak's own thread and the driver's callback collects the samples. ``runAndWait()``
  only *starts* the synthesis and returns (≈ 10 ms later) before it ends; the
  ``finished-utterance`` callback arrives later on that foreign thread. Calling ``runAndWait``
  from a callback deadlocks.
* ``say()`` writes a temporary WAV and plays it with ``os.system("aplay …")`` from inside the
  espeak callback: it cannot be stopped, goes through a shell and fails without an ALSA device.
* libespeak-ng can be initialized once per process and its callback is process-global, so
  there can be only one pyttsx3 espeak engine per process.

So: one process-wide thread (a single-worker executor) owns the pyttsx3 engine and does every
pyttsx3 call. A render is ``setProperty`` (voice, rate, volume 1.0) + one ``save_to_file`` + one
``runAndWait`` and then a wait for ``finished-utterance`` (a ``threading.Event`` set by the
callback) before the WAV is read back — the file is complete only then. The samples are scaled
in software (see :mod:`hardware.speech.pcm`) and streamed to the same killable player pipeline as
:class:`~hardware.speech.espeak.EspeakSpeechEngine`. ``stop()`` sets an event: ``speak`` returns
at once, kills the player, and abandons (or cancels, if still queued) the render, which finishes
on its own thread in milliseconds and deletes its file. pyttsx3's driver prints "Audio saved to
…" on stdout for every file; that module-level ``print`` is redirected to a debug log.

Rendering a whole utterance first costs little: libespeak-ng renders a 60-character sentence
(18 s of audio) in about 20 ms. The temporary WAV goes to ``/dev/shm`` when available (spoken
text may be personal; keep it off disk) and is deleted right after it is read.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, Final

from hardware.protocols import DeviceState, DeviceStatus, SpeechError
from hardware.speech._pipeline import (
    DEFAULT_PLAYER,
    POLL_S,
    PlayerError,
    StatusCache,
    play,
    probe_player,
)
from hardware.speech.espeak import DEFAULT_VOICES
from hardware.speech.pcm import (
    REFERENCE_AMPLITUDE,
    PcmFormat,
    apply_gain,
    check_volume,
    wav_stream,
)
from hardware.speech.rate import Lang, cpm_to_espeak_wpm, normalize_lang

__all__ = ["Pyttsx3SpeechEngine"]

_log = logging.getLogger(__name__)

_PROBE_TEXT: Final[Mapping[Lang, str]] = {"zh_CN": "好", "en": "ok"}
_RENDER_DIR: Final = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
_PROBE_TIMEOUT_S = 3.0
_IDLE_TIMEOUT_S = 2.0


def _render_timeout_s(text: str) -> float:
    return 10.0 + 0.01 * len(text)


class _Pyttsx3Host:
    """The process's one pyttsx3 engine and the one thread that may touch it."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyttsx3")
        self._finished = threading.Event()
        # Everything below is only touched on the executor thread.
        self._engine: Any = None
        self._driver_module: Any = None
        self._espeak_module: Any = None
        self._voice_ids: dict[str, str] = {}
        self._broken: str | None = None

    # -- any thread ---------------------------------------------------------------------------
    def render(self, text: str, *, voice: str, wpm: int) -> Future[tuple[PcmFormat, bytes]]:
        return self._executor.submit(self._render, text, voice, wpm)

    def check(self, probes: Mapping[str, str]) -> Future[DeviceStatus | None]:
        """Render each ``{voice: text}`` probe; None when all gave audio."""
        return self._executor.submit(self._check, dict(probes))

    # -- executor thread ----------------------------------------------------------------------
    def _on_finished(self, name: object = None, completed: object = True, **_: object) -> None:
        # On espeak's synthesis thread: only signal. completed=False comes from a cancel.
        if completed:
            self._finished.set()

    def _set_properties(self, voice_id: str, wpm: int) -> None:
        """Apply voice, rate and volume to libespeak-ng *before* ``runAndWait``.

        ``engine.setProperty`` only queues in pyttsx3 until ``runAndWait``, which then sends the
        rate and volume as asynchronous libespeak commands and at once calls the driver's
        ``stop()``: if espeak's command queue is still busy (``IsPlaying() == 1``) that calls
        ``espeak_Cancel()``, which drops the new rate — about one render in five then came out
        at the previous rate. So set them through the driver's static ``setProperty`` and wait
        until espeak's queue is idle, so ``runAndWait`` finds nothing to cancel.
        """
        driver = self._driver_module.EspeakDriver
        driver.setProperty("voice", voice_id)  # synchronous in libespeak-ng
        driver.setProperty("rate", wpm)
        # Gain is applied to the samples afterwards (espeak's amplitude is not linear).
        driver.setProperty("volume", REFERENCE_AMPLITUDE / 100)
        deadline = time.monotonic() + _IDLE_TIMEOUT_S
        while self._espeak_module.IsPlaying():
            if time.monotonic() > deadline:
                raise SpeechError("libespeak-ng stays busy")
            time.sleep(0.001)

    def _ensure_engine(self) -> Any:
        if self._broken is not None:
            raise SpeechError(self._broken)
        if self._engine is not None:
            return self._engine
        try:
            import pyttsx3
        except ImportError as exc:
            raise SpeechError("pyttsx3 is not installed") from exc
        try:
            engine = pyttsx3.init("espeak")
            driver_module: Any = sys.modules["pyttsx3.drivers.espeak"]
            espeak_module: Any = sys.modules["pyttsx3.drivers._espeak"]
        except Exception as exc:  # pyttsx3 raises RuntimeError/OSError/ImportError variously
            raise SpeechError(f"pyttsx3 espeak driver unavailable: {exc}") from exc
        # The driver prints "Audio saved to <file>" for every save_to_file; a module-level name
        # `print` shadows the builtin for that module only.
        driver_module.print = lambda *args, **_kw: _log.debug(" ".join(map(str, args)))
        self._driver_module = driver_module
        self._espeak_module = espeak_module
        engine.connect("finished-utterance", self._on_finished)
        for voice in engine.getProperty("voices"):
            voice_id = str(voice.id)
            self._voice_ids.setdefault(voice_id.rsplit("/", 1)[-1], voice_id)
            self._voice_ids.setdefault(voice_id, voice_id)
        self._engine = engine
        return engine

    def _voice_id(self, voice: str) -> str:
        try:
            return self._voice_ids[voice.lower()]
        except KeyError:
            raise SpeechError(f"pyttsx3 has no espeak voice {voice!r}") from None

    def _render(self, text: str, voice: str, wpm: int) -> tuple[PcmFormat, bytes]:
        engine = self._ensure_engine()
        voice_id = self._voice_id(voice)
        fd, name = tempfile.mkstemp(prefix="kiosk-tts-", suffix=".wav", dir=_RENDER_DIR)
        os.close(fd)
        try:
            self._set_properties(voice_id, wpm)
            self._finished.clear()
            engine.save_to_file(text, name)
            engine.runAndWait()  # returns when synthesis has *started*
            if not self._finished.wait(_render_timeout_s(text)):
                # Late callbacks of this render could be taken for the next one's: give up.
                self._broken = "pyttsx3 render timed out; restart the kiosk"
                raise SpeechError(self._broken)
            with wave.open(name, "rb") as wav:
                fmt = PcmFormat(
                    sample_rate=wav.getframerate(),
                    channels=wav.getnchannels(),
                    sample_width=wav.getsampwidth(),
                )
                samples = wav.readframes(wav.getnframes())
        except SpeechError:
            raise
        except Exception as exc:
            raise SpeechError(f"pyttsx3 render failed: {exc}") from exc
        finally:
            with contextlib.suppress(OSError):
                os.unlink(name)
        if fmt.sample_width != 2:
            raise SpeechError(f"pyttsx3 wrote {8 * fmt.sample_width}-bit audio")
        return fmt, samples

    def _check(self, probes: dict[str, str]) -> DeviceStatus | None:
        try:
            self._ensure_engine()
        except SpeechError as exc:
            return DeviceStatus(DeviceState.OFFLINE, str(exc))
        for voice, text in probes.items():
            try:
                _, samples = self._render(text, voice, 175)
            except SpeechError as exc:
                return DeviceStatus(DeviceState.ERROR, f"voice {voice} unusable: {exc}")
            if not any(samples):
                return DeviceStatus(DeviceState.ERROR, f"voice {voice} is silent")
        return None


_host_lock = threading.Lock()
_host: _Pyttsx3Host | None = None


def _shared_host() -> _Pyttsx3Host:
    global _host
    with _host_lock:
        if _host is None:
            _host = _Pyttsx3Host()
        return _host


class Pyttsx3SpeechEngine:
    """:class:`~hardware.protocols.SpeechEngine` using pyttsx3's espeak driver.

    All instances share the process's one pyttsx3 engine (renders are serialized).

    Args:
        player: command that plays a WAV stream from stdin; ``("aplay", "-q", "-")`` by default.
        voices: espeak voice name per language (``"cmn"``, ``"en"``) matched against the last
            part of pyttsx3's voice ids (``"sit/cmn"``, ``"gmw/en"``).
        status_ttl_s: how long a status probe result is reused.
    """

    name = "pyttsx3"

    def __init__(
        self,
        *,
        player: Sequence[str] = DEFAULT_PLAYER,
        voices: Mapping[Lang, str] | None = None,
        status_ttl_s: float = 30.0,
    ) -> None:
        if not player:
            raise ValueError("player command must not be empty")
        self._player = tuple(player)
        self._voices: dict[Lang, str] = {**DEFAULT_VOICES, **(voices or {})}
        self._cancel = threading.Event()
        self._status = StatusCache(status_ttl_s)

    def render_wav(self, text: str, *, lang: str, rate_cpm: int, volume: float, path: Path) -> None:
        """Render ``text`` through pyttsx3 to the WAV file ``path`` (gain applied) — no playback.

        Raises:
            ValueError: bad language, rate or volume.
            SpeechError: pyttsx3 or its espeak driver failed.
        """
        key = normalize_lang(lang)
        check_volume(volume)
        future = _shared_host().render(
            text, voice=self._voices[key], wpm=cpm_to_espeak_wpm(rate_cpm, key)
        )
        fmt, samples = future.result()
        with wave.open(str(path), "wb") as out:
            out.setnchannels(fmt.channels)
            out.setsampwidth(fmt.sample_width)
            out.setframerate(fmt.sample_rate)
            out.writeframes(apply_gain(samples, volume))

    def speak(self, text: str, *, lang: str, rate_cpm: int, volume: float) -> None:
        """Say ``text``; block until played or :meth:`stop`.

        Raises:
            ValueError: bad language, rate or volume.
            SpeechError: pyttsx3 or the player failed (the status then says why).
        """
        key = normalize_lang(lang)
        check_volume(volume)
        wpm = cpm_to_espeak_wpm(rate_cpm, key)
        self._cancel.clear()
        if not text.strip():
            return
        with self._status.speaking():
            future = _shared_host().render(text, voice=self._voices[key], wpm=wpm)
            rendered = threading.Event()
            future.add_done_callback(lambda _: rendered.set())
            while not rendered.wait(POLL_S):
                if self._cancel.is_set():
                    future.cancel()  # only succeeds while still queued; else it just finishes
                    return
            try:
                fmt, samples = future.result()
            except SpeechError as exc:
                self._status.put(DeviceStatus(DeviceState.ERROR, str(exc)))
                raise
            audio_s = len(samples) / fmt.bytes_per_second
            try:
                played = play(
                    self._player,
                    wav_stream(fmt, samples, volume),
                    cancel=self._cancel,
                    timeout_s=10.0 + 2.0 * audio_s,  # watchdog against a hung player
                )
            except PlayerError as exc:
                self._status.put(DeviceStatus(DeviceState.ERROR, f"no audio output: {exc}"))
                raise
            if played:  # it just worked: let the next status() probe again
                self._status.forget_failure()

    def stop(self) -> None:
        """End the current utterance within ~20 ms; safe from any thread, no-op when idle."""
        self._cancel.set()

    def status(self) -> DeviceStatus:
        """Probe (cached for ``status_ttl_s``): pyttsx3 + libespeak-ng load, each voice renders
        non-silent audio, and the player opens its output. OFFLINE when pyttsx3 or libespeak-ng
        is missing, ERROR for a missing voice or no audio output, BUSY while speaking."""
        return self._status.get(self._probe)

    def _probe(self) -> DeviceStatus:
        try:
            probes = {voice: _PROBE_TEXT[lang] for lang, voice in self._voices.items()}
            problem = _shared_host().check(probes).result(_PROBE_TIMEOUT_S)
        except FutureTimeout:
            return DeviceStatus(DeviceState.UNKNOWN, "pyttsx3 did not answer")
        if problem is not None:
            return problem
        player_problem = probe_player(self._player)
        if player_problem is not None:
            return player_problem
        voices = "+".join(self._voices.values())
        return DeviceStatus(
            DeviceState.READY, f"pyttsx3/espeak ({voices}) → {Path(self._player[0]).name}"
        )
