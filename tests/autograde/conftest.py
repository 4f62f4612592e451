"""Fixtures for the autograde tests: one scratch nbgrader course built per session, copied per test."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.autograde.fixtures import factory

# nbgrader runs `alembic` (and tests run `nbgrader`, `dask`) from PATH: use the venv's.
BIN = str(Path(sys.executable).parent)
os.environ["PATH"] = BIN + os.pathsep + os.environ.get("PATH", "")

# Scores nbgrader gives each candidate profile (checked against `nbgrader autograde` in test_parity).
EXPECTED = {"good": 6.0, "k3": 3.0, "no_chart": 5.0, "typo": 1.0, "noisy": 6.0, "unscaled": 2.0}


@pytest.fixture(scope="session")
def template_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template") / "course"
    root.mkdir()
    factory.build_course(root)
    return root


def copy_course(template: Path, dest: Path) -> Path:
    """Copy a course folder and point its nbgrader_config.py at the copy."""
    shutil.copytree(template, dest)
    config = dest / "nbgrader_config.py"
    config.write_text(config.read_text().replace(repr(str(template)), repr(str(dest))))
    return dest


@pytest.fixture
def course(template_course: Path, tmp_path: Path) -> Path:
    return copy_course(template_course, tmp_path / "course")


def add_cohort(root: Path, profiles: list[str], prefix: str = "cand") -> dict[str, str]:
    """Submit one candidate per profile; return student -> profile."""
    release = factory.release_notebook(root)
    cohort = {}
    for i, profile in enumerate(profiles):
        student = f"{prefix}{i:03d}_{profile}"
        factory.submit(root, student, factory.fill(release, factory.PROFILES[profile]))
        cohort[student] = profile
    factory.add_students(root, list(cohort))
    return cohort


def gradebook_scores(root: Path, db_url: str | None = None) -> dict[str, dict[str, float | None]]:
    """student -> {grade cell: score} (and "total"), read back through nbgrader's API."""
    from nbgrader.api import Gradebook

    out: dict[str, dict[str, float | None]] = {}
    with Gradebook(db_url or f"sqlite:///{root / 'gradebook.db'}", "block1") as gb:
        for sub in gb.assignment_submissions(factory.ASSIGNMENT):
            grades = {g.name: g.score for nb in sub.notebooks for g in nb.grades}
            grades["total"] = sub.score
            out[sub.student.id] = grades
    return out


def integrity_ok(db: Path) -> bool:
    con = sqlite3.connect(str(db))
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def review_rows(root: Path) -> list[tuple]:
    """Every grade's review flag and every comment's automatic text, by candidate and cell."""
    con = sqlite3.connect(str(root / "gradebook.db"))
    join = ("JOIN base_cell c ON c.id = t.cell_id JOIN submitted_notebook n ON n.id = t.notebook_id "
            "JOIN submitted_assignment a ON a.id = n.assignment_id")
    try:
        grades = con.execute(f"SELECT a.student_id, c.name, t.auto_score, t.needs_manual_grade FROM grade t {join}")
        comments = con.execute(f"SELECT a.student_id, c.name, t.auto_comment FROM comment t {join}")
        return sorted(grades.fetchall()) + sorted(comments.fetchall())
    finally:
        con.close()
