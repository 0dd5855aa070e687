"""Driving the walk-in and invitation screens the way a visitor does: taps on real buttons.

Shared by the screen tests, the end-to-end tests and the PNG renderer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication

from hardware.speech.recording import RecordingSpeechEngine
from kiosk.config import load_settings
from kiosk.flows.resident import ResidentFlow
from kiosk.store.db import Database
from kiosk.tasks import InlineRunner
from tests.unit.ui import audit
from ui.app import Kiosk, build
from ui.screen import Screen
from ui.screens.checkin import CheckInScreen
from ui.screens.home import HomeScreen
from ui.screens.walkin import (
    WalkInHostScreen,
    WalkInNameScreen,
    WalkInPhoneScreen,
    WalkInReasonScreen,
)
from ui.widgets.choice_list import ChoicePages
from ui.widgets.code_entry import DigitEntry
from ui.widgets.household_picker import HouseholdPicker
from ui.widgets.surname_grid import SurnameGrid


def make_kiosk(tmp: Path, **overrides: object) -> Kiosk:
    """The whole kiosk as the ``kiosk`` fixture builds it, with extra settings overrides.

    The caller shows, closes and disposes of it (:func:`close_kiosk`).
    """
    settings = load_settings(
        None,
        overrides={
            "paths.data_dir": str(tmp / "data"),
            "paths.log_dir": str(tmp / "log"),
            "voice.engine": "recording",
            "display.fullscreen": False,
            **overrides,
        },
    )
    database = Database(f"sqlite:///{tmp / 'kiosk.db'}")
    database.migrate()
    k = build(
        settings,
        database=database,
        engine=RecordingSpeechEngine(),
        runner=InlineRunner(),
        demo=True,
    )
    k.window.resize(settings.display.width_px, settings.display.height_px)
    k.window.show()
    return k


def close_kiosk(k: Kiosk) -> None:
    k.hub.stop()
    k.ctx.voice.shutdown()
    k.ctx.language.reset()
    k.ctx.language.uninstall()
    k.window._allow_close = True
    k.window.close()
    k.window.deleteLater()
    database = k.backend.services().database
    k.backend.close()
    database.dispose()


def with_resident_flow(k: Kiosk) -> ResidentFlow:
    """The resident flow the identification screen uses: the composition root's
    (``ctx.resident``), or one put into ``ctx.extras["resident"]`` where it builds none."""
    built = getattr(k.ctx, "resident", None)
    if isinstance(built, ResidentFlow):
        return built
    flow = ResidentFlow(
        lambda: k.backend.services().platform,
        k.ctx.session,
        k.runner,
        max_failures=k.settings.admin.max_failures,
    )
    k.ctx.extras["resident"] = flow
    return flow


def tap(button: QAbstractButton) -> None:
    """Press and release inside the button, as a finger does (the audit's item 15)."""
    assert button.isVisible(), f"{button.objectName() or button.text()!r} is not visible"
    assert button.isEnabled(), f"{button.objectName() or button.text()!r} is disabled"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(button.width() // 2, 5))
    QApplication.processEvents()


def current(k: Kiosk) -> Screen:
    screen = k.ctx.navigator.current
    assert screen is not None
    return screen


def choose(pages: ChoicePages, label: str) -> None:
    """Turn the pages until ``label`` shows, then tap it."""
    for _ in range(pages.page_count() + 1):
        visible = pages.visible_items()
        if label in visible:
            tap(pages.buttons[visible.index(label)])
            return
        tap(pages.next_button)
    raise AssertionError(f"{label!r} is not on offer: {pages.items()}")


def type_digits(entry: DigitEntry, digits: str, *, ok: bool = True) -> None:
    for d in digits:
        tap(entry.keypad.keys[d])
    if ok:
        tap(entry.keypad.ok_key)


@contextmanager
def translators(*extra: object) -> Iterator[None]:
    """Install QTranslators for the duration (later ones win)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    installed = []
    for t in extra:
        app.installTranslator(t)  # type: ignore[arg-type]
        installed.append(t)
    try:
        yield
    finally:
        for t in reversed(installed):
            app.removeTranslator(t)  # type: ignore[arg-type]


def layout_problems(k: Kiosk) -> list[str]:
    """The audit's layout checks (items 1/2, 3, 7, 9) on whatever the window shows now."""
    window = k.window
    elderly = k.ctx.session.elderly
    problems: list[str] = []
    screen = current(k)
    if screen.scroll_area.verticalScrollBar().maximum() > 0:
        problems.append("item 9: the screen needs scrolling")
    for w in audit.text_widgets(window):
        cut = audit.clipped(w)
        if cut:
            problems.append(f"item 9: {type(w).__name__}({w.objectName()!r}) {cut}")
    min_px = audit.mm(k, 20.0 if elderly else 11.6)
    interactive = audit.interactive_widgets(window)
    for w in interactive:
        if w.width() < min_px - 0.5 or w.height() < min_px - 0.5:
            problems.append(f"item 1/2: {w.objectName()!r} is {w.width()}x{w.height()}")
    rects = [(w, audit.window_rect(w, window)) for w in interactive]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1 :]:
            if ra.intersects(rb):
                problems.append(f"item 3: {a.objectName()!r} overlaps {b.objectName()!r}")
    for w in interactive:
        if not w.accessibleName().strip():
            problems.append(f"item 26: {w.objectName()!r} has no accessibleName")
    return problems


# ---------------------------------------------------------------- walk-in and invitation


def pick_household(picker: HouseholdPicker, building_name: str, unit: str, room: str) -> None:
    """Building, unit, (floor,) room on the picker, by their labels."""
    if picker.current_step() == "building":
        choose(picker.pages, building_name)
    if picker.current_step() == "unit":
        choose(picker.pages, picker.tr("Unit {unit}").format(unit=unit))
    if picker.current_step() == "floor":
        choose(picker.pages, picker.tr("Floor {floor}").format(floor=room[:-2]))
    choose(picker.pages, room)


def pick_name(grid: SurnameGrid, surname: str, *, title: int = 0) -> None:
    """Surname, then 先生 (0) or 女士 (1)."""
    choose(grid.pages, surname)
    tap(grid.titles.buttons[title])


def start_walk_in(k: Kiosk) -> WalkInHostScreen:
    """Home → 访客登记 → 没有通行码."""
    k.ctx.session.begin()
    k.ctx.navigator.go("home")
    home = current(k)
    assert isinstance(home, HomeScreen)
    tap(home.tiles["checkin"])
    check_in = current(k)
    assert isinstance(check_in, CheckInScreen)
    tap(check_in.walk_in)
    host = current(k)
    assert isinstance(host, WalkInHostScreen)
    return host


def walk_in_to_wait(
    k: Kiosk,
    *,
    home: tuple[str, str, str] = ("3栋", "2", "501"),
    surname: str = "王",
    title: int = 0,
    phone: str | None = None,
    reason: str = "family",
) -> Screen:
    """The whole registration by taps, up to the screen after the reason (the wait, the
    photo, or a result)."""
    host = start_walk_in(k)
    pick_household(host.picker, *home)
    name = current(k)
    assert isinstance(name, WalkInNameScreen)
    pick_name(name.grid, surname, title=title)
    phone_screen = current(k)
    assert isinstance(phone_screen, WalkInPhoneScreen)
    if phone is None:
        tap(phone_screen.entry.skip_button)
    else:
        type_digits(phone_screen.entry, phone)
    reason_screen = current(k)
    assert isinstance(reason_screen, WalkInReasonScreen)
    reason_screen.choices.show_key(reason)
    button = reason_screen.choices.button_for(reason)
    assert button is not None
    tap(button)
    return current(k)


def sign_in_volunteer(k: Kiosk) -> None:
    """A volunteer's card on the reader, then the demo PIN on the keypad."""
    from hardware.card_reader.simulated import SimulatedCardReader
    from kiosk.backend import DEMO_VOLUNTEER_PIN
    from kiosk.store.demo import DEMO_CARDS
    from ui.screens.volunteer_pin import VolunteerPinScreen

    k.hub.start()  # idempotent
    reader = k.hub.devices.card_reader
    assert isinstance(reader, SimulatedCardReader)
    card = next(c for c in DEMO_CARDS if c.kind == "volunteer")
    reader.insert_card(card.uid)
    QApplication.processEvents()
    screen = current(k)
    assert isinstance(screen, VolunteerPinScreen)
    for digit in DEMO_VOLUNTEER_PIN:
        tap(screen.pad.keypad.keys[digit])
    tap(screen.pad.keypad.ok_key)
    assert k.ctx.session.volunteer is not None


def resident_of(k: Kiosk, building: str, unit: str, room: str) -> int:
    """The id of a demo resident of that home who has a phone on file."""
    from kiosk.store.demo import DEMO_RESIDENTS

    demo = next(
        r
        for r in DEMO_RESIDENTS
        if (r.building, r.unit, r.room) == (building, unit, room) and r.phone_last4
    )
    assert demo.phone_last4 is not None
    platform = k.backend.services().platform
    identity = platform.identify_resident_by_room(building, unit, room, demo.phone_last4)
    return identity.resident_id
