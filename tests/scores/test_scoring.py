"""The scoring rule (grading/scoring.yml): loaded and validated, and the policy it must keep.

Policy (issue 13): a competent candidate's autograded evidence never decides a competence
against them on its own -- an *excellent* rubric level can always carry a criterion. The proof
reads the real criterion map, thresholds and rule: changing any of them so that the policy no
longer holds for some block-1 criterion fails here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.errors import ConfigError
from workbench.paths import grading_dir
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.scores import ScoringRule, load_criterion_map, load_scoring_rule
from workbench.scores.compute import aggregate
from workbench.validator.rules import NOT_VALIDATED, VALIDATED, Structure, criterion_states, decide
from workbench.validator.thresholds import load_thresholds

REF, RUB = load_referentiel(), load_rubrics()
BLOCK1 = REF.criterion_ids("B1")


def real_inputs():
    cmap = load_criterion_map(grading_dir() / "criterion_map.yml", referentiel=REF, rubrics=RUB)
    return cmap, load_thresholds(grading_dir() / "thresholds.yml", referentiel=REF, rubrics=RUB), load_scoring_rule()


def scores_of(cmap, rule, *, auto_fraction: float, level: float, pending: str | None = None) -> dict[str, float]:
    """One candidate: every autograde cell at ``auto_fraction`` of its points, every rubric cell at ``level``."""
    mp = cmap.frame()
    points = np.where(mp["kind"] == "rubric", float(level), mp["max_points"] * auto_fraction)
    cells = pd.DataFrame({"points": points, "evaluated": mp["cell"] != pending})
    result = aggregate(cmap, ["x"], cells, rule)
    return dict(zip(result.criteria, result.score[0]))


def test_repository_rule_loads():
    rule = load_scoring_rule()
    assert set(rule.as_dict()["evidence_weights"]) == {"autograde", "rubric"}
    assert all(w > 0 for w in rule.as_dict()["evidence_weights"].values())


def test_excellent_rubric_level_alone_carries_every_block1_criterion():
    cmap, thr, rule = real_inputs()
    top = RUB.max_points
    assert cmap.criteria() == sorted(BLOCK1)
    for k in BLOCK1:  # without a rubric cell, no level could carry the criterion
        assert cmap.rubric_cells(k), f"{k} has no rubric cell in grading/criterion_map.yml"
    # every autograde cell at 0 is the worst case: a score only grows with the points
    worst = scores_of(cmap, rule, auto_fraction=0.0, level=top)
    s = Structure.of(REF)
    cols = [s.criteria.index(k) for k in BLOCK1]
    row = np.array([[worst[k] for k in BLOCK1]])
    states = criterion_states(row, np.array([thr[k] for k in BLOCK1]))
    failed = [f"{k}: {worst[k]:.4f} < threshold {thr[k]:.4f}" for k, st in zip(BLOCK1, states[0]) if st != VALIDATED]
    assert not failed, ("an excellent rubric level with every autograded check failed no longer reaches the "
                        "threshold (grading/scoring.yml, thresholds.yml, criterion_map.yml): " + "; ".join(failed))
    # ... so block 1 is validated on the rubric levels alone (blocks 2-5 at their thresholds here)
    full = np.array([thr[k] for k in s.criteria])[None, :]
    full[0, cols] = row[0]
    assert decide(full, np.array([thr[k] for k in s.criteria]), s).block[0, s.blocks.index("B1")] == VALIDATED


def test_the_proof_has_teeth():
    """With equal weights the same check fails (B1.3.a: 6 autograded points against 3 rubric points)."""
    cmap, thr, _ = real_inputs()
    equal = ScoringRule.model_validate({"evidence_weights": {"autograde": 1, "rubric": 1}})
    worst = scores_of(cmap, equal, auto_fraction=0.0, level=RUB.max_points)
    assert worst["B1.3.a"] == pytest.approx(0.5) and worst["B1.3.a"] < thr["B1.3.a"]


def test_weak_rubric_and_weak_checks_still_fail_and_pending_stays_not_evaluated():
    cmap, thr, rule = real_inputs()
    weak = scores_of(cmap, rule, auto_fraction=0.0, level=1)  # 'partial' level, every check failed
    states = criterion_states(np.array([[weak[k] for k in BLOCK1]]), np.array([thr[k] for k in BLOCK1]))
    assert (states == NOT_VALIDATED).all()
    rubric_cell = cmap.rubric_cells("B1.2.a")[0][1].cell
    pending = scores_of(cmap, rule, auto_fraction=1.0, level=RUB.max_points, pending=rubric_cell)
    assert np.isnan(pending["B1.2.a"]) and pending["B1.2.b"] == 1.0


@pytest.mark.parametrize("text, message", [
    ("evidence_weights: {autograde: 1}\n", r"evidence_weights.rubric: Field required"),
    ("evidence_weights: {autograde: 1, rubric: 2, jury: 1}\n", r"evidence_weights.jury: Extra inputs"),
    ("evidence_weights: {autograde: 0, rubric: 2}\n", r"evidence_weights.autograde: Input should be greater than 0"),
    ("evidence_weights: {autograde: 1, rubric: -2}\n", r"evidence_weights.rubric: Input should be greater than 0"),
    ("evidence_weights: {autograde: 1, rubric: .inf}\n", r"evidence_weights.rubric: Input should be a finite number"),
    ("evidence_weights: {autograde: one, rubric: 2}\n", r"evidence_weights.autograde: Input should be a valid number"),
    ("weights: {autograde: 1, rubric: 2}\n", r"evidence_weights: Field required"),
])
def test_bad_rule_is_named_in_one_line(tmp_path, text, message):
    path = tmp_path / "scoring.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as err:
        load_scoring_rule(path)
    assert str(err.value).startswith(f"{path}: ") and "\n" not in str(err.value)
