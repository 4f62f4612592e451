"""B1.3.b adequacy at its boundaries (issue #18): tolerances of rules.yml met exactly or just
missed, and the figures a practitioner draws besides the model answers (results as a list, a
stacked or grouped chart with short bars, a heatmap in another order, points on the axis limits).

Figures are rendered once per process (the SVG text is cached) and read through the product's
SVG reader, as a candidate's figure is.
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
from tests.candidate.figures.test_svg_rules import SEGMENTS, make_profile_z  # noqa: E402
from workbench_candidate.figures import adequacy, read_svg, render_svg  # noqa: E402

PROFILE_Z = make_profile_z()
VALUES = pd.Series([100.0, 60.0, 40.0, 20.0], index=SEGMENTS)  # bar tolerance: 0.5
TREND = pd.Series(np.linspace(10, 32, 12))  # line tolerance: 0.16
FOUR = pd.DataFrame({"a": [40.0, 30, 20, 10], "b": [30.0, 25, 15, 5], "c": [12.0, 22, 32, 42],
                     "d": [7.0, 17, 27, 37]}, index=SEGMENTS)
OVERSHOOT = (PROFILE_Z * 25 + 50).round(1)
OVERSHOOT.iloc[0, 0] = 100.3  # past a colour bar ending at 100, within 0.5 % of its range


def rules(outcome) -> set[str]:
    return {f.rule for f in outcome.faults}


# --- figures ---------------------------------------------------------------------------------

def _bars(values, *, horizontal=False, ylim=None, log=False):
    fig, ax = plt.subplots()
    (ax.barh if horizontal else ax.bar)(list(values.index), values.to_numpy())
    if ylim:
        ax.set_ylim(*ylim)
    if log:
        (ax.set_xscale if horizontal else ax.set_yscale)("log")
    return fig


def _grouped(table, *, horizontal=False, stacked=False):
    fig, ax = plt.subplots(figsize=(6, 12) if horizontal else (10, 4))
    (table.plot.barh if horizontal else table.plot.bar)(ax=ax, stacked=stacked, rot=0)
    return fig


def _line_beside_bars():
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 4))
    a.plot(np.arange(12), TREND.to_numpy())
    b.bar(SEGMENTS, VALUES.to_numpy())
    return fig


def _line(values, x=None):
    fig, ax = plt.subplots()
    ax.plot(np.arange(len(values)) if x is None else x, values, marker="o")
    return fig


def _heatmap(table, *, labels=True, invert=True, cmap="viridis", vmin=None, vmax=None):
    fig, ax = plt.subplots(figsize=(8, 4.5))
    mesh = ax.pcolormesh(table.to_numpy(), cmap=cmap, vmin=vmin, vmax=vmax)
    if labels:
        ax.set_xticks(np.arange(table.shape[1]) + 0.5, labels=[str(c) for c in table.columns])
        ax.set_yticks(np.arange(table.shape[0]) + 0.5, labels=[str(i) for i in table.index])
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    if invert:
        ax.invert_yaxis()
    fig.colorbar(mesh, ax=ax)
    return fig


def _two_heatmaps():
    """The second heatmap's colour bar is drawn first: the first heatmap is read through its own."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    first = a.pcolormesh(PROFILE_Z.to_numpy(), cmap="viridis", vmin=-2, vmax=2)
    second = b.pcolormesh(PROFILE_Z.to_numpy() * 10, cmap="RdBu", vmin=-20, vmax=20)
    fig.colorbar(second, ax=b)
    fig.colorbar(first, ax=a)
    return fig


def _points(*groups, xlim=(0, 10), ylim=(0, 10)):
    """One scatter call per group, on axes of a known size: 288 x 230.4 px (1 px = 1/28.8 of
    the x range, 1/23.04 of the y range)."""
    fig = plt.figure(figsize=(5, 4))
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    for g in groups:
        ax.scatter(g[:, 0], g[:, 1], s=9)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return fig


# spread over the axes, so that point_tolerance (0.5 % of each range) is more than a pixel
INSIDE = np.array([[2.0, 3.0], [5.0, 5.0], [7.0, 6.0], [4.0, 8.0], [6.0, 2.0], [1.0, 0.2], [9.0, 9.8]])
PX = 10 / 288  # one pixel along x, in data units
PY = 10 / 230.4
RANGE = np.array([[0.0, 0.0], [1000.0, 1.0], [300.0, 0.25], [700.0, 0.75], [500.0, 0.5], [200.0, 0.9]])
for _shared in (INSIDE, RANGE):
    _shared.flags.writeable = False  # a DataFrame built on them shares their memory

FIGURES = {
    "bars": lambda: _bars(VALUES),
    "bars_by_position": lambda: _bars(VALUES.set_axis(["0", "1", "2", "3"])),
    "bars_beyond_tolerance": lambda: _bars(VALUES + [0.5005, 0, 0, 0]),
    "bars_within_tolerance": lambda: _bars(VALUES + [0, 0.45, 0, 0]),
    "bars_outside_tolerance": lambda: _bars(VALUES + [0, 0.55, 0, 0]),
    "bars_first_two_swapped": lambda: _bars(pd.Series([99.4995, 100.0, 40.0, 20.0], index=SEGMENTS)),
    "bars_reversed": lambda: _bars(VALUES[::-1].set_axis(SEGMENTS)),
    "barh_reversed": lambda: _bars(VALUES[::-1].set_axis(SEGMENTS), horizontal=True),
    "bars_from_098": lambda: _bars(VALUES * 0.9, ylim=(0.98, 100)),
    "bars_from_1": lambda: _bars(VALUES * 0.9, ylim=(1.0, 100)),
    "negative_bars": lambda: _bars(-VALUES),
    "bars_with_a_sliver": lambda: _bars(pd.Series([63.1, 0.0, 11.0, 0.2], index=SEGMENTS)),
    "line_beside_bars": _line_beside_bars,
    "four_series_outer_swapped": lambda: _grouped(FOUR.assign(a=[30.0, 40, 20, 10])),
    "bars_on_a_log_scale": lambda: _bars(pd.Series([0.05, 3.0, 800.0, 12.0], index=SEGMENTS), log=True),
    "barh_on_a_log_scale": lambda: _bars(VALUES, horizontal=True, log=True),
    "stacked": lambda: _grouped(pd.DataFrame({"a": [40.0, 30, 20, 10], "b": [30.0, 25, 15, 5]},
                                             index=SEGMENTS), stacked=True),
    "grouped_with_zero": lambda: _grouped(pd.DataFrame({"a": [40.0, 0, 20, 10], "b": [30.0, 25, 0, 5]},
                                                       index=SEGMENTS)),
    "grouped_close_swapped": lambda: _grouped(pd.DataFrame({"a": [100.0, 99.4995, 40, 20],
                                                            "b": [30.0, 25, 15, 5]}, index=SEGMENTS)),
    "grouped_short_bars_swapped": lambda: _grouped(pd.DataFrame({"a": [40.0, 30, 20, 10],
                                                                 "b": [1.5, 1.0, 15, 12]}, index=SEGMENTS)),
    "grouped_barh_short_bars_swapped": lambda: _grouped(pd.DataFrame({"a": [40.0, 30, 20, 10],
                                                                      "b": [1.5, 1.0, 15, 12]}, index=SEGMENTS),
                                                        horizontal=True),
    "heatmap_percent": lambda: _heatmap(PROFILE_Z * 25 + 50, vmin=0, vmax=100),
    "heatmap_overshoot": lambda: _heatmap(OVERSHOOT, vmin=0, vmax=100),
    "heatmap_over_the_top_only": lambda: _heatmap(PROFILE_Z + 1, vmin=-2, vmax=2),
    "heatmap_rows_relabelled": lambda: _heatmap(PROFILE_Z.iloc[[2, 0, 3, 1]]),
    "heatmap_transposed_relabelled": lambda: _heatmap(PROFILE_Z.T.iloc[[3, 1, 4, 0, 2]]),
    "heatmap_unlabelled_bottom_up": lambda: _heatmap(PROFILE_Z, labels=False, invert=False),
    "heatmap_transposed_unlabelled_bottom_up": lambda: _heatmap(PROFILE_Z.T, labels=False, invert=False),
    "two_heatmaps": _two_heatmaps,
    "points_on_the_limits": lambda: _points(np.array([[0.0, 5.0], [10.0, 5.0], [5.0, 0.0], [5.0, 10.0]]), INSIDE),
    "point_past_the_left": lambda: _points(np.array([[-PX, 5.0]]), INSIDE, xlim=(0, 10)),
    "point_past_the_right": lambda: _points(np.array([[10 + PX, 5.0]]), INSIDE),
    "point_past_the_bottom": lambda: _points(np.array([[5.0, -PY]]), INSIDE),
    "point_past_the_top": lambda: _points(np.array([[5.0, 10 + PY]]), INSIDE),
    "points_wide_range": lambda: _points(RANGE, xlim=(-50, 1050), ylim=(-0.05, 1.05)),
    "strip": lambda: _points(np.c_[np.arange(6.0), np.full(6, 2.0)], xlim=(-1, 6), ylim=(1, 3)),
    "trend": lambda: _line(TREND.to_numpy()),
    "trend_within_tolerance": lambda: _line(TREND.to_numpy() + np.r_[0.12, np.zeros(11)]),
    "trend_beyond_tolerance": lambda: _line(TREND.to_numpy() + np.r_[0.2, np.zeros(11)]),
    "trend_just_beyond_tolerance": lambda: _line(TREND.to_numpy() + np.r_[np.zeros(11), 0.16025]),
    "three_points": lambda: _line([3.0, 5.0, 4.0]),
    "flat_at_zero": lambda: _line(np.zeros(6)),
    "trend_with_a_gap": lambda: _line(np.r_[TREND.to_numpy()[:5], np.nan, TREND.to_numpy()[6:]]),
}


_svg = svg_of(FIGURES)


def judged(case: str, expected, kind: str):
    return adequacy(read_svg(_svg(case)), expected, kind=kind)


def _shifted(points: np.ndarray, dx: float, dy: float) -> pd.DataFrame:
    """The results that a figure of ``points`` shows off by (dx, dy)."""
    return pd.DataFrame(points + [dx, dy], columns=["x", "y"])


# --- results given as a list or an array ---------------------------------------------------

def test_results_as_a_list_or_an_array_are_read_as_a_table():
    assert judged("bars", VALUES.to_list(), "bar").passed
    assert judged("bars", tuple(VALUES), "bar").passed
    assert judged("heatmap_percent", (PROFILE_Z * 25 + 50).to_numpy(), "heatmap").passed
    # a list is one series, by position: its line has no name
    out = judged("trend", list(TREND * 1.5), "line")
    assert [f.en for f in out.faults] == ["the line does not match your computed results"]
    # bars over the positions 0..3, in the list's order or not
    assert judged("bars_by_position", VALUES.to_list(), "bar").passed
    assert "figures.values" in rules(judged("bars_by_position", VALUES.to_list()[::-1], "bar"))


def test_results_of_object_dtype_are_read_as_numbers():
    """A table built from Python objects (dtype object) holds numbers all the same."""
    assert judged("bars", VALUES.astype(object), "bar").passed
    assert judged("heatmap_percent", (PROFILE_Z * 25 + 50).astype(object), "heatmap").passed
    assert judged("points_on_the_limits", pd.DataFrame(np.r_[[[0.0, 5.0], [10.0, 5.0], [5.0, 0.0], [5.0, 10.0]],
                                                             INSIDE]).astype(object), "scatter").passed
    assert judged("trend", TREND.astype(object), "line").passed


def test_empty_results_match_no_figure():
    for case, kind in (("bars", "bar"), ("trend", "line")):
        out = judged(case, pd.Series([], dtype=float), kind)
        assert rules(out) == {"figures.values"}, case
    out = judged("points_on_the_limits", pd.DataFrame({"x": [np.nan] * 3, "y": [1.0, 2.0, 3.0]}), "scatter")
    assert rules(out) == {"figures.values"} and "number of points" in out.faults[0].en


# --- bars --------------------------------------------------------------------------------------

def test_bar_lengths_within_the_tolerance_pass_and_beyond_it_fail():
    assert judged("bars_within_tolerance", VALUES, "bar").passed  # 0.45 off, tolerance 0.5
    assert rules(judged("bars_outside_tolerance", VALUES, "bar")) == {"figures.values"}  # 0.55 off
    # the tolerance is a share of the largest value, not relative to each bar: 0.5005 off fails
    # (on lengths, read before the categories)
    out = judged("bars_beyond_tolerance", VALUES, "bar")
    assert [f.en for f in out.faults] == ["the bar lengths do not match your computed results (count or values)"]


def test_bars_over_the_wrong_category_fail_just_beyond_the_tolerance():
    # the lengths match once sorted; S1 and S2 differ by 0.5005 (tolerance 0.5)
    out = judged("bars_first_two_swapped", pd.Series([100.0, 99.4995, 40, 20], index=SEGMENTS), "bar")
    assert rules(out) == {"figures.values"} and "category" in out.faults[0].en
    table = pd.DataFrame({"a": [100.0, 99.4995, 40, 20], "b": [30.0, 25, 15, 5]}, index=SEGMENTS)
    out = judged("grouped_close_swapped", table.set_axis([99.4995, 100.0, 40, 20]).set_axis(SEGMENTS), "bar")
    assert out.passed  # the figure's own table
    swapped = table.assign(a=[99.4995, 100.0, 40, 20])
    out = judged("grouped_close_swapped", swapped, "bar")
    assert rules(out) == {"figures.values"} and "of the series 'a'" in out.faults[0].en


def test_bars_in_reverse_order_fail_vertical_or_horizontal():
    for case in ("bars_reversed", "barh_reversed"):
        out = judged(case, VALUES, "barh" if case.startswith("barh") else "bar")
        assert [f.en for f in out.faults] == ["the bars do not stand over the category they belong to"], case


def test_short_bars_swapped_in_a_grouped_chart_fail():
    """Bars shorter than their offset from the category's tick still belong to that category."""
    table = pd.DataFrame({"a": [40.0, 30, 20, 10], "b": [1.0, 1.5, 15, 12]}, index=SEGMENTS)
    for case in ("grouped_short_bars_swapped", "grouped_barh_short_bars_swapped"):
        out = judged(case, table, "bar")
        assert rules(out) == {"figures.values"} and "of the series 'b'" in out.faults[0].en, case
        assert judged(case, table.assign(b=[1.5, 1.0, 15, 12]), "bar").passed, case


def test_outer_bars_of_a_group_of_four_belong_to_their_category():
    """With four series, the outer bars stand 1.5 bar widths from the category's tick."""
    out = judged("four_series_outer_swapped", FOUR, "bar")
    assert rules(out) == {"figures.values"} and "of the series 'a'" in out.faults[0].en
    assert judged("four_series_outer_swapped", FOUR.assign(a=[30.0, 40, 20, 10]), "bar").passed


def test_a_single_category():
    fig, ax = plt.subplots()
    ax.bar(["S1"], [40.0])
    view = read_svg(render_svg(fig))
    plt.close("all")
    assert adequacy(view, pd.Series([40.0], index=["S1"]), kind="bar").passed


def test_stacked_bars_are_read_from_their_base():
    table = pd.DataFrame({"a": [40.0, 30, 20, 10], "b": [30.0, 25, 15, 5]}, index=SEGMENTS)
    assert judged("stacked", table, "bar").passed
    assert rules(judged("stacked", table.assign(b=table["a"] + table["b"]), "bar")) == {"figures.values"}


def test_zero_and_sliver_bars_are_not_counted():
    # a 0 is drawn as nothing, 0.2 (under the tolerance of 0.32) as a sliver: neither is counted
    assert judged("bars_with_a_sliver", pd.Series([63.1, 0.0, 11.0, 0.2], index=SEGMENTS), "bar").passed
    assert judged("bars_with_a_sliver", pd.Series([63.1, 0.0, 11.0, 0.0], index=SEGMENTS), "bar").passed
    table = pd.DataFrame({"a": [40.0, 0, 20, 10], "b": [30.0, 25, 0, 5]}, index=SEGMENTS)
    assert judged("grouped_with_zero", table, "bar").passed


def test_value_axis_meets_zero_within_the_tolerance():
    """zero_tolerance is 1 % of the visible range: an axis from 0.98 to 100 starts at 0 (0.99),
    one from 1.0 does not."""
    assert judged("bars_from_098", VALUES * 0.9, "bar").passed
    out = judged("bars_from_1", VALUES * 0.9, "bar")
    assert rules(out) == {"figures.truncated"} and out.fraction == 0.5
    assert judged("negative_bars", -VALUES, "bar").passed  # the axis ends at 0, from below


def test_bars_on_a_log_scale_are_truncated_and_read_by_their_end():
    """0 is off a log scale: the bars' lengths mislead; matplotlib draws them from far below the
    axis (log 0), so their ends still show the values."""
    small_to_large = pd.Series([0.05, 3.0, 800.0, 12.0], index=SEGMENTS)
    for case, expected, kind in (("bars_on_a_log_scale", small_to_large, "bar"),
                                 ("barh_on_a_log_scale", VALUES, "barh")):
        out = judged(case, expected, kind)
        assert rules(out) == {"figures.truncated"} and out.fraction == 0.5, case
        assert rules(judged(case, expected * 1.1, kind)) == {"figures.truncated", "figures.values"}, case


@pytest.mark.parametrize("text, value", [
    ("10^3", 1000.0), ("10^\u22121", 0.1), ("10^0", 1.0), ("4\u00d710^\u22122", 0.04),
    ("100", 100.0), ("10", 10.0), ("10^x", None), ("103", 103.0),
])
def test_log_axis_labels_are_numbers(text, value):
    """A log axis' mathtext labels, as the reader writes them (10^k, 4×10^k)."""
    from workbench_candidate.figures._numbers import parse_number

    assert parse_number(text) == pytest.approx(value) if value is not None else parse_number(text) is None


def test_log_axis_labels_are_read_where_and_as_drawn():
    """matplotlib writes 10^k one glyph per <tspan>, the exponent raised, inside a translated
    group: read as '10^k' at the tick, as wide as drawn (a scatter on a log scale is clear)."""
    from workbench_candidate.figures import clarity, read_svg
    from workbench_candidate.figures.display import render_svg

    fig, ax = plt.subplots()
    ax.scatter([3, 30, 300, 3000, 30000], [0.02, 0.3, 4, 50, 700])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set(title="Spend against visits", xlabel="spend ($)", ylabel="visits")
    view = read_svg(render_svg(fig))
    plt.close(fig)
    axes = view.plots[0]
    x = [(t.labels[0].text, t.pos, t.labels[0].x, t.labels[0].size) for t in axes.xaxis.labelled]
    assert [text for text, *_ in x] == ["10^1", "10^2", "10^3", "10^4"]
    assert all(abs(pos - lx) < 15 and size == 10 for _, pos, lx, size in x)  # starts at its tick
    assert [t.labels[0].text for t in axes.yaxis.labelled][:3] == ["10^\u22121", "10^0", "10^1"]
    assert axes.xaxis.scale.kind == axes.yaxis.scale.kind == "log"
    assert clarity(view).passed


def test_bars_beside_another_plot_are_found():
    assert judged("line_beside_bars", VALUES, "bar").passed
    out = judged("trend", VALUES, "bar")
    assert [f.en for f in out.faults] == ["the figure has no bars"] and out.fraction == 0.0


# --- heatmap -----------------------------------------------------------------------------------

def test_heatmap_tolerances_are_shares_of_the_colour_bar():
    percent = PROFILE_Z * 25 + 50
    assert judged("heatmap_percent", percent, "heatmap").passed
    # 100.3 on a bar ending at 100: within the saturation tolerance (0.5), read as 100
    assert judged("heatmap_overshoot", OVERSHOOT, "heatmap").passed
    over = OVERSHOOT.copy()
    over.iloc[0, 0] = 100.6  # beyond the saturation tolerance
    assert rules(judged("heatmap_overshoot", over, "heatmap")) == {"figures.saturated"}
    out = judged("heatmap_over_the_top_only", PROFILE_Z + 1, "heatmap")
    assert rules(out) == {"figures.saturated"}


def test_results_without_a_number_match_no_heatmap():
    for empty in (pd.DataFrame(), PROFILE_Z * np.nan, np.empty((0, 0))):
        assert rules(judged("heatmap_percent", empty, "heatmap")) == {"figures.values"}


def test_heatmap_rows_and_columns_are_matched_by_their_labels():
    assert judged("heatmap_rows_relabelled", PROFILE_Z, "heatmap").passed
    assert judged("heatmap_transposed_relabelled", PROFILE_Z, "heatmap").passed
    # labels that name other values do not match
    out = judged("heatmap_rows_relabelled", PROFILE_Z.iloc[[1, 0, 2, 3]].set_axis(SEGMENTS), "heatmap")
    assert rules(out) == {"figures.values"}


def test_unlabelled_heatmaps_are_read_in_any_orientation():
    assert judged("heatmap_unlabelled_bottom_up", PROFILE_Z, "heatmap").passed
    assert judged("heatmap_transposed_unlabelled_bottom_up", PROFILE_Z, "heatmap").passed
    assert not judged("heatmap_unlabelled_bottom_up", PROFILE_Z.iloc[[1, 0, 2, 3]], "heatmap").passed


def test_a_heatmap_labelled_on_one_side_only():
    plt.figure(figsize=(8, 4.5))
    ax = sns.heatmap(PROFILE_Z, cmap="viridis", xticklabels=False)
    view = read_svg(render_svg(ax))
    plt.close("all")
    assert adequacy(view, PROFILE_Z, kind="heatmap").passed


def test_each_heatmap_is_read_through_its_own_colour_bar():
    assert judged("two_heatmaps", PROFILE_Z, "heatmap").passed
    assert not judged("two_heatmaps", PROFILE_Z * 10, "heatmap").passed


# --- scatter -----------------------------------------------------------------------------------

EDGES = np.array([[0.0, 5.0], [10.0, 5.0], [5.0, 0.0], [5.0, 10.0]])


def test_points_on_the_axis_limits_are_shown():
    assert judged("points_on_the_limits", pd.DataFrame(np.r_[EDGES, INSIDE]), "scatter").passed


@pytest.mark.parametrize("case, point", [
    ("point_past_the_left", [-PX, 5.0]), ("point_past_the_right", [10 + PX, 5.0]),
    ("point_past_the_bottom", [5.0, -PY]), ("point_past_the_top", [5.0, 10 + PY]),
])
def test_a_point_one_pixel_past_an_axis_limit_is_hidden(case, point):
    """One pixel past the edge (0.5 px allowed), though within point_tolerance of the data."""
    out = judged(case, pd.DataFrame(np.r_[[point], INSIDE]), "scatter")
    assert rules(out) == {"figures.zoomed"} and out.fraction == 0.5


def test_results_within_the_tolerance_of_the_axis_limits_are_not_hidden():
    # a point 0.1 past the x axis' end (1050): 0.03 px, within point_tolerance (0.5 % of the
    # x range) of the limit
    results = pd.DataFrame(RANGE.copy())
    results.iloc[1, 0] = 1050.1
    fig = _points(results.to_numpy(), xlim=(-50, 1050), ylim=(-0.05, 1.05))
    view = read_svg(render_svg(fig))
    plt.close("all")
    assert adequacy(view, results, kind="scatter").passed


def test_results_left_out_of_the_figure_are_hidden_points():
    """A result that the figure does not draw, beyond one axis limit: the limits hide it."""
    for left_out in ([12.0, 5.0], [-2.0, 5.0], [5.0, 12.0], [5.0, -2.0]):
        out = judged("points_on_the_limits", pd.DataFrame(np.r_[EDGES, INSIDE, [left_out]]), "scatter")
        assert rules(out) == {"figures.zoomed"} and out.fraction == 0.5, left_out


def test_points_are_compared_on_each_coordinate_s_range():
    shown = RANGE
    assert judged("points_wide_range", _shifted(shown, 3.0, 0.003), "scatter").passed  # 0.3 % of each range
    out = judged("points_wide_range", _shifted(shown, 0.0, 0.01), "scatter")  # 1 % of y's range
    assert rules(out) == {"figures.values"}
    # within point_tolerance on both coordinates (0.45 %) passes, beyond it (0.55 %) fails
    assert judged("points_wide_range", _shifted(shown, 4.5, 0.0045), "scatter").passed
    assert rules(judged("points_wide_range", _shifted(shown, 5.5, 0.0055), "scatter")) == {"figures.values"}
    assert judged("points_wide_range", _shifted(shown, 6.0, 0.0), "scatter").passed  # 0.6 % on x alone


def test_points_of_a_small_range_are_compared_on_that_range():
    small = pd.DataFrame(RANGE * [0.0005, 1])  # x from 0 to 0.5
    fig = _points(small.to_numpy(), xlim=(-0.05, 0.55), ylim=(-0.05, 1.05))
    view = read_svg(render_svg(fig))
    plt.close("all")
    assert adequacy(view, small, kind="scatter").passed
    assert rules(adequacy(view, small + [0.005, 0], kind="scatter")) == {"figures.values"}  # 1 % of 0.5


def test_points_sharing_one_coordinate():
    strip = np.c_[np.arange(6.0), np.full(6, 2.0)]
    assert judged("strip", pd.DataFrame(strip), "scatter").passed
    # a constant coordinate is compared on a range of 1: 0.004 off passes, 0.008 fails
    assert judged("strip", _shifted(strip, 0, 0.004), "scatter").passed
    assert rules(judged("strip", _shifted(strip, 0, 0.008), "scatter")) == {"figures.values"}


# --- lines -------------------------------------------------------------------------------------

def test_line_values_within_the_tolerance_pass_and_beyond_it_fail():
    assert judged("trend_within_tolerance", TREND, "line").passed  # 0.12 off, tolerance 0.16
    assert rules(judged("trend_beyond_tolerance", TREND, "line")) == {"figures.values"}  # 0.2 off
    assert rules(judged("trend_just_beyond_tolerance", TREND, "line")) == {"figures.values"}  # 0.16025


def test_a_three_point_line_is_a_line():
    assert judged("three_points", pd.Series([3.0, 5.0, 4.0]), "line").passed


def test_a_flat_line_at_zero_matches_zeros():
    assert judged("flat_at_zero", pd.Series(np.zeros(6)), "line").passed
    assert not judged("flat_at_zero", pd.Series(np.r_[np.zeros(5), 1.0]), "line").passed


def test_a_missing_value_leaves_a_gap_in_the_line():
    with_gap = pd.Series(np.r_[TREND.to_numpy()[:5], np.nan, TREND.to_numpy()[6:]])
    assert judged("trend_with_a_gap", with_gap, "line").passed
    assert not judged("trend_with_a_gap", with_gap * 1.1, "line").passed
