"""The board opens the deck offline: reveal.js starts, the arrow keys move, the PDF has one page per slide."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.deck.test_deck import exam_cells, write
from workbench.deck import export_deck
from workbench.deck.pdf import PRINT_LAYOUT_DONE

pytestmark = pytest.mark.browser


def test_deck_works_offline_and_prints_one_page_per_slide(browser, tmp_path):
    html, pdf = tmp_path / "deck.html", tmp_path / "deck.pdf"
    deck = export_deck(notebook=write(tmp_path, exam_cells()), out=html, pdf=pdf)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    refused: list[str] = []

    def offline(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:  # the network is blocked: anything the deck tried to fetch is recorded and refused
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    try:
        page.goto(html.as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=15_000)
        assert page.evaluate("Reveal.getTotalSlides()") == len(deck.slides) == 4
        assert page.evaluate("Reveal.getIndices().h") == 0
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("Reveal.getIndices().h") == 2
        page.keyboard.press("ArrowLeft")
        assert page.evaluate("Reveal.getIndices().h") == 1
        # The figure on this slide decoded, and the theme's styles apply (a styled, laid-out slide).
        assert page.evaluate("document.querySelector('section.present img').naturalWidth") > 0
        assert page.evaluate("getComputedStyle(document.querySelector('.reveal')).fontFamily").startswith(
            '"Source Sans Pro"')
        assert refused == []
    finally:
        context.close()
    assert len(PdfReader(pdf).pages) == len(deck.slides)


# Animation frames held back: reveal.js says ready, then lays the slides out for print a frame later.
SLOW_FRAMES = """
const frame = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = (callback) => setTimeout(() => frame(callback), 1500);
"""


def test_pdf_printing_waits_for_the_print_layout_not_for_ready(browser, tmp_path):
    html = tmp_path / "deck.html"
    deck = export_deck(notebook=write(tmp_path, exam_cells()), out=html)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.add_init_script(SLOW_FRAMES)
        page.goto(f"{html.as_uri()}?print-pdf")
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=15_000)
        # Ready, yet no page laid out: printing here gave one page for the whole deck.
        assert page.evaluate("document.querySelectorAll('.reveal .pdf-page').length") == 0
        assert page.evaluate(PRINT_LAYOUT_DONE) is False
        page.wait_for_function(PRINT_LAYOUT_DONE, timeout=15_000)
        assert page.evaluate("document.querySelectorAll('.reveal .pdf-page').length") == len(deck.slides)
        printed = tmp_path / "printed.pdf"
        page.pdf(path=str(printed), prefer_css_page_size=True, print_background=True)
        assert len(PdfReader(printed).pages) == len(deck.slides)
    finally:
        page.close()
