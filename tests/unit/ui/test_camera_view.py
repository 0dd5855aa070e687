"""CameraView: polls its provider, paints BGR frames with the right colours, fits and mirrors
them, and falls back to the placeholder text."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from ui.widgets.camera_view import CameraView, frame_to_qimage

pytestmark = pytest.mark.gui

RED_BGR = (0, 0, 255)
BLUE_BGR = (255, 0, 0)


def _halves(height: int = 20, width: int = 40) -> np.ndarray:
    """Left half red, right half blue (BGR)."""
    frame = np.zeros((height, width, 3), dtype=np.uint8)
    frame[:, : width // 2] = RED_BGR
    frame[:, width // 2 :] = BLUE_BGR
    return frame


def _grab(view: CameraView) -> QImage:
    return view.grab().toImage()


def _is(colour: QColor, rgb: tuple[int, int, int], tolerance: int = 10) -> bool:
    return all(
        abs(a - b) <= tolerance
        for a, b in zip((colour.red(), colour.green(), colour.blue()), rgb, strict=True)
    )


class Provider:
    """A frame provider the test switches between frames and None."""

    def __init__(self, frame: object = None) -> None:
        self.frame = frame
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.frame


def _shown(qtbot: QtBot, view: CameraView, width: int = 200, height: int = 100) -> CameraView:
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_timer_tick_paints_the_frame_colours(qtbot: QtBot) -> None:
    provider = Provider()
    view = _shown(qtbot, CameraView(provider))
    view.set_placeholder_text("摄像头不可用，请手动输入")
    assert not view.has_frame()
    assert view.placeholder.isVisible()
    assert view.is_polling()

    provider.frame = _halves()  # the next tick picks it up
    qtbot.waitUntil(view.has_frame, timeout=1000)
    assert not view.placeholder.isVisible()
    image = _grab(view)
    assert _is(image.pixelColor(40, 50), (255, 0, 0))  # red on the left
    assert _is(image.pixelColor(160, 50), (0, 0, 255))  # blue on the right


def test_mirrored(qtbot: QtBot) -> None:
    view = _shown(qtbot, CameraView(Provider(_halves()), mirrored=True))
    assert view.has_frame()
    image = _grab(view)
    assert _is(image.pixelColor(40, 50), (0, 0, 255))
    assert _is(image.pixelColor(160, 50), (255, 0, 0))
    view.set_mirrored(False)
    image = _grab(view)
    assert _is(image.pixelColor(40, 50), (255, 0, 0))


def test_aspect_ratio_is_kept(qtbot: QtBot) -> None:
    """A 2:1 frame in a square widget: letterboxed, centred."""
    view = _shown(qtbot, CameraView(Provider(_halves())), width=100, height=100)
    image = _grab(view)
    background = view.palette().window().color()
    assert image.pixelColor(25, 5) == background  # bar above
    assert image.pixelColor(25, 94) == background  # bar below
    assert _is(image.pixelColor(25, 50), (255, 0, 0))
    assert _is(image.pixelColor(75, 50), (0, 0, 255))


def test_placeholder_when_the_frame_goes_away(qtbot: QtBot) -> None:
    provider = Provider(_halves())
    view = _shown(qtbot, CameraView(provider))
    view.set_placeholder_text("Camera unavailable")
    assert view.has_frame()
    provider.frame = None
    view.refresh()
    assert not view.has_frame()
    assert view.placeholder.isVisible()
    assert view.placeholder_text() == "Camera unavailable"
    image = _grab(view)
    assert not _is(image.pixelColor(40, 50), (255, 0, 0))


def test_same_frame_object_is_not_converted_again(qtbot: QtBot) -> None:
    provider = Provider(_halves())
    view = _shown(qtbot, CameraView(provider))
    first = view.image()
    qtbot.waitUntil(lambda: provider.calls >= 3, timeout=1000)
    assert view.image() is first


def test_provider_raising_shows_the_placeholder(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> object:
        raise RuntimeError("camera gone")

    view = _shown(qtbot, CameraView(broken))
    view.refresh()
    view.refresh()
    assert not view.has_frame()
    assert view.placeholder.isVisible()
    assert caplog.text.count("RuntimeError") == 1


def test_not_interactive_and_polls_only_when_shown(qtbot: QtBot) -> None:
    provider = Provider()
    view = CameraView(provider)
    qtbot.addWidget(view)
    assert view.property("kiosk_interactive") is False
    assert not view.is_polling()
    view.show()
    qtbot.waitExposed(view)
    assert view.is_polling()
    view.hide()
    assert not view.is_polling()
    calls = provider.calls
    qtbot.wait(120)
    assert provider.calls == calls


def test_set_frame_provider_and_unusable_frames(qtbot: QtBot) -> None:
    view = _shown(qtbot, CameraView())
    assert not view.has_frame()
    view.set_frame_provider(Provider(np.zeros((10, 10, 3), dtype=np.float32)))
    assert not view.has_frame()
    view.set_frame_provider(Provider(_halves()))
    assert view.has_frame()
    view.set_frame_provider(None)
    assert not view.has_frame()


# ---------------------------------------------------------------- conversion


def test_odd_width_uses_the_real_stride() -> None:
    """101 px × 3 bytes = 303 bytes a line: not 32-bit aligned."""
    frame = np.zeros((7, 101, 3), dtype=np.uint8)
    frame[:, :, 2] = 255  # red
    frame[:, 100] = (0, 255, 0)  # last column green
    image = frame_to_qimage(frame)
    assert image is not None
    assert (image.width(), image.height()) == (101, 7)
    for y in range(7):
        assert _is(image.pixelColor(0, y), (255, 0, 0), 0)
        assert _is(image.pixelColor(99, y), (255, 0, 0), 0)
        assert _is(image.pixelColor(100, y), (0, 255, 0), 0)


def test_non_contiguous_view() -> None:
    big = _halves(20, 40)
    view = big[::2, 10:30]  # strided rows, offset columns
    image = frame_to_qimage(view)
    assert image is not None
    assert (image.width(), image.height()) == (20, 10)
    assert _is(image.pixelColor(0, 0), (255, 0, 0), 0)
    assert _is(image.pixelColor(19, 9), (0, 0, 255), 0)


def test_image_owns_its_pixels() -> None:
    frame = _halves()
    image = frame_to_qimage(frame)
    assert image is not None
    frame[:] = 0
    del frame
    assert _is(image.pixelColor(0, 0), (255, 0, 0), 0)


def test_grey_and_bgra_frames() -> None:
    grey = np.full((4, 6), 128, dtype=np.uint8)
    image = frame_to_qimage(grey)
    assert image is not None
    assert _is(image.pixelColor(1, 1), (128, 128, 128), 0)
    image = frame_to_qimage(grey[..., None])
    assert image is not None
    assert _is(image.pixelColor(1, 1), (128, 128, 128), 0)
    bgra = np.zeros((4, 6, 4), dtype=np.uint8)
    bgra[...] = (255, 0, 0, 255)  # blue, opaque
    image = frame_to_qimage(bgra)
    assert image is not None
    assert _is(image.pixelColor(2, 2), (0, 0, 255), 0)


@pytest.mark.parametrize(
    "frame",
    [
        None,
        "not a frame",
        np.zeros((0, 10, 3), dtype=np.uint8),
        np.zeros((4, 4, 2), dtype=np.uint8),
        np.zeros((4, 4, 3), dtype=np.uint16),
        np.zeros((2, 2, 2, 3), dtype=np.uint8),
    ],
)
def test_unusable_input_gives_none(frame: object) -> None:
    assert frame_to_qimage(frame) is None


def test_logging_is_quiet_for_good_frames(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="ui.widgets.camera_view")
    view = _shown(qtbot, CameraView(Provider(_halves())))
    view.refresh()
    assert caplog.records == []
