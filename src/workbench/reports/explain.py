"""Why a candidate has no full title: each failing criterion with its score, threshold and evidence.

One row per candidate without the full title, for the jury report. Evidence is what the decision
rests on (:meth:`Decisions.evidence`): the block-1 cells (autograded and rubric) with their points,
and the jury's level and comment for blocks 2-5. Never a cell's source (hidden tests stay hidden).
"""

from __future__ import annotations

from workbench.referentiel import Referentiel, Rubrics
from workbench.reports.build import level_reached
from workbench.reports.i18n import reason, words
from workbench.validator.decisions import Decisions


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def cell_evidence(cell: dict, *, rubrics: Rubrics, lang: str, review: set[str]) -> str:
    """One block-1 cell as a line: where, which kind, points out of max, level, review flag, grader."""
    w = words(lang)
    key = f"{cell['notebook']}/{cell['cell']}"
    text = f"{key} ({w['autograded'] if cell['kind'] == 'autograde' else w['rubric']}) " \
           f"{_points(cell.get('points'))}/{_points(cell.get('max_points'))}"
    if cell["kind"] == "rubric" and cell.get("points") is not None and cell.get("max_points"):
        level = level_reached(cell["points"] / cell["max_points"], rubrics)
        text += f" · {getattr(rubrics.level(level), lang)}"
    if cell.get("graded_by"):
        text += f" · {cell['graded_by']}"
    if cell.get("not_evaluated_reason"):
        text += f" · {reason(cell['not_evaluated_reason'], lang)}"
    if key in review:
        text += f" · {w['needs_review_short']}"
    return text


def jury_evidence(row: dict, *, rubrics: Rubrics, lang: str) -> str:
    """One jury result as a line: level (or score) and the jury's comment."""
    w = words(lang)
    shown = getattr(rubrics.level(row["level"]), lang) if row.get("level") else f"{row.get('score', 0):.2f}"
    return f"{w['jury']}{w['colon']}{shown}" + (f" — {row['comment']}" if row.get("comment") else "")


def _pending(doc: dict, evidence: dict, ref: Referentiel, lang: str) -> list[dict]:
    """Blocks not evaluated, with why (the cells' reasons for block 1, the missing jury criteria otherwise)."""
    w = words(lang)
    out = []
    for block in doc["certification"]["not_evaluated_blocks"]:
        missing = [k for k in ref.criterion_ids(block) if doc["criteria"][k]["score"] is None]
        if block == "B1":
            why = sorted({reason(c["not_evaluated_reason"], lang) for c in evidence["block1_cells"]
                          if c.get("not_evaluated_reason")})
        else:
            why = [w["no_jury_result"] + w["colon"] + ", ".join(missing)]
        out.append({"block": block, "why": why})
    return out


def explanations(decisions: Decisions, *, ref: Referentiel, rubrics: Rubrics, lang: str,
                 names: dict[str, str] | None = None, review: dict[str, list[str]] | None = None) -> list[dict]:
    """Per candidate without the full title: failing criteria (score vs threshold, evidence) and pending blocks."""
    names, review = names or {}, review or {}
    comp_of = {k.id: comp for comp in ref.competences() for k in comp.criteria}
    labels = {k.id: k.label.get(lang) for k in ref.criteria()}
    rows = []
    for i, doc in enumerate(decisions.documents):
        if doc["certification"]["full"]:
            continue
        cand = doc["candidate"]
        evidence = decisions.evidence(i)
        flagged = set(review.get(cand, []))
        failures = []
        for k, res in doc["criteria"].items():
            if res["state"] != "not_validated":
                continue
            comp = comp_of[k]
            if k.startswith("B1."):
                lines = [cell_evidence(c, rubrics=rubrics, lang=lang, review=flagged)
                         for c in evidence["block1_cells"] if c["criterion"] == k]
            else:
                lines = [jury_evidence(r, rubrics=rubrics, lang=lang) for r in evidence["jury"] if r["criterion"] == k]
            failures.append({"block": k.split(".")[0], "competence": comp.id, "competence_title": comp.title.get(lang),
                             "criterion": k, "label": labels[k], "score": res["score"],
                             "threshold": decisions.thresholds[k], "evidence": lines})
        rows.append({"candidate": cand, "name": names.get(cand, ""), "status": doc["certification"]["status"],
                     "failures": failures, "pending": _pending(doc, evidence, ref, lang)})
    return rows
