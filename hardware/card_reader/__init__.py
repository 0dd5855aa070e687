"""Community / staff card readers implementing :class:`hardware.protocols.CardReader`.

* :mod:`hardware.card_reader.pcsc` — ``PcscCardReader``: PC/SC readers via pcscd and pyscard
  (contactless UID by ``FF CA 00 00 00``; optional ATR fallback).
* :mod:`hardware.card_reader.serial_reader` — ``SerialCardReader``: serial RFID readers via
  pyserial (line, STX/ETX or regular-expression framing).
* :mod:`hardware.card_reader.simulated` — ``SimulatedCardReader``: a simulator with faults.
* :mod:`hardware.card_reader.wedge` — ``WedgeDecoder``: tells a USB keyboard-wedge reader's
  key bursts from human typing; the Qt event filter around it is ``ui.card_wedge``.

Every back-end hands on a card only as its keyed hash
(:func:`hardware.cards.card_uid_hash`); a raw UID is never logged nor put in an event.

Nothing is imported here, so that importing one back-end never needs another's library
(pyscard, pyserial).
"""
