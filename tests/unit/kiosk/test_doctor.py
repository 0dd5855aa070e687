"""``community-kiosk doctor``: a table of every configured device, non-zero when a required
device is not ready, against simulators and real stacks (OpenCV on a video file, a closed
TCP port for the printer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.qrgen import write_video
from kiosk.config import Settings, load_settings
from kiosk.doctor import SIMULATED
from ui import app as ui_app


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    base: dict[str, object] = {
        "paths.data_dir": str(tmp_path / "data"),
        "paths.log_dir": str(tmp_path / "log"),
    }
    return load_settings(None, overrides={**base, **SIMULATED, **overrides})


def _table(out: str) -> dict[str, list[str]]:
    rows = {}
    for line in out.splitlines()[1:]:
        cells = line.split()
        if (cells and "." in cells[0]) or (cells and cells[0].isidentifier()):
            rows[cells[0]] = cells[1:]
    return rows


def test_simulated_set_passes_on_any_machine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert ui_app.main(["doctor", "--simulate", "--wait", "2"]) == 0
    out = capsys.readouterr().out
    rows = _table(out)
    for device in ("speech", "printer", "camera", "card_reader", "database"):
        assert rows[device][1] == "ready", out
    assert "health.blood_pressure" in rows
    assert "all required devices ready" in out


def test_unreachable_printer_fails_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk import doctor

    settings = _settings(
        tmp_path,
        **{
            "devices.printer.driver": "escpos-network",
            "devices.printer.host": "127.0.0.1",
            "devices.printer.port": 9,  # discard port: nothing listens on loopback here
        },
    )
    assert doctor.main(settings, wait_s=1.0) == 1
    out = capsys.readouterr().out
    rows = _table(out)
    assert rows["printer"][:2] == ["escpos-network", "offline"]
    assert "NOT READY" in out


def test_optional_device_down_does_not_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk import doctor

    settings = _settings(
        tmp_path,
        **{
            "devices.printer.driver": "escpos-network",
            "devices.printer.port": 9,
            "devices.printer.required": False,
        },
    )
    assert doctor.main(settings, wait_s=1.0) == 0
    assert "offline" in capsys.readouterr().out


def test_opencv_camera_on_a_video_file_is_ready(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk import doctor

    video = write_video(tmp_path / "camera.avi", frames_total=60)
    settings = _settings(
        tmp_path, **{"devices.camera.driver": "opencv", "devices.camera.source": str(video)}
    )
    assert doctor.main(settings, wait_s=5.0) == 0
    rows = _table(capsys.readouterr().out)
    assert rows["camera"][:2] == ["opencv", "ready"]


def test_missing_camera_file_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk import doctor

    settings = _settings(
        tmp_path,
        **{
            "devices.camera.driver": "opencv",
            "devices.camera.source": str(tmp_path / "no-such-camera.avi"),
        },
    )
    assert doctor.main(settings, wait_s=1.5) == 1
    rows = _table(capsys.readouterr().out)
    assert rows["camera"][0] == "opencv"
    assert rows["camera"][1] in ("error", "offline", "unknown")
