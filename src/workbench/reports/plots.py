"""Plots of the jury report, as base64 PNG so the HTML stands alone.

Byte-identical output for identical inputs: the Agg backend, a fixed font and
style, no jitter (no randomness), and no 'Software' or date in the PNG metadata.
"""

from __future__ import annotations

import base64
import io
import textwrap

import matplotlib

matplotlib.use("Agg")  # never a window, whatever MPLBACKEND says

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

RC = {"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "workbench", "figure.dpi": 100,
      "path.simplify": False}
COLOURS = {"validated": "#1b7837", "not_validated": "#c51b7d", "not_evaluated": "#bababa"}
# threshold line and its label: 5.6:1 on white, readable as text (WCAG AA asks 4.5:1)
THRESHOLD = "#b2182b"


def to_base64(fig: plt.Figure) -> str:
    """The figure as a PNG data URI, with fixed metadata; the figure is closed."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None}, bbox_inches="tight", pad_inches=0.1)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def score_histograms(scores: np.ndarray, criteria: list[str], thresholds: list[float], *,
                     titles: list[str], xlabel: str, ylabel: str, threshold_label: str, suptitle: str) -> str:
    """One histogram per criterion (evaluated candidates only), its threshold a labelled dashed line.

    Titles are wrapped, never cut: the criterion's official wording is the point of the plot.
    """
    n = len(criteria)
    cols = 3
    rows = max(1, -(-n // cols))
    with plt.rc_context(RC), sns.axes_style("whitegrid"):
        fig, axes = plt.subplots(rows, cols, figsize=(9, 2.9 * rows + 0.5), squeeze=False, sharex=True)
        bins = np.linspace(0, 1, 13)
        for ax, j in zip(axes.flat, range(n)):
            values = scores[:, j][~np.isnan(scores[:, j])]
            ax.hist(values, bins=bins, color="#4575b4", edgecolor="white")
            ax.axvline(thresholds[j], color=THRESHOLD, linestyle="--", linewidth=1.2)
            ax.text(thresholds[j], 1.0, f" {threshold_label} {thresholds[j]:.2f}", color=THRESHOLD, fontsize=7.5,
                    transform=ax.get_xaxis_transform(), ha="right" if thresholds[j] > 0.6 else "left", va="top",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
            ax.margins(y=0.18)  # room for the label above the bars
            ax.set_title(textwrap.fill(titles[j], 34), fontsize=8)
            ax.set_xlim(0, 1)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        for ax in axes.flat[n:]:
            ax.set_visible(False)
        for ax in axes[-1]:
            ax.set_xlabel(xlabel)
        for ax in axes[:, 0]:
            ax.set_ylabel(ylabel)
        fig.suptitle(suptitle, fontsize=10, fontweight="bold")
        fig.tight_layout()
        return to_base64(fig)


def state_bars(counts: dict[str, dict[str, int]], labels: dict[str, str], *, xlabel: str, title: str) -> str:
    """Horizontal stacked bars: per item (block or criterion), candidates in each state."""
    items = list(counts)
    with plt.rc_context(RC), sns.axes_style("whitegrid"):
        fig, ax = plt.subplots(figsize=(9, 0.3 * len(items) + 1.6))
        left = np.zeros(len(items))
        for state in ("validated", "not_validated", "not_evaluated"):
            vals = np.array([counts[i][state] for i in items], dtype=float)
            ax.barh(items, vals, left=left, color=COLOURS[state], label=labels[state])
            left += vals
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(xlabel)
        ax.set_title(title, fontsize=10, fontweight="bold")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 if len(items) < 8 else -0.08), ncol=3,
                  frameon=False)
        fig.tight_layout()
        return to_base64(fig)
