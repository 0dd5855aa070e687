"""QR decode bench: the project's decoder vs. plain zxing-cpp vs. OpenCV.

    python bench/bench_qr_decode.py [--n N] [--seed S] [--video-frames F]

Generates the hard synthetic set of ``bench/qrgen.py`` (N frames per category, 1280×720 BGR)
and prints, per decoder:

* the decode rate per category (a frame counts when every expected text comes out exactly;
  for ``negative`` frames, when nothing comes out);
* median and p95 milliseconds per frame on frames with a code, and on frames without one;
* an ablation of ``hardware.qr``'s stages (which fallbacks earn their keep, and what the
  rejected alternatives would have given);
* "preview fps with decoding on": frames read from a generated MJPG video with
  ``cv2.VideoCapture`` and decoded one by one.

Decoders get the BGR frame, so colour conversion is part of every timing. Prints figures
only; asserts nothing. Defaults finish in well under two minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import qrgen
from hardware import qr
from hardware.qr import decode_qr

Decoder = Callable[[qrgen.Frame], list[str]]


# ---------------------------------------------------------------- decoders


def zxing_plain(frame: qrgen.Frame) -> list[str]:
    """zxing-cpp as it comes: ``read_barcodes`` on the grey frame, default options."""
    grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    return [b.text for b in zxingcpp.read_barcodes(grey)]


_OPENCV = cv2.QRCodeDetector()


def opencv_detector(frame: qrgen.Frame) -> list[str]:
    """``cv2.QRCodeDetector().detectAndDecodeMulti``; it raises on non-UTF-8 payloads."""
    try:
        ok, texts, _points, _straight = _OPENCV.detectAndDecodeMulti(frame)
    except (UnicodeDecodeError, cv2.error):
        return []
    if not ok:
        return []
    return [t for t in texts if t]


def stages_decoder(stages: Sequence[qr._Stage]) -> Decoder:
    """``hardware.qr``'s pipeline with a custom stage list (ablation only)."""

    def run(frame: qrgen.Frame) -> list[str]:
        grey = qr._to_grey(frame)
        return [] if grey is None else qr._decode(grey, stages)

    return run


def _clahe(grey: qrgen.Frame) -> qrgen.Frame:
    clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
    return np.asarray(clahe.apply(grey), dtype=np.uint8)


def _minmax(grey: qrgen.Frame) -> qrgen.Frame:
    out = np.empty_like(grey)
    return np.asarray(cv2.normalize(grey, out, 0, 255, cv2.NORM_MINMAX), dtype=np.uint8)


def _half(grey: qrgen.Frame) -> qrgen.Frame:
    return np.asarray(
        cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), dtype=np.uint8
    )


ABLATION_LEGEND = """\
  no-invert  zxing QR-only, no inverted pass
  primary    zxing QR-only with zxing's inverted pass (decode_qr's first stage)
  +lc61      primary, then local contrast stretch (61 px window, gain 3) if nothing found
  shipped    +lc61, then local contrast stretch (31 px window, gain 8): decode_qr
  +clahe     primary, then CLAHE (clip 2, 8x8 tiles)            [rejected alternative]
  +minmax    primary, then global min-max normalisation         [rejected alternative]
  +half      primary, then a half-size frame                    [rejected alternative]
  ship+clahe shipped, then CLAHE                                [rejected addition]"""


def ablation() -> dict[str, Decoder]:
    primary = qr._PRIMARY
    lc61, lc31 = qr._FALLBACKS
    no_invert = qr._Stage("zxing_no_invert", None, try_invert=False)
    clahe = qr._Stage("clahe", _clahe, try_invert=False)
    minmax = qr._Stage("minmax", _minmax, try_invert=False)
    half = qr._Stage("half", _half, try_invert=False)
    return {
        "no-invert": stages_decoder([no_invert]),
        "primary": stages_decoder([primary]),
        "+lc61": stages_decoder([primary, lc61]),
        "shipped": stages_decoder([primary, lc61, lc31]),
        "+clahe": stages_decoder([primary, clahe]),
        "+minmax": stages_decoder([primary, minmax]),
        "+half": stages_decoder([primary, half]),
        "ship+clahe": stages_decoder([primary, lc61, lc31, clahe]),
    }


# ---------------------------------------------------------------- measuring


class Result:
    def __init__(self, name: str) -> None:
        self.name = name
        self.ok: dict[str, int] = {}
        self.total: dict[str, int] = {}
        self.ms_pos: list[float] = []
        self.ms_neg: list[float] = []
        self.false_positives = 0


def run_decoder(name: str, decoder: Decoder, samples: Sequence[qrgen.Sample]) -> Result:
    result = Result(name)
    decoder(samples[0].frame)  # warm-up (lazy initialisation, caches)
    for sample in samples:
        start = time.perf_counter()
        texts = decoder(sample.frame)
        elapsed = (time.perf_counter() - start) * 1000.0
        cat = sample.category
        result.total[cat] = result.total.get(cat, 0) + 1
        if sample.expected:
            result.ms_pos.append(elapsed)
            good = set(sample.expected) <= set(texts)
        else:
            result.ms_neg.append(elapsed)
            good = not texts
            result.false_positives += len(texts)
        result.ok[cat] = result.ok.get(cat, 0) + int(good)
    return result


def _pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def print_table(title: str, results: Sequence[Result], categories: Sequence[str]) -> None:
    width = max(12, *(len(r.name) for r in results))
    print(f"\n{title}")
    header = f"{'category':<14}" + "".join(f" {r.name:>{width}}" for r in results)
    print(header)
    print("-" * len(header))
    for cat in categories:
        cells = "".join(f" {f'{r.ok.get(cat, 0)}/{r.total.get(cat, 0)}':>{width}}" for r in results)
        print(f"{cat:<14}{cells}")
    positives = [c for c in categories if c != "negative"]
    cells = ""
    for r in results:
        ok = sum(r.ok.get(c, 0) for c in positives)
        total = sum(r.total.get(c, 0) for c in positives)
        cells += f" {f'{ok}/{total} {100.0 * ok / max(total, 1):.0f}%':>{width}}"
    print(f"{'all positives':<14}{cells}")

    def med(values: Sequence[float]) -> float:
        return statistics.median(values) if values else float("nan")

    rows: list[tuple[str, Callable[[Result], float]]] = [
        ("ms median", lambda r: med(r.ms_pos)),
        ("ms p95", lambda r: _pct(r.ms_pos, 95)),
        ("neg ms med", lambda r: med(r.ms_neg)),
        ("neg ms p95", lambda r: _pct(r.ms_neg, 95)),
    ]
    for label, fn in rows:
        print(f"{label:<14}" + "".join(f" {fn(r):>{width}.1f}" for r in results))
    print(f"{'false pos.':<14}" + "".join(f" {r.false_positives:>{width}}" for r in results))


def preview_fps(frames: int, before: int) -> None:
    """Read a generated MJPG video and decode every frame, as the preview loop would."""
    with tempfile.TemporaryDirectory() as tmp:
        path = qrgen.write_video(
            Path(tmp) / "camera.avi", frames_before=before, frames_total=frames, fourcc="MJPG"
        )
        cap = cv2.VideoCapture(str(path))
        read_only = 0
        start = time.perf_counter()
        while True:
            ok, _frame = cap.read()
            if not ok:
                break
            read_only += 1
        read_s = time.perf_counter() - start
        cap.release()

        cap = cv2.VideoCapture(str(path))
        count = 0
        first_hit: int | None = None
        hits = 0
        start = time.perf_counter()
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            if decode_qr(np.asarray(frame, dtype=np.uint8)):
                hits += 1
                if first_hit is None:
                    first_hit = count
            count += 1
        elapsed = time.perf_counter() - start
        cap.release()
    print("\nPreview (MJPG 1280×720 via cv2.VideoCapture, decode_qr on every frame)")
    print(f"  frames read: {count}; code visible from frame {before}; first decoded: {first_hit}")
    print(f"  frames with a decode: {hits}/{count - before}")
    print(f"  read only:         {read_only / read_s:6.1f} fps")
    print(f"  read + decode_qr:  {count / elapsed:6.1f} fps (target ≥ 25)")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=20, help="frames per category (default 20)")
    parser.add_argument("--seed", type=int, default=2024, help="generator seed (default 2024)")
    parser.add_argument(
        "--video-frames", type=int, default=150, help="frames in the preview video (default 150)"
    )
    parser.add_argument("--no-ablation", action="store_true", help="skip the stage ablation")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    samples = qrgen.generate_set(args.n, seed=args.seed)
    print(
        f"Generated {len(samples)} frames ({args.n} per category, seed {args.seed}) "
        f"in {time.perf_counter() - t0:.1f} s; OpenCV {cv2.__version__}"
    )

    decoders: dict[str, Decoder] = {
        "decode_qr": decode_qr,
        "zxing plain": zxing_plain,
        "OpenCV QRCode": opencv_detector,
    }
    results = [run_decoder(name, fn, samples) for name, fn in decoders.items()]
    print_table("Decode rate per category and ms per 1280×720 frame", results, qrgen.CATEGORIES)

    if not args.no_ablation:
        ablated = [run_decoder(name, fn, samples) for name, fn in ablation().items()]
        print_table("Ablation of hardware.qr stages", ablated, qrgen.CATEGORIES)
        print(ABLATION_LEGEND)

    preview_fps(args.video_frames, before=args.video_frames // 3)
    print(f"\nTotal bench time {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
