"""The référentiel's rules, vectorised over a cohort.

States are coded so that the aggregate of a group is its minimum:
``not_validated`` (0) < ``not_evaluated`` (1) < ``validated`` (2). A competence is
validated only when all its criteria are; it is not validated as soon as one
criterion is below its threshold; otherwise (some criterion missing) it is not
evaluated. Blocks aggregate competences the same way: no partial block, and a
missing result can never count as validated.

A criterion whose rubric cell awaits moderation is decided exactly like one not evaluated;
only its name differs (*awaiting moderation*), and so do the names of the competence and
block it leaves undecided (:func:`named_states`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.referentiel import Referentiel

NOT_VALIDATED, NOT_EVALUATED, VALIDATED = 0, 1, 2
AWAITING_MODERATION = 3  # a name only: never a code of `decide`, so never in the minimum
STATE_NAMES = np.array(["not_validated", "not_evaluated", "validated", "awaiting_moderation"], dtype=object)
# Scores are ratios of small integers (e.g. 4/6 vs 2/3); compare with a tolerance far
# below any rubric step so that float rounding never flips a decision.
EPS = 1e-9


@dataclass(frozen=True)
class Structure:
    """The référentiel flattened: ids in order and the group boundaries for ``reduceat``."""

    criteria: tuple[str, ...]
    competences: tuple[str, ...]
    blocks: tuple[str, ...]
    criterion_starts: np.ndarray  # first criterion column of each competence
    competence_starts: np.ndarray  # first competence column of each block

    @classmethod
    def of(cls, ref: Referentiel) -> "Structure":
        crits, comps, blocks, c_starts, b_starts = [], [], [], [], []
        for block in ref.blocks:
            b_starts.append(len(comps))
            blocks.append(block.id)
            for comp in block.competences:
                c_starts.append(len(crits))
                comps.append(comp.id)
                crits.extend(k.id for k in comp.criteria)
        return cls(tuple(crits), tuple(comps), tuple(blocks), np.array(c_starts), np.array(b_starts))

    def block_of_competence(self) -> list[str]:
        idx = np.searchsorted(self.competence_starts, np.arange(len(self.competences)), side="right") - 1
        return [self.blocks[i] for i in idx]


@dataclass(frozen=True)
class States:
    """Coded states of a cohort: criteria (n, K), competences (n, C), blocks (n, B), full title (n,)."""

    criterion: np.ndarray
    competence: np.ndarray
    block: np.ndarray
    full: np.ndarray


def criterion_states(score: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Code each score: NaN -> not evaluated, >= threshold -> validated, else not validated."""
    met = score >= thresholds[None, :] - EPS
    return np.where(np.isnan(score), NOT_EVALUATED, np.where(met, VALIDATED, NOT_VALIDATED)).astype(np.int8)


def decide(score: np.ndarray, thresholds: np.ndarray, structure: Structure) -> States:
    """Decide criteria, competences, blocks and the full title for every candidate.

    Parameters
    ----------
    score : ndarray, shape (n_candidates, n_criteria)
        Scores in [0, 1] in ``structure.criteria`` order; NaN = not evaluated.
    thresholds : ndarray, shape (n_criteria,)
    """
    crit = criterion_states(score, thresholds)
    if crit.shape[0] == 0:
        empty = np.zeros((0, len(structure.competences)), np.int8)
        return States(crit, empty, np.zeros((0, len(structure.blocks)), np.int8), np.zeros(0, bool))
    comp = np.minimum.reduceat(crit, structure.criterion_starts, axis=1)
    block = np.minimum.reduceat(comp, structure.competence_starts, axis=1)
    return States(crit, comp, block, (block == VALIDATED).all(axis=1))


def named_states(states: States, awaiting: np.ndarray, structure: Structure) -> tuple[np.ndarray, ...]:
    """Codes to name criteria, competences and blocks: not evaluated because of moderation -> 3.

    Parameters
    ----------
    awaiting : ndarray of bool, shape (n_candidates, n_criteria)
        Criteria whose rubric cell awaits moderation (``structure.criteria`` order).
    """
    crit = np.where(awaiting & (states.criterion == NOT_EVALUATED), AWAITING_MODERATION, states.criterion)
    if crit.shape[0] == 0:
        return crit, states.competence, states.block
    held = np.maximum.reduceat((crit == AWAITING_MODERATION).astype(np.int8), structure.criterion_starts, axis=1) > 0
    comp = np.where(held & (states.competence == NOT_EVALUATED), AWAITING_MODERATION, states.competence)
    held = np.maximum.reduceat((comp == AWAITING_MODERATION).astype(np.int8), structure.competence_starts, axis=1) > 0
    block = np.where(held & (states.block == NOT_EVALUATED), AWAITING_MODERATION, states.block)
    return crit, comp, block
