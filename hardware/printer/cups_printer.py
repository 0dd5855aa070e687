"""A4 documents through CUPS: drawn as an image PDF, submitted with ``lp``.

* ``print_document`` renders the document (:mod:`hardware.printer.a4`) into a private
  temporary directory and runs ``lp -d QUEUE -t TITLE -- FILE.pdf`` (an argument list, never a
  shell). ``lp`` copies the file to the scheduler, so the PDF is deleted when it returns.
  Returns the CUPS job id (``KioskPDF-12``).
* ``status`` runs ``lpstat -p QUEUE`` in the C locale: idle → READY, printing → BUSY,
  disabled (CUPS stops a queue whose printer failed) → OFFLINE; an unknown queue → ERROR;
  the scheduler not running (``lpstat -r``) → OFFLINE; no answer in time → UNKNOWN.
* A document is only submitted when the queue is READY or BUSY: a job parked in a stopped
  queue would come out later, in front of the next visitor.

``server`` selects another scheduler (``CUPS_SERVER``: ``host[:port]`` or a domain socket
path), e.g. a private cupsd in tests.

Debian packages: ``cups-client`` (lp, lpstat) on the kiosk; ``cups`` for the scheduler.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from hardware.printer.a4 import A4Document, A4Renderer, Pages, save_pdf
from hardware.printer.sanitize import clean_text
from hardware.protocols import (
    DeviceState,
    DeviceStatus,
    PrinterError,
    PrinterOfflineError,
)

__all__ = ["CupsDocumentPrinter"]

_log = logging.getLogger(__name__)

#: CUPS queue names: printable, no space, "/", "#" or "\\"; we also refuse a leading "-".
_QUEUE_NAME: Final = re.compile(r"^[A-Za-z0-9_.@][^\s/#\\]{0,126}$")
_REQUEST_ID: Final = re.compile(r"request id is (\S+)")
_MAX_TITLE: Final = 80


class CupsDocumentPrinter:
    """A4 printer behind a CUPS queue."""

    def __init__(
        self,
        queue: str,
        *,
        lp: str = "lp",
        lpstat: str = "lpstat",
        server: str | None = None,
        dpi: int = 200,
        timeout_s: float = 30.0,
        renderer: A4Renderer | None = None,
    ) -> None:
        if not _QUEUE_NAME.match(queue):
            raise ValueError(f"invalid CUPS queue name {queue!r}")
        self.queue = queue
        self.lp = lp
        self.lpstat = lpstat
        self.server = server
        self.timeout_s = timeout_s
        self.renderer = renderer or A4Renderer(dpi=dpi)

    # ------------------------------------------------------------------ status
    def status(self) -> DeviceStatus:
        try:
            result = self._run([self.lpstat, "-p", self.queue])
        except FileNotFoundError:
            return DeviceStatus(DeviceState.ERROR, "lpstat not installed (cups-client)")
        except subprocess.TimeoutExpired:
            return DeviceStatus(DeviceState.UNKNOWN, "lpstat timeout")
        except OSError as exc:
            return DeviceStatus(DeviceState.ERROR, f"lpstat failed ({type(exc).__name__})")
        if result.returncode == 0:
            return _queue_state(result.stdout, self.queue)
        if not self._scheduler_running():
            return DeviceStatus(DeviceState.OFFLINE, "CUPS scheduler not running")
        if "invalid destination" in result.stderr.lower():
            return DeviceStatus(DeviceState.ERROR, "queue not found")
        return DeviceStatus(DeviceState.UNKNOWN, "lpstat failed")

    def _scheduler_running(self) -> bool:
        try:
            result = self._run([self.lpstat, "-r"])
        except (OSError, subprocess.SubprocessError):
            return False
        return "scheduler is running" in result.stdout

    # ------------------------------------------------------------------ printing
    def render_pdf(self, document: A4Document | Pages, path: Path) -> int:
        """Write ``document`` as a PDF to ``path``; return the page count."""
        pages = self.renderer.render(document)
        save_pdf(pages, path, dpi=self.renderer.dpi)
        return len(pages)

    def print_document(self, document: A4Document | Pages, *, title: str | None = None) -> str:
        """Print ``document``; return the CUPS job id. Raises PrinterError subclasses."""
        if not isinstance(document, A4Document) and not _has_pages(document):
            raise ValueError("a document needs at least one page")
        status = self.status()
        if status.state is DeviceState.OFFLINE:
            raise PrinterOfflineError(f"document printer offline: {status.detail}")
        if status.state not in (DeviceState.READY, DeviceState.BUSY):
            raise PrinterError(f"document printer not ready: {status.state.value} {status.detail}")
        job_title = _job_title(title, document)
        with tempfile.TemporaryDirectory(prefix="kiosk-a4-") as tmp:
            pdf = Path(tmp) / "document.pdf"
            pages = self.render_pdf(document, pdf)
            try:
                result = self._run([self.lp, "-d", self.queue, "-t", job_title, "--", str(pdf)])
            except FileNotFoundError as exc:
                raise PrinterError("lp not installed (cups-client)") from exc
            except subprocess.TimeoutExpired as exc:
                raise PrinterError("lp timeout") from exc
            except OSError as exc:
                raise PrinterError(f"lp failed ({type(exc).__name__})") from exc
        if result.returncode != 0:
            detail = clean_text(result.stderr, single_line=True).strip()[:200]
            raise PrinterError(f"lp failed: {detail}")
        match = _REQUEST_ID.search(result.stdout)
        if match is None:
            raise PrinterError("lp gave no job id")
        job_id = match.group(1)
        _log.info("document submitted as %s (%d pages)", job_id, pages)
        return job_id

    # ------------------------------------------------------------------ internals
    def _run(self, argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, LANG="C", LC_ALL="C")
        if self.server is not None:
            env["CUPS_SERVER"] = self.server
        return subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=self.timeout_s,
            env=env,
            check=False,
            stdin=subprocess.DEVNULL,
        )


def _queue_state(stdout: str, queue: str) -> DeviceStatus:
    first = stdout.strip().splitlines()[0] if stdout.strip() else ""
    if not first.startswith(f"printer {queue} "):
        return DeviceStatus(DeviceState.UNKNOWN, "unexpected lpstat output")
    if " disabled" in first:
        return DeviceStatus(DeviceState.OFFLINE, "queue disabled")
    if " now printing" in first:
        return DeviceStatus(DeviceState.BUSY, "printing")
    if " is idle" in first:
        return DeviceStatus(DeviceState.READY, "")
    return DeviceStatus(DeviceState.UNKNOWN, "unexpected lpstat output")


def _has_pages(pages: Pages) -> bool:
    return len(pages) > 0


def _job_title(title: str | None, document: A4Document | Pages) -> str:
    if title is None and isinstance(document, A4Document):
        title = document.title
    cleaned = clean_text(title or "", single_line=True).strip()
    return cleaned[:_MAX_TITLE] or "document"
