"""``workbench exercises``: build the block-1 nbgrader assignment and its criterion map."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.exercises.build import build_assignment, build_notebooks, criterion_map, dump_criterion_map
from workbench.exercises.config import load_config
from workbench.exercises.template import DEFAULT_LANG, LANGS
from workbench.paths import grading_dir, project_root


@click.group("exercises")
def exercises() -> None:
    """Build the block-1 exercise set (nbgrader source) from exercises/templates and grading/."""


@exercises.command("build")
@click.option("--scenario", "scenario_id", default=None,
              help="Scenario to release (default: released_scenario of grading/exercises.yml).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder that receives <assignment>/ (e.g. a course's source/).")
@click.option("--no-data", is_flag=True, help="Write the notebooks only (no data/ folder).")
@click.option("--lang", type=click.Choice(LANGS), default=DEFAULT_LANG, show_default=True,
              help="The course's language: the notebooks' instructions and rubric guides (code is the same).")
def build(scenario_id: str | None, out: Path, no_data: bool, lang: str) -> None:
    """Write OUT/block1/: one notebook per competence, and the data candidates need."""
    config = load_config()
    built = build_assignment(scenario_id=scenario_id or config.released_scenario, out=out,
                             with_data=not no_data, config=config, lang=lang)
    click.echo(f"built {built.assignment} ({built.scenario}) in {built.folder}: "
               + ", ".join(f"{n}.ipynb" for n in built.notebooks))


@exercises.command("map")
@click.option("--check", is_flag=True, help="Fail if grading/criterion_map.yml is not up to date.")
def map_(check: bool) -> None:
    """Write grading/criterion_map.yml (which criterion each graded cell evidences)."""
    config = load_config()
    text = dump_criterion_map(criterion_map(build_notebooks(config.released_scenario, config=config)))
    path = grading_dir() / "criterion_map.yml"
    if check:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            raise click.ClickException(f"{path} is out of date: run `workbench exercises map`")
        click.echo(f"{path} is up to date")
        return
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}")


@exercises.command("source")
def source() -> None:
    """Rebuild the committed, browsable source (notebooks only) of the released scenario,
    in the default language (English instructions beside the official French wording)."""
    config = load_config()
    out = project_root() / config.source_dir
    built = build_assignment(scenario_id=config.released_scenario, out=out, with_data=False, config=config)
    click.echo(f"rebuilt {built.folder} ({built.scenario})")
