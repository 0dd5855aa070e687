"""Fixtures for the printer tests: a fake TCP receipt printer and a private CUPS scheduler.

``cups`` (session): starts its own ``cupsd -f`` with a configuration in a temporary directory,
listening only on a Unix socket there (``CUPS_SERVER``), so a system cupsd — running or not —
is neither used nor touched. It adds two cups-pdf queues (``KioskPDF``, enabled; ``KioskOff``,
disabled) whose PDFs land in the temporary directory: the cups-pdf backend reads its settings
from ``/etc/cups/cups-pdf-<instance>.conf`` for a ``cups-pdf:/<instance>`` device, so the
fixture writes one such file for this run and removes it at the end. cupsd is stopped by its
PID at the end of the session (and gets SIGTERM if pytest dies first; settings files of
killed runs are removed at the next start). Nothing is installed: the Debian packages ``cups``,
``printer-driver-cups-pdf`` and ``poppler-utils`` must be there (the fixture fails naming
them otherwise); cupsd's backends need root, so the fixture skips for other users.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.unit.hardware.printer.fake_printer import FakeEscPosPrinter, Responder

CUPSD = "/usr/sbin/cupsd"
CUPS_PDF_BACKEND = "/usr/lib/cups/backend/cups-pdf"
CUPS_PDF_PPD = "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"
APT_PACKAGES = "cups printer-driver-cups-pdf poppler-utils"


@pytest.fixture
def fake_printer() -> Iterator[Callable[..., FakeEscPosPrinter]]:
    """Factory: ``fake_printer(responder, close_after=None)`` → a started fake printer."""
    started: list[FakeEscPosPrinter] = []

    def make(
        responder: Responder | None = None, *, close_after: int | None = None
    ) -> FakeEscPosPrinter:
        server = FakeEscPosPrinter(responder, close_after=close_after).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@dataclass(frozen=True)
class CupsInstance:
    root: Path
    server: str  # CUPS_SERVER value (the domain socket)
    out_dir: Path
    queue: str
    disabled_queue: str

    def env(self) -> dict[str, str]:
        return dict(os.environ, CUPS_SERVER=self.server, LANG="C", LC_ALL="C")

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(argv), capture_output=True, text=True, env=self.env(), timeout=30, check=False
        )


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM cupsd when pytest dies without a teardown."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _remove_stale_configs() -> None:
    """cups-pdf settings left by test runs that were killed (their PID is gone)."""
    for conf in Path("/etc/cups").glob("cups-pdf-kiosktest*.conf"):
        pid = conf.stem.removeprefix("cups-pdf-kiosktest")
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            conf.unlink(missing_ok=True)


def _missing_tools() -> list[str]:
    needed = [CUPSD, CUPS_PDF_BACKEND, CUPS_PDF_PPD]
    missing = [path for path in needed if not Path(path).exists()]
    for tool in ("lp", "lpstat", "lpadmin", "cupsdisable", "pdfinfo", "pdftoppm"):
        if shutil.which(tool) is None:
            missing.append(tool)
    return missing


def _write_config(root: Path, instance: str) -> tuple[Path, Path, Path]:
    for sub in ("etc", "spool/tmp", "cache", "state", "log", "out", "pdf-spool"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "out").chmod(0o755)
    socket_path = root / "cups.sock"
    cupsd_conf = root / "etc" / "cupsd.conf"
    cupsd_conf.write_text(
        f"Listen {socket_path}\n"
        "LogLevel info\nWebInterface No\nBrowsing No\nDefaultAuthType None\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
        encoding="utf-8",
    )
    files_conf = root / "etc" / "cups-files.conf"
    files_conf.write_text(
        f"ServerRoot {root / 'etc'}\n"
        f"RequestRoot {root / 'spool'}\n"
        f"TempDir {root / 'spool' / 'tmp'}\n"
        f"CacheDir {root / 'cache'}\n"
        f"StateDir {root / 'state'}\n"
        f"ErrorLog {root / 'log' / 'error_log'}\n"
        f"AccessLog {root / 'log' / 'access_log'}\n"
        f"PageLog {root / 'log' / 'page_log'}\n"
        "User lp\nGroup lp\nSystemGroup root lpadmin\n",
        encoding="utf-8",
    )
    pdf_conf = Path(f"/etc/cups/cups-pdf-{instance}.conf")
    pdf_conf.write_text(
        f"Out {root / 'out'}\n"
        f"AnonDirName {root / 'out'}\n"
        f"Spool {root / 'pdf-spool'}\n"
        f"Log {root / 'log'}\n"
        "Label 1\n",
        encoding="utf-8",
    )
    return cupsd_conf, files_conf, pdf_conf


@pytest.fixture(scope="session")
def cups() -> Iterator[CupsInstance]:
    missing = _missing_tools()
    if missing:
        pytest.fail(
            f"CUPS test set-up missing {', '.join(missing)}: apt-get install {APT_PACKAGES}",
            pytrace=False,
        )
    if os.geteuid() != 0:
        pytest.skip("the private cupsd and the cups-pdf backend need root")
    _remove_stale_configs()
    instance = f"kiosktest{os.getpid()}"
    if Path(f"/etc/cups/cups-pdf-{instance}.conf").exists():
        pytest.fail(f"/etc/cups/cups-pdf-{instance}.conf exists already; remove it")
    root = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
    root.chmod(0o755)  # filters run as user lp and must reach the spool below
    cupsd_conf, files_conf, pdf_conf = _write_config(root, instance)
    log = (root / "log" / "cupsd.out").open("wb")
    process = subprocess.Popen(
        [CUPSD, "-f", "-c", str(cupsd_conf), "-s", str(files_conf)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    try:
        cups_instance = CupsInstance(
            root=root,
            server=str(root / "cups.sock"),
            out_dir=root / "out",
            queue="KioskPDF",
            disabled_queue="KioskOff",
        )
        deadline = time.monotonic() + 15
        while "scheduler is running" not in cups_instance.run("lpstat", "-r").stdout:
            if process.poll() is not None or time.monotonic() > deadline:
                error_log = root / "log" / "error_log"
                detail = error_log.read_text(errors="replace")[-2000:] if error_log.exists() else ""
                pytest.fail(f"private cupsd did not start:\n{detail}", pytrace=False)
            time.sleep(0.1)
        for queue in (cups_instance.queue, cups_instance.disabled_queue):
            added = cups_instance.run(
                "lpadmin", "-p", queue, "-E", "-v", f"cups-pdf:/{instance}", "-P", CUPS_PDF_PPD
            )
            assert added.returncode == 0, added.stderr
        disabled = cups_instance.run("cupsdisable", cups_instance.disabled_queue)
        assert disabled.returncode == 0, disabled.stderr
        yield cups_instance
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()
        pdf_conf.unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)
