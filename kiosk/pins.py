"""Admin PIN rules and results, without the store: the UI layer can name them cheaply.

``kiosk.services.admin_auth`` does the hashing, lockout and audit on top of these.
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

PIN_MIN_DIGITS: Final = 6
PIN_MAX_DIGITS: Final = 12


class LockoutPolicy(Protocol):
    """The lockout settings :class:`AdminAuth` needs; :class:`kiosk.config.AdminConfig` has them.

    A protocol rather than the config class, so services depend on values, not on the
    configuration module.
    """

    @property
    def max_failures(self) -> int: ...
    @property
    def lockout_s(self) -> int: ...
    @property
    def lockout_max_s(self) -> int: ...


class WeakPinReason(enum.StrEnum):
    """Why a new PIN was refused (a code the UI maps to a prompt)."""

    LENGTH = "length"
    NOT_DIGITS = "not_digits"
    REPEATED = "repeated"
    SEQUENCE = "sequence"


class WeakPinError(ValueError):
    """A new PIN breaks the PIN rule.

    Attributes:
        reason: Which part of the rule.
    """

    def __init__(self, reason: WeakPinReason) -> None:
        super().__init__(f"PIN refused: {reason.value}")
        self.reason = reason


class PinAlreadySetError(RuntimeError):
    """``set_pin`` was called but a PIN exists; use ``change_pin``."""


class PinNotSetError(RuntimeError):
    """No admin PIN exists yet; the first-run setup must call ``set_pin``."""


@dataclass(frozen=True, slots=True)
class AuthResult:
    """The outcome of one PIN attempt.

    Attributes:
        ok: The PIN was right.
        locked_until: End of the current lock (aware UTC), or ``None`` when not locked.
        failures: Consecutive wrong PINs so far (0 after a success).
    """

    ok: bool
    locked_until: datetime | None
    failures: int


def check_pin(pin: str) -> None:
    """Check a new PIN against the PIN rule.

    Raises:
        WeakPinError: The PIN is too short or long, not all ASCII digits, one digit repeated,
            or a straight run up or down.
    """
    if not all("0" <= ch <= "9" for ch in pin):
        raise WeakPinError(WeakPinReason.NOT_DIGITS)
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise WeakPinError(WeakPinReason.LENGTH)
    if len(set(pin)) == 1:
        raise WeakPinError(WeakPinReason.REPEATED)
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    if steps in ({1}, {9}):
        raise WeakPinError(WeakPinReason.SEQUENCE)
