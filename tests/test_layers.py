"""The pipeline's import direction: the contracts of ``[tool.importlinter]`` in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _lint(src: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the packages under ``src`` (first on the path), with the project's contracts
    (the repository holds ``tests``)."""
    env = {"PYTHONPATH": f"{src}:{REPO / 'candidate' / 'src'}:{REPO}", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
                           "--config", str(REPO / "pyproject.toml"), "--no-cache"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def test_every_contract_is_kept(tmp_path: Path) -> None:
    proc = _lint(REPO / "src", tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "4 kept, 0 broken" in proc.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    # the rubric import recording through the validator: scores would import a step above it
    ("scores/rubric_import.py", "from workbench.validator import audit", "Each step imports only the steps below it"),
    # a step's command borrowing another step's: the CLI modules are held to the same direction
    ("scores/cli.py", "from workbench.marking import marks", "Each step imports only the steps below it"),
    ("_files.py", "import workbench.scores", "The shared modules import no step"),
    # a test helper reused by the product: the product must run where its tests are not shipped
    ("scores/compute.py", "import tests.scores.factory", "The product never imports its tests"),
])
def test_an_upward_import_breaks_a_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    src = tmp_path / "src"
    shutil.copytree(REPO / "src" / "workbench", src / "workbench", ignore=shutil.ignore_patterns("__pycache__"))
    target = src / "workbench" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    proc = _lint(src, tmp_path)
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert f"{contract} BROKEN" in proc.stdout
