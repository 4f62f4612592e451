"""nbgrader's steps run in memory (workbench.autograde.steps): same gradebook as nbgrader's own."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from tests.autograde.conftest import add_cohort, copy_course, review_rows
from workbench.autograde.runner import Options, run
from workbench.autograde.steps import shared_gradebook


def _grade_by_hand(root: Path, student: str) -> None:
    """A grader overrides one autograded test and scores the written answer."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "block1") as gb:
        nb = gb.find_submission_notebook("segmentation", "segmentation", student)
        for grade in nb.grades:
            if grade.name in ("test_kmeans", "interpretation"):
                grade.manual_score = 1.5
        gb.db.commit()


def _manual(root: Path) -> list[tuple]:
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "block1") as gb:
        return sorted((s.student.id, g.name, g.manual_score, g.auto_score, g.needs_manual_grade)
                      for s in gb.assignment_submissions("segmentation") for nb in s.notebooks
                      for g in nb.grades)


@pytest.mark.slow
def test_regrade_keeps_manual_scores_like_nbgrader(course: Path, tmp_path: Path) -> None:
    cohort = add_cohort(course, ["good", "k3"])
    twin = copy_course(course, tmp_path / "twin")
    nbgrader = ["nbgrader", "autograde", "segmentation"]
    assert subprocess.run(nbgrader, cwd=twin, capture_output=True, timeout=600).returncode == 0
    run(course_dir=course, assignment="segmentation", opts=Options(workers=1))
    for root in (course, twin):
        for student in cohort:
            _grade_by_hand(root, student)
    # Regrade: the manual scores stay, and the overridden cells are flagged for review again.
    assert subprocess.run(nbgrader + ["--force"], cwd=twin, capture_output=True, timeout=600).returncode == 0
    again = run(course_dir=course, assignment="segmentation", opts=Options(workers=1, force=True))
    assert again.graded == len(cohort)
    ours = _manual(course)
    assert ours == _manual(twin)
    assert review_rows(course) == review_rows(twin)
    flagged = [row for row in ours if row[2] == 1.5]
    assert len(flagged) == 2 * len(cohort) and all(row[4] for row in flagged)


def test_shared_gradebook_lasts_one_batch(tmp_path: Path) -> None:
    original = Gradebook.__dict__["__init__"]
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with shared_gradebook():
        assert Gradebook.__dict__["__init__"] is not original
        with Gradebook(url) as gb:
            gb.add_student("ana")
        with Gradebook(url) as gb:  # the quick path: no schema checks, same engine
            assert gb.find_student("ana").id == "ana"
    assert Gradebook.__dict__["__init__"] is original
    # The same path made again (a demo run twice in one process): tables are created anew.
    (tmp_path / "gradebook.db").unlink()
    with shared_gradebook():
        with Gradebook(url) as gb:
            gb.add_student("ben")
            assert [s.id for s in gb.students] == ["ben"]
