"""Execute the notebooks of notebooks/ with a real kernel (nbclient), as a user would."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
FIXTURES = Path(__file__).parent / "fixtures"


def execute(name: str, *, env: dict[str, str | None] | None = None, timeout: int = 600) -> nbformat.NotebookNode:
    """Run ``notebooks/<name>`` top to bottom in its folder; an error in any cell fails the test."""
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    # The kernel inherits the environment it is started with. Without MPLBACKEND (which the
    # test session sets to Agg) it draws figures inline, as in the candidates' JupyterLab.
    env = {**(env or {}), "MPLBACKEND": None}
    old = {k: os.environ.get(k) for k in env}
    for k, v in env.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb


def stdout_text(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream" and o.name == "stdout")


def stderr_text(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream" and o.name == "stderr")


def images(nb) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.fixture
def run_notebook():
    return execute
