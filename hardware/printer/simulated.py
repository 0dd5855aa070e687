"""A receipt printer simulator: slips become PNG files a person can open.

A first-class back-end chosen by configuration (``devices.printer.driver = "simulated"``), for
development, demos and tests; it is never called a driver. Each slip is drawn by
:class:`~hardware.printer.render.SlipRenderer` exactly as the ESC/POS driver's image mode
prints it (576 px = 80 mm at 203 dpi) with a dashed cut line at the end, and saved as
``slip-0001.png``, ``slip-0002.png``, ... in ``out_dir`` (no files and no rendering when
``out_dir`` is None).

Faults for tests and demos: :meth:`fail_next`, :meth:`set_paper`, :meth:`go_offline`,
:meth:`open_cover`. The status is honest: it reports what was injected, and a failed print
raises the same errors as the real driver and keeps the job in the same kind of spool.

The PNGs show personal data like the paper would: point ``out_dir`` at a private folder.
"""

from __future__ import annotations

import itertools
import logging
import threading
from pathlib import Path

from hardware.printer.errors import (
    KeepsJobError,
    PrinterConnectionError,
    PrinterFaultError,
    PrinterPaperOutError,
)
from hardware.printer.render import SlipRenderer
from hardware.printer.spool import PrintSpool
from hardware.protocols import DeviceState, DeviceStatus, PrinterError, Receipt

__all__ = ["SimulatedReceiptPrinter"]

_log = logging.getLogger(__name__)

_PAPER_STATES = (DeviceState.READY, DeviceState.PAPER_LOW, DeviceState.PAPER_OUT)


class SimulatedReceiptPrinter:
    """Implements :class:`~hardware.protocols.ReceiptPrinter`; see the module docstring."""

    def __init__(
        self,
        out_dir: Path | None = None,
        *,
        width_px: int = 576,
        spool: PrintSpool | None = None,
        renderer: SlipRenderer | None = None,
    ) -> None:
        self.out_dir = out_dir
        self.renderer = renderer or SlipRenderer(width_px, cut_mark=True)
        self.spool = spool if spool is not None else PrintSpool()
        self.printed: list[Receipt] = []
        self.images: list[Path] = []
        self._paper = DeviceState.READY
        self._offline = False
        self._cover_open = False
        self._fail_next: PrinterError | None = None
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ faults
    def fail_next(self, exc: PrinterError) -> None:
        """Make the next ``print_receipt`` raise ``exc`` (once); the job is kept."""
        with self._lock:
            self._fail_next = exc

    def set_paper(self, state: DeviceState) -> None:
        """READY (full roll), PAPER_LOW (near end, still prints) or PAPER_OUT."""
        if state not in _PAPER_STATES:
            raise ValueError(f"paper state must be one of {[s.name for s in _PAPER_STATES]}")
        with self._lock:
            self._paper = state

    def go_offline(self) -> None:
        with self._lock:
            self._offline = True

    def go_online(self) -> None:
        with self._lock:
            self._offline = False

    def open_cover(self, is_open: bool = True) -> None:
        with self._lock:
            self._cover_open = is_open

    # ------------------------------------------------------------------ protocol
    def status(self) -> DeviceStatus:
        with self._lock:
            return self._status()

    def print_receipt(self, receipt: Receipt) -> None:
        with self._lock:
            injected, self._fail_next = self._fail_next, None
            if injected is not None:
                job_id = self.spool.add(receipt, f"injected {type(injected).__name__}")
                if isinstance(injected, KeepsJobError):
                    injected.kept_job_id = job_id
                raise injected
            status = self._status()
            if status.state is DeviceState.OFFLINE:
                raise self._kept(PrinterConnectionError, receipt, "printer offline")
            if status.state is DeviceState.ERROR:
                raise self._kept(PrinterFaultError, receipt, f"printer fault: {status.detail}")
            if status.state is DeviceState.PAPER_OUT:
                raise self._kept(PrinterPaperOutError, receipt, "paper out before the job")
            number = next(self._numbers)
            path = self._save(receipt, number)
            self.printed.append(receipt)
            if path is not None:
                self.images.append(path)

    # ------------------------------------------------------------------ internals
    def _status(self) -> DeviceStatus:
        if self._offline:
            return DeviceStatus(DeviceState.OFFLINE, "simulated: offline")
        if self._cover_open:
            return DeviceStatus(DeviceState.ERROR, "cover open")
        if self._paper is DeviceState.PAPER_OUT:
            return DeviceStatus(DeviceState.PAPER_OUT, "paper end")
        if self._paper is DeviceState.PAPER_LOW:
            return DeviceStatus(DeviceState.PAPER_LOW, "paper near end")
        return DeviceStatus(DeviceState.READY, "simulated")

    def _kept(
        self,
        error_type: type[PrinterConnectionError]
        | type[PrinterFaultError]
        | type[PrinterPaperOutError],
        receipt: Receipt,
        message: str,
    ) -> PrinterError:
        job_id = self.spool.add(receipt, message)
        return error_type(f"{message}; job {job_id} kept for reprint", kept_job_id=job_id)

    def _save(self, receipt: Receipt, number: int) -> Path | None:
        if self.out_dir is None:
            return None
        image = self.renderer.render(receipt)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / f"slip-{number:04d}.png"
        image.save(path, format="PNG")
        _log.info("simulated slip written: %s", path.name)
        return path
