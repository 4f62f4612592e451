"""Against a gradebook written by real `nbgrader autograde` on the exercise set (grading/criterion_map.yml).

Skips only when exercises/ holds no block-1 assignment yet. One notebook (1_1_collecte) is
submitted by two candidates — the reference answers, and the released notebook untouched —
to keep the run short; nbgrader grades the notebooks not handed in as 0.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from workbench.paths import exercises_dir, grading_dir
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.reports.render import render_feedback
from workbench.scores.criterion_map import load_criterion_map
from workbench.scores.rubric_import import import_rubric_csv
from workbench.validator.run import build_decisions

pytestmark = pytest.mark.slow

NOTEBOOK = "1_1_collecte"
SOURCE = exercises_dir() / "source" / "block1"
HAS_EXERCISES = (SOURCE / f"{NOTEBOOK}.ipynb").is_file() and (grading_dir() / "criterion_map.yml").is_file()


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    if not HAS_EXERCISES:
        pytest.skip("exercises/source/block1 has no assignment yet (exercise set not built)")
    from tests.exercises.course import make_course, nbgrader, reference_answers, submit
    from workbench.exercises.config import load_config

    root = make_course(tmp_path_factory.mktemp("autograded"), load_config().released_scenario)
    nbgrader(root, "generate_assignment", "block1", "--create", "--force")
    submit(root, "reference", {NOTEBOOK: reference_answers(root / "source" / "block1" / f"{NOTEBOOK}.ipynb")})
    submit(root, "blank", {})
    shutil.copyfile(root / "release" / "block1" / f"{NOTEBOOK}.ipynb",
                    root / "submitted" / "blank" / "block1" / f"{NOTEBOOK}.ipynb")
    nbgrader(root, "autograde", "block1", "--create", "--force", timeout=900)
    return root


def _doc(d, cand):
    return d.documents[d.candidates.index(cand)]


def test_real_gradebook_matches_the_criterion_map_and_scores(course):
    cmap = load_criterion_map()
    d = build_decisions(gradebook=course / "gradebook.db", course_dir=course)  # ConfigError if cells disagree
    ref, blank = _doc(d, "reference"), _doc(d, "blank")
    b11 = {c.cell for nb, c in cmap.cells() if nb == NOTEBOOK and c.kind == "autograde"}
    cells = d.scores.cells
    mine = cells[(cells.candidate == "reference") & cells.cell.isin(b11)]
    assert (mine.points == mine.max_points).all(), mine[["cell", "points", "max_points"]]
    # the reference answered its rubric cells: waiting for a grader, so not evaluated (not 0)
    assert ref["criteria"]["B1.1.b"]["state"] == "not_evaluated"
    # nbgrader grades a notebook that was not handed in as 0 (not "missing"): B1.2 fails, so block 1
    # is not validated even though B1.1.b still awaits its rubric level
    assert ref["competences"]["B1.2"] == "not_validated" and ref["blocks"]["B1"] == "not_validated"
    # the untouched release: nbgrader gives 0 to empty answers and failing checks -> not validated
    assert blank["criteria"]["B1.1.a"] == {"score": 0.0, "state": "not_validated"}
    assert blank["blocks"]["B1"] == "not_validated"


def test_rubric_import_then_feedback_without_hidden_tests(course, tmp_path):
    work = tmp_path / "gb"
    work.mkdir()
    shutil.copyfile(course / "gradebook.db", work / "gradebook.db")
    csv_path = tmp_path / "levels.csv"
    csv_path.write_text("candidate;criterion;level;comment;grader\n"
                        "reference;B1.1.a;excellent;Choix complet;Jury A\n"
                        "reference;B1.1.b;Satisfaisant;Justifications claires;Jury A\n", encoding="utf-8-sig")
    import_rubric_csv(csv_path=csv_path, gradebook=work / "gradebook.db")
    d = build_decisions(gradebook=work / "gradebook.db", course_dir=course)
    assert _doc(d, "reference")["competences"]["B1.1"] == "validated"
    evidence = d.evidence(d.candidates.index("reference"))
    graded = [c for c in evidence["block1_cells"] if c["criterion"] == "B1.1.b" and c["kind"] == "rubric"]
    assert graded[0]["graded_by"] == "Jury A" and graded[0]["comment"] == "Justifications claires"

    html = render_feedback(d, d.candidates.index("blank"), ref=load_referentiel(), rubrics=load_rubrics(), lang="fr")
    assert "AssertionError" in html or "Error" in html  # the failing checks' messages are shown
    hidden = []
    for cell in json.loads((SOURCE / f"{NOTEBOOK}.ipynb").read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"])
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", text, re.S):
            hidden += [line.strip() for line in block.splitlines() if len(line.strip()) > 12]
    for line in hidden:
        assert line not in html, f"hidden test code leaked into feedback: {line}"
    assert "BEGIN HIDDEN" not in html
