"""Import each marker's rubric levels apart, and the moderators' decisions.

A marker's CSV (``candidate, criterion, level[, comment, grader]``) is checked against the
rubric, the gradebook, the course's markers and that marker's own earlier levels only: it
never reads, shows or depends on another marker's levels (blind double marking). Once a cell
has every level it needs (``grading/marking.yml``), its outcome is settled: a final level
written into the gradebook, or the moderation queue. A moderation CSV
(``candidate, criterion, level, reason``) decides queued cells.

Every row of a file is checked before anything is written; a fault names file, line and
column, and nothing recorded changes. Levels, moderations and outcomes go to the marking
tables of the audit store (:mod:`workbench.marking.store`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from workbench.errors import InputError
from workbench.marking import store as st
from workbench.marking.config import MarkingRule, load_marking_rule
from workbench.marking.outcome import FINAL, Outcome, outcome
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.scores import gradebook as gb
from workbench.scores.criterion_map import CriterionMap, check_against_gradebook, load_criterion_map
from workbench.scores.csvio import Row, raise_faults, read_rows
from workbench.scores.records import utc_now
from workbench.scores.rubric_import import Entry, audit_levels, targets, updates, validate_rows, write_levels

Key = tuple[str, str]


@dataclass
class Batch:
    """A checked file: its entries and what the gradebook says about them."""

    csv_path: Path
    gradebook: str
    scope: str  # the gradebook's URL, as the marking tables record it
    cmap: CriterionMap
    entries: list[Entry]
    rows: dict[int, Row]
    found: dict


def check_person(rule: MarkingRule, person: str, *, role: str, where: str) -> None:
    """Refuse someone who is not on the course (a marker, or for moderation a moderator or marker)."""
    allowed = rule.markers if role == "marker" else [*rule.moderators, *rule.markers]
    if person not in allowed:
        raise InputError(f"{role} {person!r} is not on the course (allowed: {', '.join(allowed)}); nothing was changed",
                         where=where)


def _read(csv_path: Path, gradebook: str, criterion_map, optional: tuple[str, ...],
          required: tuple[str, ...] = ()) -> tuple[Batch, list[str]]:
    """Read and check the rows against the rubric and the gradebook (faults returned, not raised)."""
    ref, rubrics = load_referentiel(), load_rubrics()
    cmap = load_criterion_map(criterion_map, referentiel=ref, rubrics=rubrics)
    rows = read_rows(csv_path, required=("candidate", "criterion", "level", *required), optional=optional)
    engine = gb.open_gradebook(gradebook)
    try:
        with engine.connect() as conn:
            check_against_gradebook(cmap, gb.graded_cells(conn, cmap.assignment), where=str(gradebook))
            candidates = set(gb.students(conn))
            found = targets(conn, cmap)
    finally:
        engine.dispose()
    entries, faults = validate_rows(rows, cmap=cmap, ref=ref, rubrics=rubrics, candidates=candidates,
                                    submitted={c for c, _, _ in found})
    return Batch(Path(csv_path), str(gradebook), st.scope(gradebook), cmap, entries, {r.line: r for r in rows},
                 found), faults


def import_marker_levels(*, csv_path: str | Path, gradebook: str | Path, marker: str, audit_url: str,
                         marking: str | Path | None = None, criterion_map: str | Path | None = None,
                         dry_run: bool = False) -> dict[str, int]:
    """Record one marker's levels, blind to the others'; settle the cells that are complete.

    Returns
    -------
    dict
        ``recorded`` (the marker's levels), and for the instructor ``final`` and
        ``awaiting_moderation`` (cells settled by this import). The CLI shows a marker
        only ``recorded``.

    Raises
    ------
    InputError
        A marker not on the course, a level outside the rubric, a cell this marker already
        marked (in the file or earlier), a ``grader`` column naming someone else.
    """
    rule = load_marking_rule(marking)
    where = str(csv_path)
    check_person(rule, marker, role="marker", where=f"{where} (--marker)")
    batch, faults = _read(Path(csv_path), str(gradebook), criterion_map, optional=("comment", "grader"))
    for e in batch.entries:
        if e.grader and e.grader != marker:
            faults.append(f"line {e.line}, column grader: {e.grader!r} is not the marker of this file ({marker})")
    engine = st.open_store(audit_url)
    try:
        with engine.connect() as conn:  # only this marker's own levels are read
            own = {(r.candidate, r.criterion): r.import_id for r in conn.execute(
                select(st.LEVEL.c.candidate, st.LEVEL.c.criterion, st.LEVEL.c.import_id)
                .where(st.LEVEL.c.marker == marker, st.LEVEL.c.gradebook == batch.scope))}
        for e in batch.entries:
            if (e.candidate, e.criterion) in own:
                faults.append(f"line {e.line}: marker {marker} already marked {e.candidate} / {e.criterion} "
                              f"(import #{own[(e.candidate, e.criterion)]}); a marker marks a cell once")
        raise_faults(faults, where)
        if dry_run or not batch.entries:
            return {"recorded": 0, "final": 0, "awaiting_moderation": 0}
        new = {(e.candidate, e.criterion): {marker: {"level": e.level, "comment": e.comment}} for e in batch.entries}
        return _settle(engine, batch, rule, kind="levels", person=marker, new_marks=new, new_mods={},
                       audit_url=audit_url)
    finally:
        engine.dispose()


def import_moderation(*, csv_path: str | Path, gradebook: str | Path, moderator: str, audit_url: str,
                      marking: str | Path | None = None, criterion_map: str | Path | None = None,
                      dry_run: bool = False) -> dict[str, int]:
    """Record a moderator's levels on cells awaiting moderation, with a reason each; settle them.

    Raises
    ------
    InputError
        A moderator not on the course, a level outside the rubric, an empty reason, a cell
        that did not diverge (or is not double-marked yet, or is already moderated), a
        moderator who marked the cell.
    """
    rule = load_marking_rule(marking)
    where = str(csv_path)
    check_person(rule, moderator, role="moderator", where=f"{where} (--moderator)")
    batch, faults = _read(Path(csv_path), str(gradebook), criterion_map, optional=(), required=("reason",))
    engine = st.open_store(audit_url)
    try:
        state = st.latest_outcomes(engine, batch.scope)
        done = st.moderations(engine, batch.scope)
        marks = st.marks_of(engine, batch.scope, {(e.candidate, e.criterion) for e in batch.entries})
        for e in batch.entries:
            key, at = (e.candidate, e.criterion), f"line {e.line}"
            reason = batch.rows[e.line].values.get("reason", "")
            status = state.get(key, {}).get("status")
            if not reason:
                faults.append(f"{at}, column reason: a moderation needs a reason")
            if key in done:
                faults.append(f"{at}: {e.candidate} / {e.criterion} was already moderated by {done[key]['moderator']}")
            elif status != "awaiting_moderation":
                levels = ", ".join(str(m["level"]) for m in marks.get(key, {}).values()) or "none"
                why = ("did not diverge" if status == FINAL else "does not have every marker's level yet")
                faults.append(f"{at}: {e.candidate} / {e.criterion} {why} (levels: {levels}; moderation from "
                              f"{rule.divergence_levels} levels apart): nothing to moderate")
            if moderator in marks.get(key, {}):
                faults.append(f"{at}: {moderator} marked {e.candidate} / {e.criterion}; a moderator is a third person")
        raise_faults(faults, where)
        if dry_run or not batch.entries:
            return {"recorded": 0, "final": 0, "awaiting_moderation": 0}
        mods = {(e.candidate, e.criterion): {"moderator": moderator, "level": e.level,
                                             "reason": batch.rows[e.line].values["reason"], "line": e.line}
                for e in batch.entries}
        return _settle(engine, batch, rule, kind="moderation", person=moderator, new_marks={}, new_mods=mods,
                       audit_url=audit_url)
    finally:
        engine.dispose()


def _outcomes(engine: Engine, scope: str, keys: set[Key], rule: MarkingRule, new_marks: dict, new_mods: dict
              ) -> dict[Key, tuple[Outcome, dict[str, dict]]]:
    """Each touched cell's outcome from every level it has now (stored and new)."""
    marks = st.marks_of(engine, scope, keys)
    mods = {k: v for k, v in st.moderations(engine, scope).items() if k in keys} | new_mods
    out = {}
    for key in sorted(keys):
        given = {**marks.get(key, {}), **new_marks.get(key, {})}
        mod = mods.get(key)
        res = outcome([m["level"] for m in given.values()], required=rule.required_markers(*key),
                      moderator=mod["level"] if mod else None, rule=rule)
        out[key] = (res, given)
    return out


def _settle(engine: Engine, batch: Batch, rule: MarkingRule, *, kind: str, person: str, new_marks: dict,
            new_mods: dict, audit_url: str) -> dict[str, int]:
    """Write the final levels into the gradebook, then record levels, moderations and outcomes."""
    keys = set(new_marks) | set(new_mods)
    settled = _outcomes(engine, batch.scope, keys, rule, new_marks, new_mods)
    latest = st.latest_outcomes(engine, batch.scope)
    changed = {k: v for k, v in settled.items()
               if (latest.get(k, {}).get("status"), latest.get(k, {}).get("level")) != (v[0].status, v[0].level)}
    finals = []
    for (cand, crit), (res, given) in sorted(changed.items()):
        if res.status == FINAL:
            comment = " / ".join(m["comment"] for m in given.values() if m.get("comment")) or None
            who = "+".join(sorted(given)) + (f" ({new_mods[(cand, crit)]['moderator']}, moderation)"
                                             if (cand, crit) in new_mods else "")
            line = next(e.line for e in batch.entries if (e.candidate, e.criterion) == (cand, crit))
            finals.append(Entry(line, cand, crit, res.level, comment, who,
                                tuple((nb, c.cell) for nb, c in batch.cmap.rubric_cells(crit))))
    grades, comments, previous = updates(finals, batch.found, str(batch.csv_path))
    if grades:
        gbe = gb.open_gradebook(batch.gradebook)
        try:
            write_levels(gbe, grades, comments)
        finally:
            gbe.dispose()
    _record(engine, batch, rule, kind=kind, person=person, new_marks=new_marks, new_mods=new_mods,
            changed=changed, settled=settled)
    if finals:
        audit_levels(finals, previous, csv_path=batch.csv_path, gradebook=batch.gradebook, audit=audit_url)
    return {"recorded": len(batch.entries), "final": len(finals),
            "awaiting_moderation": sum(r.status == "awaiting_moderation" for r, _ in changed.values())}


def _record(engine: Engine, batch: Batch, rule: MarkingRule, *, kind: str, person: str, new_marks: dict,
            new_mods: dict, changed: dict, settled: dict) -> None:
    """One transaction in the audit store: the import, its levels or moderations, the changed outcomes."""
    line = {(e.candidate, e.criterion): e.line for e in batch.entries}
    rule_json = json.dumps(rule.as_dict(), sort_keys=True, ensure_ascii=False)
    with engine.begin() as conn:
        import_id = conn.execute(st.IMPORT.insert().values(
            kind=kind, person=person, imported_at=utc_now(), file_name=str(batch.csv_path),
            file_sha256=hashlib.sha256(batch.csv_path.read_bytes()).hexdigest(), gradebook=batch.scope,
        )).inserted_primary_key[0]
        if new_marks:
            conn.execute(st.LEVEL.insert(), [
                {"import_id": import_id, "line": line[key], "gradebook": batch.scope, "candidate": key[0],
                 "criterion": key[1], "marker": m,
                 "level": v["level"], "comment": v["comment"]}
                for key, by in sorted(new_marks.items()) for m, v in by.items()])
        if new_mods:
            conn.execute(st.MODERATION.insert(), [
                {"import_id": import_id, "line": v["line"], "gradebook": batch.scope, "candidate": key[0],
                 "criterion": key[1],
                 "moderator": v["moderator"], "level": v["level"], "reason": v["reason"],
                 "levels_json": json.dumps({m: g["level"] for m, g in settled[key][1].items()}, sort_keys=True)}
                for key, v in sorted(new_mods.items())])
        if changed:
            conn.execute(st.OUTCOME.insert(), [
                {"import_id": import_id, "gradebook": batch.scope, "candidate": key[0], "criterion": key[1],
                 "status": res.status,
                 "level": res.level, "rule": res.rule, "rule_json": rule_json,
                 "levels_json": json.dumps(_fed(given, new_mods.get(key)), sort_keys=True, ensure_ascii=False)}
                for key, (res, given) in sorted(changed.items())])


def _fed(given: dict[str, dict], mod: dict | None) -> dict:
    """The levels an outcome rests on: each marker's, and the moderator's."""
    out: dict = {"markers": {m: v["level"] for m, v in sorted(given.items())}}
    if mod:
        out["moderator"] = {mod["moderator"]: mod["level"]}
    return out
