"""WAV measurements for the speech tests (``wave`` + numpy, independent of the code under test)."""

from __future__ import annotations

import math
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Measured:
    seconds: float
    rms_dbfs: float
    peak: int


def measure(path: Path) -> Measured:
    """Duration, RMS level (dB re full scale) and peak of a 16-bit mono WAV.

    Works on streamed headers too (espeak-ng's ``--stdout`` claims 0x7fffffff bytes): only the
    frames actually present are counted.
    """
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2
        assert wav.getnchannels() == 1
        rate = wav.getframerate()
        # Read in pieces: a streamed header's frame count would make one read allocate ~2 GB.
        frames = b"".join(iter(lambda: wav.readframes(1 << 16), b""))
    samples = np.frombuffer(frames[: len(frames) & ~1], dtype="<i2").astype(np.float64)
    rms = math.sqrt(float(np.mean(samples**2))) if samples.size else 0.0
    dbfs = 20 * math.log10(rms / 32768) if rms > 0 else -math.inf
    peak = int(np.abs(samples).max()) if samples.size else 0
    return Measured(seconds=samples.size / rate, rms_dbfs=dbfs, peak=peak)
