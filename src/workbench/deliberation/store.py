"""The deliberation's tables, in the audit store beside the decisions (never overwritten, only added to).

``workbench_minutes``: every version of a session's minutes, with the hash of its content and why
it was made. ``workbench_appeal`` and ``workbench_appeal_event``: an appeal, its frozen evidence
(manifest of copied files with their sha256, the decision version it contests) and each step.
``workbench_purge``: what a purge removed, by pseudonym.
"""

from __future__ import annotations

from sqlalchemy import Column, Engine, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint, func, select

from workbench.validator.audit import DECISION, THRESHOLDS, open_audit

META = MetaData()

MINUTES = Table(
    "workbench_minutes", META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session", String(64), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("inputs_sha256", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("reason", Text, nullable=False),  # "first version" or why a later version was made
    Column("content_json", Text, nullable=False),  # everything the document shows, canonical JSON
    UniqueConstraint("session", "version"),
)

APPEAL = Table(
    "workbench_appeal", META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("candidate", String(128), nullable=False, index=True),
    Column("opened_at", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decision_version", Integer, nullable=False),  # the decision version it contests
    Column("state", String(16), nullable=False),  # open | closed
    Column("evidence_dir", Text, nullable=False),
    Column("frozen_json", Text, nullable=False),  # decision, evidence (grades, levels), file manifest
    Column("frozen_sha256", String(64), nullable=False),
)

APPEAL_EVENT = Table(
    "workbench_appeal_event", META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("appeal_id", Integer, ForeignKey("workbench_appeal.id"), nullable=False, index=True),
    Column("at", String(32), nullable=False),
    Column("kind", String(16), nullable=False),  # opened | regrade | answer
    Column("reason", Text, nullable=False),
    Column("decision_version", Integer),
    Column("detail_json", Text, nullable=False),
)

PURGE = Table(
    "workbench_purge", META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("pseudonym", String(64), nullable=False),
    Column("retention_years", Integer, nullable=False),
    Column("removed_json", Text, nullable=False),
)


def open_store(url: str) -> Engine:
    """The audit store at ``url`` with the deliberation's tables created if needed."""
    engine = open_audit(url)
    META.create_all(engine)
    return engine


def latest_decisions(engine: Engine) -> list[dict]:
    """The latest decision version of every candidate, sorted by candidate, with its thresholds."""
    latest = (select(DECISION.c.candidate, func.max(DECISION.c.version).label("v"))
              .group_by(DECISION.c.candidate).subquery())
    q = (select(DECISION.c.candidate, DECISION.c.version, DECISION.c.decided_at, DECISION.c.decision_sha256,
                DECISION.c.inputs_sha256, DECISION.c.decision_json, DECISION.c.evidence_json,
                DECISION.c.rules_sha256, DECISION.c.thresholds_sha256, THRESHOLDS.c.thresholds_json)
         .join(latest, (DECISION.c.candidate == latest.c.candidate) & (DECISION.c.version == latest.c.v))
         .join(THRESHOLDS, DECISION.c.thresholds_sha256 == THRESHOLDS.c.sha256)
         .order_by(DECISION.c.candidate))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def open_appeals(engine: Engine) -> dict[str, list[int]]:
    """Candidate -> ids of its open appeals."""
    q = select(APPEAL.c.candidate, APPEAL.c.id).where(APPEAL.c.state == "open").order_by(APPEAL.c.id)
    with engine.connect() as conn:
        out: dict[str, list[int]] = {}
        for cand, aid in conn.execute(q):
            out.setdefault(cand, []).append(aid)
        return out
