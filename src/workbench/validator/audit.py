"""The decisions' tables of the audit store: every decision version, never overwritten.

The store itself (where it is, the rubric imports it also holds) is :mod:`workbench.scores.records`.
A decision is recorded as a new version only when the hash of its inputs differs from the
candidate's latest version; earlier versions stay.
"""

from __future__ import annotations

from sqlalchemy import (Column, Engine, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint,
                        func, inspect, select, text)

from workbench.scores import records
from workbench.scores.gradebook import open_tables
from workbench.scores.records import utc_now
from workbench.validator.decisions import Decisions, canonical, sha256

META = MetaData()

THRESHOLDS = Table(
    "workbench_thresholds", META,
    Column("sha256", String(64), primary_key=True),
    Column("thresholds_json", Text, nullable=False),
)

SCORING = Table(  # the scoring rules (grading/scoring.yml) decisions were computed by
    "workbench_scoring", META,
    Column("sha256", String(64), primary_key=True),
    Column("scoring_json", Text, nullable=False),
)

DECISION = Table(
    "workbench_decision", META,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("candidate", String(128), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("inputs_sha256", String(64), nullable=False),
    Column("decision_sha256", String(64), nullable=False),
    Column("thresholds_sha256", String(64), ForeignKey("workbench_thresholds.sha256"), nullable=False),
    Column("rules_sha256", String(64), nullable=False),
    # NULL only in versions recorded before the scoring rule was recorded (points summed per criterion)
    Column("scoring_sha256", String(64), ForeignKey("workbench_scoring.sha256"), nullable=True),
    Column("decided_at", String(32), nullable=False),
    Column("source", Text, nullable=False),
    Column("decision_json", Text, nullable=False),
    Column("evidence_json", Text, nullable=False),
    UniqueConstraint("candidate", "version"),
)


def open_audit(url: str) -> Engine:
    """Open the audit store at ``url`` with the decisions' and the rubric imports' tables (created if needed)."""
    return open_tables(url, META, what="audit store", upgrade=_upgrade)


def _upgrade(engine: Engine) -> None:
    records.META.create_all(engine)
    _add_missing_columns(engine)


def _add_missing_columns(engine: Engine) -> None:
    """Bring an audit store created by an earlier version up to date (columns are only ever added)."""
    have = {c["name"] for c in inspect(engine).get_columns(DECISION.name)}
    if "scoring_sha256" not in have:
        with engine.begin() as conn:
            conn.execute(text(f"ALTER TABLE {DECISION.name} ADD COLUMN scoring_sha256 VARCHAR(64)"))


def latest_hashes(engine: Engine) -> dict[str, tuple[int, str]]:
    """candidate -> (latest version, its inputs hash)."""
    latest = (select(DECISION.c.candidate, func.max(DECISION.c.version).label("v"))
              .group_by(DECISION.c.candidate).subquery())
    q = select(DECISION.c.candidate, DECISION.c.version, DECISION.c.inputs_sha256).join(
        latest, (DECISION.c.candidate == latest.c.candidate) & (DECISION.c.version == latest.c.v))
    with engine.connect() as conn:
        return {c: (v, h) for c, v, h in conn.execute(q)}


def record(engine: Engine, decisions: Decisions, *, source: str, now: str | None = None,
           only: set[str] | None = None) -> dict[str, int]:
    """Record a new version for every candidate whose inputs changed; return counts.

    ``only``: record these candidates and no other (an appeal's regrade touches one candidate).
    All rows are written in one transaction: a failure records nothing.
    """
    now = now or utc_now()
    latest = latest_hashes(engine)
    thr_sha = sha256(decisions.thresholds_json)
    scoring_sha = sha256(decisions.scoring_json)
    rows = []
    for i, (cand, h) in enumerate(zip(decisions.candidates, decisions.inputs_sha256)):
        version, prev = latest.get(cand, (0, None))
        if prev == h or (only is not None and cand not in only):
            continue
        doc = canonical(decisions.document(i))
        rows.append({
            "candidate": cand, "version": version + 1, "inputs_sha256": h, "decision_sha256": sha256(doc),
            "thresholds_sha256": thr_sha, "rules_sha256": decisions.rules_sha256, "scoring_sha256": scoring_sha,
            "decided_at": now,
            "source": source, "decision_json": doc, "evidence_json": canonical(decisions.evidence(i)),
        })
    with engine.begin() as conn:
        known = conn.execute(select(THRESHOLDS.c.sha256).where(THRESHOLDS.c.sha256 == thr_sha)).first()
        if rows and known is None:
            conn.execute(THRESHOLDS.insert(), [{"sha256": thr_sha, "thresholds_json": decisions.thresholds_json}])
        known = conn.execute(select(SCORING.c.sha256).where(SCORING.c.sha256 == scoring_sha)).first()
        if rows and known is None:
            conn.execute(SCORING.insert(), [{"sha256": scoring_sha, "scoring_json": decisions.scoring_json}])
        if rows:
            conn.execute(DECISION.insert(), rows)
    considered = len(decisions.candidates) if only is None else len(only & set(decisions.candidates))
    return {"recorded": len(rows), "unchanged": considered - len(rows)}


def history(engine: Engine, candidate: str) -> list[dict]:
    """Every recorded version of ``candidate``'s decision, oldest first (``scoring_json`` None before it was recorded)."""
    q = (select(DECISION, THRESHOLDS.c.thresholds_json, SCORING.c.scoring_json)
         .join(THRESHOLDS, DECISION.c.thresholds_sha256 == THRESHOLDS.c.sha256)
         .outerjoin(SCORING, DECISION.c.scoring_sha256 == SCORING.c.sha256)
         .where(DECISION.c.candidate == candidate).order_by(DECISION.c.version))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]
