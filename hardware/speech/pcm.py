"""16-bit PCM WAV helpers shared by the espeak-ng based speech engines.

Volume is applied here, in software, and not with espeak-ng's ``-a`` amplitude (or pyttsx3's
``volume`` property, which sets the same espeak parameter). espeak-ng 1.51 amplitude is not a
gain: measured RMS of one ``cmn`` sentence relative to ``-a 100`` was

    -a 200: +5.1 dB (clipped)   -a 50: -6.2 dB   -a 25: -12.9 dB   -a 12: -19.9 dB
    -a 6:   -27.0 dB            -a 3:  -43.4 dB  -a 1:  silence

so both engines synthesize at the reference amplitude 100 (no clipping: peak 27 398 of 32 767)
and multiply the samples by ``volume``: the gain is exactly ``20·log10(volume)`` dB, ``volume``
0 is silence, 1 is the reference level. Use :func:`gain_db_to_volume` to build volume steps.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from hardware.protocols import SpeechError

#: espeak-ng amplitude (``-a``, and pyttsx3 ``volume`` × 100) every utterance is rendered at.
REFERENCE_AMPLITUDE = 100

#: A WAV header larger than this is treated as garbage, not waited for.
_MAX_HEADER_BYTES = 4096


@dataclass(frozen=True, slots=True)
class PcmFormat:
    """Format of little-endian signed 16-bit PCM."""

    sample_rate: int
    channels: int = 1
    sample_width: int = 2

    @property
    def bytes_per_second(self) -> int:
        return self.sample_rate * self.channels * self.sample_width


def gain_db_to_volume(gain_db: float) -> float:
    """The ``volume`` (0..1) giving ``gain_db`` (≤ 0) relative to full volume."""
    if gain_db > 0:
        raise ValueError(f"gain must be <= 0 dB, got {gain_db}")
    return float(10.0 ** (gain_db / 20.0))


def volume_to_gain_db(volume: float) -> float:
    """The gain in dB applied for ``volume``; ``-inf`` for 0."""
    check_volume(volume)
    return -math.inf if volume == 0 else 20.0 * math.log10(volume)


def check_volume(volume: float) -> None:
    """Raise ``ValueError`` unless ``volume`` is a number in 0..1."""
    if not 0.0 <= volume <= 1.0:  # also rejects NaN
        raise ValueError(f"volume must be in 0..1, got {volume!r}")


def parse_wav_header(buf: bytes) -> tuple[PcmFormat, int] | None:
    """Parse the start of a RIFF/WAVE stream.

    Returns the format and the offset of the first sample byte, or ``None`` while ``buf`` does
    not yet hold the whole header. Streamed headers (``espeak-ng --stdout`` writes sizes of
    0x7fffffff) are fine: chunk sizes are only used to skip chunks before ``data``.

    Raises:
        SpeechError: not a 16-bit PCM WAV stream.
    """
    if len(buf) < 12:
        return None
    if buf[:4] != b"RIFF" or buf[8:12] != b"WAVE":
        raise SpeechError("synthesizer output is not a WAV stream")
    fmt: PcmFormat | None = None
    pos = 12
    while pos <= _MAX_HEADER_BYTES:
        if len(buf) < pos + 8:
            return None
        chunk_id = buf[pos : pos + 4]
        (size,) = struct.unpack_from("<I", buf, pos + 4)
        if chunk_id == b"data":
            if fmt is None:
                raise SpeechError("WAV stream has data before its fmt chunk")
            return fmt, pos + 8
        if len(buf) < pos + 8 + size:
            if pos + 8 + size > _MAX_HEADER_BYTES:
                break
            return None
        if chunk_id == b"fmt ":
            tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", buf, pos + 8)
            if tag != 1 or bits != 16 or channels < 1 or rate < 1:
                raise SpeechError(f"unsupported WAV format (tag {tag}, {bits} bit)")
            fmt = PcmFormat(sample_rate=rate, channels=channels)
        pos += 8 + size + (size & 1)
    raise SpeechError("WAV header too large or malformed")


def wav_header(fmt: PcmFormat, data_bytes: int) -> bytes:
    """A canonical 44-byte WAV header for ``data_bytes`` of PCM."""
    block_align = fmt.channels * fmt.sample_width
    return b"".join(
        (
            b"RIFF",
            struct.pack("<I", 36 + data_bytes),
            b"WAVEfmt ",
            struct.pack(
                "<IHHIIHH",
                16,
                1,
                fmt.channels,
                fmt.sample_rate,
                fmt.bytes_per_second,
                block_align,
                8 * fmt.sample_width,
            ),
            b"data",
            struct.pack("<I", data_bytes),
        )
    )


def silent_wav(fmt: PcmFormat, seconds: float) -> bytes:
    """A complete WAV holding ``seconds`` of silence (used to probe players)."""
    frames = round(seconds * fmt.sample_rate)
    data = bytes(frames * fmt.channels * fmt.sample_width)
    return wav_header(fmt, len(data)) + data


def apply_gain(samples: bytes, volume: float) -> bytes:
    """Scale 16-bit little-endian samples by ``volume`` (0..1). ``len(samples)`` must be even."""
    check_volume(volume)
    if volume == 1.0:
        return samples
    pcm = np.frombuffer(samples, dtype="<i2")
    return bytes(np.rint(pcm * volume).astype("<i2").tobytes())


def scaled_wav_stream(chunks: Iterable[bytes], volume: float) -> Iterator[bytes]:
    """Re-yield a WAV byte stream with its samples scaled by ``volume``.

    The header passes through unchanged; chunk boundaries may fall anywhere (an odd trailing
    byte is carried over to the next chunk).

    Raises:
        SpeechError: the stream is not 16-bit PCM WAV or ends inside its header.
    """
    check_volume(volume)
    source = iter(chunks)
    head = b""
    parsed: tuple[PcmFormat, int] | None = None
    for chunk in source:
        head += chunk
        parsed = parse_wav_header(head)
        if parsed is not None:
            break
    if parsed is None:
        if head:
            raise SpeechError("synthesizer output ended inside the WAV header")
        return
    _, offset = parsed
    yield head[:offset]
    carry = head[offset:]
    for chunk in source:
        carry += chunk
        usable = len(carry) & ~1
        if usable:
            yield apply_gain(carry[:usable], volume)
            carry = carry[usable:]
    # A single odd byte left at the end is not a sample: drop it.


def wav_stream(fmt: PcmFormat, samples: bytes, volume: float, chunk: int = 8192) -> Iterator[bytes]:
    """Yield a complete WAV of ``samples`` scaled by ``volume``, in ``chunk``-byte pieces."""
    check_volume(volume)
    chunk &= ~1
    yield wav_header(fmt, len(samples))
    for start in range(0, len(samples), chunk):
        yield apply_gain(samples[start : start + chunk], volume)
