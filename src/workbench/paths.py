"""Where the project's data lives.

The rules (``grading/``) and the data (``datasets/``) are files beside the
package in the repository. ``WORKBENCH_HOME`` overrides the root, which lets a
course or a sandbox point at a read-only copy.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """Return the workbench root (the folder holding ``grading/`` and ``datasets/``)."""
    env = os.environ.get("WORKBENCH_HOME")
    if env:
        return Path(env).resolve()
    # src/workbench/paths.py -> repository root two levels above the package
    return Path(__file__).resolve().parents[2]


def grading_dir() -> Path:
    """Return the folder of rules files (référentiel, rubrics, scenarios, maps)."""
    return project_root() / "grading"


def datasets_dir() -> Path:
    """Return the folder of data files and their manifest."""
    return project_root() / "datasets"


def exercises_dir() -> Path:
    """Return the folder of nbgrader source assignments."""
    return project_root() / "exercises"
