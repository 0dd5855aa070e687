"""The simulator writes PNG slips a person can open, keeps what it printed, injects faults."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from hardware.printer.errors import (
    PrinterConnectionError,
    PrinterFaultError,
    PrinterPaperOutError,
    kept_job_id,
)
from hardware.printer.render import SlipRenderer
from hardware.printer.simulated import SimulatedReceiptPrinter
from hardware.protocols import (
    DeviceState,
    PaperOutError,
    PrinterError,
    PrinterOfflineError,
    Receipt,
    ReceiptLine,
    ReceiptPrinter,
)

SLIP = Receipt(
    title="社区服务站 缴费凭条",
    lines=(
        ReceiptLine("缴费人：张三"),
        ReceiptLine("项目：物业费 2024年5月", bold=True),
        ReceiptLine("￥128.00", large=True, align="right"),
        ReceiptLine("\u202e这行不会被反转\u202c"),
    ),
    qr="https://kiosk.example/r/5c1e",
    qr_caption="扫码查看电子凭证",
    footer="谢谢！",
    practice=True,
)


def dark_fraction(image: Image.Image) -> float:
    grey = image.convert("L")
    histogram = grey.histogram()
    return sum(histogram[:128]) / (grey.width * grey.height)


def test_png_written_with_the_right_size_and_not_blank(tmp_path: Path) -> None:
    printer = SimulatedReceiptPrinter(tmp_path / "slips")
    assert isinstance(printer, ReceiptPrinter)
    printer.print_receipt(SLIP)
    printer.print_receipt(Receipt(title="第二张"))
    assert printer.printed == [SLIP, Receipt(title="第二张")]
    assert [p.name for p in printer.images] == ["slip-0001.png", "slip-0002.png"]
    with Image.open(printer.images[0]) as image:
        assert image.format == "PNG"
        assert image.width == 576
        assert 600 < image.height < 3000
        assert 0.03 < dark_fraction(image) < 0.6
        top = image.crop((0, 0, 576, 120))
        assert dark_fraction(top) > 0.3  # the reversed 练习 PRACTICE band


def test_58mm_width(tmp_path: Path) -> None:
    printer = SimulatedReceiptPrinter(tmp_path, width_px=384)
    printer.print_receipt(SLIP)
    with Image.open(printer.images[0]) as image:
        assert image.width == 384


def test_no_out_dir_keeps_receipts_only() -> None:
    printer = SimulatedReceiptPrinter()
    printer.print_receipt(SLIP)
    assert printer.printed == [SLIP]
    assert printer.images == []


def test_status_is_honest_and_faults_keep_the_job() -> None:
    printer = SimulatedReceiptPrinter()
    assert printer.status().state is DeviceState.READY
    printer.set_paper(DeviceState.PAPER_LOW)
    assert printer.status().state is DeviceState.PAPER_LOW
    printer.print_receipt(SLIP)  # near end still prints

    printer.set_paper(DeviceState.PAPER_OUT)
    assert printer.status().state is DeviceState.PAPER_OUT
    with pytest.raises(PaperOutError) as paper:
        printer.print_receipt(SLIP)
    assert isinstance(paper.value, PrinterPaperOutError)

    printer.set_paper(DeviceState.READY)
    printer.open_cover()
    assert printer.status().state is DeviceState.ERROR
    with pytest.raises(PrinterFaultError):
        printer.print_receipt(SLIP)
    printer.open_cover(False)

    printer.go_offline()
    assert printer.status().state is DeviceState.OFFLINE
    with pytest.raises(PrinterOfflineError) as offline:
        printer.print_receipt(SLIP)
    assert isinstance(offline.value, PrinterConnectionError)
    printer.go_online()

    assert len(printer.spool) == 3
    assert kept_job_id(paper.value) == printer.spool.pending()[0].job_id
    assert printer.printed == [SLIP]
    assert printer.spool.reprint_all(printer).ok
    assert printer.printed == [SLIP] * 4


def test_fail_next_once() -> None:
    printer = SimulatedReceiptPrinter()
    error = PrinterConnectionError("cable pulled")
    printer.fail_next(error)
    with pytest.raises(PrinterError) as info:
        printer.print_receipt(SLIP)
    assert info.value is error
    assert kept_job_id(error) == printer.spool.pending()[0].job_id
    printer.print_receipt(SLIP)
    assert printer.printed == [SLIP]


def test_set_paper_rejects_other_states() -> None:
    with pytest.raises(ValueError, match="paper state"):
        SimulatedReceiptPrinter().set_paper(DeviceState.OFFLINE)


def test_rendered_qr_code_decodes() -> None:
    import zxingcpp

    image = SlipRenderer(576).render(SLIP)
    results = zxingcpp.read_barcodes(image.convert("L"))
    assert [r.text for r in results] == ["https://kiosk.example/r/5c1e"]
