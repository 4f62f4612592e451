"""Collect submissions from the exchange, and say what happened to each of them.

nbgrader's collect takes every submission it finds and silently keeps only the
latest per student. Graders need to know more: who submitted more than once
(the latest wins; the earlier ones stay in the exchange), and who submitted
without being on the candidate list (not collected, left in the exchange).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from workbench.course._nbgrader import course_config, run_app
from workbench.course.candidates import list_candidates
from workbench.course.config import read_course
from workbench.errors import InputError


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
        # One nbgrader collect per listed candidate: unknown ids never reach submitted/.
        cfg = course_config(course.root, CourseDirectory={"assignment_id": assignment, "student_id": student})
        run_app("collect", cfg, what=f"collecting {assignment} of {student}", update=True)
        report.collected[student] = subs[-1][0]
        if len(subs) > 1:
            report.earlier[student] = [s for s, _ in subs[:-1]]
    report.missing = sorted(listed - set(by_student))
    return report
