"""A candidate fetches their feedback in French from the Assignments panel and reads it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import lab_server, screenshot_on_failure
from tests.course.graded import ASSIGNMENT, fixture_map, graded_course
from workbench.course import candidate_home, read_course
from workbench.reports.nbfeedback import generate_feedback, release_feedback

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_candidate_fetches_and_reads_french_feedback(page, tmp_path):
    course = graded_course(tmp_path / "course", lang="fr")
    generate_feedback(course_dir=course, assignment=ASSIGNMENT, criterion_map=fixture_map())
    release_feedback(course_dir=course, assignment=ASSIGNMENT)  # the instructor's decision
    home = candidate_home(read_course(course), "c002")  # the home c002 submitted from
    with lab_server(home=home, root=home) as lab, screenshot_on_failure(page, "feedback"):
        page.goto(lab.url("lab"))
        page.get_by_role("menuitem", name="Nbgrader", exact=True).click(timeout=60_000)
        page.get_by_role("menuitem", name="Assignment List").click()
        submitted = page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT).first
        submitted.get_by_role("button", name="Fetch Feedback").click()
        expect(submitted.get_by_text("view feedback")).to_be_visible()
    (fetched,) = (home / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html")
    page.goto(fetched.as_uri())
    rows = page.locator(".workbench-criteria tr[data-criterion]")
    expect(rows).to_have_count(3)
    expect(page.locator('tr[data-criterion="B1.3.a"]')).to_contain_text("Pas encore de réponse : `fig` n'est pas défini")
    expect(page.locator(".workbench-criteria")).to_contain_text("Pour progresser")
    body = page.locator("body")
    expect(body).to_contain_text("Retour au candidat — c002")
    expect(body).not_to_contain_text("NameError")
    expect(body).not_to_contain_text("churn_rate(3, 3)")  # the hidden test stays hidden
    # a long message wraps inside the page instead of running off its side
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
