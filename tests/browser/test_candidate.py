"""Candidate: fetch from the Assignments panel, answer, run all, Validate, submit — in chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ASSIGNMENT
from tests.browser.harness import lab_server, run_all, screenshot_on_failure, set_cell_source, wait_kernel_ready
from workbench.course import candidate_home, read_course

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ANSWER = "def churn_rate(churned, customers):\n    return 100 * churned / customers"
WRITTEN = "Lapsed high-value customers bring back the most revenue per e-mail."


def test_candidate_fetches_validates_and_submits(course, page, tmp_path):
    info = read_course(course)
    # The candidate's own HOME: nbgrader config with the course, the exchange and their id only.
    home = candidate_home(info, "c001", tmp_path / "homes")
    with lab_server(home=home, root=home) as lab, screenshot_on_failure(page, "candidate"):
        page.goto(lab.url("lab"))
        page.get_by_role("menuitem", name="Nbgrader", exact=True).click(timeout=60_000)
        page.get_by_role("menuitem", name="Assignment List").click()
        released = page.locator(f'#released_assignments_list .list_item:has-text("{ASSIGNMENT}")')
        released.get_by_role("button", name="Fetch").click()

        fetched = page.locator("#fetched_assignments_list > .list_item", has_text=ASSIGNMENT)
        fetched.locator("a.assignment-notebooks-link").click()
        fetched.locator(".collapse.in .item_name a", has_text=ASSIGNMENT).click()
        wait_kernel_ready(page, cells=5)

        # Validate before answering: the self-check names the unanswered cell.
        page.get_by_role("button", name="Validate").click()
        dialog = page.locator(".jp-Dialog")
        expect(dialog.locator(".jp-Dialog-header")).to_have_text("Validation Results")
        expect(dialog.locator(".jp-Dialog-body")).to_contain_text("NotImplementedError")
        dialog.get_by_role("button").last.click()

        set_cell_source(page, 1, ANSWER)
        set_cell_source(page, 4, WRITTEN)
        run_all(page)
        page.get_by_role("button", name="Validate").click()
        expect(dialog.locator(".jp-Dialog-header")).to_have_text("Validation Results")
        expect(dialog.locator(".jp-Dialog-body")).to_contain_text("Success! Your notebook passes all the tests.")
        dialog.get_by_role("button").last.click()

        page.get_by_role("tab", name=re.compile("Assignments")).click()
        fetched.get_by_role("button", name="Submit").click()
        expect(page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT).first).to_be_visible()

    (submitted,) = info.inbound.glob(f"c001+{ASSIGNMENT}+*")
    text = (submitted / f"{ASSIGNMENT}.ipynb").read_text()
    assert "100 * churned / customers" in text and WRITTEN in text
