"""Logging for unattended runs: daily rotating files, and no personal data in any line.

Code logs no personal data in the first place (event types, ids, counts only). As a second
line of defence, a filter masks anything that looks like a mainland mobile number or a
resident ID number before a record reaches a handler.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from kiosk.masking import RedactingFilter

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_dir: Path, *, level: str = "INFO", retention_days: int = 180) -> Path:
    """Log to ``log_dir/kiosk.log``, rotated at midnight, ``retention_days`` files kept."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "kiosk.log"
    handler = logging.handlers.TimedRotatingFileHandler(
        path, when="midnight", backupCount=retention_days, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    console = logging.StreamHandler()
    console.setFormatter(logging.Formatter(FORMAT))
    console.addFilter(RedactingFilter())
    console.setLevel(logging.WARNING)
    root = logging.getLogger()
    root.setLevel(level)
    for old in _installed:
        root.removeHandler(old)
        old.close()
    _installed[:] = [handler, console]
    for new in _installed:
        root.addHandler(new)
    return path


_installed: list[logging.Handler] = []
