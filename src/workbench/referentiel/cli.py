"""``workbench info``: print the référentiel, rubric levels and thresholds."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from workbench.referentiel.load import load_referentiel
from workbench.referentiel.rubrics import load_rubrics


@click.command("info")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--block", "block_id", default=None, help="Only this block, e.g. B1.")
def info(lang: str, block_id: str | None) -> None:
    """Show blocks, competences and criteria with their stable ids."""
    ref = load_referentiel()
    rubrics = load_rubrics()
    table = Table(title=ref.certification.title.get(lang))
    for col in ("id", "wording", "evaluation"):
        table.add_column(col)
    for block in ref.blocks:
        if block_id and block.id != block_id:
            continue
        table.add_row(block.id, block.title.get(lang), block.evaluation_mode, style="bold")
        for comp in block.competences:
            table.add_row(comp.id, "  " + comp.title.get(lang), "")
            for crit in comp.criteria:
                table.add_row(crit.id, "    " + crit.label.get(lang), "")
    console = Console()
    console.print(table)
    levels = ", ".join(f"{lv.value} {getattr(lv, lang)}" for lv in rubrics.levels)
    console.print(f"Rubric levels: {levels}; default threshold: {rubrics.default_threshold_level}")
