"""What a non-editable install gets: every file of each package, in its wheel.

``make bootstrap`` installs both packages in editable mode, which imports straight from
``src/``: a file the wheel leaves out (a template, a font or a rules file no ``package-data``
pattern names) works here and is missing from ``pip install .``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _tracked(folder: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z", folder], cwd=REPO, capture_output=True, text=True, check=True)
    return [name for name in out.stdout.split("\0") if name]


def _wheel_members(project: str, tmp_path: Path) -> set[str]:
    """Build ``project``'s wheel from a copy of its tracked files; return the wheel's file names."""
    copy = tmp_path / "src-copy"
    for name in _tracked(project):
        dest = copy / Path(name).relative_to(project)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, dest)
    out = tmp_path / "wheel"
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(copy)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = out.glob("*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


@pytest.mark.parametrize("project", [".", "candidate"])
def test_the_wheel_holds_every_file_of_the_package(project: str, tmp_path: Path) -> None:
    members = _wheel_members(project, tmp_path)
    src = "src/" if project == "." else "candidate/src/"
    tracked = [name[len(src):] for name in _tracked(src)]
    assert tracked, src
    missing = sorted(name for name in tracked if name not in members)
    assert not missing, f"left out of the wheel: {missing}"
