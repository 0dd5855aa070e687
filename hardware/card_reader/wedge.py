"""Tell a keyboard-wedge card reader from a person typing, from key timing alone.

NOTE: Qt-free zone. The Qt event filter (:mod:`ui.card_wedge`) feeds key presses in here;
an evdev reader could use the same decoder.

A USB keyboard-wedge reader "types" the card UID at 1–20 ms a key and ends with Enter. A
*run* is a sequence of key presses each at most ``max_gap_s`` after the previous one. A run is
a card when it

* holds only allowed characters (hex digits by default, which covers decimal readers),
* is ``min_length`` to ``max_length`` characters long,
* ends with Enter at most ``max_gap_s`` after its last character, and
* was never given up on (released) on the way.

While a run might still be a card its characters are *held*: the caller keeps them back from
the focused widget. As soon as the run cannot be a card any more (a gap, a key that is not
allowed, too many characters, Enter too late or too early) the held characters are
*released*: the caller delivers them, in order, as ordinary typing. Whatever follows a
released run quickly is part of the same run and is let through at once (so a fast typist or
a barcode scanner never has the tail of its run taken for a card).

Time ``t`` is in seconds from any monotonic source (key event timestamps, or a clock); only
differences matter. A negative difference (two time sources mixed) counts as a gap.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

__all__ = ["DEFAULT_ALLOWED", "Decision", "WedgeDecoder"]

#: Hex digits in both cases (decimal readers type a subset of these).
DEFAULT_ALLOWED: Final[frozenset[str]] = frozenset(string.hexdigits)


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with one key press.

    Attributes:
        hold: Keep this key back: it may belong to a card. False: deliver it now.
        release: Characters held before this key, to deliver first, in order, as typing.
    """

    hold: bool
    release: str = ""


class WedgeDecoder:
    """Burst detector for keyboard-wedge card readers (one instance per keyboard stream)."""

    def __init__(
        self,
        *,
        max_gap_s: float = 0.030,
        min_length: int = 4,
        max_length: int = 32,
        allowed: Iterable[str] = DEFAULT_ALLOWED,
    ) -> None:
        if not 0 < max_gap_s <= 1.0:
            raise ValueError("max_gap_s must be in (0, 1] seconds")
        if not 1 <= min_length <= max_length:
            raise ValueError("need 1 <= min_length <= max_length")
        allowed_set = frozenset(allowed)
        if not allowed_set or any(len(ch) != 1 or ch in "\r\n" for ch in allowed_set):
            raise ValueError("allowed must be single characters other than CR and LF")
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self.max_length = max_length
        self.allowed = allowed_set
        self._held: list[str] = []
        self._last_t: float | None = None
        # True while the current run has been given up on: it can no longer be a card.
        self._spoiled = False

    @property
    def pending(self) -> bool:
        """Whether characters are being held back."""
        return bool(self._held)

    @property
    def held_count(self) -> int:
        return len(self._held)

    def _continues_run(self, t: float) -> bool:
        return self._last_t is not None and 0.0 <= t - self._last_t <= self.max_gap_s

    def _begin(self, t: float) -> str:
        """Account for a key at ``t``; return held characters released by a gap."""
        released = ""
        if not self._continues_run(t):
            released = "".join(self._held)
            self._held.clear()
            self._spoiled = False
        self._last_t = t
        return released

    def feed(self, char: str, t: float) -> Decision:
        """A printable key press ``char`` at time ``t``."""
        released = self._begin(t)
        if len(char) != 1 or char not in self.allowed:
            return Decision(hold=False, release=released + self._give_up())
        if self._spoiled:
            return Decision(hold=False, release=released)
        if len(self._held) >= self.max_length:
            # Too long for a card (a barcode scanner, a paste): typing, up to the next gap.
            return Decision(hold=False, release=released + self._give_up())
        self._held.append(char)
        return Decision(hold=True, release=released)

    def interrupt(self, t: float) -> str:
        """A key that cannot belong to a card (arrows, Backspace, Ctrl+…, auto-repeat) at ``t``.

        Returns the held characters to deliver before that key.
        """
        released = self._begin(t)
        return released + self._give_up()

    def enter(self, t: float) -> str | None:
        """Enter (CR or LF) at time ``t``: the card's characters if the run was a card.

        On ``None`` the run is over but its held characters (if any) are still held: call
        :meth:`flush` and deliver them before the Enter key.
        """
        is_card = (
            not self._spoiled
            and self._continues_run(t)
            and self.min_length <= len(self._held) <= self.max_length
        )
        self._last_t = None
        self._spoiled = False
        if not is_card:
            return None
        uid = "".join(self._held)
        self._held.clear()
        return uid

    def flush(self) -> str:
        """Give up on the current run now: return the held characters to deliver as typing.

        Called when nothing arrived for a while (the caller's timer). If a key of the same run
        still turns up afterwards (a late event), it is let through as typing.
        """
        return self._give_up()

    def expire(self, t: float) -> str:
        """At time ``t``: release the held characters if the run has gone quiet, else ""."""
        if self._held and not self._continues_run(t):
            return self._give_up()
        return ""

    def reset(self) -> None:
        """Forget everything, held characters included."""
        self._held.clear()
        self._last_t = None
        self._spoiled = False

    def _give_up(self) -> str:
        released = "".join(self._held)
        self._held.clear()
        if self._last_t is not None:
            self._spoiled = True
        return released
