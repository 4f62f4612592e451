"""The board opens the deck offline: reveal.js starts, the arrow keys move, the PDF has one page per slide."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.deck.test_deck import exam_cells, write
from workbench.deck import export_deck

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
