"""The shared duplicate rule: dropped within the window after the *last* sighting."""

from __future__ import annotations

import pytest

from hardware.camera.debounce import Debouncer
from tests.helpers.fixtures import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_repeat_within_window_is_dropped(clock: FakeClock) -> None:
    debouncer = Debouncer(3.0, clock=clock)
    assert debouncer.accept("访客A")
    clock.advance(2.9)
    assert not debouncer.accept("访客A")


def test_repeat_after_window_since_last_sighting_is_reported(clock: FakeClock) -> None:
    debouncer = Debouncer(3.0, clock=clock)
    assert debouncer.accept("访客A")
    clock.advance(3.0)
    assert debouncer.accept("访客A")


def test_every_sighting_restarts_the_window(clock: FakeClock) -> None:
    """A pass held up for ten seconds (seen every 0.5 s) is reported once."""
    debouncer = Debouncer(3.0, clock=clock)
    results = []
    for _ in range(20):
        results.append(debouncer.accept("访客A"))
        clock.advance(0.5)
    assert results == [True] + [False] * 19


def test_texts_are_independent(clock: FakeClock) -> None:
    debouncer = Debouncer(3.0, clock=clock)
    assert debouncer.accept("A")
    assert debouncer.accept("B")
    assert not debouncer.accept("A")


def test_reset_forgets(clock: FakeClock) -> None:
    debouncer = Debouncer(3.0, clock=clock)
    assert debouncer.accept("A")
    debouncer.reset()
    assert debouncer.accept("A")


def test_memory_is_bounded_by_the_window(clock: FakeClock) -> None:
    debouncer = Debouncer(1.0, clock=clock)
    for i in range(100):
        debouncer.accept(f"PASS-{i}")
    assert len(debouncer) == 100
    clock.advance(1.0)
    assert len(debouncer) == 0


def test_zero_window_reports_everything_and_negative_is_rejected(clock: FakeClock) -> None:
    debouncer = Debouncer(0.0, clock=clock)
    assert debouncer.accept("A")
    assert debouncer.accept("A")
    with pytest.raises(ValueError, match="window_s"):
        Debouncer(-1.0)
