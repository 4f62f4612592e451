"""A small course made from the fixture assignment, shared by the course tests."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory) -> Path:
    from workbench.course import create_course, release

    root = tmp_path_factory.mktemp("course") / "cert-b1"
    create_course(
        course_dir=root, course_id="cert-b1", candidates_csv=FIXTURES / "candidates.csv",
        source=FIXTURES / "source",
    )
    release(course_dir=root, assignment="warmup")
    return root
