"""Composition root and entry point: settings → store → services → flows → window.

``community-kiosk`` runs the kiosk. Everything is built here and injected; no lower layer
reaches up or looks anything up globally.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

_T0 = time.perf_counter()

# NOTE: Qt-free modules first. Once PySide6 is imported, its import hook reads the source of
# every later module, so importing these before it measurably shortens start-up.
from hardware.protocols import CardReader, DeviceState, SpeechEngine  # noqa: E402
from hardware.registry import create_speech_engine  # noqa: E402
from kiosk.backend import CARD_KEY_FILE, Backend  # noqa: E402
from kiosk.config import ConfigError, Settings, default_config_toml, load_settings  # noqa: E402
from kiosk.device_set import create_devices  # noqa: E402
from kiosk.keys import load_or_create_key  # noqa: E402

# isort: split
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QFont, QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget  # noqa: E402

from hardware.protocols import CardEvent  # noqa: E402
from kiosk.devices import DeviceRow  # noqa: E402
from kiosk.errors import KioskError  # noqa: E402
from kiosk.flows.admin import AdminFlow  # noqa: E402
from kiosk.flows.checkin import CheckInFlow, classify_scan  # noqa: E402
from kiosk.flows.help import HelpFlow  # noqa: E402
from kiosk.flows.invite import InviteFlow  # noqa: E402
from kiosk.flows.notices import NoticesFlow  # noqa: E402
from kiosk.flows.resident import (  # noqa: E402
    RESIDENT_WELCOME,
    ResidentFlow,
    identity_scan_kind,
    spoken_masked,
)
from kiosk.flows.volunteer import VolunteerFlow  # noqa: E402
from kiosk.flows.walkin import WalkInFlow  # noqa: E402
from kiosk.hub import DeviceHub  # noqa: E402
from kiosk.i18n import LanguageService, TranslationMissingError  # noqa: E402
from kiosk.log import setup_logging  # noqa: E402
from kiosk.session import EndReason, IdleWatcher, Resident, VisitorSession  # noqa: E402
from kiosk.tasks import InlineRunner, Runner, TaskRunner  # noqa: E402
from kiosk.voice import VoiceService  # noqa: E402
from ui import navigator as nav  # noqa: E402
from ui.context import ScreenContext  # noqa: E402
from ui.main_window import KioskWindow  # noqa: E402
from ui.navigator import Navigator  # noqa: E402
from ui.registry import load_all  # noqa: E402
from ui.theme import Theme, pick_font_family  # noqa: E402

if TYPE_CHECKING:
    from hardware.protocols import Receipt
    from kiosk.platform.api import IssuedPass, Visit
    from kiosk.store.db import Database

log = logging.getLogger(__name__)


@dataclass
class Kiosk:
    """Everything the composition root built; tests and tools drive it directly."""

    settings: Settings
    backend: Backend
    ctx: ScreenContext
    window: KioskWindow
    runner: Runner
    hub: DeviceHub

    @property
    def database(self) -> Database:
        """The station database (opens it if the background opening has not yet)."""
        return self.backend.services().database

    def build_screens_soon(self) -> None:
        """Build the screens ``build(defer_screens=True)`` left waiting, one per event-loop
        turn after the first frame, so a touch never waits for more than one screen."""
        navigator = self.ctx.navigator

        def step() -> None:
            if navigator.build_next():
                QTimer.singleShot(0, step)

        QTimer.singleShot(0, step)

    def open_backend_soon(self) -> None:
        """Open the store on a worker once the first frame is up."""
        QTimer.singleShot(0, lambda: self.runner.run(self.backend.open, None, _backend_failed))

    def start_devices_soon(self, on_ready: Callable[[], None] | None = None) -> None:
        """Create the devices on a worker once the first frame is up, then start them."""

        def started(_devices: object) -> None:
            self.hub.start()
            if on_ready is not None:
                on_ready()

        QTimer.singleShot(0, lambda: self.runner.run(self.hub.load, started, _devices_failed))

    def shutdown(self) -> None:
        self.hub.stop()
        if isinstance(self.runner, TaskRunner):
            self.runner.wait_for_done(10000)
        self.ctx.voice.shutdown()
        self.window.ctx.session.blockSignals(True)
        self.window.deleteLater()
        self.backend.close()


def _devices_failed(exc: BaseException) -> None:
    log.error("devices could not be created: %s", type(exc).__name__)


def _backend_failed(exc: BaseException) -> None:
    # Flows report their own failures to the user; this is the operator's log line.
    log.error("station database unavailable: %s", type(exc).__name__)


def device_rows(backend: Backend, hub: DeviceHub) -> list[DeviceRow]:
    """The device table for the admin screen and the doctor command. Worker threads only."""
    rows = hub.rows()
    try:
        database = backend.services().database
        dialect = database.engine.dialect.name
        database.ping()
        rows.append(DeviceRow("database", dialect, DeviceState.READY))
    except Exception as exc:  # any failure is shown to staff as a database error
        rows.append(DeviceRow("database", "-", DeviceState.ERROR, type(exc).__name__))
    return rows


def _wedge_reader(settings: Settings, card_key: bytes) -> CardReader | None:
    if settings.devices.card_reader.driver != "wedge":
        return None
    from ui.card_wedge import KeyboardWedgeCardReader

    return KeyboardWedgeCardReader(card_key, max_gap_ms=settings.devices.card_reader.max_gap_ms)


def build(
    settings: Settings,
    *,
    database: Database | None = None,
    engine: SpeechEngine | None = None,
    runner: Runner | None = None,
    demo: bool = False,
    defer_screens: bool = False,
) -> Kiosk:
    """Build the whole kiosk. A QApplication must exist.

    The store is not opened here: ``Kiosk.open_backend_soon()`` (called by ``main``) opens it
    on a worker after the first frame, and any flow that needs it first waits for it on its
    own worker. With an ``InlineRunner`` (tests) it is opened right away.
    """
    app = QApplication.instance()
    assert isinstance(app, QApplication), "create the QApplication first"
    family = pick_font_family()
    app.setFont(QFont(family))
    card_key = load_or_create_key(settings.data_path() / "keys" / CARD_KEY_FILE)
    backend = Backend(settings, database=database, demo=demo, card_key=card_key)
    tasks: Runner = runner or TaskRunner()
    if isinstance(tasks, InlineRunner):
        backend.open()
    language = LanguageService(settings.station.language)
    speech = engine or create_speech_engine(settings.voice.engine)
    wedge = _wedge_reader(settings, card_key)
    hub = DeviceHub(
        lambda: create_devices(settings, card_key=card_key, speech=speech, card_reader=wedge)
    )
    if isinstance(tasks, InlineRunner):
        hub.load()
    voice = VoiceService(speech, settings.voice, language=lambda: language.current)
    session = VisitorSession()
    idle = IdleWatcher(
        session,
        settings.session,
        volunteer_idle_s=settings.session.volunteer_idle_s,
        volunteer_max_s=settings.session.volunteer_max_s,
    )
    theme = Theme(settings.display.px_per_mm, family)
    stack = QStackedWidget()
    navigator = Navigator(stack, voice)
    help_flow = HelpFlow(lambda: backend.services().help, session, tasks)
    notices = NoticesFlow(lambda: backend.services().notices.current(), tasks)
    admin = AdminFlow(
        lambda: backend.services().admin_auth,
        session,
        tasks,
        lambda: device_rows(backend, hub),
        max_failures=settings.admin.max_failures,
        visits=lambda: backend.services().platform.visits_inside(),
    )
    volunteer = VolunteerFlow(
        lambda: backend.services().platform,
        session,
        tasks,
        max_failures=settings.admin.max_failures,
    )
    checkin = _checkin_flow(settings, backend, hub, session, tasks)
    resident = ResidentFlow(
        lambda: backend.services().platform,
        session,
        tasks,
        max_failures=settings.admin.max_failures,
    )
    walkin = WalkInFlow(
        lambda: backend.services().platform,
        session,
        tasks,
        checkin,
        actor=session.actor,
    )
    invite = _invite_flow(settings, backend, hub, session, tasks)
    ctx = ScreenContext(
        settings=settings,
        session=session,
        idle=idle,
        voice=voice,
        language=language,
        theme=theme,
        navigator=navigator,
        help=help_flow,
        notices=notices,
        admin=admin,
        volunteer=volunteer,
        checkin=checkin,
        walkin=walkin,
        invite=invite,
        resident=resident,
        camera_frames=lambda: _camera_frame(hub),
    )
    window = KioskWindow(ctx, stack)
    load_all()
    window.add_screens(defer=defer_screens)
    navigator.reset_to(nav.ATTRACT)
    _wire_devices(hub, session, volunteer, resident)
    _wire_scans(hub, navigator, session, checkin, volunteer, resident)
    _wire_identities(window, navigator, voice, volunteer, resident)
    return Kiosk(settings=settings, backend=backend, ctx=ctx, window=window, runner=tasks, hub=hub)


def _wire_devices(
    hub: DeviceHub, session: VisitorSession, volunteer: VolunteerFlow, resident: ResidentFlow
) -> None:
    """Visit rules that come from devices. A card is first offered to the volunteer sign-in
    (a volunteer's card leads to the PIN screen); any other card starts a visit, and removing
    the card that started it ends it. The end of a visit drops slips kept for reprint (they
    hold personal data)."""
    started_by: list[str | None] = []

    def resident_card(uid_hash: str | None) -> None:
        if not session.active:
            session.begin()
            started_by[:] = [uid_hash]
        if uid_hash is not None:
            resident.card_presented(uid_hash)

    def on_card(event: CardEvent) -> None:
        if event.kind == "inserted":
            if event.uid_hash is None:
                resident_card(None)
            else:
                volunteer.card_presented(event.uid_hash)
        elif started_by and started_by[0] == event.uid_hash and session.active:
            session.end(EndReason.CARD_REMOVED)

    def on_ended(_reason: object) -> None:
        started_by.clear()
        spool = getattr(hub.devices.printer, "spool", None) if hub.loaded else None
        if spool is not None:
            spool.clear()

    def on_volunteer_card(_masked: str) -> None:
        session.begin()

    hub.card_event.connect(on_card)
    volunteer.not_a_volunteer.connect(resident_card)
    volunteer.card_recognised.connect(on_volunteer_card)
    session.ended.connect(on_ended)


def _checkin_flow(
    settings: Settings,
    backend: Backend,
    hub: DeviceHub,
    session: VisitorSession,
    tasks: Runner,
) -> CheckInFlow:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(settings.visitors.timezone)

    def make_slip(visit: Visit, valid_until: object) -> Receipt:
        from kiosk.flows.slips import visitor_slip

        return visitor_slip(
            visit,
            station_name=settings.station.name,
            valid_until=valid_until if isinstance(valid_until, datetime) else None,
            tz=tz,
        )

    return CheckInFlow(
        lambda: backend.services().visitors,
        session,
        tasks,
        print_slip=lambda receipt: _print(hub, receipt),
        make_slip=make_slip,
        actor=session.actor,
        tz=tz,
        wrong_code_limit=settings.visitors.wrong_code_limit,
    )


def _invite_flow(
    settings: Settings,
    backend: Backend,
    hub: DeviceHub,
    session: VisitorSession,
    tasks: Runner,
) -> InviteFlow:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(settings.visitors.timezone)

    def make_slip(issued: IssuedPass) -> Receipt:
        from kiosk.flows.slips import invitation_slip

        return invitation_slip(issued, station_name=settings.station.name, tz=tz)

    return InviteFlow(
        lambda: backend.services().platform,
        session,
        tasks,
        print_slip=lambda receipt: _print(hub, receipt),
        make_slip=make_slip,
        actor=session.actor,
        tz=tz,
    )


def _print(hub: DeviceHub, receipt: Receipt) -> None:
    """Print on the slip printer (worker thread). No printer configured: offline."""
    from hardware.protocols import PrinterOfflineError

    printer = hub.devices.printer
    if printer is None:
        raise PrinterOfflineError("no slip printer is configured")
    printer.print_receipt(receipt)


def _camera_frame(hub: DeviceHub) -> object:
    if not hub.loaded or hub.devices.camera is None:
        return None
    latest = getattr(hub.devices.camera, "latest_frame", None)
    return latest() if latest is not None else None


def _wire_scans(
    hub: DeviceHub,
    navigator: Navigator,
    session: VisitorSession,
    checkin: CheckInFlow,
    volunteer: VolunteerFlow,
    resident: ResidentFlow,
) -> None:
    """QR codes the camera reads. A volunteer's code (``KV1.``) signs in from the attract,
    home and sign-in screens; a resident's code (``KR1.``) identifies the resident where a
    visit may begin and on the identification screen. Passes and slip exit codes are acted
    on where a visitor may show them (attract, home and the check-in screens); elsewhere (a
    payment, a tutorial) a stray code is ignored. On the check-in screens anything else is
    refused as unreadable, so the visitor hears why nothing happens."""
    from ui.screens.checkin import CHECKIN, CHECKIN_CODE, SCAN_SCREENS

    def on_qr(text: str) -> None:
        current = navigator.current
        screen_id = current.screen_id if current is not None else ""
        identity = identity_scan_kind(text)
        if identity == "volunteer":
            if screen_id in (nav.ATTRACT, nav.HOME, "volunteer_pin"):
                volunteer.qr_presented(text)
            return
        if identity == "resident":
            if screen_id in SCAN_SCREENS or screen_id == "resident_identify":
                session.begin()
                resident.qr_presented(text)
            return
        if screen_id not in SCAN_SCREENS:
            return
        kind = classify_scan(text)
        if kind == "exit":
            checkin.exit_scanned(text)
        elif kind == "pass" or screen_id in (CHECKIN, CHECKIN_CODE):
            checkin.pass_scanned(text)

    hub.qr_scanned.connect(on_qr)


def _wire_identities(
    window: KioskWindow,
    navigator: Navigator,
    voice: VoiceService,
    volunteer: VolunteerFlow,
    resident: ResidentFlow,
) -> None:
    """A resident identified (or refused) away from the identification screen (a card
    tapped, a resident code shown at the home screen) is greeted (or told why) here; on
    their own screens the flows' screens do it."""
    own = ("resident_identify", "volunteer_pin")

    def here() -> str:
        current = navigator.current
        return current.screen_id if current is not None else ""

    def identified(who: Resident) -> None:
        if here() == "resident_identify":
            return
        if here() == nav.ATTRACT:
            navigator.home()
        voice.say(RESIDENT_WELCOME, name=spoken_masked(who.masked_name), auto=True)

    def refused(error: KioskError) -> None:
        if here() in own:
            return
        text = error.text()
        window.message_overlay.show_message(text, error=True)
        voice.say(text)

    resident.identified.connect(identified)
    resident.rejected.connect(refused)
    volunteer.identification_failed.connect(refused)


def _has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


NO_DISPLAY_HELP = """\
没有找到显示器，无法打开触摸屏窗口。(No display found: the kiosk window cannot open.)

How to go on:
  * Look at every screen as pictures:   make screenshots   (PNG files in docs/screenshots/)
  * Run on a virtual display:
        xvfb-run -a -s "-screen 0 1920x1080x24" \\
            .venv/bin/community-kiosk --simulate --demo --windowed
  * Check that it starts, headless:
        QT_QPA_PLATFORM=offscreen .venv/bin/community-kiosk --simulate --demo --quit-when-ready
  * On the kiosk itself, start it from the graphical session (cage or a desktop).
"""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="community-kiosk", description="Community service station kiosk (社区服务站自助终端)."
    )
    p.add_argument("--config", type=Path, help="configuration file (TOML)")
    p.add_argument("--print-default-config", action="store_true", help="print defaults and exit")
    p.add_argument("--windowed", action="store_true", help="a normal window (development)")
    p.add_argument("--portrait", action="store_true", help="with --windowed: 1080×1920")
    p.add_argument("--simulate", action="store_true", help="simulated devices")
    p.add_argument("--demo", action="store_true", help="seed the fictional demo community")
    p.add_argument(
        "--quit-when-ready",
        action="store_true",
        help="print the time to an interactive home screen and exit (benchmarks)",
    )
    return p.parse_args(argv)


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


#: Staff commands that need no display: ``community-kiosk <name> …``.
SUBCOMMANDS = {
    "passes": "kiosk.cli.passes",  # keygen / issue / verify signed visitor passes
    "audit": "kiosk.cli.audit",  # verify the hash-chained audit log
    "purge": "kiosk.cli.purge",  # retention purge (--dry-run shows counts)
    "keys": "kiosk.cli.keys",  # rotate the field-encryption key
    "denylist": "kiosk.cli.denylist",  # staff: add / remove / list the walk-in deny list
    "pins": "kiosk.cli.pins",  # status / unlock admin, volunteer and room lockouts (audited)
}


def doctor_main(argv: Sequence[str]) -> int:
    """``community-kiosk doctor [--simulate] [--config FILE] [--wait S]``."""
    from kiosk import doctor

    p = argparse.ArgumentParser(
        prog="community-kiosk doctor", description="Check every configured device."
    )
    p.add_argument("--config", type=Path, help="configuration file (TOML)")
    p.add_argument("--simulate", action="store_true", help="check the simulated device set")
    p.add_argument("--wait", type=float, default=3.0, help="seconds to let devices settle")
    args = p.parse_args(argv)
    try:
        settings = load_settings(
            args.config, overrides=dict(doctor.SIMULATED) if args.simulate else None
        )
    except ConfigError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    return doctor.main(settings, wait_s=args.wait)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["doctor"]:
        return doctor_main(argv[1:])
    if argv[:1] and argv[0] in SUBCOMMANDS:
        module = importlib.import_module(SUBCOMMANDS[argv[0]])
        return int(module.main(argv[1:]))
    args = parse_args(argv)
    if args.print_default_config:
        sys.stdout.write(default_config_toml())
        return 0
    overrides: dict[str, object] = {}
    if args.simulate:
        overrides.update(
            {
                "devices.printer.driver": "simulated",
                "devices.document_printer.driver": "none",
                "devices.camera.driver": "simulated",
                "devices.card_reader.driver": "simulated",
                "devices.health.driver": "simulated",
            }
        )
    if args.windowed:
        overrides["display.fullscreen"] = False
        if args.portrait:
            overrides.update({"display.width_px": 1080, "display.height_px": 1920})
    try:
        settings = load_settings(args.config, overrides=overrides)
    except ConfigError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    if not _has_display():
        sys.stderr.write(NO_DISPLAY_HELP)
        return 2
    setup_logging(
        settings.log_path(), level=settings.log.level, retention_days=settings.log.retention_days
    )
    app = QApplication(sys.argv[:1])
    app.setApplicationName("community-kiosk")
    try:
        kiosk = build(settings, demo=args.demo, defer_screens=True)
    except TranslationMissingError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    window = kiosk.window
    kiosk.open_backend_soon()
    kiosk.build_screens_soon()
    panel: list[QWidget] = []

    def show_panel() -> None:
        if not args.simulate or args.quit_when_ready:
            return
        from ui.dev.simulator_panel import DemoVisitors, SimulatorPanel

        backend = kiosk.backend
        visitors = DemoVisitors(
            backend.services,
            lambda: kiosk.ctx.walkin.ticket,
            community_id=settings.station.community_id,
        )
        panel.append(SimulatorPanel(kiosk.hub.devices, visitors=visitors))
        if not settings.display.fullscreen:
            panel[0].move(window.frameGeometry().right() + 16, window.frameGeometry().top())
        panel[0].show()

    kiosk.start_devices_soon(show_panel)
    if settings.display.fullscreen:
        screen = QGuiApplication.primaryScreen()
        window.setGeometry(screen.geometry())
        window.showFullScreen()
    else:
        window.resize(settings.display.width_px, settings.display.height_px)
        window.show()
    if args.quit_when_ready:

        def ready() -> None:
            kiosk.ctx.session.begin()
            kiosk.ctx.navigator.go(nav.HOME)
            app.processEvents()
            ms = (time.perf_counter() - _T0) * 1000
            sys.stdout.write(f"READY home_ms={ms:.0f} rss_mb={_rss_mb():.1f}\n")
            sys.stdout.flush()
            # exit(), not quit(): Qt 6's quit() first asks every window to close, and the
            # locked-down KioskWindow refuses, so quit() would leave the kiosk running.
            app.exit(0)

        QTimer.singleShot(0, ready)
    code = app.exec()
    kiosk.shutdown()
    return int(code)


__all__ = ["InlineRunner", "Kiosk", "build", "main"]
