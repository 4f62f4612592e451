"""Candidate: fetch from the Assignments panel, answer, run all, Validate, submit — in chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ASSIGNMENT
from tests.browser.harness import PANEL, lab_server, run_all, screenshot_on_failure, set_cell_source, wait_kernel_ready
from workbench.course import candidate_home, read_course

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ANSWER = "def churn_rate(churned, customers):\n    return 100 * churned / customers"
UNCLEAR = "fig, ax = plt.subplots(figsize=(5, 3))\nax.bar(list(rates), list(rates.values()))"
CLEAR = UNCLEAR + '\nax.set_title("Churn rate by contract")\nax.set_xlabel("Contract")\nax.set_ylabel("Churn rate (%)")'
WRITTEN = "Lapsed high-value customers bring back the most revenue per e-mail."
CELLS = {"count": 8, "answer": 2, "figure": 4, "written": 7}


def validate(page, expected: str) -> None:
    """Press Validate, read the self-check result, close the dialog."""
    page.get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog.locator(".jp-Dialog-header")).to_have_text("Validation Results")
    expect(dialog.locator(".jp-Dialog-body")).to_contain_text(expected)
    dialog.get_by_role("button").last.click()
    expect(dialog).to_have_count(0)


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
        wait_kernel_ready(page, cells=CELLS["count"])

        # Answered, but with an unclear figure: the workbench self-check says what is missing,
        # in the notebook and in Validate's results.
        set_cell_source(page, CELLS["answer"], ANSWER)
        set_cell_source(page, CELLS["figure"], UNCLEAR)
        set_cell_source(page, CELLS["written"], WRITTEN)
        run_all(page)
        expect(page.locator(f"{PANEL} .jp-OutputArea-output.jp-RenderedImage img").first).to_be_visible()
        error = page.locator(f"{PANEL} .jp-OutputArea-output", has_text="✘ ")
        expect(error).to_contain_text("The chart has no title: say what it shows")
        expect(error).not_to_contain_text("CheckFailed")
        expect(error).not_to_contain_text("figures.clarity")
        validate(page, "The chart has no title: say what it shows")

        set_cell_source(page, CELLS["figure"], CLEAR)
        run_all(page)
        validate(page, "Success! Your notebook passes all the tests.")

        page.get_by_role("tab", name=re.compile("Assignments")).click()
        fetched.get_by_role("button", name="Submit").click()
        expect(page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT).first).to_be_visible()

    (submitted,) = info.inbound.glob(f"c001+{ASSIGNMENT}+*")
    text = (submitted / f"{ASSIGNMENT}.ipynb").read_text()
    assert "100 * churned / customers" in text and WRITTEN in text and "Churn rate by contract" in text
