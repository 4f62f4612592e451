"""Shared fixtures. Tests mirror the package layout: tests/<subpackage>/test_*.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import Phase, settings

REPO = Path(__file__).resolve().parents[1]

# Tests never reach the network; matplotlib must never try to open a window.
os.environ.setdefault("MPLBACKEND", "Agg")


# Mutation runs (benchmarks/bench_mutation.py) pass --hypothesis-profile=mutation: the same examples in
# every run (derandomized, so a mutant is judged on the examples the coverage pass saw) and no
# shrinking (a failing example kills the mutant; making it minimal would only cost time).
settings.register_profile("mutation", derandomize=True, database=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO
