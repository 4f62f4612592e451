"""Double marking into a real gradebook: blind imports, the moderation queue, final levels, the audit trail."""

from __future__ import annotations

import json

import pytest
from nbgrader.api import Gradebook
from sqlalchemy import select

from tests.marking.conftest import MAP_PATH, levels_csv
from tests.scores.factory import file_digest
from workbench.cli import main
from workbench.errors import InputError
from workbench.marking import store as st
from workbench.marking.marks import import_marker_levels, import_moderation
from workbench.validator.run import build_decisions


def manual(gradebook, cand, cell="justification_rubric", nb="1_1_collecte"):
    with Gradebook(f"sqlite:///{gradebook}") as gb:
        return gb.find_grade(cell, nb, "block1", cand).manual_score


def mark(course, marker, rows, tmp_path, name=None):
    gradebook, audit, rule = course
    path = levels_csv(tmp_path / (name or f"{marker}.csv"), rows)
    return import_marker_levels(csv_path=path, gradebook=gradebook, marker=marker, audit_url=audit, marking=rule,
                                criterion_map=MAP_PATH)


def moderate(course, rows, tmp_path, moderator="mod"):
    gradebook, audit, rule = course
    path = levels_csv(tmp_path / "moderation.csv", rows, header="candidate,criterion,level,reason")
    return import_moderation(csv_path=path, gradebook=gradebook, moderator=moderator, audit_url=audit, marking=rule,
                             criterion_map=MAP_PATH)


@pytest.fixture()
def double_marked(course, tmp_path):
    """m1 then m2 on B1.1.b: ana 2/3 (agree), ben 0/2 (diverge), cyd 3/3 (agree)."""
    mark(course, "m1", [("ana", "B1.1.b", 2, "ok"), ("ben", "B1.1.b", 0, ""), ("cyd", "B1.1.b", 3, "")], tmp_path)
    counts = mark(course, "m2", [("ana", "B1.1.b", 3, "good"), ("ben", "B1.1.b", 2, ""), ("cyd", "B1.1.b", 3, "")],
                  tmp_path)
    return course, counts


def test_first_marker_alone_writes_nothing_to_the_gradebook(course, tmp_path):
    counts = mark(course, "m1", [("ana", "B1.1.b", 2, ""), ("ben", "B1.1.b", 0, "")], tmp_path)
    assert counts == {"recorded": 2, "final": 0, "awaiting_moderation": 0}
    assert manual(course[0], "ana") is None  # every cell needs two markers: not final yet


def test_second_marker_settles_agreeing_cells_and_queues_the_divergent_one(double_marked):
    (gradebook, audit, _), counts = double_marked
    assert counts == {"recorded": 3, "final": 2, "awaiting_moderation": 1}
    assert manual(gradebook, "ana") == 2.0  # mean of 2 and 3 rounded down
    assert manual(gradebook, "cyd") == 3.0
    assert manual(gradebook, "ben") is None  # 0 and 2: two levels apart
    store = st.open_store(audit)
    assert st.awaiting_moderation(store, st.scope(gradebook)) == {("ben", "B1.1.b")}
    store.dispose()


def test_awaiting_moderation_in_decisions_then_moderator_decides(double_marked, tmp_path):
    (gradebook, audit, _), _ = double_marked
    decisions = build_decisions(gradebook=gradebook, criterion_map=MAP_PATH, audit=audit)
    ben = decisions.documents[decisions.candidates.index("ben")]
    ana = decisions.documents[decisions.candidates.index("ana")]
    assert ben["criteria"]["B1.1.b"] == {"score": None, "state": "awaiting_moderation"}
    assert ben["competences"]["B1.1"] == "awaiting_moderation"
    assert ana["criteria"]["B1.1.b"]["state"] == "validated" and ana["competences"]["B1.1"] == "validated"
    cell = next(c for c in decisions.evidence(decisions.candidates.index("ben"))["block1_cells"]
                if c["cell"] == "justification_rubric")
    assert cell["not_evaluated_reason"] == "awaiting moderation"
    assert cell["marks"] == {"markers": {"m1": 0, "m2": 2}}
    before = decisions.inputs_sha256[decisions.candidates.index("ben")]

    assert moderate(double_marked[0], [("ben", "B1.1.b", 1, "partial justification only")], tmp_path)["final"] == 1
    assert manual(gradebook, "ben") == 1.0  # the moderator's level wins (grading rule `moderator`)
    decisions = build_decisions(gradebook=gradebook, criterion_map=MAP_PATH, audit=audit)
    i = decisions.candidates.index("ben")
    assert decisions.documents[i]["criteria"]["B1.1.b"]["state"] == "not_validated"
    assert decisions.inputs_sha256[i] != before
    cell = next(c for c in decisions.evidence(i)["block1_cells"] if c["cell"] == "justification_rubric")
    assert cell["moderation"] == {"moderator": "mod", "level": 1, "reason": "partial justification only"}
    assert cell["marks"] == {"markers": {"m1": 0, "m2": 2}, "moderator": {"mod": 1}}
    assert cell["final_rule"] == "moderated:moderator" and cell["graded_by"] == "m1+m2 (mod, moderation)"


def test_audit_trail_keeps_every_level_marker_outcome_and_moderation(double_marked, tmp_path):
    course, _ = double_marked
    moderate(course, [("ben", "B1.1.b", 1, "partial justification only")], tmp_path)
    store = st.open_store(course[1])
    with store.connect() as conn:
        levels = conn.execute(select(st.LEVEL.c.candidate, st.LEVEL.c.marker, st.LEVEL.c.level, st.LEVEL.c.line)
                              .order_by(st.LEVEL.c.id)).fetchall()
        mod = conn.execute(select(st.MODERATION)).one()
        imports = conn.execute(select(st.IMPORT.c.kind, st.IMPORT.c.person).order_by(st.IMPORT.c.id)).fetchall()
    trail = [(r["status"], r["level"], r["rule"], r["person"]) for r in st.history(store, st.scope(course[0]), "ben")]
    store.dispose()
    assert [tuple(r) for r in levels] == [("ana", "m1", 2, 2), ("ben", "m1", 0, 3), ("cyd", "m1", 3, 4),
                                          ("ana", "m2", 3, 2), ("ben", "m2", 2, 3), ("cyd", "m2", 3, 4)]
    assert [tuple(i) for i in imports] == [("levels", "m1"), ("levels", "m2"), ("moderation", "mod")]
    assert (mod.moderator, mod.level, mod.reason, json.loads(mod.levels_json)) == (
        "mod", 1, "partial justification only", {"m1": 0, "m2": 2})
    assert trail == [("awaiting_marker", None, None, "m1"), ("awaiting_moderation", None, None, "m2"),
                     ("final", 1, "moderated:moderator", "mod")]


@pytest.mark.parametrize("how, expected", [("moderator", 1), ("mean_floor", 1), ("median_low", 1)])
def test_moderated_level_rule_is_data(course, tmp_path, how, expected):
    from tests.marking.conftest import write_rule

    write_rule(course[2], moderated=how)
    mark(course, "m1", [("ben", "B1.1.b", 0, "")], tmp_path)
    mark(course, "m2", [("ben", "B1.1.b", 3, "")], tmp_path)
    moderate(course, [("ben", "B1.1.b", 1, "reason")], tmp_path)
    # levels 0, 3 and the moderator's 1: moderator -> 1, mean (4/3) floor -> 1, lower median -> 1
    assert manual(course[0], "ben") == float(expected)


def test_moderated_rules_differ_where_they_should(course, tmp_path):
    from tests.marking.conftest import write_rule

    write_rule(course[2], moderated="mean_floor")
    mark(course, "m1", [("ben", "B1.1.b", 1, "")], tmp_path)
    mark(course, "m2", [("ben", "B1.1.b", 3, "")], tmp_path)
    moderate(course, [("ben", "B1.1.b", 3, "reason")], tmp_path)
    assert manual(course[0], "ben") == 2.0  # (1 + 3 + 3) / 3 = 2.33 -> 2, where `moderator` gives 3


def test_cli_shows_a_marker_nothing_of_the_others(course, tmp_path, capsys):
    gradebook, audit, rule = course
    mark(course, "m1", [("ben", "B1.1.b", 0, "")], tmp_path)
    path = levels_csv(tmp_path / "m2.csv", [("ben", "B1.1.b", 3, "")])
    assert main(["rubric", str(path), "-g", str(gradebook), "--map", str(MAP_PATH), "--audit-db", audit,
                 "--marker", "m2", "--marking", str(rule)]) == 0
    assert capsys.readouterr().out == "1 level(s) of marker m2 recorded\n"  # not the divergence, not m1's level
    assert main(["marking", "queue", "-g", str(gradebook), "--audit-db", audit, "--marking", str(rule)]) == 0
    out = capsys.readouterr().out
    assert "ben" in out and "B1.1.b" in out and "m1=0" in out and "m2=3" in out


BAD = {
    "level outside the rubric": ("m1", [("ana", "B1.1.b", 4, "")], r"m1\.csv: line 2, column level: level 4 is above"),
    "same marker twice in a file": ("m1", [("ana", "B1.1.b", 1, ""), ("ana", "B1.1.b", 2, "")],
                                    r"m1\.csv: line 3: ana / B1.1.b already given on line 2"),
    "same marker twice on a cell": ("m2", [("cyd", "B1.2.b", 1, ""), ("ana", "B1.1.b", 1, "")],
                                    r"again\.csv: line 3: marker m2 already marked ana / B1.1.b"),
    "marker not on the course": ("zed", [("ana", "B1.1.b", 1, "")], r"zed\.csv \(--marker\): marker 'zed' is not on"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_marker_input_is_refused_and_nothing_changes(double_marked, tmp_path, case):
    course, _ = double_marked
    marker, rows, message = BAD[case]
    name = "again.csv" if "cell" in case else f"{marker}.csv"
    before = file_digest(course[0]), file_digest(tmp_path / "decisions.db")
    with pytest.raises(InputError, match=message) as err:
        mark(course, marker, rows, tmp_path, name=name)
    assert "\n" not in str(err.value) and "nothing was changed" in str(err.value)
    assert (file_digest(course[0]), file_digest(tmp_path / "decisions.db")) == before


BAD_MODERATION = {
    "did not diverge": ([("ana", "B1.1.b", 3, "why")], "mod", r"line 2: ana / B1\.1\.b did not diverge \(levels: 2, 3"),
    "not double-marked": ([("ana", "B1.2.b", 3, "why")], "mod", r"line 2: ana / B1\.2\.b does not have every marker's level yet \(levels: none"),
    "no reason": ([("ben", "B1.1.b", 1, "")], "mod", r"line 2, column reason: a moderation needs a reason"),
    "moderator marked it": ([("ben", "B1.1.b", 1, "why")], "m1", r"line 2: m1 marked ben / B1\.1\.b"),
    "moderator not on the course": ([("ben", "B1.1.b", 1, "why")], "zed", r"\(--moderator\): moderator 'zed' is not"),
    "level outside the rubric": ([("ben", "B1.1.b", 7, "why")], "mod", r"line 2, column level: level 7 is above"),
}


@pytest.mark.parametrize("case", sorted(BAD_MODERATION))
def test_bad_moderation_is_refused_and_nothing_changes(double_marked, tmp_path, case):
    course, _ = double_marked
    rows, moderator, message = BAD_MODERATION[case]
    before = file_digest(course[0]), file_digest(tmp_path / "decisions.db")
    with pytest.raises(InputError, match=message) as err:
        moderate(course, rows, tmp_path, moderator=moderator)
    assert "moderation.csv" in str(err.value) and "\n" not in str(err.value)
    assert (file_digest(course[0]), file_digest(tmp_path / "decisions.db")) == before


def test_a_moderated_cell_is_not_moderated_twice(double_marked, tmp_path):
    course, _ = double_marked
    moderate(course, [("ben", "B1.1.b", 1, "first")], tmp_path)
    with pytest.raises(InputError, match=r"line 2: ben / B1\.1\.b was already moderated by mod"):
        moderate(course, [("ben", "B1.1.b", 2, "second")], tmp_path)


def test_a_grader_column_must_name_the_marker(course, tmp_path):
    path = levels_csv(tmp_path / "m1.csv", [("ana", "B1.1.b", 2, "", "m2")],
                      header="candidate,criterion,level,comment,grader")
    with pytest.raises(InputError, match=r"m1\.csv: line 2, column grader: 'm2' is not the marker of this file \(m1\)"):
        import_marker_levels(csv_path=path, gradebook=course[0], marker="m1", audit_url=course[1], marking=course[2],
                             criterion_map=MAP_PATH)


def test_two_gradebooks_sharing_an_audit_store_are_marked_apart(course, tmp_path):
    import shutil

    other = tmp_path / "other" / "gradebook.db"
    other.parent.mkdir()
    shutil.copyfile(course[0], other)
    mark(course, "m1", [("ana", "B1.1.b", 2, "")], tmp_path)
    # the same marker on the same cell of another course's gradebook: not "marked twice"
    mark((other, course[1], course[2]), "m1", [("ana", "B1.1.b", 0, "")], tmp_path)
    mark((other, course[1], course[2]), "m2", [("ana", "B1.1.b", 0, "")], tmp_path)
    assert manual(other, "ana") == 0.0 and manual(course[0], "ana") is None
    store = st.open_store(course[1])
    assert st.marks(store, st.scope(course[0]))["level"].tolist() == [2]
    store.dispose()


def test_jury_report_and_feedback_read_awaiting_moderation(double_marked, tmp_path):
    (gradebook, audit, _), _ = double_marked
    out = tmp_path / "reports"
    assert main(["report", "-g", str(gradebook), "--map", str(MAP_PATH), "--audit-db", audit, "--lang", "fr",
                 "--out", str(out), "--candidate", "ben"]) == 0
    rows = {r.split(";")[0]: r.split(";") for r in (out / "jury.fr.csv").read_text(encoding="utf-8-sig").splitlines()}
    assert rows["ben"][1] == "en attente de modération" and rows["ana"][1] != "en attente de modération"
    feedback = (out / "feedback" / "ben.fr.html").read_text(encoding="utf-8")
    assert "en attente de modération (correcteurs en désaccord)" in feedback


def test_sample_lists_the_cells_a_second_marker_marks_without_levels(course, tmp_path, capsys):
    from tests.marking.conftest import write_rule
    from workbench.marking.config import load_marking_rule

    gradebook, _, rule_path = course
    write_rule(rule_path, cells="sample")
    rule = load_marking_rule(rule_path)
    assert main(["marking", "sample", "-g", str(gradebook), "--map", str(MAP_PATH), "--marking", str(rule_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    crits = ("B1.1.b", "B1.2.a", "B1.2.b", "B1.3.a", "B1.3.b")
    expected = [f"{c},{k}" for c in ("ana", "ben", "cyd") for k in crits if rule.required_markers(c, k) == 2]
    assert lines == ["candidate,criterion", *expected] and 0 < len(expected) < 15  # dev has no submission


@pytest.mark.parametrize("command", ["marker", "moderation"])
def test_a_header_with_no_row_is_refused_not_recorded_as_zero(double_marked, tmp_path, capsys, command):
    """'0 level(s) of marker m3 recorded' with exit 0 would read as success to a marker: one line, exit 2."""
    (gradebook, audit, rule), _ = double_marked
    common = ["-g", str(gradebook), "--map", str(MAP_PATH), "--audit-db", audit, "--marking", str(rule)]
    if command == "marker":
        path = levels_csv(tmp_path / "m3.csv", [])
        args = ["rubric", str(path), *common, "--marker", "m3"]
    else:
        path = levels_csv(tmp_path / "moderation.csv", [], header="candidate,criterion,level,reason")
        args = ["marking", "moderate", str(path), *common, "--moderator", "mod"]
    before = file_digest(gradebook), file_digest(tmp_path / "decisions.db")
    assert main(args) == 2
    shown = capsys.readouterr()
    assert shown.out == "" and shown.err == f"error: {path}: no row under the header, nothing imported\n"
    assert (file_digest(gradebook), file_digest(tmp_path / "decisions.db")) == before
