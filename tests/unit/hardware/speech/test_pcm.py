"""WAV parsing and the software gain."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hardware.protocols import SpeechError
from hardware.speech.pcm import (
    PcmFormat,
    apply_gain,
    gain_db_to_volume,
    parse_wav_header,
    scaled_wav_stream,
    silent_wav,
    volume_to_gain_db,
    wav_header,
    wav_stream,
)

FMT = PcmFormat(sample_rate=22050)


def _tone(n: int = 1000) -> bytes:
    t = np.arange(n)
    return (10000 * np.sin(t / 5)).astype("<i2").tobytes()


def test_header_round_trip() -> None:
    header = wav_header(FMT, 1000)
    assert len(header) == 44
    assert parse_wav_header(header) == (FMT, 44)


def test_incomplete_header_asks_for_more() -> None:
    header = wav_header(FMT, 0)
    for cut in range(44):
        assert parse_wav_header(header[:cut]) is None


def test_streamed_header_with_bogus_sizes() -> None:
    # espeak-ng --stdout writes 0x7fffffff-ish sizes: only the data offset matters.
    header = bytearray(wav_header(FMT, 0))
    header[4:8] = (0x7FFFF024).to_bytes(4, "little")
    header[40:44] = (0x7FFFF000).to_bytes(4, "little")
    assert parse_wav_header(bytes(header)) == (FMT, 44)


def test_non_wav_is_rejected() -> None:
    with pytest.raises(SpeechError, match="not a WAV"):
        parse_wav_header(b"ID3\x03" + bytes(40))


def test_gain_is_exact_in_db() -> None:
    samples = _tone()
    quiet = np.frombuffer(apply_gain(samples, gain_db_to_volume(-12)), dtype="<i2")
    loud = np.frombuffer(samples, dtype="<i2")
    ratio_db = 20 * math.log10(
        np.sqrt(np.mean(quiet.astype(float) ** 2)) / np.sqrt(np.mean(loud.astype(float) ** 2))
    )
    assert ratio_db == pytest.approx(-12, abs=0.05)
    assert apply_gain(samples, 1.0) == samples
    assert not any(apply_gain(samples, 0.0))


@pytest.mark.parametrize("volume", [-0.1, 1.5, math.nan])
def test_volume_out_of_range_is_rejected(volume: float) -> None:
    with pytest.raises(ValueError, match="volume"):
        apply_gain(b"", volume)


def test_volume_db_helpers() -> None:
    assert volume_to_gain_db(gain_db_to_volume(-18)) == pytest.approx(-18)
    assert volume_to_gain_db(0) == -math.inf
    with pytest.raises(ValueError, match="gain"):
        gain_db_to_volume(3)


@pytest.mark.parametrize("chunk", [1, 3, 7, 44, 45, 1001])
def test_scaled_stream_any_chunking(chunk: int) -> None:
    samples = _tone()
    wav = wav_header(FMT, len(samples)) + samples
    pieces = [wav[i : i + chunk] for i in range(0, len(wav), chunk)]
    out = b"".join(scaled_wav_stream(pieces, 0.5))
    assert out[:44] == wav[:44]
    assert out[44:] == apply_gain(samples, 0.5)


def test_scaled_stream_of_nothing_is_nothing() -> None:
    assert list(scaled_wav_stream([], 1.0)) == []
    with pytest.raises(SpeechError, match="inside the WAV header"):
        list(scaled_wav_stream([b"RIFF\0\0\0\0WAVE"], 1.0))


def test_wav_stream_and_silence() -> None:
    samples = _tone()
    assert b"".join(wav_stream(FMT, samples, 1.0)) == wav_header(FMT, len(samples)) + samples
    silence = silent_wav(FMT, 0.02)
    assert len(silence) == 44 + 2 * 441
    assert not any(silence[44:])
