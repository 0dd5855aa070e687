"""The interface module alone: error codes, actors, and reprs that never leak personal data."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

from kiosk.platform import api
from kiosk.platform.api import (
    Actor,
    CheckInRequest,
    HealthReading,
    HealthRecordView,
    IdentificationFailedError,
    PlatformError,
    ResidentIdentity,
    Visit,
    VolunteerIdentity,
)

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def _error_classes() -> list[type[PlatformError]]:
    found: list[type[PlatformError]] = []
    pending: list[type[PlatformError]] = [PlatformError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_every_error_has_its_own_code_and_a_message() -> None:
    classes = [c for c in _error_classes() if c.__module__ == api.__name__]
    codes = [c.code for c in classes]
    assert len(codes) == len(set(codes)) >= 20
    for cls in classes:
        assert cls.__name__ in api.__all__
        assert cls.code.count(".") == 1
        assert cls.default_message.endswith(".")
    assert "platform.unreachable" in codes
    assert "pass.already_used" in codes


def test_error_text_is_the_default_message() -> None:
    error = IdentificationFailedError(3, None)
    assert str(error) == IdentificationFailedError.default_message
    assert repr(error) == "IdentificationFailedError(code='identify.no_match')"


def test_actors() -> None:
    assert Actor.volunteer(7, for_resident=12) == Actor("volunteer", "7", "12")
    assert Actor.volunteer(7, for_resident=12).resident_id == 12
    assert Actor.volunteer(7).resident_id is None
    assert Actor.volunteer(7).volunteer_id == 7
    assert Actor.resident(12).resident_id == 12
    assert Actor.resident(12).volunteer_id is None
    assert Actor.admin().resident_id is None
    assert Actor.system("purge") == Actor("system", "purge")


def test_reprs_mask_personal_data() -> None:
    values = [
        ResidentIdentity(1, "王秀兰", 2, "1栋1单元101", True),
        VolunteerIdentity(3, "陈晓燕", "volunteer"),
        CheckInRequest("欧阳娜娜", 2, pass_id=b"\x01" * 16),
        Visit("v", "欧阳娜娜", 2, "1栋1单元101", None, "k", NOW, None, None, None),
        HealthReading(1, "blood_pressure", "mmHg", {"systolic": 187}, NOW),
        HealthRecordView("r", 1, "blood_pressure", "mmHg", {"systolic": 187}, NOW, "device"),
    ]
    text = " ".join(repr(v) for v in values)
    for secret in ("王秀兰", "陈晓燕", "欧阳娜娜", "187", "1栋1单元101"):
        assert secret not in text
    assert "欧**娜" in text


def test_the_interface_imports_alone_without_qt_or_the_store() -> None:
    code = (
        "import sys, kiosk.platform.api; "
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'sqlalchemy', 'kiosk.store'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
