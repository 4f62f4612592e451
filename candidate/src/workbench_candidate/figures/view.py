"""What the judge knows of a figure: typed, immutable views built from its SVG by :mod:`.svgread`.

Coordinates are SVG user units (matplotlib writes points, 72 per inch), y pointing down. Data
values come from an axis's :class:`Scale`, fitted on its numeric tick labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

RGB = tuple[float, float, float]


@dataclass(frozen=True)
class Text:
    """A text as drawn: anchor point on the baseline, alignment along the text, angle
    (degrees, counter-clockwise on screen) and font size (pt)."""

    text: str
    x: float
    y: float
    size: float
    angle: float = 0.0
    anchor: str = "start"  # start | middle | end

    def corners(self, em_width: float, ascent: float = 0.75, descent: float = 0.25) -> np.ndarray:
        """The four corners of the text's estimated box: ``em_width`` font sizes per character
        along the baseline, from ``ascent`` above to ``descent`` below it."""
        width = em_width * self.size * len(self.text)
        start = {"start": 0.0, "middle": -width / 2, "end": -width}.get(self.anchor, 0.0)
        u = np.array([start, start + width, start + width, start])
        v = np.array([-ascent, -ascent, descent, descent]) * self.size  # screen y points down
        a = np.radians(self.angle)
        # Counter-clockwise on screen = clockwise in y-down coordinates.
        x = self.x + u * np.cos(a) + v * np.sin(a)
        y = self.y - u * np.sin(a) + v * np.cos(a)
        return np.stack([x, y], axis=1)


@dataclass(frozen=True)
class Scale:
    """px -> data along one axis: ``a * px + b`` (linear) or ``10 ** (a * px + b)`` (log)."""

    kind: str
    a: float
    b: float

    def to_data(self, px: np.ndarray | float) -> np.ndarray:
        lin = self.a * np.asarray(px, dtype=float) + self.b
        return 10.0 ** lin if self.kind == "log" else lin


@dataclass(frozen=True)
class Tick:
    pos: float  # px along the axis (x for the x axis, y for the y axis)
    labels: tuple[Text, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.labels).strip()


@dataclass(frozen=True)
class AxisView:
    name: str  # "x" or "y"
    label: str
    ticks: tuple[Tick, ...]
    scale: Scale | None
    span: tuple[float, float]  # px of the axes edges along this axis (low, high)

    @property
    def limits(self) -> tuple[float, float] | None:
        """The visible data range (min, max), when the axis is numeric."""
        if self.scale is None:
            return None
        ends = self.scale.to_data(np.array(self.span))
        return float(ends.min()), float(ends.max())

    def to_data(self, px: np.ndarray | float) -> np.ndarray:
        if self.scale is None:
            return np.full(np.shape(px), np.nan)
        return self.scale.to_data(px)

    def category(self, px: float, reach: float) -> str:
        """The tick label standing within ``reach`` px of ``px`` ('' when none)."""
        best, text = reach, ""
        for tick in self.ticks:
            if tick.text and abs(tick.pos - px) <= best:
                best, text = abs(tick.pos - px), tick.text
        return text

    @property
    def labelled(self) -> tuple[Tick, ...]:
        return tuple(t for t in self.ticks if t.text)


@dataclass(frozen=True)
class Bar:
    x0: float
    y0: float
    x1: float
    y1: float
    fill: RGB


def _read_only(view: object) -> None:
    """Freeze a view's arrays: a parsed figure may be shared by several rules (read once per SVG)."""
    for value in vars(view).values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False


@dataclass(frozen=True, eq=False)
class Points:
    """Markers of one collection (a scatter call, or one line's markers)."""

    px: np.ndarray  # (n, 2)
    fills: tuple[RGB, ...]  # one per marker

    __post_init__ = _read_only


@dataclass(frozen=True, eq=False)
class Line:
    px: np.ndarray  # (n, 2) vertices
    stroke: RGB | None

    __post_init__ = _read_only


@dataclass(frozen=True, eq=False)
class Mesh:
    """A pcolormesh / sns.heatmap: cell colours in screen order (row 0 at the top)."""

    colours: np.ndarray  # (rows, cols, 3), NaN where no cell is drawn
    xs: np.ndarray  # px of the column centres
    ys: np.ndarray  # px of the row centres

    __post_init__ = _read_only


@dataclass(frozen=True, eq=False)
class Raster:
    """An embedded image (imshow, a rasterised colour bar), with pixel -> screen affine."""

    pixels: np.ndarray  # (rows, cols, 4) in [0, 1]
    affine: np.ndarray  # 3x3: (col, row, 1) -> screen

    __post_init__ = _read_only

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        h, w = self.pixels.shape[:2]
        pts = np.array([[0, 0, 1], [w, 0, 1], [0, h, 1], [w, h, 1]], dtype=float) @ self.affine.T
        return float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max())

    def sample(self, xy: np.ndarray) -> np.ndarray:
        """RGB at screen points (n, 2); NaN outside the image or where it is transparent."""
        inv = np.linalg.inv(self.affine)
        cr = np.c_[np.atleast_2d(xy), np.ones(len(np.atleast_2d(xy)))] @ inv.T
        h, w = self.pixels.shape[:2]
        col, row = np.floor(cr[:, 0]).astype(int), np.floor(cr[:, 1]).astype(int)
        inside = (col >= 0) & (col < w) & (row >= 0) & (row < h)
        out = np.full((len(cr), 3), np.nan)
        px = self.pixels[row[inside], col[inside]]
        out[inside] = np.where(px[:, 3:4] > 0.5, px[:, :3], np.nan)
        return out

    def mesh(self, shape: tuple[int, int]) -> Mesh:
        """The image read as a grid of ``shape`` cells (their centres' colours)."""
        x0, y0, x1, y1 = self.bounds
        xs = x0 + (np.arange(shape[1]) + 0.5) * (x1 - x0) / shape[1]
        ys = y0 + (np.arange(shape[0]) + 0.5) * (y1 - y0) / shape[0]
        grid = np.array([[x, y] for y in ys for x in xs])
        return Mesh(self.sample(grid).reshape(shape[0], shape[1], 3), xs, ys)


@dataclass(frozen=True, eq=False)
class ColourBar:
    """A colour bar: the colour ramp with the value of each of its steps (ordered by value)."""

    values: np.ndarray  # (n,)
    colours: np.ndarray  # (n, 3)
    axis: str  # the axis carrying the values: "y" (vertical bar) or "x"
    limits: tuple[float, float]  # the values at both ends of the bar (vmin, vmax)

    __post_init__ = _read_only

    @property
    def range(self) -> tuple[float, float]:
        return float(min(self.limits)), float(max(self.limits))

    def read(self, rgb: np.ndarray, max_distance: float) -> np.ndarray:
        """Value of each colour (n, 3): the ramp step of the nearest colour; NaN when the nearest
        step is farther than ``max_distance`` (RGB in [0, 1], Euclidean)."""
        rgb = np.atleast_2d(rgb)
        d = np.linalg.norm(rgb[:, None, :] - self.colours[None, :, :], axis=2)
        best = np.nanargmin(np.where(np.isnan(d), np.inf, d), axis=1)
        out = self.values[best].astype(float)
        out[~(d[np.arange(len(rgb)), best] <= max_distance)] = np.nan
        return out


@dataclass(frozen=True)
class Legend:
    entries: tuple[tuple[str, RGB | None], ...]  # (text, colour of the handle before it)


@dataclass(frozen=True)
class AxesView:
    """One axes of the figure (plot or colour bar)."""

    index: int  # 1-based, in drawing order
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 (px, y down)
    titles: tuple[str, ...]
    xaxis: AxisView
    yaxis: AxisView
    bars: tuple[Bar, ...] = ()
    points: tuple[Points, ...] = ()
    lines: tuple[Line, ...] = ()
    meshes: tuple[Mesh, ...] = ()
    rasters: tuple[Raster, ...] = ()
    wedges: int = 0
    annotations: tuple[Text, ...] = ()
    legend: Legend | None = None
    is3d: bool = False
    colourbar: ColourBar | None = None

    @property
    def has_data(self) -> bool:
        return bool(self.bars or self.points or self.lines or self.meshes or self.rasters
                    or self.wedges or self.is3d)

    def axis(self, name: str) -> AxisView:
        return self.xaxis if name == "x" else self.yaxis


@dataclass(frozen=True)
class FigureView:
    width: float
    height: float
    axes: tuple[AxesView, ...]
    suptitles: tuple[str, ...] = ()
    legends: tuple[Legend, ...] = field(default=())  # figure-level legends

    @property
    def plots(self) -> tuple[AxesView, ...]:
        """Axes that show data (colour bars excluded)."""
        return tuple(a for a in self.axes if a.colourbar is None and a.has_data)

    @property
    def colourbars(self) -> tuple[AxesView, ...]:
        return tuple(a for a in self.axes if a.colourbar is not None)
