"""PC/SC card readers through pcscd and pyscard: contactless UID, optional ATR fallback.

NOTE: Qt-free zone.

One worker thread holds a PC/SC context and blocks in ``SCardGetStatusChange`` on every reader
whose name contains ``reader_filter`` (case-insensitive; all readers when it is None), plus
the ``\\\\?PnP?\\Notification`` pseudo-reader so that plugged-in readers are seen at once (the
reader list is also re-read every ``poll_interval_s``). ``stop()`` wakes it with
``SCardCancel``. pcscd's per-reader event counter (upper 16 bits of the state) catches a card
swapped faster than one wake-up: that is a ``removed`` then an ``inserted``.

On a card:

1. connect (shared, T=0 or T=1; a few retries while the card is still settling),
2. send GET UID ``FF CA 00 00 00`` (PC/SC part 3; answered by the reader for contactless
   cards: ISO 14443 A/B, MIFARE, FeliCa, ISO 15693), retried with the right Le on ``6C xx``,
3. ``inserted`` with the keyed hash of the UID (upper-case hex), and ``removed`` with the same
   hash when the card leaves (or its reader / pcscd goes away).

Contact cards (and some readers) answer GET UID with an error. With ``atr_fallback=True`` the
event then carries the keyed hash of ``"ATR" + ATR hex`` (its own hash domain: never equal to
a UID hash). An ATR names the card *product*, not the card: every card of a batch usually has
the same ATR, so an ATR hash must not identify a person unless the station's cards are known
to carry a serial number in their ATR. That is why the fallback is off by default; without it
such a card gives ``inserted`` with ``uid_hash=None`` ("card not readable").

States: UNKNOWN before ``start``; OFFLINE "pcscd not running" when the daemon does not answer
(retried every ``retry_interval_s``); OFFLINE "no reader" / "no reader matching …"; READY with
the reader names otherwise; ERROR for other PC/SC failures. Neither the UID nor the ATR is ever
logged; logs carry the first 8 characters of the hash at most.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Final

from smartcard import scard

from hardware.card_reader._common import (
    EventCallback,
    StatusReporter,
    check_key,
    deliver_event,
    hash_uid,
)
from hardware.protocols import CardEvent, DeviceState, DeviceStatus, StateCallback

__all__ = ["GET_UID_APDU", "PNP_READER", "PcscCardReader"]

_log = logging.getLogger(__name__)

#: PC/SC part 3 "Get Data: UID" pseudo-APDU.
GET_UID_APDU: Final[tuple[int, ...]] = (0xFF, 0xCA, 0x00, 0x00, 0x00)
#: pcsc-lite's pseudo-reader that changes when readers come and go.
PNP_READER: Final = "\\\\?PnP?\\Notification"

_MAX_UID_BYTES = 16


def _u32(value: Any) -> int:
    """A PC/SC result or state as an unsigned 32-bit number (pyscard may give it signed)."""
    return int(value) & 0xFFFFFFFF


_OK: Final = 0
_E_TIMEOUT: Final = _u32(scard.SCARD_E_TIMEOUT)
_E_CANCELLED: Final = _u32(scard.SCARD_E_CANCELLED)
_E_UNKNOWN_READER: Final = _u32(scard.SCARD_E_UNKNOWN_READER)
_E_NO_READERS: Final = _u32(scard.SCARD_E_NO_READERS_AVAILABLE)
_E_NO_SERVICE: Final = _u32(scard.SCARD_E_NO_SERVICE)
#: The daemon is gone or our context died with it: re-establish.
_SERVICE_GONE: Final = frozenset(
    _u32(code)
    for code in (
        scard.SCARD_E_NO_SERVICE,
        scard.SCARD_E_SERVICE_STOPPED,
        scard.SCARD_F_COMM_ERROR,
        scard.SCARD_E_INVALID_HANDLE,
    )
)
#: Worth another connect attempt: the card is still settling or briefly used by another app.
_TRANSIENT: Final = frozenset(
    _u32(code)
    for code in (
        scard.SCARD_E_SHARING_VIOLATION,
        scard.SCARD_W_RESET_CARD,
        scard.SCARD_W_UNPOWERED_CARD,
        scard.SCARD_E_NOT_READY,
        scard.SCARD_W_UNRESPONSIVE_CARD,
    )
)
_STATE_CHANGED: Final = _u32(scard.SCARD_STATE_CHANGED)
_STATE_PRESENT: Final = _u32(scard.SCARD_STATE_PRESENT)
_STATE_GONE: Final = _u32(
    scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE | scard.SCARD_STATE_IGNORE
)


def _message(code: int) -> str:
    try:
        text = str(scard.SCardGetErrorMessage(code)).strip().rstrip(".")
    except Exception:
        text = "PC/SC error"
    return f"{text} (0x{code:08X})"


class _ServiceGoneError(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(_message(code))
        self.code = code


class _PcscError(Exception):
    def __init__(self, what: str, code: int) -> None:
        super().__init__(f"{what}: {_message(code)}")
        self.code = code


@dataclass(slots=True)
class _Slot:
    """What we know about one watched reader."""

    state: int = _u32(scard.SCARD_STATE_UNAWARE)
    counter: int | None = None
    present: bool = False
    uid_hash: str | None = None


class PcscCardReader:
    """PC/SC card reader(s) via pcscd (see the module docstring). Implements ``CardReader``.

    Callbacks come from the reader's own thread.
    """

    def __init__(
        self,
        *,
        key: bytes,
        reader_filter: str | None = None,
        poll_interval_s: float = 1.0,
        retry_interval_s: float = 2.0,
        atr_fallback: bool = False,
        connect_attempts: int = 3,
    ) -> None:
        if poll_interval_s <= 0 or retry_interval_s <= 0 or connect_attempts < 1:
            raise ValueError("intervals must be positive and connect_attempts >= 1")
        self._key = check_key(key)
        self.reader_filter = reader_filter or None
        self._poll_ms = max(1, round(poll_interval_s * 1000))
        self._retry_interval_s = retry_interval_s
        self._atr_fallback = atr_fallback
        self._connect_attempts = connect_attempts
        self._status = StatusReporter()
        self._on_event: EventCallback | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._context: Any = None
        self._slots: dict[str, _Slot] = {}

    # ---------------------------------------------------------------- CardReader
    def start(self, on_event: EventCallback, on_state: StateCallback) -> None:
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("PC/SC card reader already started")
        self._on_event = on_event
        self._status.attach(on_state)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="card-pcsc", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            # SCardCancel only wakes a call already in progress: repeat it until the thread
            # has seen the stop flag (it may have been just about to enter a wait).
            deadline = time.monotonic() + 5.0
            while thread.is_alive() and time.monotonic() < deadline:
                self._cancel()
                thread.join(timeout=0.05)
            if thread.is_alive():
                _log.warning("PC/SC card reader thread did not stop in time")
        self._status.set(DeviceState.UNKNOWN, "stopped")
        self._status.attach(None)
        self._on_event = None

    def status(self) -> DeviceStatus:
        return self._status.get()

    def _cancel(self) -> None:
        with self._lock:
            context = self._context
        if context is not None:
            try:
                scard.SCardCancel(context)
            except Exception as exc:
                _log.debug("SCardCancel raised %s", type(exc).__name__)

    # ---------------------------------------------------------------- worker thread
    def _run(self) -> None:
        while not self._stop.is_set():
            context = self._establish()
            if context is None:
                self._stop.wait(self._retry_interval_s)
                continue
            try:
                self._watch(context)
            except _ServiceGoneError as exc:
                self._offline_service(exc.code)
            except _PcscError as exc:
                if self._status.set(DeviceState.ERROR, str(exc)):
                    _log.warning("PC/SC card reader: %s", exc)
            except Exception as exc:  # never let the thread die silently
                self._status.set(DeviceState.ERROR, f"PC/SC driver failed: {type(exc).__name__}")
                _log.error("PC/SC card reader failed: %s", type(exc).__name__)
            finally:
                self._forget_all()
                with self._lock:
                    self._context = None
                try:
                    scard.SCardReleaseContext(context)
                except Exception as exc:
                    _log.debug("SCardReleaseContext raised %s", type(exc).__name__)
            if not self._stop.is_set():
                self._stop.wait(self._retry_interval_s)

    def _offline_service(self, code: int) -> None:
        detail = "pcscd not running" if code == _E_NO_SERVICE else "pcscd connection lost"
        if self._status.set(DeviceState.OFFLINE, f"{detail}: {_message(code)}"):
            _log.warning("PC/SC card reader: %s", detail)

    def _establish(self) -> Any:
        try:
            result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        except Exception as exc:
            self._status.set(DeviceState.ERROR, f"PC/SC unusable: {type(exc).__name__}")
            return None
        code = _u32(result)
        if code != _OK:
            if code in _SERVICE_GONE:
                self._offline_service(code)
            elif self._status.set(DeviceState.ERROR, f"PC/SC context: {_message(code)}"):
                _log.warning("PC/SC card reader: cannot establish a context")
            return None
        with self._lock:
            if self._stop.is_set():
                scard.SCardReleaseContext(context)
                return None
            self._context = context
        return context

    def _watch(self, context: Any) -> None:
        pnp_state = _u32(scard.SCARD_STATE_UNAWARE)
        use_pnp = True
        unknown_in_a_row = 0
        while not self._stop.is_set():
            names = self._list_readers(context)
            watched = [name for name in names if self._matches(name)]
            self._sync_slots(watched)
            self._report_readers(names, watched)
            states = [(name, slot.state) for name, slot in self._slots.items()]
            if use_pnp:
                states.append((PNP_READER, pnp_state))
            if not states:  # no reader and no PnP support: wait, then re-read the list
                self._stop.wait(self._poll_ms / 1000)
                continue
            result, new_states = scard.SCardGetStatusChange(context, self._poll_ms, states)
            code = _u32(result)
            if code in (_E_TIMEOUT, _E_CANCELLED):
                continue
            if code == _E_UNKNOWN_READER:
                # A reader left between listing and waiting, or PnP is not supported.
                unknown_in_a_row += 1
                if unknown_in_a_row >= 2 and use_pnp:
                    use_pnp = False
                    _log.info("PC/SC: no PnP notification; polling the reader list")
                continue
            unknown_in_a_row = 0
            if code in _SERVICE_GONE:
                raise _ServiceGoneError(code)
            if code != _OK:
                raise _PcscError("SCardGetStatusChange", code)
            only_pnp = True
            for name, event_state, atr in new_states:
                if name == PNP_READER:
                    pnp_state = _u32(event_state) & ~_STATE_CHANGED
                    continue
                if _u32(event_state) & _STATE_CHANGED:
                    only_pnp = False
                self._update(context, name, _u32(event_state), bytes(atr or b""))
            if only_pnp:
                self._stop.wait(0.02)  # never spin if a PC/SC stack keeps signalling PnP

    def _list_readers(self, context: Any) -> list[str]:
        result, names = scard.SCardListReaders(context, [])
        code = _u32(result)
        if code == _E_NO_READERS:
            return []
        if code in _SERVICE_GONE:
            raise _ServiceGoneError(code)
        if code != _OK:
            raise _PcscError("SCardListReaders", code)
        return [str(name) for name in names]

    def _matches(self, name: str) -> bool:
        return self.reader_filter is None or self.reader_filter.casefold() in name.casefold()

    def _sync_slots(self, watched: list[str]) -> None:
        for name in [n for n in self._slots if n not in watched]:
            slot = self._slots.pop(name)
            if slot.present:
                self._removed(name, slot)
            _log.info("PC/SC reader left: %s", name)
        for name in watched:
            if name not in self._slots:
                self._slots[name] = _Slot()
                _log.info("PC/SC reader found: %s", name)

    def _report_readers(self, names: list[str], watched: list[str]) -> None:
        if watched:
            self._status.set(DeviceState.READY, ", ".join(watched))
        elif not names:
            if self._status.set(DeviceState.OFFLINE, "no reader"):
                _log.warning("PC/SC card reader: no reader")
        elif self._status.set(DeviceState.OFFLINE, f"no reader matching {self.reader_filter!r}"):
            _log.warning("PC/SC card reader: no reader matching the filter")

    def _update(self, context: Any, name: str, event_state: int, atr: bytes) -> None:
        slot = self._slots.get(name)
        if slot is None:
            return
        slot.state = event_state & ~_STATE_CHANGED
        present = bool(event_state & _STATE_PRESENT) and not event_state & _STATE_GONE
        counter = (event_state >> 16) & 0xFFFF
        swapped = slot.counter is not None and counter != slot.counter
        if slot.present and (not present or swapped):
            self._removed(name, slot)
        if present and not slot.present:
            slot.uid_hash = self._read_card(context, name, atr)
            slot.present = True
            shown = slot.uid_hash[:8] + "..." if slot.uid_hash else "none"
            _log.info("card inserted on %s (hash %s)", name, shown)
            deliver_event(self._on_event, CardEvent("inserted", slot.uid_hash, name))
        slot.counter = counter

    def _removed(self, name: str, slot: _Slot) -> None:
        uid_hash, slot.uid_hash, slot.present = slot.uid_hash, None, False
        _log.info("card removed from %s", name)
        deliver_event(self._on_event, CardEvent("removed", uid_hash, name))

    def _forget_all(self) -> None:
        for name, slot in list(self._slots.items()):
            if slot.present:
                self._removed(name, slot)
        self._slots.clear()

    # ---------------------------------------------------------------- reading a card
    def _read_card(self, context: Any, name: str, atr: bytes) -> str | None:
        """The keyed hash for the card now on reader ``name`` (see the module docstring)."""
        handle, protocol = self._connect(context, name)
        if handle is None:
            return None
        try:
            uid = self._get_uid(handle, protocol)
        finally:
            try:
                scard.SCardDisconnect(handle, scard.SCARD_LEAVE_CARD)
            except Exception as exc:
                _log.debug("SCardDisconnect raised %s", type(exc).__name__)
        if uid is not None:
            return hash_uid(uid, self._key)
        if self._atr_fallback and atr:
            return hash_uid("ATR" + atr.hex(), self._key)
        _log.info("card on %s gave no UID", name)
        return None

    def _connect(self, context: Any, name: str) -> tuple[Any, int]:
        code = _OK
        for attempt in range(self._connect_attempts):
            result, handle, protocol = scard.SCardConnect(
                context,
                name,
                scard.SCARD_SHARE_SHARED,
                scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
            )
            code = _u32(result)
            if code == _OK:
                return handle, int(protocol)
            if code in _SERVICE_GONE:
                raise _ServiceGoneError(code)
            last = attempt == self._connect_attempts - 1
            if code not in _TRANSIENT or last or self._stop.wait(0.05 * (attempt + 1)):
                break
        _log.warning("card on %s cannot be read: %s", name, _message(code))
        return None, 0

    def _get_uid(self, handle: Any, protocol: int) -> str | None:
        apdu = list(GET_UID_APDU)
        for _ in range(2):
            result, response = scard.SCardTransmit(handle, protocol, apdu)
            code = _u32(result)
            if code in _SERVICE_GONE:
                raise _ServiceGoneError(code)
            if code != _OK or len(response) < 2:
                return None
            sw1, sw2 = int(response[-2]), int(response[-1])
            if sw1 == 0x6C:  # wrong Le: the card says how many bytes it has
                apdu = [*GET_UID_APDU[:4], sw2]
                continue
            data = bytes(response[:-2])
            if (sw1, sw2) == (0x90, 0x00) and 1 <= len(data) <= _MAX_UID_BYTES:
                return data.hex().upper()
            return None
        return None
