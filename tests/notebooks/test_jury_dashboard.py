"""The jury dashboard reads a decisions CSV (the columns it documents) and draws the cohort."""

from __future__ import annotations

import pytest

from .conftest import FIXTURES, execute, images, stderr_text, stdout_text

pytestmark = pytest.mark.slow


def test_dashboard_on_sample_decisions():
    nb = execute("jury_dashboard.ipynb", env={"WORKBENCH_DECISIONS": str(FIXTURES / "decisions.en.csv")})
    out = stdout_text(nb)
    assert "8 candidates, blocks B1, B2, B3, B4, B5" in out
    # the sample: 2 full titles, 5 partial, 1 none; B1 validated by 5 candidates
    assert "full title                   2       25.0" in out
    assert "partial validation           5       62.5" in out
    assert "Borderline candidates (2): c002, c005" in out
    assert "awaiting a result (3): c004, c005, c007" in out
    assert images(nb) == 3
    assert stderr_text(nb) == ""


def test_dashboard_reads_french_semicolon_file(tmp_path):
    text = (FIXTURES / "decisions.en.csv").read_text(encoding="utf-8-sig")
    for en, fr in [("no block validated", "aucun bloc validé"), ("Candidate", "Candidat"), ("Borderline candidates", "Candidats à la limite"),
                   ("not validated", "non validé"), ("not evaluated", "non évalué"), ("validated", "validé"),
                   ("full title", "titre complet"), ("partial validation", "validation partielle")]:
        text = text.replace(en, fr)
    path = tmp_path / "jury.fr.csv"
    path.write_text(text, encoding="utf-8")
    nb = execute("jury_dashboard.ipynb", env={"WORKBENCH_DECISIONS": str(path)})
    out = stdout_text(nb)
    # a French decisions file gives a French dashboard: one language throughout
    assert "8 candidats, blocs B1, B2, B3, B4, B5" in out
    assert "titre complet" in out and "full title" not in out and "validation partielle" in out
    assert "Candidats à la limite (2): c002, c005" in out and "en attente d'un résultat (3)" in out
    headings = [o.data["text/markdown"] for cell in nb.cells for o in cell.get("outputs", [])
                if o.get("output_type") == "display_data" and "text/markdown" in o.get("data", {})]
    assert headings[0] == "## 1. Certification de la cohorte" and len(headings) == 4
