"""What a rubric cell's levels come to: awaiting a marker, awaiting moderation, or a final level.

Pure functions of the levels given and the marking rule, so the same levels always give the
same outcome, whatever the order the markers imported them in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workbench.marking.config import AgreedLevel, MarkingRule, ModeratedLevel

AWAITING_MARKER = "awaiting_marker"
AWAITING_MODERATION = "awaiting_moderation"
FINAL = "final"


@dataclass(frozen=True)
class Outcome:
    """A cell's status, its final level (None until final) and the rule that made it."""

    status: str
    level: int | None = None
    rule: str | None = None


def diverges(levels: list[int], rule: MarkingRule) -> bool:
    """Whether the markers' levels are ``divergence_levels`` or more apart."""
    return len(levels) >= 2 and max(levels) - min(levels) >= rule.divergence_levels


def agreed_level(levels: list[int], how: AgreedLevel) -> int:
    """The final level of levels that did not diverge."""
    if how is AgreedLevel.min:
        return min(levels)
    if how is AgreedLevel.max:
        return max(levels)
    return math.floor(sum(levels) / len(levels))


def moderated_level(levels: list[int], moderator: int, how: ModeratedLevel) -> int:
    """The final level of a moderated cell, from the markers' ``levels`` and the ``moderator``'s."""
    if how is ModeratedLevel.moderator:
        return moderator
    every = sorted([*levels, moderator])
    if how is ModeratedLevel.median_low:
        return every[(len(every) - 1) // 2]
    return math.floor(sum(every) / len(every))


def outcome(levels: list[int], *, required: int, moderator: int | None, rule: MarkingRule) -> Outcome:
    """The outcome of one cell.

    Parameters
    ----------
    levels : list of int
        Every marker's level on the cell (the moderator's apart).
    required : int
        How many markers the cell needs (:meth:`MarkingRule.required_markers`).
    moderator : int, optional
        The moderator's level, once the cell has been moderated.
    """
    if moderator is not None:
        return Outcome(FINAL, moderated_level(levels, moderator, rule.moderated_level),
                       f"moderated:{rule.moderated_level.value}")
    if len(levels) < required or not levels:
        return Outcome(AWAITING_MARKER)
    if diverges(levels, rule):
        return Outcome(AWAITING_MODERATION)
    if len(levels) == 1:
        return Outcome(FINAL, levels[0], "single")
    return Outcome(FINAL, agreed_level(levels, rule.agreed_level), f"agreed:{rule.agreed_level.value}")
