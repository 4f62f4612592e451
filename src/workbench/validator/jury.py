"""Jury results for blocks 2-5: one CSV row per candidate and criterion.

Columns: ``candidate``, ``criterion``, and ``level`` (a rubric level: number, id,
French or English name) or ``score`` (a number in [0, 1], decimal point or comma);
``comment`` is optional. A criterion with no row is *not evaluated*. A row naming an
unknown block, criterion or candidate, or a block-1 criterion, is an error: the whole
file is rejected, nothing is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.referentiel import Referentiel, Rubrics
from workbench.scores.csvio import raise_faults, read_frame

GRADED_BY_WORKBENCH = "B1"


@dataclass(frozen=True)
class JuryResults:
    """Validated jury results: a long table candidate, criterion, score, level, comment, line."""

    frame: pd.DataFrame
    source: str

    @classmethod
    def empty(cls) -> "JuryResults":
        cols = ["candidate", "criterion", "score", "level", "comment", "line"]
        return cls(pd.DataFrame({c: pd.Series(dtype=float if c == "score" else object) for c in cols}), "")


def _level_scores(rubrics: Rubrics) -> dict[str, tuple[float, str]]:
    """Every accepted spelling of a level -> (score, level id)."""
    top = rubrics.max_points
    out: dict[str, tuple[float, str]] = {}
    for lv in rubrics.levels:
        for key in (lv.id, lv.fr.casefold(), lv.en.casefold(), str(lv.value), f"{lv.value}.0", f"{lv.value},0"):
            out[key] = (lv.value / top, lv.id)
    return out


def _criterion_faults(frame: pd.DataFrame, ref: Referentiel) -> list[str]:
    known = set(ref.criterion_ids())
    block1 = set(ref.criterion_ids(GRADED_BY_WORKBENCH))
    blocks = {b.id for b in ref.blocks}
    faults = []
    for line, crit in frame.loc[~frame["criterion"].isin(known), ["line", "criterion"]].itertuples(index=False):
        block = crit.split(".")[0]
        what = f"unknown block {block!r}" if block not in blocks else f"unknown criterion {crit!r}"
        faults.append(f"line {line}, column criterion: {what}")
    for line, crit in frame.loc[frame["criterion"].isin(block1), ["line", "criterion"]].itertuples(index=False):
        faults.append(f"line {line}, column criterion: {crit} is a block-1 criterion, graded from the gradebook")
    return faults


def _per_value(column: pd.Series, func, dtype=object) -> np.ndarray:
    """Apply ``func`` to each distinct value once (a cohort's CSV repeats a handful of levels)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return np.asarray([func(u) for u in uniques], dtype=dtype)[codes] if len(codes) else np.zeros(0, dtype)


def _as_score(text: str) -> float:
    try:
        return float(text.replace(",", ".")) if text else np.nan
    except ValueError:
        return np.nan


def _score_column(frame: pd.DataFrame, rubrics: Rubrics) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Scores in [0, 1] and level ids from the level and/or score columns, with faults."""
    n = len(frame)
    empty = pd.Series([""] * n, index=frame.index, dtype="category")
    level_raw = frame["level"] if "level" in frame else empty
    score_raw = frame["score"] if "score" in frame else empty
    lookup = _level_scores(rubrics)
    lv_score = _per_value(level_raw, lambda t: lookup.get(t.casefold(), (np.nan, None))[0], float)
    lv_id = _per_value(level_raw, lambda t: lookup.get(t.casefold(), (np.nan, None))[1])
    num = _per_value(score_raw, _as_score, float)
    has_level = _per_value(level_raw, lambda t: t != "", bool)
    has_score = _per_value(score_raw, lambda t: t != "", bool)
    faults = []
    lines = frame["line"].to_numpy()
    for i in np.flatnonzero(has_level & np.isnan(lv_score)):
        known = ", ".join(f"{lv.value}={lv.id}" for lv in rubrics.levels)
        faults.append(f"line {lines[i]}, column level: unknown level {level_raw.iat[i]!r} (known: {known})")
    bad_score = has_score & (np.isnan(num) | (num < 0) | (num > 1))
    faults += [f"line {lines[i]}, column score: {score_raw.iat[i]!r} is not a score in [0, 1]"
               for i in np.flatnonzero(bad_score)]
    faults += [f"line {lines[i]}: give a level or a score, not both" for i in np.flatnonzero(has_level & has_score)]
    faults += [f"line {lines[i]}: no level and no score (leave the row out for 'not evaluated')"
               for i in np.flatnonzero(~has_level & ~has_score)]
    score = np.where(has_level, lv_score, num)
    return score, lv_id, faults


JURY_COLUMNS = {"required": ("candidate", "criterion"), "optional": ("comment",), "one_of": ("level", "score")}


def read_jury_frame(path: str | Path) -> pd.DataFrame:
    """Parse a jury CSV and check its header (the part that can run before the gradebook is read)."""
    return read_frame(path, **JURY_COLUMNS)


def read_jury(path: str | Path, *, referentiel: Referentiel, rubrics: Rubrics, candidates: list[str],
              frame: pd.DataFrame | None = None) -> JuryResults:
    """Read and validate a jury CSV; any fault rejects the whole file.

    Raises
    ------
    InputError
        Listing each faulty row with its line and column: unknown block, criterion,
        candidate or level, a score outside [0, 1], a duplicate row, a block-1 criterion.
    """
    where = str(path)
    if frame is None:
        frame = read_jury_frame(path)
    faults = _criterion_faults(frame, referentiel)
    unknown = ~frame["candidate"].isin(set(candidates))
    faults += [f"line {ln}, column candidate: unknown candidate {c!r} (not in the gradebook)"
               for ln, c in frame.loc[unknown, ["line", "candidate"]].itertuples(index=False)]
    dup = frame.duplicated(["candidate", "criterion"], keep="first")
    faults += [f"line {ln}: second result for {c} / {k}"
               for ln, c, k in frame.loc[dup, ["line", "candidate", "criterion"]].itertuples(index=False)]
    score, level, score_faults = _score_column(frame, rubrics)
    faults += score_faults
    raise_faults(sorted(faults, key=lambda f: int(f.split()[1].rstrip(",:"))), where)
    out = pd.DataFrame({
        "candidate": frame["candidate"], "criterion": frame["criterion"], "score": score, "level": level,
        "comment": frame["comment"] if "comment" in frame else "", "line": frame["line"],
    })
    return JuryResults(out, where)
