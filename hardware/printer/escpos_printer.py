"""ESC/POS receipt printer over TCP (port 9100), serial, USB or a device file (python-escpos).

One operation (``status()`` or ``print_receipt()``) opens the connection, does its work and
closes it again: a network printer usually serves one client at a time, and a USB or serial
printer that was unplugged and plugged back in is simply found again next time.

Status (RELIABILITY item 26, fail closed): the real-time commands ``DLE EOT 2`` (offline
cause: cover open, error, paper-end stop) and ``DLE EOT 4`` (paper roll sensor) are sent and
each answer is awaited for ``status_timeout_s`` only. No answer → ``UNKNOWN`` ("no status
response"), a byte that is not a status byte → ``UNKNOWN``, never ``READY``; connection
refused or lost → ``OFFLINE``. See :func:`~hardware.printer.escpos_job.decode_status`.

``print_receipt``:

1. builds the job (:func:`~hardware.printer.escpos_job.build_job`), so a bad receipt fails
   before anything is sent;
2. connects (failure → :class:`PrinterConnectionError`) and asks the status: PAPER_OUT →
   :class:`PrinterPaperOutError`, ERROR (cover open …) → :class:`PrinterFaultError`, UNKNOWN
   → :class:`PrinterStatusUnknownError` (the job is held, not printed blindly);
3. sends the job in chunks (a write that fails or times out → the status is asked once more
   to tell paper-out from a lost connection);
4. asks the status again (waiting up to ``after_job_timeout_s`` for the first answer, which
   queues behind the job data): paper that ran out or a cover opened during the job, a
   connection that broke, or a printer that no longer answers all mean the slip may be
   incomplete.

Every failure after step 1 puts the receipt into the printer's :class:`PrintSpool` and the
raised error carries ``kept_job_id``; ``spool.reprint_all(printer)`` prints them later.

A ``file`` connection (e.g. ``/dev/usb/lp0`` opened write-only) cannot read status: it
reports UNKNOWN ("no status channel") and, by default, prints anyway
(``hold_on_unknown=False`` for that connection only). Every other connection holds jobs when
the status is unknown unless configured otherwise.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from typing import Any, Final, Literal

from hardware.printer.errors import (
    PrinterConnectionError,
    PrinterFaultError,
    PrinterPaperOutError,
    PrinterStatusUnknownError,
)
from hardware.printer.escpos_job import (
    DLE,
    ChineseMode,
    JobOptions,
    build_job,
    decode_status,
    is_valid_status_byte,
)
from hardware.printer.render import QrEc
from hardware.printer.spool import PrintSpool
from hardware.protocols import DeviceState, DeviceStatus, PrinterError, Receipt

__all__ = ["Connection", "EscPosReceiptPrinter"]

_log = logging.getLogger(__name__)

Connection = Literal["network", "serial", "usb", "file"]
_Kind = Literal["network", "serial", "usb", "file", "other"]

_EOT: Final = b"\x04"
NO_RESPONSE: Final = "no status response"
NO_CHANNEL: Final = "no status channel"


class _LinkClosedError(Exception):
    """The connection broke while talking to the printer."""


class _ConnectError(Exception):
    """The printer could not be opened; the message is the PII-free detail."""


class _Link:
    """One open python-escpos device and the real-time status reads it supports."""

    def __init__(self, device: Any, kind: _Kind, *, status_timeout_s: float, timeout_s: float):
        self.device = device
        self.kind = kind
        self.status_timeout_s = status_timeout_s
        self.timeout_s = timeout_s

    @property
    def can_read(self) -> bool:
        return self.kind in ("network", "serial", "usb")

    def write(self, data: bytes) -> None:
        self.device._raw(data)

    def query(self, n: int, timeout_s: float | None = None) -> int | None:
        """Send ``DLE EOT n`` and return the answer byte, or None if none came within
        ``timeout_s`` (default ``status_timeout_s``).

        Raises ``_LinkClosedError`` when the connection is gone.
        """
        if not self.can_read:
            return None
        command = DLE + _EOT + bytes((n,))
        wait = self.status_timeout_s if timeout_s is None else timeout_s
        try:
            if self.kind == "network":
                return self._query_socket(command, wait)
            if self.kind == "serial":
                return self._query_serial(command, wait)
            return self._query_usb(command, wait)
        except _LinkClosedError:
            raise
        except OSError as exc:
            raise _LinkClosedError(type(exc).__name__) from exc

    # -- network
    def _query_socket(self, command: bytes, wait: float) -> int | None:
        sock: socket.socket = self.device.device
        self._drain_socket(sock)
        sock.settimeout(self.timeout_s)
        sock.sendall(command)
        sock.settimeout(wait)
        try:
            data = sock.recv(16)
        except TimeoutError:
            return None
        finally:
            sock.settimeout(self.timeout_s)
        if not data:
            raise _LinkClosedError("connection closed")
        return data[0]

    @staticmethod
    def _drain_socket(sock: socket.socket) -> None:
        """Throw away late answers to earlier queries, so they are not taken for this one."""
        sock.setblocking(False)
        try:
            while True:
                stale = sock.recv(64)
                if not stale:
                    raise _LinkClosedError("connection closed")
        except BlockingIOError:
            pass

    # -- serial
    def _query_serial(self, command: bytes, wait: float) -> int | None:
        port = self.device.device
        port.reset_input_buffer()
        port.write(command)
        old_timeout = port.timeout
        port.timeout = wait
        try:
            data: bytes = port.read(1)
        finally:
            port.timeout = old_timeout
        return data[0] if data else None

    # -- usb
    def _query_usb(self, command: bytes, wait: float) -> int | None:
        handle = self.device.device
        endpoint = self.device.in_ep
        try:
            for _ in range(16):  # drain stale answers
                handle.read(endpoint, 64, 5)
        except Exception as exc:
            if not _is_usb_timeout(exc):
                raise _LinkClosedError(type(exc).__name__) from exc
        self.device._raw(command)
        try:
            data = handle.read(endpoint, 16, max(1, int(wait * 1000)))
        except Exception as exc:
            if _is_usb_timeout(exc):
                return None
            raise _LinkClosedError(type(exc).__name__) from exc
        return int(data[0]) if len(data) else None

    def close(self) -> None:
        try:
            self.device.close()
        except Exception as exc:  # closing a broken connection may fail in many ways
            _log.debug("closing printer connection: %s", type(exc).__name__)


def _is_usb_timeout(exc: BaseException) -> bool:
    return type(exc).__name__ == "USBTimeoutError" or getattr(exc, "errno", None) == 110


def _connect_detail(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__ or exc
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused"
    if isinstance(cause, TimeoutError):
        return "connect timeout"
    if isinstance(cause, socket.gaierror):
        return "host not found"
    if isinstance(cause, FileNotFoundError):
        return "device not found"
    if isinstance(cause, PermissionError):
        return "permission denied"
    return f"cannot open printer ({type(cause).__name__})"


class EscPosReceiptPrinter:
    """Slip printer speaking ESC/POS; implements :class:`~hardware.protocols.ReceiptPrinter`.

    Parameters mirror ``devices.printer`` in the kiosk configuration:

    * ``connection``: ``network`` (``host``, ``port``), ``serial`` (``device``, ``baudrate``),
      ``usb`` (``usb_vendor``, ``usb_product``, endpoints), ``file`` (``device``).
    * ``profile``: a python-escpos printer profile name (what the printer can cut, whether it
      has native QR codes).
    * ``width_chars``: 48 for 80 mm paper, 32 for 58 mm (12 dots a column).
    * ``chinese``: ``gb18030`` (the printer's own Chinese font, ``FS &``) or ``image`` (the
      slip is drawn with a CJK font here and printed as a picture; for printers without one).
    * ``qr_native``: ``GS ( k`` QR codes (``False``: QR printed as a picture), ``qr_size``
      dots a module (fitted to the paper), ``qr_ec`` error correction level.
    * ``four_byte_gb18030``: ``False`` for printers whose font is GBK only (characters that
      need a 4-byte GB18030 sequence print as ``?``).
    * ``timeout_s``: connect and write timeout; ``status_timeout_s``: wait for one status
      answer; ``after_job_timeout_s``: wait for the first answer after a job (the query
      waits behind job data still in flight to a printer with a full buffer).
    * ``hold_on_unknown``: hold jobs when the status is unknown (default: yes, except for
      ``file``).
    * ``spool``: where failed jobs are kept (default: a new :class:`PrintSpool`).
    * ``device_factory``: returns a python-escpos printer object to use instead of the one
      ``connection`` describes (tests: ``escpos.printer.Dummy``).
    """

    def __init__(
        self,
        connection: Connection = "network",
        *,
        host: str = "127.0.0.1",
        port: int = 9100,
        device: str = "/dev/usb/lp0",
        baudrate: int = 19200,
        usb_vendor: int | None = None,
        usb_product: int | None = None,
        usb_in_ep: int = 0x82,
        usb_out_ep: int = 0x01,
        profile: str = "default",
        width_chars: int = 48,
        chinese: ChineseMode = "gb18030",
        qr_native: bool = True,
        qr_size: int = 6,
        qr_ec: QrEc = "M",
        four_byte_gb18030: bool = True,
        timeout_s: float = 5.0,
        status_timeout_s: float = 1.0,
        after_job_timeout_s: float = 10.0,
        hold_on_unknown: bool | None = None,
        chunk_size: int = 4096,
        spool: PrintSpool | None = None,
        device_factory: Callable[[], Any] | None = None,
    ) -> None:
        if connection not in ("network", "serial", "usb", "file"):
            raise ValueError(f"unknown connection {connection!r}")
        if chinese not in ("gb18030", "image"):
            raise ValueError(f"unknown chinese mode {chinese!r}")
        if not 16 <= width_chars <= 96:
            raise ValueError("width_chars must be between 16 and 96")
        if not 1 <= qr_size <= 16:
            raise ValueError("qr_size must be 1..16")
        if qr_ec not in ("L", "M", "Q", "H"):
            raise ValueError(f"unknown QR error correction level {qr_ec!r}")
        if (
            connection == "usb"
            and device_factory is None
            and (usb_vendor is None or usb_product is None)
        ):
            raise ValueError("usb connection needs usb_vendor and usb_product")
        _check_profile(profile)
        self.connection: Connection = connection
        self.host = host
        self.port = port
        self.device = device
        self.baudrate = baudrate
        self.usb_vendor = usb_vendor
        self.usb_product = usb_product
        self.usb_in_ep = usb_in_ep
        self.usb_out_ep = usb_out_ep
        self.timeout_s = timeout_s
        self.status_timeout_s = status_timeout_s
        self.after_job_timeout_s = after_job_timeout_s
        self.hold_on_unknown = connection != "file" if hold_on_unknown is None else hold_on_unknown
        self.chunk_size = max(64, chunk_size)
        self.options = JobOptions(
            profile=profile,
            width_chars=width_chars,
            chinese=chinese,
            qr_native=qr_native,
            qr_size=qr_size,
            qr_ec=qr_ec,
            four_byte_gb18030=four_byte_gb18030,
        )
        self.spool = spool if spool is not None else PrintSpool()
        self._device_factory = device_factory
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ protocol
    def status(self) -> DeviceStatus:
        """The printer's state now; see the module docstring for the meaning."""
        with self._lock:
            try:
                link = self._connect()
            except _ConnectError as exc:
                return DeviceStatus(DeviceState.OFFLINE, str(exc))
            try:
                return self._read_status(link)
            finally:
                link.close()

    def print_receipt(self, receipt: Receipt) -> None:
        """Print one slip or raise a PrinterError subclass (with ``kept_job_id`` when kept)."""
        job = self.render_job(receipt)
        with self._lock:
            try:
                link = self._connect()
            except _ConnectError as exc:
                raise self._kept(
                    PrinterConnectionError, receipt, f"printer offline: {exc}"
                ) from None
            try:
                self._check_before(link, receipt)
                self._send(link, job, receipt)
                self._check_after(link, receipt)
            finally:
                link.close()
        _log.info("slip printed (%d bytes)", len(job))

    # ------------------------------------------------------------------ building
    def render_job(self, receipt: Receipt) -> bytes:
        """The ESC/POS bytes ``print_receipt`` sends for ``receipt``."""
        return build_job(receipt, self.options)

    # ------------------------------------------------------------------ steps
    def _check_before(self, link: _Link, receipt: Receipt) -> None:
        status = self._read_status(link)
        state = status.state
        if state in (DeviceState.READY, DeviceState.BUSY, DeviceState.PAPER_LOW):
            if state is DeviceState.PAPER_LOW:
                _log.warning("printer paper near end")
            return
        if state is DeviceState.UNKNOWN and not self.hold_on_unknown:
            return
        raise self._error_for(status, receipt, when="before the job")

    def _send(self, link: _Link, job: bytes, receipt: Receipt) -> None:
        try:
            for start in range(0, len(job), self.chunk_size):
                link.write(job[start : start + self.chunk_size])
        except Exception as exc:  # any I/O failure: the job must be kept, not lost
            _log.warning("printer write failed: %s", type(exc).__name__)
            status = self._read_status(link)
            if status.state in (DeviceState.PAPER_OUT, DeviceState.ERROR):
                raise self._error_for(status, receipt, when="during the job") from None
            raise self._kept(
                PrinterConnectionError, receipt, "connection lost during the job"
            ) from None

    def _check_after(self, link: _Link, receipt: Receipt) -> None:
        # The query queues behind job data the printer has not taken in yet: wait longer.
        status = self._read_status(link, first_timeout_s=self.after_job_timeout_s)
        state = status.state
        if state in (DeviceState.READY, DeviceState.BUSY, DeviceState.PAPER_LOW):
            return
        if state is DeviceState.UNKNOWN and not self.hold_on_unknown:
            return
        raise self._error_for(status, receipt, when="during the job")

    def _error_for(self, status: DeviceStatus, receipt: Receipt, *, when: str) -> PrinterError:
        state = status.state
        detail = f"{status.detail} {when}" if status.detail else when
        if state is DeviceState.PAPER_OUT:
            return self._kept(PrinterPaperOutError, receipt, f"paper out {when}")
        if state is DeviceState.OFFLINE:
            return self._kept(PrinterConnectionError, receipt, f"printer offline: {detail}")
        if state is DeviceState.UNKNOWN:
            return self._kept(
                PrinterStatusUnknownError, receipt, f"printer status unknown: {detail}"
            )
        return self._kept(PrinterFaultError, receipt, f"printer fault: {detail}")

    def _kept(
        self,
        error_type: type[PrinterPaperOutError]
        | type[PrinterConnectionError]
        | type[PrinterStatusUnknownError]
        | type[PrinterFaultError],
        receipt: Receipt,
        message: str,
    ) -> PrinterError:
        job_id = self.spool.add(receipt, message)
        _log.warning("print failed, job %s kept: %s", job_id, message)
        return error_type(f"{message}; job {job_id} kept for reprint", kept_job_id=job_id)

    # ------------------------------------------------------------------ status
    def _read_status(self, link: _Link, *, first_timeout_s: float | None = None) -> DeviceStatus:
        if not link.can_read:
            return DeviceStatus(DeviceState.UNKNOWN, NO_CHANNEL)
        try:
            offline_cause = link.query(2, first_timeout_s)
            if offline_cause is None:
                return DeviceStatus(DeviceState.UNKNOWN, NO_RESPONSE)
            if not is_valid_status_byte(offline_cause):
                return DeviceStatus(
                    DeviceState.UNKNOWN, f"invalid status byte 0x{offline_cause:02x}"
                )
            paper = link.query(4)
            if paper is None:
                return DeviceStatus(DeviceState.UNKNOWN, NO_RESPONSE)
        except _LinkClosedError:
            return DeviceStatus(DeviceState.OFFLINE, "connection lost")
        return decode_status(offline_cause, paper)

    # ------------------------------------------------------------------ connection
    def _connect(self) -> _Link:
        try:
            device = self._new_device()
            if self._device_factory is None and self.connection == "network":
                # Connect here rather than in Network.open(), which leaks the socket when
                # the connection is refused; the Network object then just uses it.
                device.device = socket.create_connection(
                    (self.host, self.port), timeout=self.timeout_s
                )
            else:
                device.open()
        except Exception as exc:  # python-escpos wraps most failures; keep the detail only
            raise _ConnectError(_connect_detail(exc)) from exc
        return _Link(
            device,
            self._kind_of(device),
            status_timeout_s=self.status_timeout_s,
            timeout_s=self.timeout_s,
        )

    def _new_device(self) -> Any:
        if self._device_factory is not None:
            return self._device_factory()
        from escpos import printer as escpos_printers

        profile = self.options.profile
        if self.connection == "network":
            return escpos_printers.Network(
                host=self.host, port=self.port, timeout=self.timeout_s, profile=profile
            )
        if self.connection == "serial":
            return escpos_printers.Serial(
                devfile=self.device,
                baudrate=self.baudrate,
                timeout=self.timeout_s,
                profile=profile,
            )
        if self.connection == "usb":
            return escpos_printers.Usb(
                idVendor=self.usb_vendor,
                idProduct=self.usb_product,
                timeout=int(self.timeout_s * 1000),  # pyusb counts milliseconds
                in_ep=self.usb_in_ep,
                out_ep=self.usb_out_ep,
                profile=profile,
            )
        return escpos_printers.File(devfile=self.device, profile=profile)

    @staticmethod
    def _kind_of(device: Any) -> _Kind:
        from escpos import printer as escpos_printers

        kinds: tuple[tuple[str, _Kind], ...] = (
            ("Network", "network"),
            ("Serial", "serial"),
            ("Usb", "usb"),
            ("File", "file"),
        )
        for class_name, kind in kinds:
            cls = getattr(escpos_printers, class_name, None)
            if isinstance(cls, type) and isinstance(device, cls):
                return kind
        return "other"


def _check_profile(name: str) -> None:
    from escpos.capabilities import get_profile

    try:
        get_profile(name)
    except Exception as exc:  # python-escpos raises KeyError for an unknown name
        raise ValueError(f"unknown python-escpos printer profile {name!r}") from exc
