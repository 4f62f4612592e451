"""Jury: the jury report HTML (written by `workbench report`) in chromium: plots render, the table sorts and filters."""

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
                 "--out", str(out), "--lang", "en", "--session", "2026-06"]) == 0
    return out / "jury.en.html"


def test_jury_report_plots_render(jury_report, page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(jury_report.as_uri())
    expect(page).to_have_title("Jury report — Digital marketing — Course default_course · Session 2026-06")
    images = page.locator("img")
    expect(images.first).to_be_visible()
    assert images.count() == 3
    # Every plot is an embedded image (no network, no files beside the report) that decoded, with a text alternative.
    sources = images.evaluate_all("els => els.map(e => e.getAttribute('src').slice(0, 22))")
    assert all(s.startswith("data:image/") for s in sources), sources
    widths = images.evaluate_all("els => els.map(e => e.complete ? e.naturalWidth : 0)")
    assert all(w > 0 for w in widths), widths
    assert all(len(a) > 40 for a in images.evaluate_all("els => els.map(e => e.alt)"))
    expect(page.locator("#cohort")).to_contain_text("Candidat Ana")
    assert errors == []


def test_cohort_table_filters_and_sorts(jury_report, page):
    page.goto(jury_report.as_uri())
    rows = page.locator("#cohort tbody tr")
    expect(rows).to_have_count(3)
    page.fill("#filter", "ben")
    expect(page.locator("#cohort tbody tr:visible")).to_have_count(1)
    expect(page.locator("#count")).to_have_text("1")
    page.fill("#filter", "")
    page.select_option("#status", "partial")  # ana: block 1 only, no jury results
    expect(page.locator("#cohort tbody tr:visible")).to_have_count(1)
    expect(page.locator("#cohort tbody tr:visible td").first).to_have_text("ana")
    page.select_option("#status", "")
    header = page.locator("#cohort thead th").first.locator("button")
    expect(header).to_have_text("Candidate")
    header.click()
    header.click()  # descending
    expect(page.locator("#cohort thead th").first).to_have_attribute("aria-sort", "descending")
    expect(rows.first.locator("td").first).to_have_text("dev")


@pytest.fixture(scope="module")
def minutes_page(tmp_path_factory):
    """The minutes of a decided session, written by `workbench minutes` (HTML only: the PDF has its own test)."""
    from tests.deliberation.conftest import PANEL, jury_csv, validate

    root = tmp_path_factory.mktemp("minutes")
    build_gradebook(root / "gradebook.db", {"ana": full_marks(), "ben": with_levels(1)})
    jury_csv(root / "jury.csv")
    validate(root)
    (root / "panel.yml").write_text(PANEL, encoding="utf-8")
    assert main(["minutes", "--panel", str(root / "panel.yml"), "-g", str(root / "gradebook.db"),
                 "--out", str(root / "out"), "--no-pdf", "--lang", "fr"]) == 0
    return root / "out" / "minutes-2026-06-v1.fr.html"


def test_minutes_show_jury_decisions_and_a_signature_block_per_member(minutes_page, page):
    page.goto(minutes_page.as_uri())
    expect(page.locator("h1")).to_contain_text("Procès-verbal de délibération du jury")
    expect(page.locator("#composition tbody tr")).to_have_count(4)
    expect(page.locator("#decisions tbody tr")).to_have_count(2)
    page.emulate_media(media="print")  # as printed to PDF: every signature box still laid out, none empty-sized
    boxes = page.locator("#signatures .signature")
    expect(boxes).to_have_count(4)
    sizes = boxes.evaluate_all("els => els.map(e => [e.offsetWidth, e.offsetHeight])")
    assert all(w > 100 and h > 40 for w, h in sizes), sizes


def test_minutes_print_to_pdf_while_a_playwright_session_runs(browser, minutes_page, tmp_path):
    """`workbench minutes` called from a process already driving a browser (a notebook, the demo in a test run)."""
    from workbench.deliberation.pdf import html_to_pdf

    pdf = tmp_path / "minutes.pdf"
    html_to_pdf([(minutes_page, pdf)])
    assert pdf.read_bytes().startswith(b"%PDF-")


@pytest.fixture(scope="module")
def report_500(tmp_path_factory):
    """A jury report of 500 candidates, from the validator benchmark's synthetic gradebook and jury CSV."""
    import importlib.util
    from pathlib import Path

    import numpy as np

    spec = importlib.util.spec_from_file_location(
        "_bench_validator", Path(__file__).resolve().parents[2] / "benchmarks" / "bench_validator.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    root = tmp_path_factory.mktemp("jury500")
    rng = np.random.default_rng(7)
    bench.write_map(root / "map.yml")
    bench.make_gradebook(root / "gradebook.db", 500, rng)
    bench.make_jury(root / "jury.csv", 500, rng)
    assert main(["report", "-g", str(root / "gradebook.db"), "--map", str(root / "map.yml"), "--jury",
                 str(root / "jury.csv"), "--out", str(root / "out"), "--lang", "fr", "--candidate", "cand00000"]) == 0
    return root / "out" / "jury.fr.html"


def test_report_of_500_candidates_stays_readable(report_500, page):
    page.goto(report_500.as_uri())
    expect(page.locator("#cohort tbody tr")).to_have_count(500)
    # the long tables scroll in place under their header: the page stays a few screens tall
    assert page.evaluate("document.body.scrollHeight") < 12_000
    box = page.locator("#cohort").locator("xpath=..").bounding_box()
    assert box["height"] <= 0.76 * 900
    page.fill("#filter", "nom42 prénom42")  # a name (last, first), any case
    expect(page.locator("#cohort tbody tr:visible")).to_have_count(1)
    expect(page.locator("#count")).to_have_text("1")
