"""ESC/POS job building: byte-exact snippets (python-escpos Dummy), layout, raster, status."""

from __future__ import annotations

import pytest
from escpos.printer import Dummy
from PIL import Image

from hardware.printer.errors import ReceiptContentError
from hardware.printer.escpos_job import (
    JobOptions,
    build_job,
    decode_status,
    raster_commands,
    scrub_realtime,
)
from hardware.printer.escpos_printer import EscPosReceiptPrinter
from hardware.printer.render import PRACTICE_BANNER, SlipRenderer, to_printer_bitmap
from hardware.printer.textwidth import printer_columns
from hardware.protocols import DeviceState, Receipt, ReceiptLine
from tests.unit.hardware.printer import escpos_stream as es
from tests.unit.hardware.printer import fake_printer as fp

SLIP = Receipt(
    title="社区服务站 来访登记",
    lines=(
        ReceiptLine("姓名：张三"),
        ReceiptLine(
            "事由：办理居住证明，请到二号窗口等候叫号。Please wait at window 2.", bold=True
        ),
        ReceiptLine("A023", large=True, align="center"),
        ReceiptLine("金额：¥12.50", align="right"),
    ),
    qr="https://kiosk.example/v/8f3a?站=东湖",
    qr_caption="扫码查看进度",
    footer="谢谢光临\n2024-05-01 10:00",
)


# ---------------------------------------------------------------------------- byte-exact
def test_title_only_job_byte_exact() -> None:
    job = build_job(Receipt(title="登记"), JobOptions())
    normal = b"\x1d!\x00\x1bE\x00\x1ba\x00\x1dB\x00"  # GS ! 0, ESC E 0, ESC a 0, GS B 0
    assert job == (
        b"\x1b@"  # ESC @ init
        b"\x1c&"  # FS & Chinese mode
        b"\x1d!\x11\x1bE\x01\x1ba\x01\x1dB\x00"  # double size, bold, centred, not reversed
        + "登记".encode("gb18030")
        + b"\n"
        + normal
        + b"-" * 48
        + b"\n"
        + normal
        + b"\x1bd\x06"  # feed 6 lines
        + b"\x1dV\x01"  # partial cut
    )


def test_dummy_device_receives_the_job_and_native_qr_matches_python_escpos() -> None:
    dummy = Dummy()
    printer = EscPosReceiptPrinter(device_factory=lambda: dummy, hold_on_unknown=False)
    printer.print_receipt(SLIP)
    assert dummy.output == printer.render_job(SLIP)
    reference = Dummy()
    reference.qr(SLIP.qr, ec=1, size=6, native=True)
    assert reference.output in dummy.output
    assert dummy.output.endswith(b"\x1bd\x06\x1dV\x01")


def test_dummy_device_status_is_unknown_and_holds_by_default() -> None:
    printer = EscPosReceiptPrinter(device_factory=Dummy)
    status = printer.status()
    assert status.state is DeviceState.UNKNOWN
    assert status.detail == "no status channel"


# ---------------------------------------------------------------------------- parsed layout
def _style_runs(tokens: list[es.Token]) -> list[tuple[bool, str]]:
    """(large, text line) for every printed line, tracking GS ! size."""
    large = False
    current = b""
    out: list[tuple[bool, str]] = []
    for token in tokens:
        if token.name == "GS !":
            large = token.data != b"\x00"
        elif token.name == "TEXT":
            current += token.data
        elif token.name == "LF":
            out.append((large, current.decode("gb18030")))
            current = b""
    return out


@pytest.mark.parametrize("width", [48, 32])
def test_layout_parsed_back(width: int) -> None:
    job = build_job(SLIP, JobOptions(width_chars=width))
    tokens = es.parse(job)
    names = es.commands(tokens)
    assert names[:2] == ["ESC @", "FS &"]
    assert names[-2:] == ["ESC d", "GS V"]
    assert set(names) <= es.ALLOWED_IN_JOB
    lines = es.text_lines(tokens)
    rule = lines.index("-" * width)
    assert "".join(lines[:rule]).replace(" ", "") == "社区服务站来访登记"
    assert "姓名：张三" in lines
    assert "".join(lines).count("A023") == 1
    assert any(line.startswith("金额：￥12.50") for line in lines)  # ¥ → ￥ (2 bytes in GB18030)
    assert "扫码查看进度" in lines
    assert "谢谢光临" in lines
    assert "2024-05-01 10:00" in lines
    assert es.qr_payloads(tokens) == [SLIP.qr]
    for large, line in _style_runs(tokens):
        assert printer_columns(line) <= (width // 2 if large else width), line
    assert PRACTICE_BANNER not in "".join(lines)


def test_practice_banner_printed_reversed_top_and_bottom() -> None:
    job = build_job(Receipt(title="练习", practice=True), JobOptions())
    tokens = es.parse(job)
    lines = es.text_lines(tokens)
    banner_lines = [i for i, line in enumerate(lines) if PRACTICE_BANNER in line]
    assert len(banner_lines) == 2
    assert banner_lines[0] == 0
    assert banner_lines[1] >= len(lines) - 3
    assert any(t.name == "GS B" and t.data == b"\x01" for t in tokens)


def test_qr_as_image_option() -> None:
    tokens = es.parse(build_job(SLIP, JobOptions(qr_native=False)))
    assert es.qr_payloads(tokens) == []
    blocks = es.raster_blocks(tokens)
    assert blocks
    assert all(width == 72 for width, _, _ in blocks)


def test_profile_without_native_qr_prints_qr_as_image() -> None:
    tokens = es.parse(build_job(SLIP, JobOptions(profile="simple")))
    assert es.qr_payloads(tokens) == []
    assert es.raster_blocks(tokens)


def test_qr_length_that_would_read_as_dle_eot_is_printed_as_image() -> None:
    payload = "x" * (0x0410 - 3)  # GS ( k pL pH = 0x10 0x04 = DLE EOT
    tokens = es.parse(build_job(Receipt(title="t", qr=payload), JobOptions(qr_ec="L")))
    assert es.qr_payloads(tokens) == []
    assert es.raster_blocks(tokens)


def test_qr_too_long_is_a_content_error() -> None:
    with pytest.raises(ReceiptContentError):
        build_job(Receipt(title="t", qr="x" * 5000), JobOptions())


def test_no_qr_when_payload_is_only_controls() -> None:
    tokens = es.parse(build_job(Receipt(title="t", qr="\x1b\x10\x04"), JobOptions()))
    assert not any(t.name == "GS ( k" for t in tokens)


# ---------------------------------------------------------------------------- image mode
def test_image_mode_is_init_raster_cut_and_matches_the_renderer() -> None:
    job = build_job(SLIP, JobOptions(chinese="image"))
    tokens = es.parse(job)
    names = es.commands(tokens)
    assert names[0] == "ESC @"
    assert names[-2:] == ["ESC d", "GS V"]
    assert set(names) == {"ESC @", "GS v 0", "ESC d", "GS V"}
    assert es.text_lines(tokens) == []
    blocks = es.raster_blocks(tokens)
    height = sum(h for _, h, _ in blocks)
    data = b"".join(d for _, _, d in blocks)
    expected = to_printer_bitmap(SlipRenderer(576).render(SLIP))
    assert expected.size == (576, height)
    ink = bytes(b ^ 0xFF for b in expected.tobytes())  # Pillow "1": 1 = white
    differing = [i for i, (a, b) in enumerate(zip(data, ink, strict=True)) if a != b]
    # The only differences: a DLE (0x10) cleared where it would start a real-time command.
    assert all(ink[i] == 0x10 and data[i] == 0 and ink[i + 1] in (4, 5, 0x14) for i in differing)


def test_raster_encoding_and_realtime_scrub() -> None:
    image = Image.new("L", (16, 2), 255)
    image.putpixel((3, 0), 0)  # byte 0 = 0x10
    image.putpixel((13, 0), 0)  # byte 1 = 0x04  → would read as DLE EOT
    image.putpixel((0, 1), 0)  # byte 2 = 0x80
    out = raster_commands(image)
    assert out == b"\x1dv0\x00\x02\x00\x02\x00" + b"\x00\x04\x80\x00"
    assert (
        scrub_realtime(b"\x10\x04\x10\x14\x10\x05\x10\x41") == b"\x00\x04\x00\x14\x00\x05\x10\x41"
    )


# ---------------------------------------------------------------------------- status bytes
@pytest.mark.parametrize(
    ("offline_cause", "paper", "state", "detail"),
    [
        (fp.OK, fp.OK, DeviceState.READY, ""),
        (fp.OK, fp.PAPER_NEAR_END, DeviceState.PAPER_LOW, "paper near end"),
        (fp.OK, fp.PAPER_END, DeviceState.PAPER_OUT, "paper end"),
        (fp.OK, 0x12 | 0x20, DeviceState.PAPER_OUT, "paper end"),  # only one sensor bit
        (fp.PAPER_END_STOP, fp.OK, DeviceState.PAPER_OUT, "paper end"),
        (fp.COVER_OPEN, fp.OK, DeviceState.ERROR, "cover open"),
        (fp.COVER_OPEN, fp.PAPER_END, DeviceState.ERROR, "cover open"),
        (fp.ERROR, fp.OK, DeviceState.ERROR, "printer error"),
        (fp.FEED_BUTTON, fp.OK, DeviceState.BUSY, "paper feed button pressed"),
        (0x00, fp.OK, DeviceState.UNKNOWN, "invalid status byte 0x00"),
        (fp.OK, 0xFF, DeviceState.UNKNOWN, "invalid status byte 0xff"),
    ],
)
def test_decode_status(offline_cause: int, paper: int, state: DeviceState, detail: str) -> None:
    status = decode_status(offline_cause, paper)
    assert status.state is state
    assert status.detail == detail
