"""Visitors inside (在场访客): who has not checked out yet, for staff during an evacuation.

Staff only: the list is read (by ``AdminFlow``) only in admin mode, and the screen shows
nothing of it otherwise. Names arrive masked. The list never scrolls: it is paged (上一页 /
下一页) with as many rows a page as the space below the headline holds (at most
:data:`MAX_ROWS`), and when the four columns do not fit side by side (large text, portrait)
each visitor takes two lines: the name beside the home, then time and kiosk.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import KioskError
from kiosk.flows.admin import VisitorInside
from ui.context import ScreenContext
from ui.registry import register_screen
from ui.screen import Screen, plain_label
from ui.widgets.big_button import BigButton

#: Rows a page at most.
MAX_ROWS = 8
COLUMNS = 4
#: Grid cell (row, column, column span) of each column's header and of a visitor's labels,
#: counted from the visitor's first line, per arrangement. Side by side: one line, under
#: column titles. Stacked (large text, narrow screens; no titles): the name on the left over
#: two lines, the home to its right, check-in time and kiosk under the home.
_WIDE = ((0, 0, 1), (0, 1, 1), (0, 2, 1), (0, 3, 1))
_STACKED = ((0, 0, 1), (0, 1, 2), (1, 1, 1), (1, 2, 1))


def _now() -> datetime:
    return datetime.now(UTC)


def _set_text(label: QLabel | QAbstractButton, text: str) -> None:
    # Only when it changes: the list is redrawn on every resize and theme change, and each
    # needless Qt call is work (and, on the PySide6 6.12.0 pinned out in pyproject.toml,
    # one lost reference to None; see tests/unit/ui/test_pyside_refcounts.py).
    if label.text() != text:
        label.setText(text)


def _set_shown(widget: QWidget, shown: bool) -> None:
    if widget.isHidden() == shown:
        widget.setVisible(shown)


def _set_enabled(widget: QWidget, enabled: bool) -> None:
    if widget.isEnabled() != enabled:
        widget.setEnabled(enabled)


class _ListArea(QWidget):
    """The room for the list; tells the screen its new size."""

    def __init__(self, on_resized: Callable[[], None]) -> None:
        super().__init__()
        self._on_resized = on_resized

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._on_resized()


def _line_height(label: QLabel) -> int:
    """Height of one line of ``label`` in its current (style sheet) font."""
    m = label.contentsMargins()
    return math.ceil(QFontMetricsF(label.font()).height()) + 1 + m.top() + m.bottom()


@register_screen
class AdminVisitorsScreen(Screen):
    """The visitors inside, a page at a time, with a count headline and 刷新.

    Attributes:
        headline: "目前在场 N 人", or why there is no list (staff only, reading, failure).
        header: Column titles; cells: one row of labels a visitor slot (masked name,
            household, check-in time, kiosk id).
        previous, next, position: Paging (shown when there is more than one page).
        refresh: Reads the list again.
        leave: 返回首页, instead of the list outside admin mode.
    """

    screen_id = "admin_visitors"
    voice_prompt = None

    def __init__(
        self,
        ctx: ScreenContext,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        super().__init__(ctx, parent)
        self._tz = ZoneInfo(ctx.settings.visitors.timezone)
        self._clock = clock
        self.headline = plain_label(role="heading")
        self.headline.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        # The list area takes whatever height is left and never asks for more (Ignored), so
        # the screen cannot scroll because of the list; its size decides the rows a page.
        self.list_area = _ListArea(self._fit)
        self.list_area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        area = QVBoxLayout(self.list_area)
        area.setContentsMargins(0, 0, 0, 0)
        self.card = QFrame()
        self.card.setProperty("surface", "card")
        area.addWidget(self.card)
        area.addStretch(1)
        self.table = QGridLayout(self.card)
        self.header = [plain_label(role="heading", wrap=False) for _ in range(COLUMNS)]
        self.cells = [[plain_label(wrap=False) for _ in range(COLUMNS)] for _ in range(MAX_ROWS)]
        for row in self.cells:
            for label in row:
                label.setProperty("data_text", True)  # names, homes, times, kiosk ids
        self.empty = plain_label(role="body")
        self._ready = False  # until __init__ is done (resizes may come earlier)
        self._stacked = False
        self._with_header = True
        self._place()

        top = QHBoxLayout()
        self.refresh = BigButton(variant="primary", primary=True)
        self.leave = BigButton(variant="primary", primary=True)  # the staff-only way out
        top.addWidget(self.headline, 1)
        top.addWidget(self.refresh)
        top.addWidget(self.leave)
        paging = QHBoxLayout()
        self.previous = BigButton(variant="secondary", primary=True)
        self.position = plain_label(role="body")
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next = BigButton(variant="secondary", primary=True)
        paging.addWidget(self.previous, 1)
        paging.addWidget(self.position, 1)
        paging.addWidget(self.next, 1)
        self._root.addLayout(top)
        self._root.addWidget(self.list_area, 1)
        self._root.addLayout(paging)

        self._rows: list[VisitorInside] = []
        self._shown = False
        self._page = 0
        self._page_rows = MAX_ROWS
        self._state = "idle"  # idle (nothing read), loading, loaded, failed
        self._error: KioskError | None = None
        self.refresh.clicked.connect(self._load)
        self.leave.clicked.connect(ctx.navigator.home)
        self.previous.clicked.connect(lambda: self._turn(-1))
        self.next.clicked.connect(lambda: self._turn(1))
        ctx.admin.visitors_inside.connect(self._on_visitors)
        ctx.admin.visitors_failed.connect(self._on_failed)
        self._ready = True
        self.retranslate_ui()

    # ---------------------------------------------------------------- Screen
    def title(self) -> str:
        return self.tr("Visitors inside")

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        for label, text in zip(
            self.header,
            (self.tr("Visitor"), self.tr("Visiting"), self.tr("Checked in"), self.tr("Kiosk")),
            strict=True,
        ):
            label.setText(text)
        self.refresh.setText(self.tr("Refresh"))
        self.leave.setText(self.tr("Back to home"))
        self.previous.setText(self.tr("Previous"))
        self.next.setText(self.tr("Next"))
        self._show()

    def on_enter(self, **params: object) -> None:
        self._forget()
        if self.ctx.session.admin:
            # The list holds (masked) personal data: run the idle timer, so a list left on
            # the screen ends with the visit and is wiped like any other.
            self.ctx.session.begin()
        self._fit()
        self._load()

    def on_leave(self) -> None:
        self._forget()
        self._show()

    def clear_personal_data(self) -> None:
        self._forget()
        super().clear_personal_data()

    def apply_metrics(self, gap: int) -> None:
        super().apply_metrics(gap)
        if self.table.horizontalSpacing() != gap * 2:
            self.table.setHorizontalSpacing(gap * 2)
        if self.table.verticalSpacing() != gap:
            self.table.setVerticalSpacing(gap)
        self._fit()

    # ---------------------------------------------------------------- paging
    @property
    def page_rows(self) -> int:
        """Visitors a page: as many as the list area holds now, 1 to :data:`MAX_ROWS`."""
        return self._page_rows

    @property
    def pages(self) -> int:
        return max(1, -(-len(self._rows) // self._page_rows))

    @property
    def page(self) -> int:
        """The page shown, from 0."""
        return min(self._page, self.pages - 1)

    def _turn(self, step: int) -> None:
        self._page = max(0, min(self.pages - 1, self.page + step))
        self._show()

    # ---------------------------------------------------------------- data
    def _forget(self) -> None:
        self._rows = []
        self._page = 0
        self._state = "idle"
        self._error = None

    def _load(self) -> None:
        if not self.ctx.session.admin:
            self._forget()
            self._show()
            return
        if self._state != "loaded":  # 刷新 keeps the list shown until the new one is in
            self._state = "loading"
            self._show()
        self.ctx.admin.load_visitors_inside()

    def _on_visitors(self, rows: list[VisitorInside]) -> None:
        if not self.ctx.session.admin or self.ctx.navigator.current is not self:
            return  # a late answer for a screen that was left: keep nothing
        self._rows = list(rows)
        self._state = "loaded"
        self._error = None
        self._fit()
        self._show()

    def _on_failed(self, error: KioskError) -> None:
        if self.ctx.navigator.current is not self:
            return
        self._rows = []
        self._state = "failed"
        self._error = error
        self._show()

    def _texts(self, visitor: VisitorInside) -> tuple[str, str, str, str]:
        return (
            visitor.masked_name,
            visitor.host_label or self.tr("Service station"),
            self._when(visitor.checked_in_at),
            visitor.kiosk_id,
        )

    def _when(self, moment: datetime) -> str:
        """Local check-in time: ``14:03`` today, ``11-24 23:10`` on an earlier day."""
        local = moment.astimezone(self._tz)
        today = self._clock().astimezone(self._tz).date()
        return local.strftime("%H:%M" if local.date() == today else "%m-%d %H:%M")

    # ---------------------------------------------------------------- layout
    def _place(self) -> None:
        """Put header and cells into the grid in the current arrangement."""
        cells = _STACKED if self._stacked else _WIDE
        lines = 2 if self._stacked else 1
        for widget in [*self.header, *self.cells_in_order(), self.empty]:
            self.table.removeWidget(widget)
        for col, label in enumerate(self.header):
            r, c, span = cells[col]
            self.table.addWidget(label, r, c, 1, span)
        for slot, row in enumerate(self.cells):
            first = lines * (slot + 1)
            for col, label in enumerate(row):
                r, c, span = cells[col]
                rows = lines if self._stacked and col == 0 else 1  # the name spans both lines
                self.table.addWidget(label, first + r, c, rows, span)
                align = Qt.AlignmentFlag.AlignTop if rows > 1 else Qt.AlignmentFlag.AlignVCenter
                self.table.setAlignment(label, align | Qt.AlignmentFlag.AlignLeft)
        self.table.addWidget(self.empty, lines, 0, 1, COLUMNS)
        for c in range(COLUMNS):
            self.table.setColumnStretch(c, 0)
        self.table.setColumnStretch(1 if not self._stacked else 2, 1)

    def cells_in_order(self) -> list[QLabel]:
        return [label for row in self.cells for label in row]

    def _fit(self) -> None:
        """Choose the arrangement and the rows a page for the list area's size now."""
        width, height = self.list_area.width(), self.list_area.height()
        if not self._ready or self.ctx.navigator.current is not self:
            return  # fitted again on entry
        if width <= 0 or height <= 0:
            return
        self.header[0].ensurePolished()
        self.cells[0][0].ensurePolished()
        # What the card and the grid's margins take (frame, style sheet padding).
        margins = self.table.contentsMargins()
        card, grid = self.card.sizeHint(), self.table.sizeHint()
        extra_w = card.width() - grid.width() + margins.left() + margins.right()
        extra_h = card.height() - grid.height() + margins.top() + margins.bottom()
        stacked = self._needs_stacking(width - extra_w)
        if stacked != self._stacked:
            self._stacked = stacked
            self._place()
        lines = 2 if stacked else 1
        spacing = self.table.verticalSpacing()
        header_h = lines * (_line_height(self.header[0]) + spacing)
        entry_h = lines * (_line_height(self.cells[0][0]) + spacing)
        room = height - extra_h
        # Stacked rows, and the largest text on a landscape panel (where one row and the
        # column titles may not both fit), go without column titles: staff read a masked
        # name, a home, a time and a kiosk id for what they are.
        self._with_header = not stacked and room - header_h >= entry_h
        if self._with_header:
            room -= header_h
        rows = max(1, min(MAX_ROWS, int(room // entry_h)))
        self._show_header()
        if rows != self._page_rows:
            first = self.page * self._page_rows
            self._page_rows = rows
            self._page = first // rows
            self._show()

    def _needs_stacking(self, room: float) -> bool:
        """Whether the four columns side by side would be wider than ``room``."""
        heading = QFontMetricsF(self.header[0].font())
        widest = [heading.horizontalAdvance(label.text()) for label in self.header]
        body = QFontMetricsF(self.cells[0][0].font())
        for visitor in self._rows:
            for col, text in enumerate(self._texts(visitor)):
                widest[col] = max(widest[col], body.horizontalAdvance(text))
        need = sum(widest) + self.table.horizontalSpacing() * (COLUMNS - 1)
        return need > room

    # ---------------------------------------------------------------- view
    def _show_header(self) -> None:
        for label in self.header:
            _set_shown(label, self._shown and self._with_header)

    def _show(self) -> None:
        admin = self.ctx.session.admin
        loaded = admin and self._state == "loaded"
        failed = admin and self._state == "failed"
        role = "status-error" if failed else "heading"
        if self.headline.property("role") != role:
            self.headline.setProperty("role", role)
            self.headline.style().unpolish(self.headline)
            self.headline.style().polish(self.headline)
        if not admin:
            headline = self.tr("Staff only. Please sign in as administrator first.")
        elif failed and self._error is not None:
            headline = self._error.text()
        elif loaded:
            headline = self.tr("Inside now: {0}").format(len(self._rows))
        else:
            headline = self.tr("Reading the list…")
        _set_text(self.headline, headline)
        _set_shown(self.card, loaded)
        _set_shown(self.refresh, admin)
        _set_shown(self.leave, not admin)
        start = self.page * self._page_rows
        shown = self._rows[start : start + self._page_rows] if loaded else []
        for slot, cells in enumerate(self.cells):
            visitor = shown[slot] if slot < len(shown) else None
            texts = self._texts(visitor) if visitor is not None else ("", "", "", "")
            for label, text in zip(cells, texts, strict=True):
                _set_text(label, text)
                _set_shown(label, visitor is not None)
        _set_text(self.empty, self.tr("No visitors are inside.") if loaded and not shown else "")
        _set_shown(self.empty, loaded and not shown)
        self._shown = bool(shown)
        self._show_header()
        paged = loaded and self.pages > 1
        for widget in (self.previous, self.position, self.next):
            _set_shown(widget, paged)
        _set_enabled(self.previous, self.page > 0)
        _set_enabled(self.next, self.page < self.pages - 1)
        position = self.tr("Page {0} of {1}").format(self.page + 1, self.pages) if paged else ""
        _set_text(self.position, position)
