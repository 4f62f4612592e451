"""The hostile corpus, graded as ONE sandboxed batch: statuses, containment, gradebook integrity."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import nbformat
import pytest

from tests.autograde.conftest import gradebook_scores, integrity_ok
from tests.autograde.fixtures import factory
from tests.autograde.hostile import KINDS, SECRET, Kind, inject_text
from workbench.autograde.journal import Journal
from workbench.autograde.runner import Options, journal_path, run
from workbench.course.feedback import ClearHiddenTracebacks

pytestmark = pytest.mark.slow

LIMITS = {"notebook_timeout": 40, "memory_bytes": 768 * 2**20, "max_output_bytes": 2 * 2**20,
          "file_bytes": 8 * 2**20, "nproc": 40}


def _tamper(nb: nbformat.NotebookNode, how: str) -> nbformat.NotebookNode:
    gid = lambda c: c.metadata.get("nbgrader", {}).get("grade_id")  # noqa: E731
    if how == "delete_tests":
        nb.cells = [c for c in nb.cells if gid(c) not in ("test_kmeans", "test_chart")]
    elif how == "edit_tests":
        nb = factory.fill(nb, factory.PROFILES["k3"])
        for c in nb.cells:
            if gid(c) in ("test_kmeans", "test_chart"):
                c.source = "pass  # trust me"
    elif how == "duplicate_ids":
        test = next(c for c in nb.cells if gid(c) == "test_load")
        nb.cells.insert(nb.cells.index(test), nbformat.from_dict(json.loads(json.dumps(test))))
        for c in nb.cells:
            c["id"] = "same-id"
    elif how in ("bad_points", "bad_metadata_type"):
        nb = factory.fill(nb, {})
        test = next(c for c in nb.cells if gid(c) == "test_kmeans")
        if how == "bad_points":
            test.metadata.nbgrader["points"] = "lots"
        else:
            test.metadata.nbgrader["solution"] = "no"  # the schema wants a boolean
    elif how == "k3":
        nb = factory.fill(nb, factory.PROFILES["k3"])
    return nb


def _write(root: Path, student: str, kind: Kind, *, outside: Path, port: int) -> None:
    if kind.name == "huge_200mb":
        dest = factory.submit(root, student, None)
        with open(dest / "segmentation.ipynb", "w") as fh:
            fh.write('{"cells": [{"cell_type": "markdown", "metadata": {}, "source": "')
            chunk = "x" * (1 << 20)
            for _ in range(200):
                fh.write(chunk)
            fh.write('"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
        return
    if kind.raw is not None:
        factory.submit(root, student, kind.raw)
        return
    nb = factory.fill(factory.release_notebook(root), {})
    nb = _tamper(nb, kind.tamper) if kind.tamper else nb
    if kind.inject:
        first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "load")
        first.source = inject_text(kind, course=str(root), outside=str(outside), port=port) + first.source
    factory.submit(root, student, nb)


class _Listener:
    """A loopback server the sandboxed code tries to reach: it must never get a connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        self.stop = True
        self.thread.join()
        self.sock.close()


UID_BASE = 64000 + 2 * (os.getpid() % 500)  # our own uids: other runs may share the machine


def _sandbox_processes() -> list[str]:
    """Processes still running under this batch's sandbox uids once the batch is over."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        uid = int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
        if UID_BASE <= uid < UID_BASE + 2:
            found.append(pid)
    return found


def _outputs_text(path: Path) -> str:
    """The outputs as the candidate's feedback shows them: a failed hidden test's traceback
    (which quotes its own line, instructor-side only) reduced as generate_feedback reduces it."""
    nb = nbformat.read(str(path), as_version=4)
    nb, _ = ClearHiddenTracebacks().preprocess(nb, {})
    return json.dumps([c.get("outputs", []) for c in nb.cells])


@pytest.mark.skipif(os.geteuid() != 0, reason="the uid-drop sandbox checks need root, as in CI")
def test_hostile_corpus_one_batch(course: Path, tmp_path: Path) -> None:
    assert len(KINDS) >= 25
    outside = tmp_path / "outside"
    outside.mkdir()
    os.chmod(outside, 0o777)  # writable by anyone: only the sandbox may stop a write here
    (outside / "keep.txt").write_text("keep")
    listener = _Listener()
    students = {}
    for i, kind in enumerate(KINDS):
        student = f"h{i:02d}_{kind.name}"
        _write(course, student, kind, outside=outside, port=listener.port)
        students[student] = kind
    # an honest candidate whose files hold a secret nobody else may read
    factory.submit(course, "zz_honest", factory.fill(factory.release_notebook(course), {}),
                   extra={"notes.txt": SECRET.encode()})
    factory.add_students(course, [*students, "zz_honest"])

    try:
        summary = run(course_dir=course, assignment="segmentation",
                      opts=Options(workers=2, cell_timeout=5, limits=LIMITS,
                                   uid_base=UID_BASE))
    finally:
        listener.close()
    time.sleep(4)  # give an escaped background process the time to do its damage

    entries = Journal(journal_path(course)).entries("segmentation")
    got = {s: entries[s].status for s in students}
    want = {s: got[s] if got[s] in k.also else k.status for s, k in students.items()}
    assert got == want, {s: entries[s].detail for s in students if got[s] != want[s]}
    scores = gradebook_scores(course)
    for student, kind in students.items():
        if kind.score is not None:
            assert scores[student]["total"] == kind.score, student
    assert scores["zz_honest"]["total"] == 6.0
    assert summary.infra_failed == 0 and summary.graded == len(students) + 1

    # nothing escaped
    assert listener.connections == 0
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert not (course / "pwned.txt").exists() and not Path("/tmp/pwned.txt").exists()
    assert (course / "gradebook.db").exists() and (course / "release" / "segmentation").is_dir()
    assert _sandbox_processes() == []
    for student, kind in students.items():
        path = course / "autograded" / student / "segmentation" / "segmentation.ipynb"
        if path.exists():
            text = _outputs_text(path)
            assert SECRET not in text and "inertia_ < 7500" not in text, student
            assert "CONNECTED" not in text
    assert integrity_ok(course / "gradebook.db")
