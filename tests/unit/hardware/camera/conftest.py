"""Fixtures for the camera scanner tests: scanners that are always stopped, no thread left."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from hardware.camera.opencv_qr import OpenCvQrScanner
from tests.unit.hardware.camera.fakes import FakeFactory, scanner_threads, wait_for

MakeScanner = Callable[..., OpenCvQrScanner]


@pytest.fixture
def make_scanner() -> Iterator[MakeScanner]:
    """Build OpenCvQrScanner(...); at teardown stop them, open every fake's gates and check
    that no scanner or capture thread is left behind."""
    made: list[tuple[OpenCvQrScanner, Any]] = []

    def make(source: int | str = 0, **kwargs: Any) -> OpenCvQrScanner:
        scanner = OpenCvQrScanner(source, **kwargs)
        made.append((scanner, kwargs.get("capture_factory")))
        return scanner

    yield make
    for scanner, factory in made:
        if isinstance(factory, FakeFactory):  # unblock stuck fakes first: stop() is then quick
            if factory.open_gate is not None:
                factory.open_gate.set()
            for capture in factory.handed_out + factory.captures:
                capture.gate.set()
        scanner.stop()
    assert wait_for(lambda: not scanner_threads(), timeout=2.0), scanner_threads()
