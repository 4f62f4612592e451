"""Candidate, practice notebook in chromium: "Your turn" is left to answer, and the self-checks are
honest — a chart that grading would mark down never gets a ✔, the answered one gets both."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.harness import PANEL, lab_server, run_all, screenshot_on_failure, set_cell_source, wait_kernel_ready
from tests.notebooks.test_practice import ANSWER
from workbench.paths import project_root

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "practice_telco_churn.ipynb"
YOUR_TURN, CHECKS, COUNT = 10, 11, 13  # the answer cell, its self-checks, all cells
# A chart grading marks down on clarity: its value axis has no label.
NO_LABEL = ANSWER.replace('ax2.set_ylabel("Churn rate (%)")\n', "")


def _checks_output(page):
    return page.locator(f"{PANEL} .jp-Cell").nth(CHECKS).locator(".jp-OutputArea")


def test_your_turn_is_left_to_answer_and_its_checks_are_honest(page, tmp_path):
    root = tmp_path / "work"
    root.mkdir()
    shutil.copy(project_root() / "notebooks" / NOTEBOOK, root / NOTEBOOK)
    with lab_server(home=tmp_path / "home", root=root) as lab, screenshot_on_failure(page, "practice"):
        page.goto(lab.url(f"lab/tree/{NOTEBOOK}"))
        wait_kernel_ready(page, cells=COUNT)
        answer = page.locator(f"{PANEL} .jp-Cell").nth(YOUR_TURN)
        expect(answer).to_contain_text("# by_tenure = ...")
        expect(answer).not_to_contain_text("plt.subplots(figsize")

        run_all(page)
        out = _checks_output(page)
        expect(out).to_contain_text("Not answered yet: `fig2` is not defined")
        expect(out).not_to_contain_text("NameError")
        expect(out).not_to_contain_text("✔")

        set_cell_source(page, YOUR_TURN, NO_LABEL)
        run_all(page)
        out = _checks_output(page)
        expect(out).to_contain_text("✘")
        expect(out).to_contain_text("y axis has no label")
        expect(out).not_to_contain_text("✔ The figure is clear")
        expect(out).not_to_contain_text("CheckFailed")

        set_cell_source(page, YOUR_TURN, ANSWER)
        run_all(page)
        out = _checks_output(page)
        expect(out).to_contain_text("✔ The figure is clear")
        expect(out).to_contain_text("✔ The figure shows your computed results")
        expect(out).not_to_contain_text("✘")
