"""Fixtures for the card reader tests: key, event recorder, raw-UID log guard, pcscd.

Every test here runs under :func:`no_raw_uid_in_logs`: all log records (DEBUG and up) are
captured and may not contain any test UID or ATR, in any spelling.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hardware.protocols import CardEvent, DeviceState, DeviceStatus
from tests.unit.hardware.card_reader.pcscd import (
    PcscDaemon,
    PcscLayout,
    find_pcscd,
    find_vpcd_driver,
    namespaces_work,
)
from tests.unit.hardware.card_reader.virtual_card import CONTACT_ATR, CONTACTLESS_ATR

KEY = b"kiosk-test-card-key-0123456789ab"
UID_4 = "04A1B2C3"
UID_7 = "04112233445566"
UID_DECIMAL = "0012345678"
UID_SERIAL = "1A2B3C4D5E"
#: Strings that must never show up in logs.
SECRETS = (UID_4, UID_7, UID_DECIMAL, UID_SERIAL, CONTACTLESS_ATR.hex(), CONTACT_ATR.hex())


def spellings(secret: str) -> set[str]:
    """Ways a UID or ATR could be written: upper/lower case, with separators."""
    forms = {secret, secret.upper(), secret.lower()}
    if len(secret) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in secret):
        pairs = [secret[i : i + 2] for i in range(0, len(secret), 2)]
        for sep in (":", " ", "-"):
            forms |= {sep.join(pairs).upper(), sep.join(pairs).lower()}
        # Python's repr of the bytes / list of ints
        raw = bytes.fromhex(secret)
        forms |= {repr(raw), str(list(raw))}
    return forms


def assert_no_secrets(text: str) -> None:
    for secret in SECRETS:
        for form in spellings(secret):
            assert form not in text, "a raw card UID/ATR was logged"


@pytest.fixture(autouse=True)
def no_raw_uid_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    text = "\n".join(
        f"{record.name} {record.getMessage()} {record.exc_text or ''}"
        for record in caplog.get_records("call") + caplog.get_records("setup")
    )
    assert_no_secrets(text)


class Recorder:
    """Collects CardReader callbacks from any thread; waits for them."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.events: list[CardEvent] = []
        self.states: list[DeviceStatus] = []

    def on_event(self, event: CardEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def on_state(self, status: DeviceStatus) -> None:
        with self._cond:
            self.states.append(status)
            self._cond.notify_all()

    def wait_for(self, predicate: Callable[[], bool], timeout_s: float = 5.0) -> None:
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"timed out; events={self.events!r} states={self.states!r}"
                    )
                self._cond.wait(left)

    def wait_events(self, count: int, timeout_s: float = 5.0) -> list[CardEvent]:
        self.wait_for(lambda: len(self.events) >= count, timeout_s)
        return list(self.events)

    def wait_state(self, state: DeviceState, timeout_s: float = 5.0) -> DeviceStatus:
        self.wait_for(lambda: bool(self.states) and self.states[-1].state is state, timeout_s)
        return self.states[-1]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


# ---------------------------------------------------------------- pcscd
@pytest.fixture(scope="session")
def pcsc_layout() -> Iterator[PcscLayout]:
    """Decides once per session where the test pcscd's socket lives (see ``pcscd.py``)."""
    pytest.importorskip("smartcard", reason="pyscard not installed")
    if find_pcscd() is None:
        pytest.skip("pcscd not installed (apt-get install pcscd)")
    if find_vpcd_driver() is None:
        pytest.skip("vpcd not installed (apt-get install vsmartcard-vpcd)")
    if namespaces_work():
        socket_dir = Path(tempfile.mkdtemp(prefix="kiosk-pcscd-"))
        # NOTE: libpcsclite reads this once, at the process's first PC/SC call.
        previous = os.environ.get("PCSCLITE_CSOCK_NAME")
        os.environ["PCSCLITE_CSOCK_NAME"] = str(socket_dir / "pcscd.comm")
        yield PcscLayout(socket_dir, private=True)
        if previous is None:
            os.environ.pop("PCSCLITE_CSOCK_NAME", None)
        else:
            os.environ["PCSCLITE_CSOCK_NAME"] = previous
        shutil.rmtree(socket_dir, ignore_errors=True)
        return
    layout = PcscLayout(Path("/run/pcscd"), private=False)
    if os.geteuid() != 0:
        pytest.skip("the pcscd tests run pcscd, which needs root")
    if layout.other_daemon_running() or "PCSCLITE_CSOCK_NAME" in os.environ:
        pytest.skip("a pcscd is already running and no private mount namespace is possible")
    yield layout


@pytest.fixture
def pcscd(pcsc_layout: PcscLayout, tmp_path: Path) -> Iterator[PcscDaemon]:
    """A running pcscd with the two-slot vpcd reader; stopped (by PID) at teardown."""
    daemon = PcscDaemon(pcsc_layout, tmp_path)
    daemon.start()
    yield daemon
    daemon.stop()
