"""Per candidate and block-1 criterion: a score in [0, 1] from the mapped cells' points.

How the evidence combines is the scoring rule of ``grading/scoring.yml``
(:mod:`workbench.scores.scoring`): per kind of evidence (autograde, rubric), the share of
its maximum points the candidate earned; the score is the weighted mean of those shares.

A cell counts as evaluated once it has a manual score or an autograder score (nbgrader
itself gives 0 to an untouched answer cell). A criterion with any cell not evaluated
— an ungraded rubric cell, a missing submission — is *not evaluated*: its score is
NaN, never 0, and the validator says so. A rubric cell whose markers diverged
(:mod:`workbench.marking`) is not evaluated either, for the reason *awaiting moderation*,
whatever the gradebook holds, until a moderator decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from workbench.scores import gradebook as gb
from workbench.scores.criterion_map import CriterionMap, check_against_gradebook
from workbench.scores.outputs import read_messages
from workbench.scores.scoring import KINDS, ScoringRule, load_scoring_rule

AWAITING_MODERATION = "awaiting moderation"  # the reason of a rubric cell in the moderation queue
CELL_COLUMNS = ["candidate", "notebook", "cell", "criterion", "kind", "max_points", "auto_score", "manual_score",
                "extra_credit", "points", "evaluated", "reason", "auto_comment", "manual_comment", "submitted_at"]


@dataclass(frozen=True)
class CriterionScores:
    """Block-1 criterion scores of a cohort, with their cell-level evidence.

    Attributes
    ----------
    candidates : list of str
        Every candidate of the gradebook, sorted.
    criteria : list of str
        The block-1 criteria, sorted.
    score : ndarray, shape (n_candidates, n_criteria)
        Scores in [0, 1] by the scoring rule; NaN where the criterion is not evaluated.
    points, max_points : ndarray, shape (n_candidates, n_criteria)
        Sums of points (NaN where not evaluated) and of maximum points, all kinds together
        (evidence: the score is the rule's weighted mean of per-kind shares, not their ratio).
    cells : DataFrame
        One row per candidate and mapped cell (columns :data:`CELL_COLUMNS`).
    rule : ScoringRule
        The scoring rule the scores were computed by (recorded with every decision).
    awaiting : ndarray of bool, shape (n_candidates, n_criteria), optional
        Where the criterion is not evaluated because a rubric cell awaits moderation.
    """

    candidates: list[str]
    criteria: list[str]
    score: np.ndarray
    points: np.ndarray
    max_points: np.ndarray
    cells: pd.DataFrame
    rule: ScoringRule
    awaiting: np.ndarray | None = None

    def frame(self) -> pd.DataFrame:
        """Long table: candidate, criterion, points, max_points, score, status."""
        n, k = self.score.shape
        out = pd.DataFrame({
            "candidate": np.repeat(self.candidates, k),
            "criterion": np.tile(self.criteria, n),
            "points": self.points.ravel(),
            "max_points": self.max_points.ravel(),
            "score": self.score.ravel(),
        })
        out["status"] = np.where(out["score"].isna(), "not_evaluated", "evaluated")
        if self.awaiting is not None:
            out.loc[self.awaiting.ravel(), "status"] = "awaiting_moderation"
        return out


def _reason(row_missing: np.ndarray, has_submission: np.ndarray, kind: np.ndarray, evaluated: np.ndarray) -> np.ndarray:
    """Why a cell is not evaluated, in words the jury reads ('' when it is)."""
    reason = np.full(len(kind), "", dtype=object)
    pending = ~evaluated
    reason[pending & (kind == "rubric")] = "rubric level not yet given"
    reason[pending & (kind == "autograde")] = "not autograded"
    reason[pending & row_missing] = "no grade in the gradebook"
    reason[pending & ~has_submission] = "no submission"
    return reason


def _positions(candidates: list[str], keys: list, cand_col: pd.Series, key_col: pd.Series) -> np.ndarray:
    """Flat index ``candidate * n_cells + cell`` of each row (rows are placed, not merged)."""
    ci = pd.Index(candidates).get_indexer(cand_col)
    cj = pd.Index(keys).get_indexer(key_col)
    return np.where((ci < 0) | (cj < 0), -1, ci * len(keys) + cj)


def cell_table(cmap: CriterionMap, candidates: list[str], rows: gb.GradeRows, cells: pd.DataFrame,
               awaiting: set[tuple[str, str]] = frozenset()) -> pd.DataFrame:
    """Every (candidate, mapped cell) pair with its grade, points and evaluation status.

    Parameters
    ----------
    cells : DataFrame
        The gradebook's graded cells (notebook, cell, cell_id), checked against the map.
    awaiting : set of (candidate, criterion)
        Rubric cells awaiting moderation: not evaluated, whatever their manual score.
    """
    mp = cmap.frame()
    n, k = len(candidates), len(mp)
    cell_ids = mp.merge(cells, on=["notebook", "cell"], how="left")["cell_id"].tolist()
    pos = _positions(candidates, cell_ids, rows.grades["candidate"], rows.grades["cell_id"])
    out = {"candidate": np.repeat(np.asarray(candidates, dtype=object), k)}
    for col in mp.columns:
        out[col] = np.tile(mp[col].to_numpy(), n)
    present = np.zeros(n * k, dtype=bool)
    present[pos] = True
    for col in ("auto_score", "manual_score", "extra_credit"):
        values = np.full(n * k, np.nan)
        values[pos] = rows.grades[col].to_numpy(float)
        out[col] = values
    keys = [f"{nb}/{c}" for nb, c in zip(mp["notebook"], mp["cell"])]
    note_keys = rows.comments["notebook"] + "/" + rows.comments["cell"]
    note_pos = _positions(candidates, keys, rows.comments["candidate"], note_keys)
    mapped = note_pos >= 0  # comments of plain solution cells (not graded) have no place
    for col in ("auto_comment", "manual_comment"):
        values = np.full(n * k, None, dtype=object)
        values[note_pos[mapped]] = rows.comments[col].to_numpy(object)[mapped]
        out[col] = values
    when = dict(zip(rows.submissions["candidate"], rows.submissions["submitted_at"]))
    out["submitted_at"] = np.repeat(np.asarray([when.get(c) for c in candidates], dtype=object), k)
    manual, auto = out["manual_score"], out["auto_score"]
    evaluated = ~np.isnan(manual) | ~np.isnan(auto)
    held = np.zeros(n * k, dtype=bool)
    if awaiting:
        pairs = zip(out["candidate"], out["criterion"], out["kind"])
        held = np.fromiter(((c, crit) in awaiting and kind == "rubric" for c, crit, kind in pairs), bool, n * k)
        evaluated &= ~held
    # nbgrader's rule: a manual score overrides the autograder's; extra credit adds on top
    out["points"] = np.where(np.isnan(manual), auto, manual) + np.nan_to_num(out["extra_credit"])
    out["evaluated"] = evaluated
    has_sub = np.repeat(np.asarray([c in when for c in candidates], dtype=bool), k)  # bool even when empty
    out["reason"] = _reason(~present, has_sub, out["kind"], evaluated)
    out["reason"][held & has_sub] = AWAITING_MODERATION
    return pd.DataFrame(out)[CELL_COLUMNS]


def aggregate(cmap: CriterionMap, candidates: list[str], cells: pd.DataFrame, rule: ScoringRule) -> CriterionScores:
    """Combine the cells' points into criterion scores by ``rule`` (indicator products, no loop over candidates).

    Per criterion and kind of evidence, the share is the kind's points over its maximum points;
    the score is ``sum(w_kind * share_kind) / sum(w_kind)`` over the kinds the criterion has
    cells of, clipped to [0, 1] (extra credit). Any pending cell makes the criterion NaN.
    """
    mp = cmap.frame()
    criteria = sorted(mp["criterion"].unique())
    n, k = len(candidates), len(mp)
    indicator = (mp["criterion"].to_numpy()[:, None] == np.asarray(criteria)[None, :]).astype(float)
    pts = np.nan_to_num(cells["points"].to_numpy(float).reshape(n, k))
    pending = (~cells["evaluated"].to_numpy(bool)).reshape(n, k).astype(float)
    max_row = mp["max_points"].to_numpy(float)
    kind = mp["kind"].to_numpy()
    weighted = np.zeros((n, len(criteria)))
    weights = np.zeros(len(criteria))
    for name in KINDS:
        of_kind = indicator * (kind == name)[:, None]
        kind_max = max_row @ of_kind
        present = kind_max > 0
        share = (pts @ of_kind) / np.where(present, kind_max, 1.0)
        weighted += rule.weight(name) * np.where(present, share, 0.0)
        weights += rule.weight(name) * present
    points = pts @ indicator
    max_points = np.broadcast_to(max_row @ indicator, (n, len(criteria))).copy()
    not_eval = (pending @ indicator) > 0
    points[not_eval] = np.nan
    score = np.clip(weighted / weights, 0.0, 1.0)
    score[not_eval] = np.nan
    awaiting = None
    if "reason" in cells:  # a cell table built by hand (tests, benchmarks) may not say why
        held = (cells["reason"].to_numpy(object) == AWAITING_MODERATION).reshape(n, k).astype(float)
        awaiting = (held @ indicator) > 0
    return CriterionScores(candidates, criteria, score, points, max_points, cells, rule, awaiting)


def compute_scores(*, engine: Engine, cmap: CriterionMap, where: str = "gradebook",
                   course_dir: str | Path | None = None, rule: ScoringRule | None = None,
                   awaiting: set[tuple[str, str]] = frozenset()) -> CriterionScores:
    """Read the gradebook and compute every candidate's block-1 criterion scores.

    ``rule`` defaults to ``grading/scoring.yml`` (see :mod:`workbench.scores.scoring`);
    ``awaiting``: the (candidate, criterion) rubric cells awaiting moderation.

    Raises
    ------
    ConfigError
        When the map and the gradebook's graded cells disagree (see
        :func:`check_against_gradebook`).

    Notes
    -----
    With ``course_dir``, the check messages of autograde cells are read from the
    autograded notebooks (column ``messages``).
    """
    rule = rule or load_scoring_rule()
    with engine.connect() as conn:
        graded = gb.graded_cells(conn, cmap.assignment)
        check_against_gradebook(cmap, graded, where=where)
        candidates = gb.students(conn)
        rows = gb.grades(conn, cmap.assignment)
    cells = cell_table(cmap, candidates, rows, graded, awaiting)
    if course_dir is not None:
        found = read_messages(course_dir, cmap, candidates)
        keys = zip(cells["candidate"], cells["notebook"], cells["cell"])
        cells["messages"] = [found.get(k) for k in keys]
    return aggregate(cmap, candidates, cells, rule)
