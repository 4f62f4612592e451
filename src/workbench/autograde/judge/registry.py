"""Each check's evaluator in the judge, registered explicitly: public rules, then key rules.

Checks whose rules need no answer key are judged by exactly the public rules a candidate's
self-check runs (:func:`workbench_candidate.checks.public_outcome`); the others add the rules
of :mod:`workbench.autograde.judge.rules`, which read the :class:`ScenarioKey`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from workbench.autograde.judge.keys import ScenarioKey
from workbench_candidate.checks import PUBLIC_RULES, public_outcome
from workbench_candidate.outcome import Outcome

Evaluator = Callable[[Mapping[str, Any], Mapping[str, Any], ScenarioKey], Outcome]


def _categories(a: Mapping[str, Any], p: Mapping[str, Any], key: ScenarioKey) -> Outcome:
    from workbench.autograde.judge.rules import collection

    return collection.categories(a["chosen"], a.get("justifications"), key=key)


def _analysis_table(a: Mapping[str, Any], p: Mapping[str, Any], key: ScenarioKey) -> Outcome:
    from workbench.autograde.judge.rules import collection

    return collection.analysis_table(a["table"], key=key)


def _public(check_id: str) -> Evaluator:
    def evaluate(a: Mapping[str, Any], p: Mapping[str, Any], key: ScenarioKey) -> Outcome:
        return public_outcome(check_id, a, p, key.public)

    return evaluate


EVALUATORS: dict[str, Evaluator] = {
    "collect.categories": _categories,
    "collect.analysis_table": _analysis_table,
    "collect.justifications": _public("collect.justifications"),
    "segment.quality": _public("segment.quality"),
    "segment.profiles": _public("segment.profiles"),
    "segment.names": _public("segment.names"),
    "figures.clarity": _public("figures.clarity"),
    "figures.adequacy": _public("figures.adequacy"),
}
assert set(EVALUATORS) == set(PUBLIC_RULES), "every declared check needs an evaluator"
