"""Which test cells the judge decides, read from the instructor's source notebooks.

``workbench exercises build`` writes, into each judged test cell of the *source* notebook,
``metadata.workbench.judge = {"check": id, "answers": {parameter: variable}, "params": {...}}``.
The judge reads it from the course's ``source/<assignment>/`` (the instructor's side, never a
submission): a candidate cannot change what is judged, or how.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from workbench.errors import ConfigError


@dataclass(frozen=True)
class JudgedCell:
    """One judged test cell: its check, the variables it hands over, fixed parameters."""

    grade_id: str
    check: str
    answers: dict[str, str]  # rule parameter -> notebook variable
    params: dict = field(default_factory=dict)

    @property
    def variables(self) -> list[str]:
        return list(dict.fromkeys(self.answers.values()))


@dataclass(frozen=True)
class NotebookManifest:
    name: str
    scenario: str | None
    cells: dict[str, JudgedCell]


def _judged(cell: dict, where: str, known: set[str]) -> JudgedCell | None:
    spec = cell.get("metadata", {}).get("workbench", {}).get("judge")
    if spec is None:
        return None
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    try:
        judged = JudgedCell(grade_id=str(grade_id), check=str(spec["check"]),
                            answers={str(k): str(v) for k, v in dict(spec["answers"]).items()},
                            params=dict(spec.get("params") or {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"cell {grade_id!r}: malformed judge metadata ({exc})", where=where) from None
    if judged.check not in known:
        raise ConfigError(f"cell {grade_id!r}: unknown check {judged.check!r}", where=where)
    if not all(v.isidentifier() for v in judged.answers.values()):
        raise ConfigError(f"cell {grade_id!r}: answers must name notebook variables", where=where)
    return judged


def read_manifest(source_dir: Path, known_checks: set[str]) -> dict[str, NotebookManifest]:
    """The judged cells of every source notebook of an assignment (empty: nothing is judged)."""
    out: dict[str, NotebookManifest] = {}
    for path in sorted(source_dir.glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:  # noqa: BLE001 - the instructor's file: one line, before grading
            raise ConfigError(f"unreadable source notebook: {type(exc).__name__}: {exc}", where=str(path)) from None
        cells = {}
        for cell in nb.cells:
            judged = _judged(cell, str(path), known_checks)
            if judged is not None:
                cells[judged.grade_id] = judged
        scenario = nb.metadata.get("workbench", {}).get("scenario")
        out[path.stem] = NotebookManifest(path.stem, scenario, cells)
    return out
