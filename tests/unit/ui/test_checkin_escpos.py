"""The visitor slip as bytes: the whole kiosk prints through the real ESC/POS driver to a TCP
"printer" on 127.0.0.1, and the stream is parsed back: Chinese text in GB18030, the masked
name only, the exit QR code holding the visit's exit token, a cut at the end."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hardware.camera.simulated import SimulatedQrScanner
from hardware.speech.recording import RecordingSpeechEngine
from kiosk.config import load_settings
from kiosk.security.short_codes import format_code
from kiosk.store.db import Database
from kiosk.tasks import InlineRunner
from tests.unit.hardware.printer import escpos_stream as es
from tests.unit.hardware.printer import fake_printer as fp
from tests.unit.hardware.printer.fake_printer import FakeEscPosPrinter
from ui.app import Kiosk, build
from ui.screens.checkin import CheckInConfirmScreen, CheckInResultScreen

NAME = "李建国"


@pytest.fixture
def server() -> Iterator[FakeEscPosPrinter]:
    printer = FakeEscPosPrinter(fp.fixed()).start()
    yield printer
    printer.stop()


@pytest.fixture
def escpos_kiosk(
    qtbot: QtBot, tmp_path: Path, server: FakeEscPosPrinter, database: Database
) -> Iterator[Kiosk]:
    settings = load_settings(
        None,
        overrides={
            "paths.data_dir": str(tmp_path / "data"),
            "paths.log_dir": str(tmp_path / "log"),
            "voice.engine": "recording",
            "display.fullscreen": False,
            "devices.printer.driver": "escpos-network",
            "devices.printer.host": server.host,
            "devices.printer.port": server.port,
        },
    )
    k = build(
        settings,
        database=database,
        engine=RecordingSpeechEngine(),
        runner=InlineRunner(),
        demo=True,
    )
    k.window.resize(settings.display.width_px, settings.display.height_px)
    k.window.show()
    qtbot.waitExposed(k.window)
    k.hub.start()
    yield k
    k.ctx.voice.shutdown()
    k.ctx.language.reset()
    k.ctx.language.uninstall()
    k.window._allow_close = True
    k.window.close()
    k.window.deleteLater()


def _wait(predicate: Callable[[], bool], qtbot: QtBot) -> None:
    qtbot.waitUntil(predicate, timeout=10_000)


@pytest.mark.gui
def test_visitor_slip_bytes_over_tcp(
    escpos_kiosk: Kiosk, qtbot: QtBot, server: FakeEscPosPrinter
) -> None:
    kiosk = escpos_kiosk
    services = kiosk.backend.services()
    assert services.pass_signer is not None
    household = services.platform.find_households()[0]
    token = services.pass_signer.issue(
        community_id="demo",
        household=household.code,
        visitor_name=NAME,
        valid_until=datetime.now(UTC) + timedelta(hours=2),
        pass_id=uuid.uuid4(),
    )
    kiosk.ctx.session.begin()
    kiosk.ctx.navigator.home()
    camera = kiosk.hub.devices.camera
    assert isinstance(camera, SimulatedQrScanner)
    camera.show_qr(token)
    _wait(lambda: isinstance(kiosk.ctx.navigator.current, CheckInConfirmScreen), qtbot)
    confirm = kiosk.ctx.navigator.current
    assert isinstance(confirm, CheckInConfirmScreen)
    qtbot.mouseClick(confirm.confirm, Qt.MouseButton.LeftButton)
    _wait(lambda: isinstance(kiosk.ctx.navigator.current, CheckInResultScreen), qtbot)
    _wait(lambda: any(b"\x1dV" in job for job in server.received()), qtbot)
    (visit,) = services.platform.visits_inside()
    stream = next(job for job in server.received() if b"\x1dV" in job)
    _queries, job = es.split_status_queries(stream)
    tokens = es.parse(job)
    lines = es.text_lines(tokens)
    printed = "\n".join(lines)
    assert "李*国" in printed
    assert NAME not in printed
    assert household.label in printed
    assert es.qr_payloads(tokens) == [visit.exit_token]
    assert any(format_code(visit.exit_code) in line for line in lines)
    names = es.commands(tokens)
    assert names[-1] == "GS V"
