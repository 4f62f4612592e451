"""Batch grading on the realistic fixture assignment: scores, gradebook, journal and skipping."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tests.autograde.conftest import EXPECTED, add_cohort, gradebook_scores, integrity_ok
from workbench.autograde.journal import Journal
from workbench.autograde.runner import Options, journal_path, run

pytestmark = pytest.mark.slow


def test_batch_scores_gradebook_and_autograded_notebooks(course: Path) -> None:
    cohort = add_cohort(course, list(EXPECTED))
    events = []
    summary = run(course_dir=course, assignment="segmentation",
                  opts=Options(workers=2), listen=lambda e, d: events.append((e, d)))
    scores = gradebook_scores(course)
    assert {s: scores[s]["total"] for s in cohort} == {s: EXPECTED[p] for s, p in cohort.items()}
    assert summary.graded == len(cohort) and summary.faults == 0 and summary.infra_failed == 0
    assert 0 < summary.cells_cpu < summary.worker_cpu and summary.warm_cpu > 0
    assert [d["student"] for e, d in events if e == "candidate"].__len__() == len(cohort)
    # the autograded notebook holds real outputs, including the chart, and the restored hidden tests
    good = next(s for s, p in cohort.items() if p == "good")
    nb = nbformat.read(str(course / "autograded" / good / "segmentation" / "segmentation.ipynb"), 4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert "BEGIN HIDDEN TESTS" in json.dumps(nb)
    assert (course / "autograded" / good / "segmentation" / "customers.csv").exists()
    # manual grading still works: the interpretation cell waits for a grader
    assert scores[good]["interpretation"] == 0.0 or scores[good]["interpretation"] is None
    assert integrity_ok(course / "gradebook.db")
    statuses = {e.student: e.status for e in Journal(journal_path(course)).entries("segmentation").values()}
    assert statuses[good] == "ok"
    assert statuses[next(s for s, p in cohort.items() if p == "typo")] == "errors"


def test_second_run_skips_graded_and_force_regrades(course: Path) -> None:
    add_cohort(course, ["good", "k3"])
    first = run(course_dir=course, assignment="segmentation", opts=Options(workers=1))
    again = run(course_dir=course, assignment="segmentation", opts=Options(workers=1))
    forced = run(course_dir=course, assignment="segmentation", opts=Options(workers=1, force=True))
    assert (first.graded, again.graded, again.skipped, forced.graded) == (2, 0, 2, 2)
    assert forced.scores == first.scores


def test_resubmission_is_regraded(course: Path) -> None:
    from tests.autograde.fixtures import factory

    cohort = add_cohort(course, ["k3"])
    student = next(iter(cohort))
    run(course_dir=course, assignment="segmentation", opts=Options(workers=1))
    factory.submit(course, student, factory.fill(factory.release_notebook(course), {}))
    summary = run(course_dir=course, assignment="segmentation", opts=Options(workers=1))
    assert summary.graded == 1
    assert gradebook_scores(course)[student]["total"] == EXPECTED["good"]
