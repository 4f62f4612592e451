"""``workbench course``: create a course, import candidates, release, submit as a candidate, collect."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.course.candidates import import_candidates, read_candidates
from workbench.course.collect import collect as collect_submissions
from workbench.course.config import read_course
from workbench.course.create import create_course
from workbench.course.exchange import release as release_assignment
from workbench.course.exchange import submit_as
from workbench.errors import InputError

_dir = click.Path(file_okay=False, path_type=Path)
_file = click.Path(dir_okay=False, path_type=Path)


def _existing_course(command):
    """The options every command on an existing course takes: its folder, and optionally its id."""
    command = click.option("--course-id", default=None, help="Check the folder is this course.")(command)
    return click.option("--dir", "course_dir", type=_dir, required=True, help="Course folder.")(command)


@click.group("course")
def course() -> None:
    """Create a course instance and manage its candidates and submissions."""


@course.command("create")
@click.option("--course-id", required=True, help="nbgrader course id (letters, digits, . _ -).")
@click.option("--dir", "course_dir", type=_dir, required=True, help="New course folder, outside the repository.")
@click.option("--candidates", "candidates_csv", type=_file, required=True, help="Candidate list (CSV).")
@click.option("--exchange", "exchange_dir", type=_dir, default=None, help="Exchange root [DIR/exchange].")
@click.option("--scenario", default=None, help="Build source/ with the exercise builder for this scenario.")
@click.option("--source", type=_dir, default=None, help="Or copy source/ assignments from this folder.")
@click.option("--db-url", default=None, help="Gradebook URL [sqlite:///DIR/gradebook.db].")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="en", show_default=True,
              help="The course's language: notebooks (built from --scenario), self-checks, verdicts and feedback speak it.")
def create(course_id, course_dir, candidates_csv, exchange_dir, scenario, source, db_url, lang) -> None:
    """Create a course folder that nbgrader's own commands work in."""
    made = create_course(
        course_dir=course_dir, course_id=course_id, candidates_csv=candidates_csv,
        exchange_dir=exchange_dir, scenario=scenario, source=source, db_url=db_url, lang=lang,
    )
    c = made.course
    click.echo(f"course {c.course_id!r} created in {c.root}")
    click.echo(f"  exchange:    {c.exchange}")
    click.echo(f"  gradebook:   {c.db_url}")
    click.echo(f"  assignments: {', '.join(made.assignments)}")
    click.echo(f"  candidates:  {made.candidates}")


@course.group("candidates")
def candidates() -> None:
    """The candidate list of a course."""


@candidates.command("import")
@_existing_course
@click.argument("csv_path", type=_file)
def import_(course_dir, course_id, csv_path) -> None:
    """Import (create or update) the candidates of CSV_PATH; a bad row refuses the whole file."""
    info = read_course(course_dir, course_id=course_id)
    try:
        n = import_candidates(db_url=info.db_url, course_id=info.course_id, candidates=read_candidates(csv_path))
    except InputError as exc:
        raise InputError(exc.message, where=exc.where or str(csv_path)) from None
    click.echo(f"{n} candidate(s) imported into course {info.course_id!r}")


@course.command("release")
@_existing_course
@click.argument("assignment")
def release(course_dir, course_id, assignment) -> None:
    """Generate the student version of ASSIGNMENT and release it to the exchange."""
    out = release_assignment(course_dir=course_dir, assignment=assignment, course_id=course_id)
    click.echo(f"released {assignment!r} to {out}")


@course.command("submit-as")
@click.option("--dir", "course_dir", type=_dir, required=True, help="Course folder.")
@click.option("--candidate", required=True, help="Candidate id to submit as (simulated account).")
@click.option("--notebooks", "notebook_dir", type=_dir, default=None, help="Folder of answered notebooks.")
@click.option("--not-listed", is_flag=True,
              help="Rehearse a submission from someone not on the candidate list (collect reports it).")
@click.argument("assignment")
def submit(course_dir, candidate, notebook_dir, not_listed, assignment) -> None:
    """Fetch and submit ASSIGNMENT as CANDIDATE through the exchange (for rehearsals and demos).

    CANDIDATE must be on the course's candidate list, unless --not-listed.
    """
    sub = submit_as(course_dir=course_dir, candidate=candidate, assignment=assignment, notebook_dir=notebook_dir,
                    listed_only=not not_listed)
    click.echo(f"submitted {assignment!r} as {candidate} at {sub.timestamp}")


@course.command("collect")
@_existing_course
@click.argument("assignment")
def collect(course_dir, course_id, assignment) -> None:
    """Collect the latest submission of each listed candidate; report resubmissions and unknown ids."""
    report = collect_submissions(course_dir=course_dir, assignment=assignment, course_id=course_id)
    for line in report.lines():
        click.echo(line)
    if report.failed:
        raise click.exceptions.Exit(3)  # some left in the exchange: collect again once fixed
