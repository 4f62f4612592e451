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
