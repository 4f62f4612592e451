"""Fixtures of the real-browser tests: chromium, a tiny course, screenshots on failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from playwright.sync_api import expect

from tests.browser.harness import CHROMIUM, chromium, screenshot
from tests.course.graded import ASSIGNMENT, graded_course  # noqa: F401 - ASSIGNMENT: the tests import it from here

# Assertions wait like actions do: Validate starts a fresh kernel (seconds on 2 busy cores).
expect.set_options(timeout=60_000)



@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item, so the page fixture knows it failed.
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: run scripts/install-system-packages (as root)")
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, request):
    """A fresh browser page; a screenshot lands in tests/_artifacts/ when the test fails."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(f"screenshot: {screenshot(pg, request.node.name)}")
    context.close()


@pytest.fixture(scope="session")
def course(tmp_path_factory) -> Path:
    """A released fixture course: candidate c002 has submitted, been collected and autograded."""
    return graded_course(tmp_path_factory.mktemp("browser") / "course")
