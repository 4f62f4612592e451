"""The scoring rule (``grading/scoring.yml``): how a criterion's evidence combines into its score.

Each mapped cell has a kind (``autograde`` or ``rubric``). Per candidate and criterion, a kind's
*share* is the points of its cells over their maximum points; the criterion score is the mean of
those shares weighted by the rule's ``evidence_weights``, over the kinds the criterion has cells of.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from workbench._yaml import load_model
from workbench.paths import grading_dir

KINDS = ("autograde", "rubric")  # the kinds of grading/criterion_map.yml (MapCell.kind)


class EvidenceWeights(BaseModel):
    """The weight of each kind of evidence: positive, finite numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    autograde: float = Field(gt=0, allow_inf_nan=False)
    rubric: float = Field(gt=0, allow_inf_nan=False)


class ScoringRule(BaseModel):
    """The whole rule file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    evidence_weights: EvidenceWeights

    def weight(self, kind: str) -> float:
        """The weight of evidence ``kind`` (``autograde`` or ``rubric``)."""
        return float(getattr(self.evidence_weights, kind))

    def as_dict(self) -> dict:
        """The rule as plain data (what a decision records and hashes)."""
        return {"evidence_weights": {k: self.weight(k) for k in KINDS}}


def load_scoring_rule(path: str | Path | None = None) -> ScoringRule:
    """Load and validate the scoring rule.

    Parameters
    ----------
    path : path-like, optional
        Defaults to ``grading/scoring.yml``.

    Raises
    ------
    ConfigError
        Naming the file and the fault: a missing or unknown kind, a weight that is not a
        positive finite number.
    """
    return load_model(Path(path or grading_dir() / "scoring.yml"), ScoringRule)
