"""The instructor walkthrough runs the whole job on a tiny course: set up to board deck."""

from __future__ import annotations

import pytest

from .conftest import execute, stderr_text, stdout_text

pytestmark = pytest.mark.slow


def test_walkthrough_end_to_end(tmp_path):
    nb = execute("instructor_walkthrough.ipynb", env={"WORKBENCH_WALKTHROUGH_DIR": str(tmp_path)})
    out = stdout_text(nb)
    assert "course cert-b1: assignments ['block1'], 3 candidates" in out
    assert "ClearHiddenTests" in out
    assert "c01 submitted 2 times: collected the latest" in out
    assert "'x99' is not on the candidate list" in out
    assert "1 candidate(s) have not submitted: c03" in out
    for written in ("scores.csv", "decisions.json", "reports/jury.en.html", "reports/jury.en.csv", "c01_deck.html"):
        assert (tmp_path / written).is_file(), written
    assert list((tmp_path / "reports" / "feedback").glob("c01.*.html"))
    deck = (tmp_path / "c01_deck.html").read_text()
    assert "data:image/png;base64," in deck and "plt.subplots" not in deck
    assert stderr_text(nb) == ""
