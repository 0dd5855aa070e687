"""Kiosk configuration: one TOML file, one frozen dataclass per section.

Every key has a default and a description; ``community-kiosk --print-default-config`` renders
them as a commented TOML file. A bad file stops start-up with a :class:`ConfigError` that names
the file, the key and what is wrong.
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

import platformdirs

APP_NAME = "community-kiosk"

# NOTE: a small schema of our own instead of pydantic: the kiosk reads its configuration
# before the first frame, and importing pydantic alone cost ~60 ms of a ~250 ms start.


class _InvalidError(Exception):
    """Problems found in one section: (dotted key, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{k}: {m}" for k, m in problems))
        self.problems = problems


def Field(
    default: Any,
    *,
    description: str,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
    min_length: int | None = None,
) -> Any:
    """A configurable value: default, description, and bounds checked on construction."""
    meta = {"description": description, "ge": ge, "gt": gt, "le": le, "lt": lt}
    meta["min_length"] = min_length
    return dataclasses.field(default=default, metadata=meta)


def Section(cls: type[Any], description: str = "") -> Any:
    return dataclasses.field(default_factory=cls, metadata={"description": description})


def _type_name(tp: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
        tp, str(tp)
    )


def _coerce(tp: Any, value: Any, key: str) -> Any:
    origin = typing.get_origin(tp)
    if origin is Literal:
        choices = typing.get_args(tp)
        if value not in choices:
            options = " or ".join(repr(c) for c in choices)
            raise _InvalidError([(key, f"Input should be {options}")])
        return value
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise _InvalidError([(key, "Input should be a list")])
        (item,) = (a for a in typing.get_args(tp) if a is not Ellipsis)
        return tuple(_coerce(item, v, f"{key}.{i}") for i, v in enumerate(value))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise _InvalidError([(key, "Input should be a table")])
        return _from_dict(tp, value, key + ".")
    if tp is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if tp is bool and isinstance(value, bool):
        return value
    if tp in (int, str) and isinstance(value, tp) and not isinstance(value, bool):
        return value
    raise _InvalidError([(key, f"Input should be {_type_name(tp)}")])


S = TypeVar("S")


def _from_dict(cls: type[S], data: dict[str, Any], prefix: str = "") -> S:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    problems: list[tuple[str, str]] = [
        (prefix + k, "Extra inputs are not permitted") for k in data if k not in names
    ]
    values: dict[str, Any] = {}
    for name in names & set(data):
        try:
            values[name] = _coerce(hints[name], data[name], prefix + name)
        except _InvalidError as exc:
            problems += exc.problems
    if problems:
        raise _InvalidError(problems)
    try:
        return cls(**values)
    except _InvalidError as exc:
        raise _InvalidError([(prefix + k, m) for k, m in exc.problems]) from None


_BOUNDS = (
    ("ge", "greater than or equal to"),
    ("gt", "greater than"),
    ("le", "less than or equal to"),
    ("lt", "less than"),
)


def _within(kind: str, value: float, bound: float) -> bool:
    if kind == "ge":
        return value >= bound
    if kind == "gt":
        return value > bound
    if kind == "le":
        return value <= bound
    return value < bound


class _Section:
    """Base of every section: frozen, checked on construction, tables of their own."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def __post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            m = f.metadata
            for name, words in _BOUNDS:
                bound = m.get(name)
                if bound is not None and not _within(name, value, bound):
                    problems.append((f.name, f"Input should be {words} {bound}"))
            if m.get("min_length") is not None and len(value) < m["min_length"]:
                problems.append((f.name, f"Input should have at least {m['min_length']} items"))
        if not problems:
            try:
                self.check()
            except ValueError as exc:
                problems.append(("", str(exc)))
        if problems:
            raise _InvalidError(problems)

    def check(self) -> None:
        """Cross-field rules; raise ValueError naming the keys."""

    def replace(self: S, **changes: Any) -> S:
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]


_section = dataclasses.dataclass(frozen=True)


@_section
class StationConfig(_Section):
    name: str = Field("幸福里社区服务站", description="Station name shown on the attract screen.")
    station_id: str = Field("station-01", description="Identifier of this kiosk's station.")
    community_id: str = Field("demo", description="Community this station belongs to.")
    kiosk_id: str = Field(
        "", description="This kiosk's id when several share a station. Empty: the station id."
    )
    language: Literal["zh_CN", "en"] = Field(
        "zh_CN", description="Default language at the start of every visit."
    )


@_section
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


@_section
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

    volunteer_idle_s: int = Field(
        180,
        ge=60,
        le=900,
        description="Seconds without a touch before an assisted visit (a volunteer signed in) "
        "ends; the longer of this and the mode's limit applies.",
    )
    volunteer_max_s: int = Field(
        1800,
        ge=300,
        le=14400,
        description="Longest a volunteer sign-in lasts however busy the kiosk is; signing in "
        "again (card or code, then PIN) renews it.",
    )

    def check(self) -> None:
        if self.warning_s >= self.idle_standard_s:
            raise ValueError("warning_s must be shorter than idle_standard_s")
        for key in ("volunteer_idle_s", "volunteer_max_s"):
            if getattr(self, key) <= self.warning_s:
                raise ValueError(f"{key} must be longer than warning_s")


@_section
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
    required: bool = Field(
        True, description="doctor fails when speech is not ready (长辈模式 depends on it)."
    )
    min_gain_db: float = Field(
        -24.0, le=-18.0, description="Software gain of the quietest step, in dB (0 = full)."
    )

    def check(self) -> None:
        n = len(self.rate_steps_cpm)
        if self.standard_rate_step >= n or self.elderly_rate_step >= n:
            raise ValueError("rate step index out of range of rate_steps_cpm")
        if self.default_volume_step > self.volume_steps:
            raise ValueError("default_volume_step is larger than volume_steps")


@_section
class StoreConfig(_Section):
    url: str = Field(
        "",
        description="SQLAlchemy database URL. Empty: SQLite file kiosk.db in the data directory. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    )


@_section
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


@_section
class DocumentPrinterConfig(_Section):
    driver: Literal["none", "cups"] = Field("none", description="A4 printer driver.")
    queue: str = Field("KioskPDF", description="cups: print queue name.")
    required: bool = Field(False, description="doctor fails when this device is not ready.")


@_section
class CameraConfig(_Section):
    driver: Literal["simulated", "opencv", "none"] = Field(
        "simulated", description="Camera QR reader driver."
    )
    source: str = Field(
        "0", description="opencv: device index, video or image-sequence file, or RTSP URL."
    )
    debounce_s: float = Field(3.0, ge=0.5, description="The same code is reported once in this.")
    stale_after_s: float = Field(
        1.8,
        ge=0.5,
        description="A frozen feed counts as lost after this many seconds (flagged within 2 s).",
    )
    required: bool = Field(True, description="doctor fails when this device is not ready.")


@_section
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


@_section
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


@_section
class DevicesConfig(_Section):
    printer: PrinterConfig = Section(PrinterConfig)
    document_printer: DocumentPrinterConfig = Section(DocumentPrinterConfig)
    camera: CameraConfig = Section(CameraConfig)
    card_reader: CardReaderConfig = Section(CardReaderConfig)
    health: HealthDevicesConfig = Section(HealthDevicesConfig)


@_section
class SecurityConfig(_Section):
    pass_public_keys: tuple[str, ...] = Field(
        (),
        description="PEM files of the platform's pass-signing public keys (several while "
        "rotating). Kiosks never hold the private key.",
    )
    pass_not_before_skew_s: int = Field(
        60, ge=0, le=300, description="A pass is accepted this many seconds before it starts."
    )
    pass_expiry_skew_s: int = Field(
        300, ge=0, le=300, description="A pass is accepted this many seconds after it ends."
    )
    pass_signing_key: str = Field(
        "",
        description="PEM private key with which this station's platform signs invitations "
        "printed at the kiosk (邀请访客). Empty: the kiosk cannot print invitations. Only the "
        "station that is the platform (LocalPlatform) holds it; a demo key is made for --demo.",
    )


@_section
class VisitorsConfig(_Section):
    timezone: str = Field(
        "Asia/Shanghai", min_length=1, description="Time zone for times on screens and slips."
    )
    approval_timeout_s: int = Field(
        180,
        ge=30,
        le=1800,
        description="Seconds a walk-in waits for the host's answer before a volunteer may "
        "approve at the kiosk.",
    )
    photo: bool = Field(
        False,
        description="Take a visitor photo at walk-in registration (a camera notice is shown "
        "first; kept for retention.photo_days).",
    )
    max_invitation_days: int = Field(
        7, ge=1, le=30, description="Furthest day ahead a resident can invite a visitor for."
    )
    wrong_code_limit: int = Field(
        5,
        ge=3,
        le=20,
        description="Wrong short codes in a row before the keypad pauses for a minute.",
    )


@_section
class RetentionConfig(_Section):
    visit_days: int = Field(180, ge=1, description="Days visit records are kept.")
    photo_days: int = Field(180, ge=1, description="Days visitor photos are kept.")


@_section
class AdminConfig(_Section):
    max_failures: int = Field(5, ge=3, le=10, description="Wrong PINs before a lockout.")
    lockout_s: int = Field(
        900, ge=30, description="First lockout in seconds; each further failure doubles it."
    )
    lockout_max_s: int = Field(14400, ge=60, description="Longest lockout in seconds.")
    long_press_s: float = Field(
        3.0, ge=1.0, le=10.0, description="Seconds to hold the hidden corner to open admin."
    )


@_section
class LogConfig(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Log level.")
    retention_days: int = Field(
        180, ge=180, description="Days of rotated log files kept (Cybersecurity Law art. 21)."
    )


@_section
class PathsConfig(_Section):
    data_dir: str = Field("", description="Data directory. Empty: the platformdirs default.")
    log_dir: str = Field("", description="Log directory. Empty: the platformdirs default.")


@_section
class Settings(_Section):
    station: StationConfig = Section(StationConfig)
    display: DisplayConfig = Section(DisplayConfig)
    session: SessionConfig = Section(SessionConfig)
    voice: VoiceConfig = Section(VoiceConfig)
    store: StoreConfig = Section(StoreConfig)
    devices: DevicesConfig = Section(DevicesConfig)
    security: SecurityConfig = Section(SecurityConfig)
    visitors: VisitorsConfig = Section(VisitorsConfig)
    retention: RetentionConfig = Section(RetentionConfig)
    admin: AdminConfig = Section(AdminConfig)
    log: LogConfig = Section(LogConfig)
    paths: PathsConfig = Section(PathsConfig)

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
        return _from_dict(Settings, data)
    except _InvalidError as exc:
        problems = [f"  {key.rstrip('.')}: {message}" for key, message in exc.problems]
        raise ConfigError(
            f"配置文件 {path} 有错误 (configuration errors):\n" + "\n".join(problems)
        ) from None


def settings_from_dict(data: dict[str, Any]) -> Settings:
    """Settings from already-parsed TOML data. Raises ConfigError naming the keys."""
    try:
        return _from_dict(Settings, data)
    except _InvalidError as exc:
        raise ConfigError("; ".join(f"{k.rstrip('.')}: {m}" for k, m in exc.problems)) from None


def describe(section: type[Any]) -> list[tuple[str, str]]:
    """(dotted key, description) of every value in ``section``, sub-sections recursed into."""
    out: list[tuple[str, str]] = []
    hints = typing.get_type_hints(section)
    for f in dataclasses.fields(section):
        tp = hints[f.name]
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            out += [(f"{f.name}.{k}", d) for k, d in describe(tp)]
        else:
            out.append((f.name, str(f.metadata.get("description", ""))))
    return out


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


def _render_section(lines: list[str], name: str, section: Any) -> None:
    scalars = []
    nested = []
    for f in dataclasses.fields(section):
        value = getattr(section, f.name)
        if dataclasses.is_dataclass(value):
            nested.append((f.name, value))
        else:
            scalars.append((f.name, f.metadata["description"], value))
    if scalars:
        lines.append("")
        lines.append(f"[{name}]")
        for key, description, value in scalars:
            lines.append(f"# {description}")
            lines.append(f"{key} = {_toml_value(value)}")
    for key, value in nested:
        _render_section(lines, f"{name}.{key}" if name else key, value)
