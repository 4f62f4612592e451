"""B1.3.a clarity and B1.3.b adequacy of a figure, judged on the matplotlib objects (no pixels)."""

from __future__ import annotations

import re
from itertools import combinations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.category import StrCategoryConverter
from matplotlib.figure import Figure

from . import _figures_read as rd
from ._errors import BadInput, CheckFailed

MIN_FONT_PT = 8.0
MAX_PIE_SLICES = 6
MIN_DELTA_E = 10.0
# Colour maps that are not perceptually ordered or that hinge on red vs green.
BAD_CMAPS = frozenset({"jet", "rainbow", "hsv", "gist_rainbow", "nipy_spectral", "gist_ncar", "prism",
                       "flag", "RdYlGn", "RdGn", "PiYG"})
UNIT = re.compile(r"\(.+\)|\[.+\]|[$€£%]|\b(days?|jours?|months?|mois|years?|ans|nb|number|nombre|"
                  r"count|share|part|dollars?|euros?|usd|eur|customers?|clients?|score|rate|taux|"
                  r"index|indice|units?|z|std|log)\b", re.IGNORECASE)

# Machado et al. (2009) simulation matrices, severity 1, in linear RGB.
_PROTAN = np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                    [-0.003882, -0.048116, 1.051998]])
_DEUTAN = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                    [-0.011820, 0.042940, 0.968881]])


def _draw(fig: Figure) -> None:
    """Lay the figure out so text extents are known (no pixels are produced).

    A figure that is not stale was laid out by its last draw (the public part's, or the
    notebook's display): reuse that layout.
    """
    if fig.stale:
        fig.draw_without_rendering()


def _settle(fig: Figure) -> None:
    """Reading tick labels marks a figure stale although nothing changed: undo that flag, so the
    hidden part and repeated self-checks reuse the layout instead of drawing again."""
    fig.stale = False


def clarity_public(fig: object) -> None:
    figure = rd.as_figure(fig)
    axes = rd.target_axes(fig, figure)
    _draw(figure)
    suptitle = figure._suptitle.get_text().strip() if figure._suptitle else ""
    for ax in axes:
        if ax.name == "3d":
            raise CheckFailed("3-D charts distort the values: use a 2-D chart")
        if not rd.has_data(ax):
            continue
        n_wedges = len(rd.wedges(ax))
        if n_wedges > MAX_PIE_SLICES:
            raise CheckFailed(f"a pie with {n_wedges} slices is unreadable: compare categories with bars")
        if rd.series_lines(ax) and not _numeric_axis(ax.xaxis) and _categorical(ax.xaxis):
            raise CheckFailed("a line joins separate categories as if they were ordered in time: "
                              "compare categories with bars")
        titles = [ax.get_title(loc).strip() for loc in ("center", "left", "right")]
        if not any(titles) and not suptitle:
            raise CheckFailed("the chart has no title: say what it shows")
        if not n_wedges and ax.axison:
            if not ax.get_xlabel().strip() or not ax.get_ylabel().strip():
                raise CheckFailed("an axis has no label: name what each axis measures")
        if rd.n_series(ax) >= 2 and ax.get_legend() is None and not figure.legends:
            raise CheckFailed("the chart shows several series but no legend: add one")
        _ticks_readable(ax)
    _settle(figure)


def _ticks_readable(ax: Axes) -> None:
    for axis in (ax.xaxis, ax.yaxis):
        labels = [t for t in axis.get_ticklabels() if t.get_visible() and t.get_text().strip()]
        for t in labels:
            if t.get_fontsize() < MIN_FONT_PT:
                raise CheckFailed(f"tick labels are too small to read (under {MIN_FONT_PT:g} pt)")
        boxes = sorted((t.get_window_extent() for t in labels),
                       key=lambda b: b.x0 if axis is ax.xaxis else b.y0)
        for a, b in zip(boxes, boxes[1:]):
            if a.shrunk(0.98, 0.98).overlaps(b.shrunk(0.98, 0.98)):
                raise CheckFailed("tick labels overlap: rotate them, shorten them or use horizontal bars")


def clarity_hidden(fig: object) -> None:
    figure = rd.as_figure(fig)
    _draw(figure)  # tick label texts are known once laid out
    for ax in rd.target_axes(fig, figure):
        if not rd.has_data(ax):
            continue
        if ax.axison and not rd.wedges(ax) and not rd.heatmaps(ax):
            for axis, label in ((ax.xaxis, ax.get_xlabel()), (ax.yaxis, ax.get_ylabel())):
                if _numeric_axis(axis) and not UNIT.search(label):
                    raise CheckFailed("a numeric axis label gives no unit (e.g. '(days)', '($)', '%')")
        _colour_blind_safe(rd.series_colours(ax))
        for artist in rd.colour_mapped(ax):
            if artist.get_cmap().name.removesuffix("_r") in BAD_CMAPS:
                raise CheckFailed("the colour map is hard to read (not ordered by lightness, or "
                                  "red against green): use e.g. 'viridis', 'cividis' or 'RdBu'")
    _settle(figure)


def _categorical(axis) -> bool:
    conv = axis.get_converter() if hasattr(axis, "get_converter") else axis.converter
    return isinstance(conv, StrCategoryConverter)


_NUMBER = re.compile(r"^[\s$€£%+\-\u2212]*[\d.,\s]+(e[+\-\u2212]?\d+)?[\s%$€£kKMB]*$")


def _numeric_axis(axis) -> bool:
    """A numeric axis: no converter (categorical and date axes have one), and tick labels that
    read as numbers (pandas' bar plots put categories on a numeric axis with fixed labels)."""
    conv = axis.get_converter() if hasattr(axis, "get_converter") else axis.converter
    if conv is not None:
        return False
    texts = [t.get_text().strip() for t in axis.get_ticklabels() if t.get_visible()]
    return all(_NUMBER.match(t) for t in texts if t)


def _lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (0-1) -> CIE Lab (D65)."""
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = lin @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                          [0.0193, 0.1192, 0.9505]]).T
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


def _simulate(rgb: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    sim = np.clip(lin @ matrix.T, 0, 1)
    return np.where(sim <= 0.0031308, 12.92 * sim, 1.055 * sim ** (1 / 2.4) - 0.055)


def min_delta_e(colours: list[tuple[float, float, float]]) -> float:
    """Smallest CIE76 difference between two colours, under normal, protan and deutan vision."""
    if len(colours) < 2:
        return float("inf")
    rgb = np.array(colours, dtype=float)
    worst = float("inf")
    for version in (rgb, _simulate(rgb, _PROTAN), _simulate(rgb, _DEUTAN)):
        lab = _lab(version)
        for i, j in combinations(range(len(lab)), 2):
            worst = min(worst, float(np.linalg.norm(lab[i] - lab[j])))
    return worst


def _colour_blind_safe(colours: list[tuple[float, float, float]]) -> None:
    if min_delta_e(colours) < MIN_DELTA_E:
        raise CheckFailed("two colours of the chart look alike for colour-blind readers: use a "
                          "colour-blind-safe palette (e.g. 'colorblind', 'viridis')")


# --- adequacy ---------------------------------------------------------------------------------

def adequacy_public(fig: object, *, expected: object, kind: str | None = None) -> None:
    _adequacy(fig, expected, kind, rtol=1e-2, strict=False)


def adequacy_hidden(fig: object, *, expected: object, kind: str | None = None) -> None:
    _adequacy(fig, expected, kind, rtol=1e-6, strict=True)


def _adequacy(fig: object, expected: object, kind: str | None, *, rtol: float, strict: bool) -> None:
    figure = rd.as_figure(fig)
    axes = [ax for ax in rd.target_axes(fig, figure) if rd.has_data(ax)]
    _draw(figure)
    exp = _expected(expected)
    kind = kind or _infer_kind(axes)
    if kind in ("bar", "barh"):
        _match_bars(axes, exp, rtol, strict)
    elif kind == "scatter":
        pts = [np.asarray(sc.get_offsets(), dtype=float) for ax in axes for sc in rd.scatters(ax)]
        if not pts:
            raise CheckFailed("the figure has no scatter points")
        _same_points(np.vstack(pts), _two_columns(exp), rtol)
    elif kind == "line":
        _match_lines(axes, exp, rtol)
    elif kind == "heatmap":
        cells = [rd.heatmap_cells(a) for ax in axes for a in rd.heatmaps(ax)]
        if not cells:
            raise CheckFailed("the figure has no heatmap")
        _match_heatmap(cells[0], exp, rtol, strict)
    else:
        raise BadInput(f"kind must be 'bar', 'barh', 'scatter', 'line' or 'heatmap', not {kind!r}")
    _settle(figure)


def _expected(expected: object) -> pd.DataFrame | pd.Series:
    if isinstance(expected, (pd.Series, pd.DataFrame)):
        return expected.copy()
    if isinstance(expected, (np.ndarray, list, tuple)):
        arr = np.asarray(expected)
        return pd.Series(arr) if arr.ndim == 1 else pd.DataFrame(arr)
    if isinstance(expected, dict):
        return pd.Series(expected)
    raise BadInput("expected must be your computed results: a Series, DataFrame or array")


def _infer_kind(axes: list[Axes]) -> str:
    for test, name in ((rd.heatmaps, "heatmap"), (rd.bar_containers, "bar"), (rd.scatters, "scatter"),
                       (rd.series_lines, "line")):
        if any(test(ax) for ax in axes):
            return name
    raise BadInput("the figure shows no bars, points, lines or heatmap")


def _numbers(values: object, what: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise BadInput(f"{what} must hold numbers") from None
    return arr[np.isfinite(arr)]


def _close(a: np.ndarray, b: np.ndarray, rtol: float) -> bool:
    if a.shape != b.shape:
        return False
    scale = float(np.abs(b).max()) if b.size else 0.0
    return bool(np.allclose(a, b, rtol=rtol, atol=rtol * 1e-3 * scale + 1e-12))


def _match_bars(axes: list[Axes], exp: pd.Series | pd.DataFrame, rtol: float, strict: bool) -> None:
    heights, labels = [], []
    for ax in axes:
        h, lab, _ = rd.bars(ax)
        heights += list(h)
        labels += lab
    if not heights:
        raise CheckFailed("the figure has no bars")
    mine, ref = np.array(heights), _numbers(exp, "expected")
    if not _close(np.sort(mine), np.sort(ref), rtol):
        raise CheckFailed("the bar heights do not match your computed results (count or values)")
    if strict and isinstance(exp, pd.DataFrame):
        _match_grouped_bars(axes, exp, rtol)
    if strict and isinstance(exp, pd.Series) and len(set(labels)) == len(labels):
        by_label = dict(zip(labels, mine))
        keys = [str(k) for k in exp.index]
        if set(keys) == set(by_label):
            if not _close(np.array([by_label[k] for k in keys]), ref, rtol):
                raise CheckFailed("bars do not stand above the category they belong to")


def _match_grouped_bars(axes: list[Axes], exp: pd.DataFrame, rtol: float) -> None:
    """Grouped bars: each series (legend label) against its column, each bar against its row.

    The table may be drawn either way round (series = columns, or series = rows); when the
    series carry no usable labels the order-insensitive comparison above is all we can judge.
    """
    series = {str(c.get_label()): (ax, c) for ax in axes for c in rd.bar_containers(ax)}
    for table in (exp, exp.T):
        names = [str(c) for c in table.columns]
        if not set(names) <= set(series):
            continue
        rows = [str(i) for i in table.index]
        for col, name in zip(table.columns, names):
            heights, ticks = rd.container_bars(*series[name])[:2]
            ref = table[col].to_numpy(dtype=float)
            if len(set(ticks)) == len(ticks) and set(ticks) == set(rows):
                heights = np.array([dict(zip(ticks, heights))[r] for r in rows])
            if not _close(heights, ref, rtol):
                raise CheckFailed(f"the bars of the series {name!r} do not match the results they "
                                  "belong to (check which column and which category each bar shows)")
        return


def _two_columns(exp: pd.Series | pd.DataFrame) -> np.ndarray:
    if isinstance(exp, pd.Series) or exp.shape[1] != 2:
        raise BadInput("for a scatter plot, expected must have two columns (x, y)")
    return exp.to_numpy(dtype=float)


def _same_points(mine: np.ndarray, ref: np.ndarray, rtol: float) -> None:
    if len(mine) != len(ref):
        raise CheckFailed("the number of points plotted differs from your results")
    a, b = mine[np.lexsort(mine.T[::-1])], ref[np.lexsort(ref.T[::-1])]
    if not _close(a, b, rtol):
        raise CheckFailed("the plotted points do not match your computed results")


def _match_lines(axes: list[Axes], exp: pd.Series | pd.DataFrame, rtol: float) -> None:
    lines = [np.asarray(ln.get_ydata(), dtype=float) for ax in axes for ln in rd.series_lines(ax)]
    if not lines:
        raise CheckFailed("the figure has no lines")
    columns = [exp] if isinstance(exp, pd.Series) else [exp[c] for c in exp.columns]
    for col in columns:
        ref = _numbers(col, "expected")
        if not any(_close(ln[np.isfinite(ln)], ref, rtol) for ln in lines):
            raise CheckFailed("a line does not match your computed results")


def _match_heatmap(cells: np.ndarray, exp: pd.Series | pd.DataFrame, rtol: float, strict: bool) -> None:
    try:
        ref = np.asarray(exp, dtype=float)
    except (TypeError, ValueError):
        raise BadInput("expected must hold numbers") from None
    if ref.ndim != 2:
        raise BadInput("for a heatmap, expected must be a 2-D table")
    if cells.shape == ref.shape and (_close(cells, ref, rtol) or _close(cells[::-1], ref, rtol)):
        return
    if not strict and cells.size == ref.size and _close(np.sort(cells.ravel()), np.sort(ref.ravel()), rtol):
        return
    raise CheckFailed("the heatmap cells do not match your computed results")
