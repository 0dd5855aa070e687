"""Crash durability (RELIABILITY.md case 1): a writer killed with SIGKILL at random moments.

Two halves in one module, so the test and ``bench/bench_kill_durability.py`` share them:

The **worker** (child side) opens the station SQLite database through
:class:`kiosk.store.db.Database` (WAL, ``synchronous=FULL``) and performs numbered
operations ``start, start + 1, ...`` until it is killed:

* operation ``n`` with ``n % 3 != 2``: a call for help through the real
  :meth:`HelpService.request <kiosk.services.help.HelpService.request>` (help row + audit
  entry in one transaction), with the request id ``UUID(int=n)``, so a retry is idempotent;
* otherwise a payment-like debit: one transaction inserts a row with the UNIQUE idempotency
  key ``debit-<n>`` into ``durability_debits`` and, only if that row is new, lowers the
  balance in ``durability_accounts``.

Only after ``commit`` returned does it write ``ACK <n>`` to stdout (one ``write(2)`` of a
short line, so a kill never leaves half a line). Before it starts it reports what it finds
(``STATE {json}``: ``PRAGMA integrity_check``, which operations are committed, balance
against the debit rows, sometimes the whole audit chain), then ``READY``. A restarted worker
is told the first operation that was not acknowledged and begins by retrying it with the
same key: it may have committed just before the kill.

The **harness** (parent side, :class:`KillHarness`) prepares the database, then repeatedly
starts a worker, waits for ``READY``, sleeps a uniformly random 0 to 50 ms (a tenth of the
kills instead land 0 to 15 ms after the start, during recovery) and sends SIGKILL. Every
restart's ``STATE`` is checked: every acknowledged operation present, nothing beyond the one
in flight, balance = initial − Σ debits, help rows = their audit entries, integrity ``ok``.
At the end a last worker runs to a clean finish and the database is checked once more from
the outside against the operations the harness saw acknowledged.

Starting a Python interpreter that imports SQLAlchemy and the services costs ≈ 0.5 to 1 s
here, which would allow only about one kill a second. So by default the workers are forked
from a **zygote**: this module run with ``--serve``, which imports everything once and then
forks one worker per ``RUN`` command (no database connection is ever opened before the
fork). ``spawn=True`` (``--spawn`` in the bench) execs a fresh interpreter per worker instead.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import text

from kiosk.services.audit import AuditLog
from kiosk.services.help import HelpService
from kiosk.store.db import Database

__all__ = [
    "INITIAL_BALANCE",
    "Figures",
    "KillHarness",
    "debit_amount",
    "help_request_id",
    "is_debit",
    "prepare_database",
]

STATION_ID = "durability-station"
INITIAL_BALANCE = 10**12  # fen; never runs out
EVENT_HELP_REQUESTED = "help.requested"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS durability_accounts ("
    " id INTEGER PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0))",
    "CREATE TABLE IF NOT EXISTS durability_debits ("
    " id INTEGER PRIMARY KEY,"
    " key TEXT NOT NULL UNIQUE,"
    " op INTEGER NOT NULL,"
    " amount INTEGER NOT NULL CHECK (amount > 0))",
)


# ------------------------------------------------------------------ the operation schedule


def is_debit(op: int) -> bool:
    return op % 3 == 2


def debit_amount(op: int) -> int:
    return 1 + (op * 7919) % 500


def debit_key(op: int) -> str:
    return f"debit-{op:09d}"


def help_request_id(op: int) -> str:
    return str(uuid.UUID(int=op))


def _op_of_help_id(help_id: str) -> int:
    return uuid.UUID(help_id).int


# ------------------------------------------------------------------ worker (child side)


def _emit(line: str) -> None:
    """One write(2) per line: atomic on a pipe, so a kill never cuts a line in half."""
    os.write(1, (line + "\n").encode())


def _debit(db: Database, op: int) -> bool:
    """Apply debit ``op`` once; ``False`` when its key was already there (a retry)."""
    amount = debit_amount(op)
    with db.session() as session:
        inserted = session.execute(
            text(
                "INSERT INTO durability_debits (key, op, amount) VALUES (:key, :op, :amount)"
                " ON CONFLICT (key) DO NOTHING RETURNING id"
            ),
            {"key": debit_key(op), "op": op, "amount": amount},
        ).first()
        if inserted is not None:
            session.execute(
                text("UPDATE durability_accounts SET balance = balance - :amount WHERE id = 1"),
                {"amount": amount},
            )
    return inserted is not None


def _state(db: Database, start: int, verify_chain: bool) -> dict[str, Any]:
    """What a restarted worker finds, relative to ``start`` (the first un-acknowledged op)."""
    with db.engine.connect() as conn:
        integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
        help_ops = [
            _op_of_help_id(row[0])
            for row in conn.exec_driver_sql(
                "SELECT id FROM help_requests WHERE station_id = ?", (STATION_ID,)
            )
        ]
        debit_rows = conn.exec_driver_sql("SELECT op, amount FROM durability_debits").all()
        balance = conn.exec_driver_sql(
            "SELECT balance FROM durability_accounts WHERE id = 1"
        ).scalar()
        help_events = conn.exec_driver_sql(
            "SELECT count(*) FROM audit_events WHERE event_type = ?", (EVENT_HELP_REQUESTED,)
        ).scalar()
    ops = help_ops + [row[0] for row in debit_rows]
    distinct = set(ops)
    chain = "skipped"
    if verify_chain:
        bad = AuditLog(db).verify()
        chain = "ok" if bad is None else f"bad at {bad}"
    return {
        "integrity": "ok" if integrity == ["ok"] else "; ".join(map(str, integrity))[:500],
        "below": sum(1 for op in distinct if op < start),
        "at": start in distinct,
        "above": sum(1 for op in distinct if op > start),
        "repeated": len(ops) - len(distinct),
        "help_rows": len(help_ops),
        "help_events": help_events,
        "balance": balance,
        "expected_balance": INITIAL_BALANCE - sum(row[1] for row in debit_rows),
        "chain": chain,
    }


def work(db_path: Path, start: int, stop: int | None, verify_chain: bool) -> None:
    """The worker: report the state, then perform operations ``start, start + 1, ...``."""
    db = Database.sqlite_file(db_path)
    helps = HelpService(db, AuditLog(db), STATION_ID)
    _emit("STATE " + json.dumps(_state(db, start, verify_chain), separators=(",", ":")))
    _emit("READY")
    op = start
    while stop is None or op < stop:
        if is_debit(op):
            _debit(db, op)
        else:
            helps.request("durability", "standard", request_id=help_request_id(op))
        _emit(f"ACK {op}")  # only now: the transaction has committed
        op += 1
    db.dispose()
    _emit("DONE")


def _run_child(db_path: Path, start: int, stop: int | None, verify_chain: bool) -> None:
    code = 0
    try:
        work(db_path, start, stop, verify_chain)
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        code = 1
    finally:
        os._exit(code)


def serve(db_path: Path, *, spawn: bool) -> None:
    """The zygote: per ``RUN <start> <stop|-> <0|1>`` line, fork a worker and report
    ``PID <pid>`` and later ``EXIT <pid> <wait status>``; ``QUIT`` or EOF ends it."""
    while line := sys.stdin.readline():
        words = line.split()
        if not words or words[0] == "QUIT":
            break
        start, stop = int(words[1]), None if words[2] == "-" else int(words[2])
        verify_chain = words[3] == "1"
        pid = os.fork()
        if pid == 0:
            if spawn:
                os.execv(
                    sys.executable,
                    [sys.executable, __file__, "--db", str(db_path), *words[1:4], "--work"],
                )
            _run_child(db_path, start, stop, verify_chain)
        _emit(f"PID {pid}")
        _, status = os.waitpid(pid, 0)
        _emit(f"EXIT {pid} {status}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--serve", action="store_true", help="run as the zygote")
    parser.add_argument("--spawn", action="store_true", help="zygote execs fresh workers")
    parser.add_argument("--work", action="store_true", help="one worker (start stop verify)")
    parser.add_argument("args", nargs="*")
    options = parser.parse_args(argv)
    if options.serve:
        serve(options.db, spawn=options.spawn)
    elif options.work:
        start, stop, verify = options.args
        _run_child(options.db, int(start), None if stop == "-" else int(stop), verify == "1")
    else:
        parser.error("--serve or --work")


# ------------------------------------------------------------------ harness (parent side)


def prepare_database(db_path: Path) -> None:
    """The station database, migrated, plus the account and debit tables of the test."""
    db = Database.sqlite_file(db_path, migrate=True)
    try:
        with db.session() as session:
            for statement in _SCHEMA:
                session.execute(text(statement))
            session.execute(
                text("INSERT OR IGNORE INTO durability_accounts (id, balance) VALUES (1, :b)"),
                {"b": INITIAL_BALANCE},
            )
    finally:
        db.dispose()


@dataclass
class Figures:
    """What a run of the harness saw. Every count but the first four must be 0."""

    kills: int = 0
    acked: int = 0
    restarts_checked: int = 0
    in_flight_committed: int = 0  # killed after commit, before ACK: the retry was a no-op
    lost: int = 0
    duplicates: int = 0
    integrity_failures: int = 0
    balance_errors: int = 0
    chain_failures: int = 0
    worker_errors: int = 0
    chains_checked: int = 0
    elapsed_s: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def kills_per_s(self) -> float:
        return self.kills / self.elapsed_s if self.elapsed_s else 0.0

    def as_dict(self) -> dict[str, Any]:
        figures = {k: v for k, v in vars(self).items() if k != "problems"}
        figures["kills_per_s"] = round(self.kills_per_s, 2)
        figures["elapsed_s"] = round(self.elapsed_s, 2)
        figures["problems"] = self.problems[:20]
        return figures


class KillHarness:
    """Start, kill and check workers on one database (see the module docstring).

    Args:
        db_path: The SQLite file (created and migrated by :meth:`run`).
        seed: Seeds the kill delays (the moments themselves depend on the machine).
        max_delay_s: Kill uniformly 0 to this long after the worker's ``READY``.
        early_fraction: Share of kills that land 0 to ``early_window_s`` after the start
            instead (during recovery and the start-up checks).
        verify_chain_every: Walk the whole audit chain on every n-th restart.
        spawn: Exec a fresh interpreter per worker instead of forking from the zygote.
    """

    def __init__(
        self,
        db_path: Path,
        *,
        seed: int,
        max_delay_s: float = 0.050,
        early_fraction: float = 0.1,
        early_window_s: float = 0.015,
        verify_chain_every: int = 25,
        spawn: bool = False,
        timeout_s: float = 60.0,
    ) -> None:
        self.db_path = db_path
        self.seed = seed
        self.max_delay_s = max_delay_s
        self.early_fraction = early_fraction
        self.early_window_s = early_window_s
        self.verify_chain_every = verify_chain_every
        self.spawn = spawn
        self.timeout_s = timeout_s
        self.figures = Figures()
        self._rng = random.Random(seed)
        self._acked = 0  # every op below this was acknowledged
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._zygote: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._reader: threading.Thread | None = None

    # -------------------------------------------------------------- running

    def run(self, kills: int, *, progress_every: int = 0) -> Figures:
        """Prepare the database, kill ``kills`` workers, finish cleanly, check everything."""
        prepare_database(self.db_path)
        started = time.perf_counter()
        self._start_zygote()
        try:
            for n in range(kills):
                self._one_killed_run(verify_chain=(n + 1) % self.verify_chain_every == 0)
                if progress_every and (n + 1) % progress_every == 0:
                    elapsed = time.perf_counter() - started
                    sys.stderr.write(
                        f"  {n + 1} kills, {self._acked} acked, {elapsed:.1f} s,"
                        f" problems {len(self.figures.problems)}\n"
                    )
            self._final_run()
        finally:
            self._stop_zygote()
        self.figures.elapsed_s = time.perf_counter() - started
        self._check_from_outside()
        return self.figures

    def _start_zygote(self) -> None:
        self._stderr = (self.db_path.parent / "durability-worker.stderr").open("w+b")
        command = [sys.executable, __file__, "--db", str(self.db_path), "--serve"]
        if self.spawn:
            command.append("--spawn")
        self._zygote = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env={**os.environ, "PYTHONPATH": _python_path()},
        )
        assert self._zygote.stdout is not None
        self._reader = threading.Thread(
            target=self._read_lines, args=(self._zygote.stdout,), daemon=True
        )
        self._reader.start()

    def _read_lines(self, stream: IO[bytes]) -> None:
        for raw in stream:
            self._lines.put(raw.decode(errors="replace").rstrip("\n"))
        self._lines.put(None)

    def _stop_zygote(self) -> None:
        zygote, self._zygote = self._zygote, None
        if zygote is None:
            return
        try:
            assert zygote.stdin is not None
            zygote.stdin.write(b"QUIT\n")
            zygote.stdin.close()
            zygote.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            zygote.kill()
            zygote.wait()
        if self._reader is not None:
            self._reader.join(timeout=10)
        if zygote.stdout is not None:
            zygote.stdout.close()
        if self._stderr is not None:
            self._stderr.close()

    def _send(self, command: str) -> None:
        assert self._zygote is not None
        assert self._zygote.stdin is not None
        self._zygote.stdin.write(command.encode() + b"\n")
        self._zygote.stdin.flush()

    def _next_line(self) -> str:
        try:
            line = self._lines.get(timeout=self.timeout_s)
        except queue.Empty:
            raise RuntimeError(f"no word from the worker for {self.timeout_s} s") from None
        if line is None:
            raise RuntimeError(f"the zygote ended: {self._stderr_tail()}")
        return line

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-3000:]

    def _one_killed_run(self, *, verify_chain: bool) -> None:
        start = self._acked
        self._send(f"RUN {start} - {int(verify_chain)}")
        pid = self._expect_pid()
        if self._rng.random() < self.early_fraction:
            time.sleep(self._rng.uniform(0.0, self.early_window_s))
        else:
            while (line := self._next_line()) != "READY":
                self._handle(line, start, pid)
            time.sleep(self._rng.uniform(0.0, self.max_delay_s))
        os.kill(pid, signal.SIGKILL)
        self.figures.kills += 1
        status = self._drain(start, pid)
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            self._problem("worker_errors", f"worker {pid} ended with status {status}")

    def _final_run(self) -> None:
        """A last worker retries the op in flight, does a few more and exits cleanly."""
        start = self._acked
        self._send(f"RUN {start} {start + 10} 1")
        pid = self._expect_pid()
        status = self._drain(start, pid)
        if status != 0:
            self._problem("worker_errors", f"final worker ended with {status}")
        if self._acked != start + 10:
            self._problem("lost", f"final worker acknowledged up to {self._acked}")

    def _expect_pid(self) -> int:
        line = self._next_line()
        if not line.startswith("PID "):
            raise RuntimeError(f"expected PID, got {line!r}")
        return int(line.split()[1])

    def _drain(self, start: int, pid: int) -> int:
        """Handle the worker's lines up to its EXIT; its wait status."""
        while not (line := self._next_line()).startswith(f"EXIT {pid} "):
            self._handle(line, start, pid)
        status = int(line.split()[2])
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0:
            self._problem("worker_errors", f"worker {pid} failed: {self._stderr_tail()}")
        return status

    def _handle(self, line: str, start: int, pid: int) -> None:
        kind, _, rest = line.partition(" ")
        if kind == "ACK":
            op = int(rest)
            if op != self._acked:  # ops are sequential: an ACK out of turn is a bug
                counter = "duplicates" if op < self._acked else "lost"
                self._problem(counter, f"worker {pid} acknowledged {op}, not {self._acked}")
            self._acked = max(self._acked, op + 1)
            self.figures.acked = self._acked
        elif kind == "STATE":
            self._check_state(json.loads(rest), start)
        elif kind not in {"READY", "DONE"}:
            self._problem("worker_errors", f"worker {pid} said {line!r}")

    def _check_state(self, state: dict[str, Any], start: int) -> None:
        self.figures.restarts_checked += 1
        if state["integrity"] != "ok":
            self._problem("integrity_failures", f"integrity_check: {state['integrity']}")
        if state["below"] != start:
            self._problem("lost", f"{start - state['below']} acknowledged ops missing")
        if state["above"] or state["repeated"] or state["help_rows"] != state["help_events"]:
            self._problem("duplicates", f"unexpected rows at restart: {state}")
        if state["balance"] != state["expected_balance"]:
            self._problem("balance_errors", f"balance {state['balance']}: {state}")
        if state["chain"] != "skipped":
            self.figures.chains_checked += 1
            if state["chain"] != "ok":
                self._problem("chain_failures", f"audit chain {state['chain']}")
        if state["at"]:
            self.figures.in_flight_committed += 1

    def _problem(self, counter: str, message: str) -> None:
        setattr(self.figures, counter, getattr(self.figures, counter) + 1)
        self.figures.problems.append(f"{counter}: {message}")

    # -------------------------------------------------------------- the last word

    def _check_from_outside(self) -> None:
        """After the clean finish: exactly the acknowledged ops, once each, nothing else."""
        done = self._acked
        want_help = {op for op in range(done) if not is_debit(op)}
        want_debit = {op for op in range(done) if is_debit(op)}
        conn = sqlite3.connect(self.db_path)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchall()
            if integrity != [("ok",)]:
                self._problem("integrity_failures", f"final integrity_check: {integrity}")
            help_ops = [
                _op_of_help_id(row[0])
                for row in conn.execute(
                    "SELECT id FROM help_requests WHERE station_id = ?", (STATION_ID,)
                )
            ]
            events = conn.execute(
                "SELECT json_extract(detail, '$.help_id'), count(*) FROM audit_events"
                " WHERE event_type = ? GROUP BY 1",
                (EVENT_HELP_REQUESTED,),
            ).fetchall()
            debit_rows = conn.execute("SELECT op, key, amount FROM durability_debits").fetchall()
            (balance,) = conn.execute("SELECT balance FROM durability_accounts").fetchone()
        finally:
            conn.close()
        missing = (want_help - set(help_ops)) | (want_debit - {row[0] for row in debit_rows})
        if missing:
            self._problem(
                "lost", f"{len(missing)} acknowledged ops missing: {sorted(missing)[:10]}"
            )
        extra = len(help_ops) - len(want_help) + len(debit_rows) - len(want_debit)
        if extra or any(count != 1 for _, count in events) or len(events) != len(want_help):
            self._problem("duplicates", f"{extra} extra rows; audit entries per call {events[:5]}")
        if len({row[1] for row in debit_rows}) != len(debit_rows):
            self._problem("duplicates", "repeated idempotency keys")
        expected = INITIAL_BALANCE - sum(debit_amount(op) for op in want_debit)
        if balance != expected:
            self._problem("balance_errors", f"final balance {balance}, expected {expected}")
        db = Database.sqlite_file(self.db_path)
        try:
            bad = AuditLog(db).verify()
        finally:
            db.dispose()
        self.figures.chains_checked += 1
        if bad is not None:
            self._problem("chain_failures", f"final audit chain breaks at {bad}")


def _python_path() -> str:
    """PYTHONPATH for the zygote: the project root first (``kiosk`` and ``tests``)."""
    root = str(Path(__file__).absolute().parents[2])
    return os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))


if __name__ == "__main__":
    main()
