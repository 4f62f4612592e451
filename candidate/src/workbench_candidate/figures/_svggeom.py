"""Low-level readers of matplotlib SVG attributes: numbers, styles, transforms, paths, images.

Everything here reads untrusted text: a number that is not finite, a transform that is not one of
SVG's, a path with unknown commands or an image that is not a small embedded PNG raise
:class:`BadAnswer` (one line), never another exception.
"""

from __future__ import annotations

import base64
import functools
import binascii
import io
import re
import struct

import numpy as np

from ..outcome import BadAnswer
from ._colour import hex_rgb

MAX_IMAGE_PIXELS = 4_000_000  # an embedded raster larger than this is no chart of ours
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM = re.compile(r"\s*(matrix|translate|scale|rotate)\s*\(([^)]*)\)\s*,?")
_PATH_TOKEN = re.compile(r"[MLCQZHVmlcqzhvAa]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def unreadable(what: str) -> BadAnswer:
    return BadAnswer(f"the figure's SVG cannot be read ({what}): display the figure with plt.show() "
                     "or by ending the cell with it",
                     f"le SVG de la figure est illisible ({what}) : affichez la figure avec plt.show() "
                     "ou en terminant la cellule par elle")


def number(text: str | None, what: str = "a coordinate") -> float:
    """A finite float, or :class:`BadAnswer`."""
    try:
        value = float(text) if text is not None else float("nan")
    except (TypeError, ValueError):
        raise unreadable(f"{what} is not a number") from None
    if not np.isfinite(value):
        raise unreadable(f"{what} is not finite")
    return value


def style(element) -> dict[str, str]:
    """The element's ``style`` declarations, with presentation attributes as fallback."""
    out = {k: v for k in ("fill", "stroke", "fill-opacity", "font-size", "text-anchor")
           if (v := element.get(k)) is not None}
    out.update(_declarations(element.get("style") or ""))
    return out


@functools.lru_cache(maxsize=256)
def _declarations(text: str) -> dict[str, str]:
    # The markers of one scatter share a handful of style strings: parse each once. The
    # cached dict is only ever copied into a fresh one (style() above), never handed out.
    out = {}
    for part in text.split(";"):
        key, sep, value = part.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    return out


def colour(value: str | None) -> tuple[float, float, float] | None:
    """An SVG paint as RGB in [0, 1]; ``none``/urls/unknown names -> None."""
    return hex_rgb(value) if value else None


def font_size(styles: dict[str, str]) -> float:
    """Font size in pt (matplotlib's SVG user unit is the point)."""
    raw = styles.get("font-size", "12px").strip().removesuffix("px").removesuffix("pt")
    return number(raw, "a font size")


Affine = np.ndarray  # 3x3


def transform(text: str | None) -> Affine:
    """An SVG ``transform`` attribute as a 3x3 affine matrix (identity when absent)."""
    m = np.eye(3)
    if not text:
        return m
    pos, text = 0, text.strip()
    while pos < len(text):
        match = _TRANSFORM.match(text, pos)
        if not match:
            raise unreadable("a transform")
        kind = match.group(1)
        args = [number(a, "a transform") for a in re.split(r"[\s,]+", match.group(2).strip()) if a]
        if kind == "translate" and len(args) in (1, 2):
            step = np.array([[1, 0, args[0]], [0, 1, args[1] if len(args) == 2 else 0], [0, 0, 1]])
        elif kind == "scale" and len(args) in (1, 2):
            step = np.diag([args[0], args[-1], 1.0])
        elif kind == "rotate" and len(args) in (1, 3):
            a = np.radians(args[0])
            rot = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
            if len(args) == 3:
                cx, cy = args[1], args[2]
                rot = (np.array([[1, 0, cx], [0, 1, cy], [0, 0, 1]]) @ rot
                       @ np.array([[1, 0, -cx], [0, 1, -cy], [0, 0, 1]]))
            step = rot
        elif kind == "matrix" and len(args) == 6:
            a, b, c, d, e, f = args
            step = np.array([[a, c, e], [b, d, f], [0, 0, 1]])
        else:
            raise unreadable("a transform")
        m = m @ step
        pos = match.end()
    return m


def rotation(m: Affine) -> float:
    """Counter-clockwise angle on screen (degrees) of an affine's x direction."""
    return float(np.degrees(np.arctan2(-m[1, 0], m[0, 0])))


def apply(m: Affine, xy: np.ndarray) -> np.ndarray:
    xy = np.atleast_2d(np.asarray(xy, dtype=float))
    return xy @ m[:2, :2].T + m[:2, 2]


def element_path(el, limit: int = 200_000) -> tuple[np.ndarray, bool]:
    """A ``<path>`` element's vertices, through its own ``transform`` if it has one."""
    pts, curved = path_vertices(el.get("d"), limit)
    if el.get("transform") is not None and len(pts):
        pts = apply(transform(el.get("transform")), pts)
    return pts, curved


def path_vertices(d: str | None, limit: int = 200_000) -> tuple[np.ndarray, bool]:
    """End points of a path's segments (absolute commands, as matplotlib writes them) and whether
    it has curves. Relative or arc commands are not matplotlib's: unreadable."""
    tokens = _PATH_TOKEN.findall(d or "")
    if len(tokens) > limit:
        raise unreadable("a path is too long")
    points: list[tuple[float, float]] = []
    curved, cmd, args = False, "", []
    arity = {"M": 2, "L": 2, "C": 6, "Q": 4, "Z": 0}
    for tok in tokens + ["Z"]:
        if tok.isalpha():
            tok = "Z" if tok == "z" else tok
            if cmd and args:
                raise unreadable("a path")
            if tok not in arity:
                raise unreadable(f"a path command {tok!r}")
            cmd, args = tok, []
            curved = curved or tok in "CQ"
            continue
        if not cmd or cmd == "Z":
            raise unreadable("a path")
        args.append(number(tok, "a path coordinate"))
        if len(args) == arity[cmd]:
            points.append((args[-2], args[-1]))
            args = []
    return np.asarray(points, dtype=float).reshape(-1, 2), curved


def png_pixels(href: str | None) -> np.ndarray | None:
    """An embedded ``data:image/png;base64`` image as (rows, cols, 4) floats in [0, 1].

    Anything else (an external link, another format) is ignored: the judge never fetches a URL.
    The header's size is checked before any decompression (no decompression bomb).
    """
    if not href or not href.startswith("data:image/png;base64,"):
        return None
    try:
        data = base64.b64decode(re.sub(r"\s+", "", href[len("data:image/png;base64,"):]), validate=True)
    except (binascii.Error, ValueError):
        raise unreadable("an embedded image") from None
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise unreadable("an embedded image")
    width, height = struct.unpack(">II", data[16:24])
    if not 0 < width * height <= MAX_IMAGE_PIXELS:
        raise unreadable("an embedded image is too large")
    from PIL import Image  # matplotlib's own dependency; imported only when an image is met

    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.size != (width, height):
                raise unreadable("an embedded image")
            rgba = np.asarray(img.convert("RGBA"), dtype=float) / 255.0
    except BadAnswer:
        raise
    except Exception:  # any decoder error of a hostile PNG is the same unreadable answer
        raise unreadable("an embedded image") from None
    return rgba
