"""The parts shared by the token fuzz targets (``fuzz_pass_token``, ``fuzz_identity_token``).

Base32 without padding, the atheris driver, the quick mode's mutation loop, timing and
report, and the command line. Each target brings its ``Target`` (the verifier under test,
its valid tokens and the oracle) and its mutation families.
"""

from __future__ import annotations

import argparse
import array
import base64
import binascii
import collections
import importlib
import random
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

Mutation = Callable[[random.Random, str], str]


class FuzzTarget(Protocol):
    """What the shared driver needs of a target."""

    @property
    def bases(self) -> tuple[str, ...]: ...

    def check_text(self, text: str) -> str: ...

    def test_one_input(self, data: bytes) -> None: ...


def b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def unb32(text: str) -> bytes | None:
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        return None


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def pct(sorted_ns: list[int], q: float) -> float:
    if not sorted_ns:
        return float("nan")
    return sorted_ns[min(len(sorted_ns) - 1, int(q * len(sorted_ns)))] / 1000


# ---------------------------------------------------------------- atheris


def write_token_corpus(bases: Sequence[str], directory: Path) -> None:
    """Seed inputs: every base token, and its decoded payload (the second dotted part)."""
    directory.mkdir(parents=True, exist_ok=True)
    for i, token in enumerate(bases):
        (directory / f"token-{i}").write_bytes(token.encode("ascii"))
        payload = unb32(token.split(".")[1])
        assert payload is not None
        (directory / f"payload-{i}").write_bytes(payload)


T = TypeVar("T", bound=FuzzTarget)


def run_atheris(
    argv: list[str],
    make_target: Callable[[], T],
    write_corpus: Callable[[T, Path], None],
    corpus_prefix: str,
) -> int:
    """Fuzz with libFuzzer, the target built under atheris' instrumentation of
    ``kiosk.security`` (a temporary seed corpus when ``argv`` names no directory)."""
    atheris = importlib.import_module("atheris")
    with atheris.instrument_imports(include=["kiosk.security"]):
        target = make_target()
    if not any(not a.startswith("-") for a in argv[1:]):
        corpus = Path(tempfile.mkdtemp(prefix=corpus_prefix))
        write_corpus(target, corpus)
        argv = [*argv, str(corpus)]
        print(f"seed corpus: {corpus}", flush=True)
    atheris.Setup(argv, target.test_one_input)
    atheris.Fuzz()
    return 0


# ---------------------------------------------------------------- quick mode


class QuickRun:
    """One quick campaign: the loop over inputs, timing by outcome, failures and the report."""

    def __init__(self, n: int | None, seconds: float | None) -> None:
        self.n = n
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.latencies = array.array("q")
        self.by_reason: dict[str, array.array[int]] = collections.defaultdict(
            lambda: array.array("q")
        )
        self.failures = 0
        self.payload_checks = 0
        self.executions = 0
        self.rss_start = rss_mb()
        self.rss_warm = self.rss_start
        self.start = time.perf_counter()

    def steps(self) -> Iterator[int]:
        """1, 2, … until ``n`` inputs or ``seconds`` have gone (RSS noted after warm-up)."""
        while (self.n is None or self.executions < self.n) and (
            self.deadline is None or time.monotonic() < self.deadline
        ):
            if self.executions == 20_000:
                self.rss_warm = rss_mb()
            self.executions += 1
            yield self.executions

    @staticmethod
    def mutate(
        rng: random.Random,
        bases: Sequence[str],
        ops: Sequence[Mutation],
        oversize_sizes: Sequence[int],
    ) -> str:
        """A base token, rarely blown up to an oversize length, else mutated 1-4 times."""
        base = rng.choice(bases)
        if rng.random() < 0.002:
            size = rng.choice(oversize_sizes)
            return (base * (size // len(base) + 1))[:size]
        text = base
        for _ in range(rng.randint(1, 4)):
            text = rng.choice(ops)(rng, text)
        return text

    def verify(self, check_text: Callable[[str], str], text: str) -> bool:
        """Time ``check_text(text)`` by its outcome; a broken oracle or any other exception
        is a failure (``False``)."""
        t0 = time.perf_counter_ns()
        try:
            reason = check_text(text)
        except AssertionError as exc:
            self.failures += 1
            print(f"ORACLE FAILURE: {exc}", file=sys.stderr)
            return False
        except Exception:
            self.failures += 1
            print(f"UNEXPECTED EXCEPTION for {text[:300]!r}:", file=sys.stderr)
            traceback.print_exc()
            return False
        dt = time.perf_counter_ns() - t0
        self.latencies.append(dt)
        self.by_reason[reason].append(dt)
        return True

    def parser_failure(self, exc: AssertionError) -> None:
        self.failures += 1
        print(f"PARSER FAILURE: {exc}", file=sys.stderr)

    def report(self, *, executions: str, latency_note: str = "", outcomes: str) -> int:
        """Print the figures; 1 if anything failed, else 0."""
        i = self.executions
        elapsed = time.perf_counter() - self.start
        rss_end = rss_mb()
        own_mb = (len(self.latencies) + sum(len(v) for v in self.by_reason.values())) * 8 / 2**20

        all_ns = sorted(self.latencies)
        print(f"executions:        {i:,} {executions}")
        print(f"elapsed:           {elapsed:.1f} s  ->  {i / elapsed:,.0f} executions/s")
        print(
            f"verify latency µs: p50 {pct(all_ns, 0.50):.1f}  p99 {pct(all_ns, 0.99):.1f}  "
            f"p99.9 {pct(all_ns, 0.999):.1f}  max {all_ns[-1] / 1000 if all_ns else 0:.1f}  "
            f"mean {statistics.fmean(all_ns) / 1000 if all_ns else 0:.1f}{latency_note}"
        )
        print(f"{outcomes} (count, p50 µs, p99 µs, max µs):")
        for reason, values in sorted(self.by_reason.items(), key=lambda kv: -len(kv[1])):
            s = sorted(values)
            print(
                f"  {reason:20s} {len(s):>9,}  {pct(s, 0.5):8.1f}  {pct(s, 0.99):8.1f}  "
                f"{s[-1] / 1000:9.1f}"
            )
        print(
            f"RSS MB:            start {self.rss_start:.1f}, after warm-up {self.rss_warm:.1f}, "
            f"end {rss_end:.1f} (of which {own_mb:.1f} are this bench's latency arrays)"
        )
        p99_ms = pct(all_ns, 0.99) / 1000
        print(f"p99 ≤ 10 ms:       {'yes' if p99_ms <= 10 else 'NO'} ({p99_ms:.3f} ms)")
        print(f"failures:          {self.failures}")
        return 1 if self.failures else 0


# ---------------------------------------------------------------- command line


def main(
    argv: list[str],
    *,
    description: str,
    write_corpus: Callable[[Path], None],
    run_quick: Callable[[int | None, float | None, int], int],
    run_atheris: Callable[[list[str]], int],
) -> int:
    """The fuzz targets' command line: ``--write-corpus``, quick mode, else atheris (quick
    mode with 100,000 inputs when atheris is not installed)."""
    p = argparse.ArgumentParser(
        description=description,
        epilog="Other arguments are passed to libFuzzer (atheris mode).",
    )
    p.add_argument("--quick", type=int, metavar="N", help="N random mutations, no atheris")
    p.add_argument("--seconds", type=float, help="quick mode for this long")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--write-corpus", type=Path, metavar="DIR", help="write seed inputs, exit")
    args, rest = p.parse_known_args(argv[1:])
    if args.write_corpus is not None:
        write_corpus(args.write_corpus)
        return 0
    if args.quick is not None or args.seconds is not None:
        return run_quick(args.quick, args.seconds, args.seed)
    try:
        importlib.import_module("atheris")
    except ImportError:
        print("atheris is not installed; running --quick 100000 instead", file=sys.stderr)
        return run_quick(100_000, None, args.seed)
    return run_atheris([argv[0], *rest])
