"""HTML to PDF with Debian's chromium driven by Playwright: the one place the workbench opens a browser.

The board deck and the jury minutes print through here. Every request other than a local file is
refused, so printing never reaches the network (nothing printed needs it). A failure of chromium
(missing, crashed, timed out) is one line naming the page; the HTML already written stays.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import ConfigError, StorageError

CHROMIUM = Path(os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium"))
# Starting chromium is the machine's business, not a page's: a cold start on a loaded machine
# must not use up the time a page has to get ready.
LAUNCH_TIMEOUT_S = 120
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        # Without these chromium keeps calling the (closed) network.
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class PrintJob:
    """One page to print.

    Parameters
    ----------
    html, pdf : Path
        The page, and the PDF to write.
    query : str
        Appended to the page's URL (reveal.js lays slides out for print on ``?print-pdf``).
    ready : str, optional
        A JavaScript predicate waited for before printing (the page lays itself out in script).
    options : dict
        Keyword arguments of Playwright's ``page.pdf`` (format, margins, page size).
    """

    html: Path
    pdf: Path
    query: str = ""
    ready: str | None = None
    options: dict = field(default_factory=dict)


def print_pdfs(jobs: list[PrintJob], *, chromium: Path | str = CHROMIUM, timeout_s: float = 60) -> list[Path]:
    """Print every job in one browser; return the PDFs written.

    ``timeout_s``: the seconds each page has to load and get ready (chromium's own start has
    ``LAUNCH_TIMEOUT_S``, or ``timeout_s`` if longer).

    Raises
    ------
    ConfigError
        Chromium is not installed at ``chromium`` (nothing is printed).
    StorageError
        Chromium could not open or print a page (the PDFs before it are written).
    """
    chromium = Path(chromium)
    if not os.access(chromium, os.X_OK):
        raise ConfigError("chromium not found: install Debian's chromium (scripts/install-system-packages), "
                          "set WORKBENCH_CHROMIUM to its path, or pass --no-pdf", where=str(chromium))
    # Playwright's sync API refuses a thread with a running event loop (a Jupyter kernel, or a
    # caller's own Playwright session): print from a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_print, jobs, chromium=chromium, timeout_s=timeout_s).result()


def _print(jobs: list[PrintJob], *, chromium: Path, timeout_s: float) -> list[Path]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    where = str(chromium)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(chromium), headless=True, args=ARGS,
                                        timeout=max(timeout_s, LAUNCH_TIMEOUT_S) * 1000)
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                           else route.abort())
                for job in jobs:
                    where = str(job.html)
                    page.goto(f"{job.html.resolve().as_uri()}{job.query}", timeout=timeout_s * 1000)
                    if job.ready:
                        page.wait_for_function(job.ready, timeout=timeout_s * 1000)
                    job.pdf.parent.mkdir(parents=True, exist_ok=True)
                    page.pdf(path=str(job.pdf), **job.options)
                    written.append(job.pdf)
            finally:
                browser.close()
    except PlaywrightError as exc:  # TimeoutError is one of them
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise StorageError(f"chromium could not print the PDF: {first}", where=where) from None
    return written
