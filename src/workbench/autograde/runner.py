"""The coordinator: decide what to grade, feed the backend, write results to the gradebook.

Preparation and finalisation (all gradebook writes) happen here, in one thread, while a
bounded window of submissions executes on the workers, so memory stays flat with cohort size.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from nbformat.warnings import DuplicateCellId
from sqlalchemy.exc import SAWarning

from workbench.autograde.journal import Journal
from workbench.autograde.outcome import FAULTS, worst
from workbench.autograde.sandbox import Limits
from workbench.errors import InputError, StorageError, WorkbenchError


@dataclass
class Summary:
    """What a batch did."""

    graded: int = 0
    skipped: int = 0
    faults: int = 0
    cell_errors: int = 0
    infra_retries: int = 0
    infra_failed: int = 0
    statuses: dict[str, str] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    worker_cpu: float = 0.0  # CPU seconds per job on the workers: the child (fork to exit) and the zygote's share
    cells_cpu: float = 0.0  # of which inside the candidates' cells (their code, displays, figures)
    warm_cpu: float = 0.0  # the local zygotes' warm-up (imports, shell), once per slot and batch; 0 on Dask
    needs_review: dict[str, list[str]] = field(default_factory=dict)  # candidate -> why a marker must look
    unknown: list[str] = field(default_factory=list)  # submitted/ folders of students not in the gradebook
    rejected: dict[str, str] = field(default_factory=dict)  # student -> why the submission was not taken
    found: int = 0  # submissions of the assignment in submitted/
    hints: list[str] = field(default_factory=list)  # what the user may do next, one line each


@dataclass
class Options:
    """Everything a batch needs besides the course and the assignment."""

    workers: int = 0
    scheduler: str | None = None
    sandbox: bool = True
    retries: int = 2
    force: bool = False
    students: tuple[str, ...] = ()
    db_url: str | None = None
    cell_timeout: float | None = None
    limits: dict[str, Any] = field(default_factory=dict)
    preload: list[str] | None = None
    uid_base: int = 62000  # sandbox uids: uid_base + slot (local workers)


if TYPE_CHECKING:
    from workbench.autograde.course import CourseBridge, Prepared

Listener = Callable[[str, Any], None]


def journal_path(course_dir: Path) -> Path:
    return course_dir / ".workbench" / "autograde.db"


def _backend(opts: Options):
    from workbench.autograde.backends import DaskBackend, LocalBackend

    if opts.scheduler:
        return DaskBackend(address=opts.scheduler, sandbox=opts.sandbox, retries=opts.retries,
                           preload=opts.preload)
    workers = opts.workers or os.cpu_count() or 1
    return LocalBackend(workers=workers, sandbox=opts.sandbox, retries=opts.retries,
                        preload=opts.preload, uid_base=opts.uid_base)


def _select(bridge: CourseBridge, journal: Journal, opts: Options, summary: Summary) -> list[tuple[str, str]]:
    """Submissions to grade: new, changed, unfinished, or all with --force."""
    known = journal.entries(bridge.assignment)
    registered = bridge.registered_students()
    found = bridge.students()
    recorded = bridge.recorded() if known else set()
    summary.found = len(found)
    _check_students(bridge, opts.students, found, registered)
    if not found:
        summary.hints.append(f"nothing to grade: no submission of {bridge.assignment!r} in submitted/; "
                             f"collect them first: workbench course collect --dir {bridge.coursedir.root} "
                             f"{bridge.assignment}")
    todo = []
    for student in found:
        if opts.students and student not in opts.students:
            continue
        if bridge.excluded(student):  # CourseDirectory.student_id_exclude: as nbgrader, silently
            continue
        if registered is not None and student not in registered:  # as nbgrader with create_student=False: not graded, said once
            summary.unknown.append(student)
            continue
        fp = bridge.fingerprint(student)
        entry = known.get(student)
        if (not opts.force and entry and entry.state == "done" and entry.fingerprint == fp
                and bridge.autograded_dir(student).exists() and student in recorded):
            summary.skipped += 1
            continue
        if not opts.force and entry is None and bridge.graded_by_nbgrader(student):
            summary.skipped += 1  # graded earlier by `nbgrader autograde`: same rule as nbgrader
            continue
        todo.append((student, fp))
    return todo


def _check_students(bridge: CourseBridge, wanted: tuple[str, ...], found: list[str],
                    registered: set[str] | None) -> None:
    """Refuse a ``--student`` that names nobody to grade, before anything is graded."""
    faults = []
    for student in wanted:
        if bridge.excluded(student):  # CourseDirectory.student_id_exclude: as nbgrader, silently
            continue
        if registered is not None and student not in registered:
            faults.append(f"{student!r} is not on the candidate list")
        elif student not in found:
            faults.append(f"{student!r} has no collected submission of {bridge.assignment!r} "
                          "(run `workbench course collect` first)")
    if faults:
        raise InputError(f"unknown --student: {'; '.join(faults)}", where=str(bridge.coursedir.root))


def run(*, course_dir: Path, assignment: str, opts: Options, listen: Listener | None = None) -> Summary:
    """Autograde every pending submission of ``assignment``; return the batch summary."""
    with warnings.catch_warnings():
        # nbgrader's own gradebook code trips SQLAlchemy autoflush warnings; they are not ours.
        warnings.simplefilter("ignore", SAWarning)
        warnings.simplefilter("ignore", DuplicateCellId)  # nbformat fixes them; we report status
        return _run(course_dir=course_dir, assignment=assignment, opts=opts, listen=listen)


def _run(*, course_dir: Path, assignment: str, opts: Options, listen: Listener | None) -> Summary:
    started = time.monotonic()
    listen = listen or (lambda event, data: None)
    # Warm the zygotes first: their imports overlap with nbgrader's in this process.
    backend = _backend(opts)
    try:
        from workbench.autograde.steps import shared_gradebook  # imports nbgrader: after the zygotes

        with shared_gradebook(), storage_faults(course_dir, opts.db_url):
            summary = _grade(course_dir=course_dir, assignment=assignment, opts=opts, listen=listen,
                             backend=backend, started=started)
        summary.warm_cpu = round(backend.warm_cpu(), 3)
        return summary
    finally:
        backend.close()


@contextlib.contextmanager
def storage_faults(course_dir: Path, db_url: str | None = None) -> Iterator[None]:
    """Turn a file fault (read-only folder, full disk, corrupted database) into one line naming
    the file. What was recorded stays: each gradebook or journal write is one transaction, and
    a submission counts as graded only once its journal row says done."""
    try:
        yield
    except OSError as exc:
        raise StorageError(f"{exc.strerror or exc}", where=exc.filename or str(course_dir),
                           pending=exc.errno == errno.ENOSPC) from None
    except sqlite3.Error as exc:  # the job journal
        raise StorageError(f"job journal: {exc}", where=str(journal_path(course_dir)),
                           pending="full" in str(exc)) from None
    except Exception as exc:  # the gradebook, its error as raised or wrapped (nbgrader's InvalidEntry)
        db = _database_error(exc)
        if db is None:
            raise
        orig = db.orig if db.orig is not None else db
        raise StorageError(f"gradebook: {orig}", where=_gradebook_where(course_dir, db_url),
                           pending="full" in str(orig)) from None


def _database_error(exc: BaseException) -> BaseException | None:
    """The database error behind ``exc``: itself, or what it was raised from or during. nbgrader
    turns a failed write into ``InvalidEntry`` with the database's message (a page overwritten
    while a batch runs), which is a storage fault like any other."""
    from sqlalchemy.exc import DBAPIError

    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DBAPIError):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _gradebook_where(course_dir: Path, db_url: str | None) -> str:
    from workbench.autograde.preflight import gradebook_url, load_config

    url = gradebook_url(load_config(course_dir, db_url))
    return url[len("sqlite:///"):] if url.startswith("sqlite:///") else url.split("@")[-1]


def _grade(*, course_dir: Path, assignment: str, opts: Options, listen: Listener, backend: Any,
           started: float) -> Summary:
    from workbench.autograde.course import CourseBridge, SubmissionRejected

    bridge = CourseBridge(course_dir=course_dir, assignment=assignment, db_url=opts.db_url)
    limits = asdict(Limits())
    limits["cell_timeout"] = float(opts.cell_timeout or bridge.cell_timeout)
    limits.update(opts.limits)
    journal = Journal(journal_path(course_dir))
    summary = Summary()
    todo = _select(bridge, journal, opts, summary)
    listen("start", {"total": len(todo), "skipped": summary.skipped})
    if not todo:
        journal.close()
        return summary
    window = max(2, 2 * backend.workers)  # enough to keep workers busy, bounded for memory
    inflight: dict[Any, tuple[Prepared, str, float]] = {}
    queue = list(todo)
    try:
        while queue or inflight:
            while queue and len(inflight) < window:
                student, fp = queue.pop(0)
                journal.start(assignment, student, fp)
                try:
                    prepared = bridge.prepare(student)
                except SubmissionRejected as exc:
                    _reject(bridge, journal, student, str(exc), summary, listen)
                    continue
                payload = [{"name": nb.name, "cells": nb.cells} for nb in prepared.notebooks]
                if not payload:  # nothing to execute (every notebook broken): decide now
                    _complete(bridge, journal, prepared, {"notebooks": {}, "infra_retries": 0},
                              summary, listen, time.monotonic())
                    continue
                future = backend.submit(payload, prepared.files, limits)
                inflight[future] = (prepared, fp, time.monotonic())
            for future in backend.wait_any(inflight):
                prepared, fp, t0 = inflight.pop(future)
                try:
                    result = future.result()
                except WorkbenchError:
                    raise  # the set-up is wrong (e.g. no sandbox): every submission would fail alike
                except Exception as exc:  # a worker lost for good (e.g. Dask KilledWorker)
                    result = {"infra_failed": f"{type(exc).__name__}: {exc}", "infra_retries": 1}
                _complete(bridge, journal, prepared, result, summary, listen, t0)
    finally:
        journal.close()
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _reject(bridge: CourseBridge, journal: Journal, student: str, why: str, summary: Summary,
            listen: Listener) -> None:
    """A submission nbgrader would fail as a whole: not graded, no autograded folder, named."""
    bridge.discard(student)
    summary.rejected[student] = why
    journal.finish(bridge.assignment, student, status="rejected", detail=why[:500], score=None,
                   max_score=None, infra_retries=0, seconds=0.0, done=False)
    listen("candidate", {"student": student, "status": "rejected", "detail": why})


def _complete(bridge: CourseBridge, journal: Journal, prepared: Prepared, result: dict,
              summary: Summary, listen: Listener, t0: float) -> None:
    """Write one submission's results to the gradebook, then mark it done in the journal."""
    student = prepared.student
    retries = int(result.get("infra_retries", 0))
    summary.infra_retries += retries
    summary.worker_cpu += float(result.get("cpu", 0.0))
    summary.cells_cpu += float(result.get("cells_cpu", 0.0))
    if "infra_failed" in result:
        summary.infra_failed += 1
        summary.statuses[student] = "infra-failed"
        journal.finish(bridge.assignment, student, status="infra-failed", detail=result["infra_failed"],
                       score=None, max_score=None, infra_retries=retries,
                       seconds=time.monotonic() - t0, done=False)
        bridge.discard(student)  # like nbgrader after a failure: no half-graded notebook left
        listen("candidate", {"student": student, "status": "infra-failed",
                             "detail": result["infra_failed"]})
        return
    notebooks = result["notebooks"]
    try:
        bridge.finalize(prepared, notebooks, written=result.get("written") or {})
    except Exception as exc:  # never let one submission stop the batch; it stays pending
        _complete(bridge, journal, prepared, {"infra_failed": f"writing results failed: {exc!r}",
                                              "infra_retries": retries}, summary, listen, t0)
        summary.infra_retries -= retries
        return
    statuses = ([nb["status"] for nb in notebooks.values()] + ["invalid-notebook"] * len(prepared.invalid)
                + ["needs-review"] * bool(prepared.review) + ["invalid-output"] * bool(prepared.output_faults))
    details = ([nb["detail"] for nb in notebooks.values() if nb["detail"]] + list(prepared.invalid.values())
               + prepared.review + prepared.output_faults)
    if prepared.review:
        summary.needs_review[student] = list(prepared.review)
    status = worst(statuses)
    score, max_score = bridge.score(student)
    journal.finish(bridge.assignment, student, status=status, detail="; ".join(details)[:500],
                   score=score, max_score=max_score, infra_retries=retries,
                   seconds=time.monotonic() - t0)
    summary.graded += 1
    summary.faults += status in FAULTS
    summary.cell_errors += status == "errors"
    summary.statuses[student] = status
    summary.scores[student] = score
    listen("candidate", {"student": student, "status": status, "score": score, "max_score": max_score,
                         "detail": "; ".join(details)[:200]})
