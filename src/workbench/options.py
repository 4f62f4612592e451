"""Command-line options shared by several commands (``scores``, ``rubric``, ``validate``, ``report``...)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import click


def gradebook_option(func: Callable) -> Callable:
    """``--gradebook``: a path or a database URL (default ``gradebook.db`` in the current folder)."""
    return click.option("--gradebook", "-g", default="gradebook.db", show_default=True,
                        help="nbgrader gradebook: a file or a URL (sqlite:///..., postgresql://...).")(func)


def map_option(func: Callable) -> Callable:
    return click.option("--map", "criterion_map", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="Criterion map [default: grading/criterion_map.yml].")(func)


def audit_option(func: Callable) -> Callable:
    return click.option("--audit-db", "audit", default=None,
                        help="Audit store (file or URL) [default: decisions.db beside a SQLite gradebook].")(func)


def decision_inputs(func: Callable) -> Callable:
    """Every input of a decision: gradebook, map, jury CSV, thresholds, audit store, course folder."""
    func = click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="nbgrader course folder: check messages from its autograded/ notebooks.")(func)
    func = click.option("--thresholds", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="Thresholds file [default: grading/thresholds.yml].")(func)
    func = click.option("--jury", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="Jury CSV for blocks 2-5 (without it they are 'not evaluated').")(func)
    return gradebook_option(map_option(audit_option(func)))


def marking_option(func: Callable) -> Callable:
    """``--marking``: the course's marking rule and markers."""
    return click.option("--marking", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="The course's marking rule and markers [default: grading/marking.yml].")(func)
