"""The public view of a scenario: what the release announces, written to ``data/scenario.yml``.

Everything a candidate's self-check or a public rule may read is here; the answer key and the
reference segmentation never are (they stay in the grader's key store, see
:mod:`workbench.judge.keys`). The candidate environment reads this file back with
:func:`workbench_candidate.scenario.load`.
"""

from __future__ import annotations

from workbench.scenarios.model import Scenario


def public_view(scenario: Scenario) -> dict:
    """The announced facts of ``scenario`` as plain data (YAML-ready)."""
    ref = scenario.reference_segmentation
    return {
        "id": scenario.id,
        "dataset": scenario.dataset,
        "company": scenario.company.name,
        "strategy": {"en": scenario.strategy.en, "fr": scenario.strategy.fr},
        "objective": {"en": scenario.objective.en, "fr": scenario.objective.fr},
        "snapshot_date": scenario.snapshot_date.isoformat() if scenario.snapshot_date else None,
        "unit": scenario.unit,
        "variables": [{"name": f.name, "category": f.category,
                       "definition": {"en": f.definition.en, "fr": f.definition.fr}}
                      for f in scenario.derived_features],
        # announced in the notebook's instructions (issue #13: no unannounced rule)
        "segmentation": {"k_range": list(ref.k_range), "min_segment_share": ref.min_segment_share,
                         "value_feature": ref.value_feature},
    }
