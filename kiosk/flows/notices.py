"""Community notices for the attract screen and the notices screen."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.tasks import Runner

if TYPE_CHECKING:
    from kiosk.services.notices import NoticeView

log = logging.getLogger(__name__)


class NoticesFlow(QObject):
    """Loads current notices off the GUI thread.

    Signals:
        loaded: arg: list of NoticeView, pinned first then newest first.
    """

    loaded = Signal(list)

    def __init__(
        self,
        load_notices: Callable[[], list[NoticeView]],
        tasks: Runner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._load_notices = load_notices
        self._tasks = tasks
        self.notices: list[NoticeView] = []

    def load(self) -> None:
        self._tasks.run(self._load_notices, self._on_loaded, self._on_error)

    def _on_loaded(self, notices: list[NoticeView]) -> None:
        self.notices = list(notices)
        self.loaded.emit(self.notices)

    def _on_error(self, exc: BaseException) -> None:
        log.error("notices could not be loaded: %s", type(exc).__name__)
        self.loaded.emit(self.notices)
