"""Printer errors that say whether the job was kept for a reprint.

The protocol errors (:class:`~hardware.protocols.PrinterError`, ``PaperOutError``,
``PrinterOfflineError``) carry no job information; these subclasses add ``kept_job_id``: the
id of the job in the printer's :class:`~hardware.printer.spool.PrintSpool` (``None`` when the
job was not kept, e.g. a receipt that can never print). Flows catch the protocol classes and
read the id with :func:`kept_job_id`, so they also work with printers that raise the plain
protocol errors.

Messages are short, technical and free of receipt content (names, phone numbers): they end
up in logs and on the staff screen.
"""

from __future__ import annotations

from hardware.protocols import PaperOutError, PrinterError, PrinterOfflineError

__all__ = [
    "FontMissingError",
    "KeepsJobError",
    "PrinterConnectionError",
    "PrinterFaultError",
    "PrinterPaperOutError",
    "PrinterStatusUnknownError",
    "ReceiptContentError",
    "kept_job_id",
]


class KeepsJobError(Exception):
    """Base of the errors that may have put the job into the spool (``kept_job_id``)."""

    kept_job_id: str | None

    def __init__(self, message: str, *, kept_job_id: str | None = None) -> None:
        super().__init__(message)
        self.kept_job_id = kept_job_id


class PrinterPaperOutError(KeepsJobError, PaperOutError):
    """No paper, before the job was sent or while it printed."""


class PrinterConnectionError(KeepsJobError, PrinterOfflineError):
    """The printer cannot be reached, or the connection broke during the job."""


class PrinterStatusUnknownError(KeepsJobError, PrinterError):
    """The printer did not answer a status query: the job is held, never printed blindly.

    RELIABILITY item 26: "no status response" means UNKNOWN, never "paper OK"; the visitor is
    told to take a photo / the QR code instead.
    """


class PrinterFaultError(KeepsJobError, PrinterError):
    """The printer reports a fault (cover open, cutter or other hardware error)."""


class ReceiptContentError(PrinterError):
    """The receipt itself cannot be printed (e.g. a QR payload too long for any QR code).

    Never kept: printing it again would fail the same way.
    """


class FontMissingError(PrinterError):
    """No CJK font is installed, so a slip cannot be rendered as an image."""


def kept_job_id(exc: BaseException) -> str | None:
    """The spool id of the job an exception kept, or None."""
    value = getattr(exc, "kept_job_id", None)
    return value if isinstance(value, str) else None
