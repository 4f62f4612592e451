"""Colour science for the figure rules: sRGB -> CIE Lab, colour-vision-deficiency simulation,
CIEDE2000 differences, and the lightness profile of a colour ramp.

Pure numpy, no matplotlib: the judge reads colours from SVG text only.
"""

from __future__ import annotations

import functools
from itertools import combinations

import numpy as np

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied in linear RGB: the standard
# simulation of full protanopia and deuteranopia (also used by colorspacious / Coblis).
PROTAN = np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]])
DEUTAN = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                   [-0.011820, 0.042940, 0.968881]])
_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


@functools.lru_cache(maxsize=1024)  # a scatter repeats a few fills thousands of times
def hex_rgb(text: str) -> tuple[float, float, float] | None:
    """``#rrggbb`` or ``#rgb`` -> floats in [0, 1]; anything else -> None."""
    t = text.strip().lower()
    if len(t) == 4 and t.startswith("#"):
        t = "#" + "".join(c * 2 for c in t[1:])
    if len(t) != 7 or not t.startswith("#"):
        return None
    try:
        return tuple(int(t[i:i + 2], 16) / 255.0 for i in (1, 3, 5))  # type: ignore[return-value]
    except ValueError:
        return None


def _linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _gamma(lin: np.ndarray) -> np.ndarray:
    lin = np.clip(lin, 0.0, 1.0)
    return np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin ** (1 / 2.4) - 0.055)


def simulate(rgb: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """What a dichromat sees of sRGB colours (n, 3)."""
    return _gamma(_linear(np.asarray(rgb, dtype=float)) @ matrix.T)


def lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (n, 3) in [0, 1] -> CIE Lab (D65)."""
    xyz = (_linear(np.asarray(rgb, dtype=float)) @ _XYZ.T) / _WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


def delta_e2000(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """CIEDE2000 difference between Lab colours a and b (broadcast, last axis = L, a, b)."""
    L1, a1, b1 = np.moveaxis(np.asarray(a, dtype=float), -1, 0)
    L2, a2, b2 = np.moveaxis(np.asarray(b, dtype=float), -1, 0)
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar ** 7 / (c_bar ** 7 + 25.0 ** 7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dl, dc = L2 - L1, c2p - c1p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(c1p * c2p == 0, 0.0, dh)
    dH = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_bar, cp_bar = (L1 + L2) / 2, (c1p + c2p) / 2
    hsum = h1p + h2p
    h_bar = np.where(np.abs(h1p - h2p) > 180, np.where(hsum < 360, hsum + 360, hsum - 360), hsum) / 2
    h_bar = np.where(c1p * c2p == 0, hsum, h_bar)
    t = (1 - 0.17 * np.cos(np.radians(h_bar - 30)) + 0.24 * np.cos(np.radians(2 * h_bar))
         + 0.32 * np.cos(np.radians(3 * h_bar + 6)) - 0.20 * np.cos(np.radians(4 * h_bar - 63)))
    sl = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    sc, sh = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    rt = (-2 * np.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25.0 ** 7))
          * np.sin(np.radians(60 * np.exp(-(((h_bar - 275) / 25) ** 2)))))
    return np.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dH / sh) ** 2 + rt * (dc / sc) * (dH / sh))


def closest_pair(colours: list[tuple[float, float, float]]) -> tuple[float, int, int]:
    """The smallest CIEDE2000 difference between two colours under normal, protan and deutan
    vision, with the indices of that pair ((inf, -1, -1) under two colours)."""
    if len(colours) < 2:
        return float("inf"), -1, -1
    rgb = np.asarray(colours, dtype=float)
    best = (float("inf"), -1, -1)
    for version in (rgb, simulate(rgb, PROTAN), simulate(rgb, DEUTAN)):
        lab_ = lab(version)
        for i, j in combinations(range(len(lab_)), 2):
            d = float(delta_e2000(lab_[i], lab_[j]))
            if d < best[0]:
                best = (d, i, j)
    return best


def lightness_turns(rgb: np.ndarray, hysteresis: float) -> int:
    """How many times the lightness of a ramp changes direction by more than ``hysteresis``
    L* units: 0 for a sequential map, 1 for a diverging one, more for rainbows such as jet."""
    light = lab(np.asarray(rgb, dtype=float))[:, 0]
    turns, direction, anchor = 0, 0, light[0] if len(light) else 0.0
    for value in light[1:]:
        step = value - anchor
        if abs(step) < hysteresis:
            continue
        sign = 1 if step > 0 else -1
        if direction and sign != direction:
            turns += 1
        direction, anchor = sign, value
    return turns
