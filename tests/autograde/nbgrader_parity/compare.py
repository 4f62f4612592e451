"""Grade any nbgrader course with both tools and list the differences (for courses not in the suite).

    python -m tests.autograde.nbgrader_parity.compare COURSE_DIR ASSIGNMENT [--keep DIR]

The course is copied twice (it is never changed); ``nbgrader autograde ASSIGNMENT`` runs on one
copy, ``workbench autograde ASSIGNMENT`` on the other, then the exit status class, gradebook,
``autograded/`` tree and notebooks are compared as in the parity suite. Exit 0 when they match.
The course's gradebook must be inside the course folder (each copy then has its own).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.autograde.nbgrader_parity.harness import Course, twins


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path)
    parser.add_argument("assignment")
    parser.add_argument("--keep", type=Path, help="keep both copies in this folder")
    args = parser.parse_args(argv)
    course = args.course.resolve()
    from workbench.autograde.preflight import gradebook_url, load_config

    url = gradebook_url(load_config(course, None))
    if not url.startswith(f"sqlite:///{course}/"):
        print(f"{course}: the gradebook ({url}) must be a sqlite file inside the course folder", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="parity-"))
    work.mkdir(parents=True, exist_ok=True)
    pair = twins(Course(course), work)
    codes = pair.autograde(args.assignment)
    diffs = pair.differences()
    print(f"exit codes: nbgrader {codes[0]}, workbench {codes[1]}; copies in {work}")
    print("\n".join(diffs) if diffs else "no difference")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
