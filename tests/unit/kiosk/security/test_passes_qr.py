"""An issued pass survives the trip through a QR code and the kiosk's decoder."""

from __future__ import annotations

import io
from typing import Any

import cv2
import numpy as np
import pytest
import segno

from hardware.qr import decode_qr
from tests.unit.kiosk.security.tokens import issue, verifier


def _render(text: str, *, scale: int) -> np.ndarray:
    buf = io.BytesIO()
    segno.make_qr(text, encoding="utf-8", error="m").save(buf, kind="png", scale=scale, border=4)
    image = cv2.imdecode(np.frombuffer(buf.getvalue(), np.uint8), cv2.IMREAD_GRAYSCALE)
    assert image is not None
    return image


@pytest.mark.parametrize("scale", [3, 8])
@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"visitor_name": "阿依古丽·买买提", "household": "7栋1单元302", "uses_allowed": 5},
        {"visitor_name": "名" * 10 + "ab", "household": "栋" * 10 + "12"},
    ],
)
def test_qr_round_trip(fields: dict[str, Any], scale: int) -> None:
    token = issue(**fields)
    assert decode_qr(_render(token, scale=scale)) == [token]
    assert verifier().verify(token).visitor_name == fields.get("visitor_name", "王小明")


def test_qr_on_a_camera_like_frame() -> None:
    token = issue()
    code = _render(token, scale=4)
    frame = np.full((720, 1280, 3), 180, np.uint8)
    h, w = code.shape
    frame[200 : 200 + h, 500 : 500 + w] = code[:, :, None]
    noisy = cv2.GaussianBlur(frame, (3, 3), 0.8)
    assert decode_qr(noisy) == [token]
