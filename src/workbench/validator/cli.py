"""``workbench validate``, and the decision-history tables ``workbench history`` prints (deliberation/cli.py)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from workbench.options import decision_inputs
from workbench.scores.records import resolve_audit
from workbench.validator.audit import open_audit, record
from workbench.validator.run import build_decisions


@click.command("validate")
@decision_inputs
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write all decisions as canonical JSON (byte-identical for identical inputs).")
@click.option("--record/--no-record", default=True, show_default=True,
              help="Record new decision versions in the audit store.")
def validate(gradebook: str, criterion_map: Path | None, audit: str | None, jury: Path | None,
             thresholds: Path | None, course_dir: Path | None, out: Path | None, record: bool) -> None:
    """Decide competences, blocks and certification for every candidate.

    A competence is recognised when each of its criteria reaches its threshold; a block
    is validated when all its competences are; the title is full with all five blocks.
    """
    decisions = build_decisions(gradebook=gradebook, criterion_map=criterion_map, jury=jury,
                                thresholds=thresholds, audit=audit, course_dir=course_dir)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(decisions.to_json(), encoding="utf-8")
    console = Console()
    table = Table(title="Decisions")
    table.add_column("")
    table.add_column("candidates", justify="right")
    for key, value in decisions.summary().items():
        table.add_row(key, str(value))
    console.print(table)
    if record:
        url = resolve_audit(gradebook, audit)
        store = open_audit(url)
        try:
            counts = _record(store, decisions, gradebook)
        finally:
            store.dispose()
        console.print(f"audit: {counts['recorded']} new version(s), {counts['unchanged']} unchanged ({url})")


def _record(store, decisions, gradebook: str) -> dict[str, int]:
    jury = f"; jury {decisions.jury.source}" if decisions.jury.source else ""
    return record(store, decisions, source=f"gradebook {gradebook}{jury}")


def _changes(prev: dict | None, cur: dict) -> str:
    """Which blocks, competences and criteria changed state since the previous version."""
    if prev is None:
        return "first decision"
    diffs = [f"{k}: {prev['blocks'][k]} → {v}" for k, v in cur["blocks"].items() if prev["blocks"].get(k) != v]
    diffs += [f"{k}: {prev['criteria'].get(k, {}).get('score')} → {v['score']}"
              for k, v in cur["criteria"].items() if prev["criteria"].get(k) != v]
    return "; ".join(diffs) or "same decision (inputs changed, e.g. a cell's points)"


def versions_json(versions: list[dict]) -> list[dict]:
    """Decision versions with their JSON columns parsed (``workbench history --json``)."""
    return [{**v, "decision_json": json.loads(v["decision_json"]), "evidence_json": json.loads(v["evidence_json"]),
             "thresholds_json": json.loads(v["thresholds_json"]),
             "scoring_json": json.loads(v["scoring_json"]) if v["scoring_json"] else None} for v in versions]


def versions_table(candidate: str, versions: list[dict]) -> Table:
    """Decision versions as a table, each with what changed since the one before."""
    table = Table(title=f"Decision history of {candidate}")
    for col in ("version", "decided at (UTC)", "inputs sha256", "certification", "validated blocks", "changes"):
        table.add_column(col)
    prev = None
    for v in versions:
        doc = json.loads(v["decision_json"])
        cert = doc["certification"]
        table.add_row(str(v["version"]), v["decided_at"], v["inputs_sha256"][:12], cert["status"],
                      ", ".join(cert["validated_blocks"]) or "—", _changes(prev, doc))
        prev = doc
    return table
