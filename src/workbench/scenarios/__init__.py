"""Company scenarios: the strategy, the answer key of data categories and the reference
segmentation, validated against the dataset dictionary when loaded."""

from workbench.scenarios.features import analysis_table
from workbench.scenarios.load import list_scenarios, load_scenario, load_scenario_file, scenarios_dir
from workbench.scenarios.model import AnswerKey, DerivedFeature, ReferenceSegmentation, Scenario

__all__ = [
    "AnswerKey",
    "DerivedFeature",
    "ReferenceSegmentation",
    "Scenario",
    "analysis_table",
    "list_scenarios",
    "load_scenario",
    "load_scenario_file",
    "scenarios_dir",
]
