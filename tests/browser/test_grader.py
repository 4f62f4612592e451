"""Grader: formgrader in JupyterLab, a rubric level and a comment on a manually graded cell,
then the level in the criterion scores."""

from __future__ import annotations

import re
import shutil
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ASSIGNMENT
from tests.browser.harness import formgrader_frame, lab_server, screenshot_on_failure
from workbench.course import read_course

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LEVEL = 2  # rubric level "satisfactory": the rubric cell is worth the top level (3) in points
COMMENT = "Good link to the strategy; quantify the value at stake."


def fixture_map():
    """The criterion map of the fixture assignment (the real one is grading/criterion_map.yml)."""
    from workbench.scores import CriterionMap, MapCell

    return CriterionMap(assignment=ASSIGNMENT, notebooks={ASSIGNMENT: (
        MapCell(cell="test_churn_rate", criterion="B1.1.a", kind="autograde", points=1),
        MapCell(cell="clarity_rates", criterion="B1.3.a", kind="autograde", points=1),
        MapCell(cell="justify", criterion="B1.1.b", kind="rubric", points=3),
    )})


def manual_grade(db_url: str, course_id: str):
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id) as gb:
        grade = gb.find_grade("justify", ASSIGNMENT, ASSIGNMENT, "c002")
        comment = gb.find_comment("justify", ASSIGNMENT, ASSIGNMENT, "c002")
        return grade.manual_score, comment.manual_comment


def wait_saved(db_url: str, course_id: str, timeout: float = 30) -> tuple:
    # formgrader saves each field over AJAX when it loses focus; poll the gradebook.
    deadline = time.monotonic() + timeout
    while True:
        got = manual_grade(db_url, course_id)
        if got == (LEVEL, COMMENT) or time.monotonic() > deadline:
            return got
        time.sleep(0.3)


def test_grader_enters_rubric_level_in_formgrader(course, page, tmp_path):
    info = read_course(course)
    home = tmp_path / "grader"
    (home / ".jupyter").mkdir(parents=True)
    shutil.copy(course / "nbgrader_config.py", home / ".jupyter" / "nbgrader_config.py")
    with lab_server(home=home, root=course) as lab, screenshot_on_failure(page, "grader"):
        page.goto(lab.url("lab"))
        page.get_by_role("menuitem", name="Nbgrader", exact=True).click(timeout=60_000)
        page.get_by_role("menuitem", name="Formgrader").click()
        fg = page.frame_locator("iframe").first
        expect(fg.locator("tr", has_text=ASSIGNMENT).first).to_be_visible()
        fg.get_by_role("link", name="Manual Grading").click()
        fg.locator("tr", has_text=ASSIGNMENT).first.get_by_role("link", name=ASSIGNMENT).click()
        fg.locator("tr", has_text=ASSIGNMENT).first.get_by_role("link", name=ASSIGNMENT).click()
        fg.get_by_role("link", name="Submission #1").click()

        grading = formgrader_frame(page)
        score = grading.locator("input.score#justify")
        expect(score).to_have_class(re.compile("needs_manual_grade"))
        score.fill(str(LEVEL))
        score.press("Tab")
        comment = grading.locator("textarea.comment#justify-comment")
        comment.fill(COMMENT)
        comment.press("Tab")
        assert wait_saved(info.db_url, info.course_id) == (LEVEL, COMMENT)
        expect(score).to_have_value(str(LEVEL))  # what the grader sees is what was saved

    from workbench.scores import compute_scores
    from workbench.scores.gradebook import open_gradebook

    scores = compute_scores(engine=open_gradebook(info.db_url), cmap=fixture_map()).frame()
    row = scores[(scores.candidate == "c002") & (scores.criterion == "B1.1.b")].iloc[0]
    assert row.points == LEVEL and row.max_points == 3
    assert row.score == pytest.approx(LEVEL / 3)
