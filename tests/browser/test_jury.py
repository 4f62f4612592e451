"""Jury: the jury report HTML (written by `workbench report`) opens in chromium and its plots render."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.scores.factory import MAP_PATH, build_gradebook, full_marks, with_levels
from workbench.cli import main

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def jury_report(tmp_path_factory):
    """A real jury report from a real nbgrader gradebook of three candidates (one without a submission)."""
    root = tmp_path_factory.mktemp("jury")
    build_gradebook(root / "gradebook.db", {"ana": full_marks(), "ben": with_levels(1), "dev": None})
    out = root / "reports"
    assert main(["report", "-g", str(root / "gradebook.db"), "--map", str(MAP_PATH),
                 "--out", str(out), "--lang", "en"]) == 0
    return out / "jury.en.html"


def test_jury_report_plots_render(jury_report, page):
    page.goto(jury_report.as_uri())
    images = page.locator("img")
    expect(images.first).to_be_visible()
    assert images.count() >= 2
    # Every plot is an embedded image (no network, no files beside the report) that decoded.
    sources = images.evaluate_all("els => els.map(e => e.getAttribute('src').slice(0, 22))")
    assert all(s.startswith("data:image/") for s in sources), sources
    widths = images.evaluate_all("els => els.map(e => e.complete ? e.naturalWidth : 0)")
    assert all(w > 0 for w in widths), widths
    expect(page.locator("body")).to_contain_text("ana")
