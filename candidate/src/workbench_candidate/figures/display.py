"""How figures are displayed, so that the self-check and the judge read the same SVG.

The notebook shows every figure as SVG (``configure``); the judge grades that displayed SVG; the
self-check renders the candidate's figure with :func:`render_svg`, which reproduces what IPython's
inline backend writes (``IPython.core.pylabtools.print_figure`` with ``bbox_inches='tight'``).
"""

from __future__ import annotations

import io
import weakref
from typing import Any

import matplotlib

# Text stays <text> (readable titles, labels and ticks, not glyph paths); ids are salted with a
# fixed string so the same figure gives the same SVG; no date in the metadata (deterministic).
SVG_RC: dict[str, Any] = {"svg.fonttype": "none", "svg.hashsalt": "workbench-block1",
                          "svg.image_inline": True}
PRINT_KWARGS: dict[str, Any] = {"bbox_inches": "tight", "metadata": {"Date": None}}

# The SVG last displayed or rendered for each live figure. A self-check then reads the very SVG
# the notebook showed (what the judge grades) instead of drawing the figure again: a 2,000-point
# map costs ~0.2 s to draw. Any change to the figure marks it stale, which voids the entry.
_LAST_SVG: "weakref.WeakKeyDictionary[Any, str]" = weakref.WeakKeyDictionary()


def _remembering(formatter: Any) -> Any:
    def display_svg(fig: Any) -> Any:
        svg = formatter(fig)
        if isinstance(svg, str):
            _settle(fig)
            _LAST_SVG[fig] = svg
        return svg

    return display_svg


def configure() -> None:
    """Set :data:`SVG_RC` and make the inline backend display figures as SVG only.

    Harmless outside IPython (only the rcParams are set then).
    """
    matplotlib.rcParams.update(SVG_RC)
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    # Extra keyword arguments go to print_figure, exactly as render_svg passes them.
    set_matplotlib_formats("svg", **PRINT_KWARGS)
    from matplotlib.figure import Figure

    svg_formatter = shell.display_formatter.formatters["image/svg+xml"]
    try:
        svg_formatter.for_type(Figure, _remembering(svg_formatter.lookup_by_type(Figure)))
    except KeyError:  # no SVG formatter registered: nothing to remember
        pass


def _as_figure(obj: object):
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    if isinstance(obj, Figure):
        return obj
    if isinstance(obj, (Axes, SubFigure)):
        return obj.figure if isinstance(obj.figure, Figure) else obj.figure.figure
    for attr in ("figure", "fig"):  # seaborn grids (FacetGrid, JointGrid, PairGrid)
        fig = getattr(obj, attr, None)
        if isinstance(fig, Figure):
            return fig
    raise TypeError(f"expected a matplotlib Figure or Axes (e.g. fig or ax), not a {type(obj).__name__}")


def render_svg(fig: object) -> str:
    """The SVG the inline backend displays for ``fig`` (a Figure, an Axes or a seaborn grid).

    Rendered under :data:`SVG_RC` whatever the session's rcParams, with the arguments of
    IPython's ``print_figure``: the figure's face/edge colours and dpi, ``bbox_inches='tight'``.
    """
    figure = _as_figure(fig)
    cached = _LAST_SVG.get(figure)
    if cached is not None and not figure.stale:
        return cached
    if figure.canvas is None:
        from matplotlib.backend_bases import FigureCanvasBase

        FigureCanvasBase(figure)
    buf = io.BytesIO()
    with matplotlib.rc_context(SVG_RC):
        figure.canvas.print_figure(buf, format="svg", facecolor=figure.get_facecolor(),
                                   edgecolor=figure.get_edgecolor(), dpi=figure.dpi, **PRINT_KWARGS)
    svg = buf.getvalue().decode("utf-8")
    _settle(figure)
    _LAST_SVG[figure] = svg
    return svg


def _settle(figure: Any) -> None:
    """The figure was just drawn in full; ``bbox_inches='tight'``'s second layout pass leaves it
    flagged stale although nothing changed since. Clear the flag, so that only a real change
    (which sets it again) makes the next self-check draw it anew."""
    figure.stale = False
