"""What the reports show, computed from the decisions: cohort rows, borderline cases, feedback."""

from __future__ import annotations

import csv
import io

import numpy as np

from workbench.referentiel import Referentiel, Rubrics
from workbench.reports.i18n import reason, words
from workbench.validator.decisions import Decisions
from workbench.validator.jury import GRADED_BY_WORKBENCH
from workbench.validator.rules import EPS, NOT_VALIDATED, STATE_NAMES, VALIDATED


def level_reached(score: float | None, rubrics: Rubrics) -> str | None:
    """The id of the highest rubric level whose share of the top level the score reaches."""
    if score is None or score != score:
        return None
    reached = [lv for lv in rubrics.levels if lv.value / rubrics.max_points <= score + EPS]
    return reached[-1].id if reached else rubrics.levels[0].id


def _block_columns(decisions: Decisions, j: int) -> np.ndarray:
    """Criterion columns of block ``j``."""
    s = decisions.structure
    bounds = list(s.competence_starts) + [len(s.competences)]
    comp_bounds = list(s.criterion_starts) + [len(s.criteria)]
    return np.arange(comp_bounds[bounds[j]], comp_bounds[bounds[j + 1]])


def borderline(decisions: Decisions, margin: float) -> list[dict]:
    """Borderline cases, sorted by candidate: block-1 criteria close to their threshold, incomplete jury input.

    'just_above': block 1 is validated and this criterion barely meets its threshold.
    'just_below': block 1 is not validated and every failing criterion is close below.
    'jury_incomplete': see :func:`jury_incomplete`. Blocks 2-5 are the jury's own levels and are
    never flagged for their distance to a threshold: a level *at* the threshold is the jury's
    decision, not a doubt.
    """
    s = decisions.structure
    score = decisions.score
    thr = np.array([decisions.thresholds[k] for k in s.criteria])
    j = s.blocks.index(GRADED_BY_WORKBENCH)
    cols = _block_columns(decisions, j)
    g = score[:, cols] - thr[None, cols]
    block_state = decisions.states.block[:, j]
    above = (block_state == VALIDATED)[:, None] & (g >= -EPS) & (g < margin)
    failing = decisions.states.criterion[:, cols] == NOT_VALIDATED
    close_fail = failing & (g >= -margin - EPS)
    below_block = (block_state == NOT_VALIDATED) & (failing.sum(axis=1) == close_fail.sum(axis=1))
    below = below_block[:, None] & close_fail
    rows: list[dict] = []
    for side, mask in (("just_above", above), ("just_below", below)):
        for i, c in zip(*np.nonzero(mask)):
            rows.append({"candidate": decisions.candidates[i], "block": s.blocks[j], "criterion": s.criteria[cols[c]],
                         "score": round(float(score[i, cols[c]]), 3), "threshold": round(float(thr[cols[c]]), 3),
                         "side": side})
    return sorted(rows + jury_incomplete(decisions), key=lambda r: (r["candidate"], r["block"], r["criterion"]))


def jury_incomplete(decisions: Decisions) -> list[dict]:
    """Blocks 2-5 with jury results for some criteria but not all: the validator cannot decide them.

    The jury sat (some rows exist), yet the block stays *not evaluated*: a row lost or mistyped in
    the jury's sheet, which the jury must look at before it deliberates.
    """
    s = decisions.structure
    given = ~np.isnan(decisions.score)
    rows = []
    for j, block in enumerate(s.blocks):
        if block == GRADED_BY_WORKBENCH:
            continue
        cols = _block_columns(decisions, j)
        part = given[:, cols]
        for i in np.flatnonzero(part.any(axis=1) & ~part.all(axis=1)):
            missing = [s.criteria[c] for c, ok in zip(cols, part[i]) if not ok]
            rows.append({"candidate": decisions.candidates[i], "block": block, "criterion": ", ".join(missing),
                         "score": None, "threshold": None, "side": "jury_incomplete"})
    return rows


def summary(decisions: Decisions) -> dict:
    """The cohort at a glance: candidates, full titles, partial certifications, each block's validations."""
    st = decisions.states
    n = len(decisions.candidates)
    full = int(st.full.sum())
    partial = int(((st.block == VALIDATED).any(axis=1) & ~st.full).sum())
    return {"candidates": n, "full": full, "partial": partial, "none": n - full - partial,
            "blocks": state_counts(st.block, decisions.structure.blocks)}


def cohort_rows(decisions: Decisions, borderline_rows: list[dict], *, names: dict[str, str] | None = None,
                review: dict[str, list[str]] | None = None) -> list[dict]:
    """One row per candidate: name, state of each block, certification, borderline and review flags."""
    flagged: dict[str, list[str]] = {}
    for r in borderline_rows:
        flagged.setdefault(r["candidate"], []).append(r["side"])
    names, review = names or {}, review or {}
    out = []
    for doc in decisions.documents:
        cand, cert = doc["candidate"], doc["certification"]
        out.append({"candidate": cand, "name": names.get(cand, ""), "blocks": doc["blocks"], "status": cert["status"],
                    "validated_blocks": cert["validated_blocks"], "not_evaluated_blocks": cert["not_evaluated_blocks"],
                    "borderline": sorted(set(flagged.get(cand, []))), "review": len(review.get(cand, []))})
    return out


def jury_csv(decisions: Decisions, rows: list[dict], lang: str) -> str:
    """The cohort table as CSV (UTF-8, ';' separated for French spreadsheets), in ``lang``."""
    w = words(lang)
    blocks = list(decisions.structure.blocks)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    # the name goes last: readers of this file find the blocks by position from the id
    writer.writerow([w["candidate"], *blocks, w["certification"], w["validated_blocks"],
                     w["not_evaluated_blocks"], w["borderline"], w["needs_review"], w["name"]])
    for r in rows:
        writer.writerow([r["candidate"], *(w[r["blocks"][b]] for b in blocks), w[r["status"]],
                         " ".join(r["validated_blocks"]), " ".join(r["not_evaluated_blocks"]),
                         " ".join(w[x] for x in r["borderline"]), r["review"] or "", r["name"]])
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
