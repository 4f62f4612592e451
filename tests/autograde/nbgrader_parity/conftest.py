"""One warm worker for the whole parity suite.

Each ``workbench autograde`` run warms its zygote (numpy, pandas, scikit-learn, matplotlib:
seconds). The scenarios run the real command (``workbench.cli.main``) dozens of times; they share
one local backend, whose zygote forks a fresh child per notebook as always, so only the warm-up
is saved. Everything else (course, gradebook, journal, lock, sandbox) is per run.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Iterator

import pytest

BIN = str(Path(sys.executable).parent)
os.environ["PATH"] = BIN + os.pathsep + os.environ.get("PATH", "")  # nbgrader runs alembic from PATH


@pytest.fixture(scope="package", autouse=True)  # torn down after the parity suite: later tests get their own backends
def shared_backend() -> Iterator[None]:
    from workbench.autograde import runner
    from workbench.autograde.backends import LocalBackend

    backend = LocalBackend(workers=1, sandbox=bool(shutil.which("bwrap")), retries=2)
    close = backend.close
    backend.close = lambda: None  # kept warm between runs
    real = runner._backend

    def shared(opts: runner.Options) -> LocalBackend:
        assert opts.workers == 1 and opts.sandbox == backend.sandbox and not opts.scheduler
        return backend

    runner._backend = shared
    try:
        yield
    finally:
        runner._backend = real
        close()
