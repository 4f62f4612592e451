"""``workbench report``, ``workbench feedback`` and ``workbench analysis``: the jury report, the candidates'
feedback, and the marking-quality and item-analysis report."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.errors import InputError
from workbench.options import decision_inputs, marking_option
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.reports.render import write_reports
from workbench.validator.policy import load_policy
from workbench.validator.run import build_decisions


@click.command("report")
@decision_inputs
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"),
              show_default=True, help="Output folder.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--candidate", "candidates", multiple=True, help="Feedback for these candidates only (repeatable).")
@click.option("--margin", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=None,
              help="Borderline: distance to a threshold, as a score [default: grading/deliberation.yml].")
@click.option("--session", default=None, help="The jury session, shown in the title (e.g. '2026-06').")
def report(gradebook: str, criterion_map: Path | None, audit: str | None, jury: Path | None, thresholds: Path | None,
           out_dir: Path, lang: str, course_dir: Path | None, candidates: tuple[str, ...], margin: float | None,
           session: str | None) -> None:
    """Write jury.<lang>.html, jury.<lang>.csv and feedback/<candidate>.<lang>.html.

    Same inputs, same bytes: no dates in the files, fixed plot metadata.
    """
    decisions = build_decisions(gradebook=gradebook, criterion_map=criterion_map, jury=jury, thresholds=thresholds,
                                audit=audit, course_dir=course_dir)
    unknown = sorted(set(candidates) - set(decisions.candidates))
    if unknown:
        raise InputError(f"unknown candidate(s): {', '.join(unknown)}", where="--candidate")
    from workbench.reports.review import journal_flags
    from workbench.scores.gradebook import candidate_names, course_id, needs_review

    written = write_reports(decisions, ref=load_referentiel(), rubrics=load_rubrics(), out_dir=out_dir, lang=lang,
                            candidates=list(candidates) or None,
                            margin=margin if margin is not None else load_policy().borderline.margin,
                            review=needs_review(gradebook), names=candidate_names(gradebook),
                            course=course_id(gradebook), session=session, flags=journal_flags(course_dir))
    click.echo(f"wrote {len(written)} file(s) in {out_dir}: jury.{lang}.html, jury.{lang}.csv, "
               f"{len(written) - 2} feedback page(s)")


@click.command("feedback")
@click.argument("assignment")
@click.option("--course-dir", "course_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The course folder.")
@click.option("--candidate", "candidates", multiple=True, help="These candidates only (repeatable) [every graded one].")
@click.option("--criterion-map", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Criterion map [grading/criterion_map.yml].")
@click.option("--release/--no-release", default=False, show_default=True,
              help="Also release the pages to the exchange: candidates then get them with Fetch Feedback.")
def feedback(assignment: str, course_dir: Path, candidates: tuple[str, ...], criterion_map: Path | None,
             release: bool) -> None:
    """Generate the candidates' feedback of ASSIGNMENT with nbgrader (per criterion, in the course's
    language, hidden tests removed); with --release, hand it to them."""
    from workbench.reports.nbfeedback import generate_feedback, release_feedback

    made = generate_feedback(course_dir=course_dir, assignment=assignment, candidates=list(candidates) or None,
                             criterion_map=criterion_map)
    click.echo("\n".join(made.lines()))
    if release:
        done = release_feedback(course_dir=course_dir, assignment=assignment, candidates=sorted(made.pages))
        click.echo(f"released to the exchange for {len(done)} candidate(s): they use Fetch Feedback")
    else:
        click.echo("not released yet: `workbench feedback ... --release` when you decide to")


@click.command("analysis")
@decision_inputs
@marking_option
@click.option("--items", "item_thresholds", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Item-analysis thresholds [default: grading/item_analysis.yml].")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"),
              show_default=True, help="Output folder.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
def analysis(gradebook: str, criterion_map: Path | None, audit: str | None, jury: Path | None,
             thresholds: Path | None, course_dir: Path | None, marking: Path | None, item_thresholds: Path | None,
             out_dir: Path, lang: str) -> None:
    """Write analysis.<lang>.html: agreement, moderation, harmonisation of markers, item analysis.

    Also analysis_items.csv and analysis_agreement.csv (figures, language-neutral).
    """
    from workbench.reports.analysis import build_analysis, write_analysis

    data = build_analysis(gradebook=gradebook, criterion_map=criterion_map, audit=audit, marking=marking,
                          item_thresholds=item_thresholds)
    written = write_analysis(data, out_dir=out_dir, lang=lang)
    click.echo(f"wrote {', '.join(p.name for p in written)} in {out_dir}")
