"""Deterministic generator of hard synthetic QR frames (and a camera stand-in video).

Used by ``bench/bench_qr_decode.py`` and by the unit tests of ``hardware.qr``. Everything
is seeded: the same ``(n_per_category, seed)`` always gives the same frames, so decode
rates can be compared between runs and machines.

Frames are 1280×720 BGR ``uint8``: a QR code (a phone screen or a printed pass) warped onto
a cluttered, textured background. Categories:

``clean``         axis-aligned, 180–300 px, sharp
``perspective``   the four corners moved by up to ~22 % of the code size
``rotation``      90/180/270° and arbitrary angles (plus a slight tilt)
``blur``          Gaussian (σ 1.5–2.8) or linear motion blur (9–17 px)
``noise``         Gaussian sensor noise (σ 18–35) plus a little salt-and-pepper
``low_contrast``  the code's dark/light modules only 10–24 grey levels apart
``glare``         a saturated bright blob over part of the code
``small``         the symbol (without quiet zone) only 60–90 px wide
``chinese``       Chinese payloads, UTF-8 (byte mode, some with ECI) and GB18030 (byte mode,
                  no ECI), mildly tilted
``inverted``      light modules on a dark quiet zone (a phone in dark mode)
``negative``      no code at all (background clutter only)

Payloads are QR byte mode. A GB18030 payload is made by handing segno the *bytes*
(``segno.make_qr(text.encode("gb18030"))``): segno then writes them verbatim in byte mode
without an ECI, exactly like legacy Chinese generators do.
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import segno

Frame = npt.NDArray[np.uint8]

WIDTH = 1280
HEIGHT = 720

CATEGORIES: tuple[str, ...] = (
    "clean",
    "perspective",
    "rotation",
    "blur",
    "noise",
    "low_contrast",
    "glare",
    "small",
    "chinese",
    "inverted",
    "negative",
)

CHINESE_TEXTS: tuple[str, ...] = (
    "访客通行证：张三，3栋2单元501",
    "访客：李四，拜访 7栋1单元1203，有效期至 2025-06-30 18:00",
    "缴费单号 2024061200873 物业费 ￥356.00",
    "王小明 社区卫生服务站 血压复查 周三上午",
    "临时通行：快递员 赵六，东门进出",
    "社区服务站·志愿者 陈晓燕 编号 0427",
    "居民证明：刘洋，幸福里小区 12号楼",
    "健康驿站预约：周五 14:30，黄丽华",
)

_URL_ALPHABET = string.ascii_letters + string.digits + "-_"


@dataclass(frozen=True, slots=True)
class Sample:
    """One synthetic frame and the texts a perfect decoder returns for it."""

    category: str
    index: int
    frame: Frame
    expected: tuple[str, ...]


# ---------------------------------------------------------------- payloads


def token_payload(rng: np.random.Generator, length: int = 200) -> str:
    """A signed-token-like URL-safe payload (base64url characters with dots)."""
    chars = rng.choice(list(_URL_ALPHABET), size=length)
    for pos in (length // 3, 2 * length // 3):
        chars[pos] = "."
    return "".join(chars.tolist())


def ascii_payload(rng: np.random.Generator) -> str:
    """A short visitor-pass or payment-like ASCII payload."""
    kind = int(rng.integers(0, 3))
    if kind == 0:
        code = "".join(rng.choice(list(_URL_ALPHABET), size=22).tolist())
        return f"https://pass.example.cn/v/{code}"
    if kind == 1:
        return f"V-{int(rng.integers(20240101, 20251231))}-{int(rng.integers(0, 10**6)):06d}"
    return f"PAY:{int(rng.integers(10**15, 10**16))}"


def small_payload(rng: np.random.Generator) -> str:
    """Short enough for a version 1–2 symbol, so a 60–90 px code still has ≥ 2 px modules."""
    return f"V{int(rng.integers(10**7, 10**8))}"


# ---------------------------------------------------------------- symbols


def qr_modules(payload: str | bytes, *, error: str = "m", eci: bool = False) -> Frame:
    """The symbol as a module matrix (1 = dark), without quiet zone.

    ``str`` payloads are encoded as UTF-8 byte mode (never Kanji mode, never Micro QR);
    ``bytes`` are written verbatim in byte mode with no ECI (e.g. GB18030 bytes); ``eci``
    is ignored for them.
    """
    if isinstance(payload, bytes):
        qr = segno.make_qr(payload, error=error)
    else:
        qr = segno.make_qr(payload, error=error, encoding="utf-8", eci=eci)
    return np.array(qr.matrix, dtype=np.uint8)


def render_code(
    payload: str | bytes, *, module_px: int = 8, border: int = 4, eci: bool = False
) -> Frame:
    """A clean grey code image (black on white), e.g. for tests."""
    modules = np.pad(qr_modules(payload, eci=eci), border)
    scaled = np.kron(modules, np.ones((module_px, module_px), dtype=np.uint8))
    return np.where(scaled > 0, 0, 255).astype(np.uint8)


# ---------------------------------------------------------------- backgrounds


def background(rng: np.random.Generator, width: int = WIDTH, height: int = HEIGHT) -> Frame:
    """A cluttered BGR scene: smooth shading, coloured blocks, lines and printed text."""
    coarse = rng.uniform(60, 200, size=(9, 16, 3)).astype(np.float32)
    img = np.asarray(
        cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC), dtype=np.float32
    )
    fine = rng.normal(0, 6, size=(height // 4, width // 4, 3)).astype(np.float32)
    img = img + np.asarray(
        cv2.resize(fine, (width, height), interpolation=cv2.INTER_LINEAR), dtype=np.float32
    )
    frame = np.clip(img, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(6, 14))):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        x1, y1 = x0 + int(rng.integers(20, 260)), y0 + int(rng.integers(20, 200))
        colour = tuple(int(c) for c in rng.integers(0, 256, size=3))
        thickness = -1 if rng.random() < 0.5 else int(rng.integers(1, 5))
        cv2.rectangle(frame, (x0, y0), (x1, y1), colour, thickness)
    for _ in range(int(rng.integers(5, 12))):
        p0 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        p1 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        colour = tuple(int(c) for c in rng.integers(0, 256, size=3))
        cv2.line(frame, p0, p1, colour, int(rng.integers(1, 4)), cv2.LINE_AA)
    for _ in range(int(rng.integers(4, 10))):
        text = "".join(rng.choice(list(string.ascii_uppercase + string.digits), size=8).tolist())
        org = (int(rng.integers(0, width - 200)), int(rng.integers(30, height)))
        colour = tuple(int(c) for c in rng.integers(0, 256, size=3))
        cv2.putText(
            frame, text, org, cv2.FONT_HERSHEY_SIMPLEX, float(rng.uniform(0.6, 1.6)), colour, 2
        )
    return frame


# ---------------------------------------------------------------- placement


def _square(cx: float, cy: float, side: float, angle_deg: float) -> npt.NDArray[np.float32]:
    """Corners (TL, TR, BR, BL) of a square centred on (cx, cy), rotated by angle_deg."""
    half = side / 2.0
    base = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    theta = math.radians(angle_deg)
    rot = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    corners: npt.NDArray[np.float32] = (base @ rot.T + np.array([cx, cy])).astype(np.float32)
    return corners


def place_code(
    frame: Frame,
    modules: Frame,
    corners: npt.NDArray[np.float32],
    *,
    dark: int = 20,
    light: int = 235,
    border: int = 4,
) -> None:
    """Warp the symbol (with its quiet zone) onto ``frame`` in place.

    ``corners`` are the destination TL, TR, BR, BL of the quiet-zone square.
    """
    padded = np.pad(modules, border)
    # Render at roughly the destination scale so the warp samples without aliasing.
    dest_side = float(np.linalg.norm(corners[1] - corners[0]))
    px = max(2, math.ceil(dest_side / padded.shape[0]))
    symbol = np.kron(padded, np.ones((px, px), dtype=np.uint8))
    src_size = float(symbol.shape[0])
    values = np.where(symbol > 0, dark, light).astype(np.float32)
    # Work on the bounding box of the destination only (much faster than the whole frame).
    h, w = frame.shape[:2]
    x0 = max(0, math.floor(float(corners[:, 0].min())) - 2)
    y0 = max(0, math.floor(float(corners[:, 1].min())) - 2)
    x1 = min(w, math.ceil(float(corners[:, 0].max())) + 2)
    y1 = min(h, math.ceil(float(corners[:, 1].max())) + 2)
    if x1 <= x0 or y1 <= y0:
        return
    local = (corners - np.array([x0, y0], np.float32)).astype(np.float32)
    src = np.array([[0, 0], [src_size, 0], [src_size, src_size], [0, src_size]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, local)
    size = (x1 - x0, y1 - y0)
    warped = cv2.warpPerspective(values, matrix, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones_like(values), matrix, size, flags=cv2.INTER_LINEAR)
    mask3 = mask[..., None]
    roi = frame[y0:y1, x0:x1]
    blended = roi.astype(np.float32) * (1.0 - mask3) + warped[..., None] * mask3
    roi[...] = np.clip(blended, 0, 255).astype(np.uint8)


def _random_centre(rng: np.random.Generator, side: float) -> tuple[float, float]:
    margin = side * 0.75 + 10
    cx = float(rng.uniform(margin, WIDTH - margin))
    cy = float(rng.uniform(margin, HEIGHT - margin))
    return cx, cy


def _quiet_side(modules: Frame, symbol_px: float, border: int = 4) -> float:
    """Side of the quiet-zone square for a symbol ``symbol_px`` wide."""
    n = modules.shape[0]
    return float(symbol_px * (n + 2 * border) / n)


# ---------------------------------------------------------------- degradations


def motion_blur(frame: Frame, length: int, angle_deg: float) -> Frame:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    centre = ((length - 1) / 2.0, (length - 1) / 2.0)
    rot = cv2.getRotationMatrix2D(centre, angle_deg, 1.0)
    kernel = np.asarray(cv2.warpAffine(kernel, rot, (length, length)), dtype=np.float32)
    kernel /= max(float(kernel.sum()), 1e-6)
    return np.asarray(cv2.filter2D(frame, -1, kernel), dtype=np.uint8)


def gaussian_noise(rng: np.random.Generator, frame: Frame, sigma: float) -> Frame:
    noise = rng.standard_normal(size=frame.shape, dtype=np.float32)
    noise *= sigma
    noise += frame
    return np.clip(noise, 0, 255).astype(np.uint8)


def add_noise(rng: np.random.Generator, frame: Frame, sigma: float) -> Frame:
    out = gaussian_noise(rng, frame, sigma)
    salt = rng.random(frame.shape[:2], dtype=np.float32) < 0.004
    pepper = rng.random(frame.shape[:2], dtype=np.float32) < 0.004
    out[salt] = 255
    out[pepper] = 0
    return out


def add_glare(
    frame: Frame, centre: tuple[float, float], radius: float, strength: float = 260.0
) -> Frame:
    """A saturating Gaussian highlight (a lamp reflected on a glossy screen or laminate)."""
    h, w = frame.shape[:2]
    reach = 4.0 * radius
    x0, x1 = max(0, int(centre[0] - reach)), min(w, int(centre[0] + reach) + 1)
    y0, y1 = max(0, int(centre[1] - reach)), min(h, int(centre[1] + reach) + 1)
    out = frame.copy()
    if x1 <= x0 or y1 <= y0:
        return out
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    d2 = (xs - centre[0]) ** 2 + (ys - centre[1]) ** 2
    blob = strength * np.exp(-d2 / (2.0 * radius * radius))
    roi = out[y0:y1, x0:x1].astype(np.float32) + blob[..., None]
    out[y0:y1, x0:x1] = np.clip(roi, 0, 255).astype(np.uint8)
    return out


# ---------------------------------------------------------------- categories


def _make_sample(category: str, index: int, seed: int) -> Sample:
    cat_no = CATEGORIES.index(category)
    rng = np.random.default_rng([seed, cat_no, index])
    frame = background(rng)
    if category == "negative":
        return Sample(category, index, frame, ())

    payload: str | bytes
    text = ascii_payload(rng)
    payload = text
    eci = False
    if category == "chinese":
        text = CHINESE_TEXTS[index % len(CHINESE_TEXTS)]
        variant = index % 3
        payload = text.encode("gb18030") if variant == 0 else text
        eci = variant == 2
    elif category == "small":
        text = small_payload(rng) if index % 2 == 0 else ascii_payload(rng)
        payload = text
    elif index % 4 == 3:
        text = token_payload(rng, int(rng.integers(120, 220)))
        payload = text

    modules = qr_modules(payload, eci=eci)
    symbol_px = float(rng.uniform(180, 300))
    if category == "small":
        symbol_px = float(rng.uniform(60, 90))
    angle = float(rng.uniform(-4, 4))
    if category == "rotation":
        angle = [90.0, 180.0, 270.0][index % 3] if index % 2 == 0 else float(rng.uniform(0, 360))
        angle += float(rng.uniform(-3, 3))
    elif category == "chinese":
        angle = float(rng.uniform(-15, 15))
    side = _quiet_side(modules, symbol_px)
    cx, cy = _random_centre(rng, side)
    corners = _square(cx, cy, side, angle)
    if category == "perspective":
        jitter = rng.uniform(-0.22, 0.22, size=(4, 2)) * side
        corners = (corners + jitter).astype(np.float32)

    dark, light = int(rng.integers(5, 50)), int(rng.integers(205, 250))
    if category == "low_contrast":
        mid = int(rng.integers(70, 180))
        delta = int(rng.integers(10, 25))
        dark, light = mid - delta // 2, mid + (delta - delta // 2)
    elif category == "inverted":
        dark, light = light, dark
    place_code(frame, modules, corners, dark=dark, light=light)

    if category == "blur":
        if index % 2 == 0:
            frame = np.asarray(cv2.GaussianBlur(frame, (0, 0), float(rng.uniform(1.5, 2.8))))
        else:
            frame = motion_blur(frame, int(rng.integers(9, 18)), float(rng.uniform(0, 180)))
    elif category == "noise":
        frame = add_noise(rng, frame, float(rng.uniform(18, 35)))
    elif category == "glare":
        off = rng.uniform(-0.3, 0.3, size=2) * side
        frame = add_glare(frame, (cx + off[0], cy + off[1]), side * float(rng.uniform(0.12, 0.2)))
    # every camera adds a little noise
    if category != "noise":
        frame = gaussian_noise(rng, frame, 2.0)
    return Sample(category, index, frame, (text,))


def iter_samples(
    n_per_category: int = 20, seed: int = 2024, categories: Sequence[str] = CATEGORIES
) -> Iterator[Sample]:
    """Yield ``n_per_category`` samples for each category, deterministically."""
    for category in categories:
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}; known: {', '.join(CATEGORIES)}")
        for index in range(n_per_category):
            yield _make_sample(category, index, seed)


def generate_set(
    n_per_category: int = 20, seed: int = 2024, categories: Sequence[str] = CATEGORIES
) -> list[Sample]:
    """The hard synthetic set as a list (see :func:`iter_samples`)."""
    return list(iter_samples(n_per_category, seed, categories))


def frame_with_codes(
    payloads: Sequence[str | bytes],
    *,
    seed: int = 7,
    symbol_px: float = 220.0,
    angles: Sequence[float] | None = None,
) -> Frame:
    """A 1280×720 BGR frame with the given codes side by side (left to right)."""
    rng = np.random.default_rng(seed)
    frame = background(rng)
    count = len(payloads)
    for i, payload in enumerate(payloads):
        modules = qr_modules(payload)
        side = _quiet_side(modules, symbol_px)
        cx = WIDTH * (i + 1) / (count + 1)
        angle = 0.0 if angles is None else float(angles[i])
        place_code(frame, modules, _square(cx, HEIGHT / 2, side, angle))
    return frame


# ---------------------------------------------------------------- video


def write_video(
    path: str | Path,
    payload: str | bytes = "https://pass.example.cn/v/VIDEO-TEST-0001",
    *,
    frames_before: int = 30,
    frames_total: int = 90,
    fps: float = 30.0,
    fourcc: str = "MJPG",
    seed: int = 11,
) -> Path:
    """Write a camera stand-in video: background only for ``frames_before`` frames, then the
    code held in front of the camera (drifting slightly) until ``frames_total``.

    Use ``MJPG`` (``.avi``) or ``mp4v`` (``.mp4``); the ``avc1`` writer fails on these machines.
    Returns the path. Raises ``RuntimeError`` if OpenCV cannot open the writer.
    """
    out = Path(path)
    rng = np.random.default_rng(seed)
    base = background(rng)
    modules = qr_modules(payload)
    side = _quiet_side(modules, 240.0)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter.fourcc(*fourcc), fps, (WIDTH, HEIGHT))
    if not writer.isOpened():
        raise RuntimeError(f"cv2.VideoWriter cannot write {fourcc} to {out}")
    try:
        for i in range(frames_total):
            frame = base.copy()
            if i >= frames_before:
                t = i - frames_before
                cx = WIDTH / 2 + 120 * math.sin(t / 15.0)
                cy = HEIGHT / 2 + 40 * math.cos(t / 20.0)
                place_code(frame, modules, _square(cx, cy, side, 5 * math.sin(t / 10.0)))
            frame = gaussian_noise(rng, frame, 2.0)
            writer.write(frame)
    finally:
        writer.release()
    return out
