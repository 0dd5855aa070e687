"""RELIABILITY item 18: receipt injection.

Every field that reaches the printer is filled with every byte value, ESC/GS/FS/DLE sequences
(``ESC @``, ``ESC p`` drawer pulse, ``DLE DC4`` pulse, ``DLE EOT`` status, ``GS V`` cut,
``FS &``/``FS .``, ``GS ( k`` …) and bidi/zero-width characters. The printed stream must
contain only the driver's own commands, at the driver's positions: one ``ESC @`` first, one
``FS &`` after it, one cut last, no drawer pulse, no real-time command anywhere; text runs
decode as GB18030 without a single control or format character.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardware.printer.escpos_job import ChineseMode, JobOptions, build_job
from hardware.printer.escpos_printer import EscPosReceiptPrinter
from hardware.printer.sanitize import clean_text
from hardware.protocols import Receipt, ReceiptLine
from tests.unit.hardware.printer import escpos_stream as es
from tests.unit.hardware.printer import fake_printer as fp
from tests.unit.hardware.printer.fake_printer import FakeEscPosPrinter

ESC, GS, FS, DLE = "\x1b", "\x1d", "\x1c", "\x10"
SEQUENCES = [
    ESC + "@",  # initialise
    ESC + "p\x00\x19\xfa",  # drawer pulse
    ESC + "p\x01\x32\x32",
    DLE + "\x14\x01\x00\x05",  # DLE DC4: real-time drawer pulse
    DLE + "\x14\x02\x01\x08",  # DLE DC4: power off
    DLE + "\x04\x01",  # DLE EOT: status
    DLE + "\x05\x02",  # DLE ENQ
    GS + "V\x00",  # full cut
    GS + "VA\x10",
    GS + "(k\x03\x001Q0",  # print QR
    FS + "&",
    FS + ".",
    ESC + "t\x10",
    ESC + "!\x38",
    GS + "!\x77",
    GS + "B\x01",
    ESC + "=\x00",  # deselect the printer
    "\x18",  # CAN
    ESC,  # a lone ESC at the end of a field would eat the next command byte
    "\u202e\u2066\u200b\ufeff",  # bidi override/isolate, zero width, BOM
    "\x85\x9b",  # C1: NEL, CSI
    b"\xff\x1b".decode("utf-8", "surrogateescape"),  # lone surrogate before ESC
]
ALL_CODE_POINTS_0_255 = "".join(chr(b) for b in range(256))
ALL_BYTES_AS_SURROGATES = bytes(range(256)).decode("utf-8", "surrogateescape")
REALTIME = re.compile(rb"\x10[\x04\x05\x14]")


def receipt_with(payload: str) -> Receipt:
    """``payload`` in every field that reaches the printer."""
    return Receipt(
        title=f"标题{payload}",
        lines=(
            ReceiptLine(f"姓名{payload}张三"),
            ReceiptLine(f"{payload}", bold=True, large=True, align="right"),
            ReceiptLine(f"备注{payload}", align="center"),
        ),
        qr=f"QR{payload}",
        qr_caption=f"说明{payload}",
        footer=f"页脚{payload}",
        practice=False,
    )


def cleaned(receipt: Receipt) -> Receipt:
    """The receipt as it should be printed: every field through clean_text."""
    return Receipt(
        title=clean_text(receipt.title),
        lines=tuple(
            ReceiptLine(clean_text(line.text), line.bold, line.large, line.align)
            for line in receipt.lines
        ),
        qr=None if receipt.qr is None else clean_text(receipt.qr),
        qr_caption=clean_text(receipt.qr_caption),
        footer=clean_text(receipt.footer),
        practice=receipt.practice,
    )


def assert_safe_job(job: bytes, chinese: ChineseMode) -> None:
    tokens = es.parse(job)  # raises on any control byte that is not a known command
    names = es.commands(tokens)
    assert set(names) <= es.ALLOWED_IN_JOB, set(names) - es.ALLOWED_IN_JOB
    assert not set(names) & es.DANGEROUS
    assert REALTIME.search(job) is None  # no DLE EOT/ENQ/DC4 anywhere, even inside data
    assert tokens[0].name == "ESC @"
    assert names.count("ESC @") == 1
    assert tokens[-1].name == "GS V"
    assert names.count("GS V") == 1
    assert tokens[-2].name == "ESC d"
    if chinese == "gb18030":
        assert tokens[1].name == "FS &"
        assert names.count("FS &") == 1
    else:
        assert "FS &" not in names
    for token in tokens:
        if token.name == "TEXT":
            text = token.data.decode("gb18030")  # strict: complete sequences only
            assert not any(forbidden(ch) for ch in text), ascii(text)
    for payload in es.qr_payloads(tokens):
        assert not any(forbidden(ch) for ch in payload.replace("\n", "")), ascii(payload)


def forbidden(ch: str) -> bool:
    """Controls, format characters (bidi, zero width), surrogates — judged independently of
    the sanitizer's own tables."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs") or 0x80 <= ord(ch) <= 0x9F


@pytest.mark.parametrize("value", range(256))
def test_every_byte_value_in_every_field(value: int) -> None:
    for payload in (chr(value), bytes([value]).decode("utf-8", "surrogateescape")):
        receipt = receipt_with(f"a{payload}{payload}b")
        job = build_job(receipt, JobOptions())
        assert_safe_job(job, "gb18030")
        assert job == build_job(cleaned(receipt), JobOptions())


@pytest.mark.parametrize("sequence", SEQUENCES, ids=[repr(s) for s in SEQUENCES])
def test_control_sequences_in_every_field(sequence: str) -> None:
    receipt = receipt_with(f"张{sequence}三{sequence}")
    job = build_job(receipt, JobOptions())
    assert_safe_job(job, "gb18030")
    assert job == build_job(cleaned(receipt), JobOptions())
    lines = es.text_lines(es.parse(job))
    assert any("姓名张" in line for line in lines)


@pytest.mark.parametrize("qr_native", [True, False])
def test_everything_at_once_in_image_mode(qr_native: bool) -> None:
    payload = ALL_CODE_POINTS_0_255 + ALL_BYTES_AS_SURROGATES + "".join(SEQUENCES)
    job = build_job(receipt_with(payload), JobOptions(chinese="image", qr_native=qr_native))
    assert_safe_job(job, "image")


def test_everything_at_once_over_tcp(
    fake_printer: Callable[..., FakeEscPosPrinter],
) -> None:
    server = fake_printer(fp.fixed())
    printer = EscPosReceiptPrinter(
        "network", host=server.host, port=server.port, timeout_s=2, status_timeout_s=0.5
    )
    payload = ALL_CODE_POINTS_0_255 + ALL_BYTES_AS_SURROGATES + "".join(SEQUENCES)
    printer.print_receipt(receipt_with(payload))
    deadline = time.monotonic() + 3
    while not any(c.endswith(b"\x10\x04\x04") and b"\x1dV" in c for c in server.received()):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    (stream,) = server.received()
    queries, job = es.split_status_queries(stream)
    assert queries == [2, 4, 2, 4]  # the driver's own status queries, outside the job
    assert_safe_job(job, "gb18030")
    assert job == printer.render_job(cleaned(receipt_with(payload)))


# ---------------------------------------------------------------------------- hypothesis
NASTY_TEXT = st.lists(
    st.one_of(
        st.text(st.characters(codec=None, exclude_categories=()), max_size=12),
        st.sampled_from(SEQUENCES),
        st.integers(0, 255).map(chr),
        st.integers(0xD800, 0xDFFF).map(chr),
        st.sampled_from("社区服务站张三，。（）“”￥¥"),
    ),
    max_size=12,
).map("".join)

RECEIPTS = st.builds(
    Receipt,
    title=NASTY_TEXT,
    lines=st.lists(
        st.builds(
            ReceiptLine,
            text=NASTY_TEXT,
            bold=st.booleans(),
            large=st.booleans(),
            align=st.sampled_from(["left", "center", "right"]),
        ),
        max_size=4,
    ).map(tuple),
    qr=st.one_of(st.none(), NASTY_TEXT),
    qr_caption=NASTY_TEXT,
    footer=NASTY_TEXT,
    practice=st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECEIPTS, st.sampled_from([48, 32]), st.booleans())
def test_hypothesis_text_mode(receipt: Receipt, width: int, qr_native: bool) -> None:
    options = JobOptions(width_chars=width, qr_native=qr_native)
    job = build_job(receipt, options)
    assert_safe_job(job, "gb18030")
    assert job == build_job(cleaned(receipt), options)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECEIPTS)
def test_hypothesis_image_mode(receipt: Receipt) -> None:
    assert_safe_job(build_job(receipt, JobOptions(chinese="image")), "image")
