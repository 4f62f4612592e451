"""Criterion scores from a real gradebook written through nbgrader's Gradebook API."""

from __future__ import annotations

import math

import pytest

from tests.scores.factory import build_gradebook, full_marks, with_levels
from workbench.errors import InputError
from workbench.scores import compute_scores
from workbench.scores.gradebook import open_gradebook


@pytest.fixture(scope="module")
def scored(tmp_path_factory, cmap):
    tmp_path = tmp_path_factory.mktemp("compute")
    partial = with_levels(2, auto_fraction=0.5)
    del partial["targets_rubric"]  # a rubric cell nobody graded yet
    overridden = full_marks()
    overridden["collect_categories"] = (3.0, 1.0)  # a grader lowered the autograder's score
    build_gradebook(tmp_path / "gb.db", {"ana": full_marks(), "bea": partial, "chloé": None, "dan": overridden},
                    comments={("bea", "justification_rubric"): "Justifications génériques, à relier à la stratégie"})
    engine = open_gradebook(tmp_path / "gb.db")
    yield compute_scores(engine=engine, cmap=cmap)
    engine.dispose()


def score(result, cand, crit):
    return result.score[result.candidates.index(cand), result.criteria.index(crit)]


def test_sum_of_mapped_cells_normalised(scored):
    assert scored.candidates == ["ana", "bea", "chloé", "dan"]
    assert all(score(scored, "ana", k) == 1.0 for k in scored.criteria)
    # B1.2.a = segment_scaling 1/2 + segment_k 0.5/1 + rubric 2/3 -> 3.5 / 6
    assert score(scored, "bea", "B1.2.a") == pytest.approx(3.5 / 6)
    assert score(scored, "bea", "B1.1.b") == pytest.approx(2 / 3)
    assert score(scored, "bea", "B1.3.a") == pytest.approx((1 + 2) / 5)


def test_ungraded_rubric_cell_is_not_evaluated_not_zero(scored):
    assert math.isnan(score(scored, "bea", "B1.2.b"))
    cell = scored.cells[(scored.cells.candidate == "bea") & (scored.cells.cell == "targets_rubric")].iloc[0]
    assert not cell.evaluated and cell.reason == "rubric level not yet given"


def test_missing_submission_is_not_evaluated_with_reason(scored):
    i = scored.candidates.index("chloé")
    assert all(math.isnan(x) for x in scored.score[i])
    assert set(scored.cells[scored.cells.candidate == "chloé"].reason) == {"no submission"}


def test_manual_score_overrides_autograder(scored):
    assert score(scored, "dan", "B1.1.a") == pytest.approx(1 / 3)


def test_evidence_keeps_comment_and_submission_time(scored):
    cell = scored.cells[(scored.cells.candidate == "bea") & (scored.cells.cell == "justification_rubric")].iloc[0]
    assert cell.manual_comment == "Justifications génériques, à relier à la stratégie"
    assert cell.manual_score == 2.0 and cell.max_points == 3.0
    assert cell.submitted_at.startswith("2026-06-01 10:00:00")


def test_long_frame_has_status(scored):
    frame = scored.frame()
    row = frame[(frame.candidate == "bea") & (frame.criterion == "B1.2.b")].iloc[0]
    assert row.status == "not_evaluated"
    assert len(frame) == 4 * 6


def test_missing_or_foreign_gradebook_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="gradebook not found"):
        open_gradebook(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()
    (tmp_path / "other.db").write_bytes(b"")
    with pytest.raises(InputError, match="not an nbgrader gradebook"):
        open_gradebook(tmp_path / "other.db")
