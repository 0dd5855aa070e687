"""IEEE 11073-20601 medical number formats used by the Bluetooth health profiles.

Two formats carry almost every reading:

* **SFLOAT** (16 bits): bits 15..12 a signed 4-bit exponent (−8..7), bits 11..0 a signed
  12-bit mantissa; value = mantissa × 10^exponent.
* **FLOAT** (32 bits): bits 31..24 a signed 8-bit exponent (−128..127), bits 23..0 a signed
  24-bit mantissa; value = mantissa × 10^exponent.

Both are base 10 on purpose, so a device that measured 120.5 mmHg sends mantissa 1205 and
exponent −1. Binary floating point would turn that into 120.49999…; we return
:class:`decimal.Decimal` instead, which is exact and keeps the device's resolution
(``Decimal("120.5")``, ``Decimal("36.50")``), so the screen shows what the device showed.
A non-negative exponent gives an integral ``Decimal`` (``Decimal("1200")``, never
``Decimal("1.2E+3")``).

The largest mantissas are not numbers but *special values* (NaN, NRes, ±infinity and one
reserved code). They come back as :class:`SpecialValue` members rather than as
``Decimal('NaN')`` or floats, so a caller cannot do arithmetic on "no result" by accident
and the type checker forces every display path to handle them. The special codes are
recognised by the mantissa alone, whatever the exponent: those mantissas lie outside the
format's numeric range (SFLOAT −2045..+2045, FLOAT −8388605..+8388605), and the canonical
encoding (exponent 0) is the one devices send.
"""

from __future__ import annotations

import enum
import math
from decimal import Decimal
from typing import TypeAlias, TypeGuard

__all__ = [
    "MeasuredValue",
    "SpecialValue",
    "decode_float",
    "decode_sfloat",
    "is_number",
    "to_float",
]


class SpecialValue(enum.Enum):
    """An IEEE 11073 special value: the device sent "no number" and says why."""

    NAN = "NaN"
    """Not a Number: the measurement is invalid or was not taken."""

    NRES = "NRes"
    """Not at this Resolution: the value cannot be represented with the available digits."""

    POSITIVE_INFINITY = "+INFINITY"
    """Above the measuring range of the device."""

    NEGATIVE_INFINITY = "-INFINITY"
    """Below the measuring range of the device."""

    RESERVED = "reserved"
    """A code the standard reserves for future use; treat as "no value"."""


MeasuredValue: TypeAlias = Decimal | SpecialValue
"""A decoded SFLOAT/FLOAT: an exact decimal number or a :class:`SpecialValue`."""

# Special mantissas, as the raw (unsigned) mantissa bits.
_SFLOAT_SPECIALS: dict[int, SpecialValue] = {
    0x07FF: SpecialValue.NAN,
    0x0800: SpecialValue.NRES,
    0x07FE: SpecialValue.POSITIVE_INFINITY,
    0x0802: SpecialValue.NEGATIVE_INFINITY,
    0x0801: SpecialValue.RESERVED,
}
_FLOAT_SPECIALS: dict[int, SpecialValue] = {
    0x007FFFFF: SpecialValue.NAN,
    0x00800000: SpecialValue.NRES,
    0x007FFFFE: SpecialValue.POSITIVE_INFINITY,
    0x00800002: SpecialValue.NEGATIVE_INFINITY,
    0x00800001: SpecialValue.RESERVED,
}


def _signed(value: int, bits: int) -> int:
    """Two's-complement interpretation of the low ``bits`` bits of ``value``."""
    sign_bit = 1 << (bits - 1)
    return value - (1 << bits) if value & sign_bit else value


def _decimal(mantissa: int, exponent: int) -> Decimal:
    """``mantissa × 10**exponent`` exactly, independent of the decimal context."""
    if exponent >= 0:
        return Decimal(mantissa * 10**exponent)
    # The string constructor is exact and ignores the context's precision and rounding.
    return Decimal(f"{mantissa}E{exponent}")


def decode_sfloat(raw: int) -> MeasuredValue:
    """Decode a 16-bit SFLOAT given as an unsigned integer (already little-endian decoded).

    >>> decode_sfloat(0xF4B5)  # mantissa 1205, exponent -1
    Decimal('120.5')
    >>> decode_sfloat(0x07FF)
    <SpecialValue.NAN: 'NaN'>

    Raises :class:`ValueError` if ``raw`` is not in 0..0xFFFF.
    """
    if not 0 <= raw <= 0xFFFF:
        raise ValueError(f"SFLOAT must be a 16-bit unsigned integer, got {raw!r}")
    mantissa_bits = raw & 0x0FFF
    special = _SFLOAT_SPECIALS.get(mantissa_bits)
    if special is not None:
        return special
    return _decimal(_signed(mantissa_bits, 12), _signed(raw >> 12, 4))


def decode_float(raw: int) -> MeasuredValue:
    """Decode a 32-bit FLOAT given as an unsigned integer (already little-endian decoded).

    >>> decode_float(0xFF00016D)  # mantissa 365, exponent -1
    Decimal('36.5')

    Raises :class:`ValueError` if ``raw`` is not in 0..0xFFFFFFFF.
    """
    if not 0 <= raw <= 0xFFFF_FFFF:
        raise ValueError(f"FLOAT must be a 32-bit unsigned integer, got {raw!r}")
    mantissa_bits = raw & 0x00FF_FFFF
    special = _FLOAT_SPECIALS.get(mantissa_bits)
    if special is not None:
        return special
    return _decimal(_signed(mantissa_bits, 24), _signed(raw >> 24, 8))


def is_number(value: MeasuredValue | None) -> TypeGuard[Decimal]:
    """True if ``value`` is an actual number (not absent, not a special value)."""
    return isinstance(value, Decimal)


def to_float(value: MeasuredValue) -> float:
    """Lossy conversion for charts and arithmetic that tolerate IEEE floats.

    ±infinity map to ``±math.inf``; NaN, NRes and reserved map to ``math.nan``.
    Use the ``Decimal`` itself for anything shown to a person.
    """
    if isinstance(value, Decimal):
        return float(value)
    if value is SpecialValue.POSITIVE_INFINITY:
        return math.inf
    if value is SpecialValue.NEGATIVE_INFINITY:
        return -math.inf
    return math.nan
