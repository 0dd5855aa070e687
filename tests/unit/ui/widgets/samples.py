"""Sample data for the widget tests and pictures: a small community, a fixed clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ui.widgets.household_picker import HouseholdOption

#: China Standard Time without a tz database (no DST, so a fixed offset is exact).
CST = timezone(timedelta(hours=8), "CST")

#: Wednesday 26 November 2025, 13:30 in Beijing: 上午 is over, 下午 is under way.
WEDNESDAY_1330 = datetime(2025, 11, 26, 13, 30, tzinfo=CST)

VISIT_REASONS = [
    ("family", "探亲"),
    ("friend", "访友"),
    ("delivery", "快递外卖"),
    ("repair", "维修"),
    ("housekeeping", "家政"),
    ("other", "其他"),
]


def homes() -> list[HouseholdOption]:
    """1栋: one unit, 6 floors × 2 rooms. 2栋 and 3栋: two units each, 3栋 with 12 floors × 2.

    Household ids count up room by room from 100 (1栋), 200 and 250 (2栋 units 1 and 2),
    300 and 400 (3栋 units 1 and 2).
    """
    out: list[HouseholdOption] = []

    def add(first_id: int, building: str, unit: str, floors: int) -> None:
        n = first_id
        for floor in range(1, floors + 1):
            for index in (1, 2):
                room = f"{floor}{index:02d}"
                label = f"{building}栋{unit}单元{room}"
                out.append(HouseholdOption(n, building, f"{building}栋", unit, room, label))
                n += 1

    add(100, "1", "1", 6)
    add(200, "2", "1", 6)
    add(250, "2", "2", 6)
    add(300, "3", "1", 12)
    add(400, "3", "2", 12)
    return out
