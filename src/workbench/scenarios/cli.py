"""``workbench scenarios``: list, show and check the company scenarios."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from workbench.errors import ConfigError, WorkbenchError
from workbench.scenarios.load import list_scenarios, load_scenario


@click.group("scenarios")
def scenarios() -> None:
    """List and check the company scenarios (grading/scenarios/*.yml)."""


@scenarios.command("list")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
def list_cmd(lang: str) -> None:
    """One line per scenario: id, dataset, company and objective."""
    table = Table()
    for col in ("id", "dataset", "company", "objective"):
        table.add_column(col, overflow="fold")
    for sid in list_scenarios():
        s = load_scenario(sid)
        table.add_row(s.id, s.dataset, s.company.name, s.objective.get(lang))
    Console().print(table)


@scenarios.command("show")
@click.argument("scenario_id")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
def show(scenario_id: str, lang: str) -> None:
    """Strategy, objective, answer key (with columns) and reference segmentation."""
    s = load_scenario(scenario_id)
    console = Console()
    console.print(f"[bold]{s.id}[/] — {s.company.name} ({s.company.sector.get(lang)}), dataset {s.dataset}")
    console.print(f"Strategy: {s.strategy.get(lang)}\nObjective: {s.objective.get(lang)}")
    table = Table(title="answer key")
    for col in ("group", "category", "columns", "reason"):
        table.add_column(col, overflow="fold")
    for group, cats in s.answer_key.groups().items():
        for cat, why in cats.items():
            table.add_row(group, cat, ", ".join(s.columns_of(cat)), why.get(lang))
    console.print(table)
    for f in s.derived_features:
        console.print(f"derived {f.name} ({f.category}): {f.definition.get(lang)}")
    ref = s.reference_segmentation
    console.print(f"reference: {ref.algorithm} k={ref.k} (range {list(ref.k_range)}), transform {ref.transform}, "
                  f"scaler {ref.scaler}, features {', '.join(ref.features)}; value feature {ref.value_feature}")


@scenarios.command("check")
def check() -> None:
    """Validate every scenario against its dataset dictionary."""
    faults = []
    for sid in list_scenarios():
        try:
            load_scenario(sid)
        except WorkbenchError as exc:
            faults.append(sid)
            click.echo(f"FAIL {exc}")
        else:
            click.echo(f"ok   {sid}")
    if faults:
        raise ConfigError(f"{len(faults)} scenario(s) invalid: {', '.join(faults)}", where="grading/scenarios")
