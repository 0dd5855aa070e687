"""Startup bench: time to an interactive home screen, against a minimal PySide6 program.

    python bench/bench_startup.py [--runs N] [--no-warmup] [--no-profile]

Alternates N cold starts (new processes) of

* the kiosk: ``community-kiosk --simulate --demo --quit-when-ready`` with a throw-away
  configuration, data and state directory (XDG_* and HOME in a temp dir, speech engine
  "silent" from a temp TOML given with ``--config``), and
* ``bench/minimal_window.py``: QApplication, one full-screen QWidget with a QLabel,

and measures wall time from spawn to the ``READY`` line each prints after its first event-loop
turn. The first kiosk run creates and migrates the SQLite database and seeds the demo; later
runs reuse it, so the first run and the warm runs are reported separately. Before the timed
runs, one untimed start of each program (in a separate throw-away directory) warms the page
cache and the bytecode caches, so "first run" measures the first start of a station, not the
first start after an install.

Prints median/min per program, the ratio kiosk/minimal (medians) and resident memory at the
home screen (VmRSS from the READY line; peak RSS and CPU time from wait4), compared with the
targets (ratio ≤ 2.0, RSS ≤ 250 MB). When the ratio target is missed it also prints where the
kiosk's import time goes (``python -X importtime``). Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import selectors
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
KIOSK = BIN / "community-kiosk"
MINIMAL = Path(__file__).resolve().with_name("minimal_window.py")
KIOSK_ARGS = ("--simulate", "--demo", "--quit-when-ready")
TARGET_RATIO = 2.0
TARGET_RSS_MB = 250.0
READY_TIMEOUT_S = 60.0
EXIT_TIMEOUT_S = 15.0
CONFIG_TOML = '# bench_startup: no sound, everything else default\n[voice]\nengine = "silent"\n'


@dataclass
class Run:
    program: str
    ready_ms: float | None  # spawn → READY line read by this process
    exit_ms: float | None  # spawn → process reaped (None: killed)
    fields: dict[str, float] = field(default_factory=dict)  # parsed from the READY line
    peak_rss_mb: float = float("nan")  # ru_maxrss from wait4
    cpu_s: float = float("nan")  # user + system CPU of the child
    returncode: int | None = None
    stderr_tail: str = ""

    @property
    def ok(self) -> bool:
        return self.ready_ms is not None


def _parse_ready(line: str) -> dict[str, float]:
    out = {}
    for key, value in re.findall(r"(\w+)=([-\d.naN]+)", line):
        try:
            out[key] = float(value)
        except ValueError:
            continue
    return out


def _reap(proc: subprocess.Popen[bytes], deadline: float) -> tuple[int, object] | None:
    """wait4 the child until ``deadline``: (exit status, rusage), or None on time-out."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            return status, usage
        if time.perf_counter() >= deadline:
            return None
        time.sleep(0.002)


def run_once(program: str, argv: list[str], env: dict[str, str]) -> Run:
    """Spawn ``argv``, time the READY line, wait for the process to exit by itself."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, env=env, cwd=ROOT
        )
        assert proc.stdout is not None
        ready_ms: float | None = None
        line_text = ""
        buf = b""
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = t0 + READY_TIMEOUT_S
        while ready_ms is None:
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or not sel.select(remaining):
                break
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break  # EOF: exited (or closed stdout) without READY
            buf += chunk
            while b"\n" in buf and ready_ms is None:
                raw, buf = buf.split(b"\n", 1)
                if raw.startswith(b"READY"):
                    ready_ms = (time.perf_counter() - t0) * 1000
                    line_text = raw.decode(errors="replace")
        sel.close()
        reaped = _reap(proc, time.perf_counter() + EXIT_TIMEOUT_S)
        exit_ms: float | None = (time.perf_counter() - t0) * 1000
        if reaped is None:
            exit_ms = None
            proc.kill()
            reaped = _reap(proc, time.perf_counter() + 10)
        proc.stdout.close()
        run = Run(program, ready_ms, exit_ms, _parse_ready(line_text))
        if reaped is not None:
            status, usage = reaped
            proc.returncode = os.waitstatus_to_exitcode(status)
            run.returncode = proc.returncode
            run.peak_rss_mb = usage.ru_maxrss / 1024  # type: ignore[attr-defined]
            run.cpu_s = usage.ru_utime + usage.ru_stime  # type: ignore[attr-defined]
        err.seek(0)
        lines = err.read().decode(errors="replace").splitlines()
        noise = "This plugin does not support propagateSizeHints"
        run.stderr_tail = "\n".join(ln for ln in lines if noise not in ln)[-1500:]
        return run


def make_env(base: Path, pycache: Path | None) -> dict[str, str]:
    """Environment with HOME and every XDG directory inside ``base`` (throw-away).

    ``pycache``: a private bytecode cache (PYTHONPYCACHEPREFIX), so modules are compiled
    once, as on an installed kiosk, whatever PYTHONDONTWRITEBYTECODE says, and nothing is
    written into the source tree. None: no bytecode written (every start compiles the
    project's modules).
    """
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if pycache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    dirs = {
        "HOME": base / "home",
        "XDG_CONFIG_HOME": base / "config",
        "XDG_DATA_HOME": base / "data",
        "XDG_STATE_HOME": base / "state",
        "XDG_CACHE_HOME": base / "cache",
        "XDG_RUNTIME_DIR": base / "runtime",
    }
    for name, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        env[name] = str(path)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def kiosk_argv(config: Path, *extra: str) -> list[str]:
    return [str(KIOSK), "--config", str(config), *KIOSK_ARGS, *extra]


def minimal_argv() -> list[str]:
    return [sys.executable, str(MINIMAL)]


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pyside = metadata.version("PySide6-Essentials")
    except metadata.PackageNotFoundError:
        pyside = "?"
    usable = len(os.sched_getaffinity(0))
    return (
        f"{usable} usable cores ({os.cpu_count()} online), {model}; Python "
        f"{platform.python_version()}, PySide6 {pyside}, "
        f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', 'offscreen (default)')}"
    )


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _fmt(value: float | None, spec: str = ".0f") -> str:
    return "—" if value is None or value != value else format(value, spec)


def print_run(i: int, run: Run) -> None:
    own = run.fields.get("home_ms", run.fields.get("ms"))
    exit_txt = _fmt(run.exit_ms) if run.exit_ms is not None else "KILLED"
    print(
        f"{i:>3} {run.program:<8}{_fmt(run.ready_ms):>10}{_fmt(own):>10}{exit_txt:>9}"
        f"{_fmt(run.fields.get('rss_mb'), '.1f'):>10}{_fmt(run.peak_rss_mb, '.1f'):>10}"
        f"{_fmt(run.cpu_s, '.2f'):>8}{_fmt(run.returncode, 'd'):>5}"
    )
    if not run.ok or run.exit_ms is None or run.returncode != 0:
        if not run.ok:
            print(f"      no READY line within {READY_TIMEOUT_S:.0f} s")
        if run.exit_ms is None:
            print(f"      did not exit within {EXIT_TIMEOUT_S:.0f} s after READY: killed")
        if run.stderr_tail:
            print("      stderr: " + run.stderr_tail.replace("\n", "\n              "))


def verdict(ok: bool) -> str:
    return "target met" if ok else "target missed"


def summarize(kiosk: list[Run], minimal: list[Run]) -> tuple[float | None, float | None]:
    first = kiosk[0] if kiosk and kiosk[0].ok else None
    warm = [r for r in kiosk[1:] if r.ok]
    mini = [r for r in minimal if r.ok]
    print()
    if first is not None:
        print(
            f"kiosk first run (creates + migrates the DB, seeds the demo): "
            f"{first.ready_ms:.0f} ms to READY, RSS {first.fields.get('rss_mb', float('nan')):.1f}"
            " MB"
        )
    else:
        print("kiosk first run: FAILED")

    def stats(name: str, runs: list[Run]) -> float | None:
        if not runs:
            print(f"{name}: none" + (" (needs --runs ≥ 2)" if len(kiosk) < 2 else " succeeded"))
            return None
        times = [r.ready_ms for r in runs if r.ready_ms is not None]
        own = [r.fields.get("home_ms", r.fields.get("ms", float("nan"))) for r in runs]
        cpu = [r.cpu_s for r in runs]
        print(
            f"{name} (n={len(times)}): spawn→READY median {statistics.median(times):.0f} ms, "
            f"min {min(times):.0f} ms, max {max(times):.0f} ms; self-reported median "
            f"{statistics.median(own):.0f} ms; CPU median {statistics.median(cpu):.2f} s"
        )
        return statistics.median(times)

    warm_median = stats("kiosk warm", warm)
    mini_median = stats("minimal  ", mini)
    ratio = None
    if warm_median is not None and mini_median:
        ratio = warm_median / mini_median
        print(
            f"ratio kiosk warm / minimal (medians): {ratio:.2f}  "
            f"(target ≤ {TARGET_RATIO:.1f}: {verdict(ratio <= TARGET_RATIO)})"
        )
        if first is not None and first.ready_ms is not None:
            print(f"ratio kiosk first run / minimal median: {first.ready_ms / mini_median:.2f}")
    rss_worst = None
    kiosk_rss = [r.fields["rss_mb"] for r in kiosk if r.ok and "rss_mb" in r.fields]
    if kiosk_rss:
        rss_worst = max(kiosk_rss)
        peak = max(r.peak_rss_mb for r in kiosk if r.ok)
        print(
            f"kiosk RSS at the home screen: median {statistics.median(kiosk_rss):.1f} MB, "
            f"max {rss_worst:.1f} MB (peak RSS over the whole run {peak:.1f} MB)  "
            f"(target ≤ {TARGET_RSS_MB:.0f} MB: {verdict(rss_worst <= TARGET_RSS_MB)})"
        )
    mini_rss = [r.fields["rss_mb"] for r in mini if "rss_mb" in r.fields]
    if mini_rss:
        print(f"minimal RSS when ready: median {statistics.median(mini_rss):.1f} MB")
    exited = sum(1 for r in kiosk if r.exit_ms is not None and r.returncode == 0)
    print(f"kiosk exited by itself with code 0 after READY: {exited}/{len(kiosk)} runs")
    return ratio, rss_worst


def import_profile(config: Path, env: dict[str, str], top: int) -> None:
    """One kiosk start under ``-X importtime``: self time by top-level package, top modules."""
    argv = [sys.executable, "-X", "importtime", *kiosk_argv(config)]
    try:
        proc = subprocess.run(
            argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=READY_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        print("import profile: timed out")
        return
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), len(m.group(3)), m.group(4)))
    if not rows:
        print("import profile: no -X importtime output")
        return
    by_package: dict[str, int] = defaultdict(int)
    for self_us, _cum, _depth, name in rows:
        by_package[name.split(".")[0]] += self_us
    total = sum(by_package.values())
    print()
    print(
        f"Where the kiosk's import time goes (-X importtime, one run; {len(rows)} modules, "
        f"{total / 1000:.0f} ms of import self time, inflated by the measuring):"
    )
    print("  self time by top-level package:")
    for name, us in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]:
        print(f"    {us / 1000:8.1f} ms  {100 * us / total:4.1f} %  {name}")
    print("  largest cumulative imports of the kiosk's own modules:")
    own = [r for r in rows if r[3].split(".")[0] in {"ui", "kiosk", "hardware"}]
    for _self_us, cum, _depth, name in sorted(own, key=lambda r: -r[1])[:top]:
        print(f"    {cum / 1000:8.1f} ms  {name}")
    print("  largest cumulative third-party imports made from the kiosk's modules:")
    parent_is_own = []
    # -X importtime prints children before their parent; a row's parent is the next row
    # with a smaller indent.
    for i, (_s, cum, depth, name) in enumerate(rows):
        if name.split(".")[0] in {"ui", "kiosk", "hardware"} or "." in name:
            continue
        for _s2, _c2, depth2, name2 in rows[i + 1 :]:
            if depth2 < depth:
                if name2.split(".")[0] in {"ui", "kiosk", "hardware"}:
                    parent_is_own.append((cum, name, name2))
                break
    seen: set[str] = set()
    shown = 0
    for cum, name, parent in sorted(parent_is_own, reverse=True):
        if name in seen:
            continue
        seen.add(name)
        print(f"    {cum / 1000:8.1f} ms  {name}  (first imported by {parent})")
        shown += 1
        if shown >= top:
            break


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=7, help="starts of each program (default 7)")
    p.add_argument("--no-warmup", action="store_true", help="skip the untimed warm-up starts")
    p.add_argument(
        "--no-profile", action="store_true", help="no import profile even if the ratio misses"
    )
    p.add_argument("--top", type=int, default=12, help="rows in the import profile")
    p.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="write no .pyc (every start compiles the modules that have none)",
    )
    args = p.parse_args(argv)
    if not KIOSK.exists():
        print(f"{KIOSK} not found: run `make setup` (pip install -e .) first")
        return 2
    print(f"Machine: {machine()}")
    print(f"Load average before: {_load()}")
    print(
        f"kiosk:   {KIOSK.relative_to(ROOT) if KIOSK.is_relative_to(ROOT) else KIOSK} "
        f"--config <tmp>/kiosk.toml {' '.join(KIOSK_ARGS)}  (voice engine silent)"
    )
    print(f"minimal: {Path(sys.executable).name} {MINIMAL.relative_to(ROOT)}")
    print("spawn→READY = wall time from Popen to reading the READY line; self = the program's")
    print("own figure (kiosk: from the import of ui.app; minimal: from its first line).")
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-startup-") as tmp:
        base = Path(tmp)
        config = base / "kiosk.toml"
        config.write_text(CONFIG_TOML, encoding="utf-8")
        pycache = None if args.no_bytecode_cache else base / "pycache"
        print(
            "bytecode: "
            + (
                "not written (PYTHONDONTWRITEBYTECODE=1)"
                if pycache is None
                else "cached in a private PYTHONPYCACHEPREFIX, filled by the warm-up start"
            )
        )
        if not args.no_warmup:
            warm_env = make_env(base / "warmup", pycache)
            for program, cmd in (("kiosk", kiosk_argv(config)), ("minimal", minimal_argv())):
                run = run_once(program, cmd, warm_env)
                if not run.ok:
                    print(f"warm-up start of {program} failed:")
                    print_run(0, run)
                    return 1
        env = make_env(base / "station", pycache)
        print()
        print(
            f"{'#':>3} {'program':<8}{'spawn→READY':>10}{'self':>10}{'exit':>9}"
            f"{'RSS MB':>10}{'peak MB':>10}{'CPU s':>8}{'rc':>5}"
        )
        kiosk_runs: list[Run] = []
        minimal_runs: list[Run] = []
        for i in range(1, args.runs + 1):
            run = run_once("kiosk", kiosk_argv(config), env)
            kiosk_runs.append(run)
            print_run(i, run)
            run = run_once("minimal", minimal_argv(), env)
            minimal_runs.append(run)
            print_run(i, run)
        ratio, _rss = summarize(kiosk_runs, minimal_runs)
        print(f"Load average after: {_load()}  (other work on the machine adds noise)")
        if ratio is not None and ratio > TARGET_RATIO and not args.no_profile:
            import_profile(config, env, args.top)
    return 0 if kiosk_runs and all(r.ok for r in kiosk_runs + minimal_runs) else 1


if __name__ == "__main__":
    sys.exit(main())
