"""Kiosk configuration: one TOML file, one pydantic model per section.

Every key has a default and a description; ``community-kiosk --print-default-config`` renders
them as a commented TOML file. A bad file stops start-up with a :class:`ConfigError` that names
the file, the key and what is wrong.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

APP_NAME = "community-kiosk"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StationConfig(_Section):
    name: str = Field("幸福里社区服务站", description="Station name shown on the attract screen.")
    station_id: str = Field("station-01", description="Identifier of this kiosk's station.")
    community_id: str = Field("demo", description="Community this station belongs to.")
    language: Literal["zh_CN", "en"] = Field(
        "zh_CN", description="Default language at the start of every visit."
    )


class DisplayConfig(_Section):
    px_per_mm: float = Field(
        4.03,
        gt=1.0,
        lt=20.0,
        description="Pixels per millimetre of the panel (21.5 inch 1080p = 4.03). All sizes in "
        "the theme are physical and derived from this.",
    )
    width_px: int = Field(1920, ge=640, description="Window width used with --windowed.")
    height_px: int = Field(1080, ge=480, description="Window height used with --windowed.")
    fullscreen: bool = Field(True, description="Frameless full screen (off with --windowed).")


class SessionConfig(_Section):
    idle_standard_s: int = Field(
        60, ge=30, le=600, description="Seconds without a touch before a visit ends (standard)."
    )
    idle_elderly_s: int = Field(
        120, ge=60, le=900, description="Seconds without a touch before a visit ends (长辈模式)."
    )
    warning_s: int = Field(
        25,
        ge=20,
        le=120,
        description="Seconds before the end of a visit at which the spoken and visual warning "
        "appears (at least 20).",
    )

    @model_validator(mode="after")
    def _warning_fits(self) -> SessionConfig:
        if self.warning_s >= self.idle_standard_s:
            raise ValueError("warning_s must be shorter than idle_standard_s")
        return self


class VoiceConfig(_Section):
    engine: Literal["pyttsx3", "espeak", "recording", "silent"] = Field(
        "pyttsx3",
        description="Speech engine: pyttsx3 (over espeak-ng), espeak (espeak-ng command), "
        "recording (keeps text, no sound; for tests), silent.",
    )
    rate_steps_cpm: tuple[int, ...] = Field(
        (160, 200, 250),
        min_length=3,
        description="Speech rates offered, in Chinese characters a minute, slowest first.",
    )
    standard_rate_step: int = Field(2, ge=0, description="Index of the standard-mode rate.")
    elderly_rate_step: int = Field(1, ge=0, description="Index of the 长辈模式 rate (180-220).")
    volume_steps: int = Field(5, ge=4, le=10, description="Number of volume steps (at least 4).")
    default_volume_step: int = Field(
        3, ge=1, description="Volume step at the start of every visit (1 = quietest)."
    )
    min_gain_db: float = Field(
        -24.0, le=-18.0, description="Software gain of the quietest step, in dB (0 = full)."
    )

    @model_validator(mode="after")
    def _indices_fit(self) -> VoiceConfig:
        n = len(self.rate_steps_cpm)
        if self.standard_rate_step >= n or self.elderly_rate_step >= n:
            raise ValueError("rate step index out of range of rate_steps_cpm")
        if self.default_volume_step > self.volume_steps:
            raise ValueError("default_volume_step is larger than volume_steps")
        return self


class StoreConfig(_Section):
    url: str = Field(
        "",
        description="SQLAlchemy database URL. Empty: SQLite file kiosk.db in the data directory. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    )


class PrinterConfig(_Section):
    driver: Literal[
        "simulated", "escpos-network", "escpos-serial", "escpos-usb", "escpos-file", "none"
    ] = Field("simulated", description="Receipt printer driver (simulated renders PNG slips).")
    host: str = Field("127.0.0.1", description="escpos-network: printer address.")
    port: int = Field(9100, ge=1, le=65535, description="escpos-network: TCP port.")
    device: str = Field(
        "/dev/usb/lp0", description="escpos-serial: serial port; escpos-file: device file."
    )
    baudrate: int = Field(19200, ge=1200, description="escpos-serial: baud rate.")
    usb_vendor: int = Field(0x0416, ge=0, le=0xFFFF, description="escpos-usb: vendor id.")
    usb_product: int = Field(0x5011, ge=0, le=0xFFFF, description="escpos-usb: product id.")
    profile: str = Field("default", description="python-escpos printer profile name.")
    width_chars: int = Field(48, ge=24, le=64, description="Characters a line (80 mm: 48).")
    chinese: Literal["gb18030", "image"] = Field(
        "gb18030",
        description="gb18030: the printer's Chinese font; image: text rendered as a picture.",
    )
    output_dir: str = Field(
        "", description="simulated: folder for slip PNGs. Empty: slips/ in the data directory."
    )
    required: bool = Field(True, description="doctor fails when this device is not ready.")


class DocumentPrinterConfig(_Section):
    driver: Literal["none", "cups"] = Field("none", description="A4 printer driver.")
    queue: str = Field("KioskPDF", description="cups: print queue name.")
    required: bool = Field(False, description="doctor fails when this device is not ready.")


class CameraConfig(_Section):
    driver: Literal["simulated", "opencv", "none"] = Field(
        "simulated", description="Camera QR reader driver."
    )
    source: str = Field(
        "0", description="opencv: device index, video or image-sequence file, or RTSP URL."
    )
    debounce_s: float = Field(3.0, ge=0.5, description="The same code is reported once in this.")
    stale_after_s: float = Field(2.0, ge=0.5, description="Frozen feed counts as lost after.")
    required: bool = Field(True, description="doctor fails when this device is not ready.")


class CardReaderConfig(_Section):
    driver: Literal["simulated", "wedge", "serial", "pcsc", "none"] = Field(
        "simulated", description="Card reader driver."
    )
    port: str = Field("/dev/ttyUSB0", description="serial: port.")
    baudrate: int = Field(9600, ge=1200, description="serial: baud rate.")
    framing: str = Field("line", description="serial: line, stx-etx, or a regular expression.")
    reader_filter: str = Field("", description="pcsc: use the first reader containing this.")
    max_gap_ms: int = Field(
        30, ge=5, le=200, description="wedge: longest gap between keys of one card, in ms."
    )
    required: bool = Field(True, description="doctor fails when this device is not ready.")


class HealthDevicesConfig(_Section):
    driver: Literal["simulated", "ble", "serial", "none"] = Field(
        "simulated", description="Health devices driver (all kinds)."
    )
    kinds: tuple[
        Literal["blood_pressure", "weight", "thermometer", "pulse_oximeter", "glucose"], ...
    ] = Field(
        ("blood_pressure", "weight", "thermometer", "pulse_oximeter", "glucose"),
        description="Which measuring devices the station has.",
    )
    port: str = Field("/dev/ttyUSB1", description="serial: port.")
    baudrate: int = Field(9600, ge=1200, description="serial: baud rate.")
    required: bool = Field(False, description="doctor fails when a device is not ready.")


class DevicesConfig(_Section):
    printer: PrinterConfig = PrinterConfig()
    document_printer: DocumentPrinterConfig = DocumentPrinterConfig()
    camera: CameraConfig = CameraConfig()
    card_reader: CardReaderConfig = CardReaderConfig()
    health: HealthDevicesConfig = HealthDevicesConfig()


class AdminConfig(_Section):
    max_failures: int = Field(5, ge=3, le=10, description="Wrong PINs before a lockout.")
    lockout_s: int = Field(
        900, ge=30, description="First lockout in seconds; each further failure doubles it."
    )
    lockout_max_s: int = Field(14400, ge=60, description="Longest lockout in seconds.")
    long_press_s: float = Field(
        3.0, ge=1.0, le=10.0, description="Seconds to hold the hidden corner to open admin."
    )


class LogConfig(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Log level.")
    retention_days: int = Field(
        180, ge=180, description="Days of rotated log files kept (Cybersecurity Law art. 21)."
    )


class PathsConfig(_Section):
    data_dir: str = Field("", description="Data directory. Empty: the platformdirs default.")
    log_dir: str = Field("", description="Log directory. Empty: the platformdirs default.")


class Settings(_Section):
    station: StationConfig = StationConfig()
    display: DisplayConfig = DisplayConfig()
    session: SessionConfig = SessionConfig()
    voice: VoiceConfig = VoiceConfig()
    store: StoreConfig = StoreConfig()
    devices: DevicesConfig = DevicesConfig()
    admin: AdminConfig = AdminConfig()
    log: LogConfig = LogConfig()
    paths: PathsConfig = PathsConfig()

    def data_path(self) -> Path:
        return Path(self.paths.data_dir or platformdirs.user_data_dir(APP_NAME))

    def log_path(self) -> Path:
        return Path(self.paths.log_dir or platformdirs.user_log_dir(APP_NAME))

    def database_url(self) -> str:
        if self.store.url:
            return self.store.url
        return f"sqlite:///{self.data_path() / 'kiosk.db'}"


class ConfigError(Exception):
    """The configuration file cannot be used. The message names the file and the key."""


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "kiosk.toml"


def load_settings(path: Path | None = None, *, overrides: dict[str, Any] | None = None) -> Settings:
    """Read settings from ``path`` (default: the platformdirs config file, if present).

    Raises:
        ConfigError: The file is unreadable, not TOML, or a key is unknown or invalid.
    """
    explicit = path is not None
    path = path or default_config_path()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"配置文件 {path} 无法读取 (cannot read): {exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"配置文件 {path} 不是有效的 TOML (invalid TOML): {exc}") from exc
    elif explicit:
        raise ConfigError(f"配置文件 {path} 不存在 (file not found)")
    for dotted, value in (overrides or {}).items():
        *parents, key = dotted.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[key] = value
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"]) or "(top level)"
            problems.append(f"  {key}: {err['msg']}")
        raise ConfigError(
            f"配置文件 {path} 有错误 (configuration errors):\n" + "\n".join(problems)
        ) from exc


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def default_config_toml() -> str:
    """The default configuration as TOML, every key preceded by its description."""
    lines = ["# Community service station kiosk configuration."]
    _render_section(lines, "", Settings())
    return "\n".join(lines) + "\n"


def _render_section(lines: list[str], name: str, section: BaseModel) -> None:
    scalars = []
    nested = []
    for key, field in type(section).model_fields.items():
        value = getattr(section, key)
        if isinstance(value, BaseModel):
            nested.append((key, value))
        else:
            scalars.append((key, field.description, value))
    if scalars:
        lines.append("")
        lines.append(f"[{name}]")
        for key, description, value in scalars:
            lines.append(f"# {description}")
            lines.append(f"{key} = {_toml_value(value)}")
    for key, value in nested:
        _render_section(lines, f"{name}.{key}" if name else key, value)
