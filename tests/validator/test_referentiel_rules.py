"""The référentiel's rules as properties of the decision documents, on cohorts that reach them.

Each property would fail on a wrong rule: a title with four blocks (or with any block, or never),
a partial block, thresholds ignored or applied to the wrong criterion, a missing result counted
as validated, a partial certification that is not exactly the validated blocks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from tests.validator.cohorts import B1, JURY_CRITERIA, REF, RULE, S, cohorts, jury, threshold_files, thresholds
from workbench.scores.compute import CriterionScores
from workbench.validator.decisions import Decisions
from workbench.validator.rules import NOT_EVALUATED, NOT_VALIDATED, VALIDATED, decide

B1_COLS = [S.criteria.index(k) for k in B1]


def as_decisions(scores: np.ndarray, thr: dict[str, float]) -> Decisions:
    """Block 1 as criterion scores, blocks 2-5 as jury rows (a NaN is a row left out)."""
    names = [f"c{i:02d}" for i in range(len(scores))]
    b1 = scores[:, B1_COLS]
    crit = CriterionScores(names, list(B1), b1, b1 * 3, np.full_like(b1, 3.0), pd.DataFrame(), RULE)
    rows = [(names[i], k, float(scores[i, S.criteria.index(k)])) for i in range(len(scores))
            for k in JURY_CRITERIA if not np.isnan(scores[i, S.criteria.index(k)])]
    return Decisions(S, thr, crit, jury(rows))


def expected_state(outcomes: list[str]) -> str:
    """One rule for a competence (from its criteria) and a block (from its competences)."""
    if "missed" in outcomes or "not_validated" in outcomes:
        return "not_validated"
    if "missing" in outcomes or "not_evaluated" in outcomes:
        return "not_evaluated"
    return "validated"


@settings(max_examples=80, deadline=None)
@given(cohorts())
def test_decision_documents_follow_the_referentiel(cohort):
    outcomes, scores, thr, _ = cohort
    d = as_decisions(scores, thr)
    for i, doc in enumerate(d.documents):
        row = dict(zip(S.criteria, outcomes[i]))
        for k in S.criteria:  # a criterion is met iff its score reaches its own threshold (overrides too)
            assert doc["criteria"][k]["state"] == {"met": "validated", "missed": "not_validated",
                                                   "missing": "not_evaluated"}[row[k]], k
        for comp in REF.competences():  # recognised iff all its criteria reach their thresholds
            assert doc["competences"][comp.id] == expected_state([row[k.id] for k in comp.criteria]), comp.id
        for block in REF.blocks:  # validated iff every competence is recognised: never partially
            assert doc["blocks"][block.id] == expected_state([doc["competences"][c.id] for c in block.competences])
        validated = [b.id for b in REF.blocks if doc["blocks"][b.id] == "validated"]
        cert = doc["certification"]
        # the partial certification is exactly the set of validated blocks, in référentiel order
        assert cert["validated_blocks"] == validated
        assert cert["not_validated_blocks"] == [b for b, s in doc["blocks"].items() if s == "not_validated"]
        assert cert["not_evaluated_blocks"] == [b for b, s in doc["blocks"].items() if s == "not_evaluated"]
        # the title requires all five blocks
        assert cert["full"] is (len(validated) == 5)
        assert cert["status"] == ("full" if len(validated) == 5 else "partial" if validated else "none")


@settings(max_examples=60, deadline=None)
@given(cohorts())
def test_not_evaluated_or_awaiting_never_counts_as_validated(cohort):
    outcomes, scores, thr, vec = cohort
    states = decide(scores, vec, S)
    missing = outcomes == "missing"
    assert not (states.criterion[missing] == VALIDATED).any()
    for j, comp in enumerate(REF.competences()):
        cols = [S.criteria.index(k.id) for k in comp.criteria]
        assert not (missing[:, cols].any(axis=1) & (states.competence[:, j] == VALIDATED)).any()
    for j, block in enumerate(REF.blocks):
        cols = [S.criteria.index(k) for k in REF.criterion_ids(block.id)]
        assert not (missing[:, cols].any(axis=1) & (states.block[:, j] == VALIDATED)).any()
    assert not (missing.any(axis=1) & states.full).any()


def _reaches(predicate):
    # generation only: the first example found is proof enough (shrinking it would cost seconds)
    return find(cohorts(), lambda c: predicate(c, decide(c[1], c[3], S)),
                settings=settings(max_examples=500, database=None, phases=[Phase.generate]))


def test_the_strategies_reach_every_outcome_the_rules_decide():
    # a full title, a partial certification, a block that is not evaluated, a failed block
    assert _reaches(lambda c, s: s.full.any())
    assert _reaches(lambda c, s: ((s.block == VALIDATED).any(axis=1) & ~s.full).any())
    assert _reaches(lambda c, s: (s.block == NOT_EVALUATED).any())
    assert _reaches(lambda c, s: (s.block == NOT_VALIDATED).any())
    # four validated blocks and the fifth not: the title must still be refused
    assert _reaches(lambda c, s: ((s.block == VALIDATED).sum(axis=1) == 4).any())
    # an override that decides: a criterion met under its override but not under the default
    assert _reaches(lambda c, s: any(c[2][k] != 2 / 3 for k in S.criteria))


@settings(max_examples=40, deadline=None)
@given(threshold_files())
def test_thresholds_file_overrides_only_the_criteria_it_names(drawn):
    text, thr = drawn
    default = thresholds(text.split("criteria:")[0] + "criteria: {}\n")
    named = [line.split(":")[0].strip() for line in text.split("criteria:")[1].splitlines() if line.strip()
             and line.strip() != "{}"]
    assert set(thr) == set(S.criteria)
    for k in S.criteria:
        if k not in named:
            assert thr[k] == default[k]
    assert len(set(default.values())) == 1


@pytest.mark.parametrize("crit", ["B1.3.a", "B2.4.f"])
def test_an_override_moves_only_its_own_criterion(crit):
    """0.7 meets the default (2/3) but not an 'excellent' override on ``crit`` alone."""
    scores = np.full((1, len(S.criteria)), 0.7)
    base = as_decisions(scores, thresholds()).documents[0]
    strict = as_decisions(scores, thresholds(f"default: satisfactory\ncriteria:\n  {crit}: excellent\n")).documents[0]
    assert base["certification"]["full"]
    assert strict["criteria"][crit]["state"] == "not_validated"
    assert [k for k in S.criteria if strict["criteria"][k]["state"] != "validated"] == [crit]
    block = crit.split(".")[0]
    assert strict["certification"]["validated_blocks"] == [b for b in S.blocks if b != block]
    lenient = as_decisions(np.full((1, len(S.criteria)), 0.5),
                           thresholds(f"default: satisfactory\ncriteria:\n  {crit}: 0.5\n")).documents[0]
    assert [k for k in S.criteria if lenient["criteria"][k]["state"] == "validated"] == [crit]


def test_threshold_tolerance_is_exactly_the_documented_epsilon():
    # 2 of 3 points on each of two cells: 4/6; the threshold 2/3; the same double either way,
    # so a score just under the threshold by float noise (1e-12) must count as met, 1e-6 must not
    from workbench.validator.rules import EPS

    thr = np.full(len(S.criteria), 2 / 3)
    row = np.full((1, len(S.criteria)), 1.0)
    row[0, 0] = 2 / 3 - 1e-12
    row[0, 1] = 2 / 3 - EPS  # on the tolerance's edge: still met
    row[0, 2] = 2 / 3 - 1e-6
    states = decide(row, thr, S)
    assert states.criterion[0, :3].tolist() == [VALIDATED, VALIDATED, NOT_VALIDATED]


def test_empty_cohort_has_empty_states_of_the_right_shape():
    states = decide(np.zeros((0, len(S.criteria))), np.full(len(S.criteria), 2 / 3), S)
    assert states.criterion.shape == (0, len(S.criteria))
    assert states.competence.shape == (0, len(S.competences)) and states.competence.dtype == np.int8
    assert states.block.shape == (0, len(S.blocks)) and states.block.dtype == np.int8
    assert states.full.shape == (0,) and states.full.dtype == bool


def test_structure_maps_each_competence_to_its_block():
    assert S.block_of_competence() == [c.id.split(".")[0] for c in REF.competences()]
