"""A rubric cell whose markers diverged awaits moderation: not evaluated, whatever the gradebook holds,
and said so (reason, status) apart from the other reasons (real map, no gradebook, milliseconds)."""

from __future__ import annotations

import math

import numpy as np

from tests.validator.cohorts import CMAP, MAP, RULE, grade_rows, marks_for
from workbench.referentiel import load_referentiel
from workbench.scores.compute import AWAITING_MODERATION, aggregate, cell_table

B1 = load_referentiel().criterion_ids("B1")


def held_cohort():
    """ana: B1.2.a awaits moderation (its rubric cell graded anyway); ben: B1.3.b's rubric cell ungraded;
    cloé: no submission, with a pair in the queue too."""
    names = ["ana", "ben", "cloé"]
    ben = marks_for({k: 1.0 for k in B1})
    ben_rubric = MAP.loc[(MAP.criterion == "B1.3.b") & (MAP.kind == "rubric"), "cell"].item()
    ben[ben_rubric] = (None, None, None)
    rows, cells = grade_rows({"ana": marks_for({k: 1.0 for k in B1}), "ben": ben, "cloé": None})
    awaiting = {("ana", "B1.2.a"), ("cloé", "B1.1.a")}
    return names, cell_table(CMAP, names, rows, cells, awaiting)


def test_the_held_rubric_cell_is_not_evaluated_with_its_own_reason_and_nothing_else_is():
    _, cells = held_cohort()
    ana = cells[cells.candidate == "ana"]
    held = (ana.criterion == "B1.2.a") & (ana.kind == "rubric")
    assert held.sum() >= 1
    assert not ana[held].evaluated.any() and set(ana[held].reason) == {AWAITING_MODERATION}
    assert (ana[held].manual_score == 3.0).all()  # the gradebook's level is kept as evidence, not counted
    # the autograded cells of the same criterion, and every other cell, are evaluated as usual
    assert ana[~held].evaluated.all() and set(ana[~held].reason) == {""}
    ben = cells[cells.candidate == "ben"]
    assert set(ben.reason) == {"", "rubric level not yet given"}
    # without a submission the reason stays "no submission", queue or not
    assert set(cells[cells.candidate == "cloé"].reason) == {"no submission"}


def test_a_held_criterion_scores_nan_and_reads_awaiting_moderation():
    names, cells = held_cohort()
    r = aggregate(CMAP, names, cells, RULE)
    i, j = names.index("ana"), r.criteria.index("B1.2.a")
    assert math.isnan(r.score[i, j])
    expected = np.zeros((3, len(B1)), dtype=bool)
    expected[i, j] = True
    assert (r.awaiting == expected).all()
    assert np.nansum(r.score[i]) == len(B1) - 1  # the other criteria at full marks
    status = r.frame().set_index(["candidate", "criterion"])["status"]
    assert status[("ana", "B1.2.a")] == "awaiting_moderation"
    assert status[("ana", "B1.1.a")] == "evaluated"
    assert status[("ben", "B1.3.b")] == "not_evaluated"
    assert status[("cloé", "B1.1.a")] == "not_evaluated"  # no submission: nothing to moderate
    assert (status == "awaiting_moderation").sum() == 1


def test_a_cell_table_without_reasons_has_no_awaiting_status():
    names, cells = held_cohort()
    r = aggregate(CMAP, names, cells.drop(columns="reason"), RULE)
    assert r.awaiting is None
    assert set(r.frame()["status"]) == {"evaluated", "not_evaluated"}
