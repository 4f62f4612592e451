"""The README's first command on a fresh machine: the system check of `make demo`.

Run against a copy of the Makefile and scripts/ with a PATH that lacks bubblewrap, so no real
package is ever installed and the demo itself is not run (the pre-flight is what is tested).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from workbench.paths import project_root

ROOT = project_root()


@pytest.fixture
def fresh_clone():
    """The files `make demo` reads before any work, in a folder every user may enter."""
    folder = Path(tempfile.mkdtemp(prefix="wb-fresh-"))
    try:
        for rel in ("Makefile", "scripts/install-system-packages", "pyproject.toml", "candidate/pyproject.toml"):
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, folder / rel)
        bin_dir = folder / "bin"  # every tool of /usr/bin but bubblewrap
        bin_dir.mkdir()
        for tool in Path("/usr/bin").iterdir():
            if tool.name != "bwrap":
                (bin_dir / tool.name).symlink_to(tool)
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _as_user() -> list[str]:
    """Run as an ordinary user: drop to nobody when the tests run as root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv is needed to run make as an ordinary user")
    return [setpriv, "--reuid", "65534", "--regid", "65534", "--clear-groups"]


def test_make_demo_without_root_stops_before_any_work_saying_what_to_install(fresh_clone):
    env = {"PATH": str(fresh_clone / "bin"), "HOME": str(fresh_clone), "LANG": "C.UTF-8"}
    run = subprocess.run([*_as_user(), "make", "--no-print-directory", "demo"], cwd=fresh_clone, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    ours = [line for line in run.stderr.splitlines() if not line.startswith("make")]
    assert len(ours) == 1, run.stderr
    assert "missing system package(s) bubblewrap" in ours[0] and "apt-get install bubblewrap" in ours[0]
    # Nothing was done: no venv bootstrapped, no demo output.
    assert not (fresh_clone / ".venv").exists() and not (fresh_clone / "out").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="installing is what root does")
def test_as_root_the_check_installs_bubblewrap(fresh_clone):
    # A stand-in for apt-get that "installs" bubblewrap by linking the real one into PATH.
    fake = fresh_clone / "fake-apt-get"
    log = fresh_clone / "apt.log"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {log}\n'
                    f'case "$*" in *install*) ln -sf /usr/bin/bwrap {fresh_clone / "bin" / "bwrap"};; esac\n')
    fake.chmod(0o755)
    env = {"PATH": str(fresh_clone / "bin"), "APT_GET": str(fake), "LANG": "C.UTF-8"}
    run = subprocess.run([str(fresh_clone / "scripts/install-system-packages"), "--required", "bubblewrap"],
                         cwd=fresh_clone, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "installing system packages: bubblewrap" in run.stdout
    assert log.read_text().splitlines() == ["update -qq", "install -y -qq --no-install-recommends bubblewrap"]
