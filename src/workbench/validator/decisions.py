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
from workbench.validator.jury import JuryResults
from workbench.validator.rules import STATE_NAMES, VALIDATED, States, Structure, decide

DIGITS = 6


def canonical(obj: object) -> str:
    """The one JSON text of ``obj``: sorted keys, no spaces, UTF-8 kept readable."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _num(x: float) -> float | None:
    """NaN -> None (JSON null); others rounded so that float noise never changes a hash."""
    return None if x != x else round(float(x), DIGITS)


def score_matrix(structure: Structure, scores: CriterionScores, jury: JuryResults) -> np.ndarray:
    """Scores of every candidate on every criterion, in référentiel order; NaN = not evaluated."""
    n = len(scores.candidates)
    matrix = np.full((n, len(structure.criteria)), np.nan)
    col = {k: j for j, k in enumerate(structure.criteria)}
    matrix[:, [col[k] for k in scores.criteria]] = scores.score
    if len(jury.frame):
        rows = pd.Index(scores.candidates).get_indexer(jury.frame["candidate"])
        cols = pd.Index(structure.criteria).get_indexer(jury.frame["criterion"])
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
    def thresholds_json(self) -> str:
        return canonical({k: _num(v) for k, v in self.thresholds.items()})

    @cached_property
    def rules_sha256(self) -> str:
        s = self.structure
        return sha256(canonical({"criteria": s.criteria, "competences": s.competences, "blocks": s.blocks,
                                 "criterion_starts": s.criterion_starts.tolist(),
                                 "competence_starts": s.competence_starts.tolist()}))

    @cached_property
    def _jury_by_candidate(self) -> dict[str, list[tuple[str, float, str | None, str]]]:
        out: dict[str, list] = {}
        f = self.jury.frame
        for cand, crit, score, level, comment in zip(f["candidate"], f["criterion"], f["score"], f["level"],
                                                     f["comment"]):
            out.setdefault(cand, []).append((crit, score, level, comment))
        return out

    def _cell_slice(self, i: int) -> pd.DataFrame:
        k = len(self.scores.cells) // max(len(self.candidates), 1)
        return self.scores.cells.iloc[i * k:(i + 1) * k]

    @cached_property
    def documents(self) -> list[dict]:
        """One decision document per candidate (the content that is hashed and compared)."""
        s, st = self.structure, self.states
        crit_names = STATE_NAMES[st.criterion].tolist()
        comp_names = STATE_NAMES[st.competence].tolist()
        block_names = STATE_NAMES[st.block].tolist()
        scores = [[_num(x) for x in row] for row in self.score.tolist()]
        docs = []
        for i, cand in enumerate(self.candidates):
            blocks = dict(zip(s.blocks, block_names[i]))
            validated = [b for b in s.blocks if blocks[b] == "validated"]
            docs.append({
                "candidate": cand,
                "certification": {
                    "full": bool(st.full[i]),
                    "status": "full" if st.full[i] else ("partial" if validated else "none"),
                    "validated_blocks": validated,
                    "not_validated_blocks": [b for b in s.blocks if blocks[b] == "not_validated"],
                    "not_evaluated_blocks": [b for b in s.blocks if blocks[b] == "not_evaluated"],
                },
                "blocks": blocks,
                "competences": dict(zip(s.competences, comp_names[i])),
                "criteria": {k: {"score": sc, "state": name}
                             for k, sc, name in zip(s.criteria, scores[i], crit_names[i])},
            })
        return docs

    @cached_property
    def inputs_sha256(self) -> list[str]:
        """Per candidate: sha256 of everything its decision is computed from."""
        cells = self.scores.cells
        pts = [_num(x) if ev else None for x, ev in zip(cells["points"].tolist(), cells["evaluated"].tolist())]
        keys = (cells["notebook"] + "/" + cells["cell"]).tolist()
        k = len(cells) // max(len(self.candidates), 1)
        jury = self._jury_by_candidate
        common = {"rules": self.rules_sha256, "thresholds": sha256(self.thresholds_json)}
        out = []
        for i, cand in enumerate(self.candidates):
            doc = {
                **common,
                "candidate": cand,
                "cells": dict(zip(keys[i * k:(i + 1) * k], pts[i * k:(i + 1) * k])),
                "jury": {crit: _num(score) for crit, score, _, _ in jury.get(cand, [])},
            }
            out.append(sha256(canonical(doc)))
        return out

    def evidence(self, i: int) -> dict:
        """What a decision rests on: every block-1 cell and every jury result of candidate ``i``."""
        cand = self.candidates[i]
        cells = []
        for r in self._cell_slice(i).itertuples(index=False):
            prov = self.provenance.get((cand, r.criterion), {}) if r.kind == "rubric" else {}
            cells.append({
                "notebook": r.notebook, "cell": r.cell, "criterion": r.criterion, "kind": r.kind,
                "points": _num(r.points) if r.evaluated else None, "max_points": _num(r.max_points),
                "auto_score": _num(r.auto_score), "manual_score": _num(r.manual_score),
                "comment": r.manual_comment or r.auto_comment or None, "not_evaluated_reason": r.reason or None,
                "submitted_at": r.submitted_at, "graded_by": prov.get("grader"), "graded_at": prov.get("at"),
                "messages": getattr(r, "messages", None) or None,
            })
        jury = [{"criterion": c, "score": _num(s), "level": lv, "comment": cm or None}
                for c, s, lv, cm in self._jury_by_candidate.get(cand, [])]
        return {"block1_cells": cells, "jury": sorted(jury, key=lambda d: d["criterion"]),
                "jury_source": self.jury.source or None}

    def summary(self) -> dict[str, int]:
        """Counts per block state and of full titles, for the command line."""
        out = {"candidates": len(self.candidates), "full": int(self.states.full.sum())}
        for j, b in enumerate(self.structure.blocks):
            out[f"{b} validated"] = int((self.states.block[:, j] == VALIDATED).sum())
        return out

    def to_json(self) -> str:
        """All decisions as one canonical JSON text (byte-identical for identical inputs)."""
        return canonical({"thresholds": json.loads(self.thresholds_json), "rules_sha256": self.rules_sha256,
                          "decisions": [dict(d, inputs_sha256=h)
                                        for d, h in zip(self.documents, self.inputs_sha256)]}) + "\n"
