"""Rubric CSV import into a real gradebook: spreadsheet formats, and all-or-nothing on bad input."""

from __future__ import annotations

import json
import shutil

import pytest
from nbgrader.api import Gradebook
from sqlalchemy import select

from tests.scores.factory import MAP_PATH, build_gradebook, file_digest, with_levels
from workbench.cli import main
from workbench.errors import ConfigError, InputError
from workbench.scores.rubric_import import import_rubric_csv
from workbench.scores.records import RUBRIC_GRADE, open_records

HEADER = "candidate,criterion,level,comment,grader\n"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    ungraded = with_levels(2)
    for cell in ("justification_rubric", "targets_rubric", "synthesis_rubric"):
        del ungraded[cell]
    path = tmp_path_factory.mktemp("rubric") / "gradebook.db"
    build_gradebook(path, {"anaïs": ungraded, "bruno": with_levels(1), "zoé": None},
                    comments={("bruno", "synthesis_rubric"): "Synthèse trop courte"})
    return path


@pytest.fixture()
def gradebook(pristine, tmp_path):
    shutil.copyfile(pristine, tmp_path / "gradebook.db")
    return tmp_path / "gradebook.db"


def manual(gradebook, cell, nb, cand):
    with Gradebook(f"sqlite:///{gradebook}") as gb:
        grade = gb.find_grade(cell, nb, "block1", cand)
        comment = gb.find_comment(cell, nb, "block1", cand)
        return grade.manual_score, grade.needs_manual_grade, comment.manual_comment


def run_import(gradebook, csv_path, **kw):
    return import_rubric_csv(csv_path=csv_path, gradebook=gradebook, criterion_map=MAP_PATH, **kw)


def test_excel_csv_with_bom_semicolons_and_french_names(gradebook, tmp_path):
    csv_path = tmp_path / "niveaux.csv"
    text = ("Candidat;Critère;Niveau;Commentaire;Correcteur\n"
            "anaïs;B1.1.b;Satisfaisant;Justifications reliées à la stratégie, RGPD cité;Hélène Dupré\n"
            "\n"
            "anaïs;B1.2.b;excellent;;Hélène Dupré\n"
            "bruno;B1.3.b;0;Aucune synthèse;Marc\n")
    csv_path.write_bytes(text.encode("utf-8-sig"))
    counts = run_import(gradebook, csv_path)
    assert counts == {"rows": 3, "cells": 3, "written": 3}
    assert manual(gradebook, "justification_rubric", "1_1_collecte", "anaïs") == (
        2.0, False, "Justifications reliées à la stratégie, RGPD cité")
    assert manual(gradebook, "targets_rubric", "1_2_segmentation", "anaïs")[:2] == (3.0, False)
    assert manual(gradebook, "synthesis_rubric", "1_3_visualisation", "bruno")[0] == 0.0
    store = open_records(f"sqlite:///{tmp_path / 'decisions.db'}")
    with store.connect() as conn:
        rows = conn.execute(select(RUBRIC_GRADE.c.candidate, RUBRIC_GRADE.c.grader, RUBRIC_GRADE.c.previous_json)
                            .order_by(RUBRIC_GRADE.c.id)).fetchall()
    store.dispose()
    assert rows[0][:2] == ("anaïs", "Hélène Dupré")
    # bruno's previous level and comment are kept in the audit store (the gradebook keeps the new ones)
    assert json.loads(rows[2][2]) == {"1_3_visualisation/synthesis_rubric": {
        "manual_score": 1.0, "manual_comment": "Synthèse trop courte"}}


def test_comma_separated_english_names_and_cli(gradebook, tmp_path, capsys):
    csv_path = tmp_path / "levels.csv"
    csv_path.write_text(HEADER + 'anaïs,B1.2.a,Partial,"Elbow only, no silhouette",Tom\n', encoding="utf-8")
    code = main(["rubric", str(csv_path), "--gradebook", str(gradebook), "--map", str(MAP_PATH)])
    assert code == 0
    assert "1 rubric level(s) imported" in capsys.readouterr().out
    assert manual(gradebook, "segmentation_rubric", "1_2_segmentation", "anaïs") == (
        1.0, False, "Elbow only, no silhouette")
    assert main(["scores", "-g", str(gradebook), "--map", str(MAP_PATH), "--format", "json"]) == 0
    cells = json.loads(capsys.readouterr().out)["anaïs"]["cells"]
    rubric = next(c for c in cells if c["cell"] == "segmentation_rubric")
    assert rubric["graded_by"] == "Tom" and rubric["graded_at"] and rubric["manual_score"] == 1.0


BAD = {
    "unknown candidate": (HEADER + "anaïs,B1.1.b,2,,\nnobody,B1.1.b,2,,\n", r"line 3, column candidate: unknown candidate 'nobody'"),
    "no submission": (HEADER + "zoé,B1.1.b,2,,\n", r"line 2, column candidate: 'zoé' has no submission"),
    "unknown criterion": (HEADER + "anaïs,B1.4.a,2,,\n", r"line 2, column criterion: unknown criterion 'B1.4.a'"),
    "autograded criterion": (HEADER + "anaïs,B1.1.a,2,,\n", r"B1.1.a has no rubric cell"),
    "unknown level": (HEADER + "anaïs,B1.1.b,bien,,\n", r"line 2, column level: unknown level 'bien'"),
    "level above max": (HEADER + "anaïs,B1.1.b,4,,\n", r"line 2, column level: level 4 is above the maximum 3"),
    "duplicate": (HEADER + "anaïs,B1.1.b,2,,\nanaïs,B1.1.b,3,,\n", r"line 3: anaïs / B1.1.b already given on line 2"),
    "wrong header": ("candidate,criteria,level\nanaïs,B1.1.b,2\n", r":1: missing column 'criterion'; unknown column 'criteria'"),
    "short row": (HEADER + "anaïs,B1.1.b\n", r"line 2: 2 fields, the header has 5"),
    # A column the importer does not take is named as the grader wrote it (not as an alias).
    "unknown column, as written": ("Candidat;Critère;Niveau;Note\nanaïs;B1.1.b;2;15\n", r":1: unknown column 'Note'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_rows_are_named_and_nothing_is_written(gradebook, tmp_path, case):
    text, message = BAD[case]
    # a valid row first: it must not be written either
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(text, encoding="utf-8")
    before = file_digest(gradebook)
    with pytest.raises(InputError, match=message) as err:
        run_import(gradebook, csv_path)
    assert "bad.csv" in str(err.value)
    assert file_digest(gradebook) == before
    assert not (tmp_path / "decisions.db").exists()


def test_bad_encoding_is_named_and_nothing_is_written(gradebook, tmp_path):
    csv_path = tmp_path / "latin1.csv"
    csv_path.write_bytes((HEADER + "anaïs,B1.1.b,2,Très bien,Hélène\n").encode("latin-1"))
    before = file_digest(gradebook)
    with pytest.raises(InputError, match=r"not UTF-8 text \(byte 0xef on line 2\); save the sheet as 'CSV UTF-8'"):
        run_import(gradebook, csv_path)
    assert file_digest(gradebook) == before


def test_cli_prints_one_line_error_and_dry_run_writes_nothing(gradebook, tmp_path, capsys):
    csv_path = tmp_path / "levels.csv"
    csv_path.write_text(HEADER + "anaïs,B1.1.b,5,,\n", encoding="utf-8")
    assert main(["rubric", str(csv_path), "-g", str(gradebook), "--map", str(MAP_PATH)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "level 5 is above the maximum 3" in err and "Traceback" not in err
    csv_path.write_text(HEADER + "anaïs,B1.1.b,3,,\n", encoding="utf-8")
    before = file_digest(gradebook)
    assert main(["rubric", str(csv_path), "-g", str(gradebook), "--map", str(MAP_PATH), "--dry-run"]) == 0
    assert file_digest(gradebook) == before


def test_scores_csv_and_table_outputs(gradebook, tmp_path, capsys):
    out = tmp_path / "scores.csv"
    assert main(["scores", "-g", str(gradebook), "--map", str(MAP_PATH), "--format", "csv", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "candidate,criterion,points,max_points,score,status"
    assert "anaïs,B1.1.b,,3.0,,not_evaluated" in lines  # no rubric level yet: not evaluated, not 0
    assert "bruno,B1.1.b,1.0,3.0,0.333333,evaluated" in lines
    assert main(["scores", "-g", str(gradebook), "--map", str(MAP_PATH)]) == 0
    table = capsys.readouterr().out
    assert "n/e" in table and "zoé" in table


def test_a_gradebook_that_disagrees_with_the_map_is_named(tmp_path):
    path = tmp_path / "other.db"
    build_gradebook(path, {"anaïs": with_levels(2)}, skip_cells={"targets_rubric"})
    csv_path = tmp_path / "levels.csv"
    csv_path.write_text(HEADER + "anaïs,B1.1.b,2,,\n", encoding="utf-8")
    before = file_digest(path)
    with pytest.raises(ConfigError) as err:
        run_import(path, csv_path)
    assert str(err.value).startswith(f"{path} vs criterion map (block1): ") and "targets_rubric" in str(err.value)
    assert file_digest(path) == before


def test_dry_run_counts_what_would_be_written_and_writes_nothing(gradebook, tmp_path):
    csv_path = tmp_path / "levels.csv"
    csv_path.write_text(HEADER + "anaïs,B1.1.b,3,,\nanaïs,B1.2.b,2,,\n", encoding="utf-8")
    before = file_digest(gradebook)
    assert run_import(gradebook, csv_path, dry_run=True) == {"rows": 2, "cells": 2, "written": 0}
    assert file_digest(gradebook) == before and not (tmp_path / "decisions.db").exists()


def test_the_audit_store_given_is_the_one_written(gradebook, tmp_path):
    csv_path = tmp_path / "levels.csv"
    csv_path.write_text(HEADER + "anaïs,B1.1.b,3,,m1\n", encoding="utf-8")
    audit = tmp_path / "audit" / "store.db"
    audit.parent.mkdir()
    assert run_import(gradebook, csv_path, audit=str(audit))["written"] == 1
    assert not (tmp_path / "decisions.db").exists()
    store = open_records(f"sqlite:///{audit}")
    with store.connect() as conn:
        assert conn.execute(select(RUBRIC_GRADE.c.candidate, RUBRIC_GRADE.c.grader)).fetchall() == [("anaïs", "m1")]
    store.dispose()


def test_a_rubric_cell_without_a_grade_row_is_named_with_the_file_and_nothing_is_written(gradebook, tmp_path):
    import sqlite3

    with sqlite3.connect(gradebook) as db:  # bruno's grade row of justification_rubric is gone
        db.execute("DELETE FROM grade WHERE id IN (SELECT g.id FROM grade g JOIN base_cell bc ON g.cell_id = bc.id "
                   "JOIN submitted_notebook sn ON g.notebook_id = sn.id "
                   "JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
                   "WHERE bc.name = 'justification_rubric' AND sa.student_id = 'bruno')")
    db.close()
    csv_path = tmp_path / "levels.csv"
    csv_path.write_text(HEADER + "anaïs,B1.1.b,3,,\nbruno,B1.1.b,2,,\n", encoding="utf-8")
    before = file_digest(gradebook)
    with pytest.raises(InputError, match=r"line 3: no grade for bruno in 1_1_collecte/justification_rubric") as err:
        run_import(gradebook, csv_path)
    assert str(err.value).startswith(f"{csv_path}: ")
    assert file_digest(gradebook) == before and not (tmp_path / "decisions.db").exists()


def test_an_audit_store_that_cannot_be_opened_fails_before_the_gradebook_changes(gradebook, tmp_path, capsys):
    csv_path = tmp_path / "levels.csv"
    csv_path.write_text(HEADER + "anaïs,B1.1.b,3,,m1\n", encoding="utf-8")
    not_a_db = tmp_path / "decisions.csv"  # a CSV passed as the audit store by mistake
    not_a_db.write_text("candidate;criterion\n", encoding="utf-8")
    before = file_digest(gradebook)
    assert main(["rubric", str(csv_path), "-g", str(gradebook), "--map", str(MAP_PATH),
                 "--audit-db", str(not_a_db)]) == 2
    assert capsys.readouterr().err == (f"error: sqlite:///{not_a_db}: cannot open the audit store: "
                                       "DatabaseError: file is not a database\n")
    assert file_digest(gradebook) == before


@pytest.mark.parametrize("url, reason", [
    ("foo://host/db", "NoSuchModuleError: Can't load plugin: sqlalchemy.dialects:foo"),
    ("{csv}", "DatabaseError: file is not a database"),
])
def test_a_gradebook_that_cannot_be_opened_is_one_line(url, reason, tmp_path, capsys):
    csv = tmp_path / "levels.csv"
    csv.write_text(HEADER, encoding="utf-8")
    url = url.replace("{csv}", str(csv))
    assert main(["scores", "-g", url, "--map", str(MAP_PATH)]) == 2
    shown = url if "://" in url else f"sqlite:///{url}"
    assert capsys.readouterr().err == f"error: {shown}: cannot open the gradebook: {reason}\n"


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_a_header_with_no_row_is_refused_not_imported_as_zero_levels(gradebook, tmp_path, capsys, dry_run):
    """A grader who exported the wrong sheet must not read '0 rubric level(s) imported' and exit 0."""
    csv_path = tmp_path / "levels.csv"
    csv_path.write_text(HEADER + "\n", encoding="utf-8")
    before = file_digest(gradebook)
    assert main(["rubric", str(csv_path), "-g", str(gradebook), "--map", str(MAP_PATH), *dry_run]) == 2
    shown = capsys.readouterr()
    assert shown.out == "" and shown.err == f"error: {csv_path}: no row under the header, nothing imported\n"
    assert file_digest(gradebook) == before and not (tmp_path / "decisions.db").exists()
