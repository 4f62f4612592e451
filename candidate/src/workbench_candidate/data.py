"""Readers of the tables released with the assignment (``data/``), for notebooks 1.2 and 1.3.

Each notebook is graded on its own: notebook 1.2 starts from an analysis table, and 1.3 from a
segmentation, both written by the instructor's build into ``data/``. Customers there carry
anonymous ids, different in each file, so neither file answers an earlier notebook.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench_candidate import scenario as _scenario

SEGMENTATION_INPUT = "segmentation_input.csv"
BOARD_RESULTS = "board_results.csv"
Z_PREFIX = "z_"


def analysis_table(data_dir: str | Path = "data") -> pd.DataFrame:
    """The analysis table notebook 1.2 segments: one row per customer (anonymous ``customer_id``)."""
    return pd.read_csv(Path(data_dir) / SEGMENTATION_INPUT, dtype={"customer_id": str})


@dataclass(frozen=True)
class BoardResults:
    """What notebook 1.3 presents: customers with their segment, the scaled features, profiles."""

    table: pd.DataFrame
    features: pd.DataFrame
    profile: pd.DataFrame
    value_feature: str


def board_results(data_dir: str | Path = "data") -> BoardResults:
    """The released segmentation (segments S1.. by decreasing mean value)."""
    raw = pd.read_csv(Path(data_dir) / BOARD_RESULTS, dtype={"customer_id": str, "segment": str})
    facts = _scenario.load(data_dir)
    scaled = [c for c in raw.columns if c.startswith(Z_PREFIX)]
    keys = [c[len(Z_PREFIX):] for c in scaled]
    table = raw[["customer_id", *keys, "segment"]]
    features = raw[scaled].set_axis(keys, axis=1)
    profile = table.groupby("segment")[keys].mean()
    profile.insert(0, "size", table["segment"].value_counts().sort_index())
    profile.insert(1, "share", profile["size"] / len(table))
    return BoardResults(table=table, features=features, profile=profile, value_feature=facts.value_feature)
