from __future__ import annotations


import pytest

from workbench.errors import InputError
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.validator.jury import read_jury

REF, RUB = load_referentiel(), load_rubrics()
CANDS = ["ana", "ben", "cloé"]


def read(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "jury.csv"
    path.write_bytes(text.encode(encoding))
    return read_jury(path, referentiel=REF, rubrics=RUB, candidates=CANDS)


def test_spreadsheet_jury_csv_levels_and_scores(tmp_path):
    text = ("candidat;critère;niveau;note;commentaire\n"
            "ana;B2.1.a;Satisfaisant;;Objectifs précis\n"
            "ana;B2.1.b;;0,75;\n"
            "\n"
            "cloé;B5.3.b;excellent;;Oral fluide\n")
    frame = read(tmp_path, text, "utf-8-sig").frame
    assert list(frame.candidate) == ["ana", "ana", "cloé"]
    assert frame.score.tolist() == pytest.approx([2 / 3, 0.75, 1.0])
    assert frame.level.tolist()[0] == "satisfactory" and frame.level.tolist()[1] is None
    assert frame.comment.tolist()[0] == "Objectifs précis"
    assert frame.line.tolist() == [2, 3, 5]


@pytest.mark.parametrize("text, message", [
    ("candidate,criterion,level\nana,B6.1.a,2\n", r"line 2, column criterion: unknown block 'B6'"),
    ("candidate,criterion,level\nana,B2.9.z,2\n", r"line 2, column criterion: unknown criterion 'B2.9.z'"),
    ("candidate,criterion,level\nana,B1.1.a,2\n", r"B1.1.a is a block-1 criterion, graded from the gradebook"),
    ("candidate,criterion,level\nzed,B2.1.a,2\n", r"line 2, column candidate: unknown candidate 'zed'"),
    ("candidate,criterion,level\nana,B2.1.a,5\n", r"line 2, column level: unknown level '5'"),
    ("candidate,criterion,score\nana,B2.1.a,1.2\n", r"line 2, column score: '1.2' is not a score in \[0, 1\]"),
    ("candidate,criterion,level,score\nana,B2.1.a,2,0.5\n", r"line 2: give a level or a score, not both"),
    ("candidate,criterion,level\nana,B2.1.a,\n", r"line 2: no level and no score"),
    ("candidate,criterion,level\nana,B2.1.a,2\nana,B2.1.a,3\n", r"line 3: second result for ana / B2.1.a"),
    ("candidate,critere\nana,B2.1.a\n", r"needs a column 'level' or 'score'"),
    ("candidate,criterion,grade\nana,B2.1.a,2\n", r"unknown column 'grade'"),
])
def test_bad_jury_rows_are_named(tmp_path, text, message):
    with pytest.raises(InputError, match=message) as err:
        read(tmp_path, text)
    assert "jury.csv" in str(err.value)


def test_jury_csv_in_latin1_is_rejected(tmp_path):
    with pytest.raises(InputError, match="not UTF-8"):
        read(tmp_path, "candidate,criterion,level,comment\nana,B2.1.a,2,très bien\n", "latin-1")


def test_every_fault_is_listed_at_once(tmp_path):
    with pytest.raises(InputError) as err:
        read(tmp_path, "candidate,criterion,level\nzed,B2.1.a,2\nana,B6.1.a,2\nana,B2.1.a,9\n")
    msg = str(err.value)
    assert msg.index("line 2") < msg.index("line 3") < msg.index("line 4")


def test_repository_sample_jury_csv_is_valid(repo_root):
    results = read_jury(repo_root / "grading" / "jury_sample.csv", referentiel=REF, rubrics=RUB,
                        candidates=["c01", "c02", "c03"])
    frame = results.frame
    assert set(frame.criterion.str[:2]) == {"B2", "B3", "B4", "B5"}
    assert not ((frame.candidate == "c03") & frame.criterion.str.startswith("B5")).any()  # left "not evaluated"


# --- levels and scores as juries write them (issue #18) -----------------------------------------

@pytest.mark.parametrize("level, score, level_id", [
    ("0", 0.0, "insufficient"), ("1.0", 1 / 3, "partial"), ("2,0", 2 / 3, "satisfactory"),
    ("3.0", 1.0, "excellent"), ("PARTIEL", 1 / 3, "partial"), ("Satisfactory", 2 / 3, "satisfactory"),
    ("insufficient", 0.0, "insufficient"), ("Insuffisant", 0.0, "insufficient"),
])
def test_every_spelling_of_a_level(tmp_path, level, score, level_id):
    frame = read(tmp_path, f"candidate;criterion;level\nben;B3.2.a;{level}\n").frame
    assert frame.score.tolist() == [pytest.approx(score)] and frame.level.tolist() == [level_id]
    assert frame.candidate.tolist() == ["ben"] and frame.criterion.tolist() == ["B3.2.a"]


@pytest.mark.parametrize("level", ["2.5", "2,5", "4,0", "-1", "two"])
def test_levels_that_are_not_levels_are_named(tmp_path, level):
    with pytest.raises(InputError, match=rf"line 2, column level: unknown level '{level}' \(known: 0=insufficient, "
                                         r"1=partial, 2=satisfactory, 3=excellent\)"):
        read(tmp_path, f"candidate;criterion;level\nben;B3.2.a;{level}\n")


@pytest.mark.parametrize("score, value", [("0", 0.0), ("1", 1.0), ("0,667", 0.667), ("0.5", 0.5), ("1,0", 1.0)])
def test_scores_in_the_closed_unit_interval(tmp_path, score, value):
    frame = read(tmp_path, f"candidate;criterion;score\nben;B3.2.a;{score}\n").frame
    assert frame.score.tolist() == [value] and frame.level.tolist() == [None]


@pytest.mark.parametrize("score", ["-0.01", "1.01", "abc", "nan"])
def test_scores_outside_the_unit_interval_are_named(tmp_path, score):
    with pytest.raises(InputError, match=rf"line 2, column score: '{score}' is not a score in \[0, 1\]"):
        read(tmp_path, f"candidate;criterion;score\nben;B3.2.a;{score}\n")


def test_level_and_score_columns_mix_row_by_row(tmp_path):
    text = "candidate;criterion;level;score\nana;B2.1.a;excellent;\nana;B2.1.b;;0,25\nben;B2.1.a;1;\n"
    frame = read(tmp_path, text).frame
    assert frame.score.tolist() == pytest.approx([1.0, 0.25, 1 / 3])
    assert frame.level.tolist() == ["excellent", None, "partial"]
    with pytest.raises(InputError, match=r"line 2: no level and no score"):
        read(tmp_path, "candidate;criterion;level;score\nana;B2.1.a;;\n")


def test_duplicate_row_is_named_with_its_line(tmp_path):
    with pytest.raises(InputError, match=r"line 3: second result for ana / B2.1.a"):
        read(tmp_path, "candidate;criterion;level\nana;B2.1.a;2\nana;B2.1.a;3\nana;B2.1.b;3\n")
    frame = read(tmp_path, "candidate;criterion;level\nana;B2.1.a;2\nben;B2.1.a;3\n").frame
    assert frame.score.tolist() == pytest.approx([2 / 3, 1.0])


def test_faults_are_sorted_by_line_across_kinds(tmp_path):
    with pytest.raises(InputError) as err:
        read(tmp_path, "candidate;criterion;level\nana;B2.1.a;9\nzed;B2.1.b;2\nana;B1.1.a;2\n"
                       "ana;B2.1.a;2\nana;B9.1.a;1\nana;B2.9.z;1\nana;B3.1.a;1\nana;B3.1.b;1\nana;B3.1.c;1\n"
                       "ana;B3.1.d;x\n")
    msg = str(err.value)
    order = [msg.index(f"line {n}") for n in (2, 3, 4, 5, 6, 7, 11)]  # 11 after 7: by number, not text
    assert order == sorted(order)
    assert "unknown block 'B9'" in msg and "unknown criterion 'B2.9.z'" in msg
    assert "B1.1.a is a block-1 criterion" in msg and "second result for ana / B2.1.a" in msg


def test_no_jury_file_and_an_empty_one_mean_no_result(tmp_path):
    from workbench.validator.jury import JuryResults

    empty = JuryResults.empty()
    assert list(empty.frame.columns) == ["candidate", "criterion", "score", "level", "comment", "line"]
    assert empty.frame["score"].dtype == float and all(empty.frame[c].dtype == object for c in
                                                      ("candidate", "criterion", "level", "comment", "line"))
    assert len(empty.frame) == 0 and empty.source == ""
    for header in ("candidate;criterion;level\n", "candidate;criterion;score\n", "candidate;criterion;level;score\n"):
        frame = read(tmp_path, header).frame
        assert len(frame) == 0 and frame["score"].dtype == float


def test_the_results_name_their_file_and_a_missing_comment_column_is_empty_text(tmp_path):
    results = read(tmp_path, "candidate;criterion;level\nana;B2.1.a;2\n")
    assert results.source == str(tmp_path / "jury.csv")
    assert results.frame["comment"].tolist() == [""]
