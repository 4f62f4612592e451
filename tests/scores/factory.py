"""Build real nbgrader gradebooks for the tests, through nbgrader's own ``Gradebook`` API."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import yaml
from nbgrader.api import Gradebook

# nbgrader runs the `alembic` script of its own environment when it creates a gradebook
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")

FIXTURES = Path(__file__).parent / "fixtures"
MAP_PATH = FIXTURES / "criterion_map.yml"

# cell -> (auto_score, manual_score); a missing cell keeps nbgrader's defaults (ungraded)
Grades = dict[str, tuple[float | None, float | None]]


def map_cells(map_path: Path = MAP_PATH) -> list[tuple[str, dict]]:
    data = yaml.safe_load(map_path.read_text(encoding="utf-8"))
    return [(nb, cell) for nb, cells in data["notebooks"].items() for cell in cells]


_TEMPLATE: list[Path] = []


def empty_gradebook(path: Path) -> str:
    """Copy an empty gradebook made once by nbgrader itself (creating one runs `alembic`, seconds)."""
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="wb-gradebook-")) / "empty.db"
        Gradebook(f"sqlite:///{template}").close()
        _TEMPLATE.append(template)
    shutil.copyfile(_TEMPLATE[0], path)
    return f"sqlite:///{path}"


def build_gradebook(path: Path | str, candidates: dict[str, Grades | None], *, map_path: Path = MAP_PATH,
                    extra_cells: list[tuple[str, str, float]] = (), skip_cells: set[str] = frozenset(),
                    comments: dict[tuple[str, str], str] | None = None) -> str:
    """Write a gradebook with the map's cells and the given grades; return its URL.

    ``candidates`` maps a candidate id to its grades, or to None for "no submission".
    Rubric cells are manually graded answers (grade + solution markdown cells),
    autograde cells are code test cells, as nbgrader generate_assignment records them.
    """
    # a database URL (PostgreSQL) is used as is; a path gets a copy of the empty SQLite gradebook
    url = str(path) if "://" in str(path) else empty_gradebook(Path(path))
    data = yaml.safe_load(map_path.read_text(encoding="utf-8"))
    assignment = data["assignment"]
    with Gradebook(url) as gb:
        gb.add_assignment(assignment)
        for nb, cells in data["notebooks"].items():
            gb.add_notebook(nb, assignment)
            for cell in cells:
                if cell["cell"] in skip_cells:
                    continue
                _add_cell(gb, nb, assignment, cell["cell"], cell["kind"], cell["points"])
        for nb, name, points in extra_cells:
            _add_cell(gb, nb, assignment, name, "autograde", points)
        for cand, grades in sorted(candidates.items()):
            gb.add_student(cand, first_name=cand.title(), last_name="Candidat")
            if grades is None:
                continue
            with warnings.catch_warnings():  # nbgrader's own autoflush SAWarnings, not ours
                warnings.simplefilter("ignore")
                gb.add_submission(assignment, cand, timestamp="2026-06-01 10:00:00")
            for nb, cell in [(nb, c) for nb, cs in data["notebooks"].items() for c in cs]:
                if cell["cell"] in skip_cells or cell["cell"] not in grades:
                    continue
                auto, manual = grades[cell["cell"]]
                grade = gb.find_grade(cell["cell"], nb, assignment, cand)
                grade.auto_score = auto
                grade.manual_score = manual
                grade.needs_manual_grade = manual is None and auto is None
                text = (comments or {}).get((cand, cell["cell"]))
                if text is not None:
                    gb.find_comment(cell["cell"], nb, assignment, cand).manual_comment = text
            gb.db.commit()
    return url


def _add_cell(gb: Gradebook, nb: str, assignment: str, name: str, kind: str, points: float) -> None:
    if kind == "rubric":
        gb.add_grade_cell(name, nb, assignment, max_score=points, cell_type="markdown")
        gb.add_solution_cell(name, nb, assignment)
    else:
        gb.add_grade_cell(name, nb, assignment, max_score=points, cell_type="code")


def full_marks() -> Grades:
    """Every autograde cell passed, every rubric cell at 'excellent'."""
    return {c["cell"]: ((c["points"], None) if c["kind"] == "autograde" else (None, c["points"]))
            for _, c in map_cells()}


def with_levels(level: float, auto_fraction: float = 1.0) -> Grades:
    """Every rubric cell at ``level`` and every autograde cell at ``auto_fraction`` of its points."""
    return {c["cell"]: ((c["points"] * auto_fraction, None) if c["kind"] == "autograde" else (None, level))
            for _, c in map_cells()}


def file_digest(path: Path) -> str:
    """sha256 of a file, to prove a failed operation changed nothing."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
