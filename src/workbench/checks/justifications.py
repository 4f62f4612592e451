"""B1.1.b — the justifications: every decision about a data category is argued.

The rubric grades the *quality* of the reasons; this check only makes sure every decision is
argued: each kept category has a reason, and so has each identifying, special-category or
target category left out. Which categories are sensitive comes from the data dictionary the
candidates see, so no answer leaks. (Moved here from ``workbench.exercises.justify``.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from . import _data
from ._errors import BadInput, CheckFailed

MIN_WORDS = 6
_PRIVACY = re.compile(r"gdpr|rgpd|personal|personnel|privacy|minimi[sz]|vie priv|sensitive|sensible",
                      re.IGNORECASE)


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _chosen(chosen: object) -> set[str]:
    if isinstance(chosen, (str, pd.DataFrame)) or not hasattr(chosen, "__iter__"):
        raise BadInput("chosen must be the list of category names you kept")
    return {str(c).strip() for c in chosen}


def _reasons(justifications: object, chosen: object, scenario: str) -> dict[str, str]:
    facts = _data.facts(scenario)
    if not isinstance(justifications, Mapping):
        raise BadInput("justifications must be a dict {category id: reason}")
    reasons = {str(k).strip(): v for k, v in justifications.items()}
    if any(not isinstance(v, str) for v in reasons.values()):
        raise BadInput("every reason in justifications must be a text (a full sentence)")
    kept = _chosen(chosen)
    unknown = sorted(set(reasons) - facts.known)
    if unknown:
        raise BadInput(f"unknown category id(s) in justifications: {', '.join(unknown)}")
    left_out = facts.sensitive - kept
    for group, label in ((kept, "kept"),
                         (left_out, "left out although it is identifying, special-category or target data")):
        short = sorted(c for c in group if _words(reasons.get(c, "")) < MIN_WORDS)
        if short:
            raise CheckFailed(f"category {short[0]!r} is {label}, but your reason is missing or shorter "
                              f"than {MIN_WORDS} words: say why, in the light of the strategy")
    return reasons


def justifications_public(justifications: object, *, chosen: object, scenario: str) -> None:
    _reasons(justifications, chosen, scenario)


def justifications_hidden(justifications: object, *, chosen: object, scenario: str) -> None:
    reasons = _reasons(justifications, chosen, scenario)
    texts = [" ".join(v.lower().split()) for v in reasons.values()]
    if len(set(texts)) < len(texts):
        raise CheckFailed("two categories share the same reason: justify each one on its own")
    if not any(_PRIVACY.search(text) for text in reasons.values()):
        raise CheckFailed("none of your reasons says what data protection requires")
