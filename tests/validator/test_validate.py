"""End to end: real gradebook + jury CSV -> decisions, canonical JSON, audit versions, history."""

from __future__ import annotations

import json
import sqlite3

import pytest
from nbgrader.api import Gradebook

from tests.scores.factory import MAP_PATH, file_digest
from workbench.cli import main
from workbench.errors import InputError
from workbench.referentiel import load_referentiel
from workbench.scores import records
from workbench.validator.audit import DECISION, META, history, open_audit, record
from workbench.validator.run import build_decisions

REF = load_referentiel()


def jury_csv(path, candidates=("ana",), level="2", skip=()):
    rows = ["candidate;criterion;level;comment"]
    for cand in candidates:
        for b in ("B2", "B3", "B4", "B5"):
            rows += [f"{cand};{k};{level};" for k in REF.criterion_ids(b) if k not in skip]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    return path


def decide(course, **kw):
    return build_decisions(gradebook=course / "gradebook.db", criterion_map=MAP_PATH, **kw)


def doc(decisions, cand):
    return decisions.documents[decisions.candidates.index(cand)]


def test_decisions_per_candidate(course):
    d = decide(course, jury=jury_csv(course / "jury.csv", candidates=("ana", "ben", "cloé")))
    ana, ben, cloe, dev, eli = (doc(d, c) for c in ("ana", "ben", "cloé", "dev", "eli"))
    assert ana["certification"] == {"full": True, "status": "full", "validated_blocks": ["B1", "B2", "B3", "B4", "B5"],
                                    "not_validated_blocks": [], "not_evaluated_blocks": []}
    assert ben["certification"]["full"]  # satisfactory everywhere meets the default threshold
    # one rubric level short on B1.3.b: competence B1.3 and block B1 fail, the other blocks stand
    assert cloe["criteria"]["B1.3.b"] == {"score": pytest.approx(1 / 3, abs=1e-6), "state": "not_validated"}
    assert cloe["competences"]["B1.3"] == "not_validated" and cloe["competences"]["B1.1"] == "validated"
    assert cloe["certification"]["status"] == "partial"
    assert cloe["certification"]["validated_blocks"] == ["B2", "B3", "B4", "B5"]
    # no submission and no jury row: everything not evaluated, never failed or passed
    assert set(dev["blocks"].values()) == {"not_evaluated"} and dev["certification"]["status"] == "none"
    # an ungraded rubric cell: B1.2 not evaluated, block 1 not evaluated (not failed)
    assert eli["criteria"]["B1.2.b"] == {"score": None, "state": "not_evaluated"}
    assert eli["blocks"]["B1"] == "not_evaluated"


def test_missing_jury_result_is_not_evaluated(course):
    d = decide(course, jury=jury_csv(course / "jury.csv", skip=("B4.3.d",)))
    ana = doc(d, "ana")
    assert ana["criteria"]["B4.3.d"]["state"] == "not_evaluated"
    assert ana["competences"]["B4.3"] == "not_evaluated" and ana["blocks"]["B4"] == "not_evaluated"
    assert ana["certification"]["validated_blocks"] == ["B1", "B2", "B3", "B5"]
    assert ana["certification"]["not_evaluated_blocks"] == ["B4"]


def test_same_inputs_give_byte_identical_json(course, tmp_path):
    jury = jury_csv(course / "jury.csv", candidates=("ana", "cloé"))
    out1, out2 = tmp_path / "a.json", tmp_path / "b.json"
    args = ["validate", "-g", str(course / "gradebook.db"), "--map", str(MAP_PATH), "--jury", str(jury)]
    assert main(args + ["--out", str(out1)]) == 0
    assert main(args + ["--out", str(out2), "--no-record"]) == 0
    assert out1.read_bytes() == out2.read_bytes()
    body = json.loads(out1.read_text(encoding="utf-8"))
    assert "decided_at" not in out1.read_text(encoding="utf-8")
    assert [x["candidate"] for x in body["decisions"]] == ["ana", "ben", "cloé", "dev", "eli"]


def test_audit_versions_never_overwritten(course):
    store = open_audit(f"sqlite:///{course / 'decisions.db'}")
    first = record(store, decide(course), source="test", now="2026-06-10T09:00:00+00:00")
    assert first == {"recorded": 5, "unchanged": 0}
    assert record(store, decide(course), source="test", now="2026-06-10T09:05:00+00:00") == {
        "recorded": 0, "unchanged": 5}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:  # a grader raises cloé's synthesis level
        gb.find_grade("synthesis_rubric", "1_3_visualisation", "block1", "cloé").manual_score = 2.0
        gb.db.commit()
    assert record(store, decide(course), source="test", now="2026-06-11T14:00:00+00:00") == {
        "recorded": 1, "unchanged": 4}
    versions = history(store, "cloé")
    store.dispose()
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["decided_at"] == "2026-06-10T09:00:00+00:00"
    assert json.loads(versions[0]["decision_json"])["blocks"]["B1"] == "not_validated"
    assert json.loads(versions[1]["decision_json"])["blocks"]["B1"] == "validated"
    assert versions[0]["inputs_sha256"] != versions[1]["inputs_sha256"]
    assert json.loads(versions[1]["thresholds_json"])["B1.3.b"] == pytest.approx(2 / 3, abs=1e-6)
    evidence = json.loads(versions[1]["evidence_json"])
    cell = next(c for c in evidence["block1_cells"] if c["cell"] == "synthesis_rubric")
    assert cell["manual_score"] == 2.0 and cell["max_points"] == 3.0


def test_history_command_shows_versions(course, capsys):
    base = ["-g", str(course / "gradebook.db")]
    assert main(["history", "ana", *base]) == 2  # nothing recorded yet: a clear error
    assert "run `workbench validate` first" in capsys.readouterr().err
    assert main(["validate", *base, "--map", str(MAP_PATH)]) == 0
    assert main(["history", "ana", *base]) == 0
    out = capsys.readouterr().out
    assert "first decision" in out and "partial" in out
    assert main(["history", "ana", *base, "--json"]) == 0
    versions = json.loads(capsys.readouterr().out)
    assert versions[0]["decision_json"]["blocks"]["B1"] == "validated"
    assert main(["history", "nobody", *base]) == 2


def test_bad_jury_file_records_nothing(course, capsys):
    store = open_audit(f"sqlite:///{course / 'decisions.db'}")
    record(store, decide(course), source="test")
    store.dispose()
    before = file_digest(course / "decisions.db")
    bad = course / "jury.csv"
    bad.write_text("candidate,criterion,level\nana,B7.1.a,2\n", encoding="utf-8")
    code = main(["validate", "-g", str(course / "gradebook.db"), "--map", str(MAP_PATH), "--jury", str(bad)])
    assert code == 2 and "unknown block 'B7'" in capsys.readouterr().err
    assert file_digest(course / "decisions.db") == before
    with pytest.raises(InputError, match="unknown candidate 'zed'"):
        bad.write_text("candidate,criterion,level\nzed,B2.1.a,2\n", encoding="utf-8")
        decide(course, jury=bad)
    with sqlite3.connect(course / "decisions.db") as conn:
        assert conn.execute("select count(*) from workbench_decision").fetchone()[0] == 5


def test_reverting_a_grade_records_a_new_version_and_keeps_the_old(course):
    store = open_audit(f"sqlite:///{course / 'decisions.db'}")
    gb_url = f"sqlite:///{course / 'gradebook.db'}"

    def set_level(level):
        with Gradebook(gb_url) as gb:
            gb.find_grade("synthesis_rubric", "1_3_visualisation", "block1", "cloé").manual_score = level
            gb.db.commit()
        return record(store, decide(course), source="test")

    record(store, decide(course), source="test")
    set_level(3.0)
    set_level(1.0)  # back to the first grade: a third version, not a rewrite of the first
    versions = history(store, "cloé")
    store.dispose()
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[0]["inputs_sha256"] == versions[2]["inputs_sha256"] != versions[1]["inputs_sha256"]
    assert versions[0]["decision_json"] == versions[2]["decision_json"]


def test_scoring_rule_is_recorded_and_a_change_makes_new_versions(course, tmp_path):
    store = open_audit(f"sqlite:///{course / 'decisions.db'}")
    d = decide(course)
    assert json.loads(d.to_json())["scoring"] == {"evidence_weights": {"autograde": 1.0, "rubric": 2.0}}
    assert record(store, d, source="test")["recorded"] == 5
    # ben: every rubric level satisfactory, every check passed -> B1.2.a = (1 x 1 + 2 x 2/3) / 3
    assert doc(d, "ben")["criteria"]["B1.2.a"]["score"] == pytest.approx(7 / 9, abs=1e-6)
    rule = tmp_path / "scoring.yml"
    rule.write_text("evidence_weights: {autograde: 1, rubric: 1}\n", encoding="utf-8")
    changed = decide(course, scoring=rule)
    assert doc(changed, "ben")["criteria"]["B1.2.a"]["score"] == pytest.approx(5 / 6, abs=1e-6)
    # every decision rests on the rule: all get a new version, even where no score moved (dev, no submission)
    assert record(store, changed, source="test") == {"recorded": 5, "unchanged": 0}
    versions = history(store, "dev")
    store.dispose()
    assert [json.loads(v["scoring_json"])["evidence_weights"]["autograde"] for v in versions] == [1.0, 1.0]
    assert [json.loads(v["scoring_json"])["evidence_weights"]["rubric"] for v in versions] == [2.0, 1.0]
    assert versions[0]["decision_json"] == versions[1]["decision_json"]
    assert versions[0]["scoring_sha256"] != versions[1]["scoring_sha256"]


def test_audit_store_from_before_the_scoring_rule_is_upgraded(course, capsys):
    from sqlalchemy import MetaData, Table, create_engine

    old = MetaData()
    for table in records.META.sorted_tables:  # the rubric imports' tables: every store has them
        table.to_metadata(old)
    for table in META.sorted_tables:
        if table is not DECISION and table.name != "workbench_scoring":
            table.to_metadata(old)
    Table(DECISION.name, old, *[c._copy() for c in DECISION.columns if c.name != "scoring_sha256"])
    url = f"sqlite:///{course / 'decisions.db'}"
    engine = create_engine(url)
    old.create_all(engine)
    engine.dispose()
    store = open_audit(url)  # adds the column; the old versions keep NULL
    assert record(store, decide(course), source="test")["recorded"] == 5
    store.dispose()
    assert main(["history", "ana", "-g", str(course / "gradebook.db"), "--json"]) == 0
    versions = json.loads(capsys.readouterr().out)
    assert versions[0]["scoring_json"]["evidence_weights"]["rubric"] == 2.0
