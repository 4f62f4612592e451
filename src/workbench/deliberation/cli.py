"""``workbench minutes``, ``appeal``, ``history``, ``purge`` and ``export holders``: the deliberation and after."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.errors import InputError
from workbench.validator.options import audit_option, gradebook_option
from workbench.validator.run import audit_exists, resolve_audit

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
              help="The jury of the session (YAML: session, date, place, members with role and external).")
@gradebook_option
@audit_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("minutes"),
              show_default=True, help="Output folder.")
@click.option("--lang", type=click.Choice(list(LANGS)), default="both", show_default=True)
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="Also print each HTML to PDF (Chromium).")
@click.option("--allow", default=None, metavar="REASON",
              help="Accept a jury with fewer external members than required; the reason is written in the minutes.")
@click.option("--reason", default=None, help="Why a new version of frozen minutes is made (required then).")
def minutes(panel: Path, gradebook: str, audit: str | None, out_dir: Path, lang: str, pdf: bool, allow: str | None,
            reason: str | None) -> None:
    """Write the minutes (procès-verbal) of a jury session from the audit store, in HTML and PDF.

    The minutes are frozen by the hash of their inputs: running again with the same inputs writes the
    same version; a change (a new decision version, another jury) needs --reason and makes a new version.
    """
    from workbench.deliberation.minutes import minutes_content, record_minutes
    from workbench.deliberation.panel import check_composition, load_panel
    from workbench.deliberation.render import write_minutes
    from workbench.referentiel import load_referentiel
    from workbench.scores.gradebook import candidate_names, course_id
    from workbench.validator.policy import load_policy

    jury = load_panel(panel)
    policy = load_policy()
    exception = check_composition(jury, policy, allow=allow, where=str(panel))
    names, course = candidate_names(gradebook), course_id(gradebook)
    store = store_for(gradebook, audit)
    try:
        content = minutes_content(store, panel=jury, names=names, course=course, exception=exception,
                                  where=resolve_audit(gradebook, audit))
        version = record_minutes(store, content, reason=reason)
    finally:
        store.dispose()
    written = write_minutes(content, version, ref=load_referentiel(), out_dir=out_dir, langs=LANGS[lang],
                            need=policy.jury.min_external_share, pdf=pdf)
    state = "new version" if version["new"] else "unchanged"
    click.echo(f"minutes of session {jury.session}: version {version['version']} ({state}), "
               f"{len(content['candidates'])} candidates; wrote {', '.join(p.name for p in written)} in {out_dir}")
