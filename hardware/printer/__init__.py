"""Receipt printers (ESC/POS driver, PNG simulator), the reprint spool and the A4 CUPS printer.

NOTE: Qt-free zone. Import the submodules directly; this package imports nothing heavy:

* :mod:`hardware.printer.escpos_printer` — :class:`EscPosReceiptPrinter` (python-escpos over
  TCP 9100, serial, USB or a device file);
* :mod:`hardware.printer.simulated` — :class:`SimulatedReceiptPrinter` (slips as PNG files);
* :mod:`hardware.printer.spool` — :class:`PrintSpool` (failed slips kept for a reprint);
* :mod:`hardware.printer.cups_printer` — :class:`CupsDocumentPrinter` (A4 as image PDF + lp);
* :mod:`hardware.printer.sanitize` — :func:`clean_text`, :func:`encode_gb18030`;
* :mod:`hardware.printer.errors` — the errors with ``kept_job_id``.
"""
