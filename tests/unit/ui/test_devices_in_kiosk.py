"""Devices inside the running kiosk: signals on the GUI thread, cards start and end visits,
the device table on the admin screen, kept slips wiped with the visit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from hardware.camera.simulated import SimulatedQrScanner
from hardware.card_reader.simulated import SimulatedCardReader
from hardware.printer.simulated import SimulatedReceiptPrinter
from hardware.protocols import PaperOutError, PrinterError, Receipt, ReceiptLine
from kiosk.session import EndReason
from ui import navigator as nav
from ui.app import Kiosk, device_rows


@pytest.fixture
def running(kiosk: Kiosk) -> Kiosk:
    kiosk.hub.start()
    yield kiosk
    kiosk.hub.stop()


@pytest.mark.gui
def test_a_card_starts_the_visit_and_removing_it_ends_it(running: Kiosk, qtbot: QtBot) -> None:
    reader = running.hub.devices.card_reader
    assert isinstance(reader, SimulatedCardReader)
    ended: list[object] = []
    running.ctx.session.ended.connect(ended.append)
    with qtbot.waitSignal(running.hub.card_event, timeout=2000):
        assert reader.insert_card("04A1B2C3")
    assert running.ctx.session.active
    running.ctx.navigator.go(nav.HOME)
    with qtbot.waitSignal(running.hub.card_event, timeout=2000):
        reader.remove_card()
    assert not running.ctx.session.active
    assert ended == [EndReason.CARD_REMOVED]
    assert running.ctx.navigator.current is running.ctx.navigator.screen(nav.ATTRACT)


@pytest.mark.gui
def test_removing_a_card_does_not_end_a_visit_it_did_not_start(
    running: Kiosk, qtbot: QtBot
) -> None:
    reader = running.hub.devices.card_reader
    assert isinstance(reader, SimulatedCardReader)
    running.ctx.session.begin()
    with qtbot.waitSignal(running.hub.card_event, timeout=2000):
        reader.insert_card("04A1B2C3")
    with qtbot.waitSignal(running.hub.card_event, timeout=2000):
        reader.remove_card()
    assert running.ctx.session.active


@pytest.mark.gui
def test_scanned_code_arrives_on_the_gui_thread(running: Kiosk, qtbot: QtBot) -> None:
    camera = running.hub.devices.camera
    assert isinstance(camera, SimulatedQrScanner)
    threads: list[object] = []
    running.hub.qr_scanned.connect(lambda _t: threads.append(QThread.currentThread()))
    with qtbot.waitSignal(running.hub.qr_scanned, timeout=2000) as blocker:
        camera.show_qr("访客通行证：3栋2单元501")
    assert blocker.args == ["访客通行证：3栋2单元501"]
    assert threads == [running.window.thread()]


@pytest.mark.gui
def test_camera_going_offline_is_reported_at_once(running: Kiosk, qtbot: QtBot) -> None:
    camera = running.hub.devices.camera
    assert isinstance(camera, SimulatedQrScanner)
    with qtbot.waitSignal(running.hub.state_changed, timeout=2000) as blocker:
        camera.go_offline()
    key, status = blocker.args
    assert key == "camera"
    assert status.state.value == "offline"
    assert running.hub.state("camera").state.value == "offline"


@pytest.mark.gui
def test_device_table_lists_every_configured_device(running: Kiosk) -> None:
    rows = {r.device: r for r in device_rows(running.backend, running.hub)}
    for key in ("speech", "printer", "camera", "card_reader", "health.blood_pressure", "database"):
        assert key in rows
    assert rows["printer"].device_label() == "小票打印机"
    assert rows["printer"].state_label() == "正常"
    printer = running.hub.devices.printer
    assert isinstance(printer, SimulatedReceiptPrinter)
    printer.go_offline()
    rows = {r.device: r for r in device_rows(running.backend, running.hub)}
    assert rows["printer"].state_label() == "离线"


@pytest.mark.gui
def test_slips_kept_for_reprint_are_wiped_with_the_visit(running: Kiosk) -> None:
    printer = running.hub.devices.printer
    assert isinstance(printer, SimulatedReceiptPrinter)
    running.ctx.session.begin()
    printer.fail_next(PaperOutError("paper out"))
    with pytest.raises(PrinterError):
        printer.print_receipt(Receipt(title="访客单", lines=(ReceiptLine("王*明"),)))
    assert len(printer.spool.pending()) == 1
    running.ctx.session.end(EndReason.IDLE)
    assert printer.spool.pending() == []


@pytest.mark.gui
def test_simulator_panel_drives_the_kiosk(running: Kiosk, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from ui.dev.simulator_panel import SimulatorPanel

    panel = SimulatorPanel(running.hub.devices)
    qtbot.addWidget(panel)
    panel.show()

    def press(name: str) -> None:
        button = panel.findChild(QPushButton, name)
        assert button is not None, name
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    panel.qr_text.setText("PASS-0001")
    with qtbot.waitSignal(running.hub.qr_scanned, timeout=2000) as blocker:
        press("Show QR")
    assert blocker.args == ["PASS-0001"]
    with qtbot.waitSignal(running.hub.card_event, timeout=2000):
        press("Insert card")
    assert running.ctx.session.active
    press("Paper out")
    rows = {r.device: r for r in device_rows(running.backend, running.hub)}
    assert rows["printer"].state.value == "paper_out"


@pytest.mark.gui
def test_refreshed_device_table_shows_each_row_once(running: Kiosk, qtbot: QtBot) -> None:
    """Old cells must vanish at once, not when their deferred delete runs."""
    from PySide6.QtWidgets import QApplication, QLabel

    from ui.screens.admin import AdminScreen

    running.ctx.session.begin()
    running.ctx.navigator.go("admin")
    screen = running.ctx.navigator.current
    assert isinstance(screen, AdminScreen)
    rows = device_rows(running.backend, running.hub)
    for _ in range(3):
        screen._on_devices(rows)
    # New cells are shown by a queued call; deferred deletes would need the outer loop.
    QApplication.processEvents()
    shown = [w for w in screen.card.findChildren(QLabel) if w.isVisibleTo(screen)]
    assert len(shown) == 3 * (len(screen._rows) + 1)  # header + one line a device
    assert sum(1 for w in shown if w.text() == "数据库") == 1


@pytest.mark.gui
def test_simulator_panel_plays_the_platform_app_for_demonstrations(
    kiosk: Kiosk, qtbot: QtBot
) -> None:
    """The panel's visitor buttons: a pass a resident sent, the app's resident and volunteer
    codes, and the host answering a walk-in; the kiosk reacts as to the real thing."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    from ui.dev.simulator_panel import DemoVisitors, SimulatorPanel

    kiosk.hub.start()
    visitors = DemoVisitors(
        kiosk.backend.services, lambda: kiosk.ctx.walkin.ticket, community_id="demo"
    )
    panel = SimulatorPanel(kiosk.hub.devices, visitors=visitors)
    qtbot.addWidget(panel)
    panel.show()
    nav = kiosk.ctx.navigator

    def press(name: str) -> None:
        button = panel.findChild(QPushButton, name)
        assert button is not None, name
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    kiosk.ctx.session.begin()
    nav.home()
    press("Show visitor pass")
    assert nav.current is not None
    assert nav.current.screen_id == "checkin_confirm"
    kiosk.ctx.checkin.cancel()
    nav.home()
    press("Show resident code")
    assert kiosk.ctx.session.resident is not None
    nav.home()
    press("Show volunteer code")
    assert nav.current is not None
    assert nav.current.screen_id == "volunteer_pin"
    # A walk-in waiting for the host: the host's "yes" admits them and prints the slip.
    nav.home()
    walkin = kiosk.ctx.walkin
    walkin.start()
    household = kiosk.backend.services().platform.find_households()[0]
    walkin.choose_household(household.household_id, household.label)
    walkin.set_name("王先生")
    walkin.set_reason("family")
    walkin.submit()
    assert walkin.ticket is not None
    assert walkin.ticket.state == "pending"
    press("Host approves walk-in")
    walkin.poll()
    assert nav.current is not None
    assert nav.current.screen_id == "checkin_result"
    printer = kiosk.hub.devices.printer
    assert printer is not None
    assert len(getattr(printer, "printed", [])) == 1
