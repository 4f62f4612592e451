"""figures.clarity and figures.adequacy on real matplotlib/seaborn figures."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import seaborn as sns

from workbench.checks import BadInput, CheckFailed, block1
from workbench.checks.figures import min_delta_e


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def bar_figure(values: pd.Series, **style):
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.bar([str(i) for i in values.index], values.to_numpy(), color=style.get("color"))
    ax.set_title(style.get("title", "Mean spend per segment"))
    ax.set_xlabel(style.get("xlabel", "segment"))
    ax.set_ylabel(style.get("ylabel", "mean spend ($)"))
    return fig


def test_clear_bar_chart_passes(profile, capsys):
    fig = bar_figure(profile["monetary"])
    block1.figure_clarity.check(fig)
    assert block1.figure_clarity.grade(fig.axes[0]) == 2.0
    assert "✔ figures.clarity" in capsys.readouterr().out


def test_seaborn_charts_pass(rfm, labels, profile):
    data = rfm.assign(segment=labels.astype(str)).sample(2000, random_state=0)
    ax = sns.scatterplot(data=data, x="frequency", y="monetary", hue="segment", palette="colorblind")
    ax.set(title="Spend vs purchases", xlabel="purchases (count)", ylabel="total spend ($)")
    assert block1.figure_clarity.grade(ax) == 2.0
    plt.figure()
    ax = sns.barplot(x=profile.index.astype(str), y=profile["monetary"], palette="colorblind",
                     hue=profile.index.astype(str), legend=False)
    ax.set(title="Spend", xlabel="segment", ylabel="mean spend ($)")
    assert block1.figure_clarity.grade(ax) == 2.0
    assert block1.figure_adequacy.grade(ax, expected=profile["monetary"]) == 2.0


def test_an_axes_is_judged_alone(profile):
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.bar([str(i) for i in profile.index], profile["monetary"])
    left.set(title="Spend", xlabel="segment", ylabel="mean spend ($)")
    right.bar([str(i) for i in profile.index], profile["frequency"])  # untitled, unlabelled
    assert block1.figure_clarity.grade(left) == 2.0
    assert block1.figure_adequacy.grade(left, expected=profile["monetary"]) == 2.0
    with pytest.raises(CheckFailed, match="title"):
        block1.figure_clarity.check(fig)


@pytest.mark.parametrize("style, words", [
    ({"title": ""}, "no title"),
    ({"xlabel": ""}, "no label"),
])
def test_missing_title_or_label_fails(profile, style, words):
    with pytest.raises(CheckFailed, match=words):
        block1.figure_clarity.check(bar_figure(profile["monetary"], **style))


def test_several_series_need_a_legend(profile):
    fig, ax = plt.subplots()
    for col in ("recency_days", "monetary"):
        ax.plot(np.arange(4), profile[col].to_numpy(), label=col)
    ax.set(title="t", xlabel="segment", ylabel="value")
    with pytest.raises(CheckFailed, match="legend"):
        block1.figure_clarity.check(fig)
    ax.legend()
    block1.figure_clarity.check(fig)


def test_overlapping_or_tiny_ticks_fail():
    long = pd.Series(np.arange(1, 13), index=[f"a very long category name {i}" for i in range(12)])
    with pytest.raises(CheckFailed, match="overlap"):
        block1.figure_clarity.check(bar_figure(long))
    fig = bar_figure(pd.Series([1, 2, 3]))
    fig.axes[0].tick_params(labelsize=5)
    with pytest.raises(CheckFailed, match="too small"):
        block1.figure_clarity.check(fig)


def test_line_across_categories_fails(profile):
    fig, ax = plt.subplots()
    ax.plot([f"segment {i}" for i in profile.index], profile["monetary"])
    ax.set(title="Spend", xlabel="segment", ylabel="mean spend ($)")
    with pytest.raises(CheckFailed, match="bars"):
        block1.figure_clarity.check(fig)


def test_pie_with_many_slices_and_3d_fail():
    fig, ax = plt.subplots()
    ax.pie(np.arange(1, 9))
    ax.set_title("share")
    with pytest.raises(CheckFailed, match="pie"):
        block1.figure_clarity.check(fig)
    fig = plt.figure()
    ax = fig.add_subplot(projection="3d")
    ax.bar3d([0, 1], [0, 1], [0, 0], 1, 1, [3, 4])
    ax.set(title="t", xlabel="x", ylabel="y")
    with pytest.raises(CheckFailed, match="3-D"):
        block1.figure_clarity.check(fig)


def test_units_and_colour_blindness_are_hidden_requirements(profile):
    fig = bar_figure(profile["monetary"], ylabel="mean spend")
    block1.figure_clarity.check(fig)
    with pytest.raises(CheckFailed, match="unit"):
        block1.figure_clarity.grade(fig)
    fig = bar_figure(profile["monetary"].iloc[:2], color=["#d62728", "#2ca02c"])  # red vs green
    block1.figure_clarity.check(fig)
    with pytest.raises(CheckFailed, match="colour-blind"):
        block1.figure_clarity.grade(fig)


def test_delta_e_separates_safe_and_unsafe_palettes():
    assert min_delta_e(sns.color_palette("colorblind", 4)) >= 10
    assert min_delta_e([(0.84, 0.15, 0.16), (0.17, 0.63, 0.17)]) < 10


@pytest.mark.parametrize("bad, words", [
    ("figure", "Figure or Axes"),
    (plt.figure, "no axes"),
    (lambda: plt.subplots()[0], "nothing is plotted"),
])
def test_bad_figures_are_clean_messages(bad, words):
    obj = bad() if callable(bad) else bad
    with pytest.raises(BadInput, match=words):
        block1.figure_clarity.check(obj)
    with pytest.raises(BadInput, match=words):
        block1.figure_adequacy.check(obj, expected=[1, 2])


# --- adequacy ---------------------------------------------------------------------------------

def test_bars_match_results_in_any_order(profile):
    fig = bar_figure(profile["monetary"].sort_values())
    block1.figure_adequacy.check(fig, expected=profile["monetary"])
    assert block1.figure_adequacy.grade(fig, expected=profile["monetary"]) == 2.0
    horiz, ax = plt.subplots()
    ax.barh([str(i) for i in profile.index], profile["frequency"])
    assert block1.figure_adequacy.grade(horiz, expected=profile["frequency"], kind="barh") == 2.0


def test_bars_not_matching_results_fail(profile):
    fig = bar_figure(profile["monetary"])
    with pytest.raises(CheckFailed, match="bar heights") as err:
        block1.figure_adequacy.check(fig, expected=profile["monetary"] * 1.1)
    assert f"{profile['monetary'].iloc[0]:.2f}" not in str(err.value)
    with pytest.raises(CheckFailed):
        block1.figure_adequacy.check(bar_figure(profile["monetary"].iloc[:3]), expected=profile["monetary"])


def test_bars_under_the_wrong_category_fail_hidden_part(profile):
    values = profile["monetary"]
    swapped = pd.Series(values.to_numpy()[::-1], index=values.index)
    fig = bar_figure(swapped)
    block1.figure_adequacy.check(fig, expected=values)
    with pytest.raises(CheckFailed, match="category"):
        block1.figure_adequacy.grade(fig, expected=values)


def test_scatter_points_match(rfm):
    pts = rfm[["frequency", "monetary"]].iloc[:500]
    fig, ax = plt.subplots()
    ax.scatter(pts["frequency"], pts["monetary"])
    assert block1.figure_adequacy.grade(fig, expected=pts.iloc[::-1]) == 2.0
    with pytest.raises(CheckFailed, match="points"):
        block1.figure_adequacy.check(fig, expected=pts.assign(monetary=pts["monetary"] + 5))


def test_heatmap_cells_match(profile):
    cells = profile[["recency_days", "frequency", "monetary"]]
    ax = sns.heatmap(cells)
    assert block1.figure_adequacy.grade(ax, expected=cells) == 2.0
    plt.figure()
    ax = plt.imshow(cells.to_numpy()).axes
    assert block1.figure_adequacy.grade(ax, expected=cells) == 2.0
    with pytest.raises(CheckFailed, match="heatmap"):
        block1.figure_adequacy.check(ax, expected=cells * 2)


def test_line_matches(profile):
    fig, ax = plt.subplots()
    ax.plot(profile.index, profile["monetary"])
    assert block1.figure_adequacy.grade(fig, expected=profile["monetary"]) == 2.0
    with pytest.raises(CheckFailed, match="line"):
        block1.figure_adequacy.check(fig, expected=profile["frequency"])


def test_adequacy_bad_inputs(profile):
    fig = bar_figure(profile["monetary"])
    with pytest.raises(BadInput, match="kind"):
        block1.figure_adequacy.check(fig, expected=profile["monetary"], kind="pie")
    with pytest.raises(BadInput, match="computed results"):
        block1.figure_adequacy.check(fig, expected="monetary")


def test_rainbow_colour_maps_fail_hidden_part(profile, rfm):
    cells = profile[["recency_days", "frequency", "monetary"]]
    ax = sns.heatmap(cells, cmap="jet")
    ax.set(title="Profiles", xlabel="variable", ylabel="segment")
    block1.figure_clarity.check(ax)
    with pytest.raises(CheckFailed, match="colour map"):
        block1.figure_clarity.grade(ax)
    fig, ax = plt.subplots()
    ax.scatter(rfm["frequency"], rfm["monetary"], c=rfm["recency_days"], cmap="viridis")
    ax.set(title="Spend vs purchases", xlabel="purchases (count)", ylabel="spend ($)")
    assert block1.figure_clarity.grade(fig) == 2.0  # 23,570 colours: judged by the colour map


def test_grouped_bars_are_matched_series_by_series(profile):
    table = pd.DataFrame({"customers (%)": profile["share"] * 100,
                          "value (%)": profile["monetary"] * profile["size"] / (profile["monetary"] * profile["size"]).sum() * 100})
    table.index = [f"S{i + 1}" for i in range(len(table))]
    ax = table.plot.bar(title="Share of customers and of value", xlabel="segment", ylabel="share (%)")
    assert block1.figure_adequacy.grade(ax, expected=table, kind="bar") == 2.0
    assert block1.figure_clarity.grade(ax) == 2.0  # pandas puts categories on a numeric axis
    swapped = table.assign(**{"customers (%)": table["customers (%)"].to_numpy()[::-1]})
    plt.figure()
    ax = swapped.plot.bar(title="t", xlabel="segment", ylabel="share (%)")
    block1.figure_adequacy.check(ax, expected=table, kind="bar")
    with pytest.raises(CheckFailed, match="customers"):
        block1.figure_adequacy.grade(ax, expected=table, kind="bar")
