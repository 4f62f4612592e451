"""Every input of a decision is in its hash, in its place: any change is a new version, no change none.

The cohorts are built through the real criterion map (``tests.validator.cohorts``), with a jury
whose every (candidate, criterion) has its own score, so a jury row placed on the wrong pair, or
left out of the hash, is seen.
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.validator.cohorts import B1, JURY_CRITERIA, MAP, RULE, S, decisions, jury, marks_for, thresholds
from workbench.scores.scoring import ScoringRule
from workbench.validator.audit import history, open_audit, record
from workbench.validator.decisions import Decisions

CANDS = ["ana", "ben", "cloé"]


def distinct_jury() -> list[tuple[str, str, float]]:
    """A different score for every (candidate, criterion), each above the default threshold: 0.7 ... 0.99."""
    rows, n = [], len(CANDS) * len(JURY_CRITERIA)
    for i, cand in enumerate(CANDS):
        for j, k in enumerate(JURY_CRITERIA):
            rows.append((cand, k, 0.7 + 0.29 * (i * len(JURY_CRITERIA) + j) / n))
    return rows


def cohort() -> dict:
    """ana: every criterion at 'satisfactory'; ben: full marks with one ungraded cell; cloé: none."""
    ben = marks_for({k: 1.0 for k in B1})
    del ben[MAP.loc[MAP["criterion"] == "B1.2.b", "cell"].iloc[0]]
    return {"ana": marks_for({k: 2 / 3 for k in B1}), "ben": ben, "cloé": None}


BASE = cohort()
JURY = distinct_jury()


def test_jury_scores_land_on_their_own_candidate_and_criterion():
    d = decisions(BASE, JURY)
    for cand, crit, score in JURY:
        assert d.score[d.candidates.index(cand), S.criteria.index(crit)] == pytest.approx(score)
        doc = d.documents[d.candidates.index(cand)]
        assert doc["criteria"][crit]["score"] == round(score, 6)
    # a criterion with no jury row stays not evaluated
    partial = decisions(BASE, [r for r in JURY if not (r[0] == "ana" and r[1] == "B4.3.d")])
    ana = partial.documents[partial.candidates.index("ana")]
    assert ana["criteria"]["B4.3.d"] == {"score": None, "state": "not_evaluated"}


def test_same_inputs_same_hashes_and_same_json():
    a, b = decisions(BASE, JURY), decisions(cohort(), distinct_jury())
    assert a.inputs_sha256 == b.inputs_sha256
    assert a.to_json() == b.to_json()
    assert len(set(a.inputs_sha256)) == len(CANDS)  # the candidate id is part of its inputs


def _changed(before: Decisions, after: Decisions) -> list[str]:
    return [c for c, h0, h1 in zip(before.candidates, before.inputs_sha256, after.inputs_sha256) if h0 != h1]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(CANDS), st.sampled_from(JURY_CRITERIA), st.floats(0, 1))
def test_a_changed_jury_score_is_a_new_input_of_that_candidate_only(cand, crit, value):
    old = next(s for c, k, s in JURY if c == cand and k == crit)
    if round(value, 6) == round(old, 6):
        value = 0.0 if old > 0.5 else 1.0
    rows = [(c, k, value if (c, k) == (cand, crit) else s) for c, k, s in JURY]
    assert _changed(decisions(BASE, JURY), decisions(BASE, rows)) == [cand]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["ana", "ben"]), st.sampled_from(list(MAP["cell"])), st.sampled_from([0.0, 1.0, 0.5]))
def test_a_changed_cell_is_a_new_input_of_that_candidate_only(cand, cell, share):
    after = cohort()
    auto, manual, extra = after[cand].get(cell, (None, None, None))
    pts = float(MAP.loc[MAP["cell"] == cell, "max_points"].iloc[0])
    new = (None, pts * share, None) if manual is not None else (pts * share, None, None)
    if new[:2] == (auto, manual):
        new = (None, None, None)  # ungrading it is a change too
    after[cand][cell] = new
    assert _changed(decisions(BASE, JURY), decisions(after, JURY)) == [cand]


def test_a_jury_row_added_or_removed_is_a_new_input():
    base = decisions(BASE, JURY)
    fewer = decisions(BASE, [r for r in JURY if r[:2] != ("ben", "B5.1.a")])
    assert _changed(base, fewer) == ["ben"]
    # cloé has no submission: her jury results alone decide her blocks 2-5 and are hashed
    assert _changed(decisions(BASE, []), base) == CANDS


def test_thresholds_and_scoring_rule_are_inputs_of_every_decision():
    base = decisions(BASE, JURY)
    strict = decisions(BASE, JURY, thresholds("default: satisfactory\ncriteria:\n  B5.3.b: excellent\n"))
    assert _changed(base, strict) == CANDS
    other = ScoringRule.model_validate({"evidence_weights": {"autograde": 1.0, "rubric": 1.0}})
    assert other != RULE
    reweighted = Decisions(S, base.thresholds, replace(base.scores, rule=other), jury(JURY))
    assert _changed(base, reweighted) == CANDS


def test_float_noise_below_the_hashed_precision_is_no_change():
    noisy = [(c, k, s + 1e-12) for c, k, s in JURY]
    assert _changed(decisions(BASE, JURY), decisions(BASE, noisy)) == []


def test_audit_records_a_version_per_change_and_none_without(tmp_path):
    store = open_audit(f"sqlite:///{tmp_path / 'decisions.db'}")
    try:
        assert record(store, decisions(BASE, JURY), source="t", now="2026-01-01T00:00:00+00:00") == {
            "recorded": 3, "unchanged": 0}
        assert record(store, decisions(cohort(), distinct_jury()), source="t") == {"recorded": 0, "unchanged": 3}
        rows = [(c, k, 0.1 if (c, k) == ("ana", "B2.1.a") else s) for c, k, s in JURY]
        assert record(store, decisions(BASE, rows), source="t", now="2026-01-02T00:00:00+00:00") == {
            "recorded": 1, "unchanged": 2}
        versions = history(store, "ana")
        assert [v["version"] for v in versions] == [1, 2]
        assert [v["decided_at"] for v in versions] == ["2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00"]
        first, second = (json.loads(v["decision_json"]) for v in versions)
        assert first["blocks"]["B2"] == "validated" and second["blocks"]["B2"] == "not_validated"
        evidence = json.loads(versions[1]["evidence_json"])
        assert {"criterion": "B2.1.a", "score": 0.1} in evidence["jury"]
        assert [v["version"] for v in history(store, "ben")] == [1]
    finally:
        store.dispose()
