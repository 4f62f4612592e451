"""The minutes as A4 PDF, backgrounds kept (the signature boxes and the decision colours)."""

from __future__ import annotations

from pathlib import Path

from workbench._chromium import PrintJob, print_pdfs

A4 = {"format": "A4", "print_background": True,
      "margin": {"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"}}


def html_to_pdf(pairs: list[tuple[Path, Path]]) -> None:
    """Print each (HTML, PDF) pair to A4 PDF, in one browser.

    Raises
    ------
    ConfigError
        Chromium is missing (set WORKBENCH_CHROMIUM to its path).
    StorageError
        Chromium could not open or print a page.
    """
    print_pdfs([PrintJob(html=Path(html), pdf=Path(pdf), options=A4) for html, pdf in pairs])
