"""Figures rendered to SVG as the notebook displays them, read back and judged (no matplotlib
object reaches the rules)."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import seaborn as sns  # noqa: E402

from workbench_candidate.figures import adequacy, clarity, read_svg, render_svg  # noqa: E402
from workbench_candidate.figures._colour import closest_pair  # noqa: E402
from workbench_candidate.outcome import BadAnswer  # noqa: E402

SEGMENTS = ["S1", "S2", "S3", "S4"]
KEY = ["recency_days", "frequency", "monetary", "tenure_months", "basket"]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def make_summary() -> pd.DataFrame:
    return pd.DataFrame({"customers (%)": [41.2, 28.7, 19.6, 10.5], "value (%)": [63.1, 21.4, 11.0, 4.5]},
                        index=pd.Index(SEGMENTS, name="segment"))


def make_profile_z() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(rng.uniform(-1.8, 1.8, size=(4, 5)), index=SEGMENTS, columns=KEY)


def make_projection() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    seg = rng.choice(SEGMENTS, 400)
    centre = {s: (i * 1.5 - 2, (i % 2) * 2 - 1) for i, s in enumerate(SEGMENTS)}
    xy = np.array([centre[s] for s in seg]) + rng.normal(scale=0.6, size=(400, 2))
    return pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "segment": seg})


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    return make_summary()


@pytest.fixture(scope="module")
def profile_z() -> pd.DataFrame:
    return make_profile_z()


@pytest.fixture(scope="module")
def projection() -> pd.DataFrame:
    return make_projection()


def view(fig):
    return read_svg(render_svg(fig))


def rules_of(outcome) -> set[str]:
    return {f.rule for f in outcome.faults}


# --- model answers of notebook 1.3 ---------------------------------------------------------

def fig_sizes(summary, **kw):
    fig, ax = plt.subplots(figsize=(8, 4.5))
    summary.plot.bar(ax=ax, color=kw.get("color", ["#0072B2", "#E69F00"]), rot=0, width=0.75)
    ax.set_title(kw.get("title", "Each segment's share of customers and of value"))
    ax.set_xlabel(kw.get("xlabel", "Segment (S1 = highest value)"))
    ax.set_ylabel("Share of the total (%)")
    ax.legend(title="")
    return fig, ax


def fig_heatmap(profile_z, cmap="RdBu_r", vmin=-2, vmax=2, colourbar=True):
    fig, ax = plt.subplots(figsize=(8, 4.5))
    mesh = ax.pcolormesh(profile_z.to_numpy(), cmap=cmap, vmin=vmin, vmax=vmax)
    ax.set_xticks(np.arange(len(KEY)) + 0.5, labels=KEY, rotation=30, ha="right")
    ax.set_yticks(np.arange(len(profile_z)) + 0.5, labels=profile_z.index)
    ax.invert_yaxis()
    ax.set_title("Segment profiles: how far each segment is from the average customer")
    ax.set_xlabel("Key variable")
    ax.set_ylabel("Segment")
    if colourbar:
        fig.colorbar(mesh, ax=ax, label="Distance to the mean (std. dev.)")
    fig.tight_layout()
    return fig


def fig_map(projection, legend=True):
    fig, ax = plt.subplots(figsize=(7, 5))
    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
    for colour, (segment, points) in zip(palette, projection.groupby("segment")):
        ax.scatter(points["x"], points["y"], s=8, alpha=0.6, color=colour, label=segment)
    ax.set_title("Customers on the first two principal components, by segment")
    ax.set_xlabel("PC1")
    ax.set_ylabel("PC2")
    if legend:
        ax.legend(title="Segment", markerscale=2)
    return fig, ax


def test_model_answers_pass(summary, profile_z, projection):
    sizes = view(fig_sizes(summary)[0])
    assert clarity(sizes).passed and adequacy(sizes, summary, kind="bar").passed
    heat = view(fig_heatmap(profile_z))
    assert clarity(heat).passed, clarity(heat).faults
    assert adequacy(heat, profile_z, kind="heatmap").passed
    scatter = view(fig_map(projection)[0])
    assert clarity(scatter).passed
    assert adequacy(scatter, projection[["x", "y"]], kind="scatter").passed


def test_render_is_deterministic(summary):
    fig = fig_sizes(summary)[0]
    assert render_svg(fig) == render_svg(fig.axes[0])
    assert "<dc:date>" not in render_svg(fig)


# --- alternatives a practitioner would defend -----------------------------------------------

def test_pandas_seaborn_barh_alternatives_pass(summary):
    long = summary.reset_index().melt(id_vars="segment", var_name="measure", value_name="share")
    plt.figure(figsize=(8, 4.5))
    ax = sns.barplot(data=long, x="segment", y="share", hue="measure")
    ax.set(title="Shares per segment", xlabel="Segment", ylabel="Percentage of the total")
    v = view(ax)
    assert clarity(v).passed and adequacy(v, summary, kind="bar").passed
    fig, ax = plt.subplots(figsize=(8, 4.5))
    summary.plot.barh(ax=ax)  # default tab10 colours, horizontal bars
    ax.set(title="Shares per segment", xlabel="Percentage of the total", ylabel="Segment")
    v = view(fig)
    assert clarity(v).passed and adequacy(v, summary, kind="bar").passed
    fig, ax = plt.subplots()
    ax.barh(SEGMENTS, summary["value (%)"])
    ax.set(title="Value share", xlabel="value (%)", ylabel="Segment")
    v = view(fig)
    assert clarity(v).passed and adequacy(v, summary["value (%)"], kind="barh").passed


def test_heatmap_alternatives_pass(profile_z):
    plt.figure(figsize=(8, 4.5))
    ax = sns.heatmap(profile_z, cmap="vlag", center=0, annot=True)
    ax.set(title="Profiles", xlabel="Key variable", ylabel="Segment")
    v = view(ax)
    assert clarity(v).passed and adequacy(v, profile_z, kind="heatmap").passed
    fig, ax = plt.subplots(figsize=(8, 4.5))
    im = ax.imshow(profile_z.to_numpy(), cmap="viridis")
    ax.set_xticks(range(len(KEY)), labels=KEY, rotation=45, ha="right")
    ax.set_yticks(range(4), labels=SEGMENTS)
    fig.colorbar(im, label="z-score")
    ax.set(title="Profiles", xlabel="Key variable", ylabel="Segment")
    v = view(fig)
    assert clarity(v).passed, clarity(v).faults
    assert adequacy(v, profile_z, kind="heatmap").passed


def test_seaborn_scatter_with_hue_passes(projection):
    plt.figure()
    ax = sns.scatterplot(data=projection, x="x", y="y", hue="segment", s=10)
    ax.set(title="Map", xlabel="PC1", ylabel="PC2")
    v = view(ax)
    assert clarity(v).passed and adequacy(v, projection[["x", "y"]], kind="scatter").passed


def test_default_palettes_pass_the_colour_rule():
    for palette in (matplotlib.colormaps["tab10"].colors, sns.color_palette("deep"),
                    sns.color_palette("colorblind")):
        assert closest_pair([tuple(c) for c in palette])[0] >= 1.0
    fig, ax = plt.subplots(figsize=(9, 4))
    for i in range(10):  # the whole default cycle
        ax.plot(np.arange(5), np.arange(5) + i, label=f"series {i}")
    ax.set(title="Ten series", xlabel="step", ylabel="level")
    ax.legend(ncol=2)
    assert "figures.colour_blind" not in rules_of(clarity(view(fig)))


def test_rotated_ticks_that_do_not_overlap_pass():
    values = pd.Series(np.arange(1, 9), index=[f"category name {i}" for i in range(8)])
    for rotation in (30, 45, 90):
        fig, ax = plt.subplots(figsize=(8, 4.5))
        ax.bar(values.index, values.to_numpy())
        ax.tick_params(axis="x", labelrotation=rotation)
        plt.setp(ax.get_xticklabels(), ha="right" if rotation != 90 else "center")
        ax.set(title="t", xlabel="category", ylabel="count")
        assert "figures.tick_overlap" not in rules_of(clarity(view(fig))), rotation
        plt.close(fig)


# --- each clarity rule fails -------------------------------------------------------------

def test_missing_title_label_and_legend_fail(summary, projection):
    out = clarity(view(fig_sizes(summary, title="", xlabel="")[0]))
    assert rules_of(out) == {"figures.title", "figures.axis_label"} and out.fraction == 0.0
    assert "x axis" in out.faults[1].en and "l'axe x" in out.faults[1].fr
    out = clarity(view(fig_map(projection, legend=False)[0]))
    assert rules_of(out) == {"figures.legend"} and out.fraction == 0.5


def test_overlapping_and_tiny_ticks_fail():
    long = pd.Series(np.arange(1, 13), index=[f"a very long category name {i}" for i in range(12)])
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.bar(long.index, long.to_numpy())
    ax.set(title="t", xlabel="category", ylabel="count")
    assert "figures.tick_overlap" in rules_of(clarity(view(fig)))
    ax.tick_params(labelsize=5)
    assert "figures.tick_size" in rules_of(clarity(view(fig)))


def test_pie_3d_and_jet_fail(profile_z):
    fig, ax = plt.subplots()
    ax.pie(np.arange(1, 9))
    ax.set_title("share")
    assert rules_of(clarity(view(fig))) == {"figures.pie"}
    fig = plt.figure()
    ax = fig.add_subplot(projection="3d")
    ax.bar3d([0, 1], [0, 1], [0, 0], 1, 1, [3, 4])
    ax.set(title="t", xlabel="x", ylabel="y")
    assert "figures.three_d" in rules_of(clarity(view(fig)))
    for cmap in ("jet", "turbo", "RdYlGn"):
        assert "figures.colour_map" in rules_of(clarity(view(fig_heatmap(profile_z, cmap=cmap)))), cmap
    for cmap in ("viridis", "cividis", "coolwarm", "PuOr"):
        assert "figures.colour_map" not in rules_of(clarity(view(fig_heatmap(profile_z, cmap=cmap)))), cmap


def test_colours_alike_for_colour_blind_readers_fail(summary):
    out = clarity(view(fig_sizes(summary, color=["#e8000b", "#9f4800"])[0]))  # red/brown, protan
    assert rules_of(out) == {"figures.colour_blind"} and "#e8000b" in out.faults[0].en


def test_no_hidden_unit_rule(summary):
    fig, ax = fig_sizes(summary)
    ax.set_ylabel("Percentage of the total")
    assert clarity(view(fig)).passed


# --- adequacy ----------------------------------------------------------------------------

def test_truncated_bars_fail(summary):
    fig, ax = fig_sizes(summary)
    ax.set_ylim(3, 70)
    out = adequacy(view(fig), summary, kind="bar")
    assert rules_of(out) == {"figures.truncated"} and out.fraction == 0.5


def test_bars_not_matching_the_table_fail(summary):
    out = adequacy(view(fig_sizes(summary * 1.1)[0]), summary, kind="bar")
    assert rules_of(out) == {"figures.values"} and out.fraction == 0.0
    swapped = summary.copy()
    swapped.columns = swapped.columns[::-1]  # series drawn under each other's name
    assert rules_of(adequacy(view(fig_sizes(swapped)[0]), summary, kind="bar")) == {"figures.values"}
    assert "63.1" not in adequacy(view(fig_sizes(swapped)[0]), summary, kind="bar").faults[0].en


def test_saturated_or_unscaled_heatmap_fails(profile_z):
    wide = profile_z * 2  # values up to 3.6 on a -2..2 scale
    assert rules_of(adequacy(view(fig_heatmap(wide)), wide, kind="heatmap")) == {"figures.saturated"}
    out = adequacy(view(fig_heatmap(profile_z, colourbar=False)), profile_z, kind="heatmap")
    assert rules_of(out) == {"figures.saturated"}


def test_wrong_heatmap_values_fail(profile_z):
    shuffled = profile_z.iloc[[1, 0, 3, 2]].set_axis(profile_z.index)
    out = adequacy(view(fig_heatmap(shuffled)), profile_z, kind="heatmap")
    assert rules_of(out) == {"figures.values"}


def test_zoomed_scatter_and_wrong_point_count_fail(projection):
    fig, ax = fig_map(projection)
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    assert "figures.zoomed" in rules_of(adequacy(view(fig), projection[["x", "y"]], kind="scatter"))
    fig, _ = fig_map(projection.iloc[:-10])
    out = adequacy(view(fig), projection[["x", "y"]], kind="scatter")
    assert rules_of(out) == {"figures.values"} and "number of points" in out.faults[0].en


# --- hostile SVG -------------------------------------------------------------------------

LAUGHS = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;">]><svg xmlns="http://www.w3.org/2000/svg">&c;</svg>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')


@pytest.mark.parametrize("text", [
    "x" * (9 * 1024 * 1024),
    LAUGHS,
    EXTERNAL,
    "this is not XML <",
    b"<svg/>",
    '<svg xmlns="http://www.w3.org/2000/svg"><g id="figure_1"/></svg>',
    '<html><body/></html>',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g id="figure_1"><g id="axes_1">'
    '<g id="patch_2"><path d="M 0 0 L nan 1 L 1 1 z" style="fill: #ffffff"/></g></g></g></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g id="figure_1"><g id="axes_1">'
    '<g id="patch_2"><path d="M 0 0 L 1e999 1 L 1 1 z"/></g><g id="text_1"><text x="abc">t</text>'
    '</g></g></g></svg>',
])
def test_hostile_svg_is_a_bad_answer(text):
    with pytest.raises(BadAnswer) as err:
        read_svg(text)
    assert "\n" not in err.value.en and err.value.fr


def test_garbage_inside_a_real_figure_is_a_bad_answer(summary):
    svg = render_svg(fig_sizes(summary)[0])
    for old, new in (('x="106.57284"', 'x="NaN"'), ("rotate(-0 ", "rotate(-0 abc "),
                     ('style="fill: #0072b2"', 'style="fill: #0072b2" transform="skew(3)"')):
        assert old in svg
        with pytest.raises(BadAnswer):
            read_svg(svg.replace(old, new, 1))


def test_configure_is_harmless_outside_ipython():
    from workbench_candidate.figures import SVG_RC, configure

    with matplotlib.rc_context():
        configure()
        assert all(matplotlib.rcParams[k] == v for k, v in SVG_RC.items())


def test_heatmap_read_back_within_a_fifth_of_the_tolerance(profile_z):
    v = view(fig_heatmap(profile_z))
    cb, mesh = v.colourbars[0].colourbar, v.plots[0].meshes[0]
    values = cb.read(mesh.colours.reshape(-1, 3), 0.06).reshape(mesh.colours.shape[:2])
    assert np.abs(values - profile_z.to_numpy()).max() <= 0.006 * 4  # measured 0.6 % of the range


# --- rules that a removal must break (issue #18) ------------------------------------------------

def test_a_suptitle_is_the_title_of_every_chart(summary):
    fig, ax = fig_sizes(summary)
    ax.set_title("")
    assert "figures.title" in rules_of(clarity(view(fig)))
    fig.suptitle("Each segment's share of customers and of value")
    assert clarity(view(fig)).passed


@pytest.mark.parametrize("cmap", ["viridis_r", "cividis_r", "Blues_r", "RdBu", "coolwarm_r", "PuOr_r"])
def test_reversed_colour_maps_are_as_clear_as_the_originals(profile_z, cmap):
    assert "figures.colour_map" not in rules_of(clarity(view(fig_heatmap(profile_z, cmap=cmap))))
    # and the values are read back through the reversed scale
    assert adequacy(view(fig_heatmap(profile_z, cmap=cmap)), profile_z, kind="heatmap").passed


@pytest.mark.parametrize("cmap", ["jet_r", "turbo_r", "RdYlGn_r"])
def test_reversed_rainbows_fail_as_the_originals(profile_z, cmap):
    assert "figures.colour_map" in rules_of(clarity(view(fig_heatmap(profile_z, cmap=cmap))))
