"""The judge: points decided outside the candidate's process, with keys out of every candidate's reach.

A judged test cell never runs in the candidate's kernel. Its place in the notebook is where the
candidate's child *hands over* the variables the cell names, as values
(:mod:`workbench.autograde.answers`). The judge, in the coordinator, decodes them, runs the
check's rules with the answer key (:mod:`~workbench.autograde.judge.registry`) and writes the
verdict into the test cell's outputs, where nbgrader's ``determine_grade`` reads the points.

Trust boundary: everything from the child is an answer, never a verdict. A figure answer is an
SVG the notebook itself displayed (found by its hash among the outputs of the cells above), and
the judge keeps only that SVG in the displayed output, so what is graded is what is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.autograde.answers import AlteredAnswer, BlobTable, Handovers, decode_value, svg_sha256
from workbench.autograde.judge.keys import JUDGE_DIR, ScenarioKey, load_key
from workbench.autograde.judge.manifest import JudgedCell, NotebookManifest, read_manifest
from workbench.autograde.judge.registry import EVALUATORS
from workbench.autograde.judge.verdict import outputs
from workbench.errors import ConfigError
from workbench_candidate.checks import declarations
from workbench_candidate.figures.svgread import forget_read
from workbench_candidate.lang import released_lang
from workbench_candidate.outcome import BadAnswer, Fault, Outcome

__all__ = ["Judge", "JudgedNotebook", "ScenarioKey", "key_path"]

# Statuses of a notebook whose child did not reach every cell: its missing hand-overs are
# explained by that, not by tampering.
_DIED = {"crashed", "memory", "timeout", "output-limit"}


def key_path(course_dir: Path, scenario: str) -> Path:
    """Where ``workbench course create`` keeps the judge's copy of a scenario's answer key."""
    return course_dir / JUDGE_DIR / f"{scenario}.yml"


@dataclass
class JudgedNotebook:
    """What judging one notebook found besides the points: reasons a marker must look."""

    review: list[str] = field(default_factory=list)
    review_cells: set[str] = field(default_factory=set)  # grade ids flagged for a marker
    scores: dict[str, float] = field(default_factory=dict)


def _svgs(cells: list[dict], *, skip: set[int]) -> dict[str, tuple[int, int]]:
    """SHA-256 of every SVG displayed in ``cells`` (but those at ``skip``) -> the first (cell,
    output) where it is shown."""
    found: dict[str, tuple[int, int]] = {}
    for i, cell in enumerate(cells):
        if i in skip:
            continue
        for j, out in enumerate(cell.get("outputs") or []):
            data = out.get("data") if isinstance(out, dict) else None
            svg = data.get("image/svg+xml") if isinstance(data, dict) else None
            # nbformat stores text as a string or a list of strings; anything else is not an SVG
            if isinstance(svg, str) or (isinstance(svg, list) and all(isinstance(x, str) for x in svg)):
                found.setdefault(svg_sha256(svg), (i, j))
    return found


class Judge:
    """The judged cells of an assignment and the keys they are judged with."""

    def __init__(self, manifests: dict[str, NotebookManifest], keys: dict[str, ScenarioKey],
                 lang: str = "en") -> None:
        self.manifests = manifests
        self.keys = keys
        self.lang = lang  # the course's: verdicts are written in it
        self.declarations = declarations()

    @classmethod
    def for_course(cls, course_dir: Path, source_dir: Path) -> "Judge | None":
        """The judge of an assignment, or None when no cell of it is judged.

        Raises :class:`ConfigError` (one line, before anything is graded) when a judged
        notebook's key file or released data are missing or corrupted.
        """
        manifests = read_manifest(source_dir, set(EVALUATORS))
        if not any(m.cells for m in manifests.values()):
            return None
        keys: dict[str, ScenarioKey] = {}
        for m in manifests.values():
            if m.cells and m.scenario is None:
                raise ConfigError(f"notebook {m.name!r} has judged cells but names no scenario", where=str(source_dir))
            if m.cells and m.scenario not in keys:
                keys[m.scenario] = load_key(key_path(course_dir, m.scenario), data_dir=source_dir / "data")
        return cls(manifests, keys, lang=released_lang(source_dir / "data"))

    def handovers(self, notebook: str, cells: list[Any]) -> dict[int, list[str]]:
        """Cell index -> the variables its hand-over carries, for the judged cells of ``notebook``."""
        manifest = self.manifests.get(notebook)
        if manifest is None:
            return {}
        found = {}
        for index, cell in enumerate(cells):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            judged = manifest.cells.get(grade_id) if cell.get("cell_type") == "code" else None
            if judged is not None:
                found[index] = judged.variables
        return found

    def judge(self, notebook: str, cells: list[Any], merged: list[dict], handovers: Handovers, *,
              status: str, detail: str) -> JudgedNotebook:
        """Write the verdict of each judged cell of ``notebook`` into ``merged`` (its outputs)."""
        report = JudgedNotebook()
        manifest = self.manifests.get(notebook)
        if manifest is None:
            return report
        key = self.keys[manifest.scenario]
        judged_cells = sorted(self.handovers(notebook, cells))
        # Every SVG the notebook displays, hashed once (a judged cell's own outputs are the
        # judge's verdict, never a figure, so they are left out).
        shown = _svgs(merged, skip=set(judged_cells))
        forget_read()  # no figure read for the previous notebook is reused for this one
        answers, blobs = handovers.values, BlobTable(handovers.blobs)
        for index in judged_cells:
            judged = manifest.cells[cells[index]["metadata"]["nbgrader"]["grade_id"]]
            points = float(cells[index]["metadata"]["nbgrader"]["points"])
            above = {sha: where for sha, where in shown.items() if where[0] < index}
            outcome, review = self._evaluate(judged, answers, blobs, index, merged, above, key, status, detail)
            merged[index]["outputs"], score = outputs(outcome, self.declarations[judged.check], points,
                                                      lang=self.lang)
            report.scores[judged.grade_id] = score
            if review:
                report.review.append(f"{notebook}/{judged.grade_id}: {review}")
                report.review_cells.add(judged.grade_id)
        return report

    def _evaluate(self, judged: JudgedCell, answers: dict[int, Any], blobs: BlobTable, index: int, merged: list[dict],
                  shown: dict[str, tuple[int, int]], key: ScenarioKey, status: str,
                  detail: str) -> tuple[Outcome, str | None]:
        if index not in answers:
            if status in _DIED:
                return _zero("answer.not_reached", f"not judged: {detail}", f"non jugé : {detail}"), None
            return (_zero("answer.missing", "no answer was handed over for this cell (the notebook's "
                          "grading was tampered with)", "aucune réponse n'a été transmise pour cette "
                          "cellule (la correction du notebook a été altérée)"), "hand-over missing")
        raw = answers[index]
        try:
            if not isinstance(raw, dict):
                raise AlteredAnswer("the answer of this cell was altered", "la réponse de cette cellule a été altérée")
            svg = _ShownSvg(merged, shown)
            values = {param: decode_value(raw.get(var), var, figure_svg=svg, blobs=blobs)
                      for param, var in judged.answers.items()}
            _keep_graded_svg(values, judged, raw, shown, merged)
        except AlteredAnswer as exc:
            return Outcome(0.0, (exc.fault("answer.altered"),)), "hand-over altered or unreadable"
        except BadAnswer as exc:
            return Outcome(0.0, (exc.fault(),)), None
        try:
            return EVALUATORS[judged.check](values, judged.params, key), None
        except BadAnswer as exc:
            return Outcome(0.0, (exc.fault(),)), None
        except Exception as exc:  # noqa: BLE001 - a value no rule foresaw: never the batch's failure
            return (_zero("answer.unjudged", "this answer could not be judged automatically; a marker "
                          "will review it", "cette réponse n'a pas pu être jugée automatiquement ; un "
                          "correcteur l'examinera"), f"judge could not evaluate ({type(exc).__name__}: {exc})"[:200])


def _zero(rule: str, en: str, fr: str) -> Outcome:
    return Outcome(0.0, (Fault(rule, en, fr),))


class _ShownSvg(Mapping):
    """SHA-256 -> text of the SVGs shown above a cell, joined only when an answer names one."""

    def __init__(self, merged: list[dict], shown: dict[str, tuple[int, int]]) -> None:
        self.merged, self.shown = merged, shown

    def __getitem__(self, sha: str) -> str:
        cell, out = self.shown[sha]
        svg = self.merged[cell]["outputs"][out]["data"]["image/svg+xml"]
        return "".join(svg) if isinstance(svg, list) else svg

    def __iter__(self):
        return iter(self.shown)

    def __len__(self) -> int:
        return len(self.shown)


def _keep_graded_svg(values: dict, judged: JudgedCell, raw: dict, shown: dict, merged: list[dict]) -> None:
    """The output that shows a graded figure keeps only its SVG (and its plain-text label): a
    PNG or HTML beside it, which a front-end may prefer, could show another chart than the one
    graded."""
    for param, var in judged.answers.items():
        doc = raw.get(var)
        if isinstance(doc, dict) and doc.get("t") == "figure" and doc.get("sha256") in shown:
            cell, out = shown[doc["sha256"]]
            data = merged[cell]["outputs"][out]["data"]
            for mime in [m for m in data if m not in ("image/svg+xml", "text/plain")]:
                del data[mime]
