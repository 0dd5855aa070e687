"""Slips whose print failed, kept for a reprint (RELIABILITY item 26: "job held").

In memory only, bounded, thread-safe. A printer adds a job when paper runs out, the printer
goes away or does not answer; the error it raises carries the job id (``kept_job_id``) so
the flow can tell the visitor ("your slip will be reprinted" / "take a photo of the QR code
instead") and staff can reprint after fixing the printer.

Receipts hold personal data (names, phone fragments), so the spool forgets:

* jobs older than ``max_age_s`` (default one hour) are dropped whenever it is used;
* past ``max_jobs`` the oldest job is dropped;
* :meth:`PrintSpool.clear` empties it (call it from the session wipe, RELIABILITY item 27,
  when a reprint for the leaving visitor makes no sense any more).

Reprinting: :meth:`PrintSpool.reprint_all` prints the jobs in order through any
``ReceiptPrinter`` and stops at the first failure. A printer that spools its own failures into
this same spool (the ESC/POS driver does) finds the job it is reprinting already here: the
job keeps its id and place and only its attempt count and reason change — no duplicates.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

from hardware.protocols import PrinterError, Receipt, ReceiptPrinter

__all__ = ["PrintSpool", "ReprintResult", "SpooledJob"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SpooledJob:
    """A kept slip. ``reason`` is technical and PII-free (e.g. "paper end")."""

    job_id: str
    receipt: Receipt
    reason: str
    created_at: float
    attempts: int = 1


@dataclass(frozen=True, slots=True)
class ReprintResult:
    """What :meth:`PrintSpool.reprint_all` did."""

    printed: tuple[str, ...]
    failed: str | None = None
    error: PrinterError | None = None
    remaining: int = 0

    @property
    def ok(self) -> bool:
        return self.failed is None


class PrintSpool:
    """Bounded, thread-safe, in-memory list of slips to reprint, oldest first."""

    def __init__(
        self,
        max_jobs: int = 20,
        *,
        max_age_s: float | None = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_jobs < 1:
            raise ValueError("max_jobs must be at least 1")
        self.max_jobs = max_jobs
        self.max_age_s = max_age_s
        self._clock = clock
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, SpooledJob] = OrderedDict()
        self._in_flight: dict[str, bool] = {}  # job id -> re-added during this attempt
        self._counter = itertools.count(1)
        self.dropped = 0

    # ------------------------------------------------------------------ adding
    def add(self, receipt: Receipt, reason: str) -> str:
        """Keep ``receipt``; return its job id."""
        with self._lock:
            self._expire()
            for job_id, seen in self._in_flight.items():
                job = self._jobs.get(job_id)
                if job is not None and job.receipt is receipt and not seen:
                    self._jobs[job_id] = replace(job, reason=reason, attempts=job.attempts + 1)
                    self._in_flight[job_id] = True
                    return job_id
            job_id = f"print-{next(self._counter):04d}-{uuid.uuid4().hex[:8]}"
            self._jobs[job_id] = SpooledJob(job_id, receipt, reason, self._clock())
            while len(self._jobs) > self.max_jobs:
                oldest = next((jid for jid in self._jobs if jid not in self._in_flight), None)
                if oldest is None:
                    break
                del self._jobs[oldest]
                self.dropped += 1
                _log.warning("print spool full: dropped job %s", oldest)
            _log.info("print job %s kept for reprint (%s)", job_id, reason)
            return job_id

    # ------------------------------------------------------------------ reading
    def pending(self) -> list[SpooledJob]:
        """The kept jobs, oldest first."""
        with self._lock:
            self._expire()
            return list(self._jobs.values())

    def get(self, job_id: str) -> SpooledJob | None:
        with self._lock:
            self._expire()
            return self._jobs.get(job_id)

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._jobs)

    # ------------------------------------------------------------------ removing
    def remove(self, job_id: str) -> bool:
        """Forget one job (printed elsewhere, or cancelled by staff)."""
        with self._lock:
            return self._jobs.pop(job_id, None) is not None

    def clear(self) -> int:
        """Forget every job; return how many there were."""
        with self._lock:
            count = len(self._jobs)
            self._jobs.clear()
            return count

    # ------------------------------------------------------------------ reprint
    def reprint(self, job_id: str, printer: ReceiptPrinter) -> None:
        """Print one kept job; it leaves the spool only when printing succeeded.

        Raises ``KeyError`` for an unknown id and the printer's ``PrinterError`` on failure.
        """
        with self._lock:
            self._expire()
            job = self._jobs[job_id]
            if job_id in self._in_flight:
                raise RuntimeError(f"job {job_id} is already being reprinted")
            self._in_flight[job_id] = False
        try:
            printer.print_receipt(job.receipt)
        except PrinterError as exc:
            with self._lock:
                readded = self._in_flight.pop(job_id, False)
                current = self._jobs.get(job_id)
                if current is not None and not readded:
                    self._jobs[job_id] = replace(
                        current, reason=_reason(exc), attempts=current.attempts + 1
                    )
            raise
        except BaseException:
            with self._lock:
                self._in_flight.pop(job_id, None)
            raise
        with self._lock:
            self._in_flight.pop(job_id, None)
            self._jobs.pop(job_id, None)
        _log.info("print job %s reprinted", job_id)

    def reprint_all(self, printer: ReceiptPrinter) -> ReprintResult:
        """Reprint every kept job in order; stop at the first failure."""
        printed: list[str] = []
        for job in self.pending():
            try:
                self.reprint(job.job_id, printer)
            except KeyError:
                continue  # expired or removed meanwhile
            except PrinterError as exc:
                return ReprintResult(tuple(printed), job.job_id, exc, len(self))
            printed.append(job.job_id)
        return ReprintResult(tuple(printed), None, None, len(self))

    # ------------------------------------------------------------------ internals
    def _expire(self) -> None:
        if self.max_age_s is None:
            return
        limit = self._clock() - self.max_age_s
        for job_id in [j.job_id for j in self._jobs.values() if j.created_at < limit]:
            if job_id not in self._in_flight:
                del self._jobs[job_id]
                _log.info("print job %s expired from the spool", job_id)


def _reason(exc: PrinterError) -> str:
    text = str(exc) or type(exc).__name__
    return text[:120]
