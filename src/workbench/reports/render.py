"""Render the jury report (HTML + CSV) and the candidates' feedback (HTML) with jinja2."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from workbench.referentiel import Referentiel, Rubrics
from workbench.reports import plots
from workbench.reports.build import (BORDERLINE_MARGIN, borderline, cohort_rows, feedback_items, jury_csv,
                                     state_counts)
from workbench.reports.i18n import words
from workbench.validator.decisions import Decisions, sha256

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Autoescaping environment: comments and messages are shown as text, never as HTML."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def _plots(decisions: Decisions, ref: Referentiel, lang: str) -> dict[str, str]:
    w = words(lang)
    s = decisions.structure
    b1 = [j for j, k in enumerate(s.criteria) if k.startswith("B1.")]
    labels = {k.id: k.label.get(lang) for k in ref.criteria()}
    state_labels = {name: w[name] for name in ("validated", "not_validated", "not_evaluated")}
    return {
        "b1": plots.score_histograms(
            decisions.score[:, b1], [s.criteria[j] for j in b1], [decisions.thresholds[s.criteria[j]] for j in b1],
            titles=[f"{s.criteria[j]} {labels[s.criteria[j]][:38]}" for j in b1], xlabel=w["score"], ylabel=w["count"]),
        "criteria": plots.state_bars(state_counts(decisions.states.criterion, s.criteria), state_labels,
                                     xlabel=w["count"]),
        "blocks": plots.state_bars(state_counts(decisions.states.block, s.blocks), state_labels, xlabel=w["count"]),
    }


def render_jury(decisions: Decisions, *, ref: Referentiel, lang: str, margin: float = BORDERLINE_MARGIN,
                review: dict[str, list[str]] | None = None) -> tuple[str, str]:
    """The jury report as (HTML, CSV); ``review``: candidate -> autograded cells a marker must review."""
    w = words(lang)
    border = borderline(decisions, margin)
    rows = cohort_rows(decisions, border)
    html = environment().get_template("jury.html.j2").render(
        lang=lang, w=w, certification_title=ref.certification.title.get(lang), rules_text=ref.certification.rules.get(lang),
        rows=rows, blocks=[{"id": b.id, "title": b.title.get(lang)} for b in ref.blocks], plots=_plots(decisions, ref, lang),
        borderline=border, margin=margin, labels={k.id: k.label.get(lang) for k in ref.criteria()},
        thresholds=list(decisions.thresholds.items()), rules_sha256=decisions.rules_sha256,
        thresholds_sha256=sha256(decisions.thresholds_json), review=sorted((review or {}).items()),
    )
    return html, jury_csv(decisions, rows, lang)


def render_feedback(decisions: Decisions, i: int, *, ref: Referentiel, rubrics: Rubrics, lang: str) -> str:
    """Candidate ``i``'s feedback page."""
    doc = decisions.documents[i]
    return environment().get_template("feedback.html.j2").render(
        lang=lang, w=words(lang), candidate=doc["candidate"], certification=doc["certification"],
        blocks=feedback_items(decisions, i, ref, rubrics, lang),
    )


def write_reports(decisions: Decisions, *, ref: Referentiel, rubrics: Rubrics, out_dir: Path, lang: str,
                  candidates: list[str] | None = None, margin: float = BORDERLINE_MARGIN,
                  review: dict[str, list[str]] | None = None) -> list[Path]:
    """Write jury.html, jury.csv and feedback/<candidate>.html; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html, table = render_jury(decisions, ref=ref, lang=lang, margin=margin, review=review)
    written = [out_dir / f"jury.{lang}.html", out_dir / f"jury.{lang}.csv"]
    written[0].write_text(html, encoding="utf-8")
    written[1].write_text(table, encoding="utf-8-sig")  # BOM: spreadsheets then read the accents right
    fb_dir = out_dir / "feedback"
    fb_dir.mkdir(exist_ok=True)
    wanted = set(candidates) if candidates else None
    for i, cand in enumerate(decisions.candidates):
        if wanted is None or cand in wanted:
            path = fb_dir / f"{_safe(cand)}.{lang}.html"
            path.write_text(render_feedback(decisions, i, ref=ref, rubrics=rubrics, lang=lang), encoding="utf-8")
            written.append(path)
    return written


def _safe(name: str) -> str:
    """A candidate id as a file name (ids are nbgrader student ids; keep them readable)."""
    return "".join(ch if ch.isalnum() or ch in "-_.@" else "_" for ch in name)



