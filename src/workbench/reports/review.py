"""What a marker must look at before the jury sits: the autograde journal's flags per candidate.

The gradebook says which cells the judge sent for review (:func:`workbench.scores.gradebook.needs_review`);
the job journal of ``workbench autograde`` (in the course folder) says why: a hand-over missing or
altered (``needs-review``), a submission the machinery could not grade (``infra-failed``), and how
many times an infrastructure fault made it retry. (No similarity check exists yet: none is listed.)
"""

from __future__ import annotations

from pathlib import Path

from workbench.autograde.journal import Journal
from workbench.autograde.runner import journal_path

FLAGGED = {"needs-review", "infra-failed", "invalid-notebook", "invalid-output"}


def journal_flags(course_dir: Path | None, assignment: str = "block1") -> dict[str, list[str]]:
    """Candidate -> the journal's reasons to look at its submission (status and detail, retries)."""
    if course_dir is None or not journal_path(course_dir).is_file():
        return {}  # never create a journal by reading it
    journal = Journal(journal_path(course_dir))
    try:
        entries = journal.entries(assignment)
    finally:
        journal.close()
    out: dict[str, list[str]] = {}
    for student, e in sorted(entries.items()):
        notes = []
        if e.status in FLAGGED:
            notes.append(f"{e.status}: {e.detail}" if e.detail else e.status)
        if e.infra_retries:
            notes.append(f"infrastructure retries: {e.infra_retries}")
        if notes:
            out[student] = notes
    return out
