"""The synthetic QR set and camera stand-in video of ``bench/qrgen.py``."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from bench import qrgen
from hardware.qr import decode_qr


def test_set_is_deterministic_and_complete() -> None:
    first = qrgen.generate_set(1, seed=99)
    second = qrgen.generate_set(1, seed=99)
    assert [s.category for s in first] == list(qrgen.CATEGORIES)
    for a, b in zip(first, second, strict=True):
        assert a.frame.shape == (qrgen.HEIGHT, qrgen.WIDTH, 3)
        assert a.frame.dtype == np.uint8
        assert np.array_equal(a.frame, b.frame)
        assert a.expected == b.expected
        assert (a.category == "negative") == (a.expected == ())
    other = qrgen.generate_set(1, seed=100)
    assert not np.array_equal(first[0].frame, other[0].frame)


def test_unknown_category_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown category"):
        qrgen.generate_set(1, categories=["sepia"])


def test_chinese_category_mixes_utf8_and_gb18030() -> None:
    samples = qrgen.generate_set(3, categories=["chinese"])
    assert all(s.expected[0] in qrgen.CHINESE_TEXTS for s in samples)


def test_video_shows_the_code_after_n_frames(tmp_path: Path) -> None:
    path = qrgen.write_video(
        tmp_path / "cam.avi", "VIDEO-PASS", frames_before=4, frames_total=10, fourcc="MJPG"
    )
    cap = cv2.VideoCapture(str(path))
    decoded: list[list[str]] = []
    try:
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            decoded.append(decode_qr(frame))
    finally:
        cap.release()
    assert len(decoded) == 10
    assert decoded[:4] == [[]] * 4
    assert decoded[4:] == [["VIDEO-PASS"]] * 6
