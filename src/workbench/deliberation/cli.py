"""``workbench minutes``, ``appeal``, ``history``, ``purge`` and ``export holders``: the deliberation and after."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from workbench.errors import InputError
from workbench.options import audit_option, decision_inputs, gradebook_option
from workbench.scores.records import audit_exists, resolve_audit

LANGS = {"fr": ["fr"], "en": ["en"], "both": ["fr", "en"]}


def store_for(gradebook: str, audit: str | None):
    """The audit store with the deliberation's tables; it must exist (decisions come from `workbench validate`)."""
    from workbench.deliberation.store import open_store

    url = resolve_audit(gradebook, audit)
    if not audit_exists(url):
        raise InputError("no audit store yet: run `workbench validate` first", where=url)
    return open_store(url)


@click.command("minutes")
@click.option("--panel", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The jury of the session: YAML (session, date, place, members) or CSV of members.")
@click.option("--session", default=None, help="The session (required with a CSV panel; overrides the YAML's).")
@click.option("--date", "date_", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Date of the deliberation (idem).")
@click.option("--place", default=None, help="Place of the deliberation (idem).")
@gradebook_option
@audit_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("minutes"),
              show_default=True, help="Output folder.")
@click.option("--lang", type=click.Choice(list(LANGS)), default="both", show_default=True)
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="Also print each HTML to PDF (Chromium).")
@click.option("--allow", default=None, metavar="REASON",
              help="Accept a jury with fewer external members than required; the reason is written in the minutes.")
@click.option("--reason", default=None, help="Why a new version of frozen minutes is made (required then).")
def minutes(panel: Path, session: str | None, date_: dt.datetime | None, place: str | None, gradebook: str,
            audit: str | None, out_dir: Path, lang: str, pdf: bool, allow: str | None, reason: str | None) -> None:
    """Write the minutes (procès-verbal) of a jury session from the audit store, in HTML and PDF.

    The minutes are frozen by the hash of their inputs: running again with the same inputs writes the
    same version; a change (a new decision version, another jury) needs --reason and makes a new version.
    """
    from workbench.deliberation.minutes import minutes_content, record_minutes
    from workbench.deliberation.panel import check_composition, check_no_trainer, load_panel
    from workbench.deliberation.render import write_minutes
    from workbench.referentiel import load_referentiel
    from workbench.scores.gradebook import candidate_names, course_id
    from workbench.validator.policy import load_policy

    day = date_.date() if date_ else None
    jury = load_panel(panel, overrides={"session": session, "date": day, "place": place})
    policy = load_policy()
    exception = check_composition(jury, policy, allow=allow, where=str(panel))
    names, course = candidate_names(gradebook), course_id(gradebook)
    store = store_for(gradebook, audit)
    try:
        content = minutes_content(store, panel=jury, names=names, course=course, exception=exception,
                                  where=resolve_audit(gradebook, audit))
        check_no_trainer(jury, [c["candidate"] for c in content["candidates"]], where=str(panel))
        version = record_minutes(store, content, reason=reason)
    finally:
        store.dispose()
    written = write_minutes(content, version, ref=load_referentiel(), out_dir=out_dir, langs=LANGS[lang],
                            need=policy.jury.min_external_share, pdf=pdf)
    state = "new version" if version["new"] else "unchanged"
    click.echo(f"minutes of session {jury.session}: version {version['version']} ({state}), "
               f"{len(content['candidates'])} candidates; wrote {', '.join(p.name for p in written)} in {out_dir}")


def _evidence_root(gradebook: str, audit: str | None, given: Path | None) -> Path:
    """Where frozen evidence goes: ``--evidence-dir``, else ``appeals/`` beside a SQLite audit store."""
    if given:
        return given
    url = resolve_audit(gradebook, audit)
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):]).parent / "appeals"
    raise InputError("give --evidence-dir for an audit store on a database server", where=url)


@click.group("appeal")
def appeal() -> None:
    """Appeals (recours): open with frozen evidence, regrade under a new version, record the jury's answer."""


@appeal.command("open")
@click.argument("candidate")
@click.option("--reason", required=True, help="What the candidate contests.")
@click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="nbgrader course folder: its submitted/ and autograded/ notebooks are copied and hashed.")
@click.option("--evidence-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the frozen copies go [default: appeals/ beside the audit store].")
@gradebook_option
@audit_option
def appeal_open(candidate: str, reason: str, course_dir: Path | None, evidence_dir: Path | None, gradebook: str,
                audit: str | None) -> None:
    """Open an appeal for CANDIDATE against its latest decision, freezing the evidence."""
    from workbench.deliberation.appeal import open_appeal

    root = _evidence_root(gradebook, audit, evidence_dir)
    store = store_for(gradebook, audit)
    try:
        a = open_appeal(store, candidate=candidate, reason=reason, course_dir=course_dir, evidence_root=root)
    finally:
        store.dispose()
    files = len(json.loads(a["frozen_json"])["files"])
    click.echo(f"appeal {a['id']} opened for {candidate} against decision version {a['decision_version']}; "
               f"{files} file(s) frozen in {a['evidence_dir']} (sha256 {a['frozen_sha256'][:12]})")


@appeal.command("regrade")
@click.argument("appeal_id", type=int)
@click.option("--reason", required=True, help="Why and how the candidate was re-marked.")
@decision_inputs
def appeal_regrade(appeal_id: int, reason: str, gradebook: str, criterion_map: Path | None, audit: str | None,
                   jury: Path | None, thresholds: Path | None, course_dir: Path | None) -> None:
    """Decide the appealing candidate again after re-marking; a changed decision is a new version with REASON."""
    from workbench.deliberation.appeal import regrade
    from workbench.validator.run import build_decisions

    store = store_for(gradebook, audit)
    try:
        decisions = build_decisions(gradebook=gradebook, criterion_map=criterion_map, jury=jury,
                                    thresholds=thresholds, audit=audit, course_dir=course_dir)
        event = regrade(store, appeal_id, decisions=decisions, reason=reason)
    finally:
        store.dispose()
    detail = json.loads(event["detail_json"])
    what = "new decision version" if detail["new_version"] else "decision confirmed"
    moved = ", ".join(f"{b}: {x} → {y}" for b, (x, y) in detail["blocks_changed"].items()) or "no block changed"
    click.echo(f"appeal {appeal_id}: {what} {event['decision_version']} ({moved})")


@appeal.command("answer")
@click.argument("appeal_id", type=int)
@click.option("--outcome", type=click.Choice(["upheld", "amended", "rejected"]), required=True,
              help="upheld: the decision stands; amended: changed by a regrade; rejected: not admissible.")
@click.option("--text", required=True, help="The jury's answer, as sent to the candidate.")
@gradebook_option
@audit_option
def appeal_answer(appeal_id: int, outcome: str, text: str, gradebook: str, audit: str | None) -> None:
    """Record the jury's answer to an appeal and close it."""
    from workbench.deliberation.appeal import answer

    store = store_for(gradebook, audit)
    try:
        a = answer(store, appeal_id, outcome=outcome, text=text)
    finally:
        store.dispose()
    click.echo(f"appeal {appeal_id} of {a['candidate']}: {outcome}, closed")


@appeal.command("show")
@click.argument("appeal_id", type=int)
@gradebook_option
@audit_option
def appeal_show(appeal_id: int, gradebook: str, audit: str | None) -> None:
    """Show an appeal, its steps, and whether its frozen evidence is intact (exit 1 if not)."""
    from workbench.deliberation.appeal import get_appeal, verify

    store = store_for(gradebook, audit)
    try:
        a = get_appeal(store, appeal_id)
    finally:
        store.dispose()
    Console(width=160).print(appeals_table(a["candidate"], [a]))
    faults = verify(a)
    if faults:
        raise click.ClickException("frozen evidence ALTERED: " + "; ".join(faults))
    click.echo("frozen evidence intact")


def appeals_table(candidate: str, appeals: list[dict]) -> Table:
    """Each appeal's steps, in order: opened, regrades, answer."""
    table = Table(title=f"Appeals of {candidate}")
    for col in ("appeal", "at (UTC)", "step", "decision version", "reason / answer"):
        table.add_column(col)
    for a in appeals:
        for e in a["events"]:
            step = e["kind"]
            if e["kind"] == "answer":
                step += f" ({json.loads(e['detail_json'])['outcome']})"
            table.add_row(f"{a['id']} ({a['state']})", e["at"], step, str(e["decision_version"] or "—"), e["reason"])
    return table


@click.command("history")
@click.argument("candidate")
@gradebook_option
@audit_option
@click.option("--json", "as_json", is_flag=True, help="Print the versions as JSON (each with the appeals against it).")
def history(candidate: str, gradebook: str, audit: str | None, as_json: bool) -> None:
    """Show CANDIDATE's whole path: every decision version, oldest first, and every appeal with its steps."""
    from workbench.deliberation.appeal import appeals_of
    from workbench.validator.audit import history as read_history
    from workbench.validator.cli import versions_json, versions_table

    url = resolve_audit(gradebook, audit)
    store = store_for(gradebook, audit)
    try:
        versions = read_history(store, candidate)
        appeals = appeals_of(store, candidate)
    finally:
        store.dispose()
    if not versions:
        raise InputError(f"no recorded decision for candidate {candidate!r}", where=url)
    if as_json:
        out = versions_json(versions)
        for v in out:
            v["appeals"] = [{k: a[k] for k in ("id", "opened_at", "reason", "state", "evidence_dir", "frozen_sha256")}
                            | {"events": a["events"]} for a in appeals if a["decision_version"] == v["version"]]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2, sort_keys=True))
        return
    console = Console(width=160)
    console.print(versions_table(candidate, versions))
    if appeals:
        console.print(appeals_table(candidate, appeals))


@click.command("purge")
@gradebook_option
@audit_option
@click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="nbgrader course folder: the candidates' submitted/, autograded/ and feedback/ notebooks.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The date the retention period is counted to [default: today].")
@click.option("--dry-run", is_flag=True, help="List who would be purged; change nothing.")
def purge(gradebook: str, audit: str | None, course_dir: Path | None, today, dry_run: bool) -> None:
    """Remove the personal data of candidates past the retention period (grading/deliberation.yml).

    Notebooks, names and e-mails go; decisions stay, under a pseudonym. Refused, changing nothing,
    if one of them has an open appeal.
    """
    from workbench.deliberation.retention import check_no_open_appeal, due, purge as run_purge
    from workbench.scores.gradebook import open_gradebook
    from workbench.validator.policy import load_policy

    years = load_policy().retention.years
    day = today.date() if today else dt.date.today()
    store = store_for(gradebook, audit)
    try:
        selected = due(store, years=years, today=day)
        names = [d["candidate"] for d in selected]
        check_no_open_appeal(store, names)
        if dry_run or not names:
            click.echo(f"retention {years} years to {day}: {len(names)} candidate(s) due"
                       + (f": {', '.join(names)}" if names else "") + (" (dry run, nothing changed)" if dry_run else ""))
            return
        gb = open_gradebook(gradebook)
        try:
            log = run_purge(store, gb, candidates=names, course_dir=course_dir, years=years)
        finally:
            gb.dispose()
    finally:
        store.dispose()
    for e in log:
        c = e["counts"]
        click.echo(f"{e['pseudonym']}: {c['decisions']} decision version(s) pseudonymised, {c['files']} file(s) removed")
    click.echo(f"purged {len(log)} candidate(s) past {years} years")


@click.group("export")
def export() -> None:
    """Exports for the certifier."""


@export.command("holders")
@gradebook_option
@audit_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("holders.csv"),
              show_default=True, help="The CSV to write.")
def export_holders(gradebook: str, audit: str | None, out: Path) -> None:
    """Write the holders of validated blocks and full titles (latest decisions) as CSV, for national reporting."""
    from workbench.deliberation.holders import holders, holders_csv
    from workbench.referentiel import load_referentiel
    from workbench.scores.gradebook import candidate_people

    people = candidate_people(gradebook)
    store = store_for(gradebook, audit)
    try:
        rows = holders(store, people=people, ref=load_referentiel())
    finally:
        store.dispose()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(holders_csv(rows), encoding="utf-8")
    full = sum(r["full_title"] == "yes" for r in rows)
    click.echo(f"wrote {out}: {len(rows)} holder(s), {full} full title(s)")
