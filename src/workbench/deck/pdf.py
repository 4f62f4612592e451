"""Print a deck to PDF, one page per slide, with Debian's chromium driven by Playwright.

reveal.js lays the slides out for print when the page is opened with
``?print-pdf``; Chromium then prints at the page size reveal.js sets. Every
request other than the deck file itself is refused: printing never reaches the
network (the deck needs none).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from workbench.errors import ConfigError

CHROMIUM = Path("/usr/bin/chromium")
# reveal.js 5 says ready before it lays the slides out for print: the print layout waits for an
# animation frame, then appends every page at once (``.pdf-page``) and fires "pdf-ready" in the same
# task. Printing on ``isReady()`` alone could print the one screen-sized slide (seen once in CI:
# 1 page for 4 slides).
PRINT_LAYOUT_DONE = ("() => window.Reveal && Reveal.isReady() && Reveal.isPrintView()"
                     " && document.querySelector('.reveal .pdf-page') !== null")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def print_pdf(*, html: Path | str, out: Path | str, chromium: Path | str = CHROMIUM, timeout_s: float = 60) -> Path:
    """Print the deck ``html`` to ``out`` (PDF), one page per slide.

    Raises
    ------
    ConfigError
        Chromium is not installed at ``chromium``.
    """
    html, out, chromium = Path(html).resolve(), Path(out), Path(chromium)
    if not os.access(chromium, os.X_OK):
        raise ConfigError("chromium not found: install Debian's chromium (scripts/install-system-packages) "
                          "or pass --no-pdf", where=str(chromium))
    # Playwright's sync API refuses a thread with a running event loop (a Jupyter kernel, or a
    # caller's own Playwright): print from a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, html=html, out=out, chromium=chromium, timeout_s=timeout_s).result()


def _print(*, html: Path, out: Path, chromium: Path, timeout_s: float) -> Path:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else route.abort())
            page.goto(f"{html.as_uri()}?print-pdf", timeout=timeout_s * 1000)
            page.wait_for_function(PRINT_LAYOUT_DONE, timeout=timeout_s * 1000)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.pdf(path=str(out), prefer_css_page_size=True, print_background=True)
        finally:
            browser.close()
    return out
