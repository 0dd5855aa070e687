"""Live camera preview: polls a frame provider and paints the newest frame, or a placeholder.

The widget knows nothing about cameras: it is given a callable returning the newest frame
(a ``numpy.uint8`` array, BGR ``(h, w, 3)``, grey ``(h, w)``/``(h, w, 1)`` or BGRA
``(h, w, 4)``) or None, e.g. the scanner's ``latest_frame`` handed down by the flow. Scanners
return None while the camera is not READY, so a lost camera shows the placeholder text (set
by the screen, e.g. "Camera unavailable — please type the code") instead of a frozen picture.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QHideEvent, QImage, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.screen import plain_label

__all__ = ["CameraView", "FrameProvider", "frame_to_qimage"]

_log = logging.getLogger(__name__)

#: Returns the newest frame, or None when there is nothing to show.
FrameProvider = Callable[[], object]


def frame_to_qimage(frame: object) -> QImage | None:
    """A QImage that owns a copy of ``frame``'s pixels; None if ``frame`` is not an image.

    Accepts ``uint8`` arrays shaped ``(h, w)`` or ``(h, w, 1)`` (grey), ``(h, w, 3)`` (BGR)
    and ``(h, w, 4)`` (BGRA), contiguous or not (rows of any width: the line stride is passed
    explicitly, so widths whose rows are not 32-bit aligned come out right).
    """
    import numpy as np  # here, not at the top: numpy costs ~80 ms of start-up

    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.size == 0:
        return None
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    if frame.ndim == 2:
        fmt = QImage.Format.Format_Grayscale8
    elif frame.ndim == 3 and frame.shape[2] == 3:
        fmt = QImage.Format.Format_BGR888
    elif frame.ndim == 3 and frame.shape[2] == 4:
        # BGRA → RGBA bytes: Format_RGBA8888 is byte-ordered on every platform.
        frame = frame[:, :, [2, 1, 0, 3]]
        fmt = QImage.Format.Format_RGBA8888
    else:
        return None
    pixels = np.ascontiguousarray(frame)
    height, width = pixels.shape[:2]
    # NOTE: QImage only borrows ``pixels``; copy() before it goes out of scope.
    return QImage(pixels.data, width, height, pixels.strides[0], fmt).copy()


def _fit(image: QSize, area: QRectF) -> QRectF:
    """The largest rectangle with ``image``'s aspect ratio centred in ``area``."""
    if image.isEmpty() or area.isEmpty():
        return QRectF()
    scale = min(area.width() / image.width(), area.height() / image.height())
    width, height = image.width() * scale, image.height() * scale
    return QRectF(
        area.x() + (area.width() - width) / 2,
        area.y() + (area.height() - height) / 2,
        width,
        height,
    )


class CameraView(QWidget):
    """Camera preview for the scan screens. Not interactive (``kiosk_interactive`` False).

    While shown, a timer calls the frame provider ``fps`` times a second; a new frame (a
    different array object: providers hand out a new array per camera frame and never write
    to one they returned) is converted and painted scaled to fit, aspect ratio kept, optionally
    mirrored (a front camera then behaves like a mirror). No provider, None, an unusable
    array or a provider that raises shows the placeholder label. Hidden, it polls nothing.

    Attributes:
        placeholder: The plain-text label shown when there is no frame.
    """

    def __init__(
        self,
        frame_provider: FrameProvider | None = None,
        *,
        fps: float = 20.0,
        mirrored: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cameraView")
        self.setProperty("kiosk_interactive", False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._provider = frame_provider
        self._mirrored = mirrored
        self._image: QImage | None = None
        self._last_frame: object = None
        self._provider_failed = False
        self.placeholder = plain_label(role="body")
        self.placeholder.setObjectName("cameraPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.placeholder, 0, Qt.AlignmentFlag.AlignCenter)
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, round(1000 / fps)))
        self._timer.timeout.connect(self.refresh)

    # ------------------------------------------------------------ API

    def set_frame_provider(self, provider: FrameProvider | None) -> None:
        self._provider = provider
        self._provider_failed = False
        self.refresh()

    def set_placeholder_text(self, text: str) -> None:
        """Text shown when there is no frame (already translated by the caller)."""
        self.placeholder.setText(text)

    def placeholder_text(self) -> str:
        return self.placeholder.text()

    def set_mirrored(self, mirrored: bool) -> None:
        if mirrored != self._mirrored:
            self._mirrored = mirrored
            self.update()

    def is_mirrored(self) -> bool:
        return self._mirrored

    def has_frame(self) -> bool:
        """Whether a frame is being shown (rather than the placeholder)."""
        return self._image is not None

    def image(self) -> QImage | None:
        """The frame being shown, unscaled and unmirrored."""
        return self._image

    def is_polling(self) -> bool:
        return self._timer.isActive()

    def refresh(self) -> None:
        """Ask the provider for the newest frame now (the timer calls this)."""
        frame = self._poll()
        if frame is not None and frame is self._last_frame:
            return
        self._last_frame = frame
        image = frame_to_qimage(frame)
        if image is None and self._image is None:
            self.placeholder.setVisible(True)
            return
        self._image = image
        self.placeholder.setVisible(image is None)
        self.update()

    # ------------------------------------------------------------ Qt

    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 120)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        image = self._image
        if image is None:
            return
        target = _fit(image.size(), QRectF(self.rect()))
        if target.isEmpty():
            return
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            if self._mirrored:
                # Reflect about the target's vertical centre line: it maps onto itself.
                painter.translate(2 * target.center().x(), 0)
                painter.scale(-1, 1)
            painter.drawImage(target, image)
        finally:
            painter.end()

    # ------------------------------------------------------------ internals

    def _poll(self) -> object:
        if self._provider is None:
            return None
        try:
            return self._provider()
        except Exception as exc:  # a broken provider must not take the screen down
            if not self._provider_failed:
                _log.error("camera frame provider raised %s", type(exc).__name__)
            self._provider_failed = True
            return None
