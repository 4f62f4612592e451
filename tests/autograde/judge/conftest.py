"""A real judged course: block 1 built for a scenario, keys copied by `course create`, released by
nbgrader, submissions written from the release and graded by `workbench autograde` (sandboxed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.exercises.course import ASSIGNMENT, autograded_scores, fill, reference_answers

FIXTURES = Path(__file__).parents[2] / "course" / "fixtures"


@pytest.fixture(scope="session")
def judged_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course created from the cdnow scenario, with block 1 generated (release/ exists)."""
    from workbench.course.create import create_course
    from workbench.course.exchange import release

    root = tmp_path_factory.mktemp("judged") / "course"
    create_course(course_dir=root, course_id="judge-test", candidates_csv=FIXTURES / "candidates.csv",
                  scenario="cdnow_winback")
    release(course_dir=root, assignment=ASSIGNMENT)
    return root


def copy_course(template: Path, dest: Path) -> Path:
    """Copy a course folder; every path of its nbgrader_config.py (root, exchange, gradebook URL)
    now points into the copy."""
    shutil.copytree(template, dest)
    config = dest / "nbgrader_config.py"
    config.write_text(config.read_text().replace(str(template), str(dest)))
    return dest


@pytest.fixture
def judged_course(judged_template: Path, tmp_path: Path) -> Path:
    return copy_course(judged_template, tmp_path / "course")


def model_answers(course: Path) -> dict[str, dict[str, str]]:
    """The reference solution of every notebook, as a candidate would type it."""
    return {nb.stem: reference_answers(nb) for nb in sorted((course / "source" / ASSIGNMENT).glob("*.ipynb"))}


def submit(course: Path, student: str, answers: dict[str, dict[str, str]],
           extra_cells: dict[str, list[tuple[int, str]]] | None = None) -> Path:
    """Write ``submitted/<student>/block1`` from the release: data, the notebooks filled with
    ``answers``, and ``extra_cells`` (notebook -> [(position, code)]) added as a candidate would."""
    import nbformat

    release = course / "release" / ASSIGNMENT
    folder = course / "submitted" / student / ASSIGNMENT
    shutil.copytree(release / "data", folder / "data", dirs_exist_ok=True)
    for name, filled in answers.items():
        fill(release / f"{name}.ipynb", filled, folder / f"{name}.ipynb")
        for position, code in (extra_cells or {}).get(name, []):
            nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
            nb.cells.insert(position if position >= 0 else len(nb.cells) + 1 + position,
                            nbformat.v4.new_code_cell(code))
            nbformat.write(nb, folder / f"{name}.ipynb")
    (folder / "timestamp.txt").write_text("2026-12-05 10:00:00.000000 UTC")
    return folder


def grade(course: Path, **options) -> "object":
    from workbench.autograde.runner import Options, run

    return run(course_dir=course, assignment=ASSIGNMENT, opts=Options(workers=2, **options))


__all__ = ["autograded_scores", "grade", "model_answers", "submit"]
