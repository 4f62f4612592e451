"""A scratch nbgrader course built from the exercise set, driven by real nbgrader commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

from workbench.exercises.answers import fill, reference_answers  # noqa: F401 (re-exported for the tests)
from workbench.exercises.build import build_assignment

ASSIGNMENT = "block1"
NBGRADER = str(Path(sys.executable).with_name("nbgrader"))

CONFIG = """\
c = get_config()
c.CourseDirectory.course_id = "block1-roundtrip"
c.CourseDirectory.root = {root!r}
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.Execute.timeout = 180
"""


def make_course(root: Path, scenario: str) -> Path:
    """Write ``root/source/block1`` for ``scenario`` and the course's nbgrader_config.py."""
    root.mkdir(parents=True, exist_ok=True)
    from workbench.course.create import copy_judge_keys

    build_assignment(scenario_id=scenario, out=root / "source")
    copy_judge_keys(root)  # what `workbench course create` does: the judge's answer keys
    (root / "nbgrader_config.py").write_text(CONFIG.format(root=str(root)), encoding="utf-8")
    return root


def nbgrader(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run ``nbgrader <args>`` on the course; a failure shows nbgrader's own log."""
    proc = subprocess.run([NBGRADER, *args, f"--CourseDirectory.root={root}"], cwd=root, text=True,
                          capture_output=True, timeout=timeout, env=_env())
    if proc.returncode != 0:
        raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["MPLBACKEND"] = "Agg"
    # three autograde runs share 2 cores: one thread per kernel avoids OpenMP oversubscription
    env.setdefault("OMP_NUM_THREADS", "1")
    # nbgrader runs `alembic` and the kernel from PATH: make them the venv's, activated or not
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("JUPYTER_CONFIG_DIR", None)
    return env


def submit(root: Path, student: str, notebooks: dict[str, dict[str, str]]) -> None:
    """Create ``submitted/<student>/block1`` from the release: data plus the filled notebooks."""
    import shutil

    release = root / "release" / ASSIGNMENT
    folder = root / "submitted" / student / ASSIGNMENT
    shutil.copytree(release / "data", folder / "data", dirs_exist_ok=True)
    for name, answers in notebooks.items():
        fill(release / f"{name}.ipynb", answers, folder / f"{name}.ipynb")


def autograded_scores(root: Path, student: str) -> dict[tuple[str, str], tuple[float, float]]:
    """``(notebook, grade_id) -> (score, max)`` of every autograded test cell, from the gradebook."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission = gb.find_submission(ASSIGNMENT, student)
        for nb in submission.notebooks:
            for grade in nb.grades:
                if grade.auto_score is not None and grade.cell.cell_type == "code":
                    scores[(nb.name, grade.name)] = (float(grade.score), float(grade.max_score))
    return scores


def stderr_outputs(root: Path, student: str) -> list[str]:
    """Graded cells of the autograded notebooks that wrote to stderr (nbgrader scores them 0)."""
    found = []
    for path in sorted((root / "autograded" / student / ASSIGNMENT).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    found.append(f"{path.name}:{meta.get('grade_id', '?')}: {out.get('text', '')[:200]}")
    return found


def cell_errors(root: Path, student: str) -> list[str]:
    """Errors raised by the cells of a student's autograded notebooks (to explain lost points)."""
    found = []
    for path in sorted((root / "autograded" / student / ASSIGNMENT).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "?")
                    found.append(f"{path.name}:{grade_id}: {out.get('ename')}: {out.get('evalue', '')[:300]}")
    return found
