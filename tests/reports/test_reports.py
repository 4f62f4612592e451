"""Jury report and candidate feedback from a real gradebook: content, language, standalone, deterministic."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from tests.scores.factory import MAP_PATH, build_gradebook, full_marks, with_levels
from workbench.cli import main
from workbench.referentiel import load_referentiel
from workbench.reports.build import borderline

REF = load_referentiel()
SECRET = "secret_hidden_check"


def autograded_notebook(path, messages_error: str, printed: str):
    """An autograded notebook whose test cell holds hidden tests and failed with an error."""
    source = ("assert len(categories) > 0\n### BEGIN HIDDEN TESTS\n"
              f"assert {SECRET}(categories), 'Les catégories doivent exclure la variable cible'\n### END HIDDEN TESTS\n")
    cell = {
        "cell_type": "code", "execution_count": 3, "id": "c1", "source": source,
        "metadata": {"nbgrader": {"grade": True, "grade_id": "collect_categories", "locked": True, "points": 3,
                                  "schema_version": 3, "solution": False, "task": False}},
        "outputs": [
            {"output_type": "stream", "name": "stdout", "text": printed},
            {"output_type": "error", "ename": "AssertionError", "evalue": messages_error,
             "traceback": ["\x1b[0;31m---------\x1b[0m", f"----> 3 assert {SECRET}(categories), '...'"]},
        ],
    }
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    borderline_b1 = with_levels(2)  # every rubric level exactly at the threshold
    low = with_levels(2)
    low["collect_categories"] = (1.8, None)  # 0.6: just below 2/3 on B1.1.a only
    build_gradebook(root / "gradebook.db", {"ana": full_marks(), "ben": borderline_b1, "cloé": low, "dev": None},
                    comments={("cloé", "justification_rubric"): "Justifier l'exclusion de l'e-mail <script>x</script>"})
    autograded_notebook(root / "autograded" / "cloé" / "block1" / "1_1_collecte.ipynb",
                        "Les catégories doivent exclure la variable cible", "Vérification : 4 catégories retenues\n")
    rows = ["candidate;criterion;level;comment"]
    for b in ("B2", "B3", "B4", "B5"):
        rows += [f"ana;{k};excellent;" for k in REF.criterion_ids(b)]
    rows.append("cloé;B2.1.a;1;Objectifs trop vagues")
    (root / "jury.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def run_report(course, out, lang):
    args = ["report", "-g", str(course / "gradebook.db"), "--map", str(MAP_PATH), "--jury", str(course / "jury.csv"),
            "--course-dir", str(course), "--out", str(out), "--lang", lang]
    assert main(args) == 0


@pytest.fixture(scope="module")
def reports(course, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    run_report(course, out, "fr")
    run_report(course, out, "en")
    return out


def test_jury_report_is_standalone_and_complete(reports):
    html = (reports / "jury.fr.html").read_text(encoding="utf-8")
    assert "Pertinence du choix des catégories" in html  # official French wording
    assert len(re.findall(r'src="data:image/png;base64,', html)) == 3
    assert not re.search(r'(src|href)="(?!data:)', html)  # nothing to fetch: standalone
    assert "<td>ana</td>" in html and "titre complet" in html
    assert "Seuils en vigueur" in html and "0.667" in html
    section = html.split("Candidats à la limite</h2>")[1].split("</table>")[0]
    assert "(ben)</td>" in section and "juste au-dessus" in section
    assert "(cloé)</td>" in section and "juste en dessous" in section


def test_english_report_uses_the_translation(reports):
    html = (reports / "jury.en.html").read_text(encoding="utf-8")
    assert "Relevance of the chosen data categories" in html and "Thresholds in force" in html
    assert "Pertinence du choix" not in html


def test_jury_csv_has_a_decision_per_block(reports):
    lines = (reports / "jury.en.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ("Candidate;B1;B2;B3;B4;B5;Certification;Validated blocks;Blocks not evaluated;"
                        "Borderline candidates;Submissions to review;Name")
    assert lines[1] == "ana;validated;validated;validated;validated;validated;full title;B1 B2 B3 B4 B5;;;;Candidat Ana"
    assert lines[3].startswith("cloé;not validated;not validated;not evaluated;")
    assert lines[3].endswith(";jury input incomplete just below;;Candidat Cloé")
    assert lines[4] == ("dev;not evaluated;not evaluated;not evaluated;not evaluated;not evaluated;"
                        "no block validated;;B1 B2 B3 B4 B5;;;Candidat Dev")


def test_feedback_shows_levels_messages_comments_but_never_hidden_tests(reports):
    html = (reports / "feedback" / "cloé.fr.html").read_text(encoding="utf-8")
    assert "Les catégories doivent exclure la variable cible" in html and "AssertionError" not in html
    assert "Vérification : 4 catégories retenues" in html
    assert "Justifier l&#39;exclusion de l&#39;e-mail &lt;script&gt;" in html  # escaped, never run
    assert "Objectifs trop vagues" in html and "Satisfaisant" in html and "Partiel" in html
    assert SECRET not in html and "HIDDEN" not in html and "----&gt;" not in html
    pending = (reports / "feedback" / "dev.en.html").read_text(encoding="utf-8")
    assert "no submission" in pending and "not evaluated" in pending


def test_same_inputs_byte_identical_reports(course, reports, tmp_path):
    run_report(course, tmp_path, "fr")
    for name in ("jury.fr.html", "jury.fr.csv", "feedback/cloé.fr.html", "feedback/ana.fr.html"):
        assert (tmp_path / name).read_bytes() == (reports / name).read_bytes(), name


def test_borderline_is_decision_relevant(course):
    from workbench.validator.run import build_decisions

    d = build_decisions(gradebook=course / "gradebook.db", criterion_map=MAP_PATH)
    rows = borderline(d, 0.1)
    assert {(r["candidate"], r["criterion"], r["side"]) for r in rows if r["candidate"] == "cloé"} == {
        ("cloé", "B1.1.a", "just_below")}  # no jury CSV here: blocks 2-5 are simply not evaluated
    assert all(r["side"] == "just_above" for r in rows if r["candidate"] == "ben")
    assert not [r for r in rows if r["candidate"] in ("ana", "dev")]


def test_unknown_candidate_option_is_an_error(course, tmp_path, capsys):
    code = main(["report", "-g", str(course / "gradebook.db"), "--map", str(MAP_PATH), "--out", str(tmp_path),
                 "--candidate", "zed"])
    assert code == 2 and "unknown candidate(s): zed" in capsys.readouterr().err
    shutil.rmtree(tmp_path, ignore_errors=True)
