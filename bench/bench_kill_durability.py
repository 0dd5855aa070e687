"""Crash-durability bench: SIGKILL a writing kiosk process thousands of times.

    python bench/bench_kill_durability.py [--kills N] [--seed S] [--spawn] [--keep DIR]

Runs the harness of ``tests/integration/durability_worker.py`` (the test runs it for 250
kills): a worker writes calls for help through the real ``HelpService`` and payment-like
debits (UNIQUE idempotency key + balance update in one transaction) into the station's
SQLite database (WAL, ``synchronous=FULL``), acknowledging each only after its commit. It is
killed with SIGKILL 0 to 50 ms after it is ready (a tenth of the kills land 0 to 15 ms after
its start, during recovery) and restarted, retrying the op in flight with the same key. Every
restart checks ``PRAGMA integrity_check``, that every acknowledged op is there and nothing
else, and the balance; every 25th walks the audit hash chain; the end checks it all again
from outside.

Workers are forked from a zygote that has imported everything (``--spawn``: a fresh
interpreter per worker, ≈ 1 s each). Prints the figures as JSON; exits 1 if anything was
lost, duplicated or corrupt. Target (RELIABILITY.md case 1): ≥ 500 kills, 0 lost, 0
duplicated, integrity ok after every restart.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.integration.durability_worker import KillHarness


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--max-delay-ms", type=float, default=50.0)
    parser.add_argument("--spawn", action="store_true", help="a fresh interpreter per worker")
    parser.add_argument("--keep", type=Path, help="put the database here and keep it")
    options = parser.parse_args()
    seed = options.seed if options.seed is not None else random.randrange(2**32)
    directory = options.keep or Path(tempfile.mkdtemp(prefix="kiosk-kill-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    harness = KillHarness(
        directory / "station.db",
        seed=seed,
        max_delay_s=options.max_delay_ms / 1000,
        spawn=options.spawn,
    )
    print(f"==> {options.kills} kills, seed {seed}, database {directory / 'station.db'}")
    try:
        figures = harness.run(options.kills, progress_every=max(options.kills // 10, 1))
    finally:
        if options.keep is None:
            shutil.rmtree(directory, ignore_errors=True)
    result = {"seed": seed, "mode": "spawn" if options.spawn else "fork", **figures.as_dict()}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    failed = figures.problems or figures.lost or figures.duplicates or figures.integrity_failures
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
