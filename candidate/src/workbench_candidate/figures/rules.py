"""B1.3.a clarity and B1.3.b adequacy of a figure, judged on its displayed SVG (a FigureView).

Scoring (``rules.yml``, ``scoring``): a check's fraction is ``max(0, 1 - sum of weights)`` over
the distinct rules the figure breaks; a rule weighs 0.5 unless listed (``figures.values`` and
``figures.kind``, a figure that does not show the results, weigh 1). A rule counts once per
figure however many axes or series break it; its message names where (axis, series, plot).

Clarity rules: ``figures.three_d``, ``figures.pie``, ``figures.title``, ``figures.axis_label``,
``figures.legend``, ``figures.line_categories``, ``figures.tick_size``, ``figures.tick_overlap``,
``figures.colour_blind``, ``figures.colour_map``. Adequacy rules (in :mod:`._adequacy`):
``figures.kind``, ``figures.scale``, ``figures.values``, ``figures.truncated``,
``figures.saturated``, ``figures.zoomed``. There is no hidden rule: units are judged by a marker
through the rubric, not by a pattern on the axis labels.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from ..outcome import BadAnswer, Fault, Outcome
from . import _colour as col
from .view import AxesView, AxisView, FigureView, Text


@lru_cache(maxsize=1)
def config() -> dict[str, Any]:
    """rules.yml, validated (read once)."""
    return parse_config(yaml.safe_load(resources.files(__package__).joinpath("rules.yml").read_text("utf-8")))


def parse_config(raw: dict[str, Any]) -> dict[str, Any]:
    """Check the parsed rules.yml: every threshold a positive number, every weight within (0, 1]."""
    for section in ("clarity", "adequacy"):
        for key, value in raw[section].items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"rules.yml: {section}.{key} must be a positive number")
    weights = raw["scoring"]["weights"]
    if not all(0 < float(w) <= 1 for w in [raw["scoring"]["default_weight"], *weights.values()]):
        raise ValueError("rules.yml: weights must be within (0, 1]")
    return raw


def score(faults: list[Fault]) -> Outcome:
    """One fault per rule id (the first found), fraction from the weights of rules.yml."""
    cfg = config()["scoring"]
    unique: dict[str, Fault] = {}
    for f in faults:
        unique.setdefault(f.rule, f)
    lost = sum(float(cfg["weights"].get(r, cfg["default_weight"])) for r in unique)
    return Outcome(max(0.0, round(1.0 - lost, 6)), tuple(unique.values()))


def where(ax: AxesView, view: FigureView) -> tuple[str, str]:
    """' (plot 2)' when the figure has several plots, else ''."""
    if len(view.plots) < 2:
        return "", ""
    n = view.plots.index(ax) + 1
    return f" (plot {n})", f" (graphique {n})"


def plots_of(view: FigureView) -> tuple[AxesView, ...]:
    if not isinstance(view, FigureView):
        raise BadAnswer("expected a figure read from its SVG", "une figure lue depuis son SVG est attendue")
    if not view.plots:
        raise BadAnswer("the figure is empty: nothing is plotted", "la figure est vide : rien n'est tracé")
    return view.plots


# --- clarity -----------------------------------------------------------------------------

def clarity(view: FigureView) -> Outcome:
    """B1.3.a: is the figure readable by a board (see the module docstring for the rules)?"""
    cfg = config()["clarity"]
    faults: list[Fault] = []
    for ax in plots_of(view):
        en, fr = where(ax, view)
        faults += _structure(ax, view, cfg, en, fr)
        faults += _ticks(ax, cfg, en, fr)
        faults += _colours(ax, cfg, en, fr)
    for bar in view.colourbars:
        faults += _colour_map(bar, cfg)
    return score(faults)


def _structure(ax: AxesView, view: FigureView, cfg: dict, en: str, fr: str) -> list[Fault]:
    out = []
    if ax.is3d:
        out.append(Fault("figures.three_d", f"3-D charts distort the values{en}: use a 2-D chart",
                         f"un graphique en 3D déforme les valeurs{fr} : utilisez un graphique 2D"))
    if ax.wedges > cfg["max_pie_slices"]:
        out.append(Fault("figures.pie", f"a pie with {ax.wedges} slices is unreadable{en}: compare the "
                         "categories with bars", f"un camembert de {ax.wedges} parts est illisible{fr} : "
                         "comparez les catégories avec des barres"))
    if not ax.titles and not view.suptitles:
        out.append(Fault("figures.title", f"the chart has no title{en}: say what it shows",
                         f"le graphique n'a pas de titre{fr} : dites ce qu'il montre"))
    if not ax.wedges and not ax.is3d:
        missing = [a.name for a in (ax.xaxis, ax.yaxis) if a.labelled and not a.label.strip()]
        if missing:
            names = " and ".join(f"the {m} axis" for m in missing)
            noms = " et ".join(f"l'axe {m}" for m in missing)
            many = len(missing) > 1
            has, what = ("have", "they show") if many else ("has", "it shows")
            a, ce = ("ont", "ils représentent") if many else ("a", "il représente")
            out.append(Fault("figures.axis_label", f"{names} {has} no label{en}: name what {what}",
                             f"{noms} n'{a} pas de titre{fr} : nommez ce qu'{ce}"))
    if _series(ax, cfg) >= 2 and ax.legend is None and not view.legends:
        out.append(Fault("figures.legend", f"the chart shows several series but no legend{en}: add one",
                         f"le graphique montre plusieurs séries sans légende{fr} : ajoutez-en une"))
    if any(len(ln.px) >= 3 for ln in ax.lines) and ax.xaxis.scale is None and ax.xaxis.labelled:
        out.append(Fault("figures.line_categories", f"a line joins separate categories as if they were "
                         f"ordered in time{en}: compare categories with bars", f"une ligne relie des "
                         f"catégories distinctes comme une évolution{fr} : comparez-les avec des barres"))
    return out


def _series(ax: AxesView, cfg: dict) -> int:
    """How many series the axes shows (a legend is needed from 2)."""
    count = sum(1 for ln in ax.lines if len(ln.px) >= 3)
    for pts in ax.points:
        n = len(set(pts.fills))
        count += n if n <= cfg["max_discrete_colours"] else 1  # hue colours = series
    if ax.bars:
        fills = {b.fill for b in ax.bars}
        cat = ax.yaxis if _horizontal(ax) else ax.xaxis
        labels = [cat.category((b.y0 + b.y1) / 2 if cat.name == "y" else (b.x0 + b.x1) / 2,
                               reach=max(b.x1 - b.x0, b.y1 - b.y0)) for b in ax.bars]
        # seaborn's hue=x colours each category: one series, the axis already names them.
        one_per_category = all(labels) and len(set(labels)) == len(labels)
        count += 1 if one_per_category else len(fills)
    return count


def _horizontal(ax: AxesView) -> bool:
    """Bars lie along x when y carries the categories; with both axes numeric (cluster ids, years)
    or both not, when more bars touch one x edge than one y edge: their baseline, which negative
    and stacked bars keep where their far ends do not."""
    if (ax.yaxis.scale is None) != (ax.xaxis.scale is None):
        return ax.yaxis.scale is None
    return _sharing([(b.x0, b.x1) for b in ax.bars]) > _sharing([(b.y0, b.y1) for b in ax.bars])


def _sharing(edges: list[tuple[float, float]]) -> int:
    """How many bars touch the edge most of them touch (a value is written as one number)."""
    return max(Counter(e for pair in edges for e in set(pair)).values())  # called on bars only


def _ticks(ax: AxesView, cfg: dict, en: str, fr: str) -> list[Fault]:
    out = []
    for axis in (ax.xaxis, ax.yaxis):
        labels = [t for tick in axis.labelled for t in tick.labels[:1]]
        if any(t.size < cfg["min_font_pt"] for t in labels):
            out.append(Fault("figures.tick_size", f"the {axis.name} axis tick labels are too small to read{en} "
                             f"(under {cfg['min_font_pt']:g} pt)", f"les graduations de l'axe {axis.name} sont "
                             f"trop petites pour être lues{fr} (moins de {cfg['min_font_pt']:g} pt)"))
        if _overlap(axis, labels, cfg):
            out.append(Fault("figures.tick_overlap", f"the {axis.name} axis tick labels overlap{en}: rotate "
                             "them, shorten them or use horizontal bars", f"les graduations de l'axe "
                             f"{axis.name} se chevauchent{fr} : inclinez-les, raccourcissez-les ou utilisez "
                             "des barres horizontales"))
    return out


def _overlap(axis: AxisView, labels: list[Text], cfg: dict) -> bool:
    """Two neighbouring labels whose estimated (rotated) boxes intersect."""
    key = (lambda t: t.x) if axis.name == "x" else (lambda t: t.y)
    boxes = [_shrink(t.corners(cfg["em_width"], cfg["ascent"], cfg["descent"]), cfg["overlap_shrink"])
             for t in sorted(labels, key=key)]
    return any(_intersect(a, b) for a, b in zip(boxes, boxes[1:]))


def _shrink(corners: np.ndarray, factor: float) -> np.ndarray:
    centre = corners.mean(axis=0)
    return centre + (corners - centre) * factor


def _intersect(a: np.ndarray, b: np.ndarray) -> bool:
    """Separating-axis test of two convex quadrilaterals."""
    for poly in (a, b):
        for i in range(4):
            edge = poly[(i + 1) % 4] - poly[i]
            normal = np.array([-edge[1], edge[0]])
            pa, pb = a @ normal, b @ normal
            if pa.max() <= pb.min() or pb.max() <= pa.min():
                return False
    return True


def discrete_colours(ax: AxesView, cfg: dict) -> list[tuple[float, float, float]]:
    """The colours that tell series apart (none when the colouring is continuous)."""
    colours = {b.fill for b in ax.bars} | {ln.stroke for ln in ax.lines if ln.stroke and len(ln.px) >= 3}
    for pts in ax.points:
        colours |= set(pts.fills)
    return sorted(colours) if len(colours) <= cfg["max_discrete_colours"] else []


def _colours(ax: AxesView, cfg: dict, en: str, fr: str) -> list[Fault]:
    # A threshold at the just-noticeable difference (CIEDE2000 1.0, under the worst of normal,
    # protan and deutan vision) fails only colours that some readers cannot tell apart at all;
    # matplotlib's tab10 (min 1.26, orange/green under protanopia) and seaborn's palettes pass.
    colours = discrete_colours(ax, cfg)
    d, i, j = col.closest_pair(colours)
    if d >= cfg["min_delta_e"]:
        return []
    pair = " and ".join(_hex(c) for c in (colours[i], colours[j]))
    return [Fault("figures.colour_blind", f"two colours of the chart ({pair}) look the same to colour-blind "
                  f"readers{en}: use a colour-blind-safe palette (e.g. seaborn 'colorblind')",
                  f"deux couleurs du graphique ({pair.replace(' and ', ' et ')}) se confondent pour les "
                  f"daltoniens{fr} : utilisez une palette adaptée (p. ex. 'colorblind' de seaborn)")]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(v * 255):02x}" for v in rgb)


def _colour_map(bar: AxesView, cfg: dict) -> list[Fault]:
    """A continuous scale must be ordered by lightness: sequential (lightness monotonic) or
    diverging (one turn, at a near-grey centre, halves told apart by colour-blind readers).
    Measured on 256 steps: viridis/cividis/Blues 0 turns; RdBu/coolwarm/vlag turn at chroma < 2;
    jet (96), turbo (95), rainbow (58) turn at a bright hue; hsv, nipy_spectral turn 3+ times.
    The halves share their lightness by design, so they are told apart by hue: the mirrored steps'
    distance in the (a*, b*) plane under protan/deutan vision, relative to the larger chroma (about
    1-2 for opposite hues, 1 for a colour against grey, 0 for one hue). A ratio does not depend on
    how far from the centre the bar reaches, so a map centred off the middle (seaborn's
    ``center=``, which shows only part of one half) is judged like the whole map."""
    cb = bar.colourbar
    values = np.linspace(*cb.range, 65)
    idx = np.abs(cb.values[None, :] - values[:, None]).argmin(axis=1)
    rgb = cb.colours[idx]
    turns = col.lightness_turns(rgb, cfg["lightness_hysteresis"])
    rainbow = turns >= 2
    red_green = False
    if turns == 1:
        lab = col.lab(rgb)
        chord = np.linspace(lab[0, 0], lab[-1, 0], len(lab))
        # the turn: off the chord between the ends by the hysteresis at least, so never an end
        # (at least one mirrored step on each side)
        k = int(np.argmax(np.abs(lab[:, 0] - chord)))
        rainbow = float(np.hypot(lab[k, 1], lab[k, 2])) > cfg["max_centre_chroma"]
        steps = np.arange(1, min(k, len(rgb) - 1 - k) + 1)
        if not rainbow:
            far = steps[len(steps) // 3:]  # the mirrored steps away from the neutral centre
            for m in (col.PROTAN, col.DEUTAN):
                ab = col.lab(col.simulate(rgb, m))[:, 1:]
                low, high = ab[k - far], ab[k + far]
                chroma = np.maximum(np.hypot(*low.T), np.hypot(*high.T))
                split = np.hypot(*(low - high).T) / np.maximum(chroma, 1e-9)
                if float(np.mean(split)) < cfg["min_diverging_split"]:
                    red_green = True
    if rainbow:
        return [Fault("figures.colour_map", "the colour scale is not ordered by lightness (a rainbow such "
                      "as 'jet'): use e.g. 'viridis', 'cividis' or, around a centre, 'RdBu'",
                      "l'échelle de couleurs n'est pas ordonnée par la luminosité (un arc-en-ciel comme "
                      "'jet') : utilisez p. ex. 'viridis', 'cividis' ou, autour d'un centre, 'RdBu'")]
    if red_green:
        return [Fault("figures.colour_map", "the two halves of the colour scale (red against green) look "
                      "alike to colour-blind readers: use e.g. 'RdBu' or 'PuOr'", "les deux moitiés de "
                      "l'échelle de couleurs (rouge contre vert) se confondent pour les daltoniens : "
                      "utilisez p. ex. 'RdBu' ou 'PuOr'")]
    return []


def adequacy(view: FigureView, expected: object, *, kind: str) -> Outcome:
    """B1.3.b: does the figure show ``expected`` (the candidate's own results) faithfully?"""
    from ._adequacy import judge

    return score(judge(view, expected, kind, config()["adequacy"]))
