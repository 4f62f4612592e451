"""What a rule says about a candidate's answer: a fraction of the points and the faults found.

Every message is written for the candidate, in French and English: it names the fault and where
to look, never the answer. The same objects serve the public self-check (in the candidate's
kernel) and the judge (outside it), so a self-check and grading can never phrase a rule twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fault:
    """One rule that the answer does not meet.

    Parameters
    ----------
    rule : str
        Stable id of the rule (e.g. ``figures.title``), the same in docs and reports.
    en, fr : str
        The message for the candidate, in English and French.
    """

    rule: str
    en: str
    fr: str

    def text(self, lang: str = "en") -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True)
class Outcome:
    """A rule set's verdict on one answer.

    ``fraction`` is the share of the check's points earned (0 to 1); ``faults`` explain every
    point lost; ``notes`` are remarks that cost nothing (e.g. a method worth explaining in the
    rubric cell); ``review`` asks a marker to look (never changes the points by itself).
    """

    fraction: float = 1.0
    faults: tuple[Fault, ...] = ()
    notes: tuple[Fault, ...] = ()
    review: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not 0.0 <= self.fraction <= 1.0:
            raise ValueError(f"fraction must be within [0, 1], not {self.fraction}")

    @property
    def passed(self) -> bool:
        return self.fraction >= 1.0 and not self.faults

    def combine(self, other: "Outcome") -> "Outcome":
        """Both rule sets apply: the smaller fraction, every fault, note and review reason."""
        return Outcome(min(self.fraction, other.fraction), self.faults + other.faults,
                       self.notes + other.notes, self.review + other.review)


def fail(rule: str, en: str, fr: str, *, fraction: float = 0.0) -> Outcome:
    """An outcome with one fault."""
    return Outcome(fraction, (Fault(rule, en, fr),))


class BadAnswer(Exception):
    """The answer handed over is not what the check reads (type, shape, size, columns).

    Scored 0 for the cell, with a message naming the expected object; never an installation
    fault and never a traceback.
    """

    def __init__(self, en: str, fr: str | None = None) -> None:
        super().__init__(en)
        self.en = en
        self.fr = fr or en

    def fault(self, rule: str = "answer.readable") -> Fault:
        return Fault(rule, self.en, self.fr)
