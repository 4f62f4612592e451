"""The block-1 checks: each declared once (``checks.yml``) and its public rules registered here.

A check's *public rules* need no answer key: they run in the candidate's self-check and, the
same functions on the same values, in the judge. Rules that need the answer key exist only on
the grader's side (``workbench.autograde.judge``). Nothing here returns points.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from workbench_candidate.outcome import Outcome
from workbench_candidate.scenario import PublicScenario

DECLARATIONS = Path(__file__).with_name("checks.yml")


@dataclass(frozen=True)
class Text:
    en: str
    fr: str

    def text(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True)
class Declaration:
    """What a check is: id, criterion, points, the answers it reads, and its texts."""

    attr: str
    id: str
    criterion: str
    points: float
    answers: tuple[str, ...]  # parameter names, in the order a self-check takes them
    expects: Mapping[str, str]  # parameter -> the object expected (for messages)
    title: Text
    public: Text  # what the self-check verifies (printed on success)
    hint: Text
    needs_scenario: bool = True  # False: the rules read only the answers (figures)


def _text(item: dict, key: str) -> Text:
    value = item[key]
    return Text(en=str(value["en"]), fr=str(value["fr"]))


@lru_cache(maxsize=1)
def declarations() -> dict[str, Declaration]:
    """Every check by id, read and validated once."""
    data = yaml.safe_load(DECLARATIONS.read_text(encoding="utf-8"))
    out: dict[str, Declaration] = {}
    for item in data["checks"]:
        answers = dict(item["answers"])
        decl = Declaration(attr=str(item["attr"]), id=str(item["id"]), criterion=str(item["criterion"]),
                           points=float(item["points"]), answers=tuple(answers), expects=answers,
                           title=_text(item, "title"), public=_text(item, "public"), hint=_text(item, "hint"),
                           needs_scenario=bool(item.get("scenario", True)))
        if decl.id in out or decl.id not in PUBLIC_RULES:
            raise ValueError(f"{DECLARATIONS}: check {decl.id!r} is repeated or has no public rules")
        out[decl.id] = decl
    if set(out) != set(PUBLIC_RULES):
        raise ValueError(f"{DECLARATIONS}: checks without a declaration: {sorted(set(PUBLIC_RULES) - set(out))}")
    return out


# -- public rules, registered explicitly ---------------------------------------------------------
PublicRule = Callable[[Mapping[str, Any], Mapping[str, Any], PublicScenario], Outcome]


def _categories(a: Mapping[str, Any], p: Mapping[str, Any], s: PublicScenario) -> Outcome:
    from workbench_candidate.rules import collection

    return collection.categories(a["chosen"], scenario=s)


def _analysis_table(a: Mapping[str, Any], p: Mapping[str, Any], s: PublicScenario) -> Outcome:
    from workbench_candidate.rules import collection

    return collection.analysis_table(a["table"], scenario=s)


def _justifications(a: Mapping[str, Any], p: Mapping[str, Any], s: PublicScenario) -> Outcome:
    from workbench_candidate.rules import collection

    return collection.justifications(a["justifications"], chosen=a["chosen"], scenario=s)


def _segmentation(a: Mapping[str, Any], p: Mapping[str, Any], s: PublicScenario) -> Outcome:
    from workbench_candidate.rules import segmentation

    return segmentation.segmentation(a["features"], labels=a["labels"], table=a.get("table"), scenario=s)


def _profiles(a: Mapping[str, Any], p: Mapping[str, Any], s: PublicScenario) -> Outcome:
    from workbench_candidate.rules import profiles

    return profiles.profiles(a["profile"], table=a["table"], labels=a["labels"], scenario=s)


def _names(a: Mapping[str, Any], p: Mapping[str, Any], s: PublicScenario) -> Outcome:
    from workbench_candidate.rules import profiles

    return profiles.names(a["names"], table=a["table"], labels=a["labels"], scenario=s)


def _clarity(a: Mapping[str, Any], p: Mapping[str, Any], s: PublicScenario) -> Outcome:
    from workbench_candidate import figures

    return figures.clarity(figures.read_svg(a["figure"]))


def _adequacy(a: Mapping[str, Any], p: Mapping[str, Any], s: PublicScenario) -> Outcome:
    from workbench_candidate import figures

    return figures.adequacy(figures.read_svg(a["figure"]), a["expected"], kind=p.get("kind"))


PUBLIC_RULES: dict[str, PublicRule] = {
    "collect.categories": _categories,
    "collect.analysis_table": _analysis_table,
    "collect.justifications": _justifications,
    "segment.quality": _segmentation,
    "segment.profiles": _profiles,
    "segment.names": _names,
    "figures.clarity": _clarity,
    "figures.adequacy": _adequacy,
}


def public_outcome(check_id: str, answers: Mapping[str, Any], params: Mapping[str, Any],
                   scenario: PublicScenario) -> Outcome:
    """The public rules of ``check_id`` on decoded answers (self-check and judge alike)."""
    return PUBLIC_RULES[check_id](answers, params, scenario)
