"""A4 documents through a real (private) CUPS scheduler with a cups-pdf queue."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from hardware.printer.a4 import A4Document, A4Renderer
from hardware.printer.cups_printer import CupsDocumentPrinter
from hardware.protocols import DeviceState, PrinterError, PrinterOfflineError
from tests.unit.hardware.printer.conftest import CupsInstance

LONG_PARAGRAPH = "社区服务站为居民提供办事指引、缴费和健康自测服务。" * 12
DOCUMENT = A4Document(
    title="居住证明申请回执",
    paragraphs=(
        "申请人：张三",
        LONG_PARAGRAPH,
        *(f"第{n}条：请携带身份证原件。" for n in range(60)),
    ),
)


def wait_for_pdf(out_dir: Path, count: int, timeout: float = 20.0) -> list[Path]:
    deadline = time.monotonic() + timeout
    while True:
        pdfs = sorted(out_dir.rglob("*.pdf"), key=lambda p: p.stat().st_mtime)
        if len(pdfs) >= count:
            # cups-pdf writes then renames; wait until the size settles
            size = pdfs[-1].stat().st_size
            time.sleep(0.2)
            if pdfs[-1].stat().st_size == size and size > 0:
                return pdfs
        assert time.monotonic() < deadline, f"no PDF from cups-pdf in {out_dir}"
        time.sleep(0.1)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def test_renderer_paginates_a4() -> None:
    pages = A4Renderer(dpi=150).render(DOCUMENT)
    assert len(pages) == 3  # title, two paragraphs and 60 numbered lines
    assert all(page.size == (1240, 1754) for page in pages)
    explicit = A4Renderer(dpi=150).render([["第一页"], ["第二页"], ["第三页"]])
    assert len(explicit) == 3


def test_print_document_through_cups_pdf(cups: CupsInstance, tmp_path: Path) -> None:
    printer = CupsDocumentPrinter(cups.queue, server=cups.server, dpi=150)
    assert printer.status().state is DeviceState.READY
    before = len(list(cups.out_dir.rglob("*.pdf")))
    job_id = printer.print_document(DOCUMENT)
    assert job_id.startswith(f"{cups.queue}-")
    pdf = wait_for_pdf(cups.out_dir, before + 1)[-1]
    assert pdf_pages(pdf) == 3
    subprocess.run(
        ["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    (png,) = tmp_path.glob("page*.png")
    with Image.open(png) as page:
        grey = page.convert("L")
        assert grey.width < grey.height  # portrait A4
        dark = sum(grey.histogram()[:160]) / (grey.width * grey.height)
        assert 0.005 < dark < 0.5  # text, neither blank nor black


def test_pages_of_lines_and_title_with_controls(cups: CupsInstance) -> None:
    printer = CupsDocumentPrinter(cups.queue, server=cups.server, dpi=150)
    before = len(list(cups.out_dir.rglob("*.pdf")))
    job_id = printer.print_document(
        [["第一页", "姓名：张三"], ["第二页"], ["第三页"]], title="-t\x1b回执\n"
    )
    assert job_id
    pdf = wait_for_pdf(cups.out_dir, before + 1)[-1]
    assert pdf_pages(pdf) == 3


def test_status_disabled_missing_and_no_scheduler(cups: CupsInstance, tmp_path: Path) -> None:
    disabled = CupsDocumentPrinter(cups.disabled_queue, server=cups.server)
    assert disabled.status().state is DeviceState.OFFLINE
    with pytest.raises(PrinterOfflineError):
        disabled.print_document(DOCUMENT)

    missing = CupsDocumentPrinter("NoSuchQueue", server=cups.server)
    assert missing.status().state is DeviceState.ERROR
    assert missing.status().detail == "queue not found"
    with pytest.raises(PrinterError):
        missing.print_document(DOCUMENT)

    no_scheduler = CupsDocumentPrinter(cups.queue, server=str(tmp_path / "none.sock"))
    status = no_scheduler.status()
    assert (status.state, status.detail) == (DeviceState.OFFLINE, "CUPS scheduler not running")


def test_missing_client_tools() -> None:
    printer = CupsDocumentPrinter("KioskPDF", lpstat="/nonexistent/lpstat")
    assert printer.status().state is DeviceState.ERROR


def test_queue_name_validated() -> None:
    for bad in ("-x", "a b", "a/b", ""):
        with pytest.raises(ValueError, match="queue"):
            CupsDocumentPrinter(bad)
