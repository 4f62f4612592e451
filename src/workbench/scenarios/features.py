"""The scenario's analysis table: one row per customer with the reference features.

This makes the ``derived_features`` definitions executable, so the reference
segmentation, the checks and the exercises all compute RFM the same way.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench.datasets import load_caravan, load_cdnow_transactions, load_telco
from workbench.scenarios.model import DerivedFeature, Scenario

_LOADERS = {"cdnow": load_cdnow_transactions, "caravan": load_caravan, "telco": load_telco}


def _derive(rows: pd.DataFrame, feature: DerivedFeature, scenario: Scenario) -> pd.Series:
    grouped = rows.groupby("customer_id")[feature.column]
    if feature.aggregation == "days_since_last":
        snapshot = pd.Timestamp(scenario.snapshot_date)
        return (snapshot - grouped.max()).dt.days
    if feature.aggregation == "count":
        return grouped.size()
    if feature.aggregation == "sum":
        return grouped.sum()
    return grouped.mean()


def analysis_table(scenario: Scenario, *, root: Path | str | None = None) -> pd.DataFrame:
    """``customer_id`` plus the reference features of ``scenario``, one row per customer.

    Dataset columns are taken as they are; derived features are aggregated per customer
    from the dataset's rows (e.g. CDNOW transactions -> recency_days, frequency, monetary).
    """
    rows = _LOADERS[scenario.dataset](root=root)
    features = list(scenario.reference_segmentation.features)
    derived = [scenario.derived(f) for f in features if scenario.derived(f)]
    if not derived:
        return rows[["customer_id", *features]].reset_index(drop=True)
    table = pd.DataFrame({f.name: _derive(rows, f, scenario) for f in derived})
    plain = [f for f in features if not scenario.derived(f)]
    if plain:
        # per-customer columns (constant within a customer) come from the customer's first row
        table = table.join(rows.groupby("customer_id")[plain].first())
    return table[features].rename_axis("customer_id").reset_index()
