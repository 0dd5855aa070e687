"""Text decoding rules of ``hardware.qr`` (bytes + ECI -> str), without images."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from hardware import qr

VISITOR = "访客通行证：张三，3栋2单元501"


def _barcode(stream: bytes, content: bytes = b"") -> SimpleNamespace:
    """A stand-in for zxingcpp.Barcode read with TextMode.HexECI."""
    return SimpleNamespace(text=stream.hex(" ").upper(), bytes=content)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"https://pass.example.cn/v/abc", "https://pass.example.cn/v/abc"),
        (VISITOR.encode("utf-8"), VISITOR),
        ("\ufeff" + VISITOR, VISITOR),
        (VISITOR.encode("gb18030"), VISITOR),
        ("缴费单号 ￥356.00".encode("gb18030"), "缴费单号 ￥356.00"),
        ("日本語漢字".encode("shift_jis"), "日本語漢字"),
        ("𬌗齿".encode("gb18030"), "𬌗齿"),  # four-byte GB18030 + a GB2312 hanzi
        (b"caf\xe9", "café"),  # nothing else fits: ISO-8859-1, the byte-mode default
        (b"", ""),
    ],
)
def test_unlabelled_bytes(data: bytes | str, expected: str) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    assert qr._decode_unlabelled(raw) == expected


def test_no_eci_stream_uses_the_heuristic() -> None:
    assert qr._payload_text(_barcode(b"]Q1" + VISITOR.encode("gb18030"))) == VISITOR


def test_eci_stream_uses_the_declared_charset() -> None:
    # ECI 3 (ISO-8859-1) declared: GB18030 would also "fit" these bytes, the ECI wins.
    stream = b"]Q2\\000003" + "cafés".encode("latin-1")
    assert qr._payload_text(_barcode(stream)) == "cafés"


def test_eci_segments_and_escaped_backslash() -> None:
    stream = (
        b"]Q2\\000026"
        + "路径 C:\\\\tmp ".encode()
        + b"\\000029"
        + "张三".encode("gb18030")
        + b"\\000020"
        + "漢字".encode("shift_jis")
    )
    assert qr._payload_text(_barcode(stream)) == "路径 C:\\tmp 张三漢字"


def test_lying_or_unknown_eci_falls_back_to_the_heuristic() -> None:
    gb = VISITOR.encode("gb18030")
    assert qr._payload_text(_barcode(b"]Q2\\000026" + gb)) == VISITOR  # not UTF-8 after all
    assert qr._payload_text(_barcode(b"]Q2\\000899" + gb)) == VISITOR  # 899: binary


def test_gs1_and_other_modifiers() -> None:
    assert qr._payload_text(_barcode(b"]Q3(01)0123")) == "(01)0123"
    assert qr._payload_text(_barcode(b"]Q4\\000026" + "张".encode())) == "张"


def test_unexpected_text_falls_back_to_content_bytes() -> None:
    odd = SimpleNamespace(text="not hex at all", bytes=VISITOR.encode("gb18030"))
    assert qr._payload_text(odd) == VISITOR


def test_eci_segments_split() -> None:
    assert qr._eci_segments(b"ab\\000026cd\\\\e\\12x") == [
        (None, b"ab"),
        (26, b"cd\\e\\12x"),
    ]
