"""Decision documents: the cohort's states as canonical JSON, with the hash of their inputs.

Everything here is deterministic: keys sorted, floats rounded to 6 decimals, no clock.
The time of a decision is recorded by :mod:`workbench.validator.audit`, beside it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from workbench.scores.compute import CriterionScores
from workbench.scores.csvio import positions
from workbench.validator.jury import JuryResults
from workbench.scores.compute import AWAITING_MODERATION
from workbench.validator.rules import STATE_NAMES, VALIDATED, States, Structure, decide, named_states

DIGITS = 6


def canonical(obj: object) -> str:
    """The one JSON text of ``obj``: sorted keys, no spaces, UTF-8 kept readable."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _num(x: float) -> float | None:
    """NaN -> None (JSON null); others rounded so that float noise never changes a hash."""
    return None if x != x else round(float(x), DIGITS)


def _rounded(values: np.ndarray) -> np.ndarray:
    """Vectorised :func:`_num`: an object array of rounded floats, None for NaN."""
    out = np.round(values, DIGITS).astype(object)
    out[np.isnan(values)] = None
    return out


def score_matrix(structure: Structure, scores: CriterionScores, jury: JuryResults) -> np.ndarray:
    """Scores of every candidate on every criterion, in référentiel order; NaN = not evaluated."""
    n = len(scores.candidates)
    matrix = np.full((n, len(structure.criteria)), np.nan)
    col = {k: j for j, k in enumerate(structure.criteria)}
    matrix[:, [col[k] for k in scores.criteria]] = scores.score
    if len(jury.frame):
        rows = positions(jury.frame["candidate"], scores.candidates)
        cols = positions(jury.frame["criterion"], list(structure.criteria))
        matrix[rows, cols] = jury.frame["score"].to_numpy(float)
    return matrix


@dataclass
class Decisions:
    """The decisions of a cohort, their inputs' hashes, and (lazily) their evidence."""

    structure: Structure
    thresholds: dict[str, float]
    scores: CriterionScores
    jury: JuryResults
    provenance: dict[tuple[str, str], dict] = field(default_factory=dict)

    @cached_property
    def candidates(self) -> list[str]:
        return self.scores.candidates

    @cached_property
    def score(self) -> np.ndarray:
        return score_matrix(self.structure, self.scores, self.jury)

    @cached_property
    def states(self) -> States:
        thr = np.array([self.thresholds[k] for k in self.structure.criteria])
        return decide(self.score, thr, self.structure)

    @cached_property
    def awaiting(self) -> np.ndarray:
        """Criteria (référentiel order) not evaluated because a rubric cell awaits moderation."""
        out = np.zeros((len(self.candidates), len(self.structure.criteria)), dtype=bool)
        if self.scores.awaiting is not None:
            col = {k: j for j, k in enumerate(self.structure.criteria)}
            out[:, [col[k] for k in self.scores.criteria]] = self.scores.awaiting
        return out

    @cached_property
    def thresholds_json(self) -> str:
        return canonical({k: _num(v) for k, v in self.thresholds.items()})

    @cached_property
    def scoring_json(self) -> str:
        """The scoring rule the block-1 scores were computed by (``grading/scoring.yml``), as canonical JSON."""
        return canonical(self.scores.rule.as_dict())

    @cached_property
    def rules_sha256(self) -> str:
        s = self.structure
        return sha256(canonical({"criteria": s.criteria, "competences": s.competences, "blocks": s.blocks,
                                 "criterion_starts": s.criterion_starts.tolist(),
                                 "competence_starts": s.competence_starts.tolist()}))

    @cached_property
    def _jury_lists(self) -> dict[str, list]:
        f = self.jury.frame
        return {"criterion": f["criterion"].tolist(), "score": _rounded(f["score"].to_numpy(float)).tolist(),
                "level": f["level"].tolist(), "comment": f["comment"].tolist()}

    @cached_property
    def _jury_rows(self) -> dict[str, np.ndarray]:
        """candidate -> positions of its rows in the jury table (grouped in C, not in a loop)."""
        if not len(self.jury.frame):
            return {}
        codes, uniques = pd.factorize(self.jury.frame["candidate"])
        by_code = pd.Series(np.arange(len(codes))).groupby(codes, sort=False).indices
        return {uniques[c]: rows for c, rows in by_code.items()}

    @cached_property
    def _named(self) -> tuple[list, list, list, list]:
        """State names and rounded scores as nested lists (one numpy pass for the cohort)."""
        crit, comp, block = named_states(self.states, self.awaiting, self.structure)
        return (STATE_NAMES[crit].tolist(), STATE_NAMES[comp].tolist(),
                STATE_NAMES[block].tolist(), _rounded(self.score).tolist())

    def document(self, i: int) -> dict:
        """Candidate ``i``'s decision document (the content that is recorded and compared)."""
        s = self.structure
        crit_names, comp_names, block_names, scores = self._named
        blocks = dict(zip(s.blocks, block_names[i]))
        validated = [b for b in s.blocks if blocks[b] == "validated"]
        full = bool(self.states.full[i])
        return {
            "candidate": self.candidates[i],
            "certification": {
                "full": full,
                "status": "full" if full else ("partial" if validated else "none"),
                "validated_blocks": validated,
                "not_validated_blocks": [b for b in s.blocks if blocks[b] == "not_validated"],
                "not_evaluated_blocks": [b for b in s.blocks if blocks[b] in ("not_evaluated", "awaiting_moderation")],
            },
            "blocks": blocks,
            "competences": dict(zip(s.competences, comp_names[i])),
            "criteria": {k: {"score": sc, "state": name} for k, sc, name in zip(s.criteria, scores[i], crit_names[i])},
        }

    @cached_property
    def documents(self) -> list[dict]:
        """Every candidate's decision document, in candidate order."""
        return [self.document(i) for i in range(len(self.candidates))]

    @cached_property
    def _cell_lists(self) -> dict[str, list]:
        """The cell table as plain lists (rounded, NaN -> None), sliced per candidate below."""
        cells = self.scores.cells
        out: dict[str, list] = {}
        for col in cells.columns:
            values = cells[col].to_numpy()
            if values.dtype.kind == "f":
                out[col] = _rounded(values).tolist()
            else:
                out[col] = values.tolist()
        out["points"] = [p if ev else None for p, ev in zip(out["points"], out["evaluated"])]
        out["key"] = [f"{nb}/{c}" for nb, c in zip(out["notebook"], out["cell"])]
        return out

    @property
    def _cells_per_candidate(self) -> int:
        return len(self.scores.cells) // max(len(self.candidates), 1)

    @cached_property
    def inputs_sha256(self) -> list[str]:
        """Per candidate: sha256 of everything its decision is computed from.

        Hashed: a canonical JSON header (rules, thresholds, scoring rule, and the layout: which cells
        and which jury criteria, in order), the candidate id, then the points of every
        block-1 cell and the jury score of every criterion of blocks 2-5 as little-endian
        float64 rounded to 6 decimals (NaN = not evaluated). Binary values keep the
        hashing of a 10,000-candidate cohort well under a second.
        """
        k = self._cells_per_candidate
        n = len(self.candidates)
        cells = self.scores.cells
        pts = np.where(cells["evaluated"].to_numpy(bool), cells["points"].to_numpy(float), np.nan)
        # awaiting moderation hashes apart from "not given yet" (-1 is never a number of points)
        if "reason" in cells:
            pts = np.where(cells["reason"].to_numpy(object) == AWAITING_MODERATION, -1.0, pts)
        pts = pts.reshape(n, k)
        jury_cols = [j for j, c in enumerate(self.structure.criteria) if c not in set(self.scores.criteria)]
        values = np.round(np.hstack([pts, self.score[:, jury_cols]]), DIGITS) + 0.0  # + 0.0: no negative zero
        values[np.isnan(values)] = np.nan  # one NaN bit pattern
        raw = np.ascontiguousarray(values, dtype="<f8").tobytes()
        width = values.shape[1] * 8
        layout = {"cells": self._cell_lists["key"][:k], "jury": [self.structure.criteria[j] for j in jury_cols]}
        header = canonical({"rules": self.rules_sha256, "thresholds": sha256(self.thresholds_json),
                            "scoring": sha256(self.scoring_json),
                            "layout": sha256(canonical(layout)), "encoding": "candidate NUL float64-le[]"})
        head = header.encode("utf-8")
        return [hashlib.sha256(head + cand.encode("utf-8") + b"\0" + raw[i * width:(i + 1) * width]).hexdigest()
                for i, cand in enumerate(self.candidates)]

    def evidence(self, i: int) -> dict:
        """What a decision rests on: every block-1 cell and every jury result of candidate ``i``."""
        cand = self.candidates[i]
        lists, k = self._cell_lists, self._cells_per_candidate
        has_messages = "messages" in lists
        cells = []
        for j in range(i * k, (i + 1) * k):
            kind, crit = lists["kind"][j], lists["criterion"][j]
            prov = self.provenance.get((cand, crit), {}) if kind == "rubric" else {}
            cell = {
                "notebook": lists["notebook"][j], "cell": lists["cell"][j], "criterion": crit, "kind": kind,
                "points": lists["points"][j], "max_points": lists["max_points"][j],
                "auto_score": lists["auto_score"][j], "manual_score": lists["manual_score"][j],
                "comment": lists["manual_comment"][j] or lists["auto_comment"][j] or None,
                "not_evaluated_reason": lists["reason"][j] or None,
                "graded_by": prov.get("grader"), "graded_at": prov.get("at"),
                # double marking: each marker's level, the moderation, the rule that made the level
                "marking": prov.get("marking"), "marks": prov.get("marks"), "final_rule": prov.get("final_rule"),
                "moderation": prov.get("moderation"),
                "messages": (lists["messages"][j] or None) if has_messages else None,
            }
            # nulls are left out: the evidence of a whole cohort is stored at every change
            cells.append({key: v for key, v in cell.items() if v is not None})
        jl = self._jury_lists
        jury = [{key: v for key, v in (("criterion", jl["criterion"][r]), ("score", jl["score"][r]),
                                        ("level", jl["level"][r]), ("comment", jl["comment"][r] or None))
                 if v is not None} for r in self._jury_rows.get(cand, [])]
        return {"block1_cells": cells, "jury": sorted(jury, key=lambda d: d["criterion"]),
                "jury_source": self.jury.source or None,
                "submitted_at": lists["submitted_at"][i * k] if k else None}

    def summary(self) -> dict[str, int]:
        """Counts per block state and of full titles, for the command line."""
        out = {"candidates": len(self.candidates), "full": int(self.states.full.sum())}
        for j, b in enumerate(self.structure.blocks):
            out[f"{b} validated"] = int((self.states.block[:, j] == VALIDATED).sum())
        return out

    def to_json(self) -> str:
        """All decisions as one canonical JSON text (byte-identical for identical inputs)."""
        return canonical({"thresholds": json.loads(self.thresholds_json), "rules_sha256": self.rules_sha256,
                          "scoring": json.loads(self.scoring_json),
                          "decisions": [dict(d, inputs_sha256=h)
                                        for d, h in zip(self.documents, self.inputs_sha256)]}) + "\n"
