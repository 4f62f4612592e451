"""B1.3.a clarity at each threshold of rules.yml and on the shapes a rule must tell apart (issue #18).

Every figure is drawn with matplotlib/seaborn, rendered to the SVG the notebook displays and read
back, as a candidate's would be; the SVG text is rendered once per process (mutation runs fork).
Thresholds are read from rules.yml, so a figure stands exactly at, just under or just over one.
"""

from __future__ import annotations


import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import seaborn as sns  # noqa: E402

from tests.candidate.figures.cases import svg_of  # noqa: E402
from workbench_candidate.figures import adequacy, clarity, read_svg, render_svg  # noqa: E402
from workbench_candidate.figures.rules import config  # noqa: E402

CFG = config()["clarity"]
MAX_HUES = int(CFG["max_discrete_colours"])
SEGMENTS = ["S1", "S2", "S3", "S4"]
VALUES = [63.1, 21.4, 11.0, 4.5]
# seaborn 'colorblind' (every pair told apart) and a red/brown pair protanopes confuse
SAFE = [tuple(c) for c in sns.color_palette("colorblind", 12)]
RED, BROWN = "#e8000b", "#9f4800"


def _labelled(ax, title="t", xlabel="x", ylabel="y"):
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return ax


# --- structure: pie slices, series, legend, lines over categories --------------------------

def _pie(slices: int, frame: bool = False):
    fig, ax = plt.subplots()
    ax.pie(np.arange(1, slices + 1), frame=frame)
    ax.set_title("share")
    return fig


def _lines(n_lines: int, points: int, legend: bool = False, x=None):
    fig, ax = plt.subplots()
    for i in range(n_lines):
        ax.plot(np.arange(points) if x is None else x, np.arange(points) + 3 * i, color=SAFE[i], label=f"s{i}")
    _labelled(ax, xlabel="step", ylabel="level")
    if legend:
        ax.legend()
    return fig


def _scatter_hues(hues: int, legend: bool = False, palette=None):
    fig, ax = plt.subplots()
    rng = np.random.default_rng(5)
    n = 24 * hues
    sns.scatterplot(x=rng.normal(size=n), y=rng.normal(size=n), hue=np.repeat([f"g{i:02d}" for i in range(hues)], 24),
                    palette=palette or SAFE[:hues], legend=legend, ax=ax)
    _labelled(ax, xlabel="PC1", ylabel="PC2")
    return fig


def _scatter_continuous():
    fig, ax = plt.subplots()
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(2, 300))
    sc = ax.scatter(x, y, c=x + y, cmap="viridis", s=10)
    fig.colorbar(sc, label="score")
    _labelled(ax, xlabel="PC1", ylabel="PC2")
    return fig


def _bars_by_hue(horizontal: bool, value_ticks: bool = True, legend: bool = False):
    """One bar per category, each its own colour (seaborn's hue = the category)."""
    fig, ax = plt.subplots()
    if horizontal:
        sns.barplot(y=SEGMENTS, x=VALUES, hue=SEGMENTS, palette=SAFE[:4], legend=legend, ax=ax)
        _labelled(ax, xlabel="value (%)", ylabel="segment")
        if not value_ticks:
            ax.set_xticks([])
    else:
        sns.barplot(x=SEGMENTS, y=VALUES, hue=SEGMENTS, palette=SAFE[:4], legend=legend, ax=ax)
        _labelled(ax, xlabel="segment", ylabel="value (%)")
        if not value_ticks:
            ax.set_yticks([])
    return fig


def _grouped_bars(horizontal: bool = False):
    fig, ax = plt.subplots()
    x = np.arange(4)
    for i, shift in enumerate((-0.2, 0.2)):
        values = np.array(VALUES) / (i + 1)
        (ax.barh if horizontal else ax.bar)(x + shift, values, 0.4, color=SAFE[i])
    (ax.set_yticks if horizontal else ax.set_xticks)(x, SEGMENTS)
    _labelled(ax, xlabel="segment", ylabel="value (%)")
    return fig


def _bars_and_trend():
    fig, ax = plt.subplots()
    ax.bar(np.arange(1, 13), np.linspace(10, 32, 12), color=SAFE[0])
    ax.plot(np.arange(1, 13), np.linspace(12, 30, 12), color=SAFE[1])
    _labelled(ax, xlabel="month", ylabel="orders")
    return fig


def _bars_between_ticks():
    """Coloured bars that stand away from every labelled tick: the axis does not name them."""
    fig, ax = plt.subplots()
    ax.bar([0.3, 1.3, 2.3], [0.2, 0.2, 0.2], width=0.1, color=SAFE[:3])
    ax.set_xticks([0, 1, 2])
    ax.set_ylim(0, 10)
    _labelled(ax, xlabel="x", ylabel="count")
    return fig


# --- tick labels: size, overlap ------------------------------------------------------------

def _ticks_of_size(size: float):
    fig, ax = plt.subplots()
    ax.bar(SEGMENTS, VALUES)
    ax.tick_params(labelsize=size)
    _labelled(ax, xlabel="segment", ylabel="value (%)")
    return fig


def _long_ticks_both_sides():
    """Long labels that overlap, drawn under and over the axes (two texts per tick)."""
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.bar([f"a very long category name {i}" for i in range(12)], np.arange(1, 13))
    ax.tick_params(axis="x", labeltop=True)
    _labelled(ax, xlabel="category", ylabel="count")
    return fig


TICK_TEXT, TICK_PT, TICKS = "ABCDE", 10.0, 6


def label_box(axis: str) -> float:
    """The extent along ``axis`` of the rule's estimated box of a TICK_TEXT label, shrunk."""
    if axis == "x":
        return CFG["em_width"] * TICK_PT * len(TICK_TEXT) * CFG["overlap_shrink"]
    return (CFG["ascent"] + CFG["descent"]) * TICK_PT * CFG["overlap_shrink"]


def _tick_row(axis: str, ratio: float, order=tuple(range(TICKS))):
    """TICKS labels on one axis, ``ratio`` estimated boxes apart, drawn in ``order``."""
    span = ratio * label_box(axis) * TICKS / 72  # inches (the SVG counts 72 pt per inch)
    w, h = (span + 2, 3) if axis == "x" else (4, span + 2)
    fig = plt.figure(figsize=(w, h))
    ax = fig.add_axes([1 / w, 0.3, span / w, 0.6] if axis == "x" else [0.3, 1 / h, 0.6, span / h])
    ax.plot([0, TICKS], [0, TICKS])
    ax.set(xlim=(0, TICKS), ylim=(0, TICKS))
    pos = [i + 0.5 for i in order]
    (ax.set_xticks if axis == "x" else ax.set_yticks)(pos, [TICK_TEXT] * TICKS, fontsize=TICK_PT)
    (ax.set_yticks if axis == "x" else ax.set_xticks)([])
    return _labelled(ax).figure


# --- colours of series --------------------------------------------------------------------

def _bars_and_line(points: int):
    """Red bars and a brown line of ``points`` points (2: a reference line, not a series)."""
    fig, ax = plt.subplots()
    ax.bar([1, 2, 3, 4], VALUES, color=RED, label="value")
    if points == 2:
        ax.axhline(25, color=BROWN, label="average")
    else:
        ax.plot([1, 2, 3][:points], [30, 40, 50][:points], color=BROWN, label="target")
    ax.legend()
    return _labelled(ax, xlabel="segment", ylabel="value (%)").figure


def _two_scatters(colours):
    fig, ax = plt.subplots()
    rng = np.random.default_rng(7)
    for i, colour in enumerate(colours):
        ax.scatter(*rng.normal(i, 1, size=(2, 30)), color=colour, label=f"g{i}")
    ax.legend()
    return _labelled(ax, xlabel="PC1", ylabel="PC2").figure


def hues_with_a_confused_pair(n: int):
    return [tuple(c) for c in sns.color_palette("husl", n - 2)] + [RED, BROWN]


# --- several plots, colour bars -----------------------------------------------------------

def _two_plots_first_tiny_ticks():
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 4))
    for ax in (a, b):
        ax.bar(SEGMENTS, VALUES)
        _labelled(ax, xlabel="segment", ylabel="value (%)")
    a.tick_params(labelsize=5)
    return fig


def _heat(cmap: str, lo: float, hi: float, centre: float | None = 0.0, title: str = "profiles"):
    """A seaborn heatmap of values from ``lo`` to ``hi`` (``center``: its map turns there)."""
    fig, ax = plt.subplots()
    values = np.linspace(lo, hi, 20)[np.random.default_rng(8).permutation(20)].reshape(4, 5)
    sns.heatmap(values, cmap=cmap, center=centre, ax=ax, yticklabels=SEGMENTS)
    return _labelled(ax, title=title, xlabel="key variable", ylabel="segment").figure


# --- bars along a numeric category axis -----------------------------------------------------

CHANGES = [-12.0, -5.5, -3.0, -8.5]


def _negative_bars_by_cluster(horizontal: bool):
    """Changes per cluster id (0-3: both axes numeric), one colour per cluster, no legend."""
    fig, ax = plt.subplots()
    (ax.barh if horizontal else ax.bar)([0, 1, 2, 3], CHANGES, color=SAFE[:4])
    (ax.set_yticks if horizontal else ax.set_xticks)([0, 1, 2, 3])
    return _labelled(ax, xlabel="change (%)" if horizontal else "cluster",
                     ylabel="cluster" if horizontal else "change (%)").figure


FIGURES = {
    "pie_at_max": lambda: _pie(CFG["max_pie_slices"]),
    "pie_over_max": lambda: _pie(CFG["max_pie_slices"] + 1),
    "pie_framed_unlabelled": lambda: _pie(3, frame=True),
    "two_lines_no_legend": lambda: _lines(2, 3),
    "one_line": lambda: _lines(1, 3),
    "two_short_lines": lambda: _lines(2, 2),
    "line_three_categories": lambda: _lines(1, 3, legend=True, x=["a", "b", "c"]),
    "line_two_categories": lambda: _lines(1, 2, legend=True, x=["a", "b"]),
    "scatter_two_hues": lambda: _scatter_hues(2),
    "scatter_max_hues": lambda: _scatter_hues(MAX_HUES),
    "scatter_continuous": _scatter_continuous,
    "bars_by_hue": lambda: _bars_by_hue(False),
    "barh_by_hue": lambda: _bars_by_hue(True),
    "bars_by_hue_no_value_ticks": lambda: _bars_by_hue(False, value_ticks=False),
    "barh_by_hue_no_value_ticks": lambda: _bars_by_hue(True, value_ticks=False),
    "grouped_bars": lambda: _grouped_bars(),
    "grouped_barh": lambda: _grouped_bars(horizontal=True),
    "bars_and_trend": _bars_and_trend,
    "bars_between_ticks": _bars_between_ticks,
    "scatter_max_hues_alike": lambda: _scatter_hues(MAX_HUES, palette=hues_with_a_confused_pair(MAX_HUES)),
    "scatter_over_max_hues": lambda: _scatter_hues(MAX_HUES + 1, palette=hues_with_a_confused_pair(MAX_HUES + 1)),
    "ticks_at_min_size": lambda: _ticks_of_size(CFG["min_font_pt"]),
    "ticks_under_min_size": lambda: _ticks_of_size(CFG["min_font_pt"] - 0.5),
    "long_ticks_both_sides": _long_ticks_both_sides,
    "x_ticks_just_apart": lambda: _tick_row("x", 1.02),
    "x_ticks_just_overlapping": lambda: _tick_row("x", 0.98),
    "y_ticks_just_apart": lambda: _tick_row("y", 1.015),
    "y_ticks_just_overlapping": lambda: _tick_row("y", 0.985),
    "x_ticks_overlapping_drawn_unordered": lambda: _tick_row("x", 0.9, order=(1, 3, 5, 0, 2, 4)),
    "y_ticks_overlapping_drawn_unordered": lambda: _tick_row("y", 0.9, order=(1, 3, 5, 0, 2, 4)),
    "bars_and_line_of_3_alike": lambda: _bars_and_line(3),
    "bars_and_reference_line_alike": lambda: _bars_and_line(2),
    "two_scatters_alike": lambda: _two_scatters([RED, BROWN]),
    "two_plots_first_tiny_ticks": _two_plots_first_tiny_ticks,
    "heatmap_untitled": lambda: _heat("vlag", -2, 2, title=""),
    "heat_RdYlGn_mostly_negative": lambda: _heat("RdYlGn", -3, 1),
    "heat_RdBu_mostly_positive": lambda: _heat("RdBu_r", -1, 3),
    "heat_RdGy_mostly_positive": lambda: _heat("RdGy", -1, 3),
    "heat_vlag_mostly_positive": lambda: _heat("vlag", -1, 3),
    "heat_vlag_mostly_negative": lambda: _heat("vlag", -3, 1),
    "heat_vlag_at_a_fifth": lambda: _heat("vlag", -1, 4),
    "heat_vlag_at_a_seventh": lambda: _heat("vlag", -1, 6),
    "heat_vlag_at_four_fifths": lambda: _heat("vlag", -4, 1),
    "heat_default_at_a_fifth": lambda: _heat(None, -1, 4),  # seaborn's map around a center: icefire
    "heat_PuOr_at_a_seventh": lambda: _heat("PuOr", -1, 6),
    "heat_RdGy_at_a_tenth": lambda: _heat("RdGy", -1, 9),  # near the centre the grey half has a chroma under 1
    "heat_RdYlGn_r_at_a_third": lambda: _heat("RdYlGn_r", -1, 2),
    "heat_RdYlGn_at_two_thirds": lambda: _heat("RdYlGn", -2, 1),
    "heat_terrain": lambda: _heat("terrain", 0, 4, centre=None),
    "heat_gist_rainbow": lambda: _heat("gist_rainbow", 0, 4, centre=None),
    "negative_bars_by_cluster": lambda: _negative_bars_by_cluster(False),
    "negative_barh_by_cluster": lambda: _negative_bars_by_cluster(True),
}


svg = svg_of(FIGURES)


def rules_of(case: str) -> set[str]:
    return {f.rule for f in clarity(read_svg(svg(case))).faults}


TITLE, LABEL, LEGEND, LINE = "figures.title", "figures.axis_label", "figures.legend", "figures.line_categories"
SIZE, OVERLAP, ALIKE, MAP = "figures.tick_size", "figures.tick_overlap", "figures.colour_blind", "figures.colour_map"

# case -> the exact rules its figure breaks
EXPECTED = {
    # a pie of max_pie_slices slices is still read; one more is not. A pie drawn with its frame
    # (ticks, no axis titles) is not asked for axis titles.
    "pie_at_max": set(), "pie_over_max": {"figures.pie"}, "pie_framed_unlabelled": set(),
    # a series is a line of 3 points or more: 2 series need a legend, 2-point segments are not series
    "two_lines_no_legend": {LEGEND}, "one_line": set(), "two_short_lines": set(),
    # a line of 3 points over categories reads as a trend; 2 points do not make a line of categories
    "line_three_categories": {LINE}, "line_two_categories": set(),
    # hues of one scatter: each of up to max_discrete_colours colours is a series; more colours are
    # one continuous colouring (explained by its colour bar, judged as a map)
    "scatter_two_hues": {LEGEND}, "scatter_max_hues": {LEGEND}, "scatter_continuous": set(),
    "scatter_max_hues_alike": {LEGEND, ALIKE}, "scatter_over_max_hues": set(),
    # one bar per category, each its own colour: the category axis names them (vertical or
    # horizontal, with or without a value scale); grouped bars or bars with a trend need a legend;
    # coloured bars that stand by no labelled tick are not named by the axis
    "bars_by_hue": set(), "barh_by_hue": set(),
    "bars_by_hue_no_value_ticks": set(), "barh_by_hue_no_value_ticks": set(),
    "grouped_bars": {LEGEND}, "grouped_barh": {LEGEND}, "bars_and_trend": {LEGEND},
    "bars_between_ticks": {LEGEND},
    # tick labels of exactly min_font_pt are read; smaller are not
    "ticks_at_min_size": set(), "ticks_under_min_size": {SIZE},
    # labels overlap when their estimated boxes (rules.yml: em_width, ascent, descent, shrunk by
    # overlap_shrink) do: 2 % (x) or 1.5 % (y) of a box either side of touching; the first label
    # of each tick is judged (labels drawn under and over the axes), neighbours by position
    "long_ticks_both_sides": {OVERLAP},
    "x_ticks_just_apart": set(), "x_ticks_just_overlapping": {OVERLAP},
    "y_ticks_just_apart": set(), "y_ticks_just_overlapping": {OVERLAP},
    "x_ticks_overlapping_drawn_unordered": {OVERLAP}, "y_ticks_overlapping_drawn_unordered": {OVERLAP},
    # the colours told apart: bars, points and lines of 3 points or more, not reference lines
    "bars_and_line_of_3_alike": {ALIKE}, "bars_and_reference_line_alike": set(), "two_scatters_alike": {ALIKE},
    # every plot and every colour bar is judged
    "two_plots_first_tiny_ticks": {SIZE}, "heatmap_untitled": {TITLE},
    # diverging maps centred off the middle of the bar (seaborn's center=0 over lopsided values):
    # RdYlGn's halves stay alike; RdBu, RdGy and vlag stay clear; maps turning twice are rainbows
    "heat_RdYlGn_mostly_negative": {MAP}, "heat_RdBu_mostly_positive": set(),
    "heat_RdGy_mostly_positive": set(), "heat_vlag_mostly_positive": set(), "heat_vlag_mostly_negative": set(),
    "heat_terrain": {MAP}, "heat_gist_rainbow": {MAP},
    # ...further off the middle: the halves are compared by hue, not by how far from the centre
    # the short half reaches (vlag at a fifth lost its points when mirrored steps were compared
    # by their colour difference, small on the pale short half of any map)
    "heat_vlag_at_a_fifth": set(), "heat_vlag_at_a_seventh": set(), "heat_vlag_at_four_fifths": set(),
    "heat_default_at_a_fifth": set(), "heat_PuOr_at_a_seventh": set(), "heat_RdGy_at_a_tenth": set(),
    "heat_RdYlGn_r_at_a_third": {MAP}, "heat_RdYlGn_at_two_thirds": {MAP},
    # bars along a numeric category axis (cluster ids): vertical or horizontal, as drawn
    "negative_bars_by_cluster": set(), "negative_barh_by_cluster": set(),
}


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_figure_breaks_exactly_its_rules(case):
    assert rules_of(case) == EXPECTED[case]


def test_every_figure_is_expected():
    assert set(FIGURES) == set(EXPECTED)


@pytest.mark.parametrize("case, axis, ratio", [
    ("x_ticks_just_apart", "x", 1.02), ("x_ticks_just_overlapping", "x", 0.98),
    ("y_ticks_just_apart", "y", 1.015), ("y_ticks_just_overlapping", "y", 0.985),
    ("x_ticks_overlapping_drawn_unordered", "x", 0.9), ("y_ticks_overlapping_drawn_unordered", "y", 0.9),
])
def test_tick_rows_stand_where_they_are_meant_to(case, axis, ratio):
    """The boundary figures are what they claim: labels of TICK_PT, spaced ratio boxes apart."""
    ax = read_svg(svg(case)).plots[0]
    ticks = (ax.xaxis if axis == "x" else ax.yaxis).labelled
    assert {t.labels[0].size for t in ticks} == {TICK_PT} and len(ticks) == TICKS
    gaps = np.diff(sorted(t.pos for t in ticks))
    assert np.allclose(gaps / label_box(axis), ratio, atol=0.002)
    if "unordered" in case:  # drawn out of order: no two drawn in a row are neighbours
        drawn = [t.pos for t in ticks]
        assert min(np.abs(np.diff(drawn))) > 1.5 * gaps.min()


def test_messages_name_the_count_and_the_plot():
    pie = clarity(read_svg(svg("pie_over_max")))
    assert f"{CFG['max_pie_slices'] + 1} slices" in pie.faults[0].en
    two = clarity(read_svg(svg("two_plots_first_tiny_ticks")))
    assert all("(plot 1)" in f.en and "(graphique 1)" in f.fr for f in two.faults)


@pytest.mark.parametrize("horizontal", [False, True])
def test_bars_along_numeric_categories_are_read_the_way_they_lie(horizontal):
    """Both axes numeric: negative bars keep their baseline (not their left edge or bottom), and
    stacked bars per year share it; read the other way, their lengths were not the results. A
    single bar (no edge shared more one way than the other) stands upright unless drawn with barh
    along a category axis."""
    view = read_svg(svg("negative_barh_by_cluster" if horizontal else "negative_bars_by_cluster"))
    kind = "barh" if horizontal else "bar"
    assert adequacy(view, pd.Series(CHANGES, index=[0, 1, 2, 3]), kind=kind).passed
    sales = pd.DataFrame({"online": [10.0, 12, 15], "shop": [20.0, 18, 16]}, index=[2022, 2023, 2024])
    ax = (sales.plot.barh if horizontal else sales.plot.bar)(stacked=True, color=SAFE[:2])
    ax.set(title="Sales per year", xlabel="sales" if horizontal else "year", ylabel="year" if horizontal else "sales")
    stacked = read_svg(render_svg(ax.figure))
    assert (stacked.plots[0].yaxis if horizontal else stacked.plots[0].xaxis).scale is not None  # years
    assert clarity(stacked).passed and adequacy(stacked, sales, kind=kind).passed
    if not horizontal:
        fig, ax = plt.subplots()
        ax.bar([2024], [12.5])
        ax.set(title="Sales in 2024", xlabel="year", ylabel="sales")
        one = read_svg(render_svg(fig))
        assert one.plots[0].xaxis.scale is not None and one.plots[0].yaxis.scale is not None
        assert adequacy(one, pd.Series([12.5], index=[2024]), kind="bar").passed
