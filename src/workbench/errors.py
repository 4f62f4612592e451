"""Errors shown to instructors, graders and candidates.

Every error names *what* is wrong and *where* (a file, a row, a cell id), so the
CLI can print it in one line without a traceback.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base class: a fault in the user's input, reported without a traceback.

    Parameters
    ----------
    message : str
        What is wrong, written for the person who has to fix it.
    where : str, optional
        The file, row or item the fault is in.
    """

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class ConfigError(WorkbenchError):
    """A rules file in ``grading/`` (référentiel, rubric, scenario, map) is invalid."""


class DataError(WorkbenchError):
    """A dataset file is missing, corrupted, truncated or has the wrong schema."""


class InputError(WorkbenchError):
    """A user-supplied file (CSV import, candidate list, jury results) is invalid."""
