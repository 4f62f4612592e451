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

    #: The command's exit code when this error ends it: 2, a fault the user must fix first.
    exit_code = 2

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


class BusyError(WorkbenchError):
    """Another run holds the resource (e.g. a course's grading lock): try again later."""


class StorageError(WorkbenchError):
    """A file cannot be read or written (corrupted, read-only, disk full). Nothing recorded was
    changed; with ``pending`` (e.g. a full disk) the work left undone is retried by running the
    command again once the fault is fixed, so the command exits 3."""

    def __init__(self, message: str, *, where: str | None = None, pending: bool = False) -> None:
        super().__init__(message, where=where)
        self.exit_code = 3 if pending else 2
