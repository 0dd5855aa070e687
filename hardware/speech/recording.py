"""A speech engine simulator for tests: records what it was asked to say. Not a driver."""

from __future__ import annotations

import threading
from typing import NamedTuple

from hardware.protocols import DeviceState, DeviceStatus, SpeechError

__all__ = ["RecordingSpeechEngine", "Utterance"]


class Utterance(NamedTuple):
    """One ``speak`` call as received."""

    text: str
    lang: str
    rate_cpm: int
    volume: float


class RecordingSpeechEngine:
    """Simulated :class:`~hardware.protocols.SpeechEngine` that plays nothing.

    ``speak`` appends an :class:`Utterance` to :attr:`utterances`, then blocks for ``latency_s``
    (as if speaking) unless :meth:`stop` is called from another thread meanwhile. :attr:`stops`
    counts ``stop`` calls, :attr:`interrupted` the utterances a stop cut short. Set
    :attr:`fault` to make the next ``speak`` calls raise it, :attr:`device_status` to change
    what :meth:`status` reports.
    """

    name = "recording"

    def __init__(self, *, latency_s: float = 0.0) -> None:
        self.latency_s = latency_s
        self.utterances: list[Utterance] = []
        self.stops = 0
        self.interrupted = 0
        self.fault: SpeechError | None = None
        self.device_status = DeviceStatus(DeviceState.READY, "recording simulator")
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def speak(self, text: str, *, lang: str, rate_cpm: int, volume: float) -> None:
        with self._lock:
            self._stop.clear()
            self.utterances.append(Utterance(text, lang, rate_cpm, volume))
            fault = self.fault
        if fault is not None:
            raise fault
        if self.latency_s > 0 and self._stop.wait(self.latency_s):
            with self._lock:
                self.interrupted += 1

    def stop(self) -> None:
        with self._lock:
            self.stops += 1
        self._stop.set()

    def status(self) -> DeviceStatus:
        return self.device_status

    @property
    def texts(self) -> list[str]:
        """The texts spoken so far, in order."""
        with self._lock:
            return [u.text for u in self.utterances]
