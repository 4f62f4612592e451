"""``workbench rubric`` (a grader's levels, or one marker's) and ``workbench marking`` (moderation queue,
moderation, agreement).

Without ``--marker`` the levels go straight to the gradebook (:mod:`workbench.scores.rubric_import`);
with it, they are one marker's, and the marking rule decides when a cell's final level is written.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from workbench.options import audit_option, gradebook_option, map_option, marking_option


def _store(gradebook: str, audit: str | None):
    from workbench.marking.store import open_store
    from workbench.scores.records import resolve_audit

    return open_store(resolve_audit(gradebook, audit))


@click.group("marking")
def marking() -> None:
    """Double marking of the rubric cells: the moderation queue, moderation, agreement between markers."""


@marking.command("sample")
@gradebook_option
@map_option
@marking_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the CSV to a file.")
def sample(gradebook: str, criterion_map: Path | None, marking: Path | None, out: Path | None) -> None:
    """The rubric cells a second marker marks (candidate, criterion), as CSV: no level is shown.

    Every submitted candidate's rubric criteria that `grading/marking.yml` sends to two markers.
    """
    from workbench.marking.config import load_marking_rule
    from workbench.scores import gradebook as gb
    from workbench.scores.criterion_map import load_criterion_map

    rule, cmap = load_marking_rule(marking), load_criterion_map(criterion_map)
    criteria = sorted({c.criterion for _, c in cmap.cells() if c.kind == "rubric"})
    engine = gb.open_gradebook(gradebook)
    try:
        with engine.connect() as conn:
            submitted = sorted(set(gb.grades(conn, cmap.assignment).submissions["candidate"]))
    finally:
        engine.dispose()
    lines = ["candidate,criterion"] + [f"{c},{k}" for c in submitted for k in criteria
                                       if rule.required_markers(c, k) == 2]
    text = "\n".join(lines) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@marking.command("queue")
@gradebook_option
@audit_option
@marking_option
def queue(gradebook: str, audit: str | None, marking: Path | None) -> None:
    """List the rubric cells awaiting moderation, with every marker's level (for the moderator)."""
    from workbench.marking import store as st
    from workbench.marking.config import load_marking_rule

    rule = load_marking_rule(marking)
    engine = _store(gradebook, audit)
    try:
        waiting = sorted((k, o) for k, o in st.latest_outcomes(engine, st.scope(gradebook)).items()
                         if o["status"] == "awaiting_moderation")
    finally:
        engine.dispose()
    table = Table(title=f"Awaiting moderation ({len(waiting)}; levels {rule.divergence_levels} or more apart)")
    for col in ("candidate", "criterion", "levels"):
        table.add_column(col)
    for (cand, crit), o in waiting:
        table.add_row(cand, crit, " ".join(f"{m}={v}" for m, v in o["levels"]["markers"].items()))
    Console(width=120).print(table)


@marking.command("moderate")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@gradebook_option
@map_option
@audit_option
@marking_option
@click.option("--moderator", required=True, help="Who decides (a moderator, or a third marker of the course).")
@click.option("--dry-run", is_flag=True, help="Check the file only; write nothing.")
def moderate(csv_file: Path, gradebook: str, criterion_map: Path | None, audit: str | None, marking: Path | None,
             moderator: str, dry_run: bool) -> None:
    """Decide cells awaiting moderation from CSV_FILE (candidate, criterion, level, reason). All or nothing."""
    from workbench.marking.marks import import_moderation
    from workbench.scores.records import resolve_audit

    counts = import_moderation(csv_path=csv_file, gradebook=gradebook, moderator=moderator,
                               audit_url=resolve_audit(gradebook, audit), marking=marking,
                               criterion_map=criterion_map, dry_run=dry_run)
    if dry_run:
        click.echo("moderation checked (dry run, nothing recorded)")
    else:
        click.echo(f"{counts['recorded']} moderation(s) of {moderator} recorded: {counts['final']} final level(s) written")


@marking.command("agreement")
@gradebook_option
@audit_option
@marking_option
def agreement(gradebook: str, audit: str | None, marking: Path | None) -> None:
    """Agreement per criterion and pair of markers: exact, adjacent, quadratic-weighted kappa."""
    from workbench.marking.agreement import alpha_per_criterion, pair_agreement
    from workbench.marking.store import marks, scope
    from workbench.referentiel import load_rubrics

    levels = [lv.value for lv in load_rubrics().levels]
    engine = _store(gradebook, audit)
    try:
        given = marks(engine, scope(gradebook))
    finally:
        engine.dispose()
    pairs, alphas = pair_agreement(given, levels), alpha_per_criterion(given, levels)
    table = Table(title="Agreement between markers")
    for col in ("criterion", "markers", "n", "exact", "adjacent", "kappa (quadratic)"):
        table.add_column(col)
    for r in pairs.itertuples():
        table.add_row(r.criterion, f"{r.marker_a} / {r.marker_b}", str(r.n), f"{r.exact:.2f}", f"{r.adjacent:.2f}",
                      "n/a" if r.kappa != r.kappa else f"{r.kappa:.2f}")
    Console(width=120).print(table)
    for r in alphas.itertuples():
        click.echo(f"{r.criterion}: Krippendorff's alpha (ordinal, {r.markers} markers, {r.cells} cells) = {r.alpha:.3f}")


@click.command("rubric")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@gradebook_option
@map_option
@audit_option
@click.option("--dry-run", is_flag=True, help="Check the file only; write nothing.")
@click.option("--marker", default=None,
              help="Double marking: record these levels as this marker's, blind to the other markers'.")
@marking_option
def rubric(csv_file: Path, gradebook: str, criterion_map: Path | None, audit: str | None, dry_run: bool,
           marker: str | None, marking: Path | None) -> None:
    """Import rubric levels from CSV_FILE (candidate, criterion, level, comment, grader).

    UTF-8 with or without BOM or UTF-16 with BOM, ';', ',' or tab separated; levels as 0-3 or
    names (insuffisant/partiel/satisfaisant/excellent or English). All or nothing; a file with
    no row is refused.
    With --marker, the levels are one marker's (see `workbench marking`): a cell's final
    level is written once it has every marker it needs and they did not diverge.
    """
    from workbench.scores.records import resolve_audit
    from workbench.scores.rubric_import import import_rubric_csv

    if marker is not None:
        from workbench.marking.marks import import_marker_levels

        counts = import_marker_levels(csv_path=csv_file, gradebook=gradebook, marker=marker,
                                      audit_url=resolve_audit(gradebook, audit), marking=marking,
                                      criterion_map=criterion_map, dry_run=dry_run)
        # blind: nothing about the other markers' levels (not even how many cells diverged)
        verb = "checked (dry run, nothing recorded)" if dry_run else "recorded"
        click.echo(f"{counts['recorded'] if not dry_run else 'all'} level(s) of marker {marker} {verb}")
        return
    counts = import_rubric_csv(csv_path=csv_file, gradebook=gradebook, criterion_map=criterion_map, audit=audit,
                               dry_run=dry_run)
    verb = "checked (dry run, nothing written)" if dry_run else "imported"
    click.echo(f"{counts['rows']} rubric level(s) {verb}: {counts['written']} gradebook cell(s) written")
