"""Candidates' feedback through nbgrader's own path, with what to improve for each criterion.

``generate_feedback`` runs nbgrader's ``generate_feedback`` (the course's preprocessors: hidden
tests and their tracebacks removed, errors in plain words, in the course's language) and puts,
at the top of each notebook's page, one row per criterion that notebook evidences: the score,
the level reached, what the next level asks for, the check messages and the marker's comments.
``release_feedback`` is the instructor's decision: nbgrader's ``release_feedback`` puts the pages
in the exchange, and candidates get them with **Fetch Feedback** in JupyterLab's Assignments panel.

Only outputs and comments are read (never a cell's source): nothing hidden is revealed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from workbench.course._nbgrader import course_config, run_app
from workbench.course.config import read_course
from workbench.errors import InputError
from workbench.referentiel import Referentiel, Rubrics, load_referentiel, load_rubrics
from workbench.reports.build import level_reached
from workbench.reports.i18n import NBGRADER_FEEDBACK_FR, NBGRADER_SCORE, words
from workbench.reports.render import environment
from workbench.scores import CriterionMap, CriterionScores, compute_scores, load_criterion_map
from workbench.scores.gradebook import open_gradebook

MARK = "<!-- workbench: per-criterion feedback -->"


@dataclass(frozen=True)
class FeedbackMade:
    """The pages written, by candidate."""

    assignment: str
    pages: dict[str, list[Path]]

    def lines(self) -> list[str]:
        return [f"{cand}: {', '.join(p.name for p in pages)}" for cand, pages in sorted(self.pages.items())]


def _graded(course_root: Path, assignment: str) -> set[str]:
    return {p.parent.name for p in (course_root / "autograded").glob(f"*/{assignment}") if p.is_dir()}


def _criterion_rows(scores: CriterionScores, cmap: CriterionMap, cand: str, notebook: str, *,
                    ref: Referentiel, rubrics: Rubrics, lang: str) -> list[dict]:
    """One row per criterion evidenced in ``notebook``, for candidate ``cand``."""
    cells = scores.cells[(scores.cells["candidate"] == cand) & (scores.cells["notebook"] == notebook)]
    i = scores.candidates.index(cand)
    rows = []
    for crit in sorted(cells["criterion"].unique()):
        score = scores.score[i, scores.criteria.index(crit)]
        reached = level_reached(score, rubrics)
        ids = [lv.id for lv in rubrics.levels]
        up = ids[ids.index(reached) + 1] if reached and reached != ids[-1] else None
        descriptors = rubrics.descriptors.get(crit, {})
        of_crit = cells[cells["criterion"] == crit]
        rows.append({
            "id": crit, "label": ref.criterion(crit).label.get(lang),
            "score": None if score != score else float(score),
            "level": getattr(rubrics.level(reached), lang) if reached else None,
            "next_level": getattr(rubrics.level(up), lang) if up else None,
            "next_descriptor": descriptors[up].get(lang) if up and up in descriptors else None,
            # one paragraph per message: the wrap made for Validate's fixed width is undone here
            "messages": [re.sub(r"\n {2,}", " ", m) for m in of_crit.get("messages", []) if isinstance(m, str) and m],
            "comments": [c for c in of_crit["manual_comment"] if isinstance(c, str) and c.strip()],
        })
    return rows


def cell_titles(cmap: CriterionMap, notebook: str, *, ref: Referentiel, lang: str) -> dict[str, str]:
    """A plain title for each graded cell of ``notebook``: what it is and the criterion it evidences
    (``Vérification automatique — B1.1.a Pertinence du choix des catégories``), never its grade id."""
    w = words(lang)
    return {c.cell: f"{w['feedback_check'] if c.kind == 'autograde' else w['feedback_answer']} — "
                    f"{c.criterion} {ref.criterion(c.criterion).label.get(lang)}"
            for c in cmap.notebooks.get(notebook, ())}


def _titled(html: str, titles: dict[str, str]) -> str:
    """nbgrader heads a test cell with its grade id (``Grade cell: <code>id</code>``) and lists
    it as "Test cell" in the page's contents: both become the cell's plain title."""
    for grade_id, title in titles.items():
        gid, text = re.escape(grade_id), escape(title)
        html = re.sub(rf'(<span class="nbgrader-label">)[^<]*<code>{gid}</code>(</span>)',
                      lambda m, t=text: m.group(1) + t + m.group(2), html)
        html = re.sub(rf'(<a href="#{gid}">)[^<]*(</a>)', lambda m, t=text: m.group(1) + t + m.group(2), html)
    return html


def _inject(html: str, block: str, lang: str, titles: dict[str, str] | None = None) -> str:
    """Put the per-criterion block at the top of nbgrader's page; outputs wrap; nbgrader's words in
    ``lang``; graded cells under their plain ``titles`` (grade id -> title) instead of their ids."""
    if MARK in html:  # generated again: replace the previous block
        html = re.sub(re.escape(MARK) + r".*?" + re.escape(MARK), "", html, flags=re.S)
    style = ("<style>.jp-OutputArea-output pre, .output_area pre, pre { white-space: pre-wrap; "
             "overflow-wrap: anywhere; } .workbench-criteria td, .workbench-criteria th { vertical-align: top; "
             "padding: 4px 8px; text-align: left; }</style>")
    html = html.replace("</head>", style + "</head>", 1)
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + MARK + block + MARK, html, count=1)
    if lang == "fr":
        for en, fr in (*NBGRADER_FEEDBACK_FR.items(), NBGRADER_SCORE):
            html = html.replace(en, fr)
        html = re.sub(r"(<h4>[^<]*) \(Score: ", r"\1 (Note : ", html, count=1)
    return _titled(html, titles or {})


def generate_feedback(*, course_dir: Path | str, assignment: str, candidates: list[str] | None = None,
                      criterion_map: CriterionMap | Path | str | None = None) -> FeedbackMade:
    """Generate the feedback pages of ``assignment`` (nbgrader's path), with the per-criterion rows.

    Raises
    ------
    InputError
        A candidate asked for has not been graded (nothing is written), or nobody has.
    """
    course = read_course(course_dir)
    graded = _graded(course.root, assignment)
    wanted = sorted(candidates) if candidates else sorted(graded)
    missing = [c for c in wanted if c not in graded]
    if missing or not wanted:
        raise InputError(f"not graded yet for {assignment!r}: {', '.join(missing) or 'nobody'} "
                         "(autograde first), no feedback written", where=str(course.root / "autograded"))
    cmap = criterion_map if isinstance(criterion_map, CriterionMap) else load_criterion_map(criterion_map)
    ref, rubrics, w = load_referentiel(), load_rubrics(), words(course.lang)
    for cand in wanted:  # nbgrader takes one student id or all
        cfg = course_config(course.root, CourseDirectory={"assignment_id": assignment, "student_id": cand})
        run_app("generate_feedback", cfg, what=f"generating feedback of {assignment} for {cand}", force=True)
    scores = compute_scores(engine=open_gradebook(course.db_url), cmap=cmap, course_dir=course.root)
    template = environment().get_template("nbfeedback.html.j2")
    pages: dict[str, list[Path]] = {}
    for cand in wanted:
        for page in sorted((course.root / "feedback" / cand / assignment).glob("*.html")):
            rows = _criterion_rows(scores, cmap, cand, page.stem, ref=ref, rubrics=rubrics, lang=course.lang)
            block = template.render(w=w, rows=rows, candidate=cand)
            titles = cell_titles(cmap, page.stem, ref=ref, lang=course.lang)
            page.write_text(_inject(page.read_text(encoding="utf-8"), block, course.lang, titles), encoding="utf-8")
            pages.setdefault(cand, []).append(page)
    return FeedbackMade(assignment=assignment, pages=pages)


def release_feedback(*, course_dir: Path | str, assignment: str, candidates: list[str] | None = None) -> list[str]:
    """Release the generated feedback of ``assignment`` to the exchange (nbgrader's ``release_feedback``).

    Raises
    ------
    InputError
        A candidate asked for has no generated feedback (nothing is released).
    """
    course = read_course(course_dir)
    made = {p.parent.parent.name for p in (course.root / "feedback").glob(f"*/{assignment}/*.html")}
    wanted = sorted(candidates) if candidates else sorted(made)
    missing = [c for c in wanted if c not in made]
    if missing or not wanted:
        raise InputError(f"no feedback generated for {assignment!r}: {', '.join(missing) or 'nobody'} "
                         "(run `workbench feedback` first), nothing released", where=str(course.root / "feedback"))
    for cand in wanted:
        cfg = course_config(course.root, CourseDirectory={"assignment_id": assignment, "student_id": cand})
        run_app("release_feedback", cfg, what=f"releasing feedback of {assignment} for {cand}")
    return wanted
