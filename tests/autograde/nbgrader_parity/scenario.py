"""Helpers shared by the ported scenarios (see ``test_upstream_*.py``)."""

from __future__ import annotations

from pathlib import Path

from tests.autograde.nbgrader_parity.harness import (Course, Twins, autograded_tree, gradebook_rows,
                                                     run_workbench, twins)

A = "autograded/{}/ps1/{}"


def _course(tmp_path: Path, students=("foo", "bar")) -> Course:
    course = Course(tmp_path / "build")
    course.setup(list(students))
    return course


def _leftover(pair: Twins, student: str):
    """Documented difference: after failing a submission nbgrader leaves an empty
    ``autograded/<student>/``, the workbench nothing. Asserts it; returns the line to ignore."""
    assert list(pair.nb.path(f"autograded/{student}").iterdir()) == []
    assert not pair.wb.exists(f"autograded/{student}")
    return lambda line: line == f"autograded: {student}: only with nbgrader"


def _same(pair: Twins, ignore=lambda line: False) -> None:
    diffs = pair.differences(ignore=ignore)
    assert not diffs, "nbgrader and workbench differ:\n" + "\n".join(diffs)


def _two_submissions(tmp_path: Path, source: str, foo: str, bar: str, *, root_files=()) -> Twins:
    course = _course(tmp_path)
    for name in root_files:
        course.copy(name, name)
    course.copy(source, "source/ps1/p1.ipynb")
    course.generate()
    course.copy(foo, A.format("foo", "p1.ipynb").replace("autograded", "submitted"))
    course.copy(bar, A.format("bar", "p1.ipynb").replace("autograded", "submitted"))
    return twins(course, tmp_path)


def _scores(c: Course, expected: dict[str, tuple]) -> None:
    with c.gradebook() as gb:
        for student, want in expected.items():
            nb = gb.find_submission_notebook("p1", "ps1", student)
            assert (nb.score, nb.max_score, nb.needs_manual_grade) == want, (c.root.name, student)


S = "submitted/{}/ps1/{}"


def _refuses_notebook(pair: Twins, *flags: str) -> None:
    """Documented refusal: ``workbench autograde --notebook`` exits 2 in one line, changing nothing."""
    before = autograded_tree(pair.wb), gradebook_rows(pair.wb)
    code, crash = run_workbench(pair.wb.root, ["ps1", *flags])
    assert code == 2 and not crash
    assert (autograded_tree(pair.wb), gradebook_rows(pair.wb)) == before
