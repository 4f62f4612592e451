"""segment.quality: invariant to label numbering, fails degenerate, unscaled or unstable segmentations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

from workbench.checks import BadInput, CheckFailed, block1
from workbench.checks.segmentation import silhouette

S = "cdnow_winback"


def test_reference_like_segmentation_passes(features, labels, rfm, capsys):
    block1.segmentation.check(features, labels=labels, table=rfm, scenario=S)
    assert block1.segmentation.grade(features, labels=labels, table=rfm, scenario=S) == 3.0
    assert "✔ segment.quality" in capsys.readouterr().out


@pytest.mark.parametrize("relabel", [
    lambda l: (l + 1) % 4,
    lambda l: np.array(["dormant", "vip", "new", "mid"])[l],
    lambda l: pd.Series(l * 10 + 7),
    lambda l: list(3 - l),
])
def test_permuted_or_renamed_labels_pass(features, labels, rfm, relabel):
    assert block1.segmentation.grade(features, labels=relabel(labels), table=rfm, scenario=S) == 3.0


def test_own_k_within_range_passes_hidden_part(features, rfm):
    lab5 = KMeans(5, random_state=0, n_init=4).fit_predict(features)
    assert block1.segmentation.grade(features, labels=lab5, table=rfm, scenario=S) == 3.0


def test_defensible_but_different_preprocessing_earns_partial_credit(rfm):
    from sklearn.preprocessing import QuantileTransformer

    x = QuantileTransformer(n_quantiles=1000).fit_transform(rfm[["recency_days", "frequency", "monetary"]])
    lab = KMeans(6, random_state=0, n_init=4).fit_predict(x)
    assert block1.segmentation.grade(x, labels=lab, table=rfm, scenario=S) == 1.5


def test_one_giant_cluster_fails(features, rfm):
    lab = np.zeros(len(rfm), dtype=int)
    lab[:3000] = 1
    lab[3000:3100] = 2  # 0.4 % of customers
    with pytest.raises(CheckFailed, match="less than 2%") as err:
        block1.segmentation.check(features, labels=lab, table=rfm, scenario=S)
    assert "degenerate" in str(err.value)


def test_k_equal_to_the_number_of_customers_fails(features, rfm):
    with pytest.raises(CheckFailed, match="more than a marketing team"):
        block1.segmentation.check(features, labels=np.arange(len(rfm)), table=rfm, scenario=S)


def test_too_few_segments_fail_without_giving_k(features, rfm):
    with pytest.raises(CheckFailed) as err:
        block1.segmentation.check(features, labels=np.arange(len(rfm)) % 2, table=rfm, scenario=S)
    assert "too few" in str(err.value) and "4" not in str(err.value)


def test_unscaled_features_fail(rfm):
    raw = rfm[["recency_days", "frequency", "monetary"]]
    lab = KMeans(4, random_state=0, n_init=2).fit_predict(StandardScaler().fit_transform(np.log1p(raw)))
    with pytest.raises(CheckFailed, match="scale"):
        block1.segmentation.check(raw, labels=lab, table=rfm, scenario=S)


def test_random_labels_are_poorly_separated(features, rfm):
    lab = np.random.default_rng(0).integers(0, 4, len(rfm))
    with pytest.raises(CheckFailed, match="silhouette"):
        block1.segmentation.check(features, labels=lab, table=rfm, scenario=S)


def test_segmentation_on_the_wrong_variable_fails_the_hidden_part(rfm):
    # clustering customer-id order: well separated, balanced, but unrelated to the objective
    x = StandardScaler().fit_transform(np.c_[np.arange(len(rfm)), np.zeros(len(rfm))])
    lab = KMeans(4, random_state=0, n_init=1).fit_predict(x)
    block1.segmentation.check(x, labels=lab, table=rfm, scenario=S)
    with pytest.raises(CheckFailed, match="differs strongly"):
        block1.segmentation.grade(x, labels=lab, table=rfm, scenario=S)


@pytest.mark.parametrize("bad_labels, words", [
    (lambda n: np.zeros(n - 1), "values but there are"),
    (lambda n: np.where(np.arange(n) == 5, np.nan, np.arange(n) % 4), "NaN"),
    (lambda n: {1, 2, 3}, "list, array or Series"),
    (lambda n: np.zeros((n, 2)), "1-D"),
])
def test_bad_labels_are_clean_messages(features, rfm, bad_labels, words):
    with pytest.raises(BadInput, match=words):
        block1.segmentation.check(features, labels=bad_labels(len(rfm)), table=rfm, scenario=S)


def test_bad_features_are_clean_messages(labels, rfm):
    with pytest.raises(BadInput, match="DataFrame or a 2-D array"):
        block1.segmentation.check("features", labels=labels, scenario=S)
    with pytest.raises(BadInput, match="non-numeric"):
        block1.segmentation.check(rfm, labels=labels, scenario=S)  # customer_id is text
    with pytest.raises(BadInput, match="wrong arguments"):
        block1.segmentation.check(rfm, scenario=S)


def test_caravan_leakage_column_fails(caravan):
    cols = ["MKOOPKLA", "MINKGEM", "MAUT1", "PPERSAUT", "Purchase"]
    x = caravan[cols].assign(Purchase=(caravan["Purchase"] == "Yes").astype(int))
    z = pd.DataFrame(StandardScaler().fit_transform(x), columns=cols)
    lab = KMeans(4, random_state=0, n_init=2).fit_predict(z)
    with pytest.raises(CheckFailed, match="leakage"):
        block1.segmentation.check(z, labels=lab, table=caravan, scenario="caravan_crosssell")


def test_caravan_reference_passes(caravan):
    cols = ["MKOOPKLA", "MINKGEM", "MAUT1", "MHKOOP", "PPERSAUT", "PBRAND", "APERSAUT", "MOSHOOFD"]
    z = pd.DataFrame(StandardScaler().fit_transform(caravan[cols]), columns=cols)
    lab = KMeans(4, random_state=0, n_init=4).fit_predict(z)
    assert block1.segmentation.grade(z, labels=lab, table=caravan, scenario="caravan_crosssell") == 3.0


def test_numpy_silhouette_matches_sklearn():
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(1)
    x, lab = rng.normal(size=(300, 3)), rng.integers(0, 3, 300)
    assert silhouette(x, lab) == pytest.approx(silhouette_score(x, lab), abs=1e-9)
