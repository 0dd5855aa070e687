"""Test set-up: offscreen Qt, throw-away directories, compiled translations."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

# NOTE: before any QApplication exists (pytest aborts without a display otherwise).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_HOME = Path(tempfile.mkdtemp(prefix="kiosk-test-home-"))
os.environ["HOME"] = str(_HOME)
os.environ["XDG_CONFIG_HOME"] = str(_HOME / "config")
os.environ["XDG_DATA_HOME"] = str(_HOME / "data")
os.environ["XDG_STATE_HOME"] = str(_HOME / "state")
os.environ["XDG_CACHE_HOME"] = str(_HOME / "cache")
os.environ.setdefault("XDG_RUNTIME_DIR", str(_HOME / "runtime"))
Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)

ROOT = Path(__file__).resolve().parent.parent


def _build_translations() -> None:
    """Compile i18n/*.ts when a .qm is missing or older (running pytest without the set-up)."""
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    for ts in sorted((ROOT / "i18n").glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            subprocess.run(
                [str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True, timeout=60
            )


_build_translations()

pytest_plugins = ["tests.helpers.fixtures"]
