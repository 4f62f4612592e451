"""``workbench scores``: criterion scores from the gradebook (``workbench rubric`` is in :mod:`workbench.marking.cli`)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import numpy as np
from rich.console import Console
from rich.table import Table

from workbench.options import audit_option, gradebook_option, map_option
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.scores.compute import compute_scores
from workbench.scores.criterion_map import load_criterion_map
from workbench.scores.gradebook import open_gradebook
from workbench.scores.records import audit_exists, open_records, resolve_audit, rubric_provenance


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
    url = resolve_audit(gradebook, audit)
    if not audit_exists(url):
        return {}
    store = open_records(url)
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
