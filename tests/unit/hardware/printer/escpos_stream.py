"""A strict ESC/POS stream parser for tests: bytes received by the fake printer → tokens.

Knows the commands a slip job may contain (and the dangerous ones, so a test can say it found
them). Text runs are bytes 0x20–0x7E and 0x80–0xFF (GB18030); anything else that is not a
known command — a stray control byte — is a :class:`ParseError`, which is how the injection
tests notice a control byte that leaked from user data.
"""

from __future__ import annotations

from dataclasses import dataclass

# Fixed-length commands: prefix → number of parameter bytes.
_FIXED: dict[bytes, tuple[str, int]] = {
    b"\x1b@": ("ESC @", 0),
    b"\x1b!": ("ESC !", 1),
    b"\x1bE": ("ESC E", 1),
    b"\x1ba": ("ESC a", 1),
    b"\x1b-": ("ESC -", 1),
    b"\x1bM": ("ESC M", 1),
    b"\x1bd": ("ESC d", 1),
    b"\x1bJ": ("ESC J", 1),
    b"\x1b2": ("ESC 2", 0),
    b"\x1b3": ("ESC 3", 1),
    b"\x1bt": ("ESC t", 1),
    b"\x1bG": ("ESC G", 1),
    b"\x1b{": ("ESC {", 1),
    b"\x1bp": ("ESC p", 3),
    b"\x1b=": ("ESC =", 1),
    b"\x1d!": ("GS !", 1),
    b"\x1dB": ("GS B", 1),
    b"\x1db": ("GS b", 1),
    b"\x1dL": ("GS L", 2),
    b"\x1dW": ("GS W", 2),
    b"\x1c&": ("FS &", 0),
    b"\x1c.": ("FS .", 0),
    b"\x1c!": ("FS !", 1),
    b"\x1cC": ("FS C", 1),
    b"\x10\x04": ("DLE EOT", 1),
    b"\x10\x05": ("DLE ENQ", 1),
    b"\x10\x14": ("DLE DC4", 3),
}

#: Commands a slip job from the driver may contain.
ALLOWED_IN_JOB = frozenset(
    {
        "ESC @",
        "FS &",
        "ESC a",
        "ESC E",
        "ESC !",
        "GS !",
        "GS B",
        "GS ( k",
        "GS v 0",
        "ESC d",
        "GS V",
        "LF",
        "TEXT",
    }
)
#: Commands that must never come from a slip job.
DANGEROUS = frozenset({"ESC p", "DLE DC4", "DLE ENQ", "DLE EOT", "FS .", "ESC =", "ESC t"})


class ParseError(ValueError):
    """Bytes that are neither text nor a known command."""


@dataclass(frozen=True, slots=True)
class Token:
    """``name`` is a command name ("GS V"), "LF" or "TEXT"; ``data`` its parameter bytes / text."""

    name: str
    data: bytes
    offset: int


def parse(stream: bytes) -> list[Token]:
    """Split ``stream`` into tokens; raise ParseError on any unknown control byte."""
    tokens: list[Token] = []
    i = 0
    n = len(stream)
    while i < n:
        byte = stream[i]
        if byte == 0x0A:
            tokens.append(Token("LF", b"", i))
            i += 1
            continue
        if byte >= 0x20 and byte != 0x7F:
            j = i
            while j < n and stream[j] >= 0x20 and stream[j] != 0x7F:
                j += 1
            tokens.append(Token("TEXT", stream[i:j], i))
            i = j
            continue
        two = stream[i : i + 2]
        if two in _FIXED:
            name, size = _FIXED[two]
            end = i + 2 + size
            if end > n:
                raise ParseError(f"truncated {name} at {i}")
            tokens.append(Token(name, stream[i + 2 : end], i))
            i = end
            continue
        if two == b"\x1dV":
            m = stream[i + 2] if i + 2 < n else -1
            if m in (0, 1, 48, 49):
                tokens.append(Token("GS V", stream[i + 2 : i + 3], i))
                i += 3
            elif m in (65, 66, 97, 98, 103, 104):
                tokens.append(Token("GS V", stream[i + 2 : i + 4], i))
                i += 4
            else:
                raise ParseError(f"bad GS V at {i}")
            continue
        if stream[i : i + 3] in (b"\x1d(k", b"\x1d(L"):
            if i + 5 > n:
                raise ParseError(f"truncated GS ( at {i}")
            length = stream[i + 3] | (stream[i + 4] << 8)
            end = i + 5 + length
            if end > n:
                raise ParseError(f"truncated GS ( at {i}")
            name = "GS ( k" if stream[i + 2] == ord("k") else "GS ( L"
            tokens.append(Token(name, stream[i + 5 : end], i))
            i = end
            continue
        if stream[i : i + 3] == b"\x1dv0":
            if i + 8 > n:
                raise ParseError(f"truncated GS v 0 at {i}")
            width = stream[i + 4] | (stream[i + 5] << 8)
            height = stream[i + 6] | (stream[i + 7] << 8)
            end = i + 8 + width * height
            if end > n:
                raise ParseError(f"truncated GS v 0 at {i}")
            tokens.append(Token("GS v 0", stream[i + 3 : end], i))
            i = end
            continue
        raise ParseError(f"unknown control byte 0x{byte:02x} at {i}: {stream[i : i + 8]!r}")
    return tokens


def commands(tokens: list[Token]) -> list[str]:
    return [t.name for t in tokens if t.name not in ("TEXT", "LF")]


def text_lines(tokens: list[Token], encoding: str = "gb18030") -> list[str]:
    """The printed text lines (text tokens joined up to each LF), decoded strictly."""
    lines: list[str] = []
    current = b""
    for token in tokens:
        if token.name == "TEXT":
            current += token.data
        elif token.name == "LF":
            lines.append(current.decode(encoding))
            current = b""
    if current:
        lines.append(current.decode(encoding))
    return lines


def qr_payloads(tokens: list[Token]) -> list[str]:
    """Payloads of ``GS ( k`` store commands (cn=49 '1', fn=80 'P', m=48 '0')."""
    return [
        t.data[3:].decode("utf-8") for t in tokens if t.name == "GS ( k" and t.data[:3] == b"1P0"
    ]


def raster_blocks(tokens: list[Token]) -> list[tuple[int, int, bytes]]:
    """(width in bytes, height, data) of each ``GS v 0`` block."""
    blocks = []
    for t in tokens:
        if t.name == "GS v 0":
            width = t.data[1] | (t.data[2] << 8)
            height = t.data[3] | (t.data[4] << 8)
            blocks.append((width, height, t.data[5:]))
    return blocks


def split_status_queries(stream: bytes) -> tuple[list[int], bytes]:
    """The ``DLE EOT n`` queries at the start and end of a connection, and the job between.

    The driver asks the status before and after a job; the job itself must contain none.
    """
    queries: list[int] = []
    start = 0
    while stream[start : start + 2] == b"\x10\x04" and start + 2 < len(stream):
        queries.append(stream[start + 2])
        start += 3
    end = len(stream)
    trailing: list[int] = []
    while end - 3 >= start and stream[end - 3 : end - 1] == b"\x10\x04":
        trailing.insert(0, stream[end - 1])
        end -= 3
    return queries + trailing, stream[start:end]
