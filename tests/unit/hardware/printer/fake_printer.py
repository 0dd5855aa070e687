"""A raw TCP "printer" on 127.0.0.1 for tests: records bytes, answers real-time status queries.

Like a network receipt printer on port 9100 it answers ``DLE EOT n`` as the bytes arrive.
What it answers is up to ``responder(n, received_so_far)``: a byte string, or None to stay
silent. It can also close a connection (with a TCP reset) once it has received
``close_after`` bytes, like a printer switched off in the middle of a job.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable
from types import TracebackType

Responder = Callable[[int, bytes], bytes | None]

OK = 0x12  # fixed bits only: no fault, paper present
COVER_OPEN = 0x12 | 0x04
FEED_BUTTON = 0x12 | 0x08
PAPER_END_STOP = 0x12 | 0x20
ERROR = 0x12 | 0x40
PAPER_NEAR_END = 0x12 | 0x0C
PAPER_END = 0x12 | 0x60


def fixed(offline_cause: int = OK, paper: int = OK) -> Responder:
    """Always the same answers to DLE EOT 2 and DLE EOT 4 (and OK to anything else)."""
    answers = {2: offline_cause, 4: paper}

    def respond(n: int, received: bytes) -> bytes | None:
        return bytes((answers.get(n, OK),))

    return respond


def silent() -> Responder:
    def respond(n: int, received: bytes) -> bytes | None:
        return None

    return respond


def paper_runs_out_during_job() -> Responder:
    """Paper present until the job's cut command has arrived, then paper end."""

    def respond(n: int, received: bytes) -> bytes | None:
        if n == 4 and b"\x1dV" in received:
            return bytes((PAPER_END,))
        return bytes((OK,))

    return respond


def silent_after_job() -> Responder:
    """Answers before the job, silent after it (a printer that hung while printing)."""

    def respond(n: int, received: bytes) -> bytes | None:
        return None if b"\x1dV" in received else bytes((OK,))

    return respond


class FakeEscPosPrinter:
    """Threaded TCP server; ``connections`` holds the bytes of each connection in order."""

    def __init__(self, responder: Responder | None = None, *, close_after: int | None = None):
        self.responder: Responder = responder or fixed()
        self.close_after = close_after
        self.connections: list[bytearray] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.host, self.port = self._listener.getsockname()[:2]
        self._threads: list[threading.Thread] = []
        self._accept_thread = threading.Thread(target=self._accept_loop, daemon=True)

    # -- lifecycle
    def start(self) -> FakeEscPosPrinter:
        self._accept_thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._accept_thread.join(timeout=2)
        for thread in self._threads:
            thread.join(timeout=2)
        self._listener.close()

    def __enter__(self) -> FakeEscPosPrinter:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- results
    def received(self) -> list[bytes]:
        with self._lock:
            return [bytes(c) for c in self.connections]

    def all_bytes(self) -> bytes:
        return b"".join(self.received())

    # -- server
    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            buffer = bytearray()
            with self._lock:
                self.connections.append(buffer)
            thread = threading.Thread(target=self._serve, args=(conn, buffer), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket, buffer: bytearray) -> None:
        conn.settimeout(0.05)
        scanned = 0
        with conn:
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                with self._lock:
                    buffer.extend(chunk)
                    data = bytes(buffer)
                if self.close_after is not None and len(data) >= self.close_after:
                    # SO_LINGER 0: close with a reset, like a printer losing power.
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
                while True:
                    index = data.find(b"\x10\x04", scanned)
                    if index == -1 or index + 2 >= len(data):
                        scanned = max(scanned, len(data) - 2) if index == -1 else index
                        break
                    n = data[index + 2]
                    scanned = index + 3
                    answer = self.responder(n, data[:index])
                    if answer:
                        try:
                            conn.sendall(answer)
                        except OSError:
                            return
