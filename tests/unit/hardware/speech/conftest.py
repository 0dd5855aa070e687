"""Fixtures for the speech engine tests: stand-in players, since there is no sound card here.

A "player" is any command reading a WAV stream on stdin. These replace ``aplay -q -``:

* ``paced_player``: consumes audio at real-time pace (44 100 bytes/s = 22 050 Hz mono 16-bit),
  so ``speak`` blocks as long as it would on a speaker.
* ``capture_player``: writes what it receives to a file for analysis.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

PACED_SINK = "import sys, time\nwhile sys.stdin.buffer.read(4410):\n    time.sleep(0.1)\n"
CAPTURE_SINK = (
    "import shutil, sys\n"
    "with open(sys.argv[1], 'wb') as out:\n"
    "    shutil.copyfileobj(sys.stdin.buffer, out)\n"
)


@pytest.fixture
def paced_player() -> tuple[str, ...]:
    return (sys.executable, "-c", PACED_SINK)


@pytest.fixture
def capture_path(tmp_path: Path) -> Path:
    return tmp_path / "captured.wav"


@pytest.fixture
def capture_player(capture_path: Path) -> tuple[str, ...]:
    return (sys.executable, "-c", CAPTURE_SINK, str(capture_path))
