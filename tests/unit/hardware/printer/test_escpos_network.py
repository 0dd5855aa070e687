"""The ESC/POS driver against a real TCP server on 127.0.0.1: printing, status, faults, reprint."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hardware.printer.errors import (
    PrinterConnectionError,
    PrinterFaultError,
    PrinterPaperOutError,
    PrinterStatusUnknownError,
    kept_job_id,
)
from hardware.printer.escpos_printer import EscPosReceiptPrinter
from hardware.printer.render import PRACTICE_BANNER
from hardware.printer.spool import PrintSpool
from hardware.protocols import (
    DeviceState,
    PaperOutError,
    PrinterError,
    PrinterOfflineError,
    Receipt,
    ReceiptLine,
    ReceiptPrinter,
)
from tests.unit.hardware.printer import escpos_stream as es
from tests.unit.hardware.printer import fake_printer as fp
from tests.unit.hardware.printer.fake_printer import FakeEscPosPrinter

MakeServer = Callable[..., FakeEscPosPrinter]
STATUS_TIMEOUT = 0.3

SLIP = Receipt(
    title="社区服务站 来访登记",
    lines=(
        ReceiptLine("姓名：张三"),
        ReceiptLine("手机：138****0000"),
        ReceiptLine("号码 A023", large=True, align="center", bold=True),
    ),
    qr="KIOSK:VISIT:8f3a2c",
    qr_caption="扫码查看进度",
    footer="谢谢光临",
    practice=True,
)


def make_printer(server: FakeEscPosPrinter, **kwargs: object) -> EscPosReceiptPrinter:
    return EscPosReceiptPrinter(
        "network",
        host=server.host,
        port=server.port,
        timeout_s=2.0,
        status_timeout_s=STATUS_TIMEOUT,
        after_job_timeout_s=STATUS_TIMEOUT,
        **kwargs,  # type: ignore[arg-type]
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def wait_for(predicate: Callable[[], bool], timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def job_finished(server: FakeEscPosPrinter) -> bool:
    """The first connection holds a job followed by the final status query."""
    received = server.received()
    return bool(received) and b"\x1dV" in received[0] and received[0].endswith(b"\x10\x04\x04")


def test_implements_the_protocol(fake_printer: MakeServer) -> None:
    assert isinstance(make_printer(fake_printer()), ReceiptPrinter)


def test_print_over_tcp_and_parse_back(fake_printer: MakeServer) -> None:
    server = fake_printer(fp.fixed())
    printer = make_printer(server)
    printer.print_receipt(SLIP)
    wait_for(lambda: job_finished(server))
    (stream,) = server.received()
    queries, job = es.split_status_queries(stream)
    assert queries == [2, 4, 2, 4]  # status before and after the job
    assert job == printer.render_job(SLIP)  # byte-identical
    tokens = es.parse(job)
    names = es.commands(tokens)
    assert names[:2] == ["ESC @", "FS &"]
    assert names[-2:] == ["ESC d", "GS V"]
    assert tokens[-1].data == b"\x01"
    lines = es.text_lines(tokens)
    assert "社区服务站 来访登记" in lines
    assert "姓名：张三" in lines
    assert "手机：138****0000" in lines
    assert "号码 A023" in lines
    assert "扫码查看进度" in lines
    assert "谢谢光临" in lines
    assert sum(PRACTICE_BANNER in line for line in lines) == 2
    assert es.qr_payloads(tokens) == ["KIOSK:VISIT:8f3a2c"]
    assert len(printer.spool) == 0


def test_image_mode_over_tcp(fake_printer: MakeServer) -> None:
    server = fake_printer(fp.fixed())
    printer = make_printer(server, chinese="image")
    printer.print_receipt(SLIP)
    wait_for(lambda: job_finished(server))
    _, job = es.split_status_queries(server.received()[0])
    tokens = es.parse(job)
    assert es.commands(tokens)[0] == "ESC @"
    assert "FS &" not in es.commands(tokens)
    assert sum(h for _, h, _ in es.raster_blocks(tokens)) > 500
    assert tokens[-1].name == "GS V"


@pytest.mark.parametrize(
    ("offline_cause", "paper", "state", "detail"),
    [
        (fp.OK, fp.OK, DeviceState.READY, ""),
        (fp.OK, fp.PAPER_NEAR_END, DeviceState.PAPER_LOW, "paper near end"),
        (fp.OK, fp.PAPER_END, DeviceState.PAPER_OUT, "paper end"),
        (fp.PAPER_END_STOP, fp.PAPER_END, DeviceState.PAPER_OUT, "paper end"),
        (fp.COVER_OPEN, fp.OK, DeviceState.ERROR, "cover open"),
        (fp.ERROR, fp.OK, DeviceState.ERROR, "printer error"),
        (fp.FEED_BUTTON, fp.OK, DeviceState.BUSY, "paper feed button pressed"),
        (0x00, fp.OK, DeviceState.UNKNOWN, "invalid status byte 0x00"),
    ],
)
def test_status_mapping(
    fake_printer: MakeServer, offline_cause: int, paper: int, state: DeviceState, detail: str
) -> None:
    status = make_printer(fake_printer(fp.fixed(offline_cause, paper))).status()
    assert (status.state, status.detail) == (state, detail)


def test_silent_printer_is_unknown_within_the_timeout(fake_printer: MakeServer) -> None:
    printer = make_printer(fake_printer(fp.silent()))
    started = time.monotonic()
    status = printer.status()
    elapsed = time.monotonic() - started
    assert status.state is DeviceState.UNKNOWN
    assert status.detail == "no status response"
    assert elapsed < STATUS_TIMEOUT + 0.5


def test_refused_connection_is_offline() -> None:
    printer = EscPosReceiptPrinter("network", host="127.0.0.1", port=free_port(), timeout_s=1)
    status = printer.status()
    assert (status.state, status.detail) == (DeviceState.OFFLINE, "connection refused")
    with pytest.raises(PrinterOfflineError) as info:
        printer.print_receipt(SLIP)
    assert isinstance(info.value, PrinterConnectionError)
    job_id = kept_job_id(info.value)
    assert job_id is not None
    assert printer.spool.get(job_id) is not None


def test_paper_out_raises_before_sending_and_keeps_the_job(fake_printer: MakeServer) -> None:
    server = fake_printer(fp.fixed(paper=fp.PAPER_END))
    printer = make_printer(server)
    with pytest.raises(PaperOutError) as info:
        printer.print_receipt(SLIP)
    assert isinstance(info.value, PrinterPaperOutError)
    assert "before the job" in str(info.value)
    assert [job.receipt for job in printer.spool.pending()] == [SLIP]
    assert printer.spool.pending()[0].job_id == kept_job_id(info.value)
    assert server.all_bytes() == b"\x10\x04\x02\x10\x04\x04"  # only the status queries


def test_silent_printer_holds_the_job(fake_printer: MakeServer) -> None:
    server = fake_printer(fp.silent())
    printer = make_printer(server)
    with pytest.raises(PrinterStatusUnknownError) as info:
        printer.print_receipt(SLIP)
    assert "no status response" in str(info.value)
    assert kept_job_id(info.value) == printer.spool.pending()[0].job_id
    assert server.all_bytes() == b"\x10\x04\x02"  # nothing printed blindly


def test_unknown_status_can_be_configured_to_print(fake_printer: MakeServer) -> None:
    server = fake_printer(fp.silent())
    printer = make_printer(server, hold_on_unknown=False)
    printer.print_receipt(SLIP)
    wait_for(lambda: b"\x1dV" in server.all_bytes())
    assert len(printer.spool) == 0


def test_cover_open_is_a_fault_and_keeps_the_job(fake_printer: MakeServer) -> None:
    printer = make_printer(fake_printer(fp.fixed(offline_cause=fp.COVER_OPEN)))
    with pytest.raises(PrinterFaultError, match="cover open"):
        printer.print_receipt(SLIP)
    assert len(printer.spool) == 1


def test_paper_low_still_prints(fake_printer: MakeServer) -> None:
    server = fake_printer(fp.fixed(paper=fp.PAPER_NEAR_END))
    printer = make_printer(server)
    printer.print_receipt(SLIP)
    assert printer.status().state is DeviceState.PAPER_LOW
    assert b"\x1dV\x01" in server.all_bytes()


def test_paper_running_out_during_the_job(fake_printer: MakeServer) -> None:
    printer = make_printer(fake_printer(fp.paper_runs_out_during_job()))
    with pytest.raises(PrinterPaperOutError, match="during the job") as info:
        printer.print_receipt(SLIP)
    assert kept_job_id(info.value) is not None
    assert len(printer.spool) == 1


def test_printer_silent_after_the_job(fake_printer: MakeServer) -> None:
    printer = make_printer(fake_printer(fp.silent_after_job()))
    with pytest.raises(PrinterStatusUnknownError, match="during the job"):
        printer.print_receipt(SLIP)
    assert len(printer.spool) == 1


def test_connection_closed_mid_job(fake_printer: MakeServer) -> None:
    server = fake_printer(fp.fixed(), close_after=120)
    printer = make_printer(server)
    with pytest.raises(PrinterOfflineError) as info:
        printer.print_receipt(SLIP)
    assert isinstance(info.value, PrinterConnectionError)
    job_id = kept_job_id(info.value)
    assert job_id is not None
    assert [job.job_id for job in printer.spool.pending()] == [job_id]
    assert printer.spool.pending()[0].receipt is SLIP


def test_large_job_closed_mid_send(fake_printer: MakeServer) -> None:
    """An image job (≈100 KB) cut off after 2 KB: the write or the final check notices."""
    server = fake_printer(fp.fixed(), close_after=2048)
    printer = make_printer(server, chinese="image", chunk_size=1024)
    with pytest.raises(PrinterOfflineError):
        printer.print_receipt(SLIP)
    assert len(printer.spool) == 1


def test_reprint_from_spool_after_paper_is_loaded(fake_printer: MakeServer) -> None:
    server = fake_printer(fp.fixed(paper=fp.PAPER_END))
    spool = PrintSpool()
    printer = make_printer(server, spool=spool)
    other = Receipt(title="第二张", lines=(ReceiptLine("李四"),))
    for receipt in (SLIP, other):
        with pytest.raises(PaperOutError):
            printer.print_receipt(receipt)
    assert len(spool) == 2

    # Still no paper: the reprint stops at the first job, nothing is duplicated.
    result = spool.reprint_all(printer)
    assert not result.ok
    assert result.printed == ()
    assert isinstance(result.error, PaperOutError)
    assert [job.attempts for job in spool.pending()] == [2, 1]
    assert len(spool) == 2

    server.responder = fp.fixed()  # paper loaded
    result = spool.reprint_all(printer)
    assert result.ok
    assert len(result.printed) == 2
    assert result.remaining == 0
    assert len(spool) == 0
    wait_for(lambda: sum(b"\x1dV" in c for c in server.received()) == 2)
    jobs = [es.split_status_queries(c)[1] for c in server.received() if b"\x1dV" in c]
    assert jobs == [printer.render_job(SLIP), printer.render_job(other)]


def test_bad_receipt_is_not_kept(fake_printer: MakeServer) -> None:
    server = fake_printer(fp.fixed())
    printer = make_printer(server)
    with pytest.raises(PrinterError) as info:
        printer.print_receipt(Receipt(title="x", qr="x" * 5000))
    assert kept_job_id(info.value) is None
    assert len(printer.spool) == 0
    assert server.received() == []


def test_configuration_errors() -> None:
    with pytest.raises(ValueError, match="profile"):
        EscPosReceiptPrinter(profile="no-such-printer")
    with pytest.raises(ValueError, match="usb"):
        EscPosReceiptPrinter("usb")
    with pytest.raises(ValueError, match="chinese"):
        EscPosReceiptPrinter(chinese="big5")  # type: ignore[arg-type]


def test_file_connection_writes_the_job(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    printer = EscPosReceiptPrinter("file", device=str(target))
    assert printer.status().state is DeviceState.UNKNOWN  # write-only: no status channel
    printer.print_receipt(SLIP)
    assert target.read_bytes() == printer.render_job(SLIP)
    missing = EscPosReceiptPrinter("file", device=str(target.parent / "nodir" / "lp0"))
    assert missing.status().state is DeviceState.OFFLINE
