"""The labelled cohort of issue #13 §6: candidates built by patching the model answers, labelled
per criterion by an examiner (``valid`` / ``flawed``, each with its reason).

Data: ``patches.yml`` (what a candidate changed in which answer cell, and the examiner's labels
on the criteria that change bears on) and ``candidates.yml`` (who applies which patches). A
criterion no patch touches is the model answer's work on it. Used by ``benchmarks/bench_cohort.py``
and by the slow test ``tests/benchmarks/test_cohort_slice.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).parent
CRITERIA = ("B1.1.a", "B1.1.b", "B1.2.a", "B1.2.b", "B1.3.a", "B1.3.b")
VERDICTS = ("valid", "flawed")
NOTEBOOKS = {"n11": "1_1_collecte", "n12": "1_2_analyse", "n13": "1_3_visualisation"}
# What a patch may name without knowing the scenario: the key variables of the profile heatmap.
PLACEHOLDERS = {
    "KEY_VARIABLES": {
        "cdnow_winback": '["recency_days", "frequency", "monetary"]',
        "caravan_crosssell": '["MKOOPKLA", "MINKGEM", "MAUT1", "MHKOOP", "PPERSAUT", "PBRAND", "APERSAUT"]',
    },
}


@dataclass(frozen=True)
class Patch:
    id: str
    notebook: str          # notebook name (1_1_collecte...)
    cell: str              # grade id of the answer cell
    old: str | None        # replaced text; None: the whole cell
    new: str
    labels: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Candidate:
    id: str
    scenario: str
    patches: tuple[Patch, ...]
    labels: dict[str, tuple[str, str]]   # criterion -> (verdict, reason), every criterion
    why: str

    def answers(self, model: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        """The model answers (notebook -> grade id -> code) with this candidate's patches applied."""
        out = {nb: dict(cells) for nb, cells in model.items()}
        for p in self.patches:
            cells = out[p.notebook]
            new = p.new
            for name, per_scenario in PLACEHOLDERS.items():
                new = new.replace(name, per_scenario[self.scenario])
            if p.old is None:
                cells[p.cell] = new
            elif p.old not in cells[p.cell]:
                raise ValueError(f"{self.id}: patch {p.id}: {p.old!r} not in {p.notebook}/{p.cell}")
            else:
                cells[p.cell] = cells[p.cell].replace(p.old, new)
        return out

    @property
    def all_valid(self) -> bool:
        return all(v == "valid" for v, _ in self.labels.values())


def _labels(raw: dict, where: str) -> dict[str, tuple[str, str]]:
    out = {}
    for crit, (verdict, reason) in (raw or {}).items():
        if crit not in CRITERIA or verdict not in VERDICTS or not str(reason).strip():
            raise ValueError(f"{where}: bad label {crit}: {verdict!r} {reason!r}")
        out[crit] = (verdict, str(reason))
    return out


def load_patches() -> dict[str, Patch]:
    raw = yaml.safe_load((HERE / "patches.yml").read_text(encoding="utf-8"))
    return {pid: Patch(pid, NOTEBOOKS[p["notebook"]], p["cell"], p.get("old"), p["new"],
                       _labels(p.get("labels"), f"patch {pid}")) for pid, p in raw.items()}


def load_cohort(scenarios: tuple[str, ...] | None = None) -> list[Candidate]:
    """Every candidate of ``candidates.yml`` (those of ``scenarios`` only, if given)."""
    patches = load_patches()
    raw = yaml.safe_load((HERE / "candidates.yml").read_text(encoding="utf-8"))
    model = raw["model"]
    cohort = []
    for c in raw["candidates"]:
        labels = {crit: ("valid", f"model answer's work: {model[crit]}") for crit in CRITERIA}
        chosen = tuple(patches[p] for p in c["patches"])
        for p in chosen:
            labels.update(p.labels)
        labels.update(_labels(c.get("labels"), f"candidate {c['id']}"))
        cohort.append(Candidate(c["id"], c["scenario"], chosen, labels, c["why"]))
    ids = [c.id for c in cohort]
    if len(set(ids)) != len(ids):
        raise ValueError("candidates.yml: duplicate candidate ids")
    return [c for c in cohort if scenarios is None or c.scenario in scenarios]
