"""Retention: remove candidates' personal data past the period of ``grading/deliberation.yml``, keep decisions.

A candidate is due when its latest decision is older than the retention period. A purge refuses
to run, changing nothing, when a due candidate has an open appeal (its evidence must stay). For
each due candidate it:

- deletes its notebooks in the course folder (``submitted/``, ``autograded/``, ``feedback/``) and the
  frozen copies of its closed appeals;
- blanks its names and e-mail in the gradebook;
- replaces its id by a random pseudonym everywhere in the audit store (decisions, rubric imports,
  appeals, minutes) and drops free text about it (graders' comments, check messages); the
  decisions, their scores and the hashes recorded at the time stay;
- logs the purge (pseudonym, time, what was removed) in ``workbench_purge``.

No table maps a pseudonym back to the id: the holders' export is made before the purge.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import shutil
from pathlib import Path

from sqlalchemy import Engine, select, text, update

from workbench.deliberation.store import APPEAL, MINUTES, PURGE, latest_decisions, open_appeals
from workbench.errors import InputError
from workbench.scores.records import RUBRIC_GRADE, utc_now
from workbench.validator.audit import DECISION
from workbench.validator.decisions import canonical

FREE_TEXT = ("comment", "messages")


def _plus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def due(engine: Engine, *, years: int, today: dt.date) -> list[dict]:
    """Candidates whose latest decision is older than ``years`` (not yet pseudonymised), with that date."""
    out = []
    for row in latest_decisions(engine):
        decided = dt.date.fromisoformat(row["decided_at"][:10])
        if row["candidate"].startswith("purged-"):
            continue
        if _plus_years(decided, years) <= today:
            out.append({"candidate": row["candidate"], "decided_at": row["decided_at"]})
    return out


def check_no_open_appeal(engine: Engine, candidates: list[str]) -> None:
    """Refuse a purge that would touch a candidate with an open appeal."""
    blocked = {c: ids for c, ids in open_appeals(engine).items() if c in set(candidates)}
    if blocked:
        listed = ", ".join(f"{c} (appeal {', '.join(map(str, ids))})" for c, ids in sorted(blocked.items()))
        raise InputError(f"purge refused, nothing removed: open appeal for {listed}; answer it first",
                         where="workbench purge")


def _scrub(doc: object, candidate: str, pseudonym: str) -> object:
    """A JSON document with the id replaced and free text about the candidate dropped."""
    if isinstance(doc, dict):
        return {k: _scrub(v, candidate, pseudonym) for k, v in doc.items() if k not in FREE_TEXT}
    if isinstance(doc, list):
        return [_scrub(v, candidate, pseudonym) for v in doc]
    return pseudonym if doc == candidate else doc


def _scrub_minutes(content: dict, candidate: str, pseudonym: str) -> dict:
    for row in content.get("candidates", []):
        if row["candidate"] == candidate:
            row["candidate"], row["name"] = pseudonym, ""
    return content


def _pseudonymise(conn, candidate: str, pseudonym: str) -> dict[str, int]:
    """Rewrite every audit row about ``candidate``; return how many rows of each kind."""
    counts = {"decisions": 0, "rubric_grades": 0, "appeals": 0, "minutes": 0}
    for row in conn.execute(select(DECISION.c.id, DECISION.c.decision_json, DECISION.c.evidence_json)
                            .where(DECISION.c.candidate == candidate)).fetchall():
        conn.execute(update(DECISION).where(DECISION.c.id == row.id).values(
            candidate=pseudonym, decision_json=canonical(_scrub(json.loads(row.decision_json), candidate, pseudonym)),
            evidence_json=canonical(_scrub(json.loads(row.evidence_json), candidate, pseudonym))))
        counts["decisions"] += 1
    counts["rubric_grades"] = conn.execute(update(RUBRIC_GRADE).where(RUBRIC_GRADE.c.candidate == candidate)
                                           .values(candidate=pseudonym, comment=None, previous_json="{}")).rowcount
    for row in conn.execute(select(APPEAL.c.id, APPEAL.c.frozen_json).where(APPEAL.c.candidate == candidate)).fetchall():
        conn.execute(update(APPEAL).where(APPEAL.c.id == row.id).values(
            candidate=pseudonym, evidence_dir="(purged)",
            frozen_json=canonical(_scrub(json.loads(row.frozen_json), candidate, pseudonym))))
        counts["appeals"] += 1
    for row in conn.execute(select(MINUTES.c.id, MINUTES.c.content_json)).fetchall():
        content = json.loads(row.content_json)
        if any(c["candidate"] == candidate for c in content.get("candidates", [])):
            conn.execute(update(MINUTES).where(MINUTES.c.id == row.id).values(
                content_json=canonical(_scrub_minutes(content, candidate, pseudonym))))
            counts["minutes"] += 1
    return counts


def _remove_files(course_dir: Path | None, candidate: str, evidence_dirs: list[str]) -> int:
    """Delete the candidate's notebooks and frozen copies; return the number of files removed."""
    folders = [course_dir / part / candidate for part in ("submitted", "autograded", "feedback")] if course_dir else []
    folders += [Path(d) for d in evidence_dirs if d and d != "(purged)"]
    removed = 0
    for folder in folders:
        if folder.is_dir():
            for p in folder.rglob("*"):
                p.chmod(0o700 if p.is_dir() else 0o600)  # frozen copies are read-only
                removed += p.is_file()
            shutil.rmtree(folder)
    return removed


def purge(audit: Engine, gradebook: Engine | None, *, candidates: list[str], course_dir: Path | None, years: int,
          now: str | None = None) -> list[dict]:
    """Purge ``candidates`` (already checked due); return one log entry per candidate (pseudonym, counts)."""
    check_no_open_appeal(audit, candidates)
    now = now or utc_now()
    if gradebook is not None:  # first: blanking names twice is harmless, an id lost before it is not
        with gradebook.begin() as conn:
            for cand in candidates:
                conn.execute(text("UPDATE student SET first_name = NULL, last_name = NULL, email = NULL "
                                  "WHERE id = :id"), {"id": cand})
    log = []
    with audit.begin() as conn:
        for cand in candidates:
            evidence = [r[0] for r in conn.execute(select(APPEAL.c.evidence_dir).where(APPEAL.c.candidate == cand))]
            pseudonym = f"purged-{secrets.token_hex(8)}"
            counts = _pseudonymise(conn, cand, pseudonym)
            log.append({"candidate": cand, "pseudonym": pseudonym, "counts": counts, "evidence": evidence})
        conn.execute(PURGE.insert(), [{"at": now, "pseudonym": e["pseudonym"], "retention_years": years,
                                       "removed_json": canonical(e["counts"])} for e in log])
    for e in log:
        e["counts"]["files"] = _remove_files(course_dir, e["candidate"], e.pop("evidence"))
    return log
