"""Reading matplotlib/seaborn figures as objects: axes, series, bars, points, heatmap cells."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.colors import to_rgb
from matplotlib.container import BarContainer
from matplotlib.figure import Figure, SubFigure
from matplotlib.image import AxesImage
from matplotlib.patches import Wedge

from ._errors import BadInput

MAX_DISCRETE_COLOURS = 12


def as_figure(obj: object) -> Figure:
    """The Figure behind a Figure, an Axes or a seaborn grid."""
    if isinstance(obj, Figure):
        return obj
    if isinstance(obj, SubFigure):
        return obj.figure
    if isinstance(obj, Axes):
        return obj.figure
    for attr in ("figure", "fig"):
        fig = getattr(obj, attr, None)
        if isinstance(fig, Figure):
            return fig
    raise BadInput(f"expected a matplotlib Figure or Axes (e.g. fig or ax), not a {type(obj).__name__}")


def target_axes(obj: object, fig: Figure) -> list[Axes]:
    """The axes to judge: the one passed, or every plotting axes of the figure passed."""
    if isinstance(obj, Axes):
        if not has_data(obj):
            raise BadInput("the axes is empty: nothing is plotted")
        return [obj]
    return data_axes(fig)


def data_axes(fig: Figure) -> list[Axes]:
    """The figure's axes that hold plots (colour bars excluded); none is a :class:`BadInput`."""
    axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>" and not hasattr(ax, "_colorbar")]
    if not axes:
        raise BadInput("the figure has no axes: nothing is plotted")
    if not any(has_data(ax) for ax in axes):
        raise BadInput("the figure is empty: nothing is plotted")
    return axes


def has_data(ax: Axes) -> bool:
    return bool(series_lines(ax) or bar_containers(ax) or ax.collections or ax.images or wedges(ax))


def series_lines(ax: Axes) -> list:
    """Data lines (3 points or more: error bars and reference lines have 2)."""
    return [ln for ln in ax.get_lines() if len(np.atleast_1d(ln.get_xdata())) >= 3]


def bar_containers(ax: Axes) -> list[BarContainer]:
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def wedges(ax: Axes) -> list[Wedge]:
    return [p for p in ax.patches if isinstance(p, Wedge)]


def scatters(ax: Axes) -> list[PathCollection]:
    return [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_offsets())]


def heatmaps(ax: Axes) -> list:
    return [c for c in ax.collections if isinstance(c, QuadMesh)] + list(ax.images)


def series_colours(ax: Axes) -> list[tuple[float, float, float]]:
    """One colour per plotted series (or per category when one series has several colours)."""
    cols: list[tuple[float, float, float]] = [to_rgb(ln.get_color()) for ln in series_lines(ax)]
    bars = bar_containers(ax)
    if len(bars) == 1:
        cols += [to_rgb(p.get_facecolor()) for p in bars[0].patches]
    else:
        cols += [to_rgb(c.patches[0].get_facecolor()) for c in bars if c.patches]
    for sc in scatters(ax):
        if sc.get_array() is None:  # colour-mapped points are judged by their colour map
            cols += [tuple(c[:3]) for c in np.atleast_2d(sc.get_facecolors())]
    cols += [to_rgb(w.get_facecolor()) for w in wedges(ax)]
    if not cols:
        return []
    unique = np.unique(np.round(np.asarray(cols, dtype=float)[:, :3], 3), axis=0)
    if len(unique) > MAX_DISCRETE_COLOURS:
        return []  # a continuous colouring, not categories told apart by colour
    return [tuple(float(v) for v in c) for c in unique]


def colour_mapped(ax: Axes) -> list:
    """Artists coloured through a colour map (heatmaps, images, scatter with ``c=values``)."""
    return heatmaps(ax) + [sc for sc in scatters(ax) if sc.get_array() is not None]


def n_series(ax: Axes) -> int:
    """How many series an axes shows (a legend is needed from 2)."""
    count = len(series_lines(ax)) + len(scatters(ax)) + _bar_series(ax)
    for sc in scatters(ax):  # one seaborn scatter with hue = several series in one collection
        if sc.get_array() is not None:
            continue  # colour-mapped values (c=...): a colour bar, not a legend, explains them
        fc = np.atleast_2d(sc.get_facecolors())
        if len(fc) > 1 and len(np.unique(np.round(fc, 3), axis=0)) > 1:
            count += 1
    return count


def _bar_series(ax: Axes) -> int:
    """Bar containers, counted as one series when every bar stands over its own category
    (seaborn's hue=x colours categories: no legend needed)."""
    conts = [c for c in bar_containers(ax) if any(np.isfinite(p.get_height()) for p in c.patches)]
    if len(conts) < 2:
        return len(conts)
    _, labels, _ = bars(ax)
    return 1 if all(labels) and len(set(labels)) == len(labels) else len(conts)


def bars(ax: Axes) -> tuple[np.ndarray, list[str], str]:
    """Bar lengths, the tick label under each bar, and the orientation (all containers)."""
    heights: list[float] = []
    labels: list[str] = []
    orient = "vertical"
    for cont in bar_containers(ax):
        h, lab, orient = container_bars(ax, cont)
        heights += list(h)
        labels += lab
    return np.array(heights, dtype=float), labels, orient


def container_bars(ax: Axes, cont: BarContainer) -> tuple[np.ndarray, list[str], str]:
    """One container's bar lengths and the tick label under each bar (NaN bars skipped)."""
    orient = getattr(cont, "orientation", None) or "vertical"
    ticks = _ticks(ax.yaxis if orient == "horizontal" else ax.xaxis)
    heights, labels = [], []
    for p in cont.patches:
        if orient == "horizontal":
            value, pos = p.get_width(), p.get_y() + p.get_height() / 2
        else:
            value, pos = p.get_height(), p.get_x() + p.get_width() / 2
        if not np.isfinite(value):
            continue
        heights.append(float(value))
        labels.append(_nearest(ticks, pos))
    return np.array(heights, dtype=float), labels, orient


def _ticks(axis) -> list[tuple[float, str]]:
    return [(float(t), lab.get_text()) for t, lab in zip(axis.get_ticklocs(), axis.get_ticklabels())]


def _nearest(ticks: list[tuple[float, str]], pos: float) -> str:
    if not ticks:
        return ""
    loc, text = min(ticks, key=lambda t: abs(t[0] - pos))
    return text if abs(loc - pos) < 0.5 else ""


def heatmap_cells(artist) -> np.ndarray:
    """The cell values of a QuadMesh (rows, cols) or an AxesImage, as a float array."""
    arr = np.ma.asarray(artist.get_array()).astype(float).filled(np.nan)
    if isinstance(artist, QuadMesh):
        rows, cols = np.asarray(artist.get_coordinates()).shape[:2]
        arr = arr.reshape(rows - 1, cols - 1)
    if isinstance(artist, AxesImage) and arr.ndim == 3:
        raise BadInput("the image holds colours, not values: use imshow on a 2-D table or sns.heatmap")
    return arr
