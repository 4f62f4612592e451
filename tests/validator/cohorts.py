"""Synthetic cohorts for the rule tests: no gradebook, no files, milliseconds per cohort.

The block-1 scores come from the *real* criterion map (``grading/criterion_map.yml``) through
:func:`workbench.scores.compute.cell_table` and :func:`~workbench.scores.compute.aggregate`, fed
with gradebook-shaped rows; blocks 2-5 come from a jury table. Hypothesis strategies draw cohorts
that really reach every outcome: validated blocks, full titles, partial certifications, failures
and "not evaluated", under thresholds with overrides (``thresholds.yml``).
"""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from workbench.referentiel import load_referentiel, load_rubrics
from workbench.scores import load_criterion_map, load_scoring_rule
from workbench.scores.compute import CriterionScores, aggregate, cell_table
from workbench.scores.gradebook import GradeRows
from workbench.validator.decisions import Decisions
from workbench.validator.jury import JuryResults
from workbench.validator.rules import Structure
from workbench.validator.thresholds import load_thresholds

REF, RUBRICS = load_referentiel(), load_rubrics()
S = Structure.of(REF)
CMAP = load_criterion_map(referentiel=REF, rubrics=RUBRICS)  # the real map
RULE = load_scoring_rule()
MAP = CMAP.frame()
B1 = REF.criterion_ids("B1")
JURY_CRITERIA = [k for k in S.criteria if k not in B1]
LEVELS = [lv.id for lv in RUBRICS.levels]

# cell -> (auto_score, manual_score, extra_credit); None = not graded
Grades = dict[str, tuple[float | None, float | None, float | None]]


def grade_rows(candidates: dict[str, Grades | None]) -> tuple[GradeRows, pd.DataFrame]:
    """Gradebook-shaped rows for ``candidates`` (None: no submission), and the graded cells."""
    cells = MAP[["notebook", "cell"]].assign(cell_id=[f"id-{c}" for c in MAP["cell"]])
    grades, comments, subs = [], [], []
    for cand, marks in candidates.items():
        if marks is None:
            continue
        subs.append((cand, "2026-06-01 10:00:00"))
        for nb, cell in zip(MAP["notebook"], MAP["cell"]):
            auto, manual, extra = marks.get(cell, (None, None, None))
            grades.append((cand, f"id-{cell}", auto, manual, extra))
            comments.append((cand, nb, cell, None, None))
    rows = GradeRows(
        grades=pd.DataFrame(grades, columns=["candidate", "cell_id", "auto_score", "manual_score", "extra_credit"]),
        comments=pd.DataFrame(comments, columns=["candidate", "notebook", "cell", "auto_comment", "manual_comment"]),
        submissions=pd.DataFrame(subs, columns=["candidate", "submitted_at"]))
    return rows, cells


def block1_scores(candidates: dict[str, Grades | None]) -> CriterionScores:
    """Block-1 criterion scores of ``candidates`` through the real map and scoring rule."""
    names = sorted(candidates)
    rows, cells = grade_rows(candidates)
    return aggregate(CMAP, names, cell_table(CMAP, names, rows, cells), RULE)


def jury(rows: list[tuple[str, str, float]]) -> JuryResults:
    """A validated jury table from (candidate, criterion, score) rows."""
    if not rows:
        return JuryResults.empty()
    frame = pd.DataFrame(rows, columns=["candidate", "criterion", "score"])
    frame["level"] = None
    frame["comment"] = ""
    frame["line"] = np.arange(2, len(rows) + 2)
    return JuryResults(frame, "jury.csv")


def thresholds(text: str = "default: satisfactory\ncriteria: {}\n") -> dict[str, float]:
    """Thresholds read by the real loader from a ``thresholds.yml`` text (overrides included)."""
    return dict(_thresholds(text))


@lru_cache(maxsize=512)
def _thresholds(text: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "thresholds.yml"
        path.write_text(text, encoding="utf-8")
        return load_thresholds(path, referentiel=REF, rubrics=RUBRICS)


def decisions(candidates: dict[str, Grades | None], jury_rows: list[tuple[str, str, float]],
              thr: dict[str, float] | None = None) -> Decisions:
    return Decisions(S, thr or thresholds(), block1_scores(candidates), jury(jury_rows))


def marks_for(shares: dict[str, float | None]) -> Grades:
    """Every cell of each block-1 criterion at ``share`` of its points (None: left ungraded).

    Rubric cells get the nearest rubric level at or above the share's points, autograde cells
    the exact share, so the criterion's score is at least ``share`` (and exactly it on the grid).
    """
    out: Grades = {}
    for cell, crit, kind, pts in zip(MAP["cell"], MAP["criterion"], MAP["kind"], MAP["max_points"]):
        share = shares.get(crit)
        if share is None:
            continue
        if kind == "rubric":
            out[cell] = (None, float(np.ceil(share * pts - 1e-9)), None)
        else:
            out[cell] = (share * pts, None, None)
    return out


# --- strategies ---------------------------------------------------------------------------------

OUTCOMES = ("met", "missed", "missing")
THRESHOLD_VALUES = st.one_of(st.sampled_from(LEVELS[1:]), st.sampled_from([0.25, 0.5, 0.6, 0.75, 0.9, 1.0]))


@st.composite
def threshold_files(draw) -> tuple[str, dict[str, float]]:
    """A ``thresholds.yml`` text with a default and overrides on a few criteria, and what it means."""
    default = draw(st.sampled_from(LEVELS[1:]))
    chosen = draw(st.lists(st.sampled_from(S.criteria), unique=True, max_size=6))
    overrides = {k: draw(THRESHOLD_VALUES) for k in chosen}
    body = "".join(f"  {k}: {v}\n" for k, v in overrides.items())
    text = f"default: {default}\ncriteria:\n{body}" if body else f"default: {default}\ncriteria: {{}}\n"
    return text, thresholds(text)


@st.composite
def criterion_outcomes(draw, n: int) -> np.ndarray:
    """(n, K) outcomes per criterion, drawn block by block so that every block state is common.

    Per candidate and block, one of: all met (validated), one criterion missed, one missing,
    or any mix; a candidate is drawn all-met in every block often enough to reach the title.
    """
    out = np.empty((n, len(S.criteria)), dtype=object)
    for i in range(n):
        full = draw(st.booleans())
        for block in REF.blocks:
            cols = [S.criteria.index(k) for k in REF.criterion_ids(block.id)]
            plan = "all" if full else draw(st.sampled_from(["all", "all", "one_missed", "one_missing", "mix"]))
            if plan == "mix":
                row = [draw(st.sampled_from(OUTCOMES)) for _ in cols]
            else:
                row = ["met"] * len(cols)
                if plan != "all":
                    row[draw(st.integers(0, len(cols) - 1))] = plan.removeprefix("one_")
            out[i, cols] = row
    return out


def scores_for(outcomes: np.ndarray, thr: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Scores realising ``outcomes`` under thresholds ``thr``: met in [thr, 1], missed below, NaN."""
    met = thr + (1 - thr) * u
    missed = thr * u * 0.999  # strictly below, far beyond the rules' tolerance
    return np.where(outcomes == "met", met, np.where(outcomes == "missed", missed, np.nan)).astype(float)


@st.composite
def cohorts(draw, max_size: int = 4) -> tuple[np.ndarray, np.ndarray, dict[str, float], np.ndarray]:
    """(outcomes, scores, thresholds by criterion, thresholds in référentiel order)."""
    n = draw(st.integers(1, max_size))
    _, thr = draw(threshold_files())
    vec = np.array([thr[k] for k in S.criteria])
    outcomes = draw(criterion_outcomes(n))
    u = np.array(draw(st.lists(st.floats(0, 1), min_size=outcomes.size, max_size=outcomes.size))).reshape(outcomes.shape)
    return outcomes, scores_for(outcomes, vec, u), thr, vec
