"""Render every registered screen, in standard and elderly mode, to PNG files.

``python -m ui.dev.screenshots --out docs/screenshots`` (``make screenshots``). Runs offscreen
with the demo community in a throw-away database and a recording speech engine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from hardware.speech.recording import RecordingSpeechEngine
from kiosk.config import load_settings
from kiosk.session import Volunteer
from kiosk.tasks import InlineRunner
from ui.app import Kiosk, build
from ui.registry import SCREENS

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def _shoot(kiosk: Kiosk, path: Path) -> None:
    QApplication.processEvents()
    kiosk.window.grab().save(str(path))


def render_all(out: Path, *, orientations: tuple[str, ...] = ("landscape", "portrait")) -> int:
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    with tempfile.TemporaryDirectory(prefix="kiosk-shots-") as tmp:
        settings = load_settings(
            None,
            overrides={
                "paths.data_dir": str(Path(tmp) / "data"),
                "paths.log_dir": str(Path(tmp) / "log"),
                "voice.engine": "recording",
                "display.fullscreen": False,
            },
        )
        kiosk = build(settings, engine=RecordingSpeechEngine(), runner=InlineRunner(), demo=True)
        kiosk.hub.start()
        window = kiosk.window
        window.show()
        for orientation in orientations:
            window.resize(*SIZES[orientation])
            for mode in ("standard", "elderly", "assisted"):
                for screen_id in sorted(SCREENS):
                    s = kiosk.ctx.session
                    s.begin()
                    s.set_elderly(mode == "elderly")
                    if mode == "assisted":
                        s.sign_in_volunteer(Volunteer(volunteer_id=1, name="王志强"))
                    else:
                        s.sign_out_volunteer()
                    kiosk.ctx.navigator.go(screen_id)
                    if mode == "assisted" and screen_id not in ("home", "notices"):
                        continue
                    _shoot(kiosk, out / f"{screen_id}-{mode}-{orientation}.png")
                    count += 1
            s = kiosk.ctx.session
            s.sign_out_volunteer()
            for mode in ("standard", "elderly"):
                s.set_elderly(mode == "elderly")
                kiosk.ctx.navigator.go("home")
                window.idle_overlay.set_seconds(25)
                window.idle_overlay.open()
                _shoot(kiosk, out / f"idle-warning-{mode}-{orientation}.png")
                window.idle_overlay.hide()
                kiosk.ctx.help.request("home")
                _shoot(kiosk, out / f"help-called-{mode}-{orientation}.png")
                window.message_overlay.hide()
                count += 2
            count += _visitor_story(kiosk, out, orientation)
            count += _walkin_story(kiosk, out, orientation)
            count += _invite_story(kiosk, out, orientation)
            kiosk.ctx.language.set_language("en")
            s.set_elderly(False)
            kiosk.ctx.navigator.go("home")
            _shoot(kiosk, out / f"home-english-{orientation}.png")
            kiosk.ctx.language.set_language("zh_CN")
            count += 1
        kiosk.shutdown()
    return count


def _visitor_story(kiosk: Kiosk, out: Path, orientation: str) -> int:
    """Every step of a visitor's check-in with a pass, a refusal and a sign-out, with the
    (demo) data on screen, in standard and elderly mode."""
    from datetime import UTC, datetime, timedelta

    from hardware.camera.simulated import SimulatedQrScanner
    from kiosk.session import EndReason
    from ui.screens.checkin import CheckInConfirmScreen, CheckOutScreen

    services = kiosk.backend.services()
    signer = services.pass_signer
    camera = kiosk.hub.devices.camera
    if signer is None or not isinstance(camera, SimulatedQrScanner):
        return 0
    show_qr = camera.show_qr
    household = services.platform.find_households()[0]
    count = 0
    for mode in ("standard", "elderly"):
        s = kiosk.ctx.session
        s.end(EndReason.FINISHED)
        s.begin()
        s.set_elderly(mode == "elderly")
        camera.reset_debounce()
        token = signer.issue(
            community_id=kiosk.ctx.settings.station.community_id,
            household=household.code,
            visitor_name="张三明",
            valid_until=datetime.now(UTC) + timedelta(hours=3),
        )

        def shot(step: str, mode: str = mode) -> None:
            _shoot(kiosk, out / f"story-checkin-{step}-{mode}-{orientation}.png")

        kiosk.ctx.navigator.go("checkin")
        show_qr(token)  # the camera preview shows the pass it reads
        shot("2-confirm")
        confirm = kiosk.ctx.navigator.current
        assert isinstance(confirm, CheckInConfirmScreen)
        confirm.confirm.click()
        shot("3-welcome")
        visit = services.platform.visits_inside()[-1]
        kiosk.ctx.navigator.go("checkout")
        checkout = kiosk.ctx.navigator.current
        assert isinstance(checkout, CheckOutScreen)
        checkout.entry.set_digits(visit.exit_code[:5])
        shot("4-exit-code")
        camera.reset_debounce()
        show_qr(visit.exit_token)
        shot("5-goodbye")
        camera.reset_debounce()
        show_qr(token)  # the same pass again: already used
        shot("6-refused")
        count += 5
    return count


def _walkin_story(kiosk: Kiosk, out: Path, orientation: str) -> int:
    """A walk-in, step by step with data on screen: who, name, phone, reason, waiting for
    the host, and the host's yes (the demo panel's answer) leading to the slip."""
    from kiosk.platform.api import Actor
    from kiosk.session import EndReason

    services = kiosk.backend.services()
    household = services.platform.find_households()[0]
    nav = kiosk.ctx.navigator
    walkin = kiosk.ctx.walkin
    count = 0
    for mode in ("standard", "elderly"):
        s = kiosk.ctx.session
        s.end(EndReason.FINISHED)
        s.begin()
        s.set_elderly(mode == "elderly")

        def shot(step: str, mode: str = mode) -> None:
            _shoot(kiosk, out / f"story-walkin-{step}-{mode}-{orientation}.png")

        walkin.start()
        nav.go("walkin_host")
        shot("1-household")
        walkin.choose_household(household.household_id, household.label)
        nav.go("walkin_name")
        shot("2-name")
        walkin.set_name("王先生")
        nav.go("walkin_phone")
        shot("3-phone")
        walkin.set_phone("13812345678")
        nav.go("walkin_reason")
        shot("4-reason")
        walkin.set_reason("family")
        walkin.submit()
        if nav.current is None or nav.current.screen_id != "walkin_wait":
            nav.go("walkin_wait")
        shot("5-waiting")
        ticket = walkin.ticket
        host = _a_resident_of(kiosk, household.household_id)
        if ticket is not None and host is not None:
            services.platform.decide_approval(ticket.approval_id, True, actor=Actor.resident(host))
            walkin.poll()
            shot("6-approved")
            count += 1
        count += 5
    return count


def _invite_story(kiosk: Kiosk, out: Path, orientation: str) -> int:
    """A resident (identified by their card) invites a visitor: when, who, check, printed."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from kiosk.session import EndReason
    from kiosk.store.models import Resident

    services = kiosk.backend.services()
    with services.database.session(write=False) as session:
        card = session.scalar(
            select(Resident.card_uid_hash)
            .where(Resident.card_uid_hash.is_not(None))
            .order_by(Resident.id)
            .limit(1)
        )
    if card is None:
        return 0
    identity = services.platform.identify_resident_by_card(card)
    tz = ZoneInfo(kiosk.ctx.settings.visitors.timezone)
    tomorrow = (datetime.now(tz) + timedelta(days=1)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    nav = kiosk.ctx.navigator
    invite = kiosk.ctx.invite
    count = 0
    for mode in ("standard", "elderly"):
        s = kiosk.ctx.session
        s.end(EndReason.FINISHED)
        s.begin()
        s.set_elderly(mode == "elderly")
        s.identify_resident(identity, via="card")

        def shot(step: str, mode: str = mode) -> None:
            _shoot(kiosk, out / f"story-invite-{step}-{mode}-{orientation}.png")

        invite.start()
        nav.go("invite_when")
        shot("1-when")
        invite.choose_window(tomorrow, tomorrow.replace(hour=12))
        nav.go("invite_name")
        shot("2-name")
        invite.set_name("李女士")
        nav.go("invite_confirm")
        shot("3-confirm")
        invite.issue()
        if nav.current is None or nav.current.screen_id != "invite_done":
            nav.go("invite_done")
        shot("4-printed")
        count += 4
    return count


def _a_resident_of(kiosk: Kiosk, household_id: int) -> int | None:
    from sqlalchemy import select

    from kiosk.store.models import Resident

    with kiosk.backend.services().database.session(write=False) as session:
        return session.scalar(
            select(Resident.id).where(Resident.household_id == household_id).limit(1)
        )


def _quiet(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # The offscreen plugin reports this for every window; everything else is shown.
    if "propagateSizeHints" not in message:
        sys.stderr.write(message + "\n")


def main() -> int:
    qInstallMessageHandler(_quiet)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--landscape-only", action="store_true")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    del app
    orientations = ("landscape",) if args.landscape_only else ("landscape", "portrait")
    n = render_all(args.out, orientations=orientations)
    print(f"wrote {n} screenshots to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
