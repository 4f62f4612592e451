"""``workbench demo``: the main job of the README."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console


@click.command("demo")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out/demo"),
              show_default=True, help="Where the course, the inputs and the reports go.")
@click.option("--scenario", default=None, help="Scenario to release [default: grading/exercises.yml].")
@click.option("--candidates", "size", type=click.IntRange(2, 2000), default=32, show_default=True,
              help="Size of the simulated cohort.")
@click.option("--workers", type=int, default=0, help="Autograde workers [default: all cores].")
@click.option("--no-sandbox", is_flag=True, help="DANGEROUS: autograde without bubblewrap.")
def demo(out: Path, scenario: str | None, size: int, workers: int, no_sandbox: bool) -> None:
    """Set up a course, release block 1, simulate a cohort, grade, validate and report.

    Runs on the embedded default: a SQLite gradebook, local workers, course and exchange
    folders in a temporary directory,
    reports under --out. Running it twice gives the same decisions.
    """
    from workbench.demo.pipeline import run_demo

    console = Console()
    result = run_demo(out=out, scenario=scenario, size=size, workers=workers, sandbox=not no_sandbox,
                      console=console)
    console.rule("[bold green]done")
    for fact in result.facts:
        console.print(f"• {fact}")
    console.print(f"jury report (HTML): {result.jury_html}")
    console.print(f"decisions (CSV):    {result.jury_csv}")
    console.print(f"decisions (JSON):   {result.decisions_json}")
    console.print(f"candidate feedback: {result.feedback_dir}/")
    console.print(f"course folder:      {result.course_dir} (nbgrader and formgrader work there)")
