"""Criterion scores on the real ``grading/criterion_map.yml``, without a gradebook (milliseconds).

The rows have the shape :mod:`workbench.scores.gradebook` reads, so :func:`cell_table` and
:func:`aggregate` run as in production; the data are chosen where each rule matters: extra
credit and the clip to [0, 1], a manual score over the autograder's, a pending cell, weights of
each kind of evidence, rounding that a wrong formula would not hide.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from tests.validator.cohorts import CMAP, MAP, RULE, grade_rows, marks_for
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.scores import load_criterion_map
from workbench.scores.compute import CELL_COLUMNS, aggregate, cell_table
from workbench.scores.criterion_map import check_against_gradebook
from workbench.scores.rubric_import import _level, validate_rows
from workbench.scores.csvio import Row
from workbench.errors import ConfigError

REF, RUBRICS = load_referentiel(), load_rubrics()
B1 = REF.criterion_ids("B1")


def table(candidates):
    names = sorted(candidates)
    rows, cells = grade_rows(candidates)
    return names, cell_table(CMAP, names, rows, cells)


def scores(candidates, rule=RULE):
    names, cells = table(candidates)
    return aggregate(CMAP, names, cells, rule)


def cells_of(crit, kind=None):
    m = MAP[(MAP["criterion"] == crit) & ((MAP["kind"] == kind) if kind else True)]
    return list(zip(m["cell"], m["max_points"]))


def at(result, cand, crit):
    return result.score[result.candidates.index(cand), result.criteria.index(crit)]


def test_the_real_map_is_the_one_the_tests_score_with():
    real = load_criterion_map()
    assert real == CMAP and real.assignment == "block1"
    assert sorted(real.criteria()) == B1
    assert {k for _, c in real.cells() for k in [c.kind]} == {"autograde", "rubric"}
    # every block-1 criterion has a rubric cell (where a grader's level goes)
    assert all(real.rubric_cells(k) for k in B1)


def test_weighted_mean_of_shares_on_the_real_map():
    """B1.3.a: three autograded figures (2 points each) and one rubric cell (3 points)."""
    marks = marks_for({k: 1.0 for k in B1})
    auto = cells_of("B1.3.a", "autograde")
    assert len(auto) == 3 and cells_of("B1.3.a", "rubric")[0][1] == 3
    marks[auto[0][0]] = (0.0, None, None)          # one figure of three failed: autograde share 4/6
    marks[cells_of("B1.3.a", "rubric")[0][0]] = (None, 2.0, None)  # satisfactory: rubric share 2/3
    marks[cells_of("B1.1.a", "rubric")[0][0]] = (None, 1.0, None)  # B1.1.a: checks 1, rubric 1/3
    w_a, w_r = RULE.weight("autograde"), RULE.weight("rubric")
    r = scores({"ana": marks})
    assert at(r, "ana", "B1.3.a") == pytest.approx((w_a * 4 / 6 + w_r * 2 / 3) / (w_a + w_r))
    assert at(r, "ana", "B1.1.a") == pytest.approx((w_a * 1 + w_r / 3) / (w_a + w_r))
    # the evidence keeps plain sums: 4 + 2 of 6 + 3 points
    i, j = 0, r.criteria.index("B1.3.a")
    assert (r.points[i, j], r.max_points[i, j]) == (6.0, 9.0)


def test_each_weight_is_applied_to_its_own_kind():
    from workbench.scores.scoring import ScoringRule

    marks = marks_for({k: 1.0 for k in B1})
    marks[cells_of("B1.2.b", "rubric")[0][0]] = (None, 0.0, None)
    skewed = ScoringRule.model_validate({"evidence_weights": {"autograde": 3.0, "rubric": 1.0}})
    r = scores({"ana": marks}, skewed)
    assert at(r, "ana", "B1.2.b") == pytest.approx(3 / 4)  # checks 1 x 3, rubric 0 x 1
    swapped = ScoringRule.model_validate({"evidence_weights": {"autograde": 1.0, "rubric": 3.0}})
    assert at(scores({"ana": marks}, swapped), "ana", "B1.2.b") == pytest.approx(1 / 4)


def test_extra_credit_adds_on_top_and_the_score_is_clipped_to_one():
    marks = marks_for({k: 1.0 for k in B1})
    cell, pts = cells_of("B1.2.a", "autograde")[0]
    marks[cell] = (pts, None, 2.0)  # full marks plus 2 points of extra credit
    rubric = cells_of("B1.2.b", "rubric")[0][0]
    marks[rubric] = (None, 1.0, 1.0)  # partial level, one point of extra credit: 2 of 3
    names, cells = table({"ana": marks})
    row = cells[cells["cell"] == cell].iloc[0]
    assert row.points == pts + 2.0 and row.extra_credit == 2.0
    r = aggregate(CMAP, names, cells, RULE)
    assert at(r, "ana", "B1.2.a") == 1.0  # clipped, not above
    assert r.points[0, r.criteria.index("B1.2.a")] == pytest.approx(MAP.loc[MAP.criterion == "B1.2.a", "max_points"].sum() + 2)
    w_a, w_r = RULE.weight("autograde"), RULE.weight("rubric")
    assert at(r, "ana", "B1.2.b") == pytest.approx((w_a * 1 + w_r * 2 / 3) / (w_a + w_r))


def test_negative_points_clip_to_zero():
    marks = marks_for({k: 0.0 for k in B1})
    cell, _ = cells_of("B1.1.b", "rubric")[0]
    marks[cell] = (None, 0.0, -2.0)
    r = scores({"ana": marks})
    assert at(r, "ana", "B1.1.b") == 0.0
    assert all(0.0 <= v <= 1.0 for v in r.score.ravel())


def test_manual_score_overrides_the_autograders_and_zero_is_a_grade():
    marks = marks_for({k: 1.0 for k in B1})
    cell, pts = cells_of("B1.1.a", "autograde")[0]
    marks[cell] = (pts, 0.0, None)  # a marker set the check to 0 (not "no manual score")
    names, cells = table({"ana": marks})
    row = cells[cells["cell"] == cell].iloc[0]
    assert row.points == 0.0 and row.evaluated
    r = aggregate(CMAP, names, cells, RULE)
    assert at(r, "ana", "B1.1.a") < 1.0


def test_pending_cells_make_the_criterion_not_evaluated_with_their_reason():
    marks = marks_for({k: 1.0 for k in B1})
    rubric = cells_of("B1.3.b", "rubric")[0][0]
    auto = cells_of("B1.2.a", "autograde")[0][0]
    marks[rubric] = (None, None, None)
    marks[auto] = (None, None, None)
    names, cells = table({"ana": marks, "ben": None})
    assert list(cells.columns) == CELL_COLUMNS
    ana = cells[cells.candidate == "ana"].set_index("cell")
    assert ana.loc[rubric, "reason"] == "rubric level not yet given"
    assert ana.loc[auto, "reason"] == "not autograded"
    assert set(ana.drop([rubric, auto])["reason"]) == {""}
    assert set(cells[cells.candidate == "ben"]["reason"]) == {"no submission"}
    r = aggregate(CMAP, names, cells, RULE)
    assert math.isnan(at(r, "ana", "B1.3.b")) and math.isnan(at(r, "ana", "B1.2.a"))
    assert math.isnan(r.points[0, r.criteria.index("B1.3.b")])
    assert at(r, "ana", "B1.1.a") == 1.0
    assert np.isnan(r.score[1]).all()
    frame = r.frame()
    assert frame.loc[(frame.candidate == "ana") & (frame.criterion == "B1.3.b"), "status"].item() == "not_evaluated"
    assert frame.loc[(frame.candidate == "ana") & (frame.criterion == "B1.1.a"), "status"].item() == "evaluated"
    assert list(frame.columns) == ["candidate", "criterion", "points", "max_points", "score", "status"]


def test_a_cell_missing_from_the_gradebook_rows_has_its_own_reason():
    names = ["ana"]
    rows, cells = grade_rows({"ana": marks_for({k: 1.0 for k in B1})})
    gone = cells_of("B1.1.b", "rubric")[0][0]
    rows.grades.drop(rows.grades.index[rows.grades.cell_id == f"id-{gone}"], inplace=True)
    out = cell_table(CMAP, names, rows, cells).set_index("cell")
    assert out.loc[gone, "reason"] == "no grade in the gradebook" and not out.loc[gone, "evaluated"]


def test_rows_are_placed_by_candidate_and_cell_not_by_order():
    ana = marks_for({k: 1.0 for k in B1})
    ben = marks_for({k: 0.0 for k in B1})
    rows, cells = grade_rows({"ben": ben, "ana": ana})  # rows in another order than the sorted ids
    rows = replace(rows, grades=rows.grades.iloc[::-1].reset_index(drop=True))
    out = cell_table(CMAP, ["ana", "ben"], rows, cells)
    assert (out[out.candidate == "ana"]["points"] == MAP["max_points"].to_numpy()).all()
    assert (out[out.candidate == "ben"]["points"] == 0).all()


def test_comments_land_on_their_cell_and_unmapped_comments_are_dropped():
    rows, cells = grade_rows({"ana": marks_for({k: 1.0 for k in B1})})
    cell = cells_of("B1.2.b", "rubric")[0][0]
    nb = MAP.loc[MAP.cell == cell, "notebook"].item()
    extra = pd.DataFrame([("ana", nb, cell, "auto says", "marker says"), ("ana", nb, "plain_solution", None, "x")],
                         columns=rows.comments.columns)
    rows = replace(rows, comments=pd.concat([rows.comments[rows.comments.cell != cell], extra], ignore_index=True))
    out = cell_table(CMAP, ["ana"], rows, cells).set_index("cell")
    assert out.loc[cell, "manual_comment"] == "marker says" and out.loc[cell, "auto_comment"] == "auto says"
    assert out["manual_comment"].notna().sum() == 1


def test_rounding_matters_shares_are_exact_fractions_not_rounded_points():
    """1 point of 3 on one rubric cell: a third, exact to the last bits (no rounding of points or shares)."""
    marks = marks_for({k: 1.0 for k in B1})
    marks[cells_of("B1.1.b", "rubric")[0][0]] = (None, 1.0, None)
    r = scores({"ana": marks})
    w_a, w_r = RULE.weight("autograde"), RULE.weight("rubric")
    expected = (w_a * 1.0 + w_r / 3) / (w_a + w_r)
    assert at(r, "ana", "B1.1.b") == pytest.approx(expected, abs=1e-12)


def test_gradebook_check_uses_the_real_map():
    cells = MAP[["notebook", "cell"]].assign(max_score=MAP["max_points"])
    check_against_gradebook(CMAP, cells)  # the same set: no error
    off = cells.copy()
    off.loc[0, "max_score"] += 1e-6
    off.loc[1, "max_score"] += 1
    with pytest.raises(ConfigError, match="points in the gradebook") as err:
        check_against_gradebook(CMAP, off)
    first, second = (f"{nb}/{c}" for nb, c in zip(MAP["notebook"][:2], MAP["cell"][:2]))
    assert str(err.value).startswith("gradebook vs criterion map (block1): ")
    assert f"cell {first} is worth" in str(err.value) and f"; cell {second} is worth" in str(err.value)
    with pytest.raises(ConfigError) as err:
        check_against_gradebook(CMAP, cells.iloc[0:0])
    assert str(err.value) == ("gradebook: assignment 'block1' has no graded cells (is it the right gradebook?)")


# --- rubric levels as spreadsheets write them -------------------------------------------------

@pytest.mark.parametrize("raw, value", [("2", 2), ("2.0", 2), ("2,0", 2), ("3,0", 3), ("0.0", 0), ("0", 0),
                                        ("Satisfaisant", 2), ("excellent", 3), (" partial ", 1)])
def test_levels_written_as_spreadsheets_write_them(raw, value):
    assert _level(raw, RUBRICS) == (value, None)


@pytest.mark.parametrize("raw, fault", [
    ("2.5", "level 2.5 is not a rubric level"), ("2,5", "level 2,5 is not a rubric level"),
    ("4", "level 4 is above the maximum 3"), ("4.0", "level 4.0 is above the maximum 3"),
    ("-1", "level -1 is not a rubric level"), ("great", "unknown level 'great'"),
])
def test_levels_that_are_not_rubric_levels_are_named(raw, fault):
    level, message = _level(raw, RUBRICS)
    assert level is None and message.startswith(fault)
    assert "0=insufficient/Insuffisant" in message or "above" in message


def test_rubric_rows_are_checked_against_the_real_map():
    rows = [Row(2, {"candidate": "ana", "criterion": "B1.2.b", "level": "2,0", "comment": "ok", "grader": "m1"}),
            Row(3, {"candidate": "ana", "criterion": "B1.2.b", "level": "1"}),
            Row(4, {"candidate": "zed", "criterion": "B1.1.a", "level": "1"}),
            Row(5, {"candidate": "ben", "criterion": "B1.1.a", "level": "1"}),
            Row(6, {"candidate": "ana", "criterion": "B2.1.a", "level": "1"}),
            Row(7, {"candidate": "ana", "criterion": "B1.9.z", "level": "x"})]
    entries, faults = validate_rows(rows, cmap=CMAP, ref=REF, rubrics=RUBRICS, candidates={"ana", "ben"},
                                    submitted={"ana"})
    first = entries[0]
    assert (first.line, first.candidate, first.criterion, first.level, first.comment, first.grader) == (
        2, "ana", "B1.2.b", 2, "ok", "m1")
    assert first.cells == tuple((nb, c.cell) for nb, c in CMAP.rubric_cells("B1.2.b"))
    assert entries[1].comment is None and entries[1].grader is None
    assert faults == [
        "line 3: ana / B1.2.b already given on line 2",
        "line 4, column candidate: unknown candidate 'zed'",
        "line 5, column candidate: 'ben' has no submission of block1",
        "line 6, column criterion: B2.1.a has no rubric cell in the criterion map",
        "line 7, column criterion: unknown criterion 'B1.9.z'",
        f"line 7, column level: unknown level 'x' (known: {', '.join(f'{lv.value}={lv.id}/{lv.fr}' for lv in RUBRICS.levels)})",
    ]


def test_a_cohort_without_candidates_scores_to_empty_tables():
    """A course created before its candidates are imported: no candidate, no crash (was a TypeError)."""
    names, cells = table({})
    assert names == [] and len(cells) == 0 and list(cells.columns) == CELL_COLUMNS
    r = aggregate(CMAP, names, cells, RULE)
    assert r.score.shape == (0, len(B1)) and r.criteria == B1


def test_rubric_updates_target_every_cell_and_keep_what_they_replace():
    from workbench.errors import InputError
    from workbench.scores.rubric_import import Entry, Target, updates

    cells = tuple((nb, c.cell) for nb, c in CMAP.rubric_cells("B1.2.b"))
    (nb, cell), = cells
    targets = {("ana", nb, cell): Target("g1", 1.0, "c1", "older comment"),
               ("ben", nb, cell): Target("g2", None, None, None)}
    entries = [Entry(2, "ana", "B1.2.b", 3, "precise targets", "m1", cells),
               Entry(3, "ben", "B1.2.b", 0, "no comment cell", None, cells)]
    grades, comments, previous = updates(entries, targets, "levels.csv")
    assert grades == [{"gid": "g1", "score": 3.0}, {"gid": "g2", "score": 0.0}]
    assert comments == [{"cid": "c1", "comment": "precise targets"}]  # ben's cell has no comment row
    assert [json.loads(p) for p in previous] == [
        {f"{nb}/{cell}": {"manual_score": 1.0, "manual_comment": "older comment"}},
        {f"{nb}/{cell}": {"manual_score": None, "manual_comment": None}}]
    with pytest.raises(InputError, match=rf"line 4: no grade for cloé in {nb}/{cell} \(autograde it first\); "
                                         "nothing was changed") as err:
        updates(entries + [Entry(4, "cloé", "B1.2.b", 2, None, None, cells)], targets, "levels.csv")
    assert "levels.csv" in str(err.value)


def test_comments_and_submission_times_are_placed_by_candidate_and_cell():
    rows, cells = grade_rows({"ana": marks_for({k: 1.0 for k in B1}), "ben": marks_for({k: 1.0 for k in B1}),
                              "cloé": None})
    first_nb, first_cell = MAP["notebook"].iloc[0], MAP["cell"].iloc[0]
    extra = pd.DataFrame([("ana", first_nb, first_cell, None, "first cell, first candidate"),
                          ("ben", first_nb, "plain_solution", None, "not a graded cell")],
                         columns=rows.comments.columns)
    keep = ~((rows.comments.candidate == "ana") & (rows.comments.cell == first_cell))
    rows = replace(rows, comments=pd.concat([rows.comments[keep], extra], ignore_index=True))
    out = cell_table(CMAP, ["ana", "ben", "cloé"], rows, cells)
    comments = out["manual_comment"].tolist()
    # the first cell of the first candidate is position 0; an unmapped cell's comment lands nowhere
    assert comments[0] == "first cell, first candidate"
    assert [c for c in comments[1:] if c is not None] == []
    when = out.groupby("candidate", sort=False)["submitted_at"].first().to_dict()
    assert when == {"ana": "2026-06-01 10:00:00", "ben": "2026-06-01 10:00:00", "cloé": None}
    assert out["candidate"].tolist() == ["ana"] * len(MAP) + ["ben"] * len(MAP) + ["cloé"] * len(MAP)
