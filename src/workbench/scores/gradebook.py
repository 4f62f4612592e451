"""Set-based reads of an nbgrader gradebook (SQLite file or any SQLAlchemy URL).

We query nbgrader's tables directly: one query for the assignment's graded cells,
one for every grade of every candidate, one for comments, one for submission times. nbgrader's ``Gradebook`` objects issue
several queries per candidate, which is what makes a cohort slow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import MetaData, create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from workbench.errors import InputError, StorageError

NBGRADER_TABLES = {"assignment", "notebook", "base_cell", "grade_cells", "grade", "submitted_notebook",
                   "submitted_assignment", "student", "comment"}

GRADED_CELLS_SQL = """
SELECT nb.name AS notebook, bc.name AS cell, COALESCE(gc.max_score, tc.max_score) AS max_score,
       bc.type AS cell_class, bc.id AS cell_id
FROM base_cell bc
JOIN notebook nb ON bc.notebook_id = nb.id
JOIN assignment a ON nb.assignment_id = a.id
LEFT JOIN grade_cells gc ON gc.id = bc.id
LEFT JOIN task_cells tc ON tc.id = bc.id
WHERE a.name = :assignment AND bc.type IN ('GradeCell', 'TaskCell')
ORDER BY nb.name, bc.name
"""

# The one big query: a row per candidate and graded cell, keyed by the cell's id (names
# come from the small cells table), so SQLite follows two primary keys per row and no more.
GRADES_SQL = """
SELECT sa.student_id, g.cell_id, g.auto_score, g.manual_score, g.extra_credit
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
WHERE sa.assignment_id = (SELECT id FROM assignment WHERE name = :assignment)
"""

SUBMISSIONS_SQL = """
SELECT sa.student_id, sa.timestamp
FROM submitted_assignment sa
WHERE sa.assignment_id = (SELECT id FROM assignment WHERE name = :assignment)
"""

# Comments live on the solution cell of the same name (a manually graded answer is a
# grade cell *and* a solution cell) or on the task cell itself. Only non-empty ones are
# read (most are empty); they are matched to grades by candidate, notebook and cell name.
COMMENTS_SQL = """
SELECT sa.student_id, nb.name, bc.name, c.auto_comment, c.manual_comment
FROM comment c
JOIN submitted_notebook sn ON c.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN base_cell bc ON c.cell_id = bc.id
JOIN notebook nb ON bc.notebook_id = nb.id
WHERE sa.assignment_id = (SELECT id FROM assignment WHERE name = :assignment)
  AND (c.auto_comment IS NOT NULL OR c.manual_comment IS NOT NULL)
"""


# Autograded cells (code grade cells) a marker must review: the judge flagged their hand-over
# (missing, altered, or not judgeable) with nbgrader's needs_manual_grade, and no marker has
# scored them yet.
REVIEW_SQL = """
SELECT sa.student_id, nb.name, bc.name
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN base_cell bc ON g.cell_id = bc.id
JOIN notebook nb ON bc.notebook_id = nb.id
JOIN grade_cells gc ON gc.id = bc.id
WHERE sa.assignment_id = (SELECT id FROM assignment WHERE name = :assignment)
  AND g.needs_manual_grade AND g.manual_score IS NULL AND gc.cell_type = 'code'
ORDER BY sa.student_id, nb.name, bc.name
"""


@dataclass(frozen=True)
class GradeRows:
    """The raw grades of an assignment: one frame per query, joined by :mod:`compute`."""

    grades: pd.DataFrame  # candidate, cell_id, auto_score, manual_score, extra_credit
    comments: pd.DataFrame  # candidate, notebook, cell, auto_comment, manual_comment
    submissions: pd.DataFrame  # candidate, submitted_at


def gradebook_url(gradebook: str | Path) -> str:
    """Turn a path or URL into a SQLAlchemy URL; a missing SQLite file is an error.

    Parameters
    ----------
    gradebook : str or Path
        A path to ``gradebook.db`` or a URL (``sqlite:///...``, ``postgresql://...``).
    """
    text = str(gradebook)
    if "://" in text and not text.startswith("sqlite:///"):
        return text  # a database server: asked when opened
    is_url = "://" in text
    path = Path(text[len("sqlite:///"):] if is_url else text)
    if path.is_dir():
        raise InputError("a folder, not a gradebook file (pass --gradebook <course>/gradebook.db)", where=text)
    if not path.is_file():
        hint = "" if is_url else " (run nbgrader autograde first, or pass --gradebook)"
        raise InputError(f"gradebook not found{hint}", where=text)
    return text if is_url else f"sqlite:///{path.resolve()}"


def open_gradebook(gradebook: str | Path) -> Engine:
    """Return an engine on an existing nbgrader gradebook; anything else is an :class:`InputError`."""
    url = gradebook_url(gradebook)
    engine = None
    try:
        engine = create_engine(url, future=True)  # an unknown scheme (foo://) fails here
        tables = set(inspect(engine).get_table_names())
    except Exception as exc:  # a driver error is the user's URL or file, not our bug
        if engine is not None:
            engine.dispose()
        raise InputError(f"cannot open the gradebook: {db_reason(exc)}", where=url) from None
    missing = NBGRADER_TABLES - tables
    if missing:
        engine.dispose()
        raise InputError(f"not an nbgrader gradebook (missing tables: {', '.join(sorted(missing))})", where=url)
    return engine


def db_reason(exc: Exception) -> str:
    """The driver's own words for ``exc``, in one line (SQLAlchemy adds the SQL and a link below)."""
    reason = str(getattr(exc, "orig", None) or exc).strip()
    return f"{exc.__class__.__name__}: {reason.splitlines()[0] if reason else ''}".rstrip(": ")


def open_tables(url: str, meta: MetaData, *, what: str,
                upgrade: Callable[[Engine], None] | None = None) -> Engine:
    """Open (and create if needed) the tables of ``meta`` at ``url`` (a URL or a SQLite file path),
    then ``upgrade`` an older store; one that cannot be opened is a :class:`StorageError` naming it."""
    if "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    try:
        engine = create_engine(url, future=True)
        meta.create_all(engine)
        if upgrade is not None:
            upgrade(engine)
    except SQLAlchemyError as exc:  # not a database (a CSV passed by mistake), an unknown scheme...
        raise StorageError(f"cannot open the {what}: {db_reason(exc)}", where=url) from None
    return engine


_PLACEHOLDER = {"qmark": "?", "numeric": ":1", "named": ":{name}", "format": "%s", "pyformat": "%({name})s"}


def fetch(conn: Connection, sql: str, **params: object) -> list[tuple]:
    """Run ``sql`` on the raw DB-API cursor and return plain tuples.

    SQLAlchemy's Row objects cost more than the query itself on 10^5 rows; the raw
    cursor does not. ``:name`` placeholders are rewritten to the driver's paramstyle.
    """
    style = conn.dialect.paramstyle
    values: list[object] = []
    for name, value in params.items():
        while f":{name}" in sql:
            sql = sql.replace(f":{name}", _PLACEHOLDER[style].format(name=name), 1)
            values.append(value)
    args = params if style in ("named", "pyformat") else tuple(values)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql, args)
        return cursor.fetchall()
    finally:
        cursor.close()


def _iso(value: object) -> str | None:
    """A timestamp as ISO text; SQLite returns text, PostgreSQL a datetime."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def graded_cells(conn: Connection, assignment: str) -> pd.DataFrame:
    """The assignment's graded cells (grade cells and task cells) with their max points."""
    rows = fetch(conn, GRADED_CELLS_SQL, assignment=assignment)
    return pd.DataFrame.from_records(rows, columns=["notebook", "cell", "max_score", "cell_class", "cell_id"])


def grades(conn: Connection, assignment: str) -> GradeRows:
    """Every grade, non-empty comment and submission time of ``assignment``."""
    frame = pd.DataFrame.from_records(fetch(conn, GRADES_SQL, assignment=assignment),
                                      columns=["candidate", "cell_id", "auto_score", "manual_score", "extra_credit"])
    for col in ("auto_score", "manual_score", "extra_credit"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    comments = pd.DataFrame.from_records(fetch(conn, COMMENTS_SQL, assignment=assignment),
                                         columns=["candidate", "notebook", "cell", "auto_comment", "manual_comment"])
    subs = [(c, _iso(t)) for c, t in fetch(conn, SUBMISSIONS_SQL, assignment=assignment)]
    return GradeRows(frame, comments, pd.DataFrame.from_records(subs, columns=["candidate", "submitted_at"]))


def students(conn: Connection) -> list[str]:
    """Every candidate id in the gradebook, sorted."""
    return sorted(r[0] for r in conn.execute(text("SELECT id FROM student")).fetchall())


def needs_review(gradebook: str | Path, assignment: str = "block1") -> dict[str, list[str]]:
    """Candidate -> the autograded cells (``notebook/cell``) a marker must review."""
    engine = open_gradebook(gradebook)
    try:
        with engine.connect() as conn:
            rows = fetch(conn, REVIEW_SQL, assignment=assignment)
    finally:
        engine.dispose()
    found: dict[str, list[str]] = {}
    for student, notebook, cell in rows:
        found.setdefault(student, []).append(f"{notebook}/{cell}")
    return found


def candidate_names(gradebook: str | Path) -> dict[str, str]:
    """Candidate -> "Last First" as imported with the candidate list (empty names left out)."""
    engine = open_gradebook(gradebook)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, last_name, first_name FROM student")).fetchall()
    finally:
        engine.dispose()
    return {cid: " ".join(p for p in (last, first) if p) for cid, last, first in rows if last or first}


def course_id(gradebook: str | Path, assignment: str = "block1") -> str | None:
    """The course id of ``assignment`` in the gradebook (nbgrader also keeps a 'default_course'), or None."""
    engine = open_gradebook(gradebook)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT DISTINCT course_id FROM assignment WHERE name = :a"),
                                {"a": assignment}).fetchall()
    finally:
        engine.dispose()
    return rows[0][0] if len(rows) == 1 else None


def candidate_people(gradebook: str | Path) -> dict[str, tuple[str, str, str]]:
    """Candidate -> (last name, first name, e-mail) as imported with the candidate list ('' when unknown)."""
    engine = open_gradebook(gradebook)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, last_name, first_name, email FROM student")).fetchall()
    finally:
        engine.dispose()
    return {cid: (last or "", first or "", email or "") for cid, last, first, email in rows}
