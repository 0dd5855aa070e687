"""RELIABILITY.md case 1: SIGKILL at random moments loses and duplicates nothing.

A worker process writes calls for help (through the real ``HelpService``) and payment-like
debits into the station's SQLite database (WAL, ``synchronous=FULL``) and acknowledges each
only after its commit; the harness kills it with SIGKILL at uniformly random moments, 250
times, restarting it after each kill. See :mod:`tests.integration.durability_worker`;
``bench/bench_kill_durability.py`` runs the same harness for thousands of kills.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.integration.durability_worker import KillHarness

KILLS = 250
SEED = int(os.environ.get("KIOSK_DURABILITY_SEED", random.randrange(2**32)))


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    harness = KillHarness(tmp_path / "station.db", seed=SEED)
    figures = harness.run(KILLS)
    summary = f"seed {SEED}: {figures.as_dict()}"
    assert figures.problems == [], summary
    assert figures.kills == KILLS, summary
    assert figures.restarts_checked >= KILLS * 0.8, summary  # early kills may skip STATE
    assert figures.acked >= KILLS, summary
    # The hard case happened: killed after a commit and before its ACK, then retried.
    assert figures.in_flight_committed >= 1, summary
    assert figures.chains_checked >= KILLS // 25, summary
    counts = (
        figures.lost,
        figures.duplicates,
        figures.integrity_failures,
        figures.balance_errors,
        figures.chain_failures,
        figures.worker_errors,
    )
    assert counts == (0, 0, 0, 0, 0, 0), summary
