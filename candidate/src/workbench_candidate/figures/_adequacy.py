"""Adequacy (B1.3.b): the figure shows the candidate's own results, and does not misrepresent them.

Tolerances (rules.yml, ``adequacy``) survive SVG rounding (matplotlib writes ~6 significant
digits of px, i.e. < 1e-4 of a chart) and colour-map quantisation (256 levels = 0.4 % of a colour
bar's range, read back through a colour bar image of ~350 px). Messages never quote a value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..outcome import BadAnswer, Fault
from .view import AxesView, FigureView, Mesh

KINDS = ("bar", "barh", "heatmap", "scatter", "line")


def _fault(rule: str, en: str, fr: str) -> Fault:
    return Fault(rule, en, fr)


def _table(expected: object) -> pd.DataFrame | pd.Series:
    if isinstance(expected, (pd.Series, pd.DataFrame)):
        table = expected
    elif isinstance(expected, (np.ndarray, list, tuple)):
        arr = np.asarray(expected)
        table = pd.Series(arr) if arr.ndim == 1 else pd.DataFrame(arr)
    else:
        raise BadAnswer("expected must be your computed results: a Series or a DataFrame",
                        "expected doit être vos résultats calculés : une Series ou un DataFrame")
    try:
        table.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise BadAnswer("expected must hold numbers only", "expected ne doit contenir que des nombres") from None
    return table


def judge(view: FigureView, expected: object, kind: str, cfg: dict) -> list[Fault]:
    from .rules import plots_of

    if kind not in KINDS:
        raise BadAnswer(f"kind must be one of {', '.join(KINDS)}, not {kind!r}",
                        f"kind doit valoir {', '.join(KINDS)}, pas {kind!r}")
    plots, table = plots_of(view), _table(expected)
    if kind in ("bar", "barh"):
        return _bars(plots, table, cfg)
    if kind == "heatmap":
        return _heatmap(view, plots, table, cfg)
    if kind == "scatter":
        return _scatter(plots, table, cfg)
    return _lines(plots, table, cfg)


def _no(what_en: str, what_fr: str) -> list[Fault]:
    return [_fault("figures.kind", f"the figure has no {what_en}", f"la figure n'a pas de {what_fr}")]


def _values(en: str, fr: str) -> Fault:
    return _fault("figures.values", en, fr)


def _no_scale(axis: str) -> list[Fault]:
    return [_fault("figures.scale", f"the {axis} axis has no numeric scale: its values cannot be read",
                   f"l'axe {axis} n'a pas d'échelle numérique : ses valeurs ne peuvent pas être lues")]


# --- bars --------------------------------------------------------------------------------

def _bars(plots: tuple[AxesView, ...], table, cfg: dict) -> list[Fault]:
    from .rules import _horizontal

    faults: list[Fault] = []
    found: list[tuple[float, str, tuple]] = []  # value, category, fill
    for ax in plots:
        if not ax.bars:
            continue
        horizontal = _horizontal(ax)
        value_axis, cat_axis = (ax.xaxis, ax.yaxis) if horizontal else (ax.yaxis, ax.xaxis)
        if value_axis.scale is None:
            return _no_scale(value_axis.name)
        lo, hi = value_axis.limits
        zero = cfg["zero_tolerance"] * (hi - lo)
        if value_axis.scale.kind == "log" or lo > zero or hi < -zero:
            faults.append(_fault("figures.truncated", f"the {value_axis.name} axis does not start at 0: "
                                 "bar lengths exaggerate the differences", f"l'axe {value_axis.name} ne part "
                                 "pas de 0 : la longueur des barres exagère les écarts"))
        for b in ax.bars:
            edges = value_axis.to_data(np.array([b.x0, b.x1] if horizontal else [b.y1, b.y0]))
            base = int(np.argmin(np.abs(edges)))
            centre = (b.y0 + b.y1) / 2 if horizontal else (b.x0 + b.x1) / 2
            # a bar belongs to the nearest labelled tick: a group's outer bars (4+ series) stand
            # farther from it than their own width, never farther than the next category's tick
            found.append((float(edges[1 - base] - edges[base]), cat_axis.category(centre, np.inf), b.fill))
    if not found:
        return _no("bars", "barres")
    ref = table.to_numpy(dtype=float).ravel()
    ref = ref[np.isfinite(ref)]
    tol = cfg["bar_tolerance"] * (np.abs(ref).max() if ref.size else 1.0) + 1e-12
    # A bar within the tolerance of 0 is drawn as nothing, or as a sliver: it cannot be counted,
    # neither among the results nor among the bars drawn.
    ref = ref[np.abs(ref) > tol]
    mine = np.array([v for v, _, _ in found])
    mine = mine[np.abs(mine) > tol]
    if len(mine) != len(ref) or not np.allclose(np.sort(mine), np.sort(ref), rtol=0, atol=tol):
        return faults + [_values("the bar lengths do not match your computed results (count or values)",
                                 "la longueur des barres ne correspond pas à vos résultats (nombre ou valeurs)")]
    legend = {text: fill for ax in plots if ax.legend for text, fill in ax.legend.entries if fill}
    for series, fill, column in _series_columns(table, legend):
        bars = {cat: v for v, cat, f in found if f == fill and cat}
        shown = [(bars[str(k)], float(v)) for k, v in column.items() if str(k) in bars and np.isfinite(v)]
        if shown and not np.allclose(*np.array(shown).T, rtol=0, atol=tol):
            # series is a legend entry's text, never empty (an empty label draws no entry)
            return faults + [_values(f"the bars of the series {series!r} do not stand over the category "
                                     "they belong to", f"les barres de la série {series!r} ne sont pas "
                                     "placées sur la catégorie à laquelle elles correspondent")]
    if isinstance(table, pd.Series):
        bars = {cat: v for v, cat, _ in found if cat}
        shown = [(bars[str(k)], float(v)) for k, v in table.items() if str(k) in bars]
        if len(bars) == len(found) and shown and not np.allclose(*np.array(shown).T, rtol=0, atol=tol):
            return faults + [_values("the bars do not stand over the category they belong to",
                                     "les barres ne sont pas placées sur leur catégorie")]
    return faults


def _series_columns(table, legend: dict):
    """(series name, legend colour, values by category) for each series named in the legend,
    with the table read either way round (series = columns, or series = rows)."""
    if not isinstance(table, pd.DataFrame):
        return []
    for t in (table, table.T):
        names = [str(c) for c in t.columns]
        if set(names) <= set(legend):
            return [(n, legend[n], t[c]) for n, c in zip(names, t.columns)]
    return []


# --- heatmap -----------------------------------------------------------------------------

def _heatmap(view: FigureView, plots, table, cfg: dict) -> list[Fault]:
    ref = table.to_numpy(dtype=float)
    if ref.ndim != 2:
        raise BadAnswer("for a heatmap, expected must be a 2-D table (a DataFrame)",
                        "pour une carte de chaleur, expected doit être un tableau 2D (un DataFrame)")
    host = next((ax for ax in plots if ax.meshes or ax.rasters), None)
    if host is None:
        return _no("heatmap", "carte de chaleur")
    mesh = host.meshes[0] if host.meshes else host.rasters[0].mesh(ref.shape)
    if not view.colourbars:
        return [_fault("figures.saturated", "the heatmap has no colour bar: its colours cannot be read "
                       "as values", "la carte de chaleur n'a pas de barre de couleurs : ses couleurs ne "
                       "peuvent pas être lues comme des valeurs")]
    bars = [a.colourbar for a in view.colourbars]
    cb = min(bars, key=lambda b: np.nanmean(np.isnan(b.read(mesh.colours.reshape(-1, 3), cfg["colour_match"]))))
    lo, hi = cb.range
    span = (hi - lo) or 1.0
    faults = []
    finite = ref[np.isfinite(ref)]
    over = cfg["saturation_tolerance"] * span
    if finite.size and (finite.min() < lo - over or finite.max() > hi + over):
        faults.append(_fault("figures.saturated", "some values lie outside the colour bar's range: their "
                             "cells all show its end colour (set vmin/vmax to cover the data)",
                             "des valeurs sortent de l'échelle de la barre de couleurs : leurs cases "
                             "prennent toutes sa couleur extrême (réglez vmin/vmax sur les données)"))
    values = cb.read(mesh.colours.reshape(-1, 3), cfg["colour_match"]).reshape(mesh.colours.shape[:2])
    target = np.clip(ref, lo, hi)  # a saturated cell is already faulted above
    tol = cfg["heatmap_tolerance"] * span
    shown = np.isfinite(target)  # results without a number (empty, all missing) match no heatmap
    for cand in _arrangements(values, host, mesh, table):
        if cand.shape == target.shape and shown.any() and np.all(np.abs(cand - target)[shown] <= tol):
            return faults
    return faults + [_values("the heatmap cells do not match your computed results (rows, columns or "
                             "colours)", "les cases de la carte de chaleur ne correspondent pas à vos "
                             "résultats (lignes, colonnes ou couleurs)")]


def _arrangements(values: np.ndarray, ax: AxesView, mesh: Mesh, table) -> list[np.ndarray]:
    """The grid as the table, by tick labels when they name its rows and columns, else every
    orientation (rows from the top or the bottom, transposed or not)."""
    # Each row (column) takes its nearest tick label, however far: rows without a label of their
    # own then share a neighbour's, and the check for repeated labels below leaves labels out.
    rows = [ax.yaxis.category(y, np.inf) for y in mesh.ys]
    cols = [ax.xaxis.category(x, np.inf) for x in mesh.xs]
    out = []
    if isinstance(table, pd.DataFrame):
        for t, flip in ((table, False), (table.T, True)):
            index, columns = [str(i) for i in t.index], [str(c) for c in t.columns]
            if set(index) <= set(rows) and set(columns) <= set(cols) and len(set(rows)) == len(rows) \
                    and len(set(cols)) == len(cols):
                grid = values[[rows.index(i) for i in index]][:, [cols.index(c) for c in columns]]
                out.append(grid.T if flip else grid)
    return out + [values, values[::-1], values.T, values[::-1].T]


# --- scatter and lines -------------------------------------------------------------------

def _scatter(plots, table, cfg: dict) -> list[Fault]:
    if not isinstance(table, pd.DataFrame) or table.shape[1] != 2:
        raise BadAnswer("for a scatter plot, expected must have two columns (x, y)",
                        "pour un nuage de points, expected doit avoir deux colonnes (x, y)")
    ref = table.to_numpy(dtype=float)
    ref = ref[np.isfinite(ref).all(axis=1)]
    # Tolerances are shares of each coordinate's expected range (1 when constant).
    scale = np.ones(2)
    if len(ref):
        scale = np.where(np.ptp(ref, axis=0) > 0, np.ptp(ref, axis=0), 1.0)
    faults, mine, outside = [], [], False
    for ax in plots:
        for pts in ax.points:
            for axis in (ax.xaxis, ax.yaxis):
                if axis.scale is None:
                    return _no_scale(axis.name)
            x0, y0, x1, y1 = ax.bbox
            px = pts.px
            outside |= bool(np.any((px[:, 0] < x0 - 0.5) | (px[:, 0] > x1 + 0.5)
                                   | (px[:, 1] < y0 - 0.5) | (px[:, 1] > y1 + 0.5)))
            mine.append(np.c_[ax.xaxis.to_data(px[:, 0]), ax.yaxis.to_data(px[:, 1])])
            lims, pad = np.array([ax.xaxis.limits, ax.yaxis.limits]), cfg["point_tolerance"] * scale
            if len(ref) and (np.any(ref.min(axis=0) < lims[:, 0] - pad) or np.any(ref.max(axis=0) > lims[:, 1] + pad)):
                outside = True
    if not mine:
        return _no("scatter points", "points")
    if outside:
        faults.append(_fault("figures.zoomed", "the axis limits hide some of the points: show all the data",
                             "les limites des axes cachent une partie des points : montrez toutes les données"))
    pts = np.vstack(mine)
    if len(pts) != len(ref):
        if not outside:
            faults.append(_values("the number of points plotted differs from your results",
                                  "le nombre de points tracés diffère de vos résultats"))
        return faults
    from scipy.spatial import cKDTree

    # both sets hold len(ref) > 0 points here (a figure without points returned above)
    dist, _ = cKDTree(pts / scale).query(ref / scale)
    back, _ = cKDTree(ref / scale).query(pts / scale)
    if max(dist.max(), back.max()) > cfg["point_tolerance"] * np.sqrt(2):
        faults.append(_values("the plotted points do not match your computed results",
                              "les points tracés ne correspondent pas à vos résultats"))
    return faults


def _lines(plots, table, cfg: dict) -> list[Fault]:
    lines = [ax.yaxis.to_data(ln.px[:, 1]) for ax in plots for ln in ax.lines if len(ln.px) >= 3]
    if not lines:
        return _no("lines", "courbes")
    columns = [table] if isinstance(table, pd.Series) else [table[c] for c in table.columns]
    for column in columns:
        ref = column.to_numpy(dtype=float)
        ref = ref[np.isfinite(ref)]  # matplotlib leaves a gap for a missing value: the rest is drawn
        tol = cfg["bar_tolerance"] * (np.abs(ref).max() if ref.size else 1.0) + 1e-12
        if not any(len(ln) == len(ref) and np.allclose(ln, ref, rtol=0, atol=tol) for ln in lines):
            of_en, of_fr = (f" of {column.name!r}", f" de {column.name!r}") if column.name is not None else ("", "")
            return [_values(f"the line{of_en} does not match your computed results",
                            f"la courbe{of_fr} ne correspond pas à vos résultats")]
    return []
