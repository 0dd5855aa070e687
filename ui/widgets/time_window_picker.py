"""When may the guest come? A day, then a part of that day.

Days: 今天, 明天, 后天, then ``11月28日 周五`` up to ``max_days`` days from today (today
itself is left out once all of its windows are over). Windows: 上午 8:00–12:00, 下午
12:00–18:00, 晚上 18:00–22:00, 全天 8:00–22:00; for today only those not yet over are offered
(one already under way is, from its start). The result is a pair of aware datetimes in the
station's time zone. The clock is injected, so tests and the screen agree on "now".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Final, NamedTuple

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.widgets.choice_list import ChoicePages, StepHeader

if TYPE_CHECKING:
    from ui.theme import Theme

__all__ = ["DEFAULT_WINDOWS", "TimeWindow", "TimeWindowPicker"]


class TimeWindow(NamedTuple):
    """Part of a day; ``end`` is after ``start`` on the same day."""

    key: str
    start: time
    end: time


DEFAULT_WINDOWS: Final = (
    TimeWindow("morning", time(8), time(12)),
    TimeWindow("afternoon", time(12), time(18)),
    TimeWindow("evening", time(18), time(22)),
    TimeWindow("all_day", time(8), time(22)),
)

DAY = "day"
WINDOW = "window"


def _clock(t: time) -> str:
    return f"{t.hour}:{t.minute:02d}"


class TimeWindowPicker(QWidget):
    """Choose a day, then a time window of that day.

    Args:
        now: The current time (aware; a naive value is taken to be in ``tz``).
        tz: The station's time zone; the datetimes emitted are in it.
        max_days: Days offered, counted from today (today included).
        windows: The windows offered each day, in order.

    Attributes:
        header: The step's question, the chosen day and 返回上一步.
        pages: The day or window buttons of the current step, with 上一页/下一页.

    Signals:
        chosen: A window was chosen; args: valid_from, valid_until (aware ``datetime``).
        step_changed: A new step is shown; arg: its question (to be spoken).
    """

    chosen = Signal(object, object)
    step_changed = Signal(str)

    def __init__(
        self,
        now: Callable[[], datetime],
        tz: tzinfo,
        *,
        max_days: int = 7,
        windows: Sequence[TimeWindow] = DEFAULT_WINDOWS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if max_days < 1:
            raise ValueError("offer at least one day")
        if any(w.end <= w.start for w in windows) or not windows:
            raise ValueError("every window ends after it starts, on the same day")
        self._now = now
        self._tz = tz
        self._max_days = max_days
        self._windows = list(windows)
        self._day: date | None = None
        self._days: list[date] = []
        self._offered: list[TimeWindow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = StepHeader()
        self.pages = ChoicePages(variant="secondary", columns=(4, 3))
        layout.addWidget(self.header)
        layout.addWidget(self.pages)
        self.header.back_button.clicked.connect(self.go_back)
        self.pages.chosen.connect(self._on_chosen)
        self._show(announce=False)

    # ---------------------------------------------------------------- public
    def current_step(self) -> str:
        """ "day" or "window"."""
        return WINDOW if self._day is not None else DAY

    def selected_day(self) -> date | None:
        return self._day

    def days(self) -> list[date]:
        """The days on offer now."""
        return list(self._days)

    def windows_offered(self) -> list[TimeWindow]:
        """The windows on the window step (empty on the day step)."""
        return list(self._offered)

    def reset(self) -> None:
        """Back to the day step, with the days recomputed from the clock."""
        self._day = None
        self._show()

    refresh = reset

    def go_back(self) -> bool:
        """From the windows back to the days; False when already there."""
        if self._day is None:
            return False
        self._day = None
        self._show()
        return True

    def prompt_text(self) -> str:
        return self.header.prompt.text()

    def set_page_size(self, size: int | None) -> None:
        self.pages.set_page_size(size)

    def apply_theme(self, theme: Theme) -> None:
        layout = self.layout()
        assert layout is not None
        layout.setSpacing(theme.gap_px() * 2)
        self.header.apply_theme(theme)
        self.pages.apply_theme(theme)

    def retranslate_ui(self) -> None:
        self._show(keep_page=True, announce=False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ---------------------------------------------------------------- time
    def _local_now(self) -> datetime:
        now = self._now()
        if now.tzinfo is None:
            return now.replace(tzinfo=self._tz)
        return now.astimezone(self._tz)

    def _bounds(self, day: date, window: TimeWindow) -> tuple[datetime, datetime]:
        return (
            datetime.combine(day, window.start, tzinfo=self._tz),
            datetime.combine(day, window.end, tzinfo=self._tz),
        )

    def _open_windows(self, day: date, now: datetime) -> list[TimeWindow]:
        return [w for w in self._windows if self._bounds(day, w)[1] > now]

    # ---------------------------------------------------------------- steps
    def _show(self, *, keep_page: bool = False, announce: bool = True) -> None:
        now = self._local_now()
        today = now.date()
        if self._day is None:
            days = [today + timedelta(days=i) for i in range(self._max_days)]
            self._days = [d for d in days if self._open_windows(d, now)]
            self._offered = []
            self.pages.set_columns(4, 3)
            self.pages.set_items(
                (self._day_label(d, today) for d in self._days), keep_page=keep_page
            )
            prompt = self.tr("Which day will the guest come?")
            path: list[str] = []
        else:
            self._offered = self._open_windows(self._day, now)
            self.pages.set_columns(2, 2)
            self.pages.set_items(
                (self._window_label(w) for w in self._offered), keep_page=keep_page
            )
            prompt = self.tr("At what time?")
            path = [self._day_label(self._day, today, full=True)]
        self.header.set_state(prompt, path, can_go_back=self._day is not None)
        if announce:
            self.step_changed.emit(prompt)

    def _on_chosen(self, index: int) -> None:
        if self._day is None:
            self._day = self._days[index]
            self._show()
            return
        window = self._offered[index]
        start, end = self._bounds(self._day, window)
        if end <= self._local_now():
            self._show()  # the window ended while it was on screen: offer what is left
            return
        self.chosen.emit(start, end)

    # ---------------------------------------------------------------- texts
    def _weekday(self, d: date) -> str:
        return (
            self.tr("Mon"),
            self.tr("Tue"),
            self.tr("Wed"),
            self.tr("Thu"),
            self.tr("Fri"),
            self.tr("Sat"),
            self.tr("Sun"),
        )[d.weekday()]

    def _date_label(self, d: date) -> str:
        return self.tr("{weekday} {day}/{month}").format(
            weekday=self._weekday(d), day=d.day, month=d.month
        )

    def _day_label(self, d: date, today: date, *, full: bool = False) -> str:
        """今天 / 明天 / 后天, else 11月28日 周五; ``full`` adds the date to the first three."""
        offset = (d - today).days
        relative = {
            0: self.tr("Today"),
            1: self.tr("Tomorrow"),
            2: self.tr("Day after tomorrow"),
        }.get(offset)
        if relative is None:
            return self._date_label(d)
        return f"{relative} {self._date_label(d)}" if full else relative

    def _window_label(self, window: TimeWindow) -> str:
        name = {
            "morning": self.tr("Morning"),
            "afternoon": self.tr("Afternoon"),
            "evening": self.tr("Evening"),
            "all_day": self.tr("All day"),
        }.get(window.key, window.key)
        return f"{name} {_clock(window.start)}–{_clock(window.end)}"
