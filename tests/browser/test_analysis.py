"""Instructor: the analysis report (written by `workbench analysis`) opens in chromium, its plots render."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.marking.conftest import MAP_PATH, levels_csv, write_rule
from tests.marking.test_analysis_report import CANDIDATES, M1, M2, graded
from tests.scores.factory import build_gradebook
from workbench.cli import main

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def analysis_report(tmp_path_factory):
    """Two markers on every rubric cell of eight candidates; c7's five cells await moderation."""
    root = tmp_path_factory.mktemp("analysis-browser")
    build_gradebook(root / "gradebook.db", {c: graded(i) for i, c in enumerate(CANDIDATES)})
    common = ["-g", str(root / "gradebook.db"), "--map", str(MAP_PATH), "--marking",
              str(write_rule(root / "marking.yml"))]
    for marker, levels in (("m1", M1), ("m2", M2)):
        rows = [(c, k, lv, "") for c, lv in zip(CANDIDATES, levels) for k in ("B1.1.b", "B1.2.a", "B1.2.b", "B1.3.a",
                                                                               "B1.3.b")]
        path = levels_csv(root / f"{marker}.csv", rows)
        assert main(["rubric", str(path), *common, "--marker", marker]) == 0
    assert main(["analysis", *common, "--lang", "fr", "--out", str(root / "out")]) == 0
    return root / "out" / "analysis.fr.html"


def test_analysis_report_renders_in_chromium(analysis_report, page):
    page.goto(analysis_report.as_uri())
    expect(page.locator("h2#agreement")).to_have_text("Accord entre correcteurs")
    expect(page.locator("tr.awaiting_moderation")).to_have_count(5)
    expect(page.locator("tr.awaiting_moderation").first).to_contain_text("c7")
    images = page.locator("img")
    expect(images.first).to_be_visible()
    assert images.count() == 3  # agreement, harmonisation, items
    # every plot is an embedded PNG that decoded (the last one may still be decoding below the fold)
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    widths = images.evaluate_all("els => els.map(e => e.complete ? e.naturalWidth : 0)")
    assert all(w > 300 for w in widths), widths
