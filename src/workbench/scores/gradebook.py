"""Set-based reads of an nbgrader gradebook (SQLite file or any SQLAlchemy URL).

We query nbgrader's tables directly: one query for the assignment's graded cells,
one for every grade of every candidate. nbgrader's ``Gradebook`` objects issue
several queries per candidate, which is what makes a cohort slow.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine

from workbench.errors import InputError

NBGRADER_TABLES = {"assignment", "notebook", "base_cell", "grade_cells", "grade", "submitted_notebook",
                   "submitted_assignment", "student", "comment"}

GRADED_CELLS_SQL = """
SELECT nb.name AS notebook, bc.name AS cell, COALESCE(gc.max_score, tc.max_score) AS max_score,
       bc.type AS cell_class
FROM base_cell bc
JOIN notebook nb ON bc.notebook_id = nb.id
JOIN assignment a ON nb.assignment_id = a.id
LEFT JOIN grade_cells gc ON gc.id = bc.id
LEFT JOIN task_cells tc ON tc.id = bc.id
WHERE a.name = :assignment AND bc.type IN ('GradeCell', 'TaskCell')
ORDER BY nb.name, bc.name
"""

GRADES_SQL = """
SELECT sa.student_id AS candidate, nb.name AS notebook, bc.name AS cell,
       g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade, sa.timestamp AS submitted_at,
       sn.id AS submitted_notebook
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN base_cell bc ON g.cell_id = bc.id
JOIN notebook nb ON bc.notebook_id = nb.id
WHERE a.name = :assignment
"""

# Comments live on the solution cell of the same name (a manually graded answer is a
# grade cell *and* a solution cell) or on the task cell itself. Only non-empty ones
# are read (most are empty), and joined to the grades by (submitted notebook, cell name).
COMMENTS_SQL = """
SELECT c.notebook_id AS submitted_notebook, bc.name AS cell, c.auto_comment, c.manual_comment
FROM comment c
JOIN base_cell bc ON c.cell_id = bc.id
JOIN notebook nb ON bc.notebook_id = nb.id
JOIN assignment a ON nb.assignment_id = a.id
WHERE a.name = :assignment AND (c.auto_comment IS NOT NULL OR c.manual_comment IS NOT NULL)
"""

GRADE_COLUMNS = ["candidate", "notebook", "cell", "auto_score", "manual_score", "extra_credit",
                 "needs_manual_grade", "submitted_at", "submitted_notebook"]


def gradebook_url(gradebook: str | Path) -> str:
    """Turn a path or URL into a SQLAlchemy URL; a missing SQLite file is an error.

    Parameters
    ----------
    gradebook : str or Path
        A path to ``gradebook.db`` or a URL (``sqlite:///...``, ``postgresql://...``).
    """
    text = str(gradebook)
    if "://" in text:
        if text.startswith("sqlite:///") and not Path(text[len("sqlite:///"):]).is_file():
            raise InputError("gradebook not found", where=text)
        return text
    path = Path(text)
    if not path.is_file():
        raise InputError("gradebook not found (run nbgrader autograde first, or pass --gradebook)", where=text)
    return f"sqlite:///{path.resolve()}"


def open_gradebook(gradebook: str | Path) -> Engine:
    """Return an engine on an existing nbgrader gradebook; anything else is an :class:`InputError`."""
    url = gradebook_url(gradebook)
    engine = create_engine(url, future=True)
    try:
        tables = set(inspect(engine).get_table_names())
    except Exception as exc:  # a driver error is the user's URL, not our bug
        engine.dispose()
        raise InputError(f"cannot open the gradebook: {exc.__class__.__name__}: {exc}", where=url) from None
    missing = NBGRADER_TABLES - tables
    if missing:
        engine.dispose()
        raise InputError(f"not an nbgrader gradebook (missing tables: {', '.join(sorted(missing))})", where=url)
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
    return pd.DataFrame.from_records(rows, columns=["notebook", "cell", "max_score", "cell_class"])


def grades(conn: Connection, assignment: str) -> pd.DataFrame:
    """Every grade of every submission of ``assignment``, one row per candidate and cell."""
    rows = fetch(conn, GRADES_SQL, assignment=assignment)
    frame = pd.DataFrame.from_records(rows, columns=GRADE_COLUMNS)
    notes = pd.DataFrame.from_records(fetch(conn, COMMENTS_SQL, assignment=assignment),
                                      columns=["submitted_notebook", "cell", "auto_comment", "manual_comment"])
    frame = frame.merge(notes, on=["submitted_notebook", "cell"], how="left", sort=False).drop(
        columns="submitted_notebook")
    for col in ("auto_comment", "manual_comment"):
        values = frame[col].to_numpy(dtype=object, copy=True)
        values[pd.isna(values)] = None
        frame[col] = values
    for col in ("auto_score", "manual_score", "extra_credit"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    frame["needs_manual_grade"] = frame["needs_manual_grade"].astype(bool)
    codes, uniques = pd.factorize(frame["submitted_at"], use_na_sentinel=False)  # one per submission
    frame["submitted_at"] = np.asarray([_iso(None if u != u else u) for u in uniques] + [None], dtype=object)[codes]
    return frame


def students(conn: Connection) -> list[str]:
    """Every candidate id in the gradebook, sorted."""
    return sorted(r[0] for r in conn.execute(text("SELECT id FROM student")).fetchall())
