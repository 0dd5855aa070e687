"""Printed slips for visitors: the check-in slip (离开码) and the invitation (邀请访客).

Each function builds a :class:`hardware.protocols.Receipt` in the current UI language
(context ``"Slip"``); the printers lay it out and sanitise it. What a slip may show
(ARCHITECTURE.md §6):

* the visitor's name only masked (``张*明``), never a phone or ID number;
* every value on a single line of plain text: a name or label with a line break in it
  cannot forge a line of its own ("valid until ...") on the paper;
* times in the station's time zone, ``2026-11-25 14:03`` in every language.

Strings are marked with ``QT_TRANSLATE_NOOP`` where they are defined, so
``pyside6-lupdate`` finds them, and translated when a slip is built.

NOTE: QtCore only (for translation); no widgets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from hardware.protocols import Receipt, ReceiptLine
from kiosk.masking import mask_name, redact_text
from kiosk.platform.api import IssuedPass, Visit
from kiosk.prompts import QT_TRANSLATE_NOOP
from kiosk.security.short_codes import format_code

__all__ = ["CONTEXT", "SOURCES", "TIME_FORMAT", "invitation_slip", "local_time", "visitor_slip"]

CONTEXT: Final = "Slip"
#: How times are printed, in every language.
TIME_FORMAT: Final = "%Y-%m-%d %H:%M"

# NOTE: each literal is wrapped in QT_TRANSLATE_NOOP at its definition so lupdate sees it.
VISITOR_TITLE: Final = QT_TRANSLATE_NOOP("Slip", "Visitor slip")
INVITATION_TITLE: Final = QT_TRANSLATE_NOOP("Slip", "Visitor invitation")
STATION: Final = QT_TRANSLATE_NOOP("Slip", "Station: {station}")
CHECKED_IN: Final = QT_TRANSLATE_NOOP("Slip", "Checked in: {time}")
VISITOR: Final = QT_TRANSLATE_NOOP("Slip", "Visitor: {name}")
HOST: Final = QT_TRANSLATE_NOOP("Slip", "Visiting: {household}")
HOST_STATION: Final = QT_TRANSLATE_NOOP("Slip", "Visiting: the service station")
VALID_FROM: Final = QT_TRANSLATE_NOOP("Slip", "Valid from: {time}")
VALID_UNTIL: Final = QT_TRANSLATE_NOOP("Slip", "Valid until: {time}")
EXIT_HINT: Final = QT_TRANSLATE_NOOP(
    "Slip",
    "When you leave, scan the QR code below or enter the exit code at the service station.",
)
EXIT_HINT_QR_ONLY: Final = QT_TRANSLATE_NOOP(
    "Slip", "When you leave, scan the QR code below at the service station."
)
EXIT_CAPTION: Final = QT_TRANSLATE_NOOP("Slip", "Exit code {code}")
VISITOR_FOOTER: Final = QT_TRANSLATE_NOOP(
    "Slip", "This slip is only for registering this visit. Please do not pass it on."
)
INVITATION_HINT: Final = QT_TRANSLATE_NOOP(
    "Slip",
    "When you come, scan the QR code at the community service station, "
    "or enter the short code below.",
)
SHORT_CODE_CAPTION: Final = QT_TRANSLATE_NOOP("Slip", "Short code {code}")
INVITATION_FOOTER: Final = QT_TRANSLATE_NOOP(
    "Slip", "This invitation is only for the visitor named on it. Please do not pass it on."
)
#: Every source string above (for the translation checks).
SOURCES: Final = (
    VISITOR_TITLE,
    INVITATION_TITLE,
    STATION,
    CHECKED_IN,
    VISITOR,
    HOST,
    HOST_STATION,
    VALID_FROM,
    VALID_UNTIL,
    EXIT_HINT,
    EXIT_HINT_QR_ONLY,
    EXIT_CAPTION,
    VISITOR_FOOTER,
    INVITATION_HINT,
    SHORT_CODE_CAPTION,
    INVITATION_FOOTER,
)


def _tr(source: str, **values: str) -> str:
    """``source`` in the current language, with ``{placeholders}`` filled by ``values``.

    Values are inserted after translation and never parsed again, so braces in a name are
    printed as they are.
    """
    text = QCoreApplication.translate(CONTEXT, source)
    return text.format(**values) if values else text


def _one_line(text: str) -> str:
    """``text`` on one line (line breaks and runs of spaces become one space), with any
    phone or ID number that slipped into it masked."""
    return redact_text(" ".join(text.split()))


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    """``moment`` (aware) in ``tz`` as printed on slips and staff screens: ``2026-11-25 14:03``."""
    return moment.astimezone(tz).strftime(TIME_FORMAT)


def _host_line(label: str | None) -> ReceiptLine:
    if label and label.strip():
        return ReceiptLine(_tr(HOST, household=_one_line(label)))
    return ReceiptLine(_tr(HOST_STATION))


def visitor_slip(
    visit: Visit,
    *,
    station_name: str,
    valid_until: datetime | None,
    tz: ZoneInfo,
    practice: bool = False,
) -> Receipt:
    """The slip a visitor takes at check-in: who, where, when, and how to check out.

    The QR code holds ``visit.exit_token``; the exit code under it is what the visitor types
    when the camera cannot read the QR code. A visit without an exit code gets the QR code
    only.

    Args:
        visit: The visit just checked in.
        station_name: ``station.name`` from the configuration.
        valid_until: End of the pass's window, printed if given.
        tz: ``visitors.timezone`` from the configuration.
        practice: Tutorial sandbox: the printers mark the slip 练习 / PRACTICE.
    """
    lines = [
        ReceiptLine(_tr(STATION, station=_one_line(station_name))),
        ReceiptLine(_tr(CHECKED_IN, time=local_time(visit.checked_in_at, tz))),
        ReceiptLine(_tr(VISITOR, name=mask_name(visit.visitor_name)), bold=True),
        _host_line(visit.host_label),
    ]
    if valid_until is not None:
        lines.append(ReceiptLine(_tr(VALID_UNTIL, time=local_time(valid_until, tz))))
    code = visit.exit_code.strip()
    lines.append(ReceiptLine(_tr(EXIT_HINT if code else EXIT_HINT_QR_ONLY)))
    return Receipt(
        title=_tr(VISITOR_TITLE),
        lines=tuple(lines),
        qr=visit.exit_token,
        qr_caption=_tr(EXIT_CAPTION, code=format_code(code)) if code else "",
        footer=_tr(VISITOR_FOOTER),
        practice=practice,
    )


def invitation_slip(
    issued: IssuedPass,
    *,
    station_name: str,
    tz: ZoneInfo,
    practice: bool = False,
) -> Receipt:
    """The invitation a resident prints for a visitor (邀请访客): the pass QR code and its
    short code, the masked visitor name, the household and the window it is valid in.

    Args:
        issued: The signed pass.
        station_name: ``station.name`` from the configuration.
        tz: ``visitors.timezone`` from the configuration.
        practice: Tutorial sandbox: the printers mark the slip 练习 / PRACTICE.
    """
    lines = (
        ReceiptLine(_tr(STATION, station=_one_line(station_name))),
        ReceiptLine(_tr(VISITOR, name=mask_name(issued.visitor_name)), bold=True),
        _host_line(issued.household_label),
        ReceiptLine(_tr(VALID_FROM, time=local_time(issued.valid_from, tz))),
        ReceiptLine(_tr(VALID_UNTIL, time=local_time(issued.valid_until, tz))),
        ReceiptLine(_tr(INVITATION_HINT)),
    )
    code = issued.short_code.strip()
    return Receipt(
        title=_tr(INVITATION_TITLE),
        lines=lines,
        qr=issued.token,
        qr_caption=_tr(SHORT_CODE_CAPTION, code=format_code(code)) if code else "",
        footer=_tr(INVITATION_FOOTER),
        practice=practice,
    )
