"""What the rule tests share: the public scenarios and the columns they use."""

from __future__ import annotations

from workbench.datasets import load_dictionary
from workbench.scenarios import load_scenario
from workbench.scenarios.public import public_view
from workbench_candidate.scenario import PublicScenario, from_mapping

RFM = ["recency_days", "frequency", "monetary"]
ORDINAL = ["MKOOPKLA", "MINKGEM", "MAUT1", "MHKOOP", "PPERSAUT", "PBRAND", "APERSAUT"]


def public(scenario_id: str) -> PublicScenario:
    """The public facts of a scenario, as the release's data/scenario.yml gives them."""
    sc = load_scenario(scenario_id)
    return from_mapping(public_view(sc), load_dictionary(sc.dataset).astype(str))
