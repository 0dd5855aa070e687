"""Counting rule and the 字/min → espeak-ng -s mapping (no synthesis)."""

from __future__ import annotations

import pytest

from hardware.speech.rate import (
    CALIBRATION_CORPUS_ZH,
    CALIBRATION_SENTENCE_ZH,
    ESPEAK_MAX_WPM,
    ESPEAK_MIN_WPM,
    count_speech_units,
    count_words,
    cpm_to_espeak_wpm,
    expected_duration_s,
    normalize_lang,
)


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("欢迎来到幸福里社区服务站，请轻触屏幕开始。", 19),
        ("请到3号窗口", 6),  # a digit counts as one
        ("请到３号窗口", 6),  # full-width digit too
        ("Hello，世界！", 2),  # Latin letters and punctuation count zero
        ("〇", 1),
        ("𠀀", 1),  # Extension B
        ("", 0),
    ],
)
def test_count_speech_units(text: str, units: int) -> None:
    assert count_speech_units(text) == units


def test_calibration_sentence_has_60_units() -> None:
    assert count_speech_units(CALIBRATION_SENTENCE_ZH) == 60
    assert CALIBRATION_SENTENCE_ZH in CALIBRATION_CORPUS_ZH


def test_count_words() -> None:
    assert count_words("Please don't touch the screen, 2 times.") == 7


@pytest.mark.parametrize(
    ("lang", "key"),
    [("zh_CN", "zh_CN"), ("zh-CN", "zh_CN"), ("zh", "zh_CN"), ("en", "en"), ("en_US", "en")],
)
def test_normalize_lang(lang: str, key: str) -> None:
    assert normalize_lang(lang) == key


@pytest.mark.parametrize("lang", ["fr", "zh_TW", "yue", ""])
def test_unsupported_language_is_rejected(lang: str) -> None:
    with pytest.raises(ValueError, match="unsupported speech language"):
        normalize_lang(lang)


def test_zh_mapping_is_monotonic_and_clamped() -> None:
    values = [cpm_to_espeak_wpm(cpm, "zh_CN") for cpm in range(40, 500, 5)]
    assert values == sorted(values)
    assert values[0] == ESPEAK_MIN_WPM
    assert values[-1] == ESPEAK_MAX_WPM


def test_zh_mapping_of_the_kiosk_steps() -> None:
    # From the measured table: 160 → 184, 200 → 228, 250 → 283.
    assert [cpm_to_espeak_wpm(c, "zh_CN") for c in (160, 200, 250)] == [184, 228, 283]


def test_english_is_paced_from_the_same_rate() -> None:
    # 200 字/min → 140 words/min target → -s 140 / 1.083.
    assert cpm_to_espeak_wpm(200, "en") == 129
    assert (
        cpm_to_espeak_wpm(160, "en") < cpm_to_espeak_wpm(200, "en") < cpm_to_espeak_wpm(250, "en")
    )


@pytest.mark.parametrize("rate", [0, -10])
def test_non_positive_rate_is_rejected(rate: int) -> None:
    with pytest.raises(ValueError, match="rate"):
        cpm_to_espeak_wpm(rate, "zh_CN")


def test_expected_duration() -> None:
    assert expected_duration_s(CALIBRATION_SENTENCE_ZH, lang="zh_CN", rate_cpm=200) == 18.0
    assert expected_duration_s("one two three four five six seven", lang="en", rate_cpm=100) == (
        pytest.approx(6.0)
    )
