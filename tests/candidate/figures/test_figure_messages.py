"""What a candidate reads from the figure rules (B1.3.a clarity, B1.3.b adequacy), recorded (syrupy).

One figure per fault, plus the model figures: the fraction and every message in both languages
stay as reviewed in ``__snapshots__/`` (``pytest --snapshot-update`` after a deliberate change),
and every message keeps to plain words (issue #16). Figures are rendered once per process (the
SVG text is cached), so a mutation run's forked test processes reuse them.
"""

from __future__ import annotations


import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from tests.candidate.figures.cases import svg_of  # noqa: E402
from tests.candidate.figures.test_svg_rules import (SEGMENTS, fig_heatmap, fig_map, fig_sizes,  # noqa: E402
                                                    make_profile_z, make_projection, make_summary)
from tests.candidate.figures.test_clarity_boundaries import _heat  # noqa: E402
from tests.candidate.rules.recorded import assert_plain_words, record  # noqa: E402
from workbench_candidate.figures import adequacy, clarity, read_svg  # noqa: E402

SUMMARY, PROFILE_Z, PROJECTION = make_summary(), make_profile_z(), make_projection()


def _sizes(**kw):
    return fig_sizes(SUMMARY, **kw)[0]


def _sizes_then(change):
    fig, ax = fig_sizes(SUMMARY)
    change(fig, ax)
    return fig


def _map_then(change, data=None):
    fig, ax = fig_map(PROJECTION if data is None else data)
    change(fig, ax)
    return fig


def _long_ticks(labelsize=None):
    long = pd.Series(np.arange(1, 13), index=[f"a very long category name {i}" for i in range(12)])
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.bar(long.index, long.to_numpy())
    ax.set(title="t", xlabel="category", ylabel="count")
    if labelsize:
        ax.tick_params(labelsize=labelsize)
    return fig


def _pie():
    fig, ax = plt.subplots()
    ax.pie(np.arange(1, 9))
    ax.set_title("share")
    return fig


def _bars_3d():
    fig = plt.figure()
    ax = fig.add_subplot(projection="3d")
    ax.bar3d([0, 1], [0, 1], [0, 0], 1, 1, [3, 4])
    ax.set(title="t", xlabel="x", ylabel="y")
    return fig


def _no_labels():
    fig, ax = plt.subplots()
    ax.bar(SEGMENTS, SUMMARY["value (%)"])
    ax.set_title("Value by segment")
    return fig


def _line_over_categories():
    fig, ax = plt.subplots()
    ax.plot(SEGMENTS, SUMMARY["value (%)"], marker="o")
    ax.set(title="Value by segment", xlabel="Segment", ylabel="Share of value (%)")
    return fig


def _two_plots_second_untitled():
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 4))
    for ax in (a, b):
        ax.bar(SEGMENTS, SUMMARY["value (%)"])
        ax.set(xlabel="Segment", ylabel="Share of value (%)")
    a.set_title("Value by segment")
    return fig


def _suptitle_only():
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 4))
    for ax, col in zip((a, b), SUMMARY.columns):
        ax.bar(SEGMENTS, SUMMARY[col])
        ax.set(xlabel="Segment", ylabel=col)
    fig.suptitle("Customers and value by segment")
    return fig


def _barh():
    fig, ax = plt.subplots(figsize=(8, 4.5))
    SUMMARY.plot.barh(ax=ax, color=["#0072B2", "#E69F00"], width=0.75)
    ax.set(title="Each segment's share of customers and of value", xlabel="Share of the total (%)",
           ylabel="Segment")
    return fig


def _trend():
    fig, ax = plt.subplots()
    ax.plot(np.arange(1, 13), np.linspace(10, 32, 12), marker="o", label="orders")
    ax.set(title="Orders per month", xlabel="Month", ylabel="Orders")
    return fig


def _negative_bars(log=False):
    fig, ax = plt.subplots()
    values = pd.Series([-12.0, -5.5, 3.0, 8.5], index=SEGMENTS) if not log else SUMMARY["value (%)"]
    ax.bar(values.index, values.to_numpy())
    if log:
        ax.set_yscale("log")
    ax.set(title="Change of value by segment", xlabel="Segment", ylabel="Change (%)")
    return fig


def _two_trends():
    fig, ax = plt.subplots()
    months = np.arange(1, 13)
    ax.plot(months, np.linspace(10, 32, 12), marker="o", label="orders")
    ax.plot(months, np.linspace(5, 12, 12), marker="s", label="returns")
    ax.set(title="Orders and returns per month", xlabel="Month", ylabel="Count")
    ax.legend()
    return fig


def _bars_reversed():
    fig, ax = plt.subplots()
    ax.bar(SEGMENTS, SUMMARY["value (%)"].to_numpy()[::-1])
    ax.set(title="Value by segment", xlabel="Segment", ylabel="Share of value (%)")
    return fig


FIGURES = {
    "model_sizes": lambda: _sizes(),
    "model_heatmap": lambda: fig_heatmap(PROFILE_Z),
    "model_map": lambda: fig_map(PROJECTION)[0],
    "model_trend": _trend,
    "model_barh": _barh,
    "no_title_no_x_label": lambda: _sizes(title="", xlabel=""),
    "no_axis_label": _no_labels,
    "map_without_legend": lambda: fig_map(PROJECTION, legend=False)[0],
    "overlapping_ticks": lambda: _long_ticks(),
    "tiny_ticks": lambda: _long_ticks(labelsize=5),
    "pie_of_eight": _pie,
    "bars_in_3d": _bars_3d,
    "jet_heatmap": lambda: fig_heatmap(PROFILE_Z, cmap="jet"),
    "reversed_rainbow_heatmap": lambda: fig_heatmap(PROFILE_Z, cmap="turbo_r"),
    "red_green_heatmap": lambda: fig_heatmap(PROFILE_Z, cmap="RdYlGn"),
    # seaborn's center=0 over lopsided values: the turn of the scale stands at a fifth of the bar
    "red_green_heatmap_centred_at_a_fifth": lambda: _heat("RdYlGn", -4, 1),
    "red_green_heatmap_centred_at_four_fifths": lambda: _heat("RdYlGn", -1, 4),
    "red_and_brown": lambda: _sizes(color=["#e8000b", "#9f4800"]),
    "line_over_categories": _line_over_categories,
    "second_plot_untitled": _two_plots_second_untitled,
    "suptitle_only": _suptitle_only,
    "truncated_bars": lambda: _sizes_then(lambda f, ax: ax.set_ylim(3, 70)),
    "bars_without_value_scale": lambda: _sizes_then(lambda f, ax: ax.set_yticks([])),
    "bars_off_by_a_tenth": lambda: fig_sizes(SUMMARY * 1.1)[0],
    "series_swapped": lambda: fig_sizes(SUMMARY.set_axis(SUMMARY.columns[::-1], axis=1))[0],
    "heatmap_saturated": lambda: fig_heatmap(PROFILE_Z * 2),
    "heatmap_without_colour_bar": lambda: fig_heatmap(PROFILE_Z, colourbar=False),
    "heatmap_rows_swapped": lambda: fig_heatmap(PROFILE_Z.iloc[[1, 0, 3, 2]].set_axis(PROFILE_Z.index)),
    "map_zoomed": lambda: _map_then(lambda f, ax: (ax.set_xlim(-1, 1), ax.set_ylim(-1, 1))),
    "map_points_missing": lambda: fig_map(PROJECTION.iloc[:-10])[0],
    "empty": lambda: plt.subplots()[0],
    "negative_bars": lambda: _negative_bars(),
    "bars_on_a_log_scale": lambda: _negative_bars(log=True),
    "two_trends": _two_trends,
    "map_without_scales": lambda: _map_then(lambda f, ax: (ax.set_xticks([]), ax.set_yticks([]))),
    "bars_over_the_wrong_category": _bars_reversed,
}


svg = svg_of(FIGURES)


@pytest.mark.parametrize("case", sorted(FIGURES))
def test_clarity_messages(case, snapshot):
    recorded = record(lambda: clarity(read_svg(svg(case))))
    assert recorded == snapshot
    assert_plain_words(recorded)


ADEQUACY = {
    "model_sizes": (SUMMARY, "bar"), "model_heatmap": (PROFILE_Z, "heatmap"),
    "model_map": (PROJECTION[["x", "y"]], "scatter"), "model_trend": (pd.Series(np.linspace(10, 32, 12)), "line"),
    "trend_of_other_values": (pd.Series(np.linspace(10, 40, 12)), "line", "model_trend"),
    "truncated_bars": (SUMMARY, "bar"), "bars_without_value_scale": (SUMMARY, "bar"),
    "bars_off_by_a_tenth": (SUMMARY, "bar"), "series_swapped": (SUMMARY, "bar"),
    "bars_read_as_horizontal": (SUMMARY, "barh", "model_sizes"),
    "model_barh": (SUMMARY, "barh"), "horizontal_bars_of_other_values": (SUMMARY * 1.2, "barh", "model_barh"),
    "bars_for_a_heatmap": (PROFILE_Z, "heatmap", "model_sizes"),
    "bars_for_a_scatter": (PROJECTION[["x", "y"]], "scatter", "model_sizes"),
    "map_for_a_line": (pd.Series(np.arange(4.0)), "line", "model_map"),
    "heatmap_saturated": (PROFILE_Z * 2, "heatmap"), "heatmap_without_colour_bar": (PROFILE_Z, "heatmap"),
    "heatmap_rows_swapped": (PROFILE_Z, "heatmap"), "map_zoomed": (PROJECTION[["x", "y"]], "scatter"),
    "map_points_missing": (PROJECTION[["x", "y"]], "scatter"),
    "unknown_kind": (SUMMARY, "pie", "model_sizes"), "expected_a_dict": ({"a": 1}, "bar", "model_sizes"),
    "expected_texts": (pd.Series(["a", "b"]), "bar", "model_sizes"), "empty": (SUMMARY, "bar"),
    "negative_bars": (pd.Series([-12.0, -5.5, 3.0, 8.5], index=SEGMENTS), "bar"),
    "bars_on_a_log_scale": (SUMMARY["value (%)"], "bar"),
    "two_trends": (pd.DataFrame({"orders": np.linspace(10, 32, 12), "returns": np.linspace(5, 12, 12)}), "line"),
    "two_trends_one_wrong": (pd.DataFrame({"orders": np.linspace(10, 32, 12), "returns": np.linspace(5, 20, 12)}),
                             "line", "two_trends"),
    "map_without_scales": (PROJECTION[["x", "y"]], "scatter"),
    "scatter_expected_one_column": (PROJECTION[["x"]], "scatter", "model_map"),
    "scatter_expected_a_series": (PROJECTION["x"], "scatter", "model_map"),
    "trend_for_bars": (SUMMARY["value (%)"], "bar", "model_trend"),
    "bars_over_the_wrong_category": (SUMMARY["value (%)"], "bar"),
    "heatmap_expected_a_series": (PROFILE_Z.iloc[0], "heatmap", "model_heatmap"),
    "map_of_other_values": (PROJECTION[["x", "y"]] + 0.2, "scatter", "model_map"),
}


@pytest.mark.parametrize("case", sorted(ADEQUACY))
def test_adequacy_messages(case, snapshot):
    expected, kind, *figure = ADEQUACY[case]
    recorded = record(lambda: adequacy(read_svg(svg(figure[0] if figure else case)), expected, kind=kind))
    assert recorded == snapshot
    assert_plain_words(recorded)


@pytest.mark.parametrize("check", ["clarity", "adequacy"])
def test_a_figure_not_read_from_its_svg(check, snapshot):
    """A candidate who calls a rule on the matplotlib figure itself (not its SVG) is told so."""
    fig = _sizes()
    try:
        recorded = record(lambda: clarity(fig) if check == "clarity" else adequacy(fig, SUMMARY, kind="bar"))
    finally:
        plt.close(fig)
    assert "bad_answer" in recorded and recorded == snapshot
    assert_plain_words(recorded)


def test_the_cases_cover_every_figure_rule():
    """Every rule id of the module docstring is reached by a recorded case."""
    import re

    from workbench_candidate.figures import rules

    seen = set()
    for case in FIGURES:
        seen |= {f["rule"] for f in record(lambda: clarity(read_svg(svg(case)))).get("faults", [])}
    for case, (expected, kind, *figure) in ADEQUACY.items():
        seen |= {f["rule"] for f in record(lambda: adequacy(read_svg(svg(figure[0] if figure else case)),
                                                            expected, kind=kind)).get("faults", [])}
    announced = set(re.findall(r"``(figures\.[a-z_]+)``", rules.__doc__))
    assert len(announced) == 16 and announced <= seen, announced - seen


# --- rules.yml, parsed directly (config() is read once per process and cached) -------------------

def _rules_yml() -> dict:
    import yaml
    from importlib import resources

    return yaml.safe_load(resources.files("workbench_candidate.figures").joinpath("rules.yml").read_text("utf-8"))


def test_parsed_rules_are_the_file():
    from workbench_candidate.figures.rules import parse_config

    assert parse_config(_rules_yml()) == _rules_yml()


@pytest.mark.parametrize("section, key, value, ok", [
    ("clarity", "max_pie_slices", 0, False), ("clarity", "min_font_pt", -8.0, False),
    ("adequacy", "bar_tolerance", True, False), ("adequacy", "bar_tolerance", "0.005", False),
    ("clarity", "max_pie_slices", 1, True), ("adequacy", "bar_tolerance", 1e-6, True),
    ("scoring", "default_weight", 0, False), ("scoring", "default_weight", 1.01, False),
    ("scoring", "default_weight", 1, True), ("weights", "figures.values", 1.5, False),
    ("weights", "figures.values", 0.0, False), ("weights", "figures.kind", 1.0, True),
])
def test_each_threshold_and_weight_is_checked(section, key, value, ok):
    from workbench_candidate.figures.rules import parse_config

    raw = _rules_yml()
    (raw["scoring"]["weights"] if section == "weights" else raw[section])[key] = value
    if ok:
        assert parse_config(raw) is raw
    else:
        with pytest.raises(ValueError, match="^rules.yml: "):
            parse_config(raw)
