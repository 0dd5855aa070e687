"""A private pcscd with vsmartcard's vpcd virtual reader, started and stopped by the tests.

Needs Debian's ``pcscd`` and ``vsmartcard-vpcd`` (and pyscard, built against
``libpcsclite-dev``).

pcscd always puts its socket in ``/run/pcscd`` (it ignores ``PCSCLITE_CSOCK_NAME``; only the
client library reads that, once per process). So that a test daemon never collides with a
system pcscd (or a real reader's users), as root it runs in its own mount namespace with a
temporary directory bind-mounted on ``/run/pcscd``; the test process points libpcsclite at
that directory with ``PCSCLITE_CSOCK_NAME``, set before the first PC/SC call of the session.
Without namespaces (not root, no ``unshare``) it falls back to the real ``/run/pcscd`` when
no other pcscd is running there, and the tests are skipped otherwise.

The daemon reads only its own reader configuration (``pcscd --config DIR``): one vpcd entry
with a distinct reader name and two free TCP ports (one per virtual slot). ``pcscd -f`` stays
in the foreground; its PID is kept and only that process is stopped.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = [
    "READER_NAME",
    "PcscDaemon",
    "PcscLayout",
    "find_pcscd",
    "find_vpcd_driver",
    "namespaces_work",
]

#: Friendly name of the test vpcd reader; pcscd names its slots "<name> 00 00", "<name> 00 01".
READER_NAME = "Kiosk Test VPCD"

_VPCD_GLOBS = (
    "/usr/lib/pcsc/drivers/serial/libifdvpcd.so*",
    "/usr/lib/*/pcsc/drivers/serial/libifdvpcd.so*",
    "/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so*",
)
_BIND_AND_EXEC = 'mkdir -p /run/pcscd && mount --bind "$0" /run/pcscd && exec "$@"'


def find_pcscd() -> str | None:
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return shutil.which("pcscd", path=path)


def find_vpcd_driver() -> str | None:
    for pattern in _VPCD_GLOBS:
        found = sorted(glob.glob(pattern), key=len)
        if found:
            return found[0]
    return None


def namespaces_work() -> bool:
    """Whether this process may run a command in a private mount namespace."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    try:
        done = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "true"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _pid_alive(pid_file: Path) -> bool:
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class PcscLayout:
    """Where the test pcscd's socket lives, for the whole session."""

    socket_dir: Path
    private: bool  # True: own mount namespace; False: the real /run/pcscd

    @property
    def socket_path(self) -> Path:
        return self.socket_dir / "pcscd.comm"

    def other_daemon_running(self) -> bool:
        """Shared /run/pcscd only: a pcscd (or a systemd socket for one) is already there."""
        if self.private:
            return False
        return _pid_alive(self.socket_dir / "pcscd.pid") or self.socket_path.exists()


def free_port_pair() -> int:
    """A TCP port p such that p and p + 1 are free on all interfaces (vpcd binds both)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("", 0))
            port = int(probe.getsockname()[1])
        if port >= 65535:
            continue
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("", port))
                b.bind(("", port + 1))
        except OSError:
            continue
        return port
    raise RuntimeError("no two consecutive free TCP ports")


class PcscDaemon:
    """One ``pcscd -f`` with (by default) the vpcd reader on two fresh ports."""

    def __init__(self, layout: PcscLayout, workdir: Path, *, vpcd: bool = True) -> None:
        pcscd = find_pcscd()
        if pcscd is None:
            raise RuntimeError("pcscd not installed (apt-get install pcscd)")
        self.pcscd = pcscd
        self.layout = layout
        self.workdir = workdir
        self.vpcd_driver = find_vpcd_driver() if vpcd else None
        if vpcd and self.vpcd_driver is None:
            raise RuntimeError("vpcd driver not installed (apt-get install vsmartcard-vpcd)")
        self.port = free_port_pair() if vpcd else 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.workdir / "pcscd.log"

    def reader(self, slot: int = 0) -> str:
        """PC/SC name of a vpcd slot."""
        return f"{READER_NAME} 00 {slot:02d}"

    def card_port(self, slot: int = 0) -> int:
        """TCP port a virtual card connects to, to sit in ``slot``."""
        return self.port + slot

    def expected_readers(self) -> list[str]:
        return [self.reader(0), self.reader(1)] if self.vpcd_driver else []

    def argv(self) -> list[str]:
        conf = self.workdir / "reader.conf.d"
        argv = [self.pcscd, "--foreground", "--config", str(conf)]
        if self.layout.private:
            argv = [
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                _BIND_AND_EXEC,
                str(self.layout.socket_dir),
                *argv,
            ]
        return argv

    def start(self, timeout_s: float = 10.0) -> None:
        if self.proc is not None:
            raise RuntimeError("pcscd already started")
        conf = self.workdir / "reader.conf.d"
        conf.mkdir(parents=True, exist_ok=True)
        for old in conf.iterdir():
            old.unlink()
        if self.vpcd_driver is not None:
            (conf / "vpcd").write_text(
                f'FRIENDLYNAME "{READER_NAME}"\n'
                f"DEVICENAME   /dev/null:0x{self.port:04X}\n"
                f"LIBPATH      {self.vpcd_driver}\n"
                f"CHANNELID    0x{self.port:04X}\n"
            )
        if self.layout.private:  # a daemon killed hard leaves its socket and PID file
            for stale in ("pcscd.comm", "pcscd.pid"):
                with contextlib.suppress(FileNotFoundError):
                    (self.layout.socket_dir / stale).unlink()
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            self.argv(), stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT
        )
        try:
            self._wait_ready(timeout_s)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout_s: float) -> None:
        from smartcard import scard

        expected = set(self.expected_readers())
        deadline = time.monotonic() + timeout_s
        readers: list[str] = []
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"pcscd exited ({self.proc.returncode}): {self.log_tail()}")
            if self.layout.socket_path.exists():
                result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
                if result == scard.SCARD_S_SUCCESS:
                    try:
                        result, names = scard.SCardListReaders(context, [])
                        readers = list(names) if result == scard.SCARD_S_SUCCESS else []
                        no_readers = result == scard.SCARD_E_NO_READERS_AVAILABLE
                    finally:
                        scard.SCardReleaseContext(context)
                    if (expected and expected <= set(readers)) or (not expected and no_readers):
                        return
            time.sleep(0.05)
        raise RuntimeError(
            f"pcscd not ready in {timeout_s} s (readers {readers}): {self.log_tail()}"
        )

    def stop(self) -> None:
        """SIGTERM the daemon (our PID only), SIGKILL if it lingers, and reap it."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def kill(self) -> None:
        """Crash the daemon (SIGKILL), as if it died."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        self.stop()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text("utf-8", "replace")
        except OSError:
            return ""
        return " | ".join(text.strip().splitlines()[-lines:])
