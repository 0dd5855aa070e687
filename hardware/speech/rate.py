"""Speech rate in Chinese characters a minute (字/min) and its mapping onto espeak-ng.

Counting rule (:func:`count_speech_units`): one unit per CJK ideograph (Unified Ideographs and
Extension A, the Supplementary Ideographic Plane ranges, the Compatibility Ideographs, and 〇)
and one per decimal digit (ASCII ``0-9`` and full-width ``０-９``). Punctuation, spaces, Latin
letters and symbols count zero. Each hanzi is one spoken syllable, which is what makes 字/min a
rate; a digit is counted as one character as in the accessibility brief, but note that espeak-ng
reads a digit *string* as a number ("2024" → 两千零二十四), so calibration sentences avoid
multi-digit numbers. Durations include the pauses espeak-ng makes at punctuation and its final
pause, as a listener experiences them (ACCESSIBILITY item 28c measures the whole PCM).

espeak-ng's ``-s`` (and pyttsx3's ``rate``) is nominally "words per minute" and for the ``cmn``
voice does not equal 字/min. :func:`cpm_to_espeak_wpm` inverts a measured table (below);
``bench/bench_speech_rate.py --calibrate`` re-measures it when espeak-ng is upgraded.

English is spoken "at the same pace": one hanzi is one syllable and everyday English averages
about 1.4 syllables a word, so the English target is ``0.7 × rate_cpm`` words a minute
(200 字/min → 140 words/min, a comfortable pace for older listeners; 160 → 112, 250 → 175).
"""

from __future__ import annotations

import bisect
import re
from typing import Final, Literal

Lang = Literal["zh_CN", "en"]

#: espeak-ng accepts -s 80..450 (values outside are clamped by espeak-ng itself).
ESPEAK_MIN_WPM: Final = 80
ESPEAK_MAX_WPM: Final = 450

#: English words a minute per requested 字/min (see module docstring).
EN_WORDS_PER_CPM: Final = 0.7

#: The 60-unit calibration sentence of ACCESSIBILITY item 28c (16.4–20 s at 180–220 字/min).
CALIBRATION_SENTENCE_ZH: Final = (
    "欢迎来到幸福里社区服务站。请把身份证放在读卡器上，或者扫描预约二维码。"
    "如需帮助，请按屏幕下方的呼叫按钮，工作人员会马上过来为您服务。"
)

#: Typical kiosk prompts the rate table is pooled over (total units / total seconds).
CALIBRATION_CORPUS_ZH: Final = (
    CALIBRATION_SENTENCE_ZH,
    "您的血压测量已经完成，结果已经保存。请取走打印的小票，并把袖带放回原处，谢谢您的配合。",
    "请选择您要办理的业务：水电燃气缴费、健康测量、来访登记或者智能手机使用教程。",
    "缴费成功，本次共缴纳水费和电费，收据正在打印，请稍候。",
    "欢迎来到幸福里社区服务站，请轻触屏幕开始。",
    "请将手臂放入血压计袖带中，保持安静坐好，测量大约需要一分钟，期间请不要说话或移动。",
    "您已经成功登记来访信息，请在前台领取访客证，离开时请记得归还，祝您生活愉快。",
    "操作超时，系统将在十秒后返回首页。如果您还需要继续办理，请轻触屏幕任意位置。",
    "这是智能手机使用教程的第一课：如何接听电话。当手机响起时，请用手指按住绿色按钮并向上滑动。",
)

CALIBRATION_CORPUS_EN: Final = (
    "Welcome to the Happiness Lane community service station. Please touch the screen to begin.",
    "Please place your identity card on the reader, or scan the QR code of your appointment. "
    "If you need help, press the call button at the bottom of the screen and a staff member "
    "will come to you.",
    "Your blood pressure measurement is complete and the result has been saved. "
    "Please take the printed slip and put the cuff back.",
    "Payment successful. Your receipt is being printed, please wait a moment.",
)

# Measured with espeak-ng 1.51, voice cmn, 22 050 Hz, by `bench/bench_speech_rate.py --calibrate`:
# each sentence of CALIBRATION_CORPUS_ZH (9 sentences, 320 units) rendered with
# `espeak-ng -v cmn -s <wpm> --stdout`, duration = PCM frames / rate, pooled
# 字/min = 60 × Σunits / Σseconds. Between -s 100 and 300 this is a straight line,
# 字/min ≈ 0.908 × wpm − 7.3 (max residual 0.5 %); below 100 and above 300 it bends, hence the
# table and piecewise-linear interpolation. Single sentences scatter about ±9 % around the pooled
# value (at 200 字/min: 183–216); the 60-unit calibration sentence comes out at
# 160.8 / 203.1 / 254.2 字/min for requested 160 / 200 / 250 (+0.5 / +1.5 / +1.7 %).
#   (espeak -s, measured 字/min)
_ZH_WPM_TO_CPM: Final[tuple[tuple[int, float], ...]] = (
    (80, 70.1),
    (100, 83.7),
    (120, 101.1),
    (140, 119.9),
    (160, 137.9),
    (180, 156.3),
    (200, 174.4),
    (220, 192.8),
    (240, 210.0),
    (260, 229.2),
    (280, 247.0),
    (300, 264.9),
    (320, 276.6),
    (340, 291.2),
    (360, 303.5),
    (380, 318.0),
    (400, 337.5),
    (420, 354.5),
    (440, 373.5),
    (450, 378.5),
)

# Same run for CALIBRATION_CORPUS_EN with voice en: pooled words/min ÷ -s = 1.083 on average
# over -s 80..300 (1.070–1.135); single sentences vary more (0.95–1.28: English words differ in
# length much more than hanzi do).
_EN_MEASURED_WPM_PER_S: Final = 1.083

_CJK_OR_DIGIT = re.compile(
    "[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f0-9\uff10-\uff19]"
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def normalize_lang(lang: str) -> Lang:
    """Map a locale name to "zh_CN" or "en" ("zh", "zh-CN", "zh_Hans", "cmn", "en_US", …).

    Raises:
        ValueError: a language the kiosk does not speak.
    """
    key = lang.strip().replace("-", "_").lower()
    if key in {"zh", "zh_cn", "zh_hans", "zh_hans_cn", "cmn"}:
        return "zh_CN"
    if key == "en" or key.startswith("en_"):
        return "en"
    raise ValueError(f"unsupported speech language {lang!r}")


def count_speech_units(text: str) -> int:
    """Count hanzi and digits in ``text`` (the rule of the module docstring)."""
    return len(_CJK_OR_DIGIT.findall(text))


def count_words(text: str) -> int:
    """Count English words (letter/digit runs, apostrophes inside a word allowed)."""
    return len(_WORD.findall(text))


def _check_rate(rate_cpm: int) -> None:
    if rate_cpm <= 0:
        raise ValueError(f"rate must be a positive number of characters a minute, got {rate_cpm}")


def expected_duration_s(text: str, *, lang: str, rate_cpm: int) -> float:
    """How long ``text`` should take at ``rate_cpm`` (zh: units / rate; en: words / 0.7·rate)."""
    _check_rate(rate_cpm)
    if normalize_lang(lang) == "zh_CN":
        return 60.0 * count_speech_units(text) / rate_cpm
    return 60.0 * count_words(text) / (rate_cpm * EN_WORDS_PER_CPM)


def cpm_to_espeak_wpm(rate_cpm: int, lang: str) -> int:
    """espeak-ng ``-s`` value that speaks ``lang`` at ``rate_cpm`` 字/min.

    Clamped to espeak-ng's 80..450: for ``cmn`` that is about 70..379 字/min.

    Raises:
        ValueError: ``rate_cpm`` ≤ 0 or an unsupported language.
    """
    _check_rate(rate_cpm)
    if normalize_lang(lang) == "en":
        wpm = rate_cpm * EN_WORDS_PER_CPM / _EN_MEASURED_WPM_PER_S
    else:
        cpms = [cpm for _, cpm in _ZH_WPM_TO_CPM]
        i = bisect.bisect_left(cpms, rate_cpm)
        if i == 0:
            wpm = float(ESPEAK_MIN_WPM)
        elif i == len(cpms):
            wpm = float(ESPEAK_MAX_WPM)
        else:
            (w0, c0), (w1, c1) = _ZH_WPM_TO_CPM[i - 1], _ZH_WPM_TO_CPM[i]
            wpm = w0 + (w1 - w0) * (rate_cpm - c0) / (c1 - c0)
    return max(ESPEAK_MIN_WPM, min(ESPEAK_MAX_WPM, round(wpm)))
