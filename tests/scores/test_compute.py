"""Criterion scores from a real gradebook written through nbgrader's Gradebook API."""

from __future__ import annotations

import math

import pytest

from tests.scores.factory import FIXTURES, build_gradebook, full_marks, with_levels
from workbench.errors import InputError
from workbench.scores import compute_scores, load_scoring_rule
from workbench.scores.gradebook import open_gradebook

RULE = load_scoring_rule(FIXTURES / "scoring.yml")  # autograde 1, rubric 2


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("compute")
    partial = with_levels(2, auto_fraction=0.5)
    del partial["targets_rubric"]  # a rubric cell nobody graded yet
    overridden = full_marks()
    overridden["collect_categories"] = (3.0, 1.0)  # a grader lowered the autograder's score
    build_gradebook(tmp_path / "gb.db", {"ana": full_marks(), "bea": partial, "chloé": None, "dan": overridden},
                    comments={("bea", "justification_rubric"): "Justifications génériques, à relier à la stratégie"})
    return tmp_path / "gb.db"


@pytest.fixture(scope="module")
def scored(gradebook, cmap):
    engine = open_gradebook(gradebook)
    yield compute_scores(engine=engine, cmap=cmap, rule=RULE)
    engine.dispose()


def score(result, cand, crit):
    return result.score[result.candidates.index(cand), result.criteria.index(crit)]


def test_weighted_mean_of_each_kinds_share(scored):
    assert scored.candidates == ["ana", "bea", "chloé", "dan"]
    assert all(score(scored, "ana", k) == 1.0 for k in scored.criteria)
    # B1.2.a: autograde share (segment_scaling 1 + segment_k 0.5) / 3 = 1/2, rubric share 2/3
    # -> (1 x 1/2 + 2 x 2/3) / (1 + 2) = 11/18
    assert score(scored, "bea", "B1.2.a") == pytest.approx((1 * 1.5 / 3 + 2 * 2 / 3) / 3)
    assert score(scored, "bea", "B1.2.a") == pytest.approx(11 / 18)
    assert score(scored, "bea", "B1.1.b") == pytest.approx(2 / 3)  # rubric only: its share
    # B1.3.a: chart_labels 1/2, rubric 2/3 -> (1/2 + 4/3) / 3
    assert score(scored, "bea", "B1.3.a") == pytest.approx(11 / 18)
    # the evidence keeps the plain sums: points 1 + 2 of 2 + 3
    i, j = scored.candidates.index("bea"), scored.criteria.index("B1.3.a")
    assert (scored.points[i, j], scored.max_points[i, j]) == (3.0, 5.0)
    assert scored.rule == RULE


def test_the_weights_are_data(gradebook, cmap, tmp_path):
    path = tmp_path / "scoring.yml"
    path.write_text("evidence_weights: {autograde: 1, rubric: 1}\n", encoding="utf-8")
    engine = open_gradebook(gradebook)
    equal = compute_scores(engine=engine, cmap=cmap, rule=load_scoring_rule(path))
    engine.dispose()
    assert score(equal, "bea", "B1.2.a") == pytest.approx((1.5 / 3 + 2 / 3) / 2)
    assert score(equal, "bea", "B1.1.b") == pytest.approx(2 / 3)  # one kind: the weights cancel out
    assert math.isnan(score(equal, "bea", "B1.2.b"))


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
    for folder in (tmp_path, f"sqlite:///{tmp_path}"):
        with pytest.raises(InputError, match="a folder, not a gradebook file"):
            open_gradebook(folder)
    (tmp_path / "other.db").write_bytes(b"")
    with pytest.raises(InputError, match="not an nbgrader gradebook"):
        open_gradebook(tmp_path / "other.db")


def test_check_messages_are_read_per_candidate_and_cell(gradebook, cmap, tmp_path):
    import json

    def notebook(text):
        cell = {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": "segment_k"}}, "source": "",
                "outputs": [{"output_type": "stream", "name": "stdout", "text": text}]}
        return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})

    for cand, text in (("ana", "k = 4 is within 3 to 6"), ("bea", "k = 9: outside 3 to 6")):
        folder = tmp_path / "autograded" / cand / "block1"
        folder.mkdir(parents=True)
        (folder / "1_2_segmentation.ipynb").write_text(notebook(text), encoding="utf-8")
    engine = open_gradebook(gradebook)
    result = compute_scores(engine=engine, cmap=cmap, rule=RULE, course_dir=tmp_path)
    engine.dispose()
    cells = result.cells.set_index(["candidate", "cell"])
    assert cells.loc[("ana", "segment_k"), "messages"] == "k = 4 is within 3 to 6"
    assert cells.loc[("bea", "segment_k"), "messages"] == "k = 9: outside 3 to 6"
    assert cells["messages"].notna().sum() == 2  # no notebook, no message; other cells none
    assert score(result, "bea", "B1.2.a") == pytest.approx(11 / 18)  # messages change no score


def test_pairs_awaiting_moderation_are_not_evaluated_whatever_the_gradebook_holds(gradebook, cmap):
    engine = open_gradebook(gradebook)
    held = compute_scores(engine=engine, cmap=cmap, rule=RULE, awaiting={("bea", "B1.1.b")})
    engine.dispose()
    assert math.isnan(score(held, "bea", "B1.1.b"))  # level 2 in the gradebook, 2/3 without the queue
    assert held.awaiting.sum() == 1 and held.awaiting[held.candidates.index("bea"), held.criteria.index("B1.1.b")]
    assert score(held, "ana", "B1.1.b") == 1.0


def test_a_map_that_disagrees_with_the_gradebook_is_named_where_it_was_read(gradebook):
    from workbench.errors import ConfigError
    from workbench.scores import load_criterion_map

    real = load_criterion_map()  # the real map's cells are not the fixture gradebook's
    engine = open_gradebook(gradebook)
    try:
        with pytest.raises(ConfigError) as err:
            compute_scores(engine=engine, cmap=real, rule=RULE, where="cohort-2026.db")
        assert str(err.value).startswith("cohort-2026.db vs criterion map (block1): ")
        with pytest.raises(ConfigError) as err:
            compute_scores(engine=engine, cmap=real, rule=RULE)
        assert str(err.value).startswith("gradebook vs criterion map (block1): ")
    finally:
        engine.dispose()
