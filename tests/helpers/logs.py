"""Log set-up for tests that read the kiosk's log file."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from kiosk.log import setup_logging
from kiosk.masking import RedactingFilter


def installed_log(tmp_path: Path, level: str) -> Iterator[Callable[[], str]]:
    """``setup_logging`` into ``tmp_path``; yields a reader; removes the handlers after."""
    root = logging.getLogger()
    saved_level = root.level
    path = setup_logging(tmp_path / "log", level=level, retention_days=180)

    def ours() -> list[logging.Handler]:
        return [h for h in root.handlers if any(isinstance(f, RedactingFilter) for f in h.filters)]

    def read() -> str:
        for handler in ours():
            handler.flush()
        return path.read_text(encoding="utf-8")

    yield read
    for handler in ours():
        root.removeHandler(handler)
        handler.close()
    root.setLevel(saved_level)
