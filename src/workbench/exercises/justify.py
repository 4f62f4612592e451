"""Structural check of notebook 1.1's justifications (B1.1.b), until the check library has one.

The rubric cell grades the *quality* of the justification; this check only makes sure every
decision is argued: every kept category has a reason, and every category holding personal data
or the campaign's target that the candidate leaves out has one too. What counts as identifying,
sensitive or target data comes from the dataset dictionary, which candidates see, so no answer leaks.
Requested from ``workbench.checks`` in docs/requests/checks.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

CRITERION = "B1.1.b"
POINTS = 1
MIN_WORDS = 6
_PRIVACY = re.compile(r"gdpr|rgpd|personal|personnel|privacy|minimi[sz]|vie priv|sensitive|sensible", re.I)


class JustificationFailed(AssertionError):
    """The justifications miss a decision; the message says which, for the candidate."""


def _must_explain(scenario: str, chosen: set[str]) -> tuple[set[str], set[str]]:
    """Known categories, and those left out that hold personal data or the target."""
    from workbench.datasets import load_dictionary
    from workbench.scenarios import load_scenario

    table = load_dictionary(load_scenario(scenario).dataset)
    known = set(table["category"])
    # nearly every column is personal data in the GDPR sense; the decisions that must be argued
    # are about identifying/contact data, special-category data and the target itself
    flagged = table["kind"].isin(["identity_contact", "target"]) | table["special_category"].astype(bool)
    sensitive = set(table.loc[flagged, "category"])
    return known, sensitive - chosen


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _public(justifications: object, chosen: Iterable[str], scenario: str) -> tuple[dict[str, str], set[str]]:
    if not isinstance(justifications, Mapping):
        raise JustificationFailed("`justifications` must be a dict {category id: reason}.")
    reasons = {str(k): v for k, v in justifications.items()}
    if any(not isinstance(v, str) for v in reasons.values()):
        raise JustificationFailed("Every reason in `justifications` must be a text (a full sentence).")
    kept = {str(c) for c in chosen}
    known, left_out = _must_explain(scenario, kept)
    unknown = sorted(set(reasons) - known)
    if unknown:
        raise JustificationFailed(f"Unknown category id(s) in `justifications`: {', '.join(unknown)}.")
    for group, label in ((kept, "kept"), (left_out, "left out although it is identifying, special-category or target data")):
        short = sorted(c for c in group if _words(reasons.get(c, "")) < MIN_WORDS)
        if short:
            raise JustificationFailed(
                f"Category {short[0]!r} is {label}, but your reason is missing or shorter than "
                f"{MIN_WORDS} words: say why, in the light of the strategy."
            )
    return reasons, left_out


def check(justifications: object, *, chosen: Iterable[str], scenario: str) -> None:
    """Public part: every kept category, and every sensitive one left out, has a reason."""
    _public(justifications, chosen, scenario)
    print("✔ collect.justifications: every decision has a reason.")


def grade(justifications: object, *, chosen: Iterable[str], scenario: str) -> float:
    """Public part, then: distinct reasons, and at least one cites data protection (GDPR)."""
    reasons, left_out = _public(justifications, chosen, scenario)
    texts = [" ".join(v.lower().split()) for v in reasons.values()]
    if len(set(texts)) < len(texts):
        raise JustificationFailed("Two categories share the same reason: justify each one on its own.")
    if not any(_PRIVACY.search(text) for text in reasons.values()):
        raise JustificationFailed("None of your reasons says what data protection requires.")
    print("✔ collect.justifications: every decision has its own reason.")
    return float(POINTS)
