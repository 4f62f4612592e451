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
@click.option("--force", is_flag=True, help="Regrade submissions already graded.")
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
def autograde(assignment: str, course_dir: Path, students: tuple[str, ...], workers: int,
              scheduler: str | None, db_url: str | None, force: bool, cell_timeout: float | None,
              notebook_timeout: float, memory_mb: int, max_output_mb: float, retries: int,
              no_sandbox: bool, wait: bool) -> None:
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
