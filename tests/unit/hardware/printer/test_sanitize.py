"""clean_text / printable_text / encode_gb18030: nothing executable survives, text does."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.printer.sanitize import (
    clean_text,
    encode_gb18030,
    is_removed_char,
    printable_text,
)

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
#: Any code point, with the dangerous ones (controls, bidi, zero-width, surrogates) boosted.
ANY_CHAR = st.one_of(
    st.characters(codec=None, exclude_categories=()),
    st.integers(0, 0x9F).map(chr),
    st.integers(0xD800, 0xDFFF).map(chr),
    st.sampled_from(BIDI + ZERO_WIDTH),
)
ANY_TEXT = st.text(ANY_CHAR, max_size=60)


@pytest.mark.parametrize("value", range(256))
def test_every_latin1_code_point(value: int) -> None:
    ch = chr(value)
    out = clean_text(f"a{ch}b")
    if ch in ("\n", "\r"):
        assert out == "a\nb"
    elif ch == "\t":
        assert out == "a b"
    elif value < 0x20 or 0x7F <= value <= 0x9F or ch == "\u00ad":
        assert out == "ab"
    else:
        assert out == f"a{ch}b"


def test_bidi_and_zero_width_removed() -> None:
    assert clean_text(f"张{BIDI}三{ZERO_WIDTH}") == "张三"


def test_lone_surrogates_and_noncharacters_removed() -> None:
    raw = b"Li\xff\xfe".decode("utf-8", "surrogateescape")  # lone surrogates U+DCFF U+DCFE
    assert clean_text(raw + "\ufffe\uffff\ufdd0") == "Li"


def test_private_use_becomes_question_mark() -> None:
    assert clean_text("a\ue000b") == "a?b"


def test_line_ends() -> None:
    assert clean_text("a\r\nb\rc\u2028d\u2029e") == "a\nb\nc\nd\ne"
    assert clean_text("a\r\nb\nc", single_line=True) == "a b c"


def test_chinese_and_punctuation_kept() -> None:
    text = "社区服务站：张三，您好！（A座）“请稍候”￥12.50 😀 𠀀"
    assert clean_text(text) == text


def test_printable_text_for_printer_fonts() -> None:
    assert printable_text("¥5") == "￥5"
    assert printable_text("a\u00a0b\u3000c") == "a b\u3000c"
    assert printable_text("pi\u0304n") == "pīn"  # combining macron → precomposed (GB2312 has ī)
    assert printable_text("x\u20dd") == "x"  # a combining mark with no precomposed form


def test_encode_gb18030() -> None:
    assert encode_gb18030("社区 ABC ￥") == "社区 ABC ￥".encode("gb18030")
    assert encode_gb18030("a\x1b@b\x10\x14\x01") == b"a@b"
    assert encode_gb18030("𠀀", four_byte=False) == b"?"
    assert len(encode_gb18030("𠀀")) == 4
    assert encode_gb18030("¥") == "¥".encode("gb18030")  # 4 bytes; printable_text maps it first


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_clean_text_properties(text: str) -> None:
    out = clean_text(text)
    assert clean_text(out) == out
    for ch in out:
        assert ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
        assert not is_removed_char(ch)
    single = clean_text(text, single_line=True)
    assert "\n" not in single


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, st.booleans())
def test_encoded_bytes_have_no_controls(text: str, four_byte: bool) -> None:
    data = encode_gb18030(text, four_byte=four_byte)
    assert all(b == 0x0A or (b >= 0x20 and b != 0x7F) for b in data)
    data.decode("gb18030")  # always complete sequences
