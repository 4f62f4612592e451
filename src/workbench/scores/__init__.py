"""Criterion scores from the nbgrader gradebook, and the rubric-level CSV import.

The gradebook is read with a few set-based SQL queries over nbgrader's own tables
(never a per-candidate loop through ``nbgrader.api.Gradebook``), so a cohort of
thousands of candidates is scored in well under a second.
"""

from workbench.scores.compute import CriterionScores, compute_scores
from workbench.scores.criterion_map import CriterionMap, MapCell, check_against_gradebook, load_criterion_map
from workbench.scores.scoring import ScoringRule, load_scoring_rule

__all__ = [
    "CriterionMap",
    "CriterionScores",
    "MapCell",
    "ScoringRule",
    "check_against_gradebook",
    "compute_scores",
    "load_criterion_map",
    "load_scoring_rule",
]
