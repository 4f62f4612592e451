"""A durable job journal (sqlite, in the course folder) so an interrupted batch resumes.

A submission is marked done only after its grades are committed to the gradebook, so after a
``kill -9`` a re-run regrades exactly the submissions that were not finished.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    assignment TEXT NOT NULL,
    student TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,            -- pending | done
    status TEXT,                    -- see outcome.SEVERITY
    detail TEXT,
    score REAL,
    max_score REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    infra_retries INTEGER NOT NULL DEFAULT 0,
    seconds REAL,
    updated REAL NOT NULL,
    PRIMARY KEY (assignment, student)
);
"""


@dataclass
class Entry:
    """One submission's row in the journal."""

    student: str
    fingerprint: str
    state: str
    status: str | None
    detail: str | None
    score: float | None
    max_score: float | None
    infra_retries: int


class Journal:
    """The job journal of one course."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)

    def entries(self, assignment: str) -> dict[str, Entry]:
        rows = self.db.execute(
            "SELECT student, fingerprint, state, status, detail, score, max_score, infra_retries "
            "FROM jobs WHERE assignment = ?", (assignment,))
        return {r[0]: Entry(*r) for r in rows}

    def start(self, assignment: str, student: str, fingerprint: str) -> None:
        """Record that grading of a submission began (attempts + 1)."""
        self.db.execute(
            "INSERT INTO jobs (assignment, student, fingerprint, state, updated, attempts) "
            "VALUES (?, ?, ?, 'pending', ?, 1) ON CONFLICT (assignment, student) DO UPDATE SET "
            "fingerprint = excluded.fingerprint, state = 'pending', updated = excluded.updated, "
            "attempts = attempts + 1", (assignment, student, fingerprint, time.time()))

    def finish(self, assignment: str, student: str, *, status: str, detail: str, score: float | None,
               max_score: float | None, infra_retries: int, seconds: float, done: bool = True) -> None:
        """Record the outcome; ``done=False`` keeps the submission pending (infrastructure failure)."""
        self.db.execute(
            "UPDATE jobs SET state = ?, status = ?, detail = ?, score = ?, max_score = ?, "
            "infra_retries = infra_retries + ?, seconds = ?, updated = ? "
            "WHERE assignment = ? AND student = ?",
            ("done" if done else "pending", status, detail, score, max_score, infra_retries, seconds,
             time.time(), assignment, student))

    def close(self) -> None:
        self.db.close()
