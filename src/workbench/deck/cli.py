"""``workbench deck NOTEBOOK --out FILE.html`` (and FILE.pdf beside it)."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.deck.export import export_deck
from workbench.deck.pdf import CHROMIUM


@click.command("deck")
@click.argument("notebook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The self-contained HTML deck to write.")
@click.option("--pdf/--no-pdf", "with_pdf", default=True, show_default=True,
              help="Also print the slides to a PDF beside the HTML (same name, .pdf), one page per slide.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None,
              help="Language of the deck's own words [default: the course's, from data/course.yml beside "
                   "the notebook or the notebook's build language; else en].")
@click.option("--chromium", type=click.Path(dir_okay=False, path_type=Path), default=CHROMIUM, show_default=True,
              help="The Chromium that prints the PDF.")
def deck(notebook: Path, out: Path, with_pdf: bool, lang: str | None, chromium: Path) -> None:
    """Export an executed visualisation NOTEBOOK to a board deck: figures with their captions and the
    written summary, no code; works offline (reveal.js inlined)."""
    pdf = out.with_suffix(".pdf") if with_pdf else None
    made = export_deck(notebook=notebook, out=out, pdf=pdf, lang=lang, chromium=chromium)
    click.echo(f"deck {out}: {len(made.slides)} slide(s), {made.figures} figure(s) with their captions"
               + (f"; PDF {pdf}" if pdf else ""))
