"""Plots of the analysis report (markers' harmonisation, agreement, item analysis), as base64 PNG.

Same conventions as :mod:`workbench.reports.plots`: Agg backend, fixed style, no metadata.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from workbench.reports.plots import RC, to_base64

KIND_COLOURS = {"autograde": "#4575b4", "rubric": "#d73027", "criterion": "#1a9850"}
LEVEL_COLOURS = ["#d7191c", "#fdae61", "#a6d96a", "#1a9641"]


def harmonisation_plot(harm: pd.DataFrame, levels: list[int], level_names: list[str], margin: float, *,
                       mean_label: str, cohort_label: str, share_label: str) -> str:
    """Per criterion: each marker's mean level (dot) against the cohort's (line, ± margin band),
    and beside it each marker's distribution of levels (stacked shares)."""
    criteria = sorted(harm["criterion"].unique())
    with plt.rc_context(RC), sns.axes_style("whitegrid"):
        height = 1.1 + 1.0 * len(criteria) * max(1, harm["marker"].nunique() / 3)
        fig, axes = plt.subplots(len(criteria), 2, figsize=(9, height), squeeze=False,
                                 gridspec_kw={"width_ratios": [1, 1.3]})
        for (ax_mean, ax_dist), crit in zip(axes, criteria):
            rows = harm[harm["criterion"] == crit].sort_values("marker")
            y = np.arange(len(rows))
            cohort = float(rows["cohort_mean"].iloc[0])
            ax_mean.axvspan(cohort - margin, cohort + margin, color="#dddddd", zorder=0)
            ax_mean.axvline(cohort, color="#555555", linewidth=1, label=cohort_label)
            colours = np.where(rows["flagged"], "#c51b7d", "#4575b4")
            ax_mean.scatter(rows["mean"], y, c=colours, zorder=3)
            ax_mean.set_yticks(y, rows["marker"])
            ax_mean.set_xlim(min(levels) - 0.2, max(levels) + 0.2)
            ax_mean.set_title(f"{crit} — {mean_label}", fontsize=8)
            counts = rows[[f"level_{v}" for v in levels]].to_numpy(float)
            shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
            left = np.zeros(len(rows))
            for j, name in enumerate(level_names):
                ax_dist.barh(y, shares[:, j], left=left, color=LEVEL_COLOURS[j % len(LEVEL_COLOURS)], label=name)
                left += shares[:, j]
            ax_dist.set_yticks(y, rows["marker"])
            ax_dist.set_xlim(0, 1)
            ax_dist.set_title(f"{crit} — {share_label}", fontsize=8)
        axes[0, 1].legend(loc="lower center", bbox_to_anchor=(0.5, 1.25), ncol=len(levels), frameon=False, fontsize=7)
        fig.tight_layout()
        return to_base64(fig)


def agreement_plot(pairs: pd.DataFrame, *, label: str) -> str:
    """Quadratic-weighted kappa per criterion and pair of markers (horizontal bars)."""
    names = [f"{r.criterion} {r.marker_a}/{r.marker_b}" for r in pairs.itertuples()]
    values = pairs["kappa"].to_numpy(float)
    with plt.rc_context(RC), sns.axes_style("whitegrid"):
        fig, ax = plt.subplots(figsize=(9, 0.25 * len(names) + 1.0))
        ax.barh(names, np.nan_to_num(values), color=np.where(values < 0.6, "#fdae61", "#4575b4"))
        ax.set_xlim(min(0.0, float(np.nanmin(values)) if np.isfinite(values).any() else 0.0), 1)
        ax.invert_yaxis()
        ax.set_xlabel(label)
        fig.tight_layout()
        return to_base64(fig)


def item_plot(items: pd.DataFrame, *, too_easy: float, too_hard: float, min_disc: float, xlabel: str,
              ylabel: str, kind_labels: dict[str, str]) -> str:
    """Difficulty (x) against discrimination (y) of every item, thresholds as dashed lines."""
    with plt.rc_context(RC), sns.axes_style("whitegrid"):
        fig, ax = plt.subplots(figsize=(9, 5))
        for kind, colour in KIND_COLOURS.items():
            sub = items[items["kind"] == kind]
            if len(sub):
                ax.scatter(sub["difficulty"], np.nan_to_num(sub["discrimination"]), color=colour,
                           label=kind_labels[kind], s=28, zorder=3)
        for r in items.itertuples():
            ax.annotate(r.item.split("/")[-1], (r.difficulty, 0.0 if r.discrimination != r.discrimination
                                                else r.discrimination), fontsize=6, xytext=(3, 2),
                        textcoords="offset points")
        for x in (too_hard, too_easy):
            ax.axvline(x, color="#d73027", linestyle="--", linewidth=1)
        ax.axhline(min_disc, color="#d73027", linestyle="--", linewidth=1)
        ax.set_xlim(-0.02, 1.02)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(loc="lower left", frameon=False)
        fig.tight_layout()
        return to_base64(fig)
