"""Collect submissions from the exchange, and say what happened to each of them.

nbgrader's collect takes every submission it finds and silently keeps only the
latest per student. Graders need to know more: who submitted more than once
(the latest wins; the earlier ones stay in the exchange), and who submitted
without being on the candidate list (not collected, left in the exchange).
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from workbench.course._nbgrader import course_config, run_app
from workbench.course.candidates import list_candidates
from workbench.course.config import read_course
from workbench.errors import InputError, WorkbenchError

try:
    import pwd
except ImportError:  # Windows: no owners to check, as in nbgrader
    pwd = None


@dataclass
class CollectReport:
    """What :func:`collect` found and did."""

    assignment: str
    inbound: Path
    collected: dict[str, str] = field(default_factory=dict)
    """candidate -> timestamp of the submission collected (the latest)."""
    earlier: dict[str, list[str]] = field(default_factory=dict)
    """candidate -> timestamps of earlier submissions, kept in the exchange, not graded."""
    unknown: dict[str, list[Path]] = field(default_factory=dict)
    """id not on the candidate list -> its submissions, left in the exchange."""
    missing: list[str] = field(default_factory=list)
    """candidates on the list who have not submitted."""
    failed: dict[str, str] = field(default_factory=dict)
    """candidate -> why their submission could not be collected (left in the exchange)."""

    def lines(self) -> list[str]:
        """Human-readable summary, one fact per line."""
        out = [f"collected {len(self.collected)} submission(s) of {self.assignment!r}"]
        for cid, stamps in sorted(self.earlier.items()):
            out.append(
                f"{cid} submitted {len(stamps) + 1} times: collected the latest ({self.collected[cid]}); "
                f"earlier kept in the exchange: {', '.join(stamps)}"
            )
        for sid, paths in sorted(self.unknown.items()):
            out.append(
                f"{sid!r} is not on the candidate list: {len(paths)} submission(s) not collected, "
                f"left in {self.inbound}"
            )
        for cid, why in sorted(self.failed.items()):
            out.append(f"{cid}: NOT collected: {why}; the submission is left in {self.inbound}")
        if self.missing:
            out.append(f"{len(self.missing)} candidate(s) have not submitted: {', '.join(self.missing)}")
        return out


def _split(name: str) -> tuple[str, str, str]:
    """``student+assignment+timestamp[+random]`` -> (student, assignment, timestamp)."""
    student, assignment, timestamp = name.split("+")[:3]
    return student, assignment, timestamp


def scan_inbound(inbound: Path, assignment: str) -> dict[str, list[tuple[str, Path]]]:
    """Submissions of ``assignment`` in ``inbound`` per student id, oldest first."""
    from nbgrader.utils import parse_utc

    found: dict[str, list[tuple[str, Path]]] = defaultdict(list)
    for path in inbound.glob(f"*+{assignment}+*"):
        student, name, stamp = _split(path.name)
        if name == assignment:
            found[student].append((stamp, path))
    return {s: sorted(v, key=lambda sp: parse_utc(sp[0])) for s, v in found.items()}


def _check_submission(path: Path, student: str, cfg) -> None:
    """Refuse a submission nbgrader would collect badly: a file above ``max_file_size`` (nbgrader
    silently drops it, so the candidate would score 0 unaware), an unreadable file, or, when
    ``check_owner`` is on, a folder owned by someone else."""
    limit = int(cfg.CourseDirectory.get("max_file_size", 100000)) * 1000  # nbgrader's unit: kB
    if cfg.ExchangeCollect.get("check_owner", True) and pwd is not None:
        try:
            owner = pwd.getpwuid(path.stat().st_uid).pw_name
        except KeyError:
            owner = f"uid {path.stat().st_uid}"
        if owner != student:
            raise InputError(f"submitted by account {owner!r}, not {student!r} (ExchangeCollect.check_owner)")
    for root, _dirs, files in os.walk(path, onerror=_raise):
        for name in files:
            file = Path(root) / name
            size = file.stat().st_size
            if size > limit:
                raise InputError(f"file {name!r} is too large ({size / 1e6:.0f} MB, the limit is "
                                 f"{limit / 1e6:.0f} MB: CourseDirectory.max_file_size)")
            with open(file, "rb") as fh:  # unreadable: raises, with the file's name
                fh.read(1)


def _raise(exc: OSError) -> None:
    raise exc


def _collect_one(root: Path, student: str, assignment: str, cfg) -> None:
    """nbgrader's collect for one candidate; on failure ``submitted/`` is as it was (an earlier
    collected submission kept whole, no empty folder left)."""
    dest = root / "submitted" / student / assignment
    parent_made = not dest.parent.exists()
    backup = dest.with_name(f".{assignment}.before-collect")
    if dest.exists():
        shutil.rmtree(backup, ignore_errors=True)
        shutil.copytree(dest, backup, symlinks=True)
    try:
        run_app("collect", cfg, what=f"collecting {assignment} of {student}", update=True)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        if backup.exists():
            backup.rename(dest)
        elif parent_made:
            shutil.rmtree(dest.parent, ignore_errors=True)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def collect(*, course_dir: Path | str, assignment: str, course_id: str | None = None) -> CollectReport:
    """Collect the latest submission of every listed candidate into ``submitted/``.

    Raises
    ------
    InputError
        Wrong course id, or no submission of ``assignment`` at all.
    """
    course = read_course(course_dir, course_id=course_id)
    if not course.inbound.is_dir():
        raise InputError(f"course {course.course_id!r} not found in the exchange", where=str(course.exchange))
    by_student = scan_inbound(course.inbound, assignment)
    if not by_student:
        raise InputError(
            f"nothing to collect: no submission of {assignment!r} in the exchange", where=str(course.inbound)
        )
    listed = {c.candidate_id for c in list_candidates(db_url=course.db_url, course_id=course.course_id)}
    report = CollectReport(assignment=assignment, inbound=course.inbound)
    for student, subs in sorted(by_student.items()):
        if student not in listed:
            report.unknown[student] = [p for _, p in subs]
            continue
        # One nbgrader collect per listed candidate: unknown ids never reach submitted/, and
        # one bad submission is reported without stopping the others.
        cfg = course_config(course.root, CourseDirectory={"assignment_id": assignment, "student_id": student})
        try:
            _check_submission(subs[-1][1], student, cfg)
            _collect_one(course.root, student, assignment, cfg)
        except (WorkbenchError, OSError) as exc:
            report.failed[student] = str(exc.message if isinstance(exc, WorkbenchError) else exc)
            continue
        report.collected[student] = subs[-1][0]
        if len(subs) > 1:
            report.earlier[student] = [s for s, _ in subs[:-1]]
    report.missing = sorted(listed - set(by_student))
    return report
