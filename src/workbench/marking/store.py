"""The marking tables of the audit store: every level, marker, moderation and outcome, never overwritten.

They live beside the validator's tables (``decisions.db`` next to a SQLite gradebook, or the
gradebook's server database), in their own ``workbench_marking_*`` tables. The current state of
a cell is its latest outcome row; earlier rows stay as its history. Every row belongs to one
gradebook (its URL, without a password): an audit store kept across rebuilt courses (the demo's)
holds each course's marking apart.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from sqlalchemy import (Column, Engine, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint,
                        func, make_url, select)

from workbench.scores.gradebook import gradebook_url, open_tables

META = MetaData()

IMPORT = Table(
    "workbench_marking_import", META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # "levels" or "moderation"
    Column("person", String(128), nullable=False),  # the marker or the moderator
    Column("imported_at", String(32), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("gradebook", Text, nullable=False),
)

LEVEL = Table(  # one marker's level on one rubric cell (candidate × criterion)
    "workbench_marking_level", META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("workbench_marking_import.id"), nullable=False, index=True),
    Column("line", Integer, nullable=False),
    Column("gradebook", Text, nullable=False),
    Column("candidate", String(128), nullable=False),
    Column("criterion", String(16), nullable=False),
    Column("marker", String(128), nullable=False),
    Column("level", Integer, nullable=False),
    Column("comment", Text),
    UniqueConstraint("gradebook", "candidate", "criterion", "marker"),
)

MODERATION = Table(
    "workbench_marking_moderation", META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("workbench_marking_import.id"), nullable=False, index=True),
    Column("line", Integer, nullable=False),
    Column("gradebook", Text, nullable=False),
    Column("candidate", String(128), nullable=False),
    Column("criterion", String(16), nullable=False),
    Column("moderator", String(128), nullable=False),
    Column("level", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("levels_json", Text, nullable=False),  # the markers' levels it decided between
    UniqueConstraint("gradebook", "candidate", "criterion"),
)

OUTCOME = Table(  # appended whenever a cell's status or final level changes
    "workbench_marking_outcome", META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("workbench_marking_import.id"), nullable=False, index=True),
    Column("gradebook", Text, nullable=False, index=True),
    Column("candidate", String(128), nullable=False),
    Column("criterion", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    Column("level", Integer),
    Column("rule", String(64)),
    Column("levels_json", Text, nullable=False),  # {marker: level} that fed it (and the moderator's)
    Column("rule_json", Text, nullable=False),  # the marking rule in force
)

Key = tuple[str, str]  # (candidate, criterion)


def scope(gradebook: str | Path) -> str:
    """The gradebook a row belongs to: its SQLAlchemy URL, the password hidden."""
    return make_url(gradebook_url(gradebook)).render_as_string(hide_password=True)


def open_store(url: str) -> Engine:
    """Open (and create if needed) the marking tables at ``url`` (a URL or a SQLite file path)."""
    return open_tables(url, META, what="marking store")


def marks(engine: Engine, gradebook: str) -> pd.DataFrame:
    """Every marker's level on ``gradebook`` (a :func:`scope`): candidate, criterion, marker, level."""
    q = (select(LEVEL.c.candidate, LEVEL.c.criterion, LEVEL.c.marker, LEVEL.c.level)
         .where(LEVEL.c.gradebook == gradebook).order_by(LEVEL.c.id))
    with engine.connect() as conn:
        rows = conn.execute(q).fetchall()
    return pd.DataFrame(rows, columns=["candidate", "criterion", "marker", "level"]).astype({"level": int})


def marks_of(engine: Engine, gradebook: str, keys: set[Key]) -> dict[Key, dict[str, dict]]:
    """(candidate, criterion) -> marker -> {level, comment, import_id} for the cells ``keys``."""
    out: dict[Key, dict[str, dict]] = {}
    cands = sorted({c for c, _ in keys})
    q = select(LEVEL).where(LEVEL.c.gradebook == gradebook, LEVEL.c.candidate.in_(cands)).order_by(LEVEL.c.id)
    with engine.connect() as conn:
        for r in conn.execute(q):
            if (r.candidate, r.criterion) in keys:
                out.setdefault((r.candidate, r.criterion), {})[r.marker] = {
                    "level": r.level, "comment": r.comment, "import_id": r.import_id}
    return out


def moderations(engine: Engine, gradebook: str) -> dict[Key, dict]:
    """(candidate, criterion) -> the moderation: moderator, level, reason."""
    with engine.connect() as conn:
        return {(r.candidate, r.criterion): {"moderator": r.moderator, "level": r.level, "reason": r.reason}
                for r in conn.execute(select(MODERATION).where(MODERATION.c.gradebook == gradebook))}


def latest_outcomes(engine: Engine, gradebook: str) -> dict[Key, dict]:
    """(candidate, criterion) -> its latest outcome: status, level, rule, levels (the current state)."""
    last = (select(func.max(OUTCOME.c.id).label("id")).where(OUTCOME.c.gradebook == gradebook)
            .group_by(OUTCOME.c.candidate, OUTCOME.c.criterion).subquery())
    q = select(OUTCOME).join(last, OUTCOME.c.id == last.c.id)
    with engine.connect() as conn:
        return {(r.candidate, r.criterion): {"status": r.status, "level": r.level, "rule": r.rule,
                                             "levels": json.loads(r.levels_json)} for r in conn.execute(q)}


def awaiting_moderation(engine: Engine, gradebook: str) -> set[Key]:
    """The cells whose latest outcome is *awaiting moderation*."""
    return {k for k, o in latest_outcomes(engine, gradebook).items() if o["status"] == "awaiting_moderation"}


def provenance(engine: Engine, gradebook: str) -> dict[Key, dict]:
    """(candidate, criterion) -> the levels that fed its current state, for a decision's evidence."""
    mods = moderations(engine, gradebook)
    out = {}
    for key, o in latest_outcomes(engine, gradebook).items():
        entry = {"marking": o["status"], "marks": o["levels"], "final_rule": o["rule"]}
        if key in mods:
            entry["moderation"] = mods[key]
        out[key] = entry
    return out


def history(engine: Engine, gradebook: str, candidate: str) -> list[dict]:
    """Every outcome row of ``candidate``'s cells, oldest first (the audit trail of its levels)."""
    q = (select(OUTCOME, IMPORT.c.kind, IMPORT.c.person, IMPORT.c.imported_at, IMPORT.c.file_name)
         .join(IMPORT, OUTCOME.c.import_id == IMPORT.c.id)
         .where(OUTCOME.c.gradebook == gradebook, OUTCOME.c.candidate == candidate)
         .order_by(OUTCOME.c.id))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]
