"""A deterministic simulated cohort: who the candidates are and what each of them answers.

The answers mix the reference solution with the typical mistakes of the flaw catalogue
(:mod:`workbench.demo.flaws`: one source for the demo and the tests, which import it). The grader's
rubric levels and the jury's results for blocks 2–5 are derived from the same plan, so the
same cohort always yields the same decisions.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from workbench.referentiel import Referentiel, Rubrics

# French names with accents on purpose: the CSVs must survive them end to end.
FIRST = ["Élodie", "Loïc", "Chloé", "Mathis", "Inès", "Noé", "Léa", "Hugo", "Maëlle", "Théo",
         "Zoé", "Raphaël", "Anaïs", "Jérôme", "Océane", "Benoît"]
LAST = ["Lefèvre", "Gauthier", "Moreau", "Bérard", "Faure", "Mercier", "Rousseau", "Girard"]


@dataclass(frozen=True)
class Candidate:
    """A simulated candidate and the variant of the answers they submit."""

    id: str
    first_name: str
    last_name: str
    variant: str  # "reference" or a flaw id


def load_flaws(scenario: str) -> list:
    """The flaw catalogue for one scenario, in catalogue order."""
    from workbench.demo.flaws import FLAWS

    return [f for f in FLAWS if f.scenario == scenario]


def plan_cohort(*, size: int, flaw_ids: list[str]) -> list[Candidate]:
    """``size`` candidates: every other one submits the reference, the others one flaw each in turn."""
    cohort = []
    for i in range(size):
        if i % 2 == 0 or not flaw_ids:
            variant = "reference"
        else:
            variant = flaw_ids[(i // 2) % len(flaw_ids)]
        cohort.append(Candidate(f"cand{i + 1:03d}", FIRST[i % len(FIRST)], LAST[(i * 3) % len(LAST)], variant))
    return cohort


def write_candidates_csv(cohort: list[Candidate], path: Path) -> Path:
    """The instructor's candidate list, as a spreadsheet exports it (``;``, UTF-8 with BOM)."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["candidate_id", "last_name", "first_name", "email"])
        for c in cohort:
            writer.writerow([c.id, c.last_name, c.first_name, f"{c.id}@example.invalid"])
    return path


def _rubric_level(candidate_index: int, criterion: str, flawed: frozenset[str], rubric_only: str | None) -> str:
    if criterion == rubric_only:
        return "insufficient"
    if criterion in flawed:
        return "partial"
    return "excellent" if candidate_index % 3 == 0 else "satisfactory"


COMMENTS = {
    "insufficient": "Ne répond pas au critère : voir le descriptif du niveau.",
    "partial": "Démarche amorcée mais incomplète ; reprendre l'argumentation.",
    "satisfactory": "Critère atteint ; argumentation claire et reliée à la stratégie.",
    "excellent": "Travail précis et chiffré, très convaincant pour le comité de direction.",
}


def write_rubric_csv(cohort: list[Candidate], flaws: dict, rubric_criteria: list[str], path: Path) -> Path:
    """The grader's offline grid: one row per candidate and rubric criterion (``,``, plain UTF-8)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["candidate", "criterion", "level", "comment", "grader"])
        for i, c in enumerate(cohort):
            flaw = flaws.get(c.variant)
            lost = flaw.loses if flaw else frozenset()
            rubric_only = getattr(flaw, "rubric_criterion", None) if flaw and not flaw.loses else None
            for crit in rubric_criteria:
                level = _rubric_level(i, crit, lost, rubric_only)
                writer.writerow([c.id, crit, level, COMMENTS[level], "Correcteur·rice A. Dupré"])
    return path


def write_jury_csv(cohort: list[Candidate], ref: Referentiel, rubrics: Rubrics, path: Path) -> Path:
    """Blocks 2–5 as the jury returns them; some candidates fail a criterion, some are not evaluated."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["candidate", "criterion", "level", "comment"])
        for i, c in enumerate(cohort):
            for block in ref.blocks[1:]:
                if block.id == "B5" and i % 7 == 6:
                    continue  # block 5 not yet defended: "not evaluated"
                for crit in ref.criteria(block.id):
                    level = "satisfactory"
                    if block.id == "B3" and i % 5 == 4 and crit.id.endswith(".a"):
                        level = "partial"
                    elif i % 4 == 0:
                        level = "excellent"
                    writer.writerow([c.id, crit.id, rubrics.level(level).fr, ""])
    return path
