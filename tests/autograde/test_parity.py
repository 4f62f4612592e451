"""Same submissions, same scores: `nbgrader autograde` against `workbench autograde`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.autograde.conftest import add_cohort, copy_course, gradebook_scores, review_rows
from workbench.autograde.runner import Options, run

pytestmark = pytest.mark.slow


def test_scores_identical_to_nbgrader(course: Path, tmp_path: Path) -> None:
    cohort = add_cohort(course, ["good", "k3", "typo"])
    twin = copy_course(course, tmp_path / "twin")
    done = subprocess.run(["nbgrader", "autograde", "segmentation"], cwd=twin, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    run(course_dir=course, assignment="segmentation", opts=Options(workers=2))
    ours, theirs = gradebook_scores(course), gradebook_scores(twin)
    assert set(ours) == set(theirs) == set(cohort)
    assert ours == theirs  # every grade cell of every candidate, plus the totals
    assert len({v["total"] for v in ours.values()}) >= 3  # the cohort really spreads the scores
    # what graders see in formgrader: comments and review flags, and the autograded notebooks
    # (same cells, sources and metadata, errors in the same cells; other outputs depend on the
    # kernel's environment, e.g. a figure is shown inline or not depending on MPLBACKEND)
    assert review_rows(course) == review_rows(twin)
    for student in cohort:
        mine = _cells(course / "autograded" / student / "segmentation" / "segmentation.ipynb")
        assert mine == _cells(twin / "autograded" / student / "segmentation" / "segmentation.ipynb")
    # a course already autograded by nbgrader is not regraded (nbgrader's own skip rule)
    again = run(course_dir=twin, assignment="segmentation", opts=Options(workers=1))
    assert (again.graded, again.skipped) == (0, len(cohort))


def _cells(path: Path) -> list[tuple]:
    nb = nbformat.read(str(path), as_version=4)
    for c in nb.cells:  # timestamps differ, their keys must not
        if "execution" in c.metadata:
            c.metadata["execution"] = sorted(c.metadata["execution"])
    return [(c.cell_type, c.source, c.metadata, any(o.get("output_type") == "error" for o in c.get("outputs", [])))
            for c in nb.cells]
