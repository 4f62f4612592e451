"""Plots of the jury report, as base64 PNG so the HTML stands alone.

Byte-identical output for identical inputs: the Agg backend, a fixed font and
style, no jitter (no randomness), and no 'Software' or date in the PNG metadata.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # never a window, whatever MPLBACKEND says

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

RC = {"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "workbench", "figure.dpi": 100,
      "path.simplify": False}
COLOURS = {"validated": "#1b7837", "not_validated": "#c51b7d", "not_evaluated": "#bababa"}


def to_base64(fig: plt.Figure) -> str:
    """The figure as a PNG data URI, with fixed metadata; the figure is closed."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None}, bbox_inches="tight", pad_inches=0.1)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def score_histograms(scores: np.ndarray, criteria: list[str], thresholds: list[float], *,
                     titles: list[str], xlabel: str, ylabel: str) -> str:
    """One histogram per criterion (evaluated candidates only), its threshold as a dashed line."""
    n = len(criteria)
    cols = 3
    rows = max(1, -(-n // cols))
    with plt.rc_context(RC), sns.axes_style("whitegrid"):
        fig, axes = plt.subplots(rows, cols, figsize=(9, 2.4 * rows), squeeze=False, sharex=True)
        bins = np.linspace(0, 1, 13)
        for ax, j in zip(axes.flat, range(n)):
            values = scores[:, j][~np.isnan(scores[:, j])]
            ax.hist(values, bins=bins, color="#4575b4", edgecolor="white")
            ax.axvline(thresholds[j], color="#d73027", linestyle="--", linewidth=1.2)
            ax.set_title(titles[j], fontsize=8)
            ax.set_xlim(0, 1)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        for ax in axes.flat[n:]:
            ax.set_visible(False)
        for ax in axes[-1]:
            ax.set_xlabel(xlabel)
        for ax in axes[:, 0]:
            ax.set_ylabel(ylabel)
        fig.tight_layout()
        return to_base64(fig)


def state_bars(counts: dict[str, dict[str, int]], labels: dict[str, str], *, xlabel: str) -> str:
    """Horizontal stacked bars: per item (block or criterion), candidates in each state."""
    items = list(counts)
    with plt.rc_context(RC), sns.axes_style("whitegrid"):
        fig, ax = plt.subplots(figsize=(9, 0.3 * len(items) + 1.2))
        left = np.zeros(len(items))
        for state in ("validated", "not_validated", "not_evaluated"):
            vals = np.array([counts[i][state] for i in items], dtype=float)
            ax.barh(items, vals, left=left, color=COLOURS[state], label=labels[state])
            left += vals
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(xlabel)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 if len(items) < 8 else -0.08), ncol=3,
                  frameon=False)
        fig.tight_layout()
        return to_base64(fig)
