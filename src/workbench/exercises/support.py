"""Read-only helpers the released notebooks call, so each notebook is graded on its own.

nbgrader autogrades every notebook in its own kernel. Notebook 1.2 therefore starts from the
analysis table of 1.1, and notebook 1.3 from the segmentation of 1.2, both rebuilt here from the
assignment's ``data/`` folder (verified against its manifest) with the scenario's reference
definitions: a slip in one competence never costs marks in the next.

The module records which helpers ran, so that a hidden test can tell a candidate who copied a
helper's output into an earlier notebook (``called``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

_CALLS: set[str] = set()


def called(name: str) -> bool:
    """Whether the helper ``name`` ran in this kernel."""
    return name in _CALLS


def _scenario(scenario_id: str):
    from workbench.scenarios import load_scenario

    return load_scenario(scenario_id)


def _full_table(scenario, data_dir: Path) -> pd.DataFrame:
    """Analysis table of 1.2: the reference features (CDNOW) or every customer column (Caravan)."""
    from workbench.datasets import load_caravan
    from workbench.scenarios import analysis_table as reference_table

    if scenario.derived_features:
        return reference_table(scenario, root=data_dir)
    return load_caravan(root=data_dir)


def analysis_table(scenario_id: str, *, data_dir: str | Path = "data") -> pd.DataFrame:
    """The analysis table a candidate segments in notebook 1.2, one row per customer.

    Parameters
    ----------
    scenario_id : str
        The released scenario (``cdnow_winback``, ``caravan_crosssell``).
    data_dir : path
        The assignment's data folder (it holds a ``manifest.yml`` the files are verified with).
    """
    _CALLS.add("analysis_table")
    return _full_table(_scenario(scenario_id), Path(data_dir)).reset_index(drop=True)


@dataclass(frozen=True)
class BoardResults:
    """What notebook 1.3 presents: customers with their segment, the scaled features, profiles."""

    table: pd.DataFrame
    features: pd.DataFrame
    profile: pd.DataFrame
    value_feature: str


def _reference_labels(scenario, table: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Scaled features and k-means labels following the scenario's reference segmentation."""
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    ref = scenario.reference_segmentation
    prepared = table[list(ref.features)].astype(float)
    if ref.transform == "log1p":
        prepared = np.log1p(prepared)
    if ref.scaler != "none":
        scaler = StandardScaler() if ref.scaler == "standard" else MinMaxScaler()
        prepared = pd.DataFrame(scaler.fit_transform(prepared), columns=prepared.columns)
    model = KMeans(n_clusters=ref.k, n_init=4, random_state=ref.random_state)
    return prepared, model.fit_predict(prepared.to_numpy())


def board_results(scenario_id: str, *, data_dir: str | Path = "data") -> BoardResults:
    """The reference segmentation of ``scenario_id``, segments named S1.. by decreasing value."""
    _CALLS.add("board_results")
    scenario = _scenario(scenario_id)
    ref = scenario.reference_segmentation
    with warnings.catch_warnings():
        # nothing may reach stderr inside a graded notebook
        warnings.simplefilter("ignore")
        table = _full_table(scenario, Path(data_dir)).reset_index(drop=True)
        table = table[["customer_id", *ref.features]]
        features, labels = _reference_labels(scenario, table)
    by_value = table.groupby(labels)[ref.value_feature].mean().sort_values(ascending=False)
    rename = {label: f"S{rank}" for rank, label in enumerate(by_value.index, start=1)}
    table = table.assign(segment=[rename[x] for x in labels])
    profile = table.groupby("segment")[list(ref.features)].mean()
    profile.insert(0, "size", table["segment"].value_counts().sort_index())
    profile.insert(1, "share", profile["size"] / len(table))
    return BoardResults(table=table, features=features, profile=profile, value_feature=ref.value_feature)
