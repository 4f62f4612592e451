"""What a rubric import leaves in the audit store: who gave which level, from which file, and what it
replaced (the gradebook keeps only the latest level). No gradebook is needed: :func:`updates` and
:func:`audit_levels` work on the entries and targets they are given (milliseconds)."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from workbench.errors import InputError
from workbench.scores.rubric_import import Entry, Target, audit_levels, updates
from workbench.scores.records import RUBRIC_GRADE, RUBRIC_IMPORT, open_records

CELLS = (("1_2_analyse", "targets_rubric"),)


def stored(url):
    store = open_records(url)
    with store.connect() as conn:
        imports = conn.execute(select(RUBRIC_IMPORT).order_by(RUBRIC_IMPORT.c.id)).mappings().all()
        grades = conn.execute(select(RUBRIC_GRADE).order_by(RUBRIC_GRADE.c.id)).mappings().all()
    store.dispose()
    return [dict(r) for r in imports], [dict(r) for r in grades]


def test_each_level_is_recorded_with_its_file_gradebook_grader_comment_and_what_it_replaced(tmp_path):
    csv_path = tmp_path / "niveaux.csv"
    csv_path.write_bytes("candidate,criterion,level\nanaïs,B1.2.b,3\n".encode("utf-8"))
    gradebook = tmp_path / "course" / "gradebook.db"
    audit = tmp_path / "elsewhere" / "audit.db"
    audit.parent.mkdir()
    entries = [Entry(2, "anaïs", "B1.2.b", 3, "Cibles précises", "Hélène", CELLS),
               Entry(3, "bruno", "B1.2.b", 0, None, None, CELLS)]
    previous = ['{"1_2_analyse/targets_rubric": {"manual_comment": "ancien", "manual_score": 1.0}}',
                '{"1_2_analyse/targets_rubric": {"manual_comment": null, "manual_score": null}}']
    audit_levels(entries, previous, csv_path=csv_path, gradebook=gradebook, audit=str(audit))
    # the store named by `audit` is the one written, not the default beside the gradebook
    assert not (gradebook.parent / "decisions.db").exists()
    imports, grades = stored(f"sqlite:///{audit}")
    (imp,) = imports
    assert imp["file_name"] == str(csv_path) and imp["gradebook"] == str(gradebook)
    assert imp["file_sha256"] == hashlib.sha256(csv_path.read_bytes()).hexdigest()
    assert imp["imported_at"]
    assert [(g["import_id"], g["candidate"], g["criterion"], g["level"], g["grader"], g["comment"])
            for g in grades] == [(imp["id"], "anaïs", "B1.2.b", 3.0, "Hélène", "Cibles précises"),
                                 (imp["id"], "bruno", "B1.2.b", 0.0, None, None)]
    assert [g["previous_json"] for g in grades] == previous


def test_without_an_audit_url_the_store_is_beside_the_gradebook_and_imports_accumulate(tmp_path):
    csv_path = tmp_path / "levels.csv"
    csv_path.write_text("candidate,criterion,level\n", encoding="utf-8")
    gradebook = tmp_path / "gradebook.db"
    gradebook.write_bytes(b"")  # resolving the default store only needs the gradebook to exist
    entry = Entry(2, "anaïs", "B1.2.b", 2, None, "m1", CELLS)
    audit_levels([entry], ["{}"], csv_path=csv_path, gradebook=gradebook, audit=None)
    audit_levels([entry], ["{}"], csv_path=csv_path, gradebook=gradebook, audit=None)
    imports, grades = stored(f"sqlite:///{tmp_path / 'decisions.db'}")
    assert len(imports) == 2 and [g["import_id"] for g in grades] == [imports[0]["id"], imports[1]["id"]]


def test_what_a_level_replaced_is_recorded_as_canonical_readable_json():
    """Sorted keys (the same state always gives the same text) and accents kept as written."""
    cells = (("nb", "z_rubric"), ("nb", "a_rubric"))  # a criterion with two rubric cells, not in order
    targets = {("anaïs", "nb", "z_rubric"): Target("g1", 1.0, "c1", "Très générique"),
               ("anaïs", "nb", "a_rubric"): Target("g2", 2.0, "c2", None)}
    _, _, (previous,) = updates([Entry(2, "anaïs", "B1.2.b", 3, None, None, cells)], targets, "levels.csv")
    assert previous == ('{"nb/a_rubric": {"manual_comment": null, "manual_score": 2.0}, '
                        '"nb/z_rubric": {"manual_comment": "Très générique", "manual_score": 1.0}}')


def test_every_cell_without_a_grade_is_named_not_only_the_first():
    cells = (("nb", "a_rubric"), ("nb", "b_rubric"), ("nb", "c_rubric"))
    targets = {("anaïs", "nb", "b_rubric"): Target("g1", None, None, None)}
    with pytest.raises(InputError) as err:
        updates([Entry(2, "anaïs", "B1.2.b", 3, None, None, cells)], targets, "levels.csv")
    assert "nb/a_rubric" in str(err.value) and "nb/c_rubric" in str(err.value)
    assert "nb/b_rubric" not in str(err.value)
