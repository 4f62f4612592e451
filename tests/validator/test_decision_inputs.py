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


# --- what is recorded beside each decision ---------------------------------------------------------

def test_to_json_carries_rules_thresholds_scoring_and_each_inputs_hash():
    d = decisions(BASE, JURY, thresholds("default: satisfactory\ncriteria:\n  B2.1.a: 0.8\n"))
    text = d.to_json()
    assert text.endswith("}\n") and text.count("\n") == 1
    body = json.loads(text)
    assert set(body) == {"thresholds", "rules_sha256", "scoring", "decisions"}
    assert body["rules_sha256"] == d.rules_sha256 and len(d.rules_sha256) == 64
    assert body["thresholds"]["B2.1.a"] == 0.8 and body["thresholds"]["B1.1.a"] == round(2 / 3, 6)
    assert body["scoring"] == RULE.as_dict()
    assert [x["candidate"] for x in body["decisions"]] == CANDS
    assert [x["inputs_sha256"] for x in body["decisions"]] == d.inputs_sha256
    assert [{k: v for k, v in x.items() if k != "inputs_sha256"} for x in body["decisions"]] == d.documents


def test_summary_counts_titles_and_validated_blocks():
    everyone = {c: marks_for({k: 1.0 for k in B1}) for c in CANDS}
    rows = [r for r in JURY if not (r[0] == "cloé" and r[1].startswith("B5"))]
    rows = [(c, k, 0.1 if (c, k) == ("ben", "B3.1.a") else s) for c, k, s in rows]
    summary = decisions(everyone, rows).summary()
    assert summary == {"candidates": 3, "full": 1, "B1 validated": 3, "B2 validated": 3, "B3 validated": 2,
                       "B4 validated": 3, "B5 validated": 2}


def test_evidence_lists_every_cell_and_jury_row_of_the_candidate():
    d = decisions(BASE, JURY)
    i = d.candidates.index("ben")
    ev = d.evidence(i)
    assert len(ev["block1_cells"]) == len(MAP)
    assert [c["cell"] for c in ev["block1_cells"]] == list(MAP["cell"])
    pending = [c for c in ev["block1_cells"] if "points" not in c]
    gone = MAP.loc[MAP["criterion"] == "B1.2.b"].iloc[0]  # the cell cohort() leaves ungraded
    assert [c["cell"] for c in pending] == [gone["cell"]]
    assert pending[0]["not_evaluated_reason"] == {"autograde": "not autograded",
                                                  "rubric": "rubric level not yet given"}[gone["kind"]]
    full = next(c for c in ev["block1_cells"] if "points" in c)
    assert full["points"] == full["max_points"] and full["criterion"] in B1 and full["kind"] in ("autograde", "rubric")
    assert "messages" not in full and "graded_by" not in full
    assert [j["criterion"] for j in ev["jury"]] == sorted(JURY_CRITERIA)
    assert all(set(j) == {"criterion", "score"} for j in ev["jury"])
    assert ev["jury"][0]["score"] == round(next(s for c, k, s in JURY if c == "ben" and k == sorted(JURY_CRITERIA)[0]), 6)
    assert ev["jury_source"] == "jury.csv" and ev["submitted_at"] == "2026-06-01 10:00:00"
    cloe = d.evidence(d.candidates.index("cloé"))
    assert {c["not_evaluated_reason"] for c in cloe["block1_cells"]} == {"no submission"}
    assert cloe["submitted_at"] is None and len(cloe["jury"]) == len(JURY_CRITERIA)


def test_evidence_keeps_check_messages_and_rubric_provenance():
    d = decisions(BASE, JURY)
    cells = d.scores.cells.copy()
    cells["messages"] = [f"message {j}" if kind == "autograde" else "" for j, kind in enumerate(cells["kind"])]
    rubric_crit = MAP.loc[MAP["kind"] == "rubric", "criterion"].iloc[0]
    with_msgs = Decisions(S, d.thresholds, replace(d.scores, cells=cells), jury(JURY),
                          provenance={("ana", rubric_crit): {"grader": "m.dupont", "at": "2026-06-02T09:00:00"}})
    ev = with_msgs.evidence(with_msgs.candidates.index("ana"))["block1_cells"]
    auto = [c for c in ev if c["kind"] == "autograde"]
    assert auto and all(c["messages"].startswith("message ") for c in auto)
    assert all("messages" not in c for c in ev if c["kind"] == "rubric")  # empty: left out
    graded = [c for c in ev if c.get("graded_by")]
    assert graded and all(c["kind"] == "rubric" and c["criterion"] == rubric_crit for c in graded)
    assert graded[0]["graded_at"] == "2026-06-02T09:00:00"
    # provenance is per candidate: ben's cells carry none
    assert not any("graded_by" in c for c in with_msgs.evidence(with_msgs.candidates.index("ben"))["block1_cells"])


def test_canonical_json_is_one_text_per_object():
    from workbench.validator.decisions import _num, canonical, sha256

    assert canonical({"b": [1.5, None], "a": "Clôture", "c": {"z": 1, "y": True}}) == \
        '{"a":"Clôture","b":[1.5,null],"c":{"y":true,"z":1}}'
    with pytest.raises(ValueError):
        canonical({"score": float("nan")})  # a NaN never reaches a hash as text
    assert sha256("é") == "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c"  # of its UTF-8 bytes
    assert _num(float("nan")) is None and _num(2 / 3) == 0.666667 and _num(1) == 1.0


def test_evidence_cell_is_the_cells_grade_exactly():
    d = decisions(BASE, JURY)
    cells = d.scores.cells.copy()
    ana = cells["candidate"] == "ana"
    first_auto = cells.index[ana & (cells["kind"] == "autograde")][0]
    first_rubric = cells.index[ana & (cells["kind"] == "rubric")][0]
    cells.loc[first_auto, "auto_comment"] = "the checks' feedback"
    cells.loc[first_rubric, ["auto_comment", "manual_comment"]] = ["ignored", "the marker's comment"]
    ev = Decisions(S, d.thresholds, replace(d.scores, cells=cells), jury(JURY)).evidence(d.candidates.index("ana"))
    by_cell = {c["cell"]: c for c in ev["block1_cells"]}
    auto, rubric = cells.loc[first_auto], cells.loc[first_rubric]
    assert by_cell[auto["cell"]] == {
        "notebook": auto["notebook"], "cell": auto["cell"], "criterion": auto["criterion"], "kind": "autograde",
        "points": round(auto["points"], 6), "max_points": auto["max_points"], "auto_score": round(auto["auto_score"], 6),
        "comment": "the checks' feedback"}
    assert by_cell[rubric["cell"]] == {
        "notebook": rubric["notebook"], "cell": rubric["cell"], "criterion": rubric["criterion"], "kind": "rubric",
        "points": 2.0, "max_points": 3.0, "manual_score": 2.0, "comment": "the marker's comment"}


def test_evidence_keeps_the_jury_level_and_comment():
    frame = jury([("ana", "B2.1.a", 1.0), ("ana", "B2.1.b", 0.5)]).frame.copy()
    frame["level"] = ["excellent", None]
    frame["comment"] = ["Oral fluide", ""]
    from workbench.validator.jury import JuryResults

    d = Decisions(S, thresholds(), decisions(BASE, []).scores, JuryResults(frame, "jury.csv"))
    assert d.evidence(d.candidates.index("ana"))["jury"] == [
        {"criterion": "B2.1.a", "score": 1.0, "level": "excellent", "comment": "Oral fluide"},
        {"criterion": "B2.1.b", "score": 0.5}]


def test_without_a_jury_file_the_evidence_names_no_source():
    d = decisions(BASE, [])
    ev = d.evidence(d.candidates.index("ana"))
    assert ev["jury"] == [] and ev["jury_source"] is None
    assert d.documents[d.candidates.index("ana")]["blocks"]["B2"] == "not_evaluated"
