from __future__ import annotations

import shutil

import pytest

from tests.scores.factory import build_gradebook, full_marks, with_levels


@pytest.fixture(scope="session")
def cohort_gradebook(tmp_path_factory):
    """Four candidates: full marks, satisfactory everywhere, one rubric level short, no submission."""
    short = with_levels(2)
    short["synthesis_rubric"] = (None, 1.0)
    pending = with_levels(2)
    del pending["targets_rubric"]
    path = tmp_path_factory.mktemp("cohort") / "gradebook.db"
    build_gradebook(path, {"ana": full_marks(), "ben": with_levels(2), "cloé": short, "dev": None, "eli": pending})
    return path


@pytest.fixture()
def course(cohort_gradebook, tmp_path):
    """A private copy of the cohort gradebook (its audit store lands beside it)."""
    shutil.copyfile(cohort_gradebook, tmp_path / "gradebook.db")
    return tmp_path


@pytest.fixture(autouse=True)
def _fresh_thresholds_cache():
    """Each test reads its thresholds files again (mutation runs fork after a first pass)."""
    from tests.validator.cohorts import _thresholds

    _thresholds.cache_clear()
    yield
