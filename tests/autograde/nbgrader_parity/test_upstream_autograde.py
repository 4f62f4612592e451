"""nbgrader 0.9.6's own autograde tests, each run by nbgrader and by the workbench, then compared.

Ported from ``nbgrader/tests/apps/test_nbgrader_autograde.py`` (jupyter/nbgrader v0.9.6): one
test per upstream test, same name, same fixtures (``files/``), same commands and upstream's
assertions checked on *both* copies; then :meth:`Twins.differences` must be empty, except the
lines a documented difference ("Differences from nbgrader autograde", docs/autograde.md)
explains, which the test asserts instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nbgrader.api import MissingEntry

from tests.autograde.nbgrader_parity.harness import Course, Twins, twins

pytestmark = pytest.mark.slow

A = "autograded/{}/ps1/{}"


def _course(tmp_path: Path, students=("foo", "bar")) -> Course:
    course = Course(tmp_path / "build")
    course.setup(list(students))
    return course


def _same(pair: Twins, ignore=lambda line: False) -> None:
    diffs = pair.differences(ignore=ignore)
    assert not diffs, "nbgrader and workbench differ:\n" + "\n".join(diffs)


# -- test_grade ------------------------------------------------------------------------------
def test_grade(tmp_path: Path) -> None:
    course = _course(tmp_path)
    course.copy("submitted-unchanged.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("submitted-unchanged.ipynb", "submitted/foo/ps1/p1.ipynb")
    course.copy("submitted-changed.ipynb", "submitted/bar/ps1/p1.ipynb")
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb")) and not c.isfile(A.format("foo", "timestamp.txt"))
        assert c.isfile(A.format("bar", "p1.ipynb")) and not c.isfile(A.format("bar", "timestamp.txt"))
        with c.gradebook() as gb:
            nb = gb.find_submission_notebook("p1", "ps1", "foo")
            assert (nb.score, nb.max_score, nb.needs_manual_grade) == (1, 7, False)
            for name in ("set_a", "baz", "quux"):
                assert gb.find_comment(name, "p1", "ps1", "foo").comment == "No response."
            nb = gb.find_submission_notebook("p1", "ps1", "bar")
            assert (nb.score, nb.max_score, nb.needs_manual_grade) == (2, 7, True)
            assert gb.find_comment("set_a", "p1", "ps1", "bar").comment is None
            assert gb.find_comment("quux", "p1", "ps1", "bar").comment is None
    _same(pair)
