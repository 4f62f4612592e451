"""The instructor walkthrough runs the whole job on a tiny course: set up to board deck."""

from __future__ import annotations

import json
import re

import pandas as pd
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
    assert "graded 2, candidate faults" in out  # the autograde step shows its summary
    assert "c01: 1_1_collecte.html, 1_2_analyse.html, 1_3_visualisation.html" in out
    assert "released to the exchange for 2 candidate(s)" in out
    assert "deck " in out and "c01_deck.pdf" in out
    for written in ("scores.csv", "decisions.json", "reports/jury.en.html", "reports/jury.en.csv", "c01_deck.html",
                    "c01_deck.pdf"):
        assert (tmp_path / written).is_file(), written
    assert list((tmp_path / "reports" / "feedback").glob("c01.*.html"))
    deck = (tmp_path / "c01_deck.html").read_text()
    assert re.search(r"data:image/(svg\+xml|png);base64,", deck) and "plt.subplots" not in deck
    assert stderr_text(nb) == ""

    # The reference solution earns every point; the untouched notebook none; no submission: not evaluated.
    scores = pd.read_csv(tmp_path / "scores.csv")
    assert (scores[scores.candidate == "c01"].score == 1.0).all()
    assert (scores[scores.candidate == "c02"].score < 0.5).all()
    assert scores[scores.candidate == "c03"].status.eq("not_evaluated").all()
    decisions = {d["candidate"]: d["certification"]["status"]
                 for d in json.loads((tmp_path / "decisions.json").read_text())["decisions"]}
    assert decisions == {"c01": "full", "c02": "none", "c03": "none"}

    # The jury dashboard reads the decisions CSV that `workbench report` wrote.
    board = execute("jury_dashboard.ipynb", env={"WORKBENCH_DECISIONS": str(tmp_path / "reports" / "jury.en.csv")})
    out = stdout_text(board)
    assert "3 candidates, blocks B1, B2, B3, B4, B5" in out
    assert "full title                   1" in out and "awaiting a result (1): c03" in out
