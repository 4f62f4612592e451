"""Render the jury report (HTML + CSV) and the candidates' feedback (HTML) with jinja2."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
import numpy as np

from workbench.referentiel import Referentiel, Rubrics
from workbench.reports import plots
from workbench.reports.build import borderline, cohort_rows, feedback_items, jury_csv, state_counts, summary
from workbench.reports.explain import explanations
from workbench.reports.i18n import words
from workbench.validator.decisions import Decisions, sha256
from workbench.validator.rules import EPS

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Autoescaping environment: comments and messages are shown as text, never as HTML."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def _alt_hist(decisions: Decisions, cols: list[int], w: dict[str, str]) -> list[str]:
    """The histograms as sentences (the image's text alternative)."""
    out = []
    for j in cols:
        k, v = decisions.structure.criteria[j], decisions.score[:, j]
        v = v[~np.isnan(v)]
        thr = decisions.thresholds[k]
        above = int((v >= thr - EPS).sum())
        out.append(w["alt_hist"].format(k=k, n=len(v), above=above, below=len(v) - above, thr=f"{thr:.2f}"))
    return out


def _alt_bars(counts: dict[str, dict[str, int]], w: dict[str, str]) -> list[str]:
    return [w["alt_bars"].format(item=item, **c) for item, c in counts.items()]


def _plots(decisions: Decisions, ref: Referentiel, lang: str) -> list[dict]:
    """Each plot: title, PNG data URI, and its data as sentences (alt text and a table under it)."""
    w = words(lang)
    s = decisions.structure
    b1 = [j for j, k in enumerate(s.criteria) if k.startswith("B1.")]
    labels = {k.id: k.label.get(lang) for k in ref.criteria()}
    state_labels = {name: w[name] for name in ("validated", "not_validated", "not_evaluated")}
    blocks = state_counts(decisions.states.block, s.blocks)
    criteria = state_counts(decisions.states.criterion, s.criteria)
    return [
        {"title": w["plot_blocks_title"], "data": _alt_bars(blocks, w),
         "src": plots.state_bars(blocks, state_labels, xlabel=w["count"], title=w["plot_blocks_title"])},
        {"title": w["plot_b1_title"], "data": _alt_hist(decisions, b1, w),
         "src": plots.score_histograms(
             decisions.score[:, b1], [s.criteria[j] for j in b1], [decisions.thresholds[s.criteria[j]] for j in b1],
             titles=[f"{s.criteria[j]} {labels[s.criteria[j]]}" for j in b1], xlabel=w["score"], ylabel=w["count"],
             threshold_label=w["threshold_label"], suptitle=w["plot_b1_title"])},
        {"title": w["plot_criteria_title"], "data": _alt_bars(criteria, w),
         "src": plots.state_bars(criteria, state_labels, xlabel=w["count"], title=w["plot_criteria_title"])},
    ]


def render_jury(decisions: Decisions, *, ref: Referentiel, rubrics: Rubrics, lang: str, margin: float,
                review: dict[str, list[str]] | None = None, names: dict[str, str] | None = None,
                course: str | None = None, session: str | None = None,
                flags: dict[str, list[str]] | None = None) -> tuple[str, str]:
    """The jury report as (HTML, CSV).

    ``review``: candidate -> autograded cells a marker must review; ``flags``: candidate -> the
    autograde journal's reasons (see :mod:`workbench.reports.review`); ``names``: candidate -> name;
    ``course`` and ``session`` go in the title.
    """
    w = words(lang)
    border = borderline(decisions, margin)
    rows = cohort_rows(decisions, border, names=names, review=review)
    html = environment().get_template("jury.html.j2").render(
        lang=lang, w=w, certification_title=ref.certification.title.get(lang), rules_text=ref.certification.rules.get(lang),
        course=course, session=session, summary=summary(decisions),
        rows=rows, blocks=[{"id": b.id, "title": b.title.get(lang)} for b in ref.blocks], plots=_plots(decisions, ref, lang),
        explanations=explanations(decisions, ref=ref, rubrics=rubrics, lang=lang, names=names, review=review),
        borderline=border, margin=margin, labels={k.id: k.label.get(lang) for k in ref.criteria()},
        names=names or {}, flagged={r["candidate"] for r in rows if r["borderline"] or r["review"]},
        thresholds=list(decisions.thresholds.items()), rules_sha256=decisions.rules_sha256,
        thresholds_sha256=sha256(decisions.thresholds_json),
        review=[(c, (review or {}).get(c, []), (flags or {}).get(c, []))
                for c in sorted(set(review or {}) | set(flags or {}))],
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
                  margin: float, candidates: list[str] | None = None, review: dict[str, list[str]] | None = None,
                  names: dict[str, str] | None = None, course: str | None = None,
                  session: str | None = None, flags: dict[str, list[str]] | None = None) -> list[Path]:
    """Write jury.html, jury.csv and feedback/<candidate>.html; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html, table = render_jury(decisions, ref=ref, rubrics=rubrics, lang=lang, margin=margin, review=review,
                              names=names, course=course, session=session, flags=flags)
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



