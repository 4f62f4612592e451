"""What the reports show, computed from the decisions: cohort rows, borderline cases, feedback."""

from __future__ import annotations

import csv
import io

import numpy as np

from workbench.referentiel import Referentiel, Rubrics
from workbench.reports.i18n import reason, words
from workbench.validator.decisions import Decisions
from workbench.validator.rules import EPS, NOT_VALIDATED, STATE_NAMES, VALIDATED

BORDERLINE_MARGIN = 0.1


def level_reached(score: float | None, rubrics: Rubrics) -> str | None:
    """The id of the highest rubric level whose share of the top level the score reaches."""
    if score is None or score != score:
        return None
    reached = [lv for lv in rubrics.levels if lv.value / rubrics.max_points <= score + EPS]
    return reached[-1].id if reached else rubrics.levels[0].id


def borderline(decisions: Decisions, margin: float = BORDERLINE_MARGIN) -> list[dict]:
    """Criteria within ``margin`` of their threshold that decide a block, sorted by candidate.

    'just_above': the block is validated and this criterion barely meets its threshold.
    'just_below': the block is not validated and every failing criterion is close below.
    """
    s = decisions.structure
    score = decisions.score
    thr = np.array([decisions.thresholds[k] for k in s.criteria])
    gap = score - thr[None, :]
    crit_state = decisions.states.criterion
    rows: list[dict] = []
    bounds = list(s.competence_starts) + [len(s.competences)]
    comp_bounds = list(s.criterion_starts) + [len(s.criteria)]
    for j, block in enumerate(s.blocks):
        cols = np.arange(comp_bounds[bounds[j]], comp_bounds[bounds[j + 1]])
        g, st = gap[:, cols], crit_state[:, cols]
        block_state = decisions.states.block[:, j]
        above = (block_state == VALIDATED)[:, None] & (g >= -EPS) & (g < margin)
        failing = st == NOT_VALIDATED
        close_fail = failing & (g >= -margin - EPS)
        below_block = (block_state == NOT_VALIDATED) & (failing.sum(axis=1) == close_fail.sum(axis=1))
        below = below_block[:, None] & close_fail
        for side, mask in (("just_above", above), ("just_below", below)):
            for i, c in zip(*np.nonzero(mask)):
                k = s.criteria[cols[c]]
                rows.append({"candidate": decisions.candidates[i], "block": block, "criterion": k,
                             "score": round(float(score[i, cols[c]]), 3), "threshold": round(float(thr[cols[c]]), 3),
                             "side": side})
    return sorted(rows, key=lambda r: (r["candidate"], r["block"], r["criterion"]))


def cohort_rows(decisions: Decisions, borderline_rows: list[dict]) -> list[dict]:
    """One row per candidate: state of each block, certification status, validated blocks."""
    flagged = {r["candidate"] for r in borderline_rows}
    out = []
    for doc in decisions.documents:
        cert = doc["certification"]
        out.append({"candidate": doc["candidate"], "blocks": doc["blocks"], "status": cert["status"],
                    "validated_blocks": cert["validated_blocks"], "not_evaluated_blocks": cert["not_evaluated_blocks"],
                    "borderline": doc["candidate"] in flagged})
    return out


def jury_csv(decisions: Decisions, rows: list[dict], lang: str) -> str:
    """The cohort table as CSV (UTF-8, ';' separated for French spreadsheets), in ``lang``."""
    w = words(lang)
    blocks = list(decisions.structure.blocks)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow([w["candidate"], *blocks, w["certification"], w["validated_blocks"], w["not_evaluated_blocks"],
                     w["borderline"]])
    for r in rows:
        writer.writerow([r["candidate"], *(w[r["blocks"][b]] for b in blocks), w[r["status"]],
                         " ".join(r["validated_blocks"]), " ".join(r["not_evaluated_blocks"]),
                         "x" if r["borderline"] else ""])
    return buf.getvalue()


def state_counts(states: np.ndarray, ids: list[str] | tuple[str, ...]) -> dict[str, dict[str, int]]:
    """Per item (column), how many candidates are in each state."""
    return {item: {name: int((states[:, j] == code).sum()) for code, name in enumerate(STATE_NAMES)}
            for j, item in enumerate(ids)}


def feedback_items(decisions: Decisions, i: int, ref: Referentiel, rubrics: Rubrics, lang: str) -> list[dict]:
    """Per block, competence and criterion of candidate ``i``: state, score, level, messages, comments.

    Only outputs and comments are used: never a cell's source (hidden tests stay hidden).
    """
    doc = decisions.documents[i]
    evidence = decisions.evidence(i)
    cells_by_crit: dict[str, list[dict]] = {}
    for cell in evidence["block1_cells"]:
        cells_by_crit.setdefault(cell["criterion"], []).append(cell)
    jury = {j["criterion"]: j for j in evidence["jury"]}
    blocks = []
    for block in ref.blocks:
        comps = []
        for comp in block.competences:
            crits = []
            for k in comp.criteria:
                res = doc["criteria"][k.id]
                cells = cells_by_crit.get(k.id, [])
                level = jury.get(k.id, {}).get("level") or level_reached(res["score"], rubrics)
                desc = rubrics.descriptors.get(k.id, {}).get(level) if res["score"] is not None else None
                crits.append({
                    "id": k.id, "label": k.label.get(lang), "state": res["state"], "score": res["score"],
                    "threshold": decisions.thresholds[k.id],
                    "level": getattr(rubrics.level(level), lang) if level else None,
                    "descriptor": desc.get(lang) if desc else None,
                    "messages": [c["messages"] for c in cells if c.get("messages")],
                    "comments": [c["comment"] for c in cells if c["kind"] == "rubric" and c.get("comment")],
                    "jury_comment": jury.get(k.id, {}).get("comment"),
                    "reasons": sorted({reason(c["not_evaluated_reason"], lang) for c in cells
                                        if c.get("not_evaluated_reason")}),
                })
            comps.append({"id": comp.id, "title": comp.title.get(lang), "state": doc["competences"][comp.id],
                          "criteria": crits})
        blocks.append({"id": block.id, "title": block.title.get(lang), "state": doc["blocks"][block.id],
                       "competences": comps})
    return blocks
