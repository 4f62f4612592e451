"""The tables released with block 1 beside the raw sources: what notebooks 1.2 and 1.3 start from.

``data/scenario.yml``: the scenario's public facts (no answer key). ``data/segmentation_input.csv``:
the analysis table of 1.1 for notebook 1.2. ``data/board_results.csv``: the reference
segmentation for notebook 1.3. Both tables carry anonymous customer ids, shuffled, different in
each file: copying one never answers notebook 1.1 (whose table must be built on the real ids).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from workbench.scenarios.model import Scenario

_SEED = 20260101  # fixed: a build is reproducible byte for byte


def _anonymous(table: pd.DataFrame, prefix: str, seed: int) -> pd.DataFrame:
    order = np.random.default_rng(seed).permutation(len(table))
    out = table.iloc[order].reset_index(drop=True)
    out["customer_id"] = [f"{prefix}{i:05d}" for i in range(1, len(out) + 1)]
    return out


def segmentation_input(scenario: Scenario, *, data_dir: Path) -> pd.DataFrame:
    """Notebook 1.2's table: the reference analysis table (CDNOW) or every customer column (Caravan)."""
    from workbench.datasets import load_caravan
    from workbench.scenarios import analysis_table

    table = analysis_table(scenario, root=data_dir) if scenario.derived_features else load_caravan(root=data_dir)
    return _anonymous(table, "K", _SEED)


def board_results(scenario: Scenario, *, data_dir: Path) -> pd.DataFrame:
    """Notebook 1.3's table: customers, their features, segment S1.. and the scaled features."""
    from workbench.scenarios import analysis_table
    from workbench.scenarios.reference import reference_segmentation

    ref = scenario.reference_segmentation
    table = analysis_table(scenario, root=data_dir)[["customer_id", *ref.features]]
    features, labels = reference_segmentation(scenario, table)
    board = table.assign(segment=[f"S{x}" for x in labels])
    for name in ref.features:
        board[f"z_{name}"] = features[name].round(6)
    return _anonymous(board, "B", _SEED + 1)


def write_released_tables(folder: Path, scenario: Scenario) -> None:
    """Write ``scenario.yml``, ``segmentation_input.csv`` and ``board_results.csv`` into ``folder/data``."""
    from workbench.scenarios.public import public_view

    data = folder / "data"
    (data / "scenario.yml").write_text(yaml.safe_dump(public_view(scenario), sort_keys=False, allow_unicode=True),
                                       encoding="utf-8")
    segmentation_input(scenario, data_dir=data).to_csv(data / "segmentation_input.csv", index=False, lineterminator="\n")
    board_results(scenario, data_dir=data).to_csv(data / "board_results.csv", index=False, lineterminator="\n")
