"""Create a course instance: nbgrader config, exchange, source assignments, candidates."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workbench.course.candidates import import_candidates, read_candidates
from workbench.course.config import CourseInfo, check_course_id, check_lang, read_course, write_config
from workbench.errors import InputError
from workbench.paths import project_root
from workbench_candidate.lang import COURSE_FILE


@dataclass(frozen=True)
class CourseCreated:
    """What :func:`create_course` made."""

    course: CourseInfo
    assignments: list[str]
    candidates: int


def _outside_repo(path: Path, what: str) -> None:
    # The course holds candidates' work and a gradebook: never commit-able by accident.
    root = project_root().resolve()
    if path == root or root in path.parents:
        raise InputError(f"the {what} must be outside the repository ({root})", where=str(path))


def build_scenario_source(scenario: str, out: Path, *, lang: str = "en") -> Path:
    """Build the block-1 assignment of ``scenario`` (notebooks in ``lang`` and data) into ``out/<assignment>``."""
    from workbench.exercises.build import build_assignment

    return build_assignment(scenario_id=scenario, out=out, lang=lang).folder


def _assignment_dirs(source: Path) -> list[Path]:
    """``source`` is nbgrader's ``source/`` layout (one folder per assignment) or one assignment."""
    if not source.is_dir():
        raise InputError("source assignments not found", where=str(source))
    if any(source.glob("*.ipynb")):
        return [source]
    dirs = sorted(d for d in source.iterdir() if d.is_dir() and any(d.glob("*.ipynb")))
    if not dirs:
        raise InputError("no assignment (a folder of .ipynb notebooks) found", where=str(source))
    return dirs


def _copy_sources(source: Path, course_dir: Path) -> list[str]:
    names = []
    for adir in _assignment_dirs(source):
        dest = course_dir / "source" / adir.name
        shutil.copytree(adir, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        names.append(adir.name)
    return names


def _set_released_lang(course_dir: Path, lang: str) -> None:
    """Name the course language in every assignment's released ``data/course.yml``."""
    for adir in (course_dir / "source").iterdir():
        if adir.is_dir():
            (adir / "data").mkdir(exist_ok=True)
            (adir / "data" / COURSE_FILE).write_text(f"lang: {lang}\n", encoding="utf-8")


def copy_judge_keys(course_dir: Path) -> None:
    """Copy the answer key of every scenario a source notebook is built for into the course's
    ``.workbench/judge/`` (grader side only: never released, never bound into the sandbox)."""
    import json

    from workbench.autograde.judge import key_path
    from workbench.scenarios.load import scenarios_dir

    named = set()
    for path in (course_dir / "source").glob("*/*.ipynb"):
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("workbench", {})
        if meta.get("scenario"):
            named.add(meta["scenario"])
    for scenario in sorted(named):
        source = scenarios_dir() / f"{scenario}.yml"
        if not source.is_file():
            raise InputError(f"no answer key for scenario {scenario!r}", where=str(source))
        dest = key_path(course_dir, scenario)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        os.chmod(dest, 0o600)


def _make_exchange(exchange_dir: Path) -> None:
    exchange_dir.mkdir(parents=True, exist_ok=True)
    # nbgrader's exchange is shared by every candidate account: it must be world-writable.
    os.chmod(exchange_dir, 0o777)


def create_course(
    *,
    course_dir: Path | str,
    course_id: str,
    candidates_csv: Path | str,
    exchange_dir: Path | str | None = None,
    scenario: str | None = None,
    source: Path | str | None = None,
    db_url: str | None = None,
    lang: str = "en",
) -> CourseCreated:
    """Create a course folder nbgrader's own commands work in.

    Parameters
    ----------
    course_dir : Path
        New (or empty) folder outside the repository; becomes ``CourseDirectory.root``.
    course_id : str
        nbgrader course id (letters, digits, ``._-``).
    candidates_csv : Path
        Candidate list (see :func:`workbench.course.candidates.read_candidates`).
    exchange_dir : Path, optional
        nbgrader exchange root (mode 777). Default ``course_dir/exchange``.
    scenario : str, optional
        Build ``source/`` with ``workbench exercises build --scenario``.
    source : Path, optional
        Or copy ``source/`` from this folder (nbgrader ``source/`` layout or one assignment).
    db_url : str, optional
        Gradebook URL. Default ``sqlite:///course_dir/gradebook.db``.
    lang : {"en", "fr"}
        The course's language: the notebooks built from ``scenario`` are written in it, and it is
        written into each assignment's released ``data/course.yml`` (self-checks speak it) and the
        config (verdicts and feedback are written in it). Notebooks copied from ``source`` keep
        the language they were built in.

    Raises
    ------
    InputError
        Bad course id, folder inside the repository or not empty, bad candidate list.
        The candidate list is checked first: on any error nothing is created.
    """
    check_course_id(course_id)
    check_lang(lang)
    course_dir = Path(course_dir).resolve()
    exchange = Path(exchange_dir).resolve() if exchange_dir else course_dir / "exchange"
    _outside_repo(course_dir, "course folder")
    _outside_repo(exchange, "exchange folder")
    if (scenario is None) == (source is None):
        raise InputError("give exactly one of scenario or source for the assignments")
    if course_dir.exists() and any(course_dir.iterdir()):
        raise InputError("course folder exists and is not empty", where=str(course_dir))
    candidates = read_candidates(candidates_csv)  # before any write: a bad list creates nothing
    made = [p for p in (course_dir, exchange) if not p.exists()]
    course_dir.mkdir(parents=True, exist_ok=True)
    try:
        if scenario is not None:
            with tempfile.TemporaryDirectory() as tmp:
                names = _copy_sources(build_scenario_source(scenario, Path(tmp), lang=lang), course_dir)
        else:
            names = _copy_sources(Path(source).resolve(), course_dir)
        copy_judge_keys(course_dir)
        _set_released_lang(course_dir, lang)
        _make_exchange(exchange)
        url = db_url or f"sqlite:///{course_dir / 'gradebook.db'}"
        write_config(root=course_dir, course_id=course_id, exchange=exchange, db_url=url, lang=lang)
        count = import_candidates(db_url=url, course_id=course_id, candidates=candidates)
    except BaseException:
        _undo(course_dir, made)  # a mistyped scenario (or Ctrl-C) leaves nothing behind
        raise
    return CourseCreated(course=read_course(course_dir), assignments=names, candidates=count)


def _undo(course_dir: Path, made: list[Path]) -> None:
    """Remove what a failed :func:`create_course` wrote: the folders it made, or the contents
    of the (empty) course folder it was given."""
    for path in made:
        shutil.rmtree(path, ignore_errors=True)
    if course_dir.is_dir():
        for child in course_dir.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
