"""Short numeric codes a person can read off paper and type on a keypad.

Two uses: the code printed under a pass QR (typed when the camera cannot read the QR) and the
exit code on a visitor slip (离开登记). A code is :data:`BODY_DIGITS` random digits plus one
Damm check digit. The check digit catches every single mistyped digit and every swap of two
neighbouring digits, so the kiosk can say "please check the number" at once, without asking
the platform (and without counting a typo as a guess).

A code is not a secret: it only finds a record that must still pass its own checks (a pass
token still has to verify by signature; an exit code only closes a visit that is inside).
With 10⁸ bodies and at most a few hundred live records, a random guess hits one with a
probability of about 10⁻⁶; the kiosk also slows down repeated wrong codes.

NOTE: Qt-free zone.
"""

from __future__ import annotations

import secrets
from typing import Final

__all__ = [
    "BODY_DIGITS",
    "CODE_DIGITS",
    "check_digit",
    "format_code",
    "is_valid_code",
    "new_code",
    "normalize_code",
]

BODY_DIGITS: Final = 8
CODE_DIGITS: Final = BODY_DIGITS + 1

# The Damm quasigroup of order 10 (totally anti-symmetric, zero diagonal).
_DAMM: Final = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def _interim(digits: str) -> int:
    state = 0
    for ch in digits:
        state = _DAMM[state][ord(ch) - 48]
    return state


def _all_digits(text: str) -> bool:
    return bool(text) and all("0" <= ch <= "9" for ch in text)


def check_digit(body: str) -> str:
    """The Damm check digit of ``body`` (ASCII digits only)."""
    if not _all_digits(body):
        raise ValueError("a code body is ASCII digits only")
    return str(_interim(body))


def new_code() -> str:
    """A fresh random code: :data:`BODY_DIGITS` digits and the check digit."""
    body = f"{secrets.randbelow(10**BODY_DIGITS):0{BODY_DIGITS}d}"
    return body + check_digit(body)


def normalize_code(text: str) -> str:
    """Drop the spaces and dashes people copy from the slip (``"123 456 789"``)."""
    return "".join(ch for ch in text if ch not in " -\u00a0")


def is_valid_code(code: str) -> bool:
    """True when ``code`` has :data:`CODE_DIGITS` ASCII digits and its check digit holds."""
    return len(code) == CODE_DIGITS and _all_digits(code) and _interim(code) == 0


def format_code(code: str) -> str:
    """Groups of three for reading aloud and printing: ``"123 456 789"``."""
    return " ".join(code[i : i + 3] for i in range(0, len(code), 3))
