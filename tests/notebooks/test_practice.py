"""The candidate practice notebook runs top to bottom and teaches the self-check workflow."""

from __future__ import annotations

import pytest

from .conftest import execute, images, stderr_text, stdout_text

pytestmark = pytest.mark.slow


def test_practice_notebook_runs_with_self_checks():
    nb = execute("practice_telco_churn.ipynb")
    out = stdout_text(nb)
    assert "7,043 customers" in out
    # Both public checks pass on both figures, and the failing example shows the candidate's message.
    assert out.count("✔ The figure is clear") == 2 and out.count("✔ The figure shows your computed results") == 2
    assert "figures.clarity" not in out and "CheckFailed" not in out
    assert images(nb) == 2
    assert stderr_text(nb) == ""
