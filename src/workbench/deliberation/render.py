"""Render the minutes to HTML (jinja2, the report's stylesheet) and write them, with a PDF per language."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from workbench.deliberation.i18n import words
from workbench.deliberation.pdf import html_to_pdf
from workbench.referentiel import Referentiel
from workbench.reports.render import TEMPLATES as REPORT_TEMPLATES

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Autoescaping; the minutes extend the report's base template (one stylesheet)."""
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(TEMPLATES), jinja2.FileSystemLoader(REPORT_TEMPLATES)])
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True, keep_trailing_newline=True)


def render_minutes(content: dict, version: dict, *, ref: Referentiel, lang: str, need: float) -> str:
    """The minutes of one version, in ``lang``: same content and version, same bytes."""
    return environment().get_template("minutes.html.j2").render(
        lang=lang, w=words(lang), c=content, v=version, need=f"{need:g}",
        n_external=sum(m["external"] for m in content["panel"]["members"]),
        certification_title=ref.certification.title.get(lang), rules_text=ref.certification.rules.get(lang),
        blocks=[{"id": b.id, "title": b.title.get(lang)} for b in ref.blocks],
        labels={k.id: k.label.get(lang) for k in ref.criteria()},
    )


def safe(name: str) -> str:
    """A session or candidate id as part of a file name."""
    return "".join(ch if ch.isalnum() or ch in "-_.@" else "_" for ch in name)


def write_minutes(content: dict, version: dict, *, ref: Referentiel, out_dir: Path, langs: list[str], need: float,
                  pdf: bool) -> list[Path]:
    """Write ``minutes-<session>-v<N>.<lang>.html`` (and ``.pdf``) for each language; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"minutes-{safe(content['session'])}-v{version['version']}"
    written, pairs = [], []
    for lang in langs:
        html = out_dir / f"{stem}.{lang}.html"
        html.write_text(render_minutes(content, version, ref=ref, lang=lang, need=need), encoding="utf-8")
        written.append(html)
        pairs.append((html, out_dir / f"{stem}.{lang}.pdf"))
    if pdf:
        html_to_pdf(pairs)
        written += [p for _, p in pairs]
    return written
