"""A real nbgrader gradebook with ungraded rubric cells, and a course marking rule, for the marking tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.scores.factory import MAP_PATH, build_gradebook, full_marks

RULE = """markers: [m1, m2, m3]
moderators: [mod]
double_marking: {{cells: {cells}, sample_share: 0.5, sample_seed: test}}
divergence_levels: 2
agreed_level: {agreed}
moderated_level: {moderated}
harmonisation_margin: 0.5
"""


def write_rule(path: Path, *, cells: str = "all", agreed: str = "mean_floor", moderated: str = "moderator") -> Path:
    path.write_text(RULE.format(cells=cells, agreed=agreed, moderated=moderated), encoding="utf-8")
    return path


def unmarked() -> dict:
    """Every autograded cell full marks, every rubric cell without a level."""
    return {cell: (auto, None) for cell, (auto, _) in full_marks().items() if auto is not None}


@pytest.fixture(scope="session")
def pristine(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("marking") / "gradebook.db"
    build_gradebook(path, {"ana": unmarked(), "ben": unmarked(), "cyd": unmarked(), "dev": None})
    return path


@pytest.fixture()
def course(pristine, tmp_path):
    """(gradebook path, audit URL, marking rule path) in a fresh folder."""
    shutil.copyfile(pristine, tmp_path / "gradebook.db")
    return tmp_path / "gradebook.db", f"sqlite:///{tmp_path / 'decisions.db'}", write_rule(tmp_path / "marking.yml")


def levels_csv(path: Path, rows: list[tuple], header: str = "candidate,criterion,level,comment") -> Path:
    path.write_text(header + "\n" + "".join(",".join(str(v) for v in r) + "\n" for r in rows), encoding="utf-8")
    return path


__all__ = ["MAP_PATH", "levels_csv", "write_rule"]
