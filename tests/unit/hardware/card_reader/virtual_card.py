"""A virtual smart card for vsmartcard's vpcd reader driver (pcscd), for tests and by hand.

vpcd (``libifdvpcd.so``, Debian package ``vsmartcard-vpcd``) registers PC/SC readers that
listen on TCP ports (35963, 35964 by default). A card "is inserted" while a program is
connected to a reader's port and "removed" when it disconnects. The protocol: every message
is a 2-byte big-endian length, then either one control byte (0 power off, 1 power on,
2 reset, 4 get ATR — only "get ATR" is answered, with the ATR) or a command APDU, answered
with a response APDU.

This card answers GET UID ``FF CA 00 00 Le`` with its UID and ``90 00`` (``6C xx`` when Le is
too short), and ``6A 81`` (function not supported) to anything else, including GET UID when
it has no UID (a contact card). Debian's ``vicc`` is not used: it is broken on Python 3.

By hand::

    python -m tests.unit.hardware.card_reader.virtual_card --port 35963 --uid 04A1B2C3
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import struct
import threading
import time

__all__ = ["CONTACTLESS_ATR", "CONTACT_ATR", "VirtualCard"]

#: PC/SC part 3 ATR of a MIFARE Classic 1K card seen through a contactless reader (T=1).
CONTACTLESS_ATR = bytes.fromhex("3B8F8001804F0CA0000003060300010000000068")
#: A plain T=0 contact card ATR.
CONTACT_ATR = bytes.fromhex("3B6800000073C84000009000")

_CTRL_OFF, _CTRL_ON, _CTRL_RESET, _CTRL_ATR = 0, 1, 2, 4
_SW_OK = b"\x90\x00"
_SW_NOT_SUPPORTED = b"\x6a\x81"


class VirtualCard:
    """One virtual card; :meth:`insert` connects it to a vpcd reader, :meth:`remove` pulls it."""

    def __init__(
        self,
        port: int,
        *,
        uid: bytes | None,
        atr: bytes = CONTACTLESS_ATR,
        host: str = "127.0.0.1",
    ) -> None:
        self.port = port
        self.host = host
        self.uid = uid
        self.atr = atr
        #: Command APDUs received, in order.
        self.apdus: list[bytes] = []
        self.powered = False
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def inserted(self) -> bool:
        return self._sock is not None

    @property
    def connected(self) -> bool:
        """Whether vpcd is still talking to this card (False after pcscd went away)."""
        return self._thread is not None and self._thread.is_alive()

    def insert(self, timeout_s: float = 5.0) -> None:
        """Connect to the reader's port (retrying until vpcd listens)."""
        if self._sock is not None:
            raise RuntimeError("card already inserted")
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, args=(sock,), daemon=True)
        self._thread.start()

    def remove(self) -> None:
        """Disconnect: the reader sees the card leave."""
        sock, self._sock = self._sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5.0)
        self.powered = False

    def __enter__(self) -> VirtualCard:
        self.insert()
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    # ---------------------------------------------------------------- protocol
    def answer(self, message: bytes) -> bytes | None:
        """The reply to one vpcd message (None: no reply)."""
        if len(message) == 1:
            ctrl = message[0]
            if ctrl == _CTRL_ATR:
                return self.atr
            if ctrl in (_CTRL_ON, _CTRL_RESET):
                self.powered = True
            elif ctrl == _CTRL_OFF:
                self.powered = False
            return None
        with self._lock:
            self.apdus.append(bytes(message))
        if self.uid is not None and message[:4] == b"\xff\xca\x00\x00":
            le = message[4] if len(message) >= 5 else 0
            if le and le < len(self.uid):
                return bytes([0x6C, len(self.uid)])
            return self.uid + _SW_OK
        return _SW_NOT_SUPPORTED

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                header = _recv_exact(sock, 2)
                (length,) = struct.unpack(">H", header)
                reply = self.answer(_recv_exact(sock, length))
                if reply is not None:
                    sock.sendall(struct.pack(">H", len(reply)) + reply)
        except (OSError, EOFError):
            return


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=35963)
    parser.add_argument("--uid", default="04A1B2C3", help="hex; empty for a contact card")
    parser.add_argument("--atr", default=None, help="hex ATR")
    args = parser.parse_args(argv)
    uid = bytes.fromhex(args.uid) if args.uid else None
    atr = bytes.fromhex(args.atr) if args.atr else (CONTACTLESS_ATR if uid else CONTACT_ATR)
    card = VirtualCard(args.port, uid=uid, atr=atr, host=args.host)
    card.insert()
    try:
        while card.connected:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        card.remove()


if __name__ == "__main__":
    main()
