"""Against a gradebook written by real `nbgrader autograde` on the exercise set (grading/criterion_map.yml).

Skips only when exercises/ holds no block-1 assignment yet. To keep the run short, one
candidate hands in one notebook (1_1_collecte): the reference answers, except a wrong choice
of categories (a check fails with a message) and the B1.1.a rubric answer left as released
(nbgrader scores an untouched answer 0); the B1.1.b rubric answer is written (it then awaits
a grader). nbgrader grades the notebooks not handed in as 0.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from workbench.paths import exercises_dir, grading_dir
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.reports.render import render_feedback
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
    answers = reference_answers(root / "source" / "block1" / f"{NOTEBOOK}.ipynb")
    answers["choose_categories"] = 'chosen = ["email"]'
    released = json.loads((root / "release" / "block1" / f"{NOTEBOOK}.ipynb").read_text(encoding="utf-8"))
    for cell in released["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "categories_rubric":
            answers["categories_rubric"] = "".join(cell["source"])
    submit(root, "mixed", {NOTEBOOK: answers})
    nbgrader(root, "autograde", "block1", "--create", "--force", timeout=900)
    return root


def _doc(d, cand):
    return d.documents[d.candidates.index(cand)]


def test_real_gradebook_matches_the_criterion_map_and_scores(course):
    d = build_decisions(gradebook=course / "gradebook.db", course_dir=course)  # ConfigError if cells disagree
    doc = _doc(d, "mixed")
    cells = d.scores.cells.set_index("cell")
    assert cells.loc["collect_categories", "points"] == 0  # the wrong choice fails its check
    assert (cells.loc[["analysis_table"], "points"] == cells.loc[["analysis_table"], "max_points"]).all()
    assert cells.loc["collect_categories", "messages"]  # what the check said, from the autograded notebook
    # a written rubric answer awaits its grader: not evaluated, not 0
    assert doc["criteria"]["B1.1.b"]["state"] == "not_evaluated"
    assert cells.loc["justification_rubric", "reason"] == "rubric level not yet given"
    # an untouched rubric answer: nbgrader gives 0, so B1.1.a is evaluated and not validated
    assert cells.loc["categories_rubric", "auto_score"] == 0
    assert doc["criteria"]["B1.1.a"]["state"] == "not_validated"
    # notebooks not handed in are graded 0 by nbgrader: B1.2 fails, block 1 is not validated
    assert doc["competences"]["B1.2"] == "not_validated" and doc["blocks"]["B1"] == "not_validated"


def test_rubric_import_then_feedback_without_hidden_tests(course, tmp_path):
    work = tmp_path / "gb"
    work.mkdir()
    shutil.copyfile(course / "gradebook.db", work / "gradebook.db")
    csv_path = tmp_path / "levels.csv"
    csv_path.write_text("candidate;criterion;level;comment;grader\n"
                        "mixed;B1.1.b;Satisfaisant;Justifications claires;Jury A\n", encoding="utf-8-sig")
    import_rubric_csv(csv_path=csv_path, gradebook=work / "gradebook.db")
    d = build_decisions(gradebook=work / "gradebook.db", course_dir=course)
    i = d.candidates.index("mixed")
    assert _doc(d, "mixed")["criteria"]["B1.1.b"]["state"] != "not_evaluated"
    graded = [c for c in d.evidence(i)["block1_cells"] if c["cell"] == "justification_rubric"]
    assert graded[0]["graded_by"] == "Jury A" and graded[0]["comment"] == "Justifications claires"

    html = render_feedback(d, i, ref=load_referentiel(), rubrics=load_rubrics(), lang="fr")
    message = d.scores.cells.set_index("cell").loc["collect_categories", "messages"]
    assert message.splitlines()[-1].replace("'", "&#39;").replace('"', "&#34;") in html
    hidden = []
    for cell in json.loads((SOURCE / f"{NOTEBOOK}.ipynb").read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"])
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", text, re.S):
            hidden += [line.strip() for line in block.splitlines() if len(line.strip()) > 12]
    assert hidden
    for line in hidden:
        assert line not in html, f"hidden test code leaked into feedback: {line}"
    assert "BEGIN HIDDEN" not in html
