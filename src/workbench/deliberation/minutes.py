"""The minutes (procès-verbal) of a jury session: content from the audit store, frozen by the hash of its inputs.

The content is everything the document shows, as canonical JSON: the session, date and place, the
jury's composition, each candidate's latest decision version per block, the thresholds in force.
Its sha256 is the version's identity: the same inputs give the same version (nothing recorded);
different inputs need a reason and make a new version, which states that reason and what changed.
"""

from __future__ import annotations

import json

from sqlalchemy import Engine, select

from workbench.deliberation.panel import Panel
from workbench.deliberation.store import MINUTES, latest_decisions
from workbench.errors import InputError
from workbench.scores.records import utc_now
from workbench.validator.decisions import canonical, sha256

FIRST = "first version"


def minutes_content(engine: Engine, *, panel: Panel, names: dict[str, str], course: str | None,
                    exception: str | None, where: str) -> dict:
    """What the minutes of ``panel.session`` show; refuses a store with no decision."""
    latest = latest_decisions(engine)
    if not latest:
        raise InputError(f"no recorded decision for session {panel.session}: run `workbench validate` first", where=where)
    candidates, thresholds, rules = [], {}, set()
    for row in latest:
        doc = json.loads(row["decision_json"])
        cert = doc["certification"]
        candidates.append({"candidate": row["candidate"], "name": names.get(row["candidate"], ""),
                           "decision_version": row["version"], "decision_sha256": row["decision_sha256"],
                           "decided_at": row["decided_at"], "blocks": doc["blocks"], "status": cert["status"],
                           "validated_blocks": cert["validated_blocks"]})
        thresholds[row["thresholds_sha256"]] = json.loads(row["thresholds_json"])
        rules.add(row["rules_sha256"])
    return {"session": panel.session, "date": panel.date.isoformat(), "place": panel.place, "course": course,
            "panel": panel.as_dict(), "composition_exception": exception, "candidates": candidates,
            "thresholds": [{"sha256": k, "values": v} for k, v in sorted(thresholds.items())],
            "rules_sha256": sorted(rules)}


def changes(previous: dict | None, content: dict) -> list[str]:
    """What differs from the previous version: candidates' decision versions, the jury, date or place."""
    if previous is None:
        return []
    out = []
    before = {c["candidate"]: c for c in previous["candidates"]}
    now = {c["candidate"]: c for c in content["candidates"]}
    for cand in sorted(set(before) | set(now)):
        b, n = before.get(cand), now.get(cand)
        if b is None:
            out.append(f"{cand}: added (decision v{n['decision_version']})")
        elif n is None:
            out.append(f"{cand}: removed")
        elif b["decision_version"] != n["decision_version"]:
            moved = [f"{blk} {b['blocks'][blk]} → {n['blocks'][blk]}" for blk in n["blocks"]
                     if b["blocks"].get(blk) != n["blocks"][blk]]
            out.append(f"{cand}: decision v{b['decision_version']} → v{n['decision_version']}"
                       + (f" ({', '.join(moved)})" if moved else ""))
    for key in ("panel", "date", "place", "composition_exception", "thresholds", "course"):
        if previous.get(key) != content.get(key):
            out.append(f"{key} changed")
    names_changed = any(before[c]["name"] != now[c]["name"] for c in set(before) & set(now))
    return out + (["names changed"] if names_changed else [])


def record_minutes(engine: Engine, content: dict, *, reason: str | None, now: str | None = None) -> dict:
    """Record ``content`` as the session's next version unless it is the latest one already.

    Returns the version as a dict (``version``, ``reason``, ``created_at``, ``inputs_sha256``,
    ``changes``, ``new``). A change without a reason raises InputError and records nothing.
    """
    session = content["session"]
    text = canonical(content)
    digest = sha256(text)
    with engine.begin() as conn:
        last = conn.execute(select(MINUTES).where(MINUTES.c.session == session)
                            .order_by(MINUTES.c.version.desc()).limit(1)).first()
        if last is not None and last.inputs_sha256 == digest:
            prev = _previous(conn, session, last.version)
            return {"version": last.version, "reason": last.reason, "created_at": last.created_at,
                    "inputs_sha256": digest, "changes": changes(prev, content), "new": False}
        previous = json.loads(last.content_json) if last is not None else None
        if last is not None and not (reason and reason.strip()):
            diff = "; ".join(changes(previous, content)[:5]) or "content changed"
            raise InputError(f"the minutes of session {session} (version {last.version}) are frozen and their "
                             f"inputs changed ({diff}): give --reason to make version {last.version + 1}",
                             where="workbench minutes")
        version = (last.version if last is not None else 0) + 1
        row = {"session": session, "version": version, "inputs_sha256": digest, "created_at": now or utc_now(),
               "reason": reason.strip() if last is not None else (reason or FIRST).strip(), "content_json": text}
        conn.execute(MINUTES.insert(), [row])
    return {**{k: row[k] for k in ("version", "reason", "created_at", "inputs_sha256")},
            "changes": changes(previous, content), "new": True}


def _previous(conn, session: str, version: int) -> dict | None:
    if version <= 1:
        return None
    row = conn.execute(select(MINUTES.c.content_json).where((MINUTES.c.session == session)
                                                            & (MINUTES.c.version == version - 1))).first()
    return json.loads(row[0]) if row else None


def minutes_versions(engine: Engine, session: str) -> list[dict]:
    """Every version of a session's minutes, oldest first (without the content)."""
    q = (select(MINUTES.c.version, MINUTES.c.created_at, MINUTES.c.reason, MINUTES.c.inputs_sha256)
         .where(MINUTES.c.session == session).order_by(MINUTES.c.version))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]

