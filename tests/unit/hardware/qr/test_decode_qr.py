"""Behaviour of ``hardware.qr.decode_qr``: payloads, geometry, input contract, robustness."""

from __future__ import annotations

import logging
from typing import Any

import cv2
import numpy as np
import pytest
import segno
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from bench import qrgen
from hardware import qr
from hardware.qr import decode_qr

VISITOR = "访客通行证：张三，3栋2单元501"


def _on_background(
    payload: str | bytes, *, angle: float = 0.0, eci: bool = False, seed: int = 3
) -> qrgen.Frame:
    """A 1280×720 BGR frame with one code in the middle of a cluttered background."""
    rng = np.random.default_rng(seed)
    frame = qrgen.background(rng)
    modules = qrgen.qr_modules(payload, eci=eci)
    side = qrgen._quiet_side(modules, 260.0)
    qrgen.place_code(frame, modules, qrgen._square(640, 360, side, angle))
    return frame


# ---------------------------------------------------------------- payloads


def test_ascii_payload() -> None:
    assert decode_qr(qrgen.render_code("HELLO-KIOSK-123")) == ["HELLO-KIOSK-123"]


def test_signed_token_payload_in_a_scene() -> None:
    token = qrgen.token_payload(np.random.default_rng(5), 200)
    assert len(token) == 200
    assert decode_qr(_on_background(token)) == [token]


def test_utf8_chinese() -> None:
    assert decode_qr(_on_background(VISITOR)) == [VISITOR]


def test_utf8_chinese_with_eci() -> None:
    assert decode_qr(_on_background(VISITOR, eci=True)) == [VISITOR]


def test_gb18030_chinese_without_eci() -> None:
    # Raw GB18030 bytes in byte mode, no ECI: what legacy Chinese generators emit.
    assert decode_qr(_on_background(VISITOR.encode("gb18030"))) == [VISITOR]


def test_gb18030_chinese_with_eci() -> None:
    qr_symbol = segno.make_qr(VISITOR, encoding="gb18030", eci=True)
    modules = np.pad(np.array(qr_symbol.matrix, dtype=np.uint8), 4)
    image = np.where(np.kron(modules, np.ones((6, 6), np.uint8)) > 0, 0, 255).astype(np.uint8)
    assert decode_qr(image) == [VISITOR]


@pytest.mark.parametrize("text", ["王明", "山田太郎"])
def test_kanji_mode_hanzi(text: str) -> None:
    # Plain ``segno.make`` writes hanzi that exist in JIS X 0208 in Kanji (Shift_JIS) mode.
    qr_symbol = segno.make(text, micro=False)
    assert qr_symbol.mode == "kanji"
    modules = np.pad(np.array(qr_symbol.matrix, dtype=np.uint8), 4)
    image = np.where(np.kron(modules, np.ones((6, 6), np.uint8)) > 0, 0, 255).astype(np.uint8)
    assert decode_qr(image) == [text]


@pytest.mark.parametrize("text", qrgen.CHINESE_TEXTS)
def test_every_generator_chinese_text_in_gb18030(text: str) -> None:
    assert decode_qr(qrgen.render_code(text.encode("gb18030"), module_px=4)) == [text]


# ---------------------------------------------------------------- geometry and scenes


@pytest.mark.parametrize("angle", [90.0, 180.0, 270.0, 33.0])
def test_rotated(angle: float) -> None:
    assert decode_qr(_on_background("ROTATED-PASS-0001", angle=angle)) == ["ROTATED-PASS-0001"]


def test_perspective() -> None:
    frame = qrgen.background(np.random.default_rng(9))
    modules = qrgen.qr_modules("https://pass.example.cn/v/PERSPECTIVE")
    corners = np.array([[450, 180], [820, 230], [790, 560], [480, 600]], np.float32)
    qrgen.place_code(frame, modules, corners)
    assert decode_qr(frame) == ["https://pass.example.cn/v/PERSPECTIVE"]


@pytest.mark.parametrize("category", ["rotation", "perspective", "chinese", "inverted"])
def test_generated_hard_cases(category: str) -> None:
    for sample in qrgen.generate_set(3, categories=[category]):
        assert decode_qr(sample.frame) == list(sample.expected), sample.index


def test_low_contrast_needs_and_gets_the_fallback() -> None:
    frame = qrgen.background(np.random.default_rng(0))
    modules = qrgen.qr_modules("https://pass.example.cn/v/LOWCONTRAST")
    qrgen.place_code(frame, modules, qrgen._square(640, 360, 300, 0), dark=120, light=136)
    grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    assert qr._decode(grey, [qr._PRIMARY]) == []  # zxing alone misses it
    assert decode_qr(frame) == ["https://pass.example.cn/v/LOWCONTRAST"]


def test_two_codes_give_two_texts_left_first() -> None:
    frame = qrgen.frame_with_codes(["LEFT-CODE", VISITOR])
    assert decode_qr(frame) == ["LEFT-CODE", VISITOR]


def test_order_is_top_first() -> None:
    frame = qrgen.background(np.random.default_rng(4))
    low = qrgen.qr_modules("LOWER-LEFT")
    high = qrgen.qr_modules("UPPER-RIGHT")
    qrgen.place_code(frame, low, qrgen._square(300, 520, 250, 0))
    qrgen.place_code(frame, high, qrgen._square(950, 200, 250, 0))
    assert decode_qr(frame) == ["UPPER-RIGHT", "LOWER-LEFT"]


def test_identical_codes_are_reported_once() -> None:
    frame = qrgen.frame_with_codes(["SAME", "SAME", "OTHER"], symbol_px=180.0)
    assert decode_qr(frame) == ["SAME", "OTHER"]


def test_no_code_gives_empty_list() -> None:
    for sample in qrgen.generate_set(3, categories=["negative"]):
        assert decode_qr(sample.frame) == []
    assert decode_qr(np.zeros((720, 1280, 3), np.uint8)) == []
    assert decode_qr(np.full((720, 1280), 255, np.uint8)) == []


# ---------------------------------------------------------------- input contract


@pytest.fixture(scope="module")
def bgr_frame() -> qrgen.Frame:
    return _on_background("LAYOUT-TEST")


def test_grey_bgr_bgra_and_single_channel(bgr_frame: qrgen.Frame) -> None:
    grey = cv2.cvtColor(bgr_frame, cv2.COLOR_BGR2GRAY)
    bgra = cv2.cvtColor(bgr_frame, cv2.COLOR_BGR2BGRA)
    for frame in (bgr_frame, grey, bgra, grey[:, :, None]):
        assert decode_qr(frame) == ["LAYOUT-TEST"], frame.shape


def test_non_contiguous_view(bgr_frame: qrgen.Frame) -> None:
    view = bgr_frame[40:-40, 60:-60]
    assert not view.flags["C_CONTIGUOUS"]
    assert decode_qr(view) == ["LAYOUT-TEST"]


def test_input_is_not_modified(bgr_frame: qrgen.Frame) -> None:
    before = bgr_frame.copy()
    decode_qr(bgr_frame)
    assert np.array_equal(before, bgr_frame)


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        (np.zeros((10, 10), np.float32), "uint8"),
        (np.zeros((10, 10, 3), np.int16), "uint8"),
        (np.zeros((10, 10, 2), np.uint8), "channels"),
        (np.zeros((10, 10, 5), np.uint8), "channels"),
        (np.zeros((10,), np.uint8), "2-D or 3-D"),
        (np.zeros((2, 10, 10, 3), np.uint8), "2-D or 3-D"),
        (np.uint8(7), "numpy.ndarray"),  # a numpy scalar, not an array
        (np.zeros((), np.uint8), "2-D or 3-D"),
        ([[0, 255], [255, 0]], "numpy.ndarray"),
        (None, "numpy.ndarray"),
    ],
)
def test_bad_input_raises_value_error(bad: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        decode_qr(bad)


@pytest.mark.parametrize("shape", [(0, 0), (0, 640), (480, 0), (0, 640, 3), (480, 640, 0)])
def test_empty_frames_give_empty_list(shape: tuple[int, ...]) -> None:
    frame = np.zeros(shape, np.uint8)
    if len(shape) == 3 and shape[2] == 0:
        with pytest.raises(ValueError, match="channels"):
            decode_qr(frame)
    else:
        assert decode_qr(frame) == []


def _valid_layout(shape: tuple[int, ...]) -> bool:
    return len(shape) == 2 or (len(shape) == 3 and shape[2] in (1, 3, 4))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hnp.arrays(
        dtype=np.uint8,
        shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=24),
    )
)
def test_random_uint8_arrays_never_raise_anything_else(frame: qrgen.Frame) -> None:
    if _valid_layout(frame.shape):
        result = decode_qr(frame)
        assert isinstance(result, list)
        assert all(isinstance(text, str) for text in result)
    else:
        with pytest.raises(ValueError, match="decode_qr expects"):
            decode_qr(frame)


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        dtype=st.sampled_from([np.int8, np.uint16, np.float32, np.float64, np.bool_]),
        shape=hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=8),
    )
)
def test_other_dtypes_raise_value_error(frame: Any) -> None:
    with pytest.raises(ValueError, match="uint8"):
        decode_qr(frame)


# ---------------------------------------------------------------- robustness


def test_decoder_exception_never_escapes(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(*_args: object, **_kwargs: object) -> list[object]:
        raise RuntimeError(f"bad symbol {VISITOR}")

    monkeypatch.setattr(zxingcpp, "read_barcodes", boom)
    with caplog.at_level(logging.DEBUG, logger="hardware.qr"):
        assert decode_qr(qrgen.render_code(VISITOR)) == []
    assert "RuntimeError" in caplog.text
    assert "张三" not in caplog.text  # payloads never reach the log


def test_failed_stage_does_not_stop_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    real = zxingcpp.read_barcodes
    calls = {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise MemoryError
        return real(*args, **kwargs)

    monkeypatch.setattr(zxingcpp, "read_barcodes", flaky)
    assert decode_qr(qrgen.render_code("SECOND-STAGE")) == ["SECOND-STAGE"]
    assert calls["n"] == 2


def test_bad_barcode_object_is_skipped(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = zxingcpp.read_barcodes

    class Broken:
        @property
        def position(self) -> Any:
            raise UnicodeDecodeError("utf-8", "张三".encode(), 0, 1, "bad")

    def with_broken(*args: Any, **kwargs: Any) -> Any:
        return [Broken(), *real(*args, **kwargs)]

    monkeypatch.setattr(zxingcpp, "read_barcodes", with_broken)
    with caplog.at_level(logging.DEBUG, logger="hardware.qr"):
        assert decode_qr(qrgen.render_code("STILL-HERE")) == ["STILL-HERE"]
    assert "UnicodeDecodeError" in caplog.text
    assert "张" not in caplog.text


def test_is_pure_and_repeatable(bgr_frame: qrgen.Frame) -> None:
    assert decode_qr(bgr_frame) == decode_qr(bgr_frame) == ["LAYOUT-TEST"]
