"""Failures shown to the candidate: AssertionError subclasses with a clean rendering."""

from __future__ import annotations


class CheckFailed(AssertionError):
    """A check did not pass; the message is written for the candidate.

    Parameters
    ----------
    message : str
        What is wrong, without the expected answer.
    check_id : str, optional
        The check that failed (e.g. ``collect.categories``).
    """

    def __init__(self, message: str, *, check_id: str | None = None) -> None:
        self.message = message
        self.check_id = check_id
        super().__init__(f"{check_id}: {message}" if check_id else message)

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of printing a traceback: the candidate sees the message only.
        return [f"{type(self).__name__}: {self}"]


class BadInput(CheckFailed):
    """The candidate's object is not what the check expects (type, length, column ...)."""


class TamperDetected(CheckFailed):
    """The grading environment (numpy, pandas, the library itself) was modified in the kernel."""
