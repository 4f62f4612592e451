"""Release an assignment, and fetch/submit it as a candidate, through nbgrader's exchange.

Each simulated candidate gets a home of their own (``homes_dir/<id>``) with a
``.jupyter/nbgrader_config.py`` naming the course, the exchange, their
nbgrader cache and their student id. That is what nbgrader's exchange needs to
tell candidates apart on one OS account: ``nbgrader submit`` uses
``CourseDirectory.student_id`` when it is set, and ``get_username()`` (the OS
user) only otherwise. ``HOME=<home> nbgrader submit ps1`` run by hand there
submits as that candidate too.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from workbench.course._nbgrader import course_config, make_config, run_app
from workbench.course.candidates import check_candidate_id, list_candidates
from workbench.course.config import CourseInfo, read_course
from workbench.errors import InputError

CANDIDATE_CONFIG = '''\
# nbgrader configuration of candidate {candidate!r} (simulated account), written by the workbench.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.student_id = {candidate!r}
c.Exchange.root = {exchange!r}
c.Exchange.cache = {cache!r}
c.Exchange.assignment_dir = {home!r}
c.Exchange.timezone = "UTC"
'''


@dataclass(frozen=True)
class Submission:
    """One submission as it landed in the exchange's inbound folder."""

    candidate: str
    assignment: str
    timestamp: str
    path: Path


def release(*, course_dir: Path | str, assignment: str, course_id: str | None = None) -> Path:
    """Generate the student version of ``source/<assignment>`` and release it to the exchange.

    Returns
    -------
    Path
        The released folder in the exchange (``outbound/<assignment>``).
    """
    course = read_course(course_dir, course_id=course_id)
    if not (course.root / "source" / assignment).is_dir():
        known = sorted(p.name for p in (course.root / "source").glob("*") if p.is_dir())
        raise InputError(
            f"no source assignment {assignment!r} (course has: {', '.join(known) or 'none'})",
            where=str(course.root / "source"),
        )
    cfg = course_config(course.root, CourseDirectory={"assignment_id": assignment})
    run_app("generate_assignment", cfg, what=f"generating {assignment}", force=True)
    # force: re-releasing after a fix replaces the outbound copy instead of failing.
    run_app("release_assignment", cfg, what=f"releasing {assignment}", force=True)
    return course.outbound / assignment


def candidate_home(course: CourseInfo, candidate: str, homes_dir: Path | str | None = None) -> Path:
    """Create (once) and return the simulated home of ``candidate``, with its nbgrader config."""
    why = check_candidate_id(candidate)
    if why:
        raise InputError(why)
    base = Path(homes_dir).resolve() if homes_dir else course.root / "candidate_homes"
    home = base / candidate
    jupyter = home / ".jupyter"
    jupyter.mkdir(parents=True, exist_ok=True)
    (jupyter / "nbgrader_config.py").write_text(
        CANDIDATE_CONFIG.format(
            candidate=candidate,
            course_id=course.course_id,
            exchange=str(course.exchange),
            cache=str(home / ".nbgrader_cache"),
            home=str(home),
        ),
        encoding="utf-8",
    )
    return home


def _candidate_config(course: CourseInfo, candidate: str, home: Path, assignment: str):
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(home / ".jupyter")).load_config()
    return make_config({"CourseDirectory": {"assignment_id": assignment}}, base=cfg)


def _check_released(course: CourseInfo, assignment: str) -> None:
    if not (course.exchange / course.course_id).is_dir():
        raise InputError(f"course {course.course_id!r} not found in the exchange", where=str(course.exchange))
    if not (course.outbound / assignment).is_dir():
        raise InputError(f"assignment {assignment!r} has not been released", where=str(course.outbound))


def fetch_as(
    *, course_dir: Path | str, candidate: str, assignment: str, homes_dir: Path | str | None = None
) -> Path:
    """Fetch the released ``assignment`` into ``candidate``'s home (as ``nbgrader fetch_assignment``).

    Returns the fetched assignment folder; fetching again keeps the candidate's work.
    """
    course = read_course(course_dir)
    _check_released(course, assignment)
    home = candidate_home(course, candidate, homes_dir)
    if not (home / assignment).is_dir():
        cfg = _candidate_config(course, candidate, home, assignment)
        run_app("fetch_assignment", cfg, what=f"fetching {assignment} as {candidate}")
    return home / assignment


def _inbound(course: CourseInfo, candidate: str, assignment: str) -> set[Path]:
    return set(course.inbound.glob(f"{candidate}+{assignment}+*"))


def submit_as(
    *,
    course_dir: Path | str,
    candidate: str,
    assignment: str,
    notebook_dir: Path | str | None = None,
    homes_dir: Path | str | None = None,
    listed_only: bool = True,
) -> Submission:
    """Submit ``assignment`` as ``candidate`` through nbgrader's exchange.

    Parameters
    ----------
    course_dir : Path
        The course folder (its config names the exchange and course id).
    candidate : str
        The candidate id the submission is filed under.
    assignment : str
        The released assignment.
    notebook_dir : Path, optional
        Notebooks holding the candidate's answers; copied over the fetched
        assignment before submitting. Without it, the fetched folder is submitted as is.
    homes_dir : Path, optional
        Where simulated candidate homes live. Default ``course_dir/candidate_homes``.

    listed_only : bool
        Refuse a candidate who is not on the course's list (a typo in a rehearsal would
        otherwise go unnoticed until collect). False rehearses a stranger's submission,
        which :func:`workbench.course.collect` reports and does not collect.

    Raises
    ------
    InputError
        Candidate not on the list (with ``listed_only``), assignment not released, no notebook.
    """
    course = read_course(course_dir)
    if listed_only:
        listed = {c.candidate_id for c in list_candidates(db_url=course.db_url, course_id=course.course_id)}
        if candidate not in listed:
            raise InputError(f"candidate {candidate!r} is not on the candidate list of course "
                             f"{course.course_id!r}; import them with `workbench course candidates import`",
                             where=str(course.root))
    work = fetch_as(course_dir=course.root, candidate=candidate, assignment=assignment, homes_dir=homes_dir)
    if notebook_dir is not None:
        notebooks = sorted(Path(notebook_dir).glob("*.ipynb"))
        if not notebooks:
            raise InputError("no notebook to submit", where=str(notebook_dir))
        for nb in notebooks:
            shutil.copy2(nb, work / nb.name)
    before = _inbound(course, candidate, assignment)
    cfg = _candidate_config(course, candidate, work.parent, assignment)
    run_app("submit", cfg, what=f"submitting {assignment} as {candidate}")
    (path,) = _inbound(course, candidate, assignment) - before
    return Submission(candidate, assignment, (path / "timestamp.txt").read_text().strip(), path)
