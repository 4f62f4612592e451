"""The scenario's reference segmentation: the one computation the exercises (and anyone) use.

It produces the segments notebook 1.3 presents to the board. It grades nothing: a candidate's
segmentation is judged on the criterion (coherence), never on its distance to this one.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from workbench.scenarios.model import Scenario


def reference_features(scenario: Scenario, table: pd.DataFrame) -> pd.DataFrame:
    """The reference features of ``table`` after the scenario's transform and scaler."""
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    ref = scenario.reference_segmentation
    prepared = table[list(ref.features)].astype(float)
    if ref.transform == "log1p":
        prepared = np.log1p(prepared)
    if ref.scaler != "none":
        scaler = StandardScaler() if ref.scaler == "standard" else MinMaxScaler()
        prepared = pd.DataFrame(scaler.fit_transform(prepared), columns=prepared.columns, index=table.index)
    return prepared


def reference_segmentation(scenario: Scenario, table: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Scaled features and k-means labels, segments numbered 1..k by decreasing mean value.

    ``n_init=10`` restarts: the result must not hinge on one seed's luck.
    """
    from sklearn.cluster import KMeans

    ref = scenario.reference_segmentation
    features = reference_features(scenario, table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = KMeans(n_clusters=ref.k, n_init=10, random_state=ref.random_state).fit_predict(features.to_numpy())
    by_value = table.groupby(raw)[ref.value_feature].mean().sort_values(ascending=False)
    rank = {label: i for i, label in enumerate(by_value.index, start=1)}
    return features, np.array([rank[x] for x in raw])
