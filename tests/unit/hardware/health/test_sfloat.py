"""IEEE 11073-20601 SFLOAT/FLOAT decoding, from hand-worked bit patterns."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from hardware.health.sfloat import SpecialValue, decode_float, decode_sfloat, is_number, to_float

# SFLOAT: raw = EEEE MMMM MMMM MMMM (exponent 4-bit two's complement, mantissa 12-bit).
SFLOAT_NUMBERS = [
    # raw, expected text (Decimal string, so the resolution is checked too)
    (0x0000, "0"),  # m 0, e 0
    (0x0078, "120"),  # m 0x078 = 120, e 0
    (0xF4B5, "120.5"),  # e 0xF = -1, m 0x4B5 = 1205
    (0xF0A0, "16.0"),  # e -1, m 0x0A0 = 160: keeps the trailing zero
    (0xE04E, "0.78"),  # e 0xE = -2, m 0x04E = 78
    (0x0FFF, "-1"),  # e 0, m 0xFFF = 4095 - 4096 = -1
    (0xFF9C, "-10.0"),  # e -1, m 0xF9C = 3996 - 4096 = -100
    (0x07FD, "2045"),  # largest positive mantissa
    (0x0803, "-2045"),  # m 0x803 = 2051 - 4096 = -2045, most negative number
    (0x8001, "1E-8"),  # e 0x8 = -8 (most negative exponent), m 1
    (0x7001, "10000000"),  # e 7 (largest exponent), m 1: integral, not 1E+7
    (0x1078, "1200"),  # e 1, m 120
    (0x7FFF, "-10000000"),  # e 7, m -1
]


@pytest.mark.parametrize(
    ("raw", "text"), SFLOAT_NUMBERS, ids=[f"{r:#06x}" for r, _ in SFLOAT_NUMBERS]
)
def test_sfloat_numbers(raw: int, text: str) -> None:
    value = decode_sfloat(raw)
    assert isinstance(value, Decimal)
    assert str(value) == text


SFLOAT_SPECIALS = [
    (0x07FF, SpecialValue.NAN),
    (0x0800, SpecialValue.NRES),
    (0x07FE, SpecialValue.POSITIVE_INFINITY),
    (0x0802, SpecialValue.NEGATIVE_INFINITY),
    (0x0801, SpecialValue.RESERVED),
    # The special mantissas are outside the numeric range whatever the exponent.
    (0xF7FF, SpecialValue.NAN),  # e -1, m 0x7FF
    (0x1800, SpecialValue.NRES),  # e 1, m 0x800
]


@pytest.mark.parametrize(
    ("raw", "special"), SFLOAT_SPECIALS, ids=[f"{r:#06x}" for r, _ in SFLOAT_SPECIALS]
)
def test_sfloat_specials(raw: int, special: SpecialValue) -> None:
    assert decode_sfloat(raw) is special


# FLOAT: raw = exponent (8-bit two's complement) in bits 31..24, mantissa (24-bit) below.
FLOAT_NUMBERS = [
    (0x00000000, "0"),
    (0xFF00016D, "36.5"),  # e 0xFF = -1, m 0x00016D = 365
    (0xFE000E8D, "37.25"),  # e -2, m 0x000E8D = 3725
    (0xFF0003DA, "98.6"),  # e -1, m 0x0003DA = 986
    (0xFFFFFFCE, "-5.0"),  # e -1, m 0xFFFFCE = 16777166 - 16777216 = -50
    (0x007FFFFD, "8388605"),  # largest positive mantissa
    (0x00800003, "-8388605"),  # m 0x800003 - 0x1000000
    (0x80000001, "1E-128"),  # e 0x80 = -128
    (0x7F000001, "1" + "0" * 127),  # e 127: integral
    (0x02000025, "3700"),  # e 2, m 37
]


@pytest.mark.parametrize(
    ("raw", "text"), FLOAT_NUMBERS, ids=[f"{r:#010x}" for r, _ in FLOAT_NUMBERS]
)
def test_float_numbers(raw: int, text: str) -> None:
    value = decode_float(raw)
    assert isinstance(value, Decimal)
    assert str(value) == text


FLOAT_SPECIALS = [
    (0x007FFFFF, SpecialValue.NAN),
    (0x00800000, SpecialValue.NRES),
    (0x007FFFFE, SpecialValue.POSITIVE_INFINITY),
    (0x00800002, SpecialValue.NEGATIVE_INFINITY),
    (0x00800001, SpecialValue.RESERVED),
    (0xFF7FFFFF, SpecialValue.NAN),  # e -1, special mantissa
]


@pytest.mark.parametrize(
    ("raw", "special"), FLOAT_SPECIALS, ids=[f"{r:#010x}" for r, _ in FLOAT_SPECIALS]
)
def test_float_specials(raw: int, special: SpecialValue) -> None:
    assert decode_float(raw) is special


@pytest.mark.parametrize("raw", [-1, 0x10000])
def test_sfloat_rejects_out_of_range_raw(raw: int) -> None:
    with pytest.raises(ValueError, match="16-bit"):
        decode_sfloat(raw)


@pytest.mark.parametrize("raw", [-1, 0x1_0000_0000])
def test_float_rejects_out_of_range_raw(raw: int) -> None:
    with pytest.raises(ValueError, match="32-bit"):
        decode_float(raw)


def test_every_sfloat_decodes() -> None:
    # 65536 patterns: every one is a Decimal or a SpecialValue, and exactly 5 mantissas are
    # special in each of the 16 exponents.
    specials = 0
    for raw in range(0x10000):
        value = decode_sfloat(raw)
        if isinstance(value, SpecialValue):
            specials += 1
        else:
            assert isinstance(value, Decimal)
    assert specials == 5 * 16


def test_decoding_ignores_the_decimal_context() -> None:
    import decimal

    with decimal.localcontext(decimal.Context(prec=2)):
        assert str(decode_sfloat(0xF4B5)) == "120.5"
        assert str(decode_float(0x007FFFFD)) == "8388605"


def test_is_number() -> None:
    assert is_number(Decimal("1.5"))
    assert not is_number(SpecialValue.NAN)
    assert not is_number(None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("120.5"), 120.5),
        (SpecialValue.POSITIVE_INFINITY, math.inf),
        (SpecialValue.NEGATIVE_INFINITY, -math.inf),
    ],
)
def test_to_float(value: Decimal | SpecialValue, expected: float) -> None:
    assert to_float(value) == expected


@pytest.mark.parametrize("special", [SpecialValue.NAN, SpecialValue.NRES, SpecialValue.RESERVED])
def test_to_float_not_a_number(special: SpecialValue) -> None:
    assert math.isnan(to_float(special))
