"""``workbench autograde ASSIGNMENT``: parallel, sandboxed, resumable nbgrader autograding."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.autograde.sandbox import Limits

# The CLI's defaults are the limits' own: one place says how much a candidate may use.
_LIMITS = Limits()


@click.command("autograde")
@click.argument("assignment")
@click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="nbgrader course folder (holds nbgrader_config.py).")
@click.option("--student", "students", multiple=True, help="Only these students (repeatable).")
@click.option("--workers", type=int, default=0, help="Local worker slots [default: all cores].")
@click.option("--scheduler", help="Run on a Dask cluster, e.g. tcp://10.0.0.5:8786.")
@click.option("--db-url", help="Gradebook SQLAlchemy URL (default: the course's, e.g. sqlite).")
@click.option("--force", "-f", is_flag=True, help="Regrade submissions already graded.")
@click.option("--cell-timeout", type=float, help="Seconds per cell [default: nbgrader's Execute.timeout].")
@click.option("--notebook-timeout", type=float, default=_LIMITS.notebook_timeout, show_default=True,
              help="Wall-clock seconds per notebook.")
@click.option("--memory-mb", type=int, default=_LIMITS.memory_bytes // 2**20, show_default=True,
              help="Memory per candidate.")
@click.option("--max-output-mb", type=float, default=_LIMITS.max_output_bytes / 2**20, show_default=True,
              help="Output a notebook may print.")
@click.option("--retries", type=int, default=2, show_default=True,
              help="Retries after an infrastructure fault.")
@click.option("--no-sandbox", is_flag=True,
              help="DANGEROUS: run candidates' code with your own rights, without bubblewrap.")
@click.option("--wait", is_flag=True,
              help="If another autograde is grading this course, queue behind it instead of refusing.")
@click.option("--notebook", "refused_notebook", hidden=True, help="Refused: see docs/autograde.md.")
@click.option("--no-execute", "refused_no_execute", is_flag=True, hidden=True, help="Refused: see docs/autograde.md.")
def autograde(assignment: str, course_dir: Path, students: tuple[str, ...], workers: int,
              scheduler: str | None, db_url: str | None, force: bool, cell_timeout: float | None,
              notebook_timeout: float, memory_mb: int, max_output_mb: float, retries: int,
              no_sandbox: bool, wait: bool, refused_notebook: str | None = None,
              refused_no_execute: bool = False) -> None:
    """Autograde every pending submission of ASSIGNMENT into the nbgrader gradebook.

    Same scores as `nbgrader autograde`, run in parallel warm workers, each candidate isolated
    in a bubblewrap sandbox; an interrupted run resumes where it stopped. One run at a time per
    course (a lock in the course folder). Exit code 0: all graded; 3: some left pending (run
    again); 2: a fault to fix first, named in one line.
    """
    from workbench.autograde.lock import grading_lock
    from workbench.autograde.preflight import check_course
    from workbench.autograde.progress import ProgressView
    from workbench.autograde.runner import Options, run

    _refuse(notebook=refused_notebook, no_execute=refused_no_execute)
    course_dir = course_dir.resolve()
    check_course(course_dir, db_url)  # before the lock: a folder that is not a course gets no file
    if not no_sandbox and not scheduler:
        from workbench.autograde.sandbox import require_bwrap

        require_bwrap()
    view = ProgressView()
    if no_sandbox:
        view.console.print("[bold red]WARNING: --no-sandbox: candidates' code will run with YOUR "
                           "rights, network and files. Only use this on trusted submissions.[/]")
    opts = Options(workers=workers, scheduler=scheduler, sandbox=not no_sandbox, retries=retries,
                   force=force, students=students, db_url=db_url, cell_timeout=cell_timeout,
                   limits={"notebook_timeout": notebook_timeout,
                           "memory_bytes": memory_mb * 1024 * 1024,
                           "max_output_bytes": int(max_output_mb * 1024 * 1024)})
    with grading_lock(course_dir, wait=wait, notify=lambda line: view.console.print(line, highlight=False, soft_wrap=True)):
        summary = run(course_dir=course_dir, assignment=assignment, opts=opts, listen=view)
    view.close(summary)
    if summary.infra_failed:
        raise click.exceptions.Exit(3)  # pending: a second run grades what is left
    if summary.unknown or summary.rejected:
        raise click.exceptions.Exit(2)  # named above, one line each: fix them, then run again


def _refuse(*, notebook: str | None, no_execute: bool) -> None:
    """nbgrader options the workbench deliberately does not offer, refused in one line (exit 2)."""
    from workbench.errors import InputError

    if notebook is not None:
        raise InputError("--notebook is not supported: a submission is graded as a whole (its notebooks "
                         "share one working folder); regrade it with --force --student ID", where="--notebook")
    if no_execute:
        raise InputError("--no-execute is not supported: a submission's stored outputs are the candidate's "
                         "and never count as evidence; every notebook is run", where="--no-execute")
