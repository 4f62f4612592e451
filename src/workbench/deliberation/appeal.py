"""Appeals (recours): open one, freeze its evidence, regrade under a new version with a reason, record the answer.

What a candidate appeals is the jury's deliberation, so what it rests on is frozen when the appeal
opens: a read-only copy of the submitted and autograded notebooks with their sha256, and, in the
audit store, the contested decision version with its evidence (every cell's points, the rubric
levels and comments, the jury's results). A later autograde writes the course folder and the
gradebook, never the copy nor the record; :func:`verify` proves it by the hashes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
from pathlib import Path

from sqlalchemy import Engine, select

from workbench.deliberation.store import APPEAL, APPEAL_EVENT
from workbench.errors import InputError
from workbench.scores.records import utc_now
from workbench.validator.audit import DECISION, record
from workbench.validator.decisions import Decisions, canonical, sha256

OUTCOMES = ("upheld", "amended", "rejected")  # the decision stands / is changed / the appeal is not admissible


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _latest_version(conn, candidate: str) -> dict | None:
    row = conn.execute(select(DECISION.c.version, DECISION.c.decision_json, DECISION.c.evidence_json,
                              DECISION.c.decision_sha256)
                       .where(DECISION.c.candidate == candidate).order_by(DECISION.c.version.desc()).limit(1)).first()
    return dict(row._mapping) if row else None


def _need(text: str | None, what: str) -> str:
    if not (text and text.strip()):
        raise InputError(f"{what} is required and cannot be empty", where="workbench appeal")
    return text.strip()


def _copy_notebooks(course_dir: Path, candidate: str, dest: Path) -> dict[str, str]:
    """Copy the candidate's submitted/ and autograded/ folders into ``dest``, read-only; return path -> sha256."""
    manifest = {}
    for part in ("submitted", "autograded"):
        src = course_dir / part / candidate
        if not src.is_dir():
            continue
        for path in sorted(p for p in src.rglob("*") if p.is_file()):
            rel = Path(part) / path.relative_to(src)
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            manifest[rel.as_posix()] = _file_sha256(target)
    return manifest


def open_appeal(engine: Engine, *, candidate: str, reason: str, course_dir: Path | None, evidence_root: Path,
                now: str | None = None) -> dict:
    """Open an appeal against ``candidate``'s latest decision and freeze its evidence; return the appeal.

    Raises
    ------
    InputError
        An unknown candidate (no recorded decision) or an empty reason; nothing is recorded or copied.
    """
    reason = _need(reason, "the appeal's reason")
    now = now or utc_now()
    with engine.begin() as conn:
        latest = _latest_version(conn, candidate)
        if latest is None:
            raise InputError(f"unknown candidate {candidate!r}: no recorded decision to appeal",
                             where="workbench appeal open")
        appeal_id = conn.execute(APPEAL.insert().values(
            candidate=candidate, opened_at=now, reason=reason, decision_version=latest["version"], state="open",
            evidence_dir="", frozen_json="{}", frozen_sha256="")).inserted_primary_key[0]
        dest = evidence_root / f"appeal-{appeal_id}-{candidate}"
        if dest.exists():
            raise InputError("evidence folder already exists; choose another --evidence-dir", where=str(dest))
        try:
            files = _copy_notebooks(course_dir, candidate, dest) if course_dir else {}
            frozen = {"candidate": candidate, "decision_version": latest["version"],
                      "decision_sha256": latest["decision_sha256"], "decision": json.loads(latest["decision_json"]),
                      "evidence": json.loads(latest["evidence_json"]), "files": files}
            text = canonical(frozen)
            dest.mkdir(parents=True, exist_ok=True)
            (dest / "frozen.json").write_text(text + "\n", encoding="utf-8")
            (dest / "frozen.json").chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        except BaseException:
            _remove_tree(dest)  # the transaction rolls back: leave no half-frozen copy either
            raise
        conn.execute(APPEAL.update().where(APPEAL.c.id == appeal_id).values(
            evidence_dir=str(dest), frozen_json=text, frozen_sha256=sha256(text)))
        conn.execute(APPEAL_EVENT.insert().values(appeal_id=appeal_id, at=now, kind="opened", reason=reason,
                                                  decision_version=latest["version"],
                                                  detail_json=canonical({"files": len(files)})))
    return get_appeal(engine, appeal_id)


def _remove_tree(path: Path) -> None:
    if path.exists():
        for p in path.rglob("*"):
            p.chmod(0o700 if p.is_dir() else 0o600)
        shutil.rmtree(path)


def get_appeal(engine: Engine, appeal_id: int) -> dict:
    """An appeal and its events; an unknown id raises InputError."""
    with engine.connect() as conn:
        row = conn.execute(select(APPEAL).where(APPEAL.c.id == appeal_id)).first()
        if row is None:
            raise InputError(f"no appeal {appeal_id}", where="workbench appeal")
        events = conn.execute(select(APPEAL_EVENT).where(APPEAL_EVENT.c.appeal_id == appeal_id)
                              .order_by(APPEAL_EVENT.c.id)).fetchall()
    return {**dict(row._mapping), "events": [dict(e._mapping) for e in events]}


def appeals_of(engine: Engine, candidate: str) -> list[dict]:
    """Every appeal of ``candidate``, oldest first, with its events."""
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(APPEAL.c.id).where(APPEAL.c.candidate == candidate)
                                          .order_by(APPEAL.c.id))]
    return [get_appeal(engine, i) for i in ids]


def _open(engine: Engine, appeal_id: int) -> dict:
    appeal = get_appeal(engine, appeal_id)
    if appeal["state"] != "open":
        raise InputError(f"appeal {appeal_id} is closed (answered); open a new appeal", where="workbench appeal")
    return appeal


def regrade(engine: Engine, appeal_id: int, *, decisions: Decisions, reason: str, now: str | None = None) -> dict:
    """Decide the appealing candidate again from the current gradebook (after re-marking) and record it.

    A new decision version is recorded, with the appeal and its reason as its source, when the
    re-marking changed its inputs; otherwise the contested version is confirmed. Either way the
    step is an event of the appeal. Returns the event.
    """
    reason = _need(reason, "the regrade's reason")
    appeal = _open(engine, appeal_id)
    cand = appeal["candidate"]
    if cand not in decisions.candidates:
        raise InputError(f"candidate {cand!r} is not in the gradebook any more", where="workbench appeal regrade")
    now = now or utc_now()
    counts = record(engine, decisions, source=f"appeal {appeal_id}: {reason}", now=now, only={cand})
    with engine.begin() as conn:
        latest = _latest_version(conn, cand)
        before = json.loads(appeal["frozen_json"])["decision"]
        after = json.loads(latest["decision_json"])
        moved = {b: [before["blocks"][b], s] for b, s in after["blocks"].items() if before["blocks"].get(b) != s}
        detail = {"new_version": bool(counts["recorded"]), "blocks_changed": moved}
        conn.execute(APPEAL_EVENT.insert().values(appeal_id=appeal_id, at=now, kind="regrade", reason=reason,
                                                  decision_version=latest["version"], detail_json=canonical(detail)))
    return get_appeal(engine, appeal_id)["events"][-1]


def answer(engine: Engine, appeal_id: int, *, outcome: str, text: str, now: str | None = None) -> dict:
    """Record the jury's answer and close the appeal; ``amended`` needs a regrade that changed the decision."""
    text = _need(text, "the jury's answer")
    if outcome not in OUTCOMES:
        raise InputError(f"unknown outcome {outcome!r} (one of {', '.join(OUTCOMES)})", where="workbench appeal answer")
    appeal = _open(engine, appeal_id)
    now = now or utc_now()
    with engine.begin() as conn:
        latest = _latest_version(conn, appeal["candidate"])
        if outcome == "amended" and latest["version"] == appeal["decision_version"]:
            raise InputError(f"appeal {appeal_id}: 'amended' but the decision is still version "
                             f"{appeal['decision_version']}; regrade first", where="workbench appeal answer")
        conn.execute(APPEAL_EVENT.insert().values(appeal_id=appeal_id, at=now, kind="answer", reason=text,
                                                  decision_version=latest["version"],
                                                  detail_json=canonical({"outcome": outcome})))
        conn.execute(APPEAL.update().where(APPEAL.c.id == appeal_id).values(state="closed"))
    return get_appeal(engine, appeal_id)


def verify(appeal: dict) -> list[str]:
    """Faults of an appeal's frozen evidence: a copied file changed or missing, the record altered. [] = intact."""
    faults = []
    if sha256(appeal["frozen_json"]) != appeal["frozen_sha256"]:
        faults.append("the frozen record does not match its hash")
    frozen = json.loads(appeal["frozen_json"])
    root = Path(appeal["evidence_dir"])
    for rel, digest in sorted(frozen.get("files", {}).items()):
        path = root / rel
        if not path.is_file():
            faults.append(f"{rel}: missing")
        elif _file_sha256(path) != digest:
            faults.append(f"{rel}: changed since the appeal was opened")
    return faults
