"""The audit store's place beside the gradebook, and the rubric levels it records."""

from __future__ import annotations

import re

import pytest

from workbench.errors import StorageError
from workbench.scores.records import (RUBRIC_GRADE, RUBRIC_IMPORT, audit_exists, default_audit_url, open_records,
                                      resolve_audit, rubric_provenance, utc_now)


def test_where_the_store_lives():
    assert default_audit_url("sqlite:////srv/course/gradebook.db") == "sqlite:////srv/course/decisions.db"
    assert default_audit_url("postgresql://u@h/course") == "postgresql://u@h/course"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", utc_now())


def test_the_store_named_or_the_one_beside_the_gradebook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "gradebook.db").write_bytes(b"")
    assert resolve_audit("course/gradebook.db", None) == f"sqlite:///{tmp_path / 'course' / 'decisions.db'}"
    assert resolve_audit("course/gradebook.db", "") == f"sqlite:///{tmp_path / 'course' / 'decisions.db'}"
    assert resolve_audit("postgresql://u@h/course", None) == "postgresql://u@h/course"
    # given: a URL as it is, a path as an absolute SQLite file, whatever the gradebook
    assert resolve_audit("course/gradebook.db", "postgresql://u@h/audit") == "postgresql://u@h/audit"
    assert resolve_audit("postgresql://u@h/course", "keep/audit.db") == f"sqlite:///{tmp_path / 'keep' / 'audit.db'}"


def test_a_store_exists_only_when_there_is_something_to_read(tmp_path):
    (tmp_path / "decisions.db").write_bytes(b"")
    assert audit_exists(f"sqlite:///{tmp_path / 'decisions.db'}")
    assert audit_exists(str(tmp_path / "decisions.db"))  # a plain path
    assert not audit_exists(f"sqlite:///{tmp_path / 'none.db'}")
    assert not audit_exists(str(tmp_path / "none.db"))
    assert not audit_exists(f"sqlite:///{tmp_path}")  # a folder is not a store
    assert audit_exists("postgresql://u@h/course")  # a server: asked when opened


def test_opening_creates_the_rubric_tables_and_nothing_else(tmp_path):
    path = tmp_path / "audit.db"
    store = open_records(str(path))
    try:
        with store.connect() as conn:
            names = {r[0] for r in conn.exec_driver_sql("select name from sqlite_master where type = 'table'")}
    finally:
        store.dispose()
    assert names == {RUBRIC_IMPORT.name, RUBRIC_GRADE.name}


def test_a_store_that_is_not_a_database_is_one_line(tmp_path):
    bad = tmp_path / "levels.csv"
    bad.write_text("candidate,criterion,level\n" * 50)
    with pytest.raises(StorageError) as err:
        open_records(str(bad))
    assert "cannot open the audit store" in str(err.value) and "\n" not in str(err.value)


def test_rubric_provenance_is_the_latest_import_per_candidate_and_criterion(tmp_path):
    store = open_records(f"sqlite:///{tmp_path / 'decisions.db'}")
    try:
        with store.begin() as conn:
            for n, (at, grader) in enumerate((("2026-02-01T10:00:00+00:00", "m.durand"), ("2026-02-03T10:00:00+00:00", ""))):
                conn.execute(RUBRIC_IMPORT.insert().values(id=n + 1, imported_at=at, file_name="f.csv", file_sha256="x",
                                                           gradebook="g"))
                conn.execute(RUBRIC_GRADE.insert(), [
                    {"import_id": n + 1, "candidate": "ana", "criterion": "B1.2.b", "level": 2, "grader": grader,
                     "comment": None, "previous_json": "{}"},
                    *([{"import_id": 1, "candidate": "ben", "criterion": "B1.1.b", "level": 3, "grader": "m.roux",
                        "comment": None, "previous_json": "{}"}] if n == 0 else [])])
        assert rubric_provenance(store) == {
            ("ana", "B1.2.b"): {"grader": None, "at": "2026-02-03T10:00:00+00:00"},
            ("ben", "B1.1.b"): {"grader": "m.roux", "at": "2026-02-01T10:00:00+00:00"}}
    finally:
        store.dispose()
