"""Resume after `kill -9` of the coordinator, and infrastructure faults that are retried."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.autograde.conftest import EXPECTED, add_cohort, gradebook_scores, integrity_ok
from workbench.autograde.backends import LocalBackend
from workbench.autograde.runner import journal_path
from workbench.autograde.sandbox import InfraError, Limits, Zygote

pytestmark = pytest.mark.slow


def _done(course: Path) -> int:
    path = journal_path(course)
    if not path.exists():
        return 0
    con = sqlite3.connect(str(path), timeout=10)
    try:
        return con.execute("SELECT count(*) FROM jobs WHERE state = 'done'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def _cli(course: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "workbench.cli", "autograde", "segmentation",
                             "--course-dir", str(course), "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_kill_minus_9_then_rerun_grades_only_the_rest(course: Path) -> None:
    profiles = list(EXPECTED) + ["good", "k3"]
    cohort = add_cohort(course, profiles)
    proc = _cli(course)
    deadline = time.monotonic() + 240
    while _done(course) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished_before = _done(course)
    assert 3 <= finished_before < len(cohort)

    again = _cli(course)
    out, _ = again.communicate(timeout=400)
    assert again.returncode == 0, out
    assert f"{finished_before} submission(s) already graded: skipped" in out
    assert f"graded {len(cohort) - finished_before}," in out
    scores = gradebook_scores(course)
    assert {s: scores[s]["total"] for s in cohort} == {s: EXPECTED[p] for s, p in cohort.items()}
    assert _done(course) == len(cohort)
    assert integrity_ok(course / "gradebook.db")


def test_worker_death_is_retried_not_blamed_on_the_candidate() -> None:
    backend = LocalBackend(workers=1, sandbox=True, retries=2, preload=[])
    try:
        zygote = None
        cells = [{"cell_type": "code", "source": "import time\ntime.sleep(5)\nprint('fine')"}]
        future = backend.submit([{"name": "nb", "cells": cells}], {}, Limits().as_dict())
        # kill the warm zygote (and its sandbox) while it is running the candidate's cell
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait until the job is staged, i.e. running
            zygote = backend._zygotes[0] if backend._zygotes else None
            if zygote and zygote.proc and os.listdir(zygote.jobs_dir):
                break
            time.sleep(0.02)
        time.sleep(0.5)
        os.kill(zygote.proc.pid, signal.SIGKILL)
        result = future.result(timeout=120)
    finally:
        backend.close()
    assert result["infra_retries"] >= 1
    assert result["notebooks"]["nb"]["status"] == "ok"
    assert result["notebooks"]["nb"]["cells"][0]["outputs"][0]["text"] == "fine\n"


def test_zygote_that_cannot_start_is_an_infrastructure_fault() -> None:
    zygote = Zygote(sandbox=True, uid=62999, preload=[], start_timeout=0.001)
    try:
        with pytest.raises(InfraError):
            zygote.start()
    finally:
        zygote.close()
