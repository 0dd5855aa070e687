"""Guard against the PySide6 6.12.0 reference-count bug (pinned out in pyproject.toml).

With shiboken6 6.12.0 on CPython 3.11, every void Qt call (``setText``, ``setEnabled``...)
dropped one reference to ``None`` and every ``Signal.emit`` one to ``True``: a kiosk
aborted ("none_dealloc") after a few thousand touches. 3.12+ makes both immortal, so the
bug only shows on 3.11, the Python these machines run. This test fails on an affected
PySide6, so an upgrade cannot bring it back unnoticed.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel


class _Emitter(QObject):
    fired = Signal(int)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None and True are immortal on 3.12+")
def test_void_calls_and_emits_keep_none_and_true_alive(qapp: QApplication) -> None:
    label = QLabel()
    emitter = _Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(200):
        label.setText(str(i))
        label.setEnabled(True)
        emitter.fired.emit(i)
    # A few references may come and go with the objects above, never one per call.
    assert sys.getrefcount(None) > none_before - 50
    assert sys.getrefcount(True) > true_before - 50
