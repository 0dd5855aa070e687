"""Configuration: the printed defaults round-trip, every key is described, a bad file stops
start-up with a message naming the file and the key, and no display means a helpful exit."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import (
    ConfigError,
    Settings,
    default_config_toml,
    describe,
    load_settings,
    settings_from_dict,
)
from ui import app as ui_app


def _leaf_fields(model: type[Settings]) -> Iterator[tuple[str, str | None]]:
    """(dotted key, description) of every configurable value, sections recursed into."""
    yield from describe(model)


def _print_defaults(capsys: pytest.CaptureFixture[str]) -> str:
    assert ui_app.main(["--print-default-config"]) == 0
    out = capsys.readouterr().out
    assert out.strip()
    return out


def test_printed_defaults_parse_and_load_back_to_the_defaults(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = _print_defaults(capsys)
    parsed = tomllib.loads(text)
    assert settings_from_dict(parsed) == Settings()
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    assert load_settings(path) == Settings()


def test_every_key_has_a_description_and_it_is_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _print_defaults(capsys)
    lines = text.splitlines()
    leaves = list(_leaf_fields(Settings))
    assert len(leaves) > 20
    for dotted, description in leaves:
        assert (description or "").strip(), f"{dotted} has no description"
    # In the printed file every assignment follows its description comment.
    for i, line in enumerate(lines):
        if "=" in line and not line.startswith(("#", "[")):
            assert lines[i - 1].startswith("# "), line
            assert lines[i - 1][2:].strip(), line
    assert text == default_config_toml()


BAD_FILES = [
    pytest.param('[display]\npx_per_mm = "big"\n', "display.px_per_mm", id="bad type"),
    pytest.param("[voice]\nspeed = 3\n", "voice.speed", id="unknown key"),
    pytest.param('[printers]\ndriver = "x"\n', "printers", id="unknown section"),
    pytest.param("[session]\nidle_elderly_s = 10\n", "session.idle_elderly_s", id="too small"),
    pytest.param("[admin]\nmax_failures = 99\n", "admin.max_failures", id="too large"),
    pytest.param('[station]\nlanguage = "fr"\n', "station.language", id="not a choice"),
]


@pytest.mark.parametrize(("content", "key"), BAD_FILES)
def test_bad_file_names_the_file_and_the_key(tmp_path: Path, content: str, key: str) -> None:
    path = tmp_path / "station.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    message = str(info.value)
    assert str(path) in message
    assert key in message


def test_inconsistent_values_are_named(tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    path.write_text("[session]\nwarning_s = 60\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    message = str(info.value)
    assert str(path) in message
    assert "session" in message
    assert "warning_s" in message


@pytest.mark.parametrize(
    "content", ["[station\nname = 1\n", 'name = "unterminated\n'], ids=["header", "string"]
)
def test_file_that_is_not_toml_names_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "station.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML") as info:
        load_settings(path)
    assert str(path) in str(info.value)


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("options", [[], ["--simulate", "--windowed"]], ids=["plain", "overrides"])
def test_main_with_a_bad_file_exits_2_with_the_message_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]
) -> None:
    """Also when command-line options override settings on top of the file."""
    path = tmp_path / "station.toml"
    path.write_text("[voice]\nvolume_steps = 2\n", encoding="utf-8")
    assert ui_app.main(["--config", str(path), *options]) == 2
    captured = capsys.readouterr()
    assert str(path) in captured.err
    assert "voice.volume_steps" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_main_without_a_display_explains_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)

    def must_not_run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("started the GUI without a display")

    monkeypatch.setattr(ui_app, "QApplication", must_not_run)
    monkeypatch.setattr(ui_app, "setup_logging", must_not_run)
    path = tmp_path / "station.toml"
    path.write_text(f'[paths]\ndata_dir = "{tmp_path}"\nlog_dir = "{tmp_path}"\n', "utf-8")

    assert ui_app.main(["--config", str(path), "--simulate", "--demo"]) == 2
    captured = capsys.readouterr()
    assert captured.err == ui_app.NO_DISPLAY_HELP
    assert "没有找到显示器" in captured.err
    assert "make screenshots" in captured.err
    assert "Traceback" not in captured.err
