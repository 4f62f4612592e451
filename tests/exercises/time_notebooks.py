"""Time each released notebook run top to bottom with its answers filled in, as a candidate would.

Not a test (speed is not asserted in CI): ``.venv/bin/python -m tests.exercises.time_notebooks``
prints one line per scenario and notebook; the figures go into docs/exercises.md.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tests.exercises.course import ASSIGNMENT, make_course, nbgrader, reference_answers, submit
from workbench.exercises.config import load_config


def main(scenarios: list[str]) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    print(f"# {time.strftime('%Y-%m-%d %H:%M')} · {platform.node()} · {os.cpu_count()} cores · "
          f"load {os.getloadavg()[0]:.1f}")
    for scenario in scenarios:
        with tempfile.TemporaryDirectory() as tmp:
            root = make_course(Path(tmp), scenario)
            nbgrader(root, "generate_assignment", ASSIGNMENT, "--create", "--force")
            names = load_config().notebooks
            answers = {n: reference_answers(root / "source" / ASSIGNMENT / f"{n}.ipynb") for n in names}
            submit(root, "candidate", answers)  # the release, answers filled in
            folder = root / "submitted" / "candidate" / ASSIGNMENT
            for name in names:
                nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
                start = time.perf_counter()
                NotebookClient(nb, timeout=300, kernel_name="python3",
                               resources={"metadata": {"path": str(folder)}}).execute()
                print(f"{scenario:18s} {name:18s} {time.perf_counter() - start:5.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:] or list(load_config().scenarios))
