"""Visitor and invitation slips: what ends up on paper through the real ESC/POS driver (a raw
TCP printer on 127.0.0.1) and the simulated printer (PNG), in Chinese and English.

What a person holding the slip notices: the masked name and never the full one, the home
they visit, when they came, the exit code under the QR code, and a QR code that the kiosk
reads back as the visit's exit token.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image, ImageOps
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from hardware.printer.escpos_printer import EscPosReceiptPrinter
from hardware.printer.render import PRACTICE_BANNER, SlipRenderer
from hardware.printer.simulated import SimulatedReceiptPrinter
from hardware.protocols import Receipt, ReceiptLine
from kiosk import i18n
from kiosk.flows import slips
from kiosk.flows.slips import invitation_slip, visitor_slip
from kiosk.i18n import LanguageService
from kiosk.platform.api import IssuedPass, Visit
from kiosk.security.short_codes import check_digit, format_code
from tests.unit.hardware.printer import escpos_stream as es
from tests.unit.hardware.printer import fake_printer as fp
from tests.unit.hardware.printer.fake_printer import FakeEscPosPrinter

TZ = ZoneInfo("Asia/Shanghai")
STATION = "幸福里社区服务站"
FULL_NAME = "张三明"
MASKED = "张*明"
HOUSEHOLD = "3栋2单元501"
EXIT_CODE = "12345678" + check_digit("12345678")
SHORT_CODE = "87654321" + check_digit("87654321")
VISIT_ID = "0b6f1c3e-5d2a-4e8f-9a71-2c4d6e8f0a1b"

VISIT = Visit(
    id=VISIT_ID,
    visitor_name=FULL_NAME,
    host_household_id=7,
    host_label=HOUSEHOLD,
    pass_id=None,
    kiosk_id="station-01",
    checked_in_at=datetime(2026, 11, 25, 6, 3, tzinfo=UTC),  # 14:03 in Shanghai
    checked_out_at=None,
    volunteer_id=None,
    on_behalf_of=None,
    exit_code=EXIT_CODE,
)
VALID_UNTIL = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai

ISSUED = IssuedPass(
    pass_id="00112233445566778899aabbccddeeff",
    token="KP1.eyJwIjoiZGVtbyJ9.c2lnbmF0dXJl",
    short_code=SHORT_CODE,
    household_id=7,
    household_label=HOUSEHOLD,
    visitor_name="欧阳娜娜",
    valid_from=datetime(2026, 11, 26, 1, 0, tzinfo=UTC),  # 09:00
    valid_until=datetime(2026, 11, 26, 13, 30, tzinfo=UTC),  # 21:30
    uses_allowed=1,
)

MakeServer = Callable[[], FakeEscPosPrinter]


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture
def language(qapp: QApplication) -> Iterator[LanguageService]:
    """The UI language service (Chinese first), put back to Chinese afterwards."""
    service = LanguageService("zh_CN", qm_dir=i18n.I18N_DIR)
    yield service
    service.reset()


@pytest.fixture
def fake_printer() -> Iterator[MakeServer]:
    """Factory for started raw-TCP receipt printers on 127.0.0.1 that answer 'all fine'."""
    started: list[FakeEscPosPrinter] = []

    def make() -> FakeEscPosPrinter:
        server = FakeEscPosPrinter(fp.fixed()).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


def _print_over_tcp(server: FakeEscPosPrinter, receipt: Receipt) -> bytes:
    """Print through the real driver and return the job bytes the printer received."""
    printer = EscPosReceiptPrinter(
        "network",
        host=server.host,
        port=server.port,
        timeout_s=2.0,
        status_timeout_s=0.3,
        after_job_timeout_s=0.3,
    )
    printer.print_receipt(receipt)
    deadline = time.monotonic() + 2.0
    while not (server.received() and server.received()[0].endswith(b"\x10\x04\x04")):
        assert time.monotonic() < deadline, "the job did not arrive"
        time.sleep(0.01)
    _, job = es.split_status_queries(server.received()[0])
    assert len(printer.spool) == 0, "the printer reported a problem"
    return job


def _printed_lines(job: bytes) -> list[str]:
    tokens = es.parse(job)  # strict: a stray control byte fails here
    assert set(es.commands(tokens)) <= es.ALLOWED_IN_JOB
    return es.text_lines(tokens)


def _zh_translated() -> bool:
    """Whether the shipped Chinese catalogue translates every slip string yet."""
    translator = QTranslator()
    if not translator.load(str(i18n.I18N_DIR / "kiosk_zh_CN.qm")):
        return False
    return all(translator.translate(slips.CONTEXT, source) for source in slips.SOURCES)


def _line_strip(line: ReceiptLine, renderer: SlipRenderer) -> Image.Image:
    """The inked pixel rows ``renderer`` draws for ``line`` (alone on a slip)."""
    plain = SlipRenderer(renderer.width_px, margin_px=renderer.margin_px, body_px=renderer.body_px)
    alone = plain.render(Receipt(title="", lines=(line,)))
    box = ImageOps.invert(alone).getbbox()
    assert box is not None, "nothing drawn"
    return alone.crop((0, box[1], alone.width, box[3]))


def _draws(slip: Image.Image, strip: Image.Image) -> bool:
    """Whether ``strip`` appears in ``slip`` pixel for pixel (rows span the whole width)."""
    want = strip.tobytes()
    first = strip.crop((0, 0, strip.width, 1)).tobytes()
    row = slip.width
    data = slip.tobytes()
    for y in range(slip.height - strip.height + 1):
        if data[y * row : (y + 1) * row] == first and (
            data[y * row : (y + strip.height) * row] == want
        ):
            return True
    return False


def _name_line(receipt: Receipt) -> ReceiptLine:
    (line,) = [line for line in receipt.lines if MASKED in line.text]
    return line


# ---------------------------------------------------------------- content, any language


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_visitor_slip_holds_what_the_visitor_needs(language: LanguageService, lang: str) -> None:
    language.set_language(lang)
    receipt = visitor_slip(VISIT, station_name=STATION, valid_until=VALID_UNTIL, tz=TZ)
    texts = [receipt.title, *(line.text for line in receipt.lines), receipt.qr_caption]
    joined = "\n".join([*texts, receipt.footer])
    assert receipt.qr == VISIT.exit_token == "KX1." + VISIT_ID
    assert receipt.qr_caption.endswith("123 456 78" + EXIT_CODE[-1])
    assert format_code(EXIT_CODE) in receipt.qr_caption
    assert any(STATION in t for t in texts)
    assert any("2026-11-25 14:03" in t for t in texts), "check-in time in the station's zone"
    assert any("2026-11-25 18:00" in t for t in texts), "valid until, local time"
    assert any(HOUSEHOLD in t for t in texts)
    assert _name_line(receipt).bold
    assert FULL_NAME not in joined
    assert receipt.footer
    assert not receipt.practice
    assert all("\n" not in t for t in texts), "every line is one line"


def test_visitor_slip_without_a_pass_window_or_exit_code(language: LanguageService) -> None:
    walk_in = replace(VISIT, exit_code="", host_label=None, host_household_id=None)
    receipt = visitor_slip(walk_in, station_name=STATION, valid_until=None, tz=TZ)
    assert receipt.qr == walk_in.exit_token
    assert receipt.qr_caption == "", "no exit code to print"
    assert not any("18:00" in line.text for line in receipt.lines)
    assert len(receipt.lines) == 5  # station, time, visitor, "visiting the station", hint


def test_nothing_from_outside_forges_a_line_or_shows_a_phone_number(
    language: LanguageService,
) -> None:
    sneaky = replace(
        VISIT,
        visitor_name="13812345678",  # a phone number typed as the name
        host_label="3栋\n有效期至：2099-01-01 00:00",
    )
    receipt = visitor_slip(
        sneaky, station_name="服务站 电话\r\n13987654321", valid_until=None, tz=TZ
    )
    everything = "\n".join(
        [receipt.title, *(line.text for line in receipt.lines), receipt.qr_caption, receipt.footer]
    )
    assert "13812345678" not in everything
    assert "13987654321" not in everything
    assert "139****4321" in everything
    for line in receipt.lines:
        assert "\n" not in line.text
        assert "\r" not in line.text
    assert any(line.text.endswith("3栋 有效期至：2099-01-01 00:00") for line in receipt.lines)


def test_practice_slip_is_marked(language: LanguageService) -> None:
    receipt = visitor_slip(VISIT, station_name=STATION, valid_until=None, tz=TZ, practice=True)
    assert receipt.practice


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_invitation_holds_the_pass_and_its_short_code(language: LanguageService, lang: str) -> None:
    language.set_language(lang)
    receipt = invitation_slip(ISSUED, station_name=STATION, tz=TZ)
    texts = [receipt.title, *(line.text for line in receipt.lines), receipt.qr_caption]
    assert receipt.qr == ISSUED.token
    assert receipt.qr_caption.endswith(format_code(SHORT_CODE))
    assert any("欧**娜" in t for t in texts)
    assert not any("欧阳娜娜" in t for t in [*texts, receipt.footer])
    assert any(HOUSEHOLD in t for t in texts)
    assert any("2026-11-26 09:00" in t for t in texts)
    assert any("2026-11-26 21:30" in t for t in texts)


# ---------------------------------------------------------------- on paper: ESC/POS over TCP


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_visitor_slip_through_the_escpos_driver(
    language: LanguageService, fake_printer: MakeServer, lang: str
) -> None:
    language.set_language(lang)
    receipt = visitor_slip(VISIT, station_name=STATION, valid_until=VALID_UNTIL, tz=TZ)
    job = _print_over_tcp(fake_printer(), receipt)

    assert HOUSEHOLD.encode("gb18030") in job
    assert MASKED.encode("gb18030") in job
    for encoding in ("gb18030", "utf-8", "utf-16-le"):
        assert FULL_NAME.encode(encoding) not in job
    tokens = es.parse(job)
    assert es.qr_payloads(tokens) == [VISIT.exit_token]
    lines = _printed_lines(job)
    assert receipt.qr_caption in lines, "the exit code is printed under the QR code"
    assert any(line.endswith(format_code(EXIT_CODE)) for line in lines)
    assert any(MASKED in line for line in lines)
    assert not any(FULL_NAME in line for line in lines)
    assert any("2026-11-25 14:03" in line for line in lines)
    assert any(STATION in line for line in lines)
    # The QR code comes after the text and before its caption.
    qr_at = next(t.offset for t in tokens if t.name == "GS ( k")
    assert job.find(MASKED.encode("gb18030")) < qr_at < job.find(format_code(EXIT_CODE).encode())


def test_invitation_through_the_escpos_driver(
    language: LanguageService, fake_printer: MakeServer
) -> None:
    receipt = invitation_slip(ISSUED, station_name=STATION, tz=TZ)
    job = _print_over_tcp(fake_printer(), receipt)
    assert es.qr_payloads(es.parse(job)) == [ISSUED.token]
    assert HOUSEHOLD.encode("gb18030") in job
    assert "欧**娜".encode("gb18030") in job
    assert "欧阳娜娜".encode("gb18030") not in job
    assert receipt.qr_caption in _printed_lines(job)


def test_practice_slip_through_the_escpos_driver(
    language: LanguageService, fake_printer: MakeServer
) -> None:
    receipt = visitor_slip(VISIT, station_name=STATION, valid_until=None, tz=TZ, practice=True)
    lines = _printed_lines(_print_over_tcp(fake_printer(), receipt))
    assert sum(PRACTICE_BANNER in line for line in lines) == 2


# ---------------------------------------------------------------- on paper: simulated printer


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_visitor_slip_on_the_simulated_printer(
    language: LanguageService, tmp_path: Path, lang: str
) -> None:
    language.set_language(lang)
    receipt = visitor_slip(VISIT, station_name=STATION, valid_until=VALID_UNTIL, tz=TZ)
    printer = SimulatedReceiptPrinter(tmp_path / "slips")
    printer.print_receipt(receipt)
    assert printer.printed == [receipt]
    (png,) = printer.images
    with Image.open(png) as opened:
        slip = opened.convert("L")
    decoded = [r.text for r in zxingcpp.read_barcodes(slip)]
    assert decoded == [VISIT.exit_token], "the QR code reads back as the exit token"

    renderer = printer.renderer
    name_line = _name_line(receipt)
    assert _draws(slip, _line_strip(name_line, renderer)), "the masked name is on the slip"
    unmasked = replace(name_line, text=name_line.text.replace(MASKED, FULL_NAME))
    assert not _draws(slip, _line_strip(unmasked, renderer)), "the full name is not"
    caption = ReceiptLine(receipt.qr_caption, align="center")
    assert _draws(slip, _line_strip(caption, renderer)), "the exit code is under the QR code"


# ---------------------------------------------------------------- the words, per language


def test_visitor_slip_reads_in_english(language: LanguageService) -> None:
    language.set_language("en")
    receipt = visitor_slip(VISIT, station_name=STATION, valid_until=VALID_UNTIL, tz=TZ)
    assert receipt.title == "Visitor slip"
    assert [line.text for line in receipt.lines] == [
        f"Station: {STATION}",
        "Checked in: 2026-11-25 14:03",
        f"Visitor: {MASKED}",
        f"Visiting: {HOUSEHOLD}",
        "Valid until: 2026-11-25 18:00",
        "When you leave, scan the QR code below or enter the exit code at the service station.",
    ]
    assert receipt.qr_caption == f"Exit code {format_code(EXIT_CODE)}"
    invitation = invitation_slip(ISSUED, station_name=STATION, tz=TZ)
    assert invitation.title == "Visitor invitation"
    assert invitation.qr_caption == f"Short code {format_code(SHORT_CODE)}"


@pytest.mark.xfail(
    not _zh_translated(),
    reason="the Slip strings are not in i18n/kiosk_zh_CN.ts yet (merge /tmp/zh_slips.json)",
    strict=True,
)
def test_visitor_slip_reads_in_chinese(language: LanguageService) -> None:
    """Chinese is the default: the slip a visitor gets without touching the language button."""
    assert language.current == "zh_CN"
    receipt = visitor_slip(VISIT, station_name=STATION, valid_until=VALID_UNTIL, tz=TZ)
    assert receipt.title == "访客登记凭条"
    assert [line.text for line in receipt.lines] == [
        f"服务站：{STATION}",
        "来访时间：2026-11-25 14:03",
        f"访客：{MASKED}",
        f"受访住户：{HOUSEHOLD}",
        "有效期至：2026-11-25 18:00",
        "离开时请扫描下方二维码或在服务站输入离开码",
    ]
    assert receipt.qr_caption == "离开码 " + format_code(EXIT_CODE)
    assert receipt.footer.startswith("本凭条仅用于本次来访登记")
    invitation = invitation_slip(ISSUED, station_name=STATION, tz=TZ)
    assert invitation.title == "访客邀请"
    assert "请来访时在社区服务站扫描二维码，或输入下方短码" in [
        line.text for line in invitation.lines
    ]
    assert invitation.qr_caption == "短码 " + format_code(SHORT_CODE)
