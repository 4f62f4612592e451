"""Agreement, harmonisation and item-analysis figures against values computed by hand.

Each expected value is worked out in the comment above it, from the textbook formula, not
from the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import pointbiserialr

from workbench.marking.agreement import alpha_per_criterion, harmonisation, pair_agreement
from workbench.marking.items import corrected_item_total, cronbach_alpha

LEVELS = [0, 1, 2, 3]


def long(criterion: str, by_marker: dict[str, list]) -> pd.DataFrame:
    rows = [(f"c{i}", criterion, m, v) for m, values in by_marker.items() for i, v in enumerate(values) if v is not None]
    return pd.DataFrame(rows, columns=["candidate", "criterion", "marker", "level"])


def test_pair_agreement_exact_adjacent_and_quadratic_kappa():
    marks = long("B1.1.b", {"a": [0, 1, 2, 3], "b": [0, 2, 2, 3], "c": [2, 1, 0, 3]})
    got = pair_agreement(marks, LEVELS).set_index(["marker_a", "marker_b"])
    # a/b: one pair one level apart. Weights (i-j)^2/9. Observed disagreement (1/9)/4 = 1/36.
    # Expected: marginals a = 1/4 each, b = (1/4, 0, 1/2, 1/4); Σ_i (i-j)^2 = 14, 6, 6, 14 for j = 0..3,
    # so 1/4 · (14/4 + 6/2 + 14/4) / 9 = 10/36; kappa = 1 - (1/36)/(10/36) = 0.9.
    assert got.loc[("a", "b"), ["n", "exact", "adjacent"]].tolist() == [4, 0.75, 1.0]
    assert got.loc[("a", "b"), "kappa"] == pytest.approx(0.9)
    # a/c: differences 2, 0, 2, 0. Observed (4/9 + 4/9)/4 = 8/36; expected 1/4 · (14+6+6+14)/4 / 9 = 10/36;
    # kappa = 1 - 8/10 = 0.2.
    assert got.loc[("a", "c"), ["exact", "adjacent"]].tolist() == [0.5, 0.5]
    assert got.loc[("a", "c"), "kappa"] == pytest.approx(0.2)


def test_kappa_is_not_a_number_when_undefined_and_pairs_need_shared_cells():
    marks = long("B1.2.a", {"a": [2, 2, None], "b": [2, 2, None], "c": [None, None, 1]})
    got = pair_agreement(marks, LEVELS)
    assert got[["marker_a", "marker_b"]].values.tolist() == [["a", "b"]]  # c shares no cell with a or b
    assert got["exact"].item() == 1.0 and np.isnan(got["kappa"].item())


def test_krippendorff_alpha_ordinal_for_three_markers():
    # units (0,0,1), (2,2,2), (1,1,-). Coincidences: o01 = o10 = 1, o00 = 1, o11 = 2, o22 = 3;
    # n0 = 2, n1 = 3, n2 = 3, n = 8. Ordinal δ(c,k) = (Σ_{g=c..k} n_g - (n_c + n_k)/2)^2:
    # δ01 = 6.25, δ02 = 30.25, δ12 = 9. Do = 2 · 6.25 = 12.5;
    # Σ n_c n_k δ = 2 · (6 · 6.25 + 6 · 30.25 + 9 · 9) = 600; alpha = 1 - 7 · 12.5 / 600 = 0.8541667.
    marks = long("B1.3.a", {"m1": [0, 2, 1], "m2": [0, 2, 1], "m3": [1, 2, None]})
    got = alpha_per_criterion(marks, LEVELS)
    assert got[["criterion", "markers", "cells"]].values.tolist() == [["B1.3.a", 3, 3]]
    assert got["alpha"].item() == pytest.approx(1 - 7 * 12.5 / 600)
    # two markers only: no alpha (the pairwise kappa says it)
    assert alpha_per_criterion(long("B1.3.a", {"m1": [0, 2], "m2": [1, 2]}), LEVELS).empty


def test_harmonisation_flags_markers_beyond_the_margin():
    # cohort mean (9 + 4 + 4) / 8 = 2.125; m1 3 (+0.875), m2 4/3 (-0.79), m3 2 (-0.125)
    marks = long("B1.1.a", {"m1": [3, 3, 3, None], "m2": [1, 1, 2, None], "m3": [None, None, 2, 2]})
    got = harmonisation(marks, LEVELS, margin=0.5).set_index("marker")
    assert got["cohort_mean"].tolist() == [2.125] * 3
    assert got["gap"].tolist() == pytest.approx([0.875, 4 / 3 - 2.125, -0.125])
    assert got["flagged"].tolist() == [True, True, False]
    assert got.loc["m2", ["n", "level_0", "level_1", "level_2", "level_3"]].tolist() == [3, 0, 2, 1, 0]
    assert not harmonisation(marks, LEVELS, margin=1.0)["flagged"].any()


ITEMS = np.array([[1, 2, 3], [1, 1, 2], [0, 1, 1], [0, 0, 0]], dtype=float)


def test_corrected_item_total_correlation():
    # item 0 against the rest (5, 3, 2, 0): centred (.5, .5, -.5, -.5) and (2.5, .5, -.5, -2.5);
    # Σ products 3, Σ squares 1 and 13: r = 3 / sqrt(13)
    r = corrected_item_total(ITEMS)
    assert r[0] == pytest.approx(3 / np.sqrt(13))
    # a 0/1 item: the same number as scipy's point-biserial correlation
    rest = ITEMS.sum(axis=1) - ITEMS[:, 0]
    assert r[0] == pytest.approx(pointbiserialr(ITEMS[:, 0], rest).statistic)
    assert np.isnan(corrected_item_total(np.c_[ITEMS, np.ones(4)])[-1])  # no variance: no discrimination


def test_cronbach_alpha():
    # variances (ddof 1) 1/3, 2/3, 5/3; total (6, 4, 2, 0) variance 20/3: 3/2 · (1 - (8/3)/(20/3)) = 0.9
    assert cronbach_alpha(ITEMS) == pytest.approx(0.9)
    assert np.isnan(cronbach_alpha(ITEMS[:, :1]))
