"""Tick labels as numbers, and the scale they give an axis (pixels to data, linear or log).

Labels are read as matplotlib writes them: '−1.5', '1,000', '25%', '$3', a log axis' mathtext
read as '10^k' or '4×10^k' (see ``svgread._content``), an offset text such as '×10^3' or '1e6'.
"""

from __future__ import annotations

import re

import numpy as np

from .view import Scale, Tick

_NUMBER = re.compile(r"^[$€£]?\s*([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:e[-+]?\d+)?)\s*(%|[$€£])?$",
                     re.IGNORECASE)
# matplotlib's log-axis labels are mathtext, read as '10^k' or '4×10^k' (svgread._content).
_POWER = re.compile(r"^(?:(\d+(?:\.\d+)?)\s*×\s*)?10\^(-?)(\d+)$")
_OFFSET = re.compile(r"^(?:(?:×\s*10\^?|1e)([-+]?\d+))?\s*([-+]\s*[\d.]+(?:e[-+]?\d+)?)?$", re.IGNORECASE)
# A tick-label fit that is off by more than this share of the labels' span is not a linear axis.
_FIT_TOLERANCE = 1e-3


def _clean(text: str) -> str:
    return text.replace("\u2212", "-").replace("\u2009", "").replace("\u202f", "").strip()


def is_offset(text: str) -> bool:
    """An axis' offset text ('×10^3', '1e6', '+1.5'), printed apart from the tick labels."""
    return bool(_clean(text)) and _OFFSET.match(_clean(text)) is not None


def parse_number(text: str) -> float | None:
    """A tick label's number ('−1.5', '1,000', '25%', '$3', a log axis' 10^k or 4×10^k) or None."""
    power = _POWER.match(_clean(text))
    if power:
        return float(power.group(1) or 1) * 10.0 ** int(power.group(2) + power.group(3))
    m = _NUMBER.match(_clean(text))
    if not m or not m.group(1) or not re.search(r"\d", m.group(1)):
        return None
    value = float(m.group(1).replace(",", ""))
    return value if np.isfinite(value) else None


def fit_scale(ticks: list[Tick], offset: str) -> Scale | None:
    """px -> data from the numeric tick labels (None when they are categories)."""
    pairs = []
    for t in ticks:
        if not t.text:
            continue
        value = parse_number(t.labels[0].text)
        if value is None:
            return None  # one category label makes the axis categorical
        pairs.append((t.pos, value))
    if len({p for p, _ in pairs}) < 2:
        return None
    px, val = np.array(pairs, dtype=float).T
    if offset:
        m = _OFFSET.match(_clean(offset))
        if m:
            val = val * 10.0 ** int(m.group(1) or 0) + float((m.group(2) or "0").replace(" ", ""))
    for kind, y in (("linear", val), ("log", np.log10(val) if np.all(val > 0) else None)):
        if y is None:
            continue
        a, b = np.polyfit(px, y, 1)
        span = np.ptp(y) or 1.0
        if np.max(np.abs(a * px + b - y)) <= _FIT_TOLERANCE * span and a != 0:
            return Scale(kind, float(a), float(b))
    return None
