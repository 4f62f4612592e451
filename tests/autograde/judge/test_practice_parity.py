"""Plain `nbgrader autograde` (the practice judge, in the kernel) and `workbench autograde` (the
judge outside the sandbox) give identical scores on honest submissions of the block-1 set."""

from __future__ import annotations

import pytest

from tests.autograde.judge.conftest import autograded_scores, copy_course, grade, model_answers, submit
from tests.exercises.course import ASSIGNMENT, nbgrader

pytestmark = pytest.mark.slow


def _honest_cohort(course) -> dict[str, dict]:
    model = model_answers(course)
    flawed = {k: dict(v) for k, v in model.items()}
    # honest but imperfect: e-mail kept without purpose, a chart without a title
    flawed["1_1_collecte"]["choose_categories"] = flawed["1_1_collecte"]["choose_categories"].replace(
        '"purchase_value"]', '"purchase_value", "contact_details"]')
    flawed["1_3_visualisation"]["fig_sizes"] = flawed["1_3_visualisation"]["fig_sizes"].replace(
        'ax.set_title("Each segment\'s share of customers and of value")\n', "")
    return {"c001": model, "c002": flawed}


def test_practice_and_judged_batches_give_identical_scores(judged_template, tmp_path) -> None:
    plain = copy_course(judged_template, tmp_path / "plain")
    judged = copy_course(judged_template, tmp_path / "judged")
    for course in (plain, judged):
        for student, answers in _honest_cohort(course).items():
            submit(course, student, answers)
    nbgrader(plain, "autograde", ASSIGNMENT)
    summary = grade(judged)
    assert summary.graded == 2 and not summary.needs_review, summary
    for student in ("c001", "c002"):
        ours, theirs = autograded_scores(judged, student), autograded_scores(plain, student)
        assert ours == theirs, (student, {k: (ours.get(k), theirs.get(k)) for k in set(ours) | set(theirs)
                                          if ours.get(k) != theirs.get(k)})
    model = autograded_scores(judged, "c001")
    assert all(score == top for score, top in model.values()), model
    flawed = autograded_scores(judged, "c002")
    assert flawed[("1_1_collecte", "collect_categories")][0] < 2
    assert flawed[("1_3_visualisation", "clarity_sizes")][0] < 2
