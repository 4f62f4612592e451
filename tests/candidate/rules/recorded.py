"""What a candidate reads from a rule, as plain data for snapshot tests (syrupy).

A rule's outcome is part of the product's contract with the candidate: the fraction of the
points, and every message in both languages. The message tests record the outcome of a corpus
of answers (each reaching one fault) against snapshots reviewed like any other text of the
product; `pytest --snapshot-update` rewrites them after a deliberate change, and the diff shows
exactly what candidates will read differently.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from workbench_candidate.outcome import BadAnswer, Outcome

# what a candidate must never read (issue #16, plain words): exception class names, rule ids,
# Python reprs of missing values, tracebacks
# ("missing (NaN)" explains a word the candidate sees in pandas; a bare NaN is a value's repr)
_TECHNICAL = re.compile(r"Error\b|Exception\b|Traceback|(?<!\()\bNaN\b(?!\))|\bnan\b|\bNone\b(?! of)|<[a-z_.]+ object|"
                        r"\b(collection|segmentation|profiles|figures|answer)\.[a-z_]+\b")


def record(run: Callable[[], Outcome]) -> dict:
    """The outcome of ``run()`` (or the :class:`BadAnswer` it raises) as plain data."""
    try:
        out = run()
    except BadAnswer as exc:
        return {"bad_answer": {"en": exc.en, "fr": exc.fr}}
    return {"fraction": round(out.fraction, 6),
            "faults": [{"rule": f.rule, "en": f.en, "fr": f.fr} for f in out.faults],
            "notes": [{"rule": f.rule, "en": f.en, "fr": f.fr} for f in out.notes],
            "review": list(out.review)}


def messages(recorded: dict) -> list[tuple[str, str]]:
    """Every (English, French) pair a candidate reads in one recorded outcome."""
    if "bad_answer" in recorded:
        return [(recorded["bad_answer"]["en"], recorded["bad_answer"]["fr"])]
    return [(f["en"], f["fr"]) for f in recorded["faults"] + recorded["notes"]]


def plain_words_faults(en: str, fr: str) -> list[str]:
    """What is wrong with a message pair for a candidate (empty when nothing is)."""
    found = []
    for lang, text in (("en", en), ("fr", fr)):
        if not text.strip():
            found.append(f"{lang}: empty")
        hit = _TECHNICAL.search(text)
        if hit:
            found.append(f"{lang}: technical text {hit.group(0)!r}")
    if en == fr and re.search(r"[a-z]{4,}", en):
        found.append("the French message is the English one")
    return found


def assert_plain_words(recorded: dict) -> None:
    """Every message of a recorded outcome keeps to plain words (fails naming the message)."""
    for en, fr in messages(recorded):
        assert not plain_words_faults(en, fr), (en, fr)
