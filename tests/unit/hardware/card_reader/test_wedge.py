"""WedgeDecoder: key-burst timing, Qt-free."""

from __future__ import annotations

import pytest

from hardware.card_reader.wedge import Decision, WedgeDecoder

MS = 0.001


def burst(decoder: WedgeDecoder, text: str, t0: float, gap: float) -> tuple[float, str]:
    """Feed ``text`` ``gap`` apart; returns the time of the last key and what was released."""
    released = ""
    t = t0
    for i, ch in enumerate(text):
        t = t0 + i * gap
        decision = decoder.feed(ch, t)
        released += decision.release + ("" if decision.hold else ch)
    return t, released


def test_fast_burst_with_enter_is_a_card() -> None:
    decoder = WedgeDecoder()
    t, released = burst(decoder, "04A1B2C3", 10.0, 5 * MS)
    assert released == ""
    assert decoder.pending
    assert decoder.held_count == 8
    assert decoder.enter(t + 5 * MS) == "04A1B2C3"
    assert not decoder.pending


def test_every_key_is_held_while_it_may_be_a_card() -> None:
    decoder = WedgeDecoder()
    assert decoder.feed("0", 1.0) == Decision(hold=True)
    assert decoder.feed("4", 1.0 + 20 * MS) == Decision(hold=True)


def test_slow_typing_is_released_on_each_gap() -> None:
    decoder = WedgeDecoder()
    assert decoder.feed("1", 1.0) == Decision(hold=True)
    assert decoder.feed("2", 1.12) == Decision(hold=True, release="1")
    assert decoder.feed("3", 1.24) == Decision(hold=True, release="2")
    assert decoder.expire(1.25) == ""  # not quiet long enough yet
    assert decoder.expire(1.30) == "3"
    assert decoder.enter(1.36) is None
    assert decoder.flush() == ""


def test_enter_too_late_or_too_early_is_not_a_card() -> None:
    decoder = WedgeDecoder()
    t, _ = burst(decoder, "04A1B2C3", 1.0, 5 * MS)
    assert decoder.enter(t + 200 * MS) is None
    assert decoder.flush() == "04A1B2C3"
    t, _ = burst(decoder, "04A", 5.0, 5 * MS)  # below min_length
    assert decoder.enter(t + 5 * MS) is None
    assert decoder.flush() == "04A"
    assert decoder.enter(9.0) is None  # Enter alone


def test_a_slow_gap_splits_a_burst() -> None:
    """The head is released as typing; the tail is judged on its own (too short here)."""
    decoder = WedgeDecoder()
    burst(decoder, "04A1B2", 1.0, 5 * MS)
    assert decoder.feed("C", 1.025 + 50 * MS) == Decision(hold=True, release="04A1B2")
    assert decoder.feed("3", 1.080) == Decision(hold=True)
    assert decoder.enter(1.085) is None
    assert decoder.flush() == "C3"


def test_characters_not_allowed_spoil_the_run_until_a_gap() -> None:
    decoder = WedgeDecoder()
    burst(decoder, "04", 1.0, 5 * MS)
    assert decoder.feed("x", 1.010) == Decision(hold=False, release="04")
    # the rest of this fast run (a barcode scanner, a fast typist) goes straight through
    assert decoder.feed("A", 1.015) == Decision(hold=False)
    assert decoder.feed("1", 1.020) == Decision(hold=False)
    assert decoder.enter(1.025) is None
    # a later run is judged afresh
    t, released = burst(decoder, "04A1B2C3", 3.0, 5 * MS)
    assert released == ""
    assert decoder.enter(t + 5 * MS) == "04A1B2C3"


def test_interrupt_releases_and_spoils() -> None:
    decoder = WedgeDecoder()
    burst(decoder, "04A1", 1.0, 5 * MS)
    assert decoder.interrupt(1.02) == "04A1"
    assert decoder.feed("B", 1.025) == Decision(hold=False)


def test_flush_then_late_keys_of_the_same_run_pass_through() -> None:
    """The caller's timer fired (event loop lag) but the burst goes on: its tail is typing."""
    decoder = WedgeDecoder()
    burst(decoder, "04A1", 1.0, 5 * MS)
    assert decoder.flush() == "04A1"
    t, released = burst(decoder, "B2C3D4", 1.020, 5 * MS)
    assert released == "B2C3D4"
    assert decoder.enter(t + 5 * MS) is None


def test_too_long_is_typing() -> None:
    decoder = WedgeDecoder(max_length=8)
    t, released = burst(decoder, "0123456789AB", 1.0, 2 * MS)
    assert released == "0123456789AB"
    assert decoder.enter(t + 2 * MS) is None
    t, released = burst(decoder, "01234567", 2.0, 2 * MS)
    assert decoder.enter(t + 2 * MS) == "01234567"  # exactly max_length is fine


def test_configurable_gap_and_alphabet() -> None:
    decoder = WedgeDecoder(max_gap_s=0.060, min_length=2, allowed="0123456789")
    t, released = burst(decoder, "42", 1.0, 50 * MS)
    assert released == ""
    assert decoder.enter(t + 50 * MS) == "42"
    assert decoder.feed("A", 2.0) == Decision(hold=False)


def test_negative_time_difference_counts_as_a_gap() -> None:
    decoder = WedgeDecoder()
    decoder.feed("1", 5.0)
    assert decoder.feed("2", 4.0) == Decision(hold=True, release="1")


def test_reset() -> None:
    decoder = WedgeDecoder()
    burst(decoder, "04A1", 1.0, 5 * MS)
    decoder.reset()
    assert not decoder.pending
    assert decoder.flush() == ""


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_gap_s": 0.0},
        {"max_gap_s": 2.0},
        {"min_length": 0},
        {"min_length": 9, "max_length": 8},
        {"allowed": ""},
        {"allowed": ["ab"]},
        {"allowed": "01\r"},
    ],
)
def test_bad_settings(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"must|need"):
        WedgeDecoder(**kwargs)  # type: ignore[arg-type]
