"""Render the walk-in and invitation screens offscreen, in Chinese, standard and 长辈模式, to PNG.

``python -m tests.unit.ui.screens.render [out_dir] [--en]`` (default ``/tmp/walkin_png``)
writes ``<mode>-<orientation>-<nn>-<scene>.png`` and prints any layout problem found
(:func:`tests.unit.ui.screens.helpers.layout_problems`).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from kiosk import prompts
from kiosk.errors import KioskError
from kiosk.platform.api import Actor
from tests.unit.ui.screens import helpers as h
from tests.unit.ui.screens.zh_walkin import translator
from ui.app import Kiosk
from ui.screens import invite as inv
from ui.screens import walkin as wk


def _settle(k: Kiosk) -> None:
    for _ in range(5):
        QApplication.processEvents()


def scenes(k: Kiosk, shoot: Callable[[str], None], *, elderly: bool, text_step: int = 0) -> None:
    s = k.ctx.session
    nav = k.ctx.navigator
    s.begin()
    if elderly:
        s.set_elderly(True)
        s.set_text_step(text_step)
    nav.go("home")
    shoot("home")
    nav.go("checkin")
    shoot("checkin")
    check_in = h.current(k)
    h.tap(check_in.walk_in)  # type: ignore[attr-defined]
    host = h.current(k)
    assert isinstance(host, wk.WalkInHostScreen)
    shoot("host-building")
    h.choose(host.picker.pages, "3栋")
    shoot("host-unit")
    h.choose(host.picker.pages, host.picker.pages.items()[1])
    shoot("host-room-or-floor")
    while host.picker.current_step() != "room":
        h.tap(host.picker.pages.buttons[4 if host.picker.current_step() == "floor" else 0])
    shoot("host-room")
    h.tap(host.picker.pages.buttons[0])
    name = h.current(k)
    assert isinstance(name, wk.WalkInNameScreen)
    shoot("name-surname")
    h.tap(name.grid.other_button)
    shoot("name-other")
    h.tap(name.back_to_list)
    h.choose(name.grid.pages, "王")
    shoot("name-title")
    h.tap(name.grid.titles.buttons[0])
    phone = h.current(k)
    assert isinstance(phone, wk.WalkInPhoneScreen)
    h.type_digits(phone.entry, "2381234", ok=True)
    shoot("phone-error")
    phone.entry.clear()
    h.type_digits(phone.entry, "13812345678", ok=False)
    shoot("phone")
    h.tap(phone.entry.keypad.ok_key)
    reason = h.current(k)
    assert isinstance(reason, wk.WalkInReasonScreen)
    shoot("reason")
    h.tap(reason.choices.pages.buttons[0])
    photo = h.current(k)
    assert isinstance(photo, wk.WalkInPhotoScreen)
    k.hub.devices.camera.show_qr("a visitor")  # type: ignore[union-attr]
    shoot("photo")
    h.tap(photo.take)
    wait = h.current(k)
    assert isinstance(wait, wk.WalkInWaitScreen)
    shoot("wait-pending")
    ticket = k.ctx.walkin.ticket
    assert ticket is not None
    platform = k.backend.services().platform
    platform.decide_approval(ticket.approval_id, False, actor=Actor.volunteer(1))
    k.ctx.walkin.poll()
    shoot("result-refused")
    nav.go("home")
    # A walk-in for the home without a phone, in assisted mode: 志愿者批准.
    from kiosk.session import Volunteer

    s.sign_in_volunteer(Volunteer(volunteer_id=1, name="陈晓燕"))
    k.ctx.walkin.start()
    homes = platform.find_households()
    home = next(x for x in homes if x.code == "2-1-401")
    k.ctx.walkin.choose_household(home.household_id, home.label)
    k.ctx.walkin.set_name("李女士")
    k.ctx.walkin.set_reason("family")
    nav.go(wk.WALKIN_REASON)
    k.ctx.walkin.submit()
    shoot("wait-volunteer")
    h.tap(wait.approve)
    shoot("checkin-result-walkin")
    s.sign_out_volunteer()
    nav.go(wk.WALKIN_RESULT, error=KioskError(prompts.WALKIN_REFERRED))
    shoot("result-referred")

    # -- invitation
    from kiosk.platform.api import ResidentIdentity

    identity = platform.identify_resident_by_room("3", "2", "501", "1678")
    assert isinstance(identity, ResidentIdentity)
    s.identify_resident(identity, via="room")
    nav.go("home")
    shoot("home-resident")
    nav.go(inv.INVITE_WHEN)
    when = h.current(k)
    assert isinstance(when, inv.InviteWhenScreen)
    shoot("invite-day")
    h.tap(when.picker.pages.buttons[min(1, len(when.picker.pages.visible_items()) - 1)])
    shoot("invite-window")
    h.tap(when.picker.pages.buttons[0])
    iname = h.current(k)
    assert isinstance(iname, inv.InviteNameScreen)
    shoot("invite-surname")
    h.tap(iname.grid.other_button)
    shoot("invite-other")
    h.tap(iname.back_to_list)
    h.choose(iname.grid.pages, "张")
    shoot("invite-title")
    h.tap(iname.grid.titles.buttons[1])
    shoot("invite-confirm")
    confirm = h.current(k)
    assert isinstance(confirm, inv.InviteConfirmScreen)
    h.tap(confirm.print_button)
    shoot("invite-done")


def render(out: Path, *, elderly: bool, orientation: str, english: bool = False) -> list[str]:
    """Every scene in one mode and orientation; returns the layout problems seen."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    size = (1920, 1080) if orientation == "landscape" else (1080, 1920)
    mode = "elderly" if elderly else "standard"
    problems: list[str] = []
    zh = translator()
    counter = 0
    with tempfile.TemporaryDirectory() as tmp:
        k = h.make_kiosk(
            Path(tmp),
            **{"display.width_px": size[0], "display.height_px": size[1], "visitors.photo": True},
        )
        k.hub.start()
        if english:
            k.ctx.language.toggle()
        else:
            app.installTranslator(zh)

        def shoot(scene: str) -> None:
            nonlocal counter
            _settle(k)
            counter += 1
            name = f"{mode}-{orientation}-{counter:02d}-{scene}{'-en' if english else ''}.png"
            k.window.grab().save(str(out / name))
            problems.extend(f"{name}: {p}" for p in h.layout_problems(k))

        try:
            scenes(k, shoot, elderly=elderly)
        finally:
            app.removeTranslator(zh)
            h.close_kiosk(k)
    return problems


def main(out: Path, *, english: bool = False) -> int:
    out.mkdir(parents=True, exist_ok=True)
    _app = QApplication.instance() or QApplication(sys.argv[:1])
    problems: list[str] = []
    for elderly in (False, True):
        for orientation in ("landscape", "portrait"):
            problems += render(out, elderly=elderly, orientation=orientation, english=english)
    for p in problems:
        print(p)  # noqa: T201 - a developer tool
    return 1 if problems else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sys.exit(main(Path(args[0] if args else "/tmp/walkin_png"), english="--en" in sys.argv))
