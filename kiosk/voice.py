"""Voice guidance: a queue of utterances spoken by a ``SpeechEngine`` on its own thread.

- Screens own their speech: ``stop_owned_by(screen)`` on leave drops what the screen queued.
- Any touch or navigation calls ``interrupt()`` before the next ``say()``.
- ``repeat_last()`` says the latest utterance again (the 重听 button), even in standard mode.
- In standard mode, speech is on request only: ``say(..., auto=True)`` is remembered for
  重听 but not spoken. In 长辈模式 it is spoken.
- Prompts are translated when spoken, in the language of the screen.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from hardware.protocols import DeviceError, SpeechEngine
from kiosk.config import VoiceConfig
from kiosk.prompts import Prompt

log = logging.getLogger(__name__)

Speakable = Prompt | str | Callable[[], str]


@dataclass(eq=False)
class _Utterance:
    text: str
    lang: str
    rate_cpm: int
    volume: float
    owner: object | None
    generation: int
    sensitive: bool = False
    done: threading.Event = field(default_factory=threading.Event)


class VoiceService(QObject):
    """Queue, interrupt, repeat and owner-scoped stop over one speech engine.

    Signals:
        utterance_started: An utterance began playing; arg: its text.
        utterance_finished: An utterance ended (played or stopped); arg: its text.
        settings_changed: Volume or rate step changed.
    """

    utterance_started = Signal(str)
    utterance_finished = Signal(str)
    settings_changed = Signal()

    def __init__(
        self,
        engine: SpeechEngine,
        config: VoiceConfig,
        *,
        language: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._cfg = config
        self._language = language
        self._enabled = False
        self._rate_step = config.standard_rate_step
        self._volume_step = config.default_volume_step
        self._last: tuple[Speakable, bool] | None = None
        #: Texts handed to the engine during this visit, newest last (the accessibility
        #: audit compares it with the screen). Cleared with the visit.
        self.history: list[str] = []
        self._queue: queue.Queue[_Utterance | None] = queue.Queue()
        self._generation = 0
        self._current: _Utterance | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._worker, name="voice", daemon=True)
        self._thread.start()

    # ---------------------------------------------------------------- settings
    @property
    def engine(self) -> SpeechEngine:
        return self._engine

    @property
    def enabled(self) -> bool:
        """Whether screens are read aloud on entry (长辈模式)."""
        return self._enabled

    def set_enabled(self, on: bool) -> None:
        self._enabled = on
        self._rate_step = self._cfg.elderly_rate_step if on else self._cfg.standard_rate_step
        self.settings_changed.emit()

    @property
    def rate_steps(self) -> tuple[int, ...]:
        return self._cfg.rate_steps_cpm

    @property
    def rate_step(self) -> int:
        return self._rate_step

    def set_rate_step(self, step: int) -> None:
        if not 0 <= step < len(self._cfg.rate_steps_cpm):
            raise ValueError(f"rate step {step} out of range")
        self._rate_step = step
        self.settings_changed.emit()

    @property
    def rate_cpm(self) -> int:
        return self._cfg.rate_steps_cpm[self._rate_step]

    @property
    def volume_steps(self) -> int:
        return self._cfg.volume_steps

    @property
    def volume_step(self) -> int:
        return self._volume_step

    def set_volume_step(self, step: int) -> None:
        if not 1 <= step <= self._cfg.volume_steps:
            raise ValueError(f"volume step {step} out of range")
        self._volume_step = step
        self.settings_changed.emit()

    def gain_db(self, step: int | None = None) -> float:
        """Software gain of a volume step: evenly spaced from ``min_gain_db`` to 0 dB."""
        s = self._volume_step if step is None else step
        n = self._cfg.volume_steps
        return self._cfg.min_gain_db * (n - s) / (n - 1)

    def volume(self, step: int | None = None) -> float:
        return math.pow(10.0, self.gain_db(step) / 20.0)

    def reset(self) -> None:
        """Back to the station defaults: stop, clear queue and 重听 memory, default volume."""
        self.stop()
        self._last = None
        self.history.clear()
        self._enabled = False
        self._rate_step = self._cfg.standard_rate_step
        self._volume_step = self._cfg.default_volume_step
        self.settings_changed.emit()

    # ---------------------------------------------------------------- speaking
    def say(
        self,
        what: Speakable,
        *,
        owner: object | None = None,
        auto: bool = False,
        sensitive: bool = False,
        **params: object,
    ) -> None:
        """Queue ``what``. ``auto`` speech (screen entry, status) is spoken only when enabled.

        ``sensitive`` marks text that must not be repeated after the visit (it is kept for
        重听 only while the session lasts; ``reset()`` forgets it).
        """
        bound: Speakable
        if isinstance(what, Prompt) and params:
            prompt = what

            def bound() -> str:
                return prompt.text(**params)

        else:
            bound = what
        self._last = (bound, sensitive)
        if auto and not self._enabled:
            return
        self._enqueue(bound, owner, sensitive)

    def repeat_last(self) -> None:
        """Say the latest utterance again (重听)."""
        if self._last is None:
            return
        self.stop()
        self._enqueue(self._last[0], None, self._last[1])

    def last_text(self) -> str | None:
        return None if self._last is None else self._resolve(self._last[0])

    def interrupt(self) -> None:
        """Stop current speech because the user touched the screen or navigated."""
        self.stop()

    def stop(self) -> None:
        """Drop the queue and stop the current utterance."""
        with self._lock:
            self._generation += 1
            self._drain()
            current = self._current
        if current is not None:
            self._stop_engine()
            self._restop_later(current)

    def stop_owned_by(self, owner: object) -> None:
        """Drop queued speech of ``owner`` and stop it if it is speaking now."""
        with self._lock:
            kept: list[_Utterance | None] = []
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None or item.owner is not owner:
                    kept.append(item)
            for item in kept:
                self._queue.put(item)
            current = self._current
        if current is not None and current.owner is owner:
            self._stop_engine()
            self._restop_later(current)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until the queue is empty and nothing is speaking (tests, shutdown)."""
        done = threading.Event()
        self._queue.put(_Utterance("", "", 0, 0.0, None, -1, done=done))
        return done.wait(timeout)

    def shutdown(self) -> None:
        self.stop()
        self._queue.put(None)
        self._thread.join(timeout=5)

    # ---------------------------------------------------------------- internals
    def _resolve(self, what: Speakable) -> str:
        if isinstance(what, Prompt):
            return what.text()
        if isinstance(what, str):
            return what
        return what()

    def _enqueue(self, what: Speakable, owner: object | None, sensitive: bool) -> None:
        text = self._resolve(what).strip()
        if not text:
            return
        self.history.append(text)
        with self._lock:
            utt = _Utterance(
                text=text,
                lang=self._language(),
                rate_cpm=self.rate_cpm,
                volume=self.volume(),
                owner=owner,
                generation=self._generation,
                sensitive=sensitive,
            )
            self._queue.put(utt)

    def _drain(self) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is None:
                self._queue.put(None)
                return
            item.done.set()

    def _restop_later(self, utt: _Utterance) -> None:
        """Stop again shortly if ``utt`` is still playing.

        The worker may have taken ``utt`` but not yet entered ``engine.speak`` when ``stop``
        ran; engines reset their cancel flag when ``speak`` starts, so that first stop would
        be lost and the utterance would play in full.
        """

        def again() -> None:
            if self._current is utt and not utt.done.is_set():
                self._stop_engine()

        timer = threading.Timer(0.05, again)
        timer.daemon = True
        timer.start()

    def _stop_engine(self) -> None:
        try:
            self._engine.stop()
        except DeviceError:
            log.warning("speech engine failed to stop")

    def _worker(self) -> None:
        while True:
            utt = self._queue.get()
            if utt is None:
                return
            if utt.generation == -1:  # wait_idle marker
                utt.done.set()
                continue
            with self._lock:
                if utt.generation != self._generation:
                    utt.done.set()
                    continue
                self._current = utt
            self.utterance_started.emit(utt.text)
            try:
                self._engine.speak(
                    utt.text, lang=utt.lang, rate_cpm=utt.rate_cpm, volume=utt.volume
                )
            except DeviceError as exc:
                log.warning("speech failed: %s", type(exc).__name__)
            except Exception:
                log.exception("speech engine crashed")
            finally:
                with self._lock:
                    self._current = None
                utt.done.set()
                self.utterance_finished.emit(utt.text)
