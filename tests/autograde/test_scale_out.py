"""Scale-out: a real Dask cluster on loopback, and a gradebook on a real PostgreSQL server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.autograde import services
from tests.autograde.conftest import EXPECTED, add_cohort, gradebook_scores, integrity_ok
from tests.autograde.fixtures import factory
from workbench.autograde.runner import Options, run


@pytest.mark.slow
@pytest.mark.dask
def test_dask_two_workers_same_scores(course: Path) -> None:
    cohort = add_cohort(course, ["good", "k3", "typo"])
    with services.dask_cluster(workers=2) as address:
        summary = run(course_dir=course, assignment="segmentation", opts=Options(scheduler=address))
    scores = gradebook_scores(course)
    assert {s: scores[s]["total"] for s in cohort} == {s: EXPECTED[p] for s, p in cohort.items()}
    assert summary.graded == 3 and summary.infra_failed == 0
    assert integrity_ok(course / "gradebook.db")


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.skipif(services.postgres_bindir() is None, reason="postgresql not installed")
@pytest.mark.skipif(os.geteuid() != 0, reason="starts postgres as the postgres user")
def test_postgres_gradebook(tmp_path: Path) -> None:
    with services.postgres_server() as url:
        root = tmp_path / "course"
        root.mkdir()
        factory.build_course(root, db_url=url)
        release = factory.release_notebook(root)
        for student, profile in [("pg_good", "good"), ("pg_k3", "k3")]:
            factory.submit(root, student, factory.fill(release, factory.PROFILES[profile]))
        factory.add_students(root, ["pg_good", "pg_k3"], db_url=url)
        summary = run(course_dir=root, assignment="segmentation", opts=Options(workers=2))
        scores = gradebook_scores(root, db_url=url)
    assert summary.graded == 2
    assert scores["pg_good"]["total"] == EXPECTED["good"]
    assert scores["pg_k3"]["total"] == EXPECTED["k3"]
    assert not (root / "gradebook.db").exists()  # everything went to PostgreSQL
