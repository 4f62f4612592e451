"""The audit store on synthetic cohorts (SQLite in a temporary folder): what each version records."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from tests.validator.cohorts import B1, decisions, marks_for, thresholds
from workbench.errors import StorageError
from workbench.scores.records import RUBRIC_GRADE, RUBRIC_IMPORT, rubric_provenance
from workbench.validator.audit import DECISION, SCORING, THRESHOLDS, history, latest_hashes, open_audit, record
from workbench.validator.decisions import canonical, sha256

COHORT = {"ana": marks_for({k: 1.0 for k in B1}), "ben": marks_for({k: 1 / 3 for k in B1})}
JURY = [("ana", "B2.1.a", 0.9), ("ben", "B2.1.a", 0.2)]


def rows(store, table):
    with store.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table))]


def test_a_plain_path_is_a_sqlite_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = open_audit("audit.db")
    store.dispose()
    assert (tmp_path / "audit.db").is_file()


def test_each_version_records_its_hashes_rules_and_time(tmp_path):
    store = open_audit(str(tmp_path / "decisions.db"))
    try:
        d = decisions(COHORT, JURY)
        assert record(store, d, source="validate --jury jury.csv", now="2026-03-01T08:00:00+00:00") == {
            "recorded": 2, "unchanged": 0}
        ana = next(r for r in rows(store, DECISION) if r["candidate"] == "ana")
        assert ana["version"] == 1 and ana["source"] == "validate --jury jury.csv"
        assert ana["decided_at"] == "2026-03-01T08:00:00+00:00"
        assert ana["inputs_sha256"] == d.inputs_sha256[d.candidates.index("ana")]
        assert ana["decision_json"] == canonical(d.document(d.candidates.index("ana")))
        assert ana["decision_sha256"] == sha256(ana["decision_json"])
        assert ana["evidence_json"] == canonical(d.evidence(d.candidates.index("ana")))
        assert ana["thresholds_sha256"] == sha256(d.thresholds_json)
        assert ana["scoring_sha256"] == sha256(d.scoring_json) and ana["rules_sha256"] == d.rules_sha256
        assert rows(store, THRESHOLDS) == [{"sha256": sha256(d.thresholds_json), "thresholds_json": d.thresholds_json}]
        assert rows(store, SCORING) == [{"sha256": sha256(d.scoring_json), "scoring_json": d.scoring_json}]
        assert latest_hashes(store) == {c: (1, h) for c, h in zip(d.candidates, d.inputs_sha256)}
        # new thresholds: a new version of both, the thresholds stored once more, the scoring rule not
        strict = decisions(COHORT, JURY, thresholds("default: satisfactory\ncriteria:\n  B2.1.a: excellent\n"))
        assert record(store, strict, source="again")["recorded"] == 2
        assert len(rows(store, THRESHOLDS)) == 2 and len(rows(store, SCORING)) == 1
        assert latest_hashes(store)["ben"] == (2, strict.inputs_sha256[strict.candidates.index("ben")])
        versions = history(store, "ana")
        assert [v["version"] for v in versions] == [1, 2]
        assert re.fullmatch(r"\d{4}-.*\+00:00", versions[1]["decided_at"])  # recorded now when not given
        assert json.loads(versions[0]["thresholds_json"])["B2.1.a"] == round(2 / 3, 6)
        assert json.loads(versions[1]["thresholds_json"])["B2.1.a"] == 1.0
        assert json.loads(versions[1]["scoring_json"]) == json.loads(d.scoring_json)
        assert history(store, "nobody") == []
    finally:
        store.dispose()


def test_an_empty_cohort_records_nothing(tmp_path):
    store = open_audit(f"sqlite:///{tmp_path / 'decisions.db'}")
    try:
        assert record(store, decisions({}, []), source="t") == {"recorded": 0, "unchanged": 0}
        assert rows(store, THRESHOLDS) == [] and rows(store, SCORING) == [] and rows(store, DECISION) == []
    finally:
        store.dispose()


def test_history_is_oldest_first_and_the_latest_import_wins_whatever_the_row_order(tmp_path):
    store = open_audit(f"sqlite:///{tmp_path / 'decisions.db'}")
    try:
        d = decisions(COHORT, JURY)
        record(store, d, source="t", now="2026-03-01T08:00:00+00:00")
        first = next(r for r in rows(store, DECISION) if r["candidate"] == "ana")
        with store.begin() as conn:  # versions 3 then 2 written out of order (e.g. restored from a dump)
            for version in (3, 2):
                conn.execute(DECISION.insert().values(**{**first, "id": None, "version": version,
                                                         "decided_at": f"2026-03-0{version}T08:00:00+00:00"}))
            conn.execute(RUBRIC_IMPORT.insert().values(id=1, imported_at="2026-02-01", file_name="a.csv",
                                                       file_sha256="x", gradebook="g"))
            conn.execute(RUBRIC_IMPORT.insert().values(id=2, imported_at="2026-02-09", file_name="b.csv",
                                                       file_sha256="y", gradebook="g"))
            for grade_id, import_id, grader in ((7, 2, "m.later"), (4, 1, "m.earlier")):
                conn.execute(RUBRIC_GRADE.insert().values(id=grade_id, import_id=import_id, candidate="ana",
                                                          criterion="B1.1.b", level=2, grader=grader,
                                                          previous_json="{}"))
        assert [v["version"] for v in history(store, "ana")] == [1, 2, 3]
        assert rubric_provenance(store) == {("ana", "B1.1.b"): {"grader": "m.later", "at": "2026-02-09"}}
    finally:
        store.dispose()


def test_only_records_the_candidates_named_and_counts_only_them(tmp_path):
    """An appeal's regrade records its candidate and no other, even when the others' inputs changed too."""
    store = open_audit(str(tmp_path / "decisions.db"))
    try:
        d = decisions(COHORT, JURY)
        assert record(store, d, source="appeal 1", only={"ben", "zoé"}) == {"recorded": 1, "unchanged": 0}
        assert [r["candidate"] for r in rows(store, DECISION)] == ["ben"]
        # ben is now up to date: named again, he is counted unchanged; ana, not named, is not counted
        assert record(store, d, source="appeal 2", only={"ben"}) == {"recorded": 0, "unchanged": 1}
        assert record(store, d, source="validate") == {"recorded": 1, "unchanged": 1}
        assert sorted(r["candidate"] for r in rows(store, DECISION)) == ["ana", "ben"]
    finally:
        store.dispose()


def test_a_store_that_is_not_a_database_is_one_line_naming_it(tmp_path):
    bad = tmp_path / "jury.csv"
    bad.write_text("candidate,criterion,level\n" * 50)
    with pytest.raises(StorageError) as err:
        open_audit(str(bad))
    assert str(err.value) == f"sqlite:///{bad}: cannot open the audit store: DatabaseError: file is not a database"
