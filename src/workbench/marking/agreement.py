"""Agreement between markers, and each marker's levels against the cohort's (harmonisation).

Computed from every marker's level in the audit store (the moderators' apart), per criterion:

* per pair of markers, on the cells both marked: exact agreement, adjacent agreement (at most
  one level apart) and Cohen's kappa with quadratic weights (``sklearn.metrics.cohen_kappa_score``);
* per criterion marked by more than two markers: Krippendorff's alpha, ordinal
  (the ``krippendorff`` package), over every cell with at least two levels;
* per marker: the number of levels, their mean and distribution, against the mean of all the
  markers' levels on that criterion; flagged beyond ``harmonisation_margin``.
"""

from __future__ import annotations

import warnings
from itertools import combinations

import krippendorff
import numpy as np
import pandas as pd
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import cohen_kappa_score

PAIR_COLUMNS = ["criterion", "marker_a", "marker_b", "n", "exact", "adjacent", "kappa"]
ALPHA_COLUMNS = ["criterion", "markers", "cells", "alpha"]


def _wide(marks: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """criterion -> a table candidate × marker of levels (NaN where the marker did not mark)."""
    return {crit: grp.pivot(index="candidate", columns="marker", values="level").astype(float)
            for crit, grp in marks.groupby("criterion", sort=True)}


def kappa(a: np.ndarray, b: np.ndarray, levels: list[int]) -> float:
    """Quadratic-weighted Cohen's kappa; NaN when it is undefined (both markers gave one same level)."""
    with warnings.catch_warnings():  # 0/0 when there is no variation at all: reported as NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        value = cohen_kappa_score(a, b, labels=levels, weights="quadratic")
    return float(value) if np.isfinite(value) else float("nan")


def pair_agreement(marks: pd.DataFrame, levels: list[int]) -> pd.DataFrame:
    """Per criterion and pair of markers who both marked at least one cell: the agreement figures.

    Parameters
    ----------
    marks : DataFrame
        Columns candidate, criterion, marker, level (:func:`workbench.marking.store.marks`).
    levels : list of int
        The rubric's level values (so that kappa weighs distances on the whole scale).
    """
    rows = []
    for crit, wide in _wide(marks).items():
        for a, b in combinations(sorted(wide.columns), 2):
            both = wide[[a, b]].dropna().to_numpy(int)
            if not len(both):
                continue
            diff = np.abs(both[:, 0] - both[:, 1])
            rows.append((crit, a, b, len(both), float((diff == 0).mean()), float((diff <= 1).mean()),
                         kappa(both[:, 0], both[:, 1], levels)))
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def alpha_per_criterion(marks: pd.DataFrame, levels: list[int]) -> pd.DataFrame:
    """Krippendorff's alpha (ordinal) per criterion marked by more than two markers."""
    rows = []
    for crit, wide in _wide(marks).items():
        pairable = wide[wide.notna().sum(axis=1) >= 2]
        if wide.shape[1] <= 2 or len(pairable) < 2:
            continue
        data = pairable.to_numpy(float).T  # markers × cells, NaN = not marked
        try:
            value = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal",
                                       value_domain=levels)
        except ValueError:  # a single level used throughout: alpha is undefined
            value = float("nan")
        rows.append((crit, wide.shape[1], len(pairable), float(value)))
    return pd.DataFrame(rows, columns=ALPHA_COLUMNS)


def harmonisation(marks: pd.DataFrame, levels: list[int], margin: float) -> pd.DataFrame:
    """Per criterion and marker: n, mean level, distribution, the cohort's mean, the gap, a flag.

    The cohort's mean is that of every marker's levels on the criterion; a marker is flagged
    when the absolute gap exceeds ``margin`` (``grading/marking.yml``, ``harmonisation_margin``).
    """
    columns = ["criterion", "marker", "n", "mean", "cohort_mean", "gap", "flagged", *[f"level_{v}" for v in levels]]
    if marks.empty:
        return pd.DataFrame(columns=columns)
    cohort = marks.groupby("criterion")["level"].mean().rename("cohort_mean")
    stats = marks.groupby(["criterion", "marker"])["level"].agg(n="size", mean="mean").reset_index()
    counts = (pd.crosstab([marks["criterion"], marks["marker"]], marks["level"])
              .reindex(columns=levels, fill_value=0).add_prefix("level_").reset_index())
    out = stats.merge(cohort, on="criterion").merge(counts, on=["criterion", "marker"])
    out["gap"] = out["mean"] - out["cohort_mean"]
    out["flagged"] = out["gap"].abs() > margin
    return out[columns].sort_values(["criterion", "marker"]).reset_index(drop=True)
