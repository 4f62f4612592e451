"""Fill a released notebook with a candidate's answers (the solution regions of the source)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


def reference_answers(source_nb: Path) -> dict[str, str]:
    """``grade_id -> answer`` of every solution cell: the solution region of the source notebook."""
    nb = nbformat.read(source_nb, as_version=4)
    answers = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            found = _REGION.search(cell.source)
            answers[meta["grade_id"]] = found.group(1).rstrip("\n") if found else cell.source
    return answers


def fill(release_nb: Path, answers: dict[str, str], target: Path) -> None:
    """Write the released notebook with every solution cell's text replaced by ``answers``."""
    nb = nbformat.read(release_nb, as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = answers[meta["grade_id"]]
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
