"""Print a deck to PDF, one page per slide.

reveal.js lays the slides out for print when the page is opened with
``?print-pdf``; Chromium then prints at the page size reveal.js sets.
"""

from __future__ import annotations

from pathlib import Path

from workbench._chromium import CHROMIUM, PrintJob, print_pdfs

# reveal.js 5 says ready before it lays the slides out for print: the print layout waits for an
# animation frame, then appends every page at once (``.pdf-page``) and fires "pdf-ready" in the same
# task. Printing on ``isReady()`` alone could print the one screen-sized slide (seen once in CI:
# 1 page for 4 slides).
PRINT_LAYOUT_DONE = ("() => window.Reveal && Reveal.isReady() && Reveal.isPrintView()"
                     " && document.querySelector('.reveal .pdf-page') !== null")


def print_pdf(*, html: Path | str, out: Path | str, chromium: Path | str = CHROMIUM, timeout_s: float = 60) -> Path:
    """Print the deck ``html`` to ``out`` (PDF), one page per slide.

    Raises
    ------
    ConfigError
        Chromium is not installed at ``chromium``.
    StorageError
        Chromium could not open or print the deck.
    """
    job = PrintJob(html=Path(html), pdf=Path(out), query="?print-pdf", ready=PRINT_LAYOUT_DONE,
                   options={"prefer_css_page_size": True, "print_background": True})
    return print_pdfs([job], chromium=chromium, timeout_s=timeout_s)[0]
