"""A simulated card reader for demos, tests and stations without a reader.

NOTE: Qt-free zone. A simulator, chosen by configuration; never called a driver.

Same event semantics as the PC/SC back-end: ``inserted`` with the keyed hash of the UID,
``removed`` with the same hash when the card is taken away, when another card is put on, or
when the reader goes offline or fails. Events and state changes are delivered synchronously,
from the thread that calls :meth:`insert_card` and friends. A card presented while the reader
is stopped, offline or failed is not seen (``insert_card`` returns False), as with hardware.
"""

from __future__ import annotations

import logging
import threading

from hardware.card_reader._common import EventCallback, StatusReporter, check_key, deliver_event
from hardware.cards import card_uid_hash
from hardware.protocols import CardEvent, DeviceState, DeviceStatus, StateCallback

__all__ = ["SimulatedCardReader"]

_log = logging.getLogger(__name__)


class SimulatedCardReader:
    """Card reader simulator with fault injection. Implements ``CardReader``."""

    def __init__(self, key: bytes, *, reader_name: str = "simulated") -> None:
        self._key = check_key(key)
        self.reader_name = reader_name
        self._status = StatusReporter()
        self._on_event: EventCallback | None = None
        self._lock = threading.RLock()
        self._card: str | None = None  # hash of the card on the reader

    # ---------------------------------------------------------------- CardReader
    def start(self, on_event: EventCallback, on_state: StateCallback) -> None:
        with self._lock:
            self._on_event = on_event
            self._status.attach(on_state)
            self._status.set(DeviceState.READY, "simulated reader")

    def stop(self) -> None:
        with self._lock:
            self._drop_card()
            self._status.set(DeviceState.UNKNOWN, "stopped")
            self._status.attach(None)
            self._on_event = None

    def status(self) -> DeviceStatus:
        return self._status.get()

    # ---------------------------------------------------------------- simulation
    @property
    def card_present(self) -> bool:
        return self._card is not None

    def insert_card(self, uid: str) -> bool:
        """Put the card ``uid`` on the reader (replacing any card there).

        Returns whether the reader saw it (False when stopped, offline or failed).

        Raises:
            ValueError: ``uid`` is not a card UID.
        """
        uid_hash = card_uid_hash(uid, self._key)
        with self._lock:
            if self._on_event is None or self._status.get().state is not DeviceState.READY:
                _log.debug("simulated card reader: card ignored (reader not ready)")
                return False
            self._drop_card()
            self._card = uid_hash
            _log.info("simulated card inserted (hash %s...)", uid_hash[:8])
            deliver_event(self._on_event, CardEvent("inserted", uid_hash, self.reader_name))
            return True

    def remove_card(self) -> bool:
        """Take the card away; returns whether there was one."""
        with self._lock:
            return self._drop_card()

    def go_offline(self, detail: str = "simulated: reader unplugged") -> None:
        """The reader disappears (OFFLINE); a card on it counts as removed."""
        self.fail(detail, state=DeviceState.OFFLINE)

    def fail(
        self, detail: str = "simulated failure", *, state: DeviceState = DeviceState.ERROR
    ) -> None:
        """The reader fails (ERROR unless ``state`` says otherwise); a card on it is removed."""
        if state is DeviceState.READY:
            raise ValueError("use recover() to make the reader ready")
        with self._lock:
            self._drop_card()
            self._status.set(state, detail)

    def recover(self) -> None:
        """The reader is back (READY), if started."""
        with self._lock:
            if self._on_event is not None:
                self._status.set(DeviceState.READY, "simulated reader")

    def _drop_card(self) -> bool:
        uid_hash, self._card = self._card, None
        if uid_hash is None:
            return False
        _log.info("simulated card removed")
        deliver_event(self._on_event, CardEvent("removed", uid_hash, self.reader_name))
        return True
