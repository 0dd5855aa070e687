"""Speech rate bench: measured 字/min and synthesis speed per rate step (prints, never asserts).

    python bench/bench_speech_rate.py              # rate steps 160/200/250 字/min, both engines
    python bench/bench_speech_rate.py --calibrate  # re-measure hardware/speech/rate.py tables

Measured 字/min = 60 × units / WAV seconds (units counted by ``count_speech_units``: hanzi and
digits). Real-time factor = synthesis wall time / audio seconds (smaller is faster).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

from hardware.protocols import DeviceState, SpeechError
from hardware.speech.espeak import synthesize_pcm, synthesize_wav
from hardware.speech.pyttsx3_engine import Pyttsx3SpeechEngine
from hardware.speech.rate import (
    CALIBRATION_CORPUS_EN,
    CALIBRATION_CORPUS_ZH,
    CALIBRATION_SENTENCE_ZH,
    count_speech_units,
    count_words,
    cpm_to_espeak_wpm,
)

RATE_STEPS = (160, 200, 250)


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def bench_steps(workdir: Path) -> None:
    units = count_speech_units(CALIBRATION_SENTENCE_ZH)
    print(f"zh_CN calibration sentence: {units} units (ACCESSIBILITY 28c: 16.4–20 s at 200 字/min)")
    print(
        f"{'engine':<10}{'step':>6}{'-s':>6}{'audio s':>10}{'字/min':>9}{'error':>9}"
        f"{'synth ms':>10}{'RTF':>10}   corpus 字/min min–max"
    )
    pyttsx3_engine: Pyttsx3SpeechEngine | None = None
    candidate = Pyttsx3SpeechEngine(player=("cat",))  # renders only; "cat" passes the probe
    pyttsx3_status = candidate.status()
    if pyttsx3_status.state is DeviceState.READY:
        pyttsx3_engine = candidate
    else:
        print(f"pyttsx3 skipped: {pyttsx3_status.detail}")
    for step in RATE_STEPS:
        wpm = cpm_to_espeak_wpm(step, "zh_CN")
        corpus = []
        for i, text in enumerate(CALIBRATION_CORPUS_ZH):
            path = workdir / f"corpus{i}.wav"
            synthesize_wav(text, lang="zh_CN", rate_cpm=step, volume=1.0, path=path)
            corpus.append(60 * count_speech_units(text) / wav_seconds(path))
        runs: list[tuple[str, Callable[..., None]]] = [("espeak-ng", synthesize_wav)]
        if pyttsx3_engine is not None:
            runs.append(("pyttsx3", pyttsx3_engine.render_wav))
        for name, render in runs:
            path = workdir / f"{name}-{step}.wav"
            render(CALIBRATION_SENTENCE_ZH, lang="zh_CN", rate_cpm=step, volume=1.0, path=path)
            t0 = time.perf_counter()
            render(CALIBRATION_SENTENCE_ZH, lang="zh_CN", rate_cpm=step, volume=1.0, path=path)
            synth_s = time.perf_counter() - t0
            seconds = wav_seconds(path)
            cpm = 60 * units / seconds
            print(
                f"{name:<10}{step:>6}{wpm:>6}{seconds:>10.2f}{cpm:>9.1f}{(cpm / step - 1):>+9.1%}"
                f"{synth_s * 1000:>10.1f}{synth_s / seconds:>10.4f}"
                f"   {min(corpus):.0f}–{max(corpus):.0f}"
            )


def calibrate() -> None:
    print(
        "espeak-ng cmn: pooled over CALIBRATION_CORPUS_ZH "
        f"({len(CALIBRATION_CORPUS_ZH)} sentences, "
        f"{sum(map(count_speech_units, CALIBRATION_CORPUS_ZH))} units)"
    )
    print("#   (espeak -s, measured 字/min)")
    points: list[tuple[int, float]] = []
    for wpm in [*range(80, 450, 20), 450]:
        units = seconds = 0.0
        for text in CALIBRATION_CORPUS_ZH:
            fmt, samples = synthesize_pcm(text, voice="cmn", wpm=wpm)
            units += count_speech_units(text)
            seconds += len(samples) / fmt.bytes_per_second
        points.append((wpm, 60 * units / seconds))
        print(f"    ({wpm}, {60 * units / seconds:.1f}),")
    core = [(w, c) for w, c in points if 100 <= w <= 300]
    n = len(core)
    mean_w = sum(w for w, _ in core) / n
    mean_c = sum(c for _, c in core) / n
    slope = sum((w - mean_w) * (c - mean_c) for w, c in core) / sum(
        (w - mean_w) ** 2 for w, _ in core
    )
    intercept = mean_c - slope * mean_w
    worst = max(abs((slope * w + intercept) / c - 1) for w, c in core)
    print(
        f"linear fit, -s 100..300: 字/min ≈ {slope:.3f} × wpm {intercept:+.1f} "
        f"(max residual {worst:.1%})"
    )
    ratios = []
    for wpm in range(80, 320, 20):
        words = seconds = 0.0
        for text in CALIBRATION_CORPUS_EN:
            fmt, samples = synthesize_pcm(text, voice="en", wpm=wpm)
            words += count_words(text)
            seconds += len(samples) / fmt.bytes_per_second
        ratios.append(60 * words / seconds / wpm)
    print(
        f"espeak-ng en: measured words/min ÷ -s over -s 80..300: "
        f"mean {sum(ratios) / len(ratios):.3f} (range {min(ratios):.3f}–{max(ratios):.3f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true", help="re-measure the rate tables")
    args = parser.parse_args()
    try:
        if args.calibrate:
            calibrate()
        else:
            with tempfile.TemporaryDirectory() as tmp:
                bench_steps(Path(tmp))
    except SpeechError as exc:
        print(f"speech unavailable: {exc}")


if __name__ == "__main__":
    main()
