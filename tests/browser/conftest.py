"""Fixtures of the real-browser tests: chromium, a tiny course, screenshots on failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playwright.sync_api import expect

from tests.browser.harness import CHROMIUM, chromium, screenshot

# Assertions wait like actions do: Validate starts a fresh kernel (seconds on 2 busy cores).
expect.set_options(timeout=60_000)

FIXTURES = Path(__file__).resolve().parents[1] / "course" / "fixtures"
ASSIGNMENT = "warmup"


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


def answered(work: Path, *, code: str, written: str) -> None:
    """Write a candidate's answers into the fetched notebook (solution cell and written answer)."""
    path = work / f"{ASSIGNMENT}.ipynb"
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid == "churn_rate":
            cell["source"] = code
        elif gid == "justify":
            cell["source"] = written
    path.write_text(json.dumps(nb))


@pytest.fixture(scope="session")
def course(tmp_path_factory) -> Path:
    """A released fixture course: candidate c002 has submitted, been collected and autograded."""
    from workbench.course import collect, create_course, fetch_as, release, submit_as

    root = tmp_path_factory.mktemp("browser") / "course"
    create_course(course_dir=root, course_id="cert-b1", candidates_csv=FIXTURES / "candidates.csv",
                  source=FIXTURES / "source")
    release(course_dir=root, assignment=ASSIGNMENT)
    work = fetch_as(course_dir=root, candidate="c002", assignment=ASSIGNMENT)
    answered(work, code="def churn_rate(a, b):\n    return 100 * a / b", written="They spent the most.")
    submit_as(course_dir=root, candidate="c002", assignment=ASSIGNMENT)
    collect(course_dir=root, assignment=ASSIGNMENT)
    env = {**os.environ, "HOME": str(root), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return root
