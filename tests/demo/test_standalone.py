"""The demo stands on its own: its flaw catalogue is in the package, and it checks its
system requirements before doing anything."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.demo.cohort import load_flaws
from workbench.paths import project_root


def test_flaw_catalogue_is_in_the_package(tmp_path, monkeypatch):
    # An installed package: the rules and data beside it, but no test suite.
    for name in ("grading", "datasets", "exercises"):
        (tmp_path / name).symlink_to(project_root() / name)
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    flaws = load_flaws("cdnow_winback")
    assert flaws and all(f.scenario == "cdnow_winback" for f in flaws)
    assert len({f.id for f in flaws}) == len(flaws)


def path_without_bwrap(tmp_path: Path) -> str:
    """A PATH holding every tool of /usr/bin but bubblewrap."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in Path("/usr/bin").iterdir():
        if tool.name != "bwrap":
            (bin_dir / tool.name).symlink_to(tool)
    return str(bin_dir)


def test_demo_without_bubblewrap_stops_before_any_work(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", path_without_bwrap(tmp_path))
    out = tmp_path / "out"
    code = main(["demo", "--out", str(out), "--candidates", "2"])
    err = capsys.readouterr().err
    assert code == 2
    assert "bubblewrap (bwrap) is not installed" in err and "apt-get install bubblewrap" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
