"""A small course made from the fixture assignment, submitted by c002, collected and autograded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ASSIGNMENT = "warmup"


def answered(work: Path, *, code: str, written: str) -> None:
    """Write a candidate's answers into the fetched notebook (solution cell and written answer)."""
    path = work / f"{ASSIGNMENT}.ipynb"
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid == "churn_rate":
            cell["source"] = code
        elif gid == "justify":
            cell["source"] = written
    path.write_text(json.dumps(nb))


def graded_course(root: Path, *, lang: str = "en", course_id: str = "cert-b1") -> Path:
    """Create, release, fetch and submit as c002 (figure left unanswered), collect, ``nbgrader autograde``."""
    from workbench.course import collect, create_course, fetch_as, release, submit_as

    create_course(course_dir=root, course_id=course_id, candidates_csv=FIXTURES / "candidates.csv",
                  source=FIXTURES / "source", lang=lang)
    release(course_dir=root, assignment=ASSIGNMENT)
    work = fetch_as(course_dir=root, candidate="c002", assignment=ASSIGNMENT)
    answered(work, code="def churn_rate(a, b):\n    return 100 * a / b", written="They spent the most.")
    submit_as(course_dir=root, candidate="c002", assignment=ASSIGNMENT)
    collect(course_dir=root, assignment=ASSIGNMENT)
    env = {**os.environ, "HOME": str(root), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("WORKBENCH_LANG", None)  # the course's language, as in a grader's shell
    run = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return root


def fixture_map():
    """The criterion map of the fixture assignment (the real one is grading/criterion_map.yml)."""
    from workbench.scores import CriterionMap, MapCell

    return CriterionMap(assignment=ASSIGNMENT, notebooks={ASSIGNMENT: (
        MapCell(cell="test_churn_rate", criterion="B1.1.a", kind="autograde", points=1),
        MapCell(cell="clarity_rates", criterion="B1.3.a", kind="autograde", points=1),
        MapCell(cell="justify", criterion="B1.1.b", kind="rubric", points=3),
    )})
