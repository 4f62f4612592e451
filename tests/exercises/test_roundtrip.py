"""Real nbgrader round trip on a scratch course: generate → submit → autograde.

Every submission of a course (the reference solution and the flawed ones) is autograded by ONE
``nbgrader autograde`` run; the three courses (see ``COURSES``) run side by side.
A flawed submission holds only the notebook its flaw is in: notebooks are graded independently
(each rebuilds its inputs from data/), which the reference run shows.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest
import yaml

from tests.exercises.course import (
    ASSIGNMENT,
    NBGRADER,
    _env,
    autograded_scores,
    cell_errors,
    make_course,
    nbgrader,
    reference_answers,
    stderr_outputs,
    submit,
)
from workbench.demo.flaws import FLAWS
from workbench.exercises.config import load_config

pytestmark = pytest.mark.slow

SCENARIOS = ("cdnow_winback", "caravan_crosssell")
CRITERION_MAP = yaml.safe_load((Path(__file__).resolve().parents[2] / "grading/criterion_map.yml").read_text())


def _criterion(notebook: str, cell: str) -> str:
    return next(r["criterion"] for r in CRITERION_MAP["notebooks"][notebook] if r["cell"] == cell)


# Three scratch courses, autograded side by side (2 cores): CDNOW's submissions are split in two.
# (scenario, holds the reference submission, notebooks whose flaws it grades)
COURSES = (
    ("cdnow_winback", False, {"1_1_collecte", "1_2_analyse"}),
    ("cdnow_winback", True, {"1_3_visualisation"}),
    ("caravan_crosssell", True, {"1_1_collecte", "1_2_analyse", "1_3_visualisation"}),
)


def _start(args: list[str], root: Path) -> subprocess.Popen:
    return subprocess.Popen([NBGRADER, *args, f"--CourseDirectory.root={root}"], cwd=root, env=_env(),
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        log, _ = proc.communicate(timeout=900)
        assert proc.returncode == 0, log


@pytest.fixture(scope="module")
def courses(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """``(scenario, student) -> course root``, every course generated, submitted and autograded."""
    notebooks = load_config().notebooks
    roots = [make_course(tmp_path_factory.mktemp(scenario), scenario) for scenario, _, _ in COURSES]
    _wait([_start(["generate_assignment", ASSIGNMENT, "--create", "--force"], root) for root in roots])
    where = {}
    for root, (scenario, with_reference, graded) in zip(roots, COURSES):
        source = root / "source" / ASSIGNMENT
        reference = {nb: reference_answers(source / f"{nb}.ipynb") for nb in notebooks}
        if with_reference:
            submit(root, "reference", reference)
            where[(scenario, "reference")] = root
        for flaw in (f for f in FLAWS if f.scenario == scenario and f.notebook in graded):
            submit(root, f"flaw_{flaw.id}", {flaw.notebook: flaw.apply(reference[flaw.notebook])})
            where[(scenario, f"flaw_{flaw.id}")] = root
    _wait([_start(["autograde", ASSIGNMENT, "--create", "--force"], root) for root in roots])
    return where


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_release_holds_neither_solutions_nor_hidden_tests(courses, scenario):
    root = courses[(scenario, "reference")]
    release = root / "release" / ASSIGNMENT
    answers = reference_answers(root / "source" / ASSIGNMENT / "1_1_collecte.ipynb")
    for name in load_config().notebooks:
        text = (release / f"{name}.ipynb").read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", ".grade("):
            assert marker not in text, f"{name}: {marker!r} leaked into the release"
        nb = nbformat.read(release / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution"):
                assert "YOUR" in cell.source and "HERE" in cell.source, f"{name}:{meta['grade_id']} not cleared"
            if meta.get("grade") and not meta.get("solution"):
                assert ".check(" in cell.source, f"{name}:{meta['grade_id']} has no public self-check"
    assert answers["choose_categories"] not in (release / "1_1_collecte.ipynb").read_text(encoding="utf-8")
    assert (release / "data" / "manifest.yml").is_file() and (release / "data" / "dictionary.csv").is_file()


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_reference_solution_gets_full_autograded_marks(courses, scenario):
    root = courses[(scenario, "reference")]
    scores = autograded_scores(root, "reference")
    expected = {(nb, r["cell"]) for nb, rows in CRITERION_MAP["notebooks"].items()
                for r in rows if r["kind"] == "autograde"}
    assert set(scores) == expected
    short = {cell: s for cell, s in scores.items() if s[0] != s[1]}
    assert not short, f"reference solution lost points: {short}\n" + "\n".join(
        cell_errors(root, "reference"))


@pytest.mark.parametrize("flaw", FLAWS, ids=lambda f: f.id)
def test_flaw_loses_points_on_exactly_its_criteria(courses, flaw):
    root, student = courses[(flaw.scenario, f"flaw_{flaw.id}")], f"flaw_{flaw.id}"
    scores = autograded_scores(root, student)
    mine = {cell: s for (nb, cell), s in scores.items() if nb == flaw.notebook}
    assert mine, f"no autograded cells found for {flaw.notebook}"
    lost = {_criterion(flaw.notebook, cell) for cell, (score, top) in mine.items() if score < top}
    errors = "\n".join(cell_errors(root, student))
    assert lost == set(flaw.loses), f"{flaw.why}: lost {sorted(lost)}, scores {mine}\n{errors}"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_graded_cell_writes_to_stderr(courses, scenario):
    found = [line for (scen, student), root in courses.items() if scen == scenario
             for line in stderr_outputs(root, student)]
    assert not found, "\n".join(found)


def test_validate_gives_the_teaching_message(courses):
    """A candidate's Validate runs the public tests and shows the check's message."""
    root = courses[("cdnow_winback", "flaw_unlabeled_axes")]
    notebook = root / "submitted" / "flaw_unlabeled_axes" / ASSIGNMENT / "1_3_visualisation.ipynb"
    proc = subprocess.run([NBGRADER, "validate", str(notebook)], cwd=notebook.parent, env=_env(), text=True,
                          capture_output=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert "✘ The y axis has no label: name what it shows" in out, out
    assert "CheckFailed" not in out and "figures.clarity" not in out  # plain words, no class name or check id


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_criterion_map_lists_exactly_the_gradebook_cells(courses, scenario):
    """grading/criterion_map.yml names every graded cell nbgrader knows, with the same points."""
    from nbgrader.api import Gradebook

    root = courses[(scenario, "reference")]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        cells = {(nb.name, cell.name, float(cell.max_score))
                 for nb in gb.find_assignment(ASSIGNMENT).notebooks for cell in nb.grade_cells}
    mapped = {(nb, r["cell"], float(r["points"])) for nb, rows in CRITERION_MAP["notebooks"].items() for r in rows}
    assert cells == mapped
