"""The smallest PySide6 window program: the baseline of ``bench/bench_startup.py``.

    QT_QPA_PLATFORM=offscreen python bench/minimal_window.py

A QApplication and one QWidget holding a QLabel, shown the way the kiosk shows its window
(full screen over the primary screen). After the first turn of the event loop it prints
``READY ms=… rss_mb=…`` and exits, exactly as ``community-kiosk --quit-when-ready`` does:
a zero-time single-shot timer, ``processEvents()``, the line, then ``exit(0)``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

_T0 = time.perf_counter()

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget  # noqa: E402


def rss_mb() -> float:
    """Resident set size of this process in MB (same source as the kiosk: /proc VmRSS)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QWidget()
    layout = QVBoxLayout(window)
    label = QLabel("社区服务站 Hello")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(label)
    screen = QGuiApplication.primaryScreen()
    window.setGeometry(screen.geometry())
    window.showFullScreen()

    def ready() -> None:
        app.processEvents()
        ms = (time.perf_counter() - _T0) * 1000
        sys.stdout.write(f"READY ms={ms:.0f} rss_mb={rss_mb():.1f}\n")
        sys.stdout.flush()
        app.exit(0)

    QTimer.singleShot(0, ready)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
