"""Building → unit → room, chosen by touch alone (no typing).

The steps: the building (3栋), the unit of that building (2单元; skipped when the building has
only one), then the room (501). When a unit has more rooms than one page holds and the room
numbers carry their floor (``"501"`` is on floor 5, ``"1203"`` on floor 12), a floor step
(5层) comes before the rooms, so nobody pages through 24 rooms. A step with a single option
is taken automatically; the breadcrumb still shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.widgets.choice_list import ChoicePages, StepHeader

if TYPE_CHECKING:
    from ui.theme import Theme

__all__ = ["BUILDING", "FLOOR", "ROOM", "UNIT", "HouseholdOption", "HouseholdPicker"]

BUILDING = "building"
UNIT = "unit"
FLOOR = "floor"
ROOM = "room"
_ORDER = (BUILDING, UNIT, FLOOR, ROOM)


class HouseholdOption(NamedTuple):
    """One home that can be chosen.

    Attributes:
        household_id: The platform's id of the household.
        building: Building number (``"3"``); ``building_name`` what residents say (``"3栋"``).
        unit: Unit number (``"2"``).
        room: Room number (``"501"``).
        label: The whole address as shown elsewhere (``"3栋2单元501"``).
    """

    household_id: int
    building: str
    building_name: str
    unit: str
    room: str
    label: str


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts "2" before "10"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", text)
    )


def floor_of(room: str) -> int | None:
    """The floor in a room number (``"501"`` → 5, ``"1203"`` → 12), if it has one."""
    if len(room) >= 3 and room.isascii() and room.isdigit():
        return int(room[:-2])
    return None


class HouseholdPicker(QWidget):
    """Choose a household: building, unit, (floor,) room. Paged; never scrolls.

    Args:
        households: The homes to choose from (``HouseholdOption`` or plain 6-tuples).

    Attributes:
        header: The step's question, the breadcrumb (3栋 › 2单元) and 返回上一步.
        pages: The choice buttons of the current step with 上一页/下一页.

    Signals:
        chosen: A room was chosen; args: household_id, the household's label.
        step_changed: A new step is shown; arg: its question (to be spoken).
    """

    chosen = Signal(int, str)
    step_changed = Signal(str)

    def __init__(
        self,
        households: Iterable[HouseholdOption | tuple[int, str, str, str, str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = StepHeader()
        self.pages = ChoicePages(variant="keypad", columns=(4, 3))
        layout.addWidget(self.header)
        layout.addWidget(self.pages)
        self.header.back_button.clicked.connect(self.go_back)
        self.pages.chosen.connect(self._on_chosen)
        self._homes: list[HouseholdOption] = []
        self._selected: dict[str, str] = {}
        self._shown: list[str] = []
        self._values: list[str] = []
        self.set_households(households)

    # ---------------------------------------------------------------- public
    def set_households(
        self, households: Iterable[HouseholdOption | tuple[int, str, str, str, str, str]]
    ) -> None:
        """Replace the homes on offer and start again from the first step."""
        homes = [HouseholdOption(*h) for h in households]
        homes.sort(key=lambda h: (_natural(h.building), _natural(h.unit), _natural(h.room)))
        self._homes = homes
        self.reset()

    def reset(self) -> None:
        """Back to the first step, nothing chosen."""
        self._selected = {}
        self._shown = []
        self._advance(BUILDING)

    def go_back(self) -> bool:
        """One step back (返回上一步); False on the first step."""
        if len(self._shown) < 2:
            return False
        self._shown.pop()
        step = self._shown[-1]
        for later in _ORDER[_ORDER.index(step) :]:
            self._selected.pop(later, None)
        self._show(step)
        return True

    def current_step(self) -> str:
        """ "building", "unit", "floor" or "room"."""
        return self._shown[-1] if self._shown else BUILDING

    def prompt_text(self) -> str:
        return self.header.prompt.text()

    def path(self) -> list[str]:
        """What was chosen so far, as shown in the breadcrumb (["3栋", "2单元"])."""
        return self._path()

    def set_page_size(self, size: int | None) -> None:
        self.pages.set_page_size(size)

    def apply_theme(self, theme: Theme) -> None:
        gap = theme.gap_px()
        layout = self.layout()
        assert layout is not None
        layout.setSpacing(gap * 2)
        self.header.apply_theme(theme)
        self.pages.apply_theme(theme)

    def retranslate_ui(self) -> None:
        if self._shown:
            self._show(self._shown[-1], keep_page=True, announce=False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # ---------------------------------------------------------------- steps
    def _matching(self, upto: str) -> list[HouseholdOption]:
        homes = self._homes
        if BUILDING in self._selected and upto != BUILDING:
            homes = [h for h in homes if h.building == self._selected[BUILDING]]
        if UNIT in self._selected and upto in (FLOOR, ROOM):
            homes = [h for h in homes if h.unit == self._selected[UNIT]]
        if FLOOR in self._selected and upto == ROOM:
            homes = [h for h in homes if str(floor_of(h.room)) == self._selected[FLOOR]]
        return homes

    def _options(self, step: str) -> list[tuple[str, str]]:
        """(value, label) pairs of a step, in order, without repeats."""
        homes = self._matching(step)
        seen: dict[str, str] = {}
        for h in homes:
            if step == BUILDING:
                seen.setdefault(h.building, h.building_name)
            elif step == UNIT:
                seen.setdefault(h.unit, self._unit_label(h.unit))
            elif step == FLOOR:
                floor = floor_of(h.room)
                seen.setdefault(str(floor), self._floor_label(str(floor)))
            else:
                seen.setdefault(h.room, h.room)
        values = list(seen)
        if step == FLOOR:
            values.sort(key=int)
        return [(v, seen[v]) for v in values]

    def _wants_floors(self) -> bool:
        homes = self._matching(FLOOR)
        floors = {floor_of(h.room) for h in homes}
        return len(homes) > self.pages.page_size() and None not in floors and len(floors) > 1

    def _advance(self, step: str) -> None:
        """Enter ``step``, taking single-option steps automatically."""
        while True:
            if step == FLOOR and not self._wants_floors():
                step = ROOM
                continue
            options = self._options(step)
            if step != ROOM and len(options) == 1:
                self._selected[step] = options[0][0]
                step = _ORDER[_ORDER.index(step) + 1]
                continue
            break
        self._shown.append(step)
        self._show(step)

    def _show(self, step: str, *, keep_page: bool = False, announce: bool = True) -> None:
        options = self._options(step)
        self._values = [v for v, _ in options]
        self.pages.set_items((label for _, label in options), keep_page=keep_page)
        prompt = self._prompt(step) if self._homes else self.tr("There are no homes to choose.")
        self.header.set_state(prompt, self._path(), can_go_back=len(self._shown) > 1)
        if announce:
            self.step_changed.emit(prompt)

    def _on_chosen(self, index: int) -> None:
        step = self.current_step()
        value = self._values[index]
        if step == ROOM:
            home = next(h for h in self._matching(ROOM) if h.room == value)
            self.chosen.emit(home.household_id, home.label)
            return
        self._selected[step] = value
        self._advance(_ORDER[_ORDER.index(step) + 1])

    # ---------------------------------------------------------------- texts
    def _prompt(self, step: str) -> str:
        return {
            BUILDING: self.tr("Choose the building"),
            UNIT: self.tr("Choose the unit"),
            FLOOR: self.tr("Choose the floor"),
            ROOM: self.tr("Choose the room"),
        }[step]

    def _unit_label(self, unit: str) -> str:
        return self.tr("Unit {unit}").format(unit=unit)

    def _floor_label(self, floor: str) -> str:
        return self.tr("Floor {floor}").format(floor=floor)

    def _path(self) -> list[str]:
        parts: list[str] = []
        if BUILDING in self._selected:
            b = self._selected[BUILDING]
            parts.append(next(h.building_name for h in self._homes if h.building == b))
        if UNIT in self._selected:
            parts.append(self._unit_label(self._selected[UNIT]))
        if FLOOR in self._selected:
            parts.append(self._floor_label(self._selected[FLOOR]))
        return parts
