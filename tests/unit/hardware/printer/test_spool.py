"""PrintSpool: bounded, expiring, thread-safe, reprint without duplicates."""

from __future__ import annotations

import threading

import pytest

from hardware.printer.errors import PrinterPaperOutError
from hardware.printer.simulated import SimulatedReceiptPrinter
from hardware.printer.spool import PrintSpool
from hardware.protocols import DeviceState, PaperOutError, Receipt
from tests.helpers.fixtures import FakeClock


def receipt(n: int) -> Receipt:
    return Receipt(title=f"slip {n}")


def test_add_pending_remove_clear() -> None:
    spool = PrintSpool()
    first = spool.add(receipt(1), "paper end")
    second = spool.add(receipt(2), "offline")
    assert first != second
    assert [j.job_id for j in spool.pending()] == [first, second]
    job = spool.get(first)
    assert job is not None
    assert job.reason == "paper end"
    assert spool.remove(first)
    assert not spool.remove(first)
    assert spool.clear() == 1
    assert len(spool) == 0


def test_bounded_drops_oldest() -> None:
    spool = PrintSpool(max_jobs=3)
    ids = [spool.add(receipt(n), "x") for n in range(5)]
    assert [j.job_id for j in spool.pending()] == ids[2:]
    assert spool.dropped == 2


def test_jobs_expire() -> None:
    clock = FakeClock()
    spool = PrintSpool(max_age_s=60, clock=clock)
    spool.add(receipt(1), "x")
    clock.advance(30)
    spool.add(receipt(2), "x")
    clock.advance(31)
    assert [j.receipt.title for j in spool.pending()] == ["slip 2"]


def test_thread_safe_adds() -> None:
    spool = PrintSpool(max_jobs=1000)

    def worker(base: int) -> None:
        for n in range(100):
            spool.add(receipt(base + n), "x")

    threads = [threading.Thread(target=worker, args=(i * 1000,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    jobs = spool.pending()
    assert len(jobs) == 800
    assert len({j.job_id for j in jobs}) == 800


def test_reprint_all_through_another_printer() -> None:
    spool = PrintSpool()
    ids = [spool.add(receipt(n), "paper end") for n in range(3)]
    target = SimulatedReceiptPrinter()
    result = spool.reprint_all(target)
    assert result.ok
    assert result.printed == tuple(ids)
    assert [r.title for r in target.printed] == ["slip 0", "slip 1", "slip 2"]
    assert len(spool) == 0


def test_reprint_stops_at_first_failure_and_counts_attempts() -> None:
    spool = PrintSpool()
    ids = [spool.add(receipt(n), "paper end") for n in range(2)]
    target = SimulatedReceiptPrinter(spool=PrintSpool())  # keeps its own failures elsewhere
    target.set_paper(DeviceState.PAPER_OUT)
    result = spool.reprint_all(target)
    assert not result.ok
    assert result.failed == ids[0]
    assert result.remaining == 2
    assert isinstance(result.error, PaperOutError)
    assert [j.attempts for j in spool.pending()] == [2, 1]
    assert spool.pending()[0].reason.startswith("paper out")


def test_reprint_into_the_same_spool_does_not_duplicate() -> None:
    spool = PrintSpool()
    printer = SimulatedReceiptPrinter(spool=spool)
    printer.set_paper(DeviceState.PAPER_OUT)
    with pytest.raises(PrinterPaperOutError) as info:
        printer.print_receipt(receipt(1))
    job_id = info.value.kept_job_id
    assert job_id is not None
    result = spool.reprint_all(printer)
    assert not result.ok
    assert [(j.job_id, j.attempts) for j in spool.pending()] == [(job_id, 2)]
    printer.set_paper(DeviceState.READY)
    assert spool.reprint_all(printer).printed == (job_id,)
    assert len(spool) == 0


def test_reprint_unknown_job() -> None:
    with pytest.raises(KeyError):
        PrintSpool().reprint("nope", SimulatedReceiptPrinter())
