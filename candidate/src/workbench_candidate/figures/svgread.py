"""Read a figure from the SVG that matplotlib displays (untrusted text) into a :class:`FigureView`.

The SVG comes from the candidate's process, so it is parsed as hostile input: bounded size and
element count, ``defusedxml`` (no entity expansion, no DTD tricks, nothing external is fetched),
every number checked finite. Whatever cannot be read is a :class:`BadAnswer` with one line.

matplotlib names its groups after the artists (``figure_1``, ``axes_N``, ``matplotlib.axis_N`` with
``xtick_N``/``ytick_N``, ``text_N``, ``patch_N``, ``PathCollection_N``, ``QuadMesh_N``,
``line2d_N``, ``legend_N``); this reader relies on those names, as matplotlib >= 3.8 writes them.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..outcome import BadAnswer
from . import _svggeom as g
from ._numbers import fit_scale, is_offset
from .view import (AxesView, AxisView, Bar, ColourBar, FigureView, Legend, Line, Mesh, Points,
                   Raster, Text, Tick)

MAX_BYTES = 8 * 1024 * 1024  # a 2,000-point scatter is ~0.4 MB; 8 MB leaves room for any chart
MAX_ELEMENTS = 300_000
MAX_DEPTH = 64  # matplotlib nests groups about 8 deep
_XLINK = "{http://www.w3.org/1999/xlink}href"
_ID_NUM = re.compile(r"^(figure|axes|patch|text|legend|line2d|PathCollection|QuadMesh|xtick|ytick)_\d+$")


def read_svg(text: str) -> FigureView:
    """Parse matplotlib's SVG of one figure.

    The last few figures read are kept (their views are read-only): clarity and adequacy read
    the same figure. The judge calls :func:`forget_read` between notebooks, so nothing read for
    one candidate is reused for another.

    Raises
    ------
    BadAnswer
        On anything that is not a readable matplotlib figure (one line, for the candidate).
    """
    if not isinstance(text, str):
        raise g.unreadable(f"expected SVG text, not {type(text).__name__}")
    return _read(text)


def forget_read() -> None:
    """Drop the figures kept by :func:`read_svg`."""
    _read.cache_clear()


# Two figures: a raster can weigh up to 128 MB once decoded, so keep few.
@functools.lru_cache(maxsize=2)
def _read(text: str) -> FigureView:
    if len(text) > MAX_BYTES:
        raise g.unreadable("it is larger than 8 MB: draw fewer points, or sample them")
    try:
        root = fromstring(text.encode("utf-8", "replace"))
    except DefusedXmlException:
        raise g.unreadable("it declares entities or external references") from None
    except (ET.ParseError, ValueError, RecursionError):
        raise g.unreadable("it is not XML") from None
    if _local(root.tag) != "svg":
        raise g.unreadable("it is not SVG")
    count = 0
    for _ in root.iter():
        count += 1
        if count > MAX_ELEMENTS:
            raise g.unreadable("it has too many elements")
    try:
        return _Reader(root).figure()
    except BadAnswer:
        raise
    except Exception as exc:  # hostile structure matplotlib never writes: same one-line answer
        raise g.unreadable(f"unexpected structure, {type(exc).__name__}") from None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kind(el: ET.Element) -> str:
    """``axes`` for ``axes_3``; '' for anonymous groups."""
    ident = el.get("id")
    if not ident:  # most elements (every marker of a scatter): no need for the patterns below
        return ""
    if ident.startswith("matplotlib.axis"):
        return "axis"
    for prefix in ("axis3d", "pane3d", "grid3d", "Poly3DCollection", "Line3DCollection"):
        if ident.startswith(prefix):
            return "3d"
    return ident.rsplit("_", 1)[0] if _ID_NUM.match(ident) else ""


def _items(el: ET.Element, depth: int = 0):
    """Children, looking through anonymous groups (matplotlib wraps clipped content in them)."""
    if depth > MAX_DEPTH:
        raise g.unreadable("it is nested too deeply")
    for child in el:
        if _local(child.tag) == "g" and not child.get("id"):
            yield from _items(child, depth + 1)
        else:
            yield child


def _descendants(el: ET.Element):
    """Every element below ``el`` (ElementTree walks it in C, without recursion)."""
    it = el.iter()
    next(it)  # el itself
    return it


class _Reader:
    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self.clips: dict[str, tuple[float, float, float, float]] = {}
        for cp in root.iter():
            if _local(cp.tag) == "clipPath" and cp.get("id"):
                rect = next((r for r in cp if _local(r.tag) == "rect"), None)
                if rect is not None:
                    x, y = g.number(rect.get("x", "0")), g.number(rect.get("y", "0"))
                    w, h = g.number(rect.get("width")), g.number(rect.get("height"))
                    self.clips[cp.get("id")] = (x, y, x + w, y + h)

    def figure(self) -> FigureView:
        fig = next((e for e in self.root.iter() if _kind(e) == "figure"), None)
        if fig is None:
            raise g.unreadable("no matplotlib figure in it")
        vb = [g.number(v, "the view box") for v in (self.root.get("viewBox") or "0 0 0 0").split()]
        if len(vb) != 4:
            raise g.unreadable("the view box")
        axes = [e for e in _descendants(fig) if _kind(e) == "axes"]
        if not axes:
            raise g.unreadable("the figure has no axes: nothing is plotted")
        views = tuple(self.axes(i + 1, el) for i, el in enumerate(axes))
        sup = tuple(t.text for c in _items(fig) if _kind(c) == "text" for t in self.texts(c) if t.text)
        legends = tuple(self.legend(c) for c in _items(fig) if _kind(c) == "legend")
        return FigureView(vb[2], vb[3], views, sup, legends)

    # --- texts ------------------------------------------------------------------------------
    def texts(self, el: ET.Element) -> list[Text]:
        """The texts in ``el``, placed through the transforms of the groups between (matplotlib
        places a mathtext label, such as a log axis' 10^k, by a translated group around it)."""
        out: list[Text] = []

        def walk(node: ET.Element, m: g.Affine) -> None:
            for child in node:
                inner = m @ g.transform(child.get("transform"))
                if _local(child.tag) == "text":
                    out.append(self.text(child, inner))
                else:
                    walk(child, inner)

        if _local(el.tag) == "text":
            return [self.text(el, g.transform(el.get("transform")))]
        walk(el, np.eye(3))
        return out

    @staticmethod
    def text(t: ET.Element, m: g.Affine) -> Text:
        anchor = g.apply(m, [g.number(t.get("x", "0")), g.number(t.get("y", "0"))])[0]
        content, st = _content(t, g.style(t))
        return Text(content, float(anchor[0]), float(anchor[1]), g.font_size(st),
                    round(g.rotation(m), 6), st.get("text-anchor", "start"))

    # --- axes -------------------------------------------------------------------------------
    def axes(self, index: int, el: ET.Element) -> AxesView:
        kids = list(_items(el))
        bbox = self.bbox(el, kids)
        axis_groups = [k for k in kids if _kind(k) == "axis"]
        axes_xy = self.axis_pair(axis_groups, bbox)
        bars, wedges, lines, points, meshes, rasters, texts = [], 0, [], [], [], [], []
        legend, is3d = None, any(_kind(k) == "3d" for k in _descendants(el))
        for k in kids:
            kind, tag = _kind(k), _local(k.tag)
            if kind == "patch":
                wedges += self.patch(k, bars)
            elif kind == "PathCollection":
                pts = self.markers(k)
                if len(pts.px):
                    points.append(pts)
            elif kind == "line2d":
                self.line(k, lines, points)
            elif kind == "QuadMesh":
                mesh = self.mesh(k)
                if mesh is not None:
                    meshes.append(mesh)
            elif tag == "image":
                raster = self.raster(k)
                if raster is not None:
                    rasters.append(raster)
            elif kind == "text":
                texts += [t for t in self.texts(k) if t.text]
            elif kind == "legend":
                legend = self.legend(k)
        titles = tuple(t.text for t in texts if t.y < bbox[1])
        notes = tuple(t for t in texts if t.y >= bbox[1])
        view = AxesView(index, bbox, titles, *axes_xy, tuple(bars), tuple(points), tuple(lines),
                        tuple(meshes), tuple(rasters), wedges, notes, legend, is3d)
        return _with_colourbar(view)

    def bbox(self, el: ET.Element, kids: list[ET.Element]) -> tuple[float, float, float, float]:
        """The axes' rectangle: the clip box its data are drawn in, else its background patch."""
        counts: dict[str, int] = {}
        for d in _descendants(el):
            ref = (d.get("clip-path") or "").removeprefix("url(#").removesuffix(")")
            if ref in self.clips:
                counts[ref] = counts.get(ref, 0) + 1
        if counts:
            return self.clips[max(counts, key=counts.get)]
        for k in kids:
            if _kind(k) == "patch":
                pts = np.vstack([g.element_path(p)[0] for p in k.iter() if _local(p.tag) == "path"]
                                or [np.zeros((0, 2))])
                if len(pts):
                    return (float(pts[:, 0].min()), float(pts[:, 1].min()),
                            float(pts[:, 0].max()), float(pts[:, 1].max()))
        raise g.unreadable("an axes has no extent")

    def axis_pair(self, groups: list[ET.Element], bbox) -> tuple[AxisView, AxisView]:
        found: dict[str, AxisView] = {}
        for order, grp in enumerate(groups[:2]):
            tick_groups = [k for k in _items(grp) if _kind(k) in ("xtick", "ytick")]
            name = (_kind(tick_groups[0])[0] if tick_groups else ("x" if order == 0 else "y"))
            found[name] = self.axis(grp, name, tick_groups, bbox)
        for name in ("x", "y"):
            if name not in found:
                span = (bbox[0], bbox[2]) if name == "x" else (bbox[1], bbox[3])
                found[name] = AxisView(name, "", (), None, span)
        return found["x"], found["y"]

    def axis(self, grp: ET.Element, name: str, tick_groups: list[ET.Element], bbox) -> AxisView:
        ticks = []
        for tg in tick_groups:
            labels = tuple(t for t in self.texts(tg) if t.text)
            pos = None
            for use in tg.iter():
                if _local(use.tag) == "use":
                    pos = g.number(use.get("x" if name == "x" else "y"))
                    break
            if pos is None and labels:
                pos = labels[0].x if name == "x" else labels[0].y
            if pos is not None:
                ticks.append(Tick(pos, labels))
        own = [t for k in _items(grp) if _kind(k) == "text" for t in self.texts(k) if t.text]
        offsets = [t.text for t in own if is_offset(t.text)]
        label = " ".join(t.text for t in own if t.text not in offsets)
        span = (bbox[0], bbox[2]) if name == "x" else (bbox[1], bbox[3])
        return AxisView(name, label, tuple(ticks), fit_scale(ticks, offsets[0] if offsets else ""), span)

    # --- artists ----------------------------------------------------------------------------
    def patch(self, k: ET.Element, bars: list[Bar]) -> int:
        """Adds a bar (clipped, filled, axis-aligned rectangle); returns 1 for a pie wedge."""
        for p in k.iter():
            if _local(p.tag) != "path":
                continue
            fill = g.colour(g.style(p).get("fill", "#000000"))
            if fill is None:
                continue
            pts, curved = g.element_path(p)
            if curved:
                return 1
            xs, ys = np.unique(np.round(pts[:, 0], 4)), np.unique(np.round(pts[:, 1], 4))
            # Zero-length rectangles are invisible (seaborn adds some as legend proxies).
            if p.get("clip-path") and len(pts) >= 4 and len(xs) == 2 and len(ys) == 2:
                bars.append(Bar(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()), fill))
        return 0

    def markers(self, k: ET.Element, paths: bool = True) -> Points:
        """Marker centres and fills: ``<use>`` stamps, or (small collections, which matplotlib
        writes out in full) one clipped ``<path>`` per marker."""
        xy, fills = [], []
        for e in k.iter():
            tag = _local(e.tag)
            if tag == "use":
                st = g.style(e)
                x, y = g.number(e.get("x", "0")), g.number(e.get("y", "0"))
                # matplotlib stamps markers with x/y and no transform: skip the affine then
                # (a 2,000-point scatter is 2,000 of these)
                xy.append((x, y) if e.get("transform") is None else g.apply(g.transform(e.get("transform")), [x, y])[0])
            elif paths and tag == "path" and e.get("id") is None and e.get("clip-path") is not None:
                st = g.style(e)
                pts = g.element_path(e)[0]
                if not len(pts):
                    continue
                xy.append((pts.min(axis=0) + pts.max(axis=0)) / 2)
            else:
                continue
            fill = g.colour(st.get("fill")) or g.colour(st.get("stroke")) or (0.0, 0.0, 0.0)
            fills.append(fill)
        return Points(np.asarray(xy, dtype=float).reshape(-1, 2), tuple(fills))

    def line(self, k: ET.Element, lines: list[Line], points: list[Points]) -> None:
        """A Line2D: its polyline, else (markers only, e.g. ``plot(x, y, 'o')``) its markers."""
        drawn = False
        for p in _items(k):
            if _local(p.tag) == "path" and p.get("id") is None:
                pts = g.element_path(p)[0]
                if len(pts):
                    lines.append(Line(pts, g.colour(g.style(p).get("stroke"))))
                    drawn = True
        marks = self.markers(k, paths=False)
        if len(marks.px) and not drawn:
            points.append(marks)

    def mesh(self, k: ET.Element) -> Mesh | None:
        centres, fills = [], []
        for p in k.iter():
            if _local(p.tag) == "path":
                pts = g.element_path(p)[0]
                if len(pts):
                    centres.append((pts.min(axis=0) + pts.max(axis=0)) / 2)
                    fills.append(g.colour(g.style(p).get("fill")) or (np.nan,) * 3)
        if not centres:
            return None
        c = np.round(np.asarray(centres), 2)
        xs, ys = np.unique(c[:, 0]), np.unique(c[:, 1])
        if len(xs) * len(ys) > 4 * len(c) + 16:
            return None  # not a grid (a rotated or irregular mesh): nothing cell-wise to read
        grid = np.full((len(ys), len(xs), 3), np.nan)
        grid[np.searchsorted(ys, c[:, 1]), np.searchsorted(xs, c[:, 0])] = np.asarray(fills, dtype=float)
        return Mesh(grid, xs, ys)

    def raster(self, k: ET.Element) -> Raster | None:
        pixels = g.png_pixels(k.get(_XLINK) or k.get("href"))
        if pixels is None:
            return None
        h, w = pixels.shape[:2]
        x, y = g.number(k.get("x", "0")), g.number(k.get("y", "0"))
        width, height = g.number(k.get("width")), g.number(k.get("height"))
        affine = g.transform(k.get("transform")) @ np.array([[width / w, 0, x], [0, height / h, y], [0, 0, 1]])
        if not abs(np.linalg.det(affine)) > 1e-12:
            raise g.unreadable("an image has no extent")
        return Raster(pixels, affine)

    def legend(self, k: ET.Element) -> Legend:
        """Entries as (text, colour of the handle drawn before it); the frame (the legend's
        first patch) and the title (a text with no handle before it) are left out."""
        entries, last = [], None
        frame = next((e for e in _descendants(k) if _kind(e) == "patch"), None)
        skip = set(frame.iter()) if frame is not None else set()
        for e in _descendants(k):
            tag = _local(e.tag)
            if e in skip:
                continue
            if tag == "text":
                entries.append(("".join(e.itertext()).strip(), last))
                last = None
            elif tag in ("path", "use") and e.get("id") is None:
                st = g.style(e)
                fill = st.get("fill", "none") if tag == "use" or "fill" in st else "none"
                last = g.colour(fill) or g.colour(st.get("stroke")) or last
        return Legend(tuple(entries[1:] if len(entries) > 1 and entries[0][1] is None else entries))


def _content(t: ET.Element, st: dict[str, str]) -> tuple[str, dict[str, str]]:
    """A text's characters and style. matplotlib writes mathtext (a log axis' 10^k) one glyph per
    <tspan>, the exponent raised and smaller: read as '10^k', without the whitespace between the
    tags (which would make the label look several times wider than drawn)."""
    spans = [c for c in t if _local(c.tag) == "tspan"]
    if not spans:
        return "".join(t.itertext()).strip(), st
    base, out, raised = g.number(spans[0].get("y", "0")), [], False
    for span in spans:
        up = g.number(span.get("y", "0")) < base - 1.0  # SVG y grows downwards
        out.append(("^" if up and not raised else "") + (span.text or "").strip())
        raised = up
    return "".join(out), {**g.style(spans[0]), **st}


def _with_colourbar(view: AxesView) -> AxesView:
    """Recognise a colour bar: one image or mesh filling the axes, values along one axis only."""
    if view.bars or view.points or view.lines or view.wedges:
        return view
    numeric = [a for a in (view.xaxis, view.yaxis) if a.scale is not None]
    bare = [a for a in (view.xaxis, view.yaxis) if not a.labelled]
    if len(numeric) != 1 or len(bare) != 1:
        return view
    axis = numeric[0]
    x0, y0, x1, y1 = view.bbox
    long_ = (x1 - x0) if axis.name == "x" else (y1 - y0)
    short = (y1 - y0) if axis.name == "x" else (x1 - x0)
    if short <= 0 or long_ < 3 * short:
        return view
    mid = (y0 + y1) / 2 if axis.name == "x" else (x0 + x1) / 2
    pos = np.linspace(axis.span[0], axis.span[1], 400)
    pos = (pos[1:] + pos[:-1]) / 2
    xy = np.c_[pos, np.full_like(pos, mid)] if axis.name == "x" else np.c_[np.full_like(pos, mid), pos]
    if view.rasters:
        rgb = view.rasters[0].sample(xy)
    elif view.meshes:
        m = view.meshes[0]
        ix = np.abs(xy[:, 0:1] - m.xs[None, :]).argmin(axis=1)
        iy = np.abs(xy[:, 1:2] - m.ys[None, :]).argmin(axis=1)
        rgb = m.colours[iy, ix]
    else:
        return view
    keep = ~np.isnan(rgb).any(axis=1)
    if keep.sum() < 2:
        return view
    values = axis.to_data(pos[keep])
    order = np.argsort(values)
    bar = ColourBar(values[order], rgb[keep][order], axis.name, axis.limits or (values.min(), values.max()))
    return AxesView(view.index, view.bbox, view.titles, view.xaxis, view.yaxis, meshes=view.meshes,
                    rasters=view.rasters, colourbar=bar)
