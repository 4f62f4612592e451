"""HTML to PDF with the Chromium already on the machine, driven by Playwright (no other renderer to keep)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from workbench.errors import InputError

CHROMIUM = os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def html_to_pdf(pairs: list[tuple[Path, Path]]) -> None:
    """Print each (HTML, PDF) pair to A4 PDF, backgrounds kept, in one browser.

    Raises
    ------
    InputError
        When Chromium is missing (set WORKBENCH_CHROMIUM to its path).
    """
    if not os.access(CHROMIUM, os.X_OK):
        raise InputError("Chromium not found: install it or set WORKBENCH_CHROMIUM, or pass --no-pdf", where=CHROMIUM)
    # Playwright's sync API refuses a thread that already runs an asyncio loop (a notebook, a
    # Playwright session of the caller's): print from a thread of our own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_print, pairs).result()


def _print(pairs: list[tuple[Path, Path]]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page()
            for html, pdf in pairs:
                page.goto(html.resolve().as_uri())
                page.emulate_media(media="print")
                page.pdf(path=str(pdf), format="A4", print_background=True,
                         margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
        finally:
            browser.close()
