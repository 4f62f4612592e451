"""``workbench scores`` (criterion scores) and ``workbench rubric`` (rubric CSV import)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import numpy as np
from rich.console import Console
from rich.table import Table

from workbench.referentiel import load_referentiel, load_rubrics
from workbench.scores.compute import compute_scores
from workbench.scores.criterion_map import load_criterion_map
from workbench.scores.gradebook import open_gradebook
from workbench.scores.rubric_import import import_rubric_csv
from workbench.validator.options import audit_option, gradebook_option, map_option


@click.command("scores")
@gradebook_option
@map_option
@audit_option
@click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="nbgrader course folder: adds check messages from autograded/ notebooks.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to a file.")
def scores(gradebook: str, criterion_map: Path | None, audit: str | None, course_dir: Path | None, fmt: str,
           out: Path | None) -> None:
    """Compute every candidate's block-1 criterion scores (in [0, 1]) from the gradebook.

    A criterion with an ungraded cell is 'not evaluated' (n/e), never 0.
    """
    ref, rubrics = load_referentiel(), load_rubrics()
    cmap = load_criterion_map(criterion_map, referentiel=ref, rubrics=rubrics)
    engine = open_gradebook(gradebook)
    try:
        result = compute_scores(engine=engine, cmap=cmap, where=str(gradebook), course_dir=course_dir)
    finally:
        engine.dispose()
    if fmt == "table" and out is None:
        table = Table(title=f"Block-1 criterion scores ({cmap.assignment})")
        table.add_column("candidate")
        for k in result.criteria:
            table.add_column(k, justify="right")
        for i, cand in enumerate(result.candidates):
            table.add_row(cand, *("n/e" if np.isnan(x) else f"{x:.2f}" for x in result.score[i]))
        Console().print(table)
        return
    text = _as_json(result, _provenance(gradebook, audit)) if fmt == "json" else _as_csv(result)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


def _as_csv(result) -> str:
    frame = result.frame()
    frame["score"] = frame["score"].round(6)
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue()


def _provenance(gradebook: str, audit: str | None) -> dict:
    """Who gave each imported rubric level, and when (from the audit store, if there is one)."""
    from workbench.validator.audit import open_audit, rubric_provenance
    from workbench.validator.run import audit_exists, resolve_audit

    url = resolve_audit(gradebook, audit)
    if not audit_exists(url):
        return {}
    store = open_audit(url)
    try:
        return rubric_provenance(store)
    finally:
        store.dispose()


def _as_json(result, provenance: dict) -> str:
    cells = result.cells.astype(object).where(result.cells.notna(), None)
    by_cand: dict[str, list] = {}
    for rec in cells.to_dict("records"):
        cand = rec.pop("candidate")
        prov = provenance.get((cand, rec["criterion"]), {}) if rec["kind"] == "rubric" else {}
        rec["graded_by"], rec["graded_at"] = prov.get("grader"), prov.get("at")
        by_cand.setdefault(cand, []).append(rec)
    doc = {
        cand: {
            "criteria": {k: (None if np.isnan(s) else round(float(s), 6)) for k, s in zip(result.criteria, result.score[i])},
            "cells": by_cand.get(cand, []),
        }
        for i, cand in enumerate(result.candidates)
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


@click.command("rubric")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@gradebook_option
@map_option
@audit_option
@click.option("--dry-run", is_flag=True, help="Check the file only; write nothing.")
@click.option("--marker", default=None,
              help="Double marking: record these levels as this marker's, blind to the other markers'.")
@click.option("--marking", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The course's marking rule and markers [default: grading/marking.yml].")
def rubric(csv_file: Path, gradebook: str, criterion_map: Path | None, audit: str | None, dry_run: bool,
           marker: str | None, marking: Path | None) -> None:
    """Import rubric levels from CSV_FILE (candidate, criterion, level, comment, grader).

    UTF-8 with or without BOM or UTF-16 with BOM, ';', ',' or tab separated; levels as 0-3 or
    names (insuffisant/partiel/satisfaisant/excellent or English). All or nothing; a file with
    no row is refused.
    With --marker, the levels are one marker's (see `workbench marking`): a cell's final
    level is written once it has every marker it needs and they did not diverge.
    """
    if marker is not None:
        from workbench.marking.marks import import_marker_levels
        from workbench.validator.run import resolve_audit

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
