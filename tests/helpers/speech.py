"""A recording speech engine that also keeps the order of calls and the calling threads."""

from __future__ import annotations

import threading

from hardware.speech.recording import RecordingSpeechEngine

#: Long enough that an utterance only ends when the test stops it; short enough that a
#: forgotten stop costs seconds, not a hung run.
UNTIL_STOPPED_S = 10.0


class TracingSpeechEngine(RecordingSpeechEngine):
    """``RecordingSpeechEngine`` plus :attr:`calls` (``("speak", text)`` and ``("stop", "")``
    in the order they happened) and :attr:`threads` (the thread of every ``speak``).

    Set ``latency_s = UNTIL_STOPPED_S`` to hold an utterance "on the speaker" until a stop.
    """

    def __init__(self, *, latency_s: float = 0.0) -> None:
        super().__init__(latency_s=latency_s)
        self.calls: list[tuple[str, str]] = []
        self.threads: list[threading.Thread] = []
        self._calls_lock = threading.Lock()

    def speak(self, text: str, *, lang: str, rate_cpm: int, volume: float) -> None:
        with self._calls_lock:
            self.calls.append(("speak", text))
            self.threads.append(threading.current_thread())
        super().speak(text, lang=lang, rate_cpm=rate_cpm, volume=volume)

    def stop(self) -> None:
        with self._calls_lock:
            self.calls.append(("stop", ""))
        super().stop()

    def calls_since(self, mark: int) -> list[tuple[str, str]]:
        with self._calls_lock:
            return list(self.calls[mark:])

    def mark(self) -> int:
        """Position in :attr:`calls`, for ``calls_since``."""
        with self._calls_lock:
            return len(self.calls)

    def speaking(self, text: str) -> bool:
        """Whether the latest ``speak`` call was ``text`` (it may still be playing)."""
        texts = self.texts
        return bool(texts) and texts[-1] == text
