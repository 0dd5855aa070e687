"""GUI-thread stall bench: the real kiosk while a slow network call and a slow print job run.

    python bench/bench_gui_stall.py [--rounds N]

Builds the kiosk in this process (``ui.app.build``: throw-away data directory, speech engine
"recording", the real ``TaskRunner``), shows the window offscreen and goes to the home screen.
A 5 ms precise QTimer on the GUI thread records every tick; a stall is the longest gap between
two ticks minus the 5 ms interval.

The two background jobs talk to real sockets served by a helper process (this script with
``--serve``, so the servers never compete for this process's GIL):

* network call: ``requests.get`` to a local ``http.server`` on 127.0.0.1 that waits 2 s
  before it answers (timeout bounded);
* print job: an 80 mm ESC/POS receipt (text and a raster logo, ≈ 60 KB) written to a TCP
  "printer" on 127.0.0.1 that reads slowly, so the whole job takes ≈ 3 s with real
  back-pressure (small socket buffers), then waits for the printer's status byte.

Phases (the 5 ms timer runs through each):

1. idle — nothing happens (timer jitter of this machine);
2. UI only — a scripted visitor: 长辈模式 on, the notices tile, 返回, 长辈模式 off, every 250 ms;
3. jobs only — both jobs through ``kiosk.runner.run(...)``, no UI activity;
4. jobs + UI — both jobs through the runner while the scripted visitor keeps going (the
   figure the target applies to; ``--rounds`` times);
5. control — the same two jobs called directly on the GUI thread (the wrong way), to show
   that the bench does see a stall when there is one.

Prints figures only; asserts nothing. Target: longest stall ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

TICK_MS = 5
TARGET_STALL_MS = 50.0
NETWORK_DELAY_S = 2.0
PRINT_DURATION_S = 3.0
UI_STEP_MS = 250
STATUS_REQUEST = b"\x10\x04\x04"  # DLE EOT 4: paper roll status, answered after the job
STATUS_OK = b"\x12"


# ------------------------------------------------------------------ servers (helper process)
class _SlowHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        time.sleep(NETWORK_DELAY_S)
        body = json.dumps({"ok": True, "notices": 4}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _printer_connection(conn: socket.socket, bytes_per_s: float) -> None:
    """Read like a slow thermal printer: ``bytes_per_s``, 512 bytes at a time."""
    with conn:
        received = bytearray()
        t0 = time.monotonic()
        while not received.endswith(STATUS_REQUEST):
            chunk = conn.recv(512)
            if not chunk:
                return
            received += chunk
            delay = t0 + len(received) / bytes_per_s - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        conn.sendall(STATUS_OK)


def _printer_server(listener: socket.socket, bytes_per_s: float) -> None:
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=_printer_connection, args=(conn, bytes_per_s), daemon=True).start()


def serve(bytes_per_s: float) -> int:
    """Helper-process mode: both servers on free ports; runs until stdin closes."""
    http = ThreadingHTTPServer(("127.0.0.1", 0), _SlowHandler)
    http.daemon_threads = True
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Small receive buffer (inherited by accepted sockets): the sender feels back-pressure.
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    threading.Thread(target=_printer_server, args=(listener, bytes_per_s), daemon=True).start()
    sys.stdout.write(f"SERVING http={http.server_address[1]} print={listener.getsockname()[1]}\n")
    sys.stdout.flush()
    sys.stdin.read()  # until the bench closes our stdin (or dies)
    return 0


# ------------------------------------------------------------------ the two jobs
def receipt_bytes() -> bytes:
    """An 80 mm ESC/POS receipt: text in GB18030, a 576×800-dot raster logo, cut, status."""
    text = "\n".join(
        [
            "幸福里社区服务站",
            "业务：水费缴纳",
            "户号：3栋2单元602",
            "金额：￥128.50",
            "时间：2026-11-25 10:32",
            "谢谢使用，请保管好回执。",
        ]
    )
    width_bytes, height = 72, 800  # 576 dots
    row_patterns = (b"\x00", b"\xff", b"\xaa", b"\x55", b"\x0f", b"\xf0")
    raster = b"".join(
        row_patterns[(y // 8) % len(row_patterns)] * width_bytes for y in range(height)
    )
    header = b"\x1d\x76\x30\x00" + bytes(
        [width_bytes % 256, width_bytes // 256, height % 256, height // 256]
    )
    return (
        b"\x1b\x40"  # ESC @ initialise
        + b"\x1c\x26"  # FS & Chinese mode
        + text.encode("gb18030")
        + b"\n\n"
        + header
        + raster
        + b"\n\n\n\x1d\x56\x42\x00"  # feed and cut
        + STATUS_REQUEST
    )


def network_call(url: str) -> dict[str, Any]:
    import requests

    response = requests.get(url, timeout=(2.0, 10.0))
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def print_job(port: int, payload: bytes) -> tuple[int, bytes]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    sock.settimeout(15.0)
    with sock:
        sock.connect(("127.0.0.1", port))
        sock.sendall(payload)
        status = sock.recv(1)
    if status != STATUS_OK:
        raise OSError(f"printer status {status!r}")
    return len(payload), status


# ------------------------------------------------------------------ measuring
@dataclass
class JobResult:
    name: str
    ok: bool
    seconds: float
    on_gui_thread: bool
    detail: str


@dataclass
class Phase:
    name: str
    ticks: list[float] = field(default_factory=list)
    jobs: list[JobResult] = field(default_factory=list)
    # (name, start, ms on the GUI thread) of each UI action
    actions: list[tuple[str, float, float]] = field(default_factory=list)
    events: list[tuple[str, float]] = field(default_factory=list)  # job started / delivered
    timed_out: bool = False

    @property
    def gaps_ms(self) -> list[float]:
        return [(b - a) * 1000 for a, b in zip(self.ticks, self.ticks[1:], strict=False)]

    def longest_gap(self) -> tuple[float, float]:
        pairs = list(zip(self.ticks, self.ticks[1:], strict=False))
        return max(pairs, key=lambda ab: ab[1] - ab[0]) if pairs else (0.0, 0.0)

    def during(self, a: float, b: float) -> list[str]:
        """What ran on the GUI thread, or arrived, between the ticks ``a`` and ``b``."""
        out = [
            f"{name} ({ms:.1f} ms)"
            for name, start, ms in self.actions
            if start < b and start + ms / 1000 > a
        ]
        out += [what for what, at in self.events if a <= at <= b]
        return out

    @property
    def seconds(self) -> float:
        return self.ticks[-1] - self.ticks[0] if len(self.ticks) > 1 else 0.0

    def stall_ms(self) -> float:
        gaps = self.gaps_ms
        return max(gaps) - TICK_MS if gaps else float("nan")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=3, help="rounds of phase 4 (default 3)")
    p.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--bytes-per-s", type=float, default=20000.0, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve:
        return serve(args.bytes_per_s)
    return run_bench(args.rounds)


def run_bench(rounds: int) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-stall-"))
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (tmp / sub).mkdir()
        os.environ[var] = str(tmp / sub)

    from PySide6.QtCore import (
        QEventLoop,
        QMessageLogContext,
        Qt,
        QTimer,
        QtMsgType,
        qInstallMessageHandler,
    )
    from PySide6.QtWidgets import QApplication

    def qt_messages(_kind: QtMsgType, _ctx: QMessageLogContext, message: str) -> None:
        if "propagateSizeHints" not in message:
            sys.stderr.write(message + "\n")

    qInstallMessageHandler(qt_messages)

    from kiosk.config import load_settings
    from kiosk.tasks import TaskRunner
    from ui import navigator as nav
    from ui.app import build

    payload = receipt_bytes()
    bytes_per_s = len(payload) / PRINT_DURATION_S
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--bytes-per-s", str(bytes_per_s)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        ready, _, _ = select.select([server.stdout], [], [], 30)
        line = server.stdout.readline() if ready else ""
        if not line.startswith("SERVING"):
            print(f"helper servers did not start: {line!r}")
            return 1
        ports = dict(part.split("=") for part in line.split()[1:])
        url = f"http://127.0.0.1:{ports['http']}/notices"
        printer_port = int(ports["print"])

        config = tmp / "kiosk.toml"
        config.write_text('[voice]\nengine = "recording"\n', encoding="utf-8")
        settings = load_settings(
            config,
            overrides={
                "paths.data_dir": str(tmp / "data" / "kiosk"),
                "paths.log_dir": str(tmp / "state" / "log"),
                "display.fullscreen": False,
            },
        )
        app = QApplication([sys.argv[0]])
        t = time.perf_counter()
        kiosk = build(settings, demo=True)
        build_ms = (time.perf_counter() - t) * 1000
        runner = kiosk.runner
        if not isinstance(runner, TaskRunner):
            print(f"kiosk.runner is {type(runner).__name__}, not the real TaskRunner")
            return 1
        window = kiosk.window
        window.resize(settings.display.width_px, settings.display.height_px)
        window.show()
        ctx = kiosk.ctx
        ctx.session.begin()
        ctx.navigator.go(nav.HOME)

        def pump(seconds: float) -> None:
            loop = QEventLoop()
            QTimer.singleShot(round(seconds * 1000), loop.quit)
            loop.exec()

        pump(0.5)  # let the home screen settle (layout, paint, notices loaded)

        # -------------------------------------------------------------- the visitor
        def click(widget: Any, fallback: Callable[[], None]) -> None:
            if widget is not None and widget.isEnabled():
                widget.click()
            else:
                fallback()

        def elderly() -> None:
            bar = getattr(window, "bottom_bar", None)
            click(
                getattr(bar, "elderly", None),
                lambda: ctx.session.set_elderly(not ctx.session.elderly),
            )

        def open_notices() -> None:
            home = ctx.navigator.screen(nav.HOME)
            tile = getattr(home, "tiles", {}).get("notices")
            if ctx.navigator.current is home and tile is not None:
                tile.click()
            else:
                ctx.navigator.go("notices")

        def back() -> None:
            bar = getattr(window, "top_bar", None)
            button = getattr(bar, "back", None)
            click(button if button is not None and button.isVisible() else None, ctx.navigator.back)

        script: list[tuple[str, Callable[[], None]]] = [
            ("长辈模式 on", elderly),
            ("notices", open_notices),
            ("返回", back),
            ("长辈模式 off", elderly),
        ]

        # -------------------------------------------------------------- one phase
        def run_phase(name: str, *, jobs: str | None, ui: bool, min_s: float) -> Phase:
            phase = Phase(name)
            start = time.perf_counter()
            expected = {"network", "print"} if jobs else set()

            def delivered(job: str, t0: float) -> Callable[[Any], None]:
                def on_done(result: Any) -> None:
                    phase.events.append((f"{job} result delivered", time.perf_counter()))
                    phase.jobs.append(
                        JobResult(
                            job,
                            True,
                            time.perf_counter() - t0,
                            threading.current_thread() is threading.main_thread(),
                            repr(result)[:60],
                        )
                    )

                return on_done

            def failed(job: str, t0: float) -> Callable[[BaseException], None]:
                def on_error(exc: BaseException) -> None:
                    phase.events.append((f"{job} error delivered", time.perf_counter()))
                    phase.jobs.append(
                        JobResult(
                            job,
                            False,
                            time.perf_counter() - t0,
                            threading.current_thread() is threading.main_thread(),
                            f"{type(exc).__name__}: {exc}"[:80],
                        )
                    )

                return on_error

            def start_jobs() -> None:
                t0 = time.perf_counter()
                phase.events.append(("jobs started", t0))
                net = lambda: network_call(url)  # noqa: E731
                runner.run(net, delivered("network", t0), failed("network", t0))
                prt = lambda: print_job(printer_port, payload)  # noqa: E731
                runner.run(prt, delivered("print", t0), failed("print", t0))

            def jobs_on_gui_thread() -> None:
                for job, fn in (
                    ("network", lambda: network_call(url)),
                    ("print", lambda: print_job(printer_port, payload)),
                ):
                    t0 = time.perf_counter()
                    try:
                        result = fn()
                    except Exception as exc:
                        failed(job, t0)(exc)
                    else:
                        delivered(job, t0)(result)

            tick = QTimer()
            tick.setTimerType(Qt.TimerType.PreciseTimer)
            tick.setInterval(TICK_MS)
            tick.timeout.connect(lambda: phase.ticks.append(time.perf_counter()))
            step = QTimer()
            step.setInterval(UI_STEP_MS)
            position = [0]

            def next_action() -> None:
                action_name, action = script[position[0] % len(script)]
                position[0] += 1
                t0 = time.perf_counter()
                action()
                phase.actions.append((action_name, t0, (time.perf_counter() - t0) * 1000))

            step.timeout.connect(next_action)
            loop = QEventLoop()
            check = QTimer()
            check.setInterval(20)

            def maybe_done() -> None:
                elapsed = time.perf_counter() - start
                done = {j.name for j in phase.jobs} >= expected
                if done and elapsed >= min_s:
                    loop.quit()
                elif elapsed > 30:
                    phase.timed_out = True
                    loop.quit()

            check.timeout.connect(maybe_done)
            phase.ticks.append(time.perf_counter())
            tick.start()
            check.start()
            if ui:
                step.start()
            if jobs == "runner":
                QTimer.singleShot(50, start_jobs)
            elif jobs == "gui":
                QTimer.singleShot(50, jobs_on_gui_thread)
            loop.exec()
            for timer in (tick, step, check):
                timer.stop()
            phase.ticks.append(time.perf_counter())
            if ui:  # back to the home screen in standard mode for the next phase
                if ctx.session.elderly:
                    ctx.session.set_elderly(False)
                if ctx.navigator.current is not ctx.navigator.screen(nav.HOME):
                    ctx.navigator.home()
            pump(0.3)
            return phase

        phases = [run_phase("1 idle", jobs=None, ui=False, min_s=1.0)]
        phases.append(run_phase("2 UI only", jobs=None, ui=True, min_s=3.2))
        phases.append(run_phase("3 jobs only", jobs="runner", ui=False, min_s=0.2))
        measured = [
            run_phase(f"4 jobs + UI #{i + 1}", jobs="runner", ui=True, min_s=0.2)
            for i in range(rounds)
        ]
        phases.extend(measured)
        control = run_phase("5 control: jobs ON the GUI thread", jobs="gui", ui=False, min_s=0.2)
        phases.append(control)
        report(phases, measured, control, build_ms, len(payload), runner)
        kiosk.shutdown()
        app.processEvents()
    finally:
        if server.stdin is not None:
            server.stdin.close()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def report(
    phases: list[Phase],
    measured: list[Phase],
    control: Phase,
    build_ms: float,
    payload_len: int,
    runner: Any,
) -> None:
    cores = len(os.sched_getaffinity(0))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"Machine: {cores} usable cores ({os.cpu_count()} online); load average {load}; "
        f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM')}"
    )
    pool = getattr(runner, "_pool", None)
    threads = pool.maxThreadCount() if pool is not None else "?"
    print(
        f"kiosk built in {build_ms:.0f} ms; runner: {type(runner).__name__} "
        f"({threads} threads); tick {TICK_MS} ms (PreciseTimer)"
    )
    print(
        f"jobs: GET with a {NETWORK_DELAY_S:.0f} s server delay; ESC/POS receipt of "
        f"{payload_len} bytes to a printer reading it in {PRINT_DURATION_S:.0f} s"
    )
    print()
    print(
        f"{'phase':<36}{'s':>6}{'ticks':>7}{'exp.':>6}{'p50 ms':>8}{'p99 ms':>8}"
        f"{'max gap':>9}{'stall':>8}{'>20ms':>6}{'>50ms':>6}"
    )
    for ph in phases:
        gaps = ph.gaps_ms
        print(
            f"{ph.name:<36}{ph.seconds:>6.2f}{len(ph.ticks) - 2:>7}"
            f"{round(ph.seconds * 1000 / TICK_MS):>6}{percentile(gaps, 50):>8.1f}"
            f"{percentile(gaps, 99):>8.1f}{max(gaps, default=float('nan')):>9.1f}"
            f"{ph.stall_ms():>8.1f}{sum(g > 20 for g in gaps):>6}{sum(g > 50 for g in gaps):>6}"
            + ("  TIMED OUT" if ph.timed_out else "")
        )
    print()
    for ph in phases:
        for job in ph.jobs:
            where = "GUI thread" if job.on_gui_thread else "NOT the GUI thread"
            state = "ok" if job.ok else "FAILED"
            print(
                f"{ph.name:<36}{job.name:<8} {state:<6} after {job.seconds:5.2f} s, "
                f"delivered on the {where}: {job.detail}"
            )
    ui_phases = [ph for ph in phases if ph.actions]
    if ui_phases:
        print()
        print("UI actions, synchronous time on the GUI thread (ms, max over phases 2 and 4):")
        names = dict.fromkeys(name for ph in ui_phases for name, _, _ in ph.actions)
        for name in names:
            times = [ms for ph in ui_phases for n, _, ms in ph.actions if n == name]
            print(
                f"  {name:<12} n={len(times):<3} median {statistics.median(times):6.1f}  "
                f"max {max(times):6.1f}"
            )
    print()
    print("Longest gap of each phase, and what ran on the GUI thread or arrived during it:")
    for ph in phases:
        a, b = ph.longest_gap()
        what = ", ".join(ph.during(a, b)) or "nothing of the bench's (Qt / other threads)"
        print(f"  {ph.name:<36}{(b - a) * 1000:8.1f} ms at +{a - ph.ticks[0]:5.2f} s: {what}")
    print()
    stalls = [ph.stall_ms() for ph in measured]
    jobs_ok = all(
        {j.name for j in ph.jobs if j.ok and j.on_gui_thread} == {"network", "print"}
        for ph in measured
    )
    worst = max(stalls)
    verdict = "target met" if worst <= TARGET_STALL_MS else "target missed"
    print(
        f"Longest GUI-thread stall while the 2 s network call and the 3 s print job ran "
        f"(phase 4, {len(measured)} rounds): {worst:.1f} ms (rounds: "
        + ", ".join(f"{s:.1f}" for s in stalls)
        + f"); p99 gap {max(percentile(ph.gaps_ms, 99) for ph in measured):.1f} ms  "
        f"(target ≤ {TARGET_STALL_MS:.0f} ms: {verdict})"
    )
    ui_only = next((ph for ph in phases if ph.name.startswith("2 ")), None)
    jobs_only = next((ph for ph in phases if ph.name.startswith("3 ")), None)
    if ui_only is not None and jobs_only is not None:
        print(
            f"  for comparison: UI activity alone {ui_only.stall_ms():.1f} ms, jobs alone "
            f"{jobs_only.stall_ms():.1f} ms, idle {phases[0].stall_ms():.1f} ms"
        )
    print(
        "Both background results delivered on the GUI thread in every round: "
        + ("yes" if jobs_ok else "NO")
    )
    print(
        f"Control (same jobs called on the GUI thread): stall {control.stall_ms():.0f} ms — "
        + ("the bench detects stalls" if control.stall_ms() > 1000 else "UNEXPECTEDLY SMALL")
    )


if __name__ == "__main__":
    sys.exit(main())
