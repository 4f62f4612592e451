"""Set-based reads of an nbgrader gradebook (SQLite file or any SQLAlchemy URL).

We query nbgrader's tables directly: one query for the assignment's graded cells,
one for every grade of every candidate. nbgrader's ``Gradebook`` objects issue
several queries per candidate, which is what makes a cohort slow.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

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

# Comments live on the solution cell of the same name (a manually graded answer is a
# grade cell *and* a solution cell) or on the task cell itself.
GRADES_SQL = """
SELECT sa.student_id AS candidate, nb.name AS notebook, bc.name AS cell,
       g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade,
       COALESCE(c2.auto_comment, c1.auto_comment) AS auto_comment,
       COALESCE(c2.manual_comment, c1.manual_comment) AS manual_comment,
       sa.timestamp AS submitted_at
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN base_cell bc ON g.cell_id = bc.id
JOIN notebook nb ON bc.notebook_id = nb.id
LEFT JOIN comment c1 ON c1.notebook_id = sn.id AND c1.cell_id = bc.id
LEFT JOIN base_cell sc ON sc.notebook_id = bc.notebook_id AND sc.name = bc.name AND sc.type = 'SolutionCell'
LEFT JOIN comment c2 ON c2.notebook_id = sn.id AND c2.cell_id = sc.id
WHERE a.name = :assignment
"""

GRADE_COLUMNS = ["candidate", "notebook", "cell", "auto_score", "manual_score", "extra_credit",
                 "needs_manual_grade", "auto_comment", "manual_comment", "submitted_at"]


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


def _iso(value: object) -> str | None:
    """A timestamp as ISO text; SQLite returns text, PostgreSQL a datetime."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def graded_cells(conn: Connection, assignment: str) -> pd.DataFrame:
    """The assignment's graded cells (grade cells and task cells) with their max points."""
    rows = conn.execute(text(GRADED_CELLS_SQL), {"assignment": assignment}).fetchall()
    return pd.DataFrame.from_records(rows, columns=["notebook", "cell", "max_score", "cell_class"])


def grades(conn: Connection, assignment: str) -> pd.DataFrame:
    """Every grade of every submission of ``assignment``, one row per candidate and cell."""
    rows = conn.execute(text(GRADES_SQL), {"assignment": assignment}).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=GRADE_COLUMNS)
    for col in ("auto_score", "manual_score", "extra_credit"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    frame["needs_manual_grade"] = frame["needs_manual_grade"].astype(bool)
    frame["submitted_at"] = [_iso(v) for v in frame["submitted_at"]]
    return frame


def students(conn: Connection) -> list[str]:
    """Every candidate id in the gradebook, sorted."""
    return sorted(r[0] for r in conn.execute(text("SELECT id FROM student")).fetchall())
