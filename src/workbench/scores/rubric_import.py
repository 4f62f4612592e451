"""Import the rubric levels graders fill in offline (CSV) into the nbgrader gradebook.

Columns: ``candidate``, ``criterion``, ``level`` (number, id, French or English name),
optional ``comment`` and ``grader``. Every row is checked before anything is
written; then all manual scores and comments are written in one transaction.
Who imported which level, and the scores it replaced, go to the audit store.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from workbench.referentiel import Referentiel, Rubrics, load_referentiel, load_rubrics
from workbench.scores import gradebook as gb
from workbench.scores.criterion_map import CriterionMap, check_against_gradebook, load_criterion_map
from workbench.scores.csvio import Row, raise_faults, read_rows
from workbench.scores.records import RUBRIC_GRADE, RUBRIC_IMPORT, open_records, resolve_audit, utc_now

RUBRIC_TARGETS_SQL = """
SELECT sa.student_id, nb.name, bc.name, g.id, g.manual_score, COALESCE(c2.id, c1.id),
       COALESCE(c2.manual_comment, c1.manual_comment)
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN base_cell bc ON g.cell_id = bc.id
JOIN notebook nb ON bc.notebook_id = nb.id
LEFT JOIN comment c1 ON c1.notebook_id = sn.id AND c1.cell_id = bc.id
LEFT JOIN base_cell sc ON sc.notebook_id = bc.notebook_id AND sc.name = bc.name AND sc.type = 'SolutionCell'
LEFT JOIN comment c2 ON c2.notebook_id = sn.id AND c2.cell_id = sc.id
WHERE a.name = :assignment
"""


@dataclass(frozen=True)
class Target:
    """Where one rubric cell of one candidate is stored, and what it holds now."""

    grade_id: str
    manual_score: float | None
    comment_id: str | None
    manual_comment: str | None


@dataclass(frozen=True)
class Entry:
    """One validated CSV row: the level to write into each rubric cell of the criterion."""

    line: int
    candidate: str
    criterion: str
    level: int
    comment: str | None
    grader: str | None
    cells: tuple[tuple[str, str], ...]


def targets(conn: Connection, cmap: CriterionMap) -> dict[tuple[str, str, str], Target]:
    rows = conn.execute(text(RUBRIC_TARGETS_SQL), {"assignment": cmap.assignment}).fetchall()
    return {(c, nb, cell): Target(gid, ms, cid, mc) for c, nb, cell, gid, ms, cid, mc in rows}


def _level(raw: str, rubrics: Rubrics) -> tuple[int | None, str | None]:
    """The level's value, or a fault naming the accepted levels."""
    try:
        return rubrics.level(raw).value, None
    except KeyError:
        pass
    known = ", ".join(f"{lv.value}={lv.id}/{lv.fr}" for lv in rubrics.levels)
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        return None, f"unknown level {raw!r} (known: {known})"
    if number.is_integer() and 0 <= number <= rubrics.max_points:
        try:  # "2.0" or "2,0" from a spreadsheet
            return rubrics.level(int(number)).value, None
        except KeyError:
            pass
    if number > rubrics.max_points:
        return None, f"level {raw} is above the maximum {rubrics.max_points}"
    return None, f"level {raw} is not a rubric level (known: {known})"


def validate_rows(rows: list[Row], *, cmap: CriterionMap, ref: Referentiel, rubrics: Rubrics,
                  candidates: set[str], submitted: set[str]) -> tuple[list[Entry], list[str]]:
    """Check every row; return the entries and every fault (with line and column)."""
    entries, faults, seen = [], [], {}
    known = set(ref.criterion_ids())
    for row in rows:
        v, where = row.values, f"line {row.line}"
        cand, crit = v["candidate"], v["criterion"]
        if cand not in candidates:
            faults.append(f"{where}, column candidate: unknown candidate {cand!r}")
        elif cand not in submitted:
            faults.append(f"{where}, column candidate: {cand!r} has no submission of {cmap.assignment}")
        cells = tuple((nb, c.cell) for nb, c in cmap.rubric_cells(crit))
        if crit not in known:
            faults.append(f"{where}, column criterion: unknown criterion {crit!r}")
        elif not cells:
            faults.append(f"{where}, column criterion: {crit} has no rubric cell in the criterion map")
        level, fault = _level(v["level"], rubrics)
        if fault:
            faults.append(f"{where}, column level: {fault}")
        if (cand, crit) in seen:
            faults.append(f"{where}: {cand} / {crit} already given on line {seen[(cand, crit)]}")
        seen.setdefault((cand, crit), row.line)
        if level is not None:
            entries.append(Entry(row.line, cand, crit, level, v.get("comment") or None, v.get("grader") or None,
                                 cells))
    return entries, faults


def updates(entries: list[Entry], targets: dict, where: str) -> tuple[list[dict], list[dict], list[str]]:
    """The grade and comment rows to update, and the previous values (for the audit store)."""
    grades, comments, previous, faults = [], [], [], []
    for e in entries:
        before = {}
        for nb, cell in e.cells:
            t = targets.get((e.candidate, nb, cell))
            if t is None:
                faults.append(f"line {e.line}: no grade for {e.candidate} in {nb}/{cell} (autograde it first)")
                continue
            grades.append({"gid": t.grade_id, "score": float(e.level)})
            if e.comment is not None and t.comment_id is not None:
                comments.append({"cid": t.comment_id, "comment": e.comment})
            before[f"{nb}/{cell}"] = {"manual_score": t.manual_score, "manual_comment": t.manual_comment}
        previous.append(json.dumps(before, sort_keys=True, ensure_ascii=False))
    raise_faults(faults, where)
    return grades, comments, previous


def write_levels(engine: Engine, grades: list[dict], comments: list[dict]) -> None:
    """Write manual scores and comments (rows of :func:`updates`) in one transaction: every level, or none."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE grade SET manual_score = :score, needs_manual_grade = :f WHERE id = :gid"),
                     [{**g, "f": False} for g in grades])
        if comments:
            conn.execute(text("UPDATE comment SET manual_comment = :comment WHERE id = :cid"), comments)


def import_rubric_csv(*, csv_path: str | Path, gradebook: str | Path, criterion_map: str | Path | None = None,
                      audit: str | None = None, dry_run: bool = False) -> dict[str, int]:
    """Validate a rubric CSV and write it into the gradebook, all or nothing.

    Raises
    ------
    InputError
        A wrong header or encoding, an unknown candidate, criterion or level, a level
        above the maximum, a duplicate row: listed with line and column; nothing is written.
    """
    ref, rubrics = load_referentiel(), load_rubrics()
    cmap = load_criterion_map(criterion_map, referentiel=ref, rubrics=rubrics)
    rows = read_rows(csv_path, required=("candidate", "criterion", "level"), optional=("comment", "grader"))
    engine = gb.open_gradebook(gradebook)
    try:
        with engine.connect() as conn:
            check_against_gradebook(cmap, gb.graded_cells(conn, cmap.assignment), where=str(gradebook))
            candidates = set(gb.students(conn))
            found = targets(conn, cmap)
        submitted = {c for c, _, _ in found}
        entries, faults = validate_rows(rows, cmap=cmap, ref=ref, rubrics=rubrics, candidates=candidates,
                                        submitted=submitted)
        raise_faults(faults, str(csv_path))
        grades, comments, previous = updates(entries, found, str(csv_path))
        if dry_run or not grades:
            return {"rows": len(entries), "cells": len(grades), "written": 0}
        _audit_store(gradebook, audit).dispose()  # a store that cannot record the levels fails before they are written
        write_levels(engine, grades, comments)
    finally:
        engine.dispose()
    audit_levels(entries, previous, csv_path=csv_path, gradebook=gradebook, audit=audit)
    return {"rows": len(entries), "cells": len(grades), "written": len(grades)}


def audit_levels(entries: list[Entry], previous: list[str], *, csv_path: str | Path, gradebook: str | Path,
                 audit: str | None) -> None:
    """Record who gave which level, and what it replaced (the gradebook keeps only the latest)."""
    store = _audit_store(gradebook, audit)
    try:
        with store.begin() as conn:
            import_id = conn.execute(RUBRIC_IMPORT.insert().values(
                imported_at=utc_now(), file_name=str(csv_path),
                file_sha256=hashlib.sha256(Path(csv_path).read_bytes()).hexdigest(), gradebook=str(gradebook),
            )).inserted_primary_key[0]
            conn.execute(RUBRIC_GRADE.insert(), [
                {"import_id": import_id, "candidate": e.candidate, "criterion": e.criterion, "level": e.level,
                 "grader": e.grader, "comment": e.comment, "previous_json": prev}
                for e, prev in zip(entries, previous)])
    finally:
        store.dispose()


def _audit_store(gradebook: str | Path, audit: str | None) -> Engine:
    return open_records(resolve_audit(gradebook, audit))
