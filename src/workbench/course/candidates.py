"""Read a candidate list (CSV) and import it into the course gradebook.

The whole file is checked before anything is written: one bad row refuses the
import, and the message names every bad row, so the instructor fixes the file
in one go and the gradebook never holds half a cohort.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from workbench._files import read_text, separator
from workbench.errors import InputError

#: Columns of a candidate list, in the order we write them back.
COLUMNS: tuple[str, ...] = ("candidate_id", "last_name", "first_name", "email")

# nbgrader joins ``student+assignment+timestamp`` with '+' and globs with '*';
# the id is also a folder name under submitted/ and autograded/. Keep it to a
# portable, case-insensitively unique subset.
CANDIDATE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
#: Bad rows named in the error message (the count says how many more there are).
SHOWN_ROWS = 20
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Candidate:
    """One candidate of the cohort, as recorded in the gradebook."""

    candidate_id: str
    last_name: str = ""
    first_name: str = ""
    email: str = ""


def check_candidate_id(value: str) -> str | None:
    """Return why ``value`` cannot be a candidate id, or None when it can."""
    if not value:
        return "empty candidate_id"
    if not CANDIDATE_ID.match(value):
        return (
            f"candidate_id {value!r} has characters nbgrader or file systems cannot take "
            "(use letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64)"
        )
    return None


def _check_header(header: list[str], path: Path) -> list[str]:
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [h for h in names if h not in COLUMNS]
    dupes = sorted({h for h in names if names.count(h) > 1})
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(repr(u) for u in unknown)}")
    if dupes:
        problems.append(f"repeated column(s) {', '.join(dupes)}")
    if problems:
        raise InputError(
            f"wrong header ({'; '.join(problems)}); expected {', '.join(COLUMNS)}",
            where=f"{path}:1",
        )
    return names


def _check_row(values: dict[str, str], seen: dict[str, int], line: int) -> list[str]:
    """Return the faults of one row; records its id in ``seen``."""
    faults = []
    cid = values["candidate_id"]
    why = check_candidate_id(cid)
    if why:
        faults.append(why)
    elif cid.lower() in seen:
        faults.append(f"duplicate candidate_id {cid!r} (first seen on line {seen[cid.lower()]})")
    else:
        seen[cid.lower()] = line
    if values["email"] and not EMAIL.match(values["email"]):
        faults.append(f"invalid email {values['email']!r}")
    return faults


def read_candidates(path: Path | str) -> list[Candidate]:
    """Read and check a candidate CSV (read as :mod:`workbench._files` reads every user's CSV).

    Parameters
    ----------
    path : Path
        CSV with the columns ``candidate_id, last_name, first_name, email``.

    Returns
    -------
    list of Candidate
        In file order.

    Raises
    ------
    InputError
        Naming the file and every bad row (line number, id, fault).
    """
    path = Path(path)
    text = read_text(path, what="candidate list")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputError(f"empty file; expected the header {', '.join(COLUMNS)}", where=str(path))
    reader = csv.reader(io.StringIO(text), delimiter=separator(lines[0]))
    names = _check_header(next(reader), path)
    seen: dict[str, int] = {}
    candidates: list[Candidate] = []
    errors: list[str] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue  # blank lines at the end of spreadsheet exports
        if len(row) != len(names):
            errors.append(f"line {line}: {len(row)} fields, expected {len(names)}")
            continue
        values = {n: v.strip() for n, v in zip(names, row)}
        faults = _check_row(values, seen, line)
        if faults:
            errors.append(f"line {line}: " + "; ".join(faults))
        else:
            candidates.append(Candidate(**values))
    if errors:
        # one line, like every error (a log or a terminal keeps it whole); the first rows suffice to start
        more = f"; and {len(errors) - SHOWN_ROWS} more" if len(errors) > SHOWN_ROWS else ""
        raise InputError(f"{len(errors)} bad row(s), nothing imported: " + "; ".join(errors[:SHOWN_ROWS]) + more,
                         where=str(path))
    if not candidates:
        raise InputError("no candidate in the file, nothing imported", where=str(path))
    return candidates


def import_candidates(*, db_url: str, course_id: str, candidates: list[Candidate]) -> int:
    """Create or update every candidate in the gradebook, in one transaction.

    Returns
    -------
    int
        The number of candidates written.
    """
    from nbgrader.api import Student

    from workbench.course._nbgrader import gradebook

    with gradebook(db_url, course_id) as gb:
        # Ids are unique regardless of case (they are folder names, and 'F01' and 'f01' are one
        # person to a grader): an id differing only in case from one in the course is refused.
        held = {s.id.lower(): s.id for s in gb.students}
        clashes = [f"{c.candidate_id!r} is already in the course as {held[c.candidate_id.lower()]!r}"
                   for c in candidates
                   if c.candidate_id.lower() in held and held[c.candidate_id.lower()] != c.candidate_id]
        if clashes:
            raise InputError(f"candidate ids are unique regardless of case: {'; '.join(clashes)}; "
                             "nothing imported")
        # One commit for the whole list: a failure leaves the gradebook as it was.
        for c in candidates:
            student = gb.db.query(Student).filter(Student.id == c.candidate_id).one_or_none()
            if student is None:
                student = Student(id=c.candidate_id)
                gb.db.add(student)
            student.first_name = c.first_name or None
            student.last_name = c.last_name or None
            student.email = c.email or None
        gb.db.commit()
    return len(candidates)


def list_candidates(*, db_url: str, course_id: str) -> list[Candidate]:
    """Return the candidates recorded in the gradebook, sorted by id."""
    from workbench.course._nbgrader import gradebook

    with gradebook(db_url, course_id) as gb:
        return [
            Candidate(s.id, s.last_name or "", s.first_name or "", s.email or "")
            for s in sorted(gb.students, key=lambda s: s.id)
        ]
