"""Column widths and wrapping (hanzi are two columns on the printer)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hardware.printer.textwidth import (
    NO_LINE_END,
    NO_LINE_START,
    display_columns,
    printer_columns,
    wrap_text,
)


def test_printer_columns() -> None:
    assert printer_columns("ABC") == 3
    assert printer_columns("社区") == 4
    assert printer_columns("“é”") == 6  # every multi-byte GB18030 character is full width
    assert printer_columns("a\n") == 1


def test_display_columns() -> None:
    assert display_columns("社区AB") == 6
    assert display_columns("e\u0301") == 1  # combining accent takes no column
    assert display_columns("“") == 1  # ambiguous width: narrow on screens


def test_hanzi_wrap_at_any_character() -> None:
    assert wrap_text("社区服务站欢迎您", 6) == ["社区服", "务站欢", "迎您"]


def test_words_wrap_at_spaces() -> None:
    assert wrap_text("Hello kiosk world", 11) == ["Hello kiosk", "world"]
    assert wrap_text("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_closing_punctuation_never_starts_a_line() -> None:
    lines = wrap_text("请到二号窗口。谢谢", 12)
    assert lines == ["请到二号窗", "口。谢谢"]
    assert all(line[:1] not in NO_LINE_START for line in lines)


def test_opening_bracket_never_ends_a_line() -> None:
    lines = wrap_text("姓名张三（李四）", 10)
    assert all(line[-1:] not in NO_LINE_END for line in lines)
    assert "".join(lines) == "姓名张三（李四）"


def test_newlines_and_empty_text() -> None:
    assert wrap_text("", 10) == [""]
    assert wrap_text("a\n\nb", 10) == ["a", "", "b"]


def test_pixel_measure() -> None:
    assert wrap_text("aaaa bbbb", 45, lambda s: 10.0 * len(s)) == ["aaaa", "bbbb"]


def test_bad_width() -> None:
    with pytest.raises(ValueError, match="width"):
        wrap_text("x", 0)


TEXT = st.text(
    st.one_of(
        st.sampled_from("社区服务站张三李四，。！？（）《》“”、：Ab1 ."),
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cf")),
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(4, 48))
@example("🤌{", 4)  # an opening bracket at the very end stays
@example("（（（（（（", 4)
def test_wrap_properties(text: str, width: int) -> None:
    lines = wrap_text(text, width)
    for line in lines:
        assert printer_columns(line) <= width
    # Nothing is lost but the spaces at the breaks.
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
