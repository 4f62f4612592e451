"""The audit store's place beside the gradebook, and the rubric levels recorded in it.

The audit store is one database of tables prefixed ``workbench_``: ``decisions.db`` next to a
SQLite ``gradebook.db``, or the gradebook's own server database. Each step adds its own tables
to it: here the rubric imports (who gave which level, and what it replaced: the gradebook keeps
only the latest), the marking store, the decision versions (:mod:`workbench.validator.audit`),
the jury's minutes. Records are only ever added.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Column, Engine, Float, ForeignKey, Integer, MetaData, String, Table, Text, select

from workbench.scores.gradebook import gradebook_url, open_tables

META = MetaData()

RUBRIC_IMPORT = Table(
    "workbench_rubric_import", META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("imported_at", String(32), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("gradebook", Text, nullable=False),
)

RUBRIC_GRADE = Table(
    "workbench_rubric_grade", META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("workbench_rubric_import.id"), nullable=False, index=True),
    Column("candidate", String(128), nullable=False),
    Column("criterion", String(16), nullable=False),
    Column("level", Float, nullable=False),
    Column("grader", Text),
    Column("comment", Text),
    Column("previous_json", Text, nullable=False),  # the manual scores and comments it replaced
)


def utc_now() -> str:
    """The current time, UTC, to the second (recorded beside a record, never inside it)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def default_audit_url(gradebook_url: str) -> str:
    """``decisions.db`` beside a SQLite gradebook; the gradebook's own database otherwise."""
    if gradebook_url.startswith("sqlite:///"):
        return f"sqlite:///{Path(gradebook_url[len('sqlite:///'):]).parent / 'decisions.db'}"
    return gradebook_url


def resolve_audit(gradebook: str | Path, audit: str | None) -> str:
    """The audit store's URL: the one given, or the default beside the gradebook."""
    if audit:
        return audit if "://" in audit else f"sqlite:///{Path(audit).resolve()}"
    return default_audit_url(gradebook_url(gradebook))


def audit_exists(url: str) -> bool:
    """Whether there is an audit store to read (a read must not create an empty SQLite file)."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):]).is_file()
    return "://" in url or Path(url).is_file()


def open_records(url: str) -> Engine:
    """Open the audit store at ``url`` with the rubric tables (created if needed)."""
    return open_tables(url, META, what="audit store")


def rubric_provenance(engine: Engine) -> dict[tuple[str, str], dict]:
    """(candidate, criterion) -> grader and time of the latest imported rubric level."""
    q = (select(RUBRIC_GRADE.c.candidate, RUBRIC_GRADE.c.criterion, RUBRIC_GRADE.c.grader,
                RUBRIC_IMPORT.c.imported_at, RUBRIC_GRADE.c.id)
         .join(RUBRIC_IMPORT, RUBRIC_GRADE.c.import_id == RUBRIC_IMPORT.c.id).order_by(RUBRIC_GRADE.c.id))
    with engine.connect() as conn:
        return {(c, k): {"grader": g or None, "at": at} for c, k, g, at, _ in conn.execute(q)}
