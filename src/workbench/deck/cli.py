"""``workbench deck NOTEBOOK --out FILE.html``."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.deck.build import export_deck


@click.command("deck")
@click.argument("notebook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The reveal.js HTML file to write.")
def deck(notebook: Path, out: Path) -> None:
    """Export an executed visualisation NOTEBOOK to a reveal.js slide deck (figures and summary, no code)."""
    made = export_deck(notebook=notebook, out=out)
    click.echo(f"deck {out}: {made.figures} figure(s), {len(made.cells)} cell(s) on slides")
