from __future__ import annotations

import pytest

from tests.scores.factory import MAP_PATH
from workbench.scores import load_criterion_map


@pytest.fixture(scope="session")
def cmap():
    return load_criterion_map(MAP_PATH)
