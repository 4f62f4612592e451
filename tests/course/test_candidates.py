"""Candidate lists: encodings and separators accepted, bad rows all named, nothing imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.course.candidates import read_candidates
from workbench.errors import InputError

HEADER = "candidate_id,last_name,first_name,email"


def write(tmp_path: Path, text: str, *, bom: bool = False, encoding: str = "utf-8") -> Path:
    path = tmp_path / "candidates.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def test_reads_utf8_comma(tmp_path):
    got = read_candidates(write(tmp_path, f"{HEADER}\nc001,Martin,Léa,lea@example.org\nc002,Roux,Zoé,\n"))
    assert [c.candidate_id for c in got] == ["c001", "c002"]
    assert got[0].first_name == "Léa" and got[1].email == ""


def test_reads_bom_semicolon_and_any_column_order(tmp_path):
    text = "email;first_name;last_name;candidate_id\r\nlea@example.org;Léa;Martin;c001\r\n\r\n"
    got = read_candidates(write(tmp_path, text, bom=True))
    assert got[0].candidate_id == "c001" and got[0].last_name == "Martin"


def test_every_bad_row_is_named(tmp_path):
    text = (
        f"{HEADER}\n"
        "c001,Martin,Léa,lea@example.org\n"
        "c001,Roux,Zoé,zoe@example.org\n"  # line 3: duplicate
        ",Petit,Jean,jean@example.org\n"  # line 4: empty id
        "c+04,Moreau,Ana,ana@example.org\n"  # line 5: '+' breaks nbgrader's exchange names
        "c 05,Simon,Luc,luc@example.org\n"  # line 6: space
        "C002,Laurent,Eva,eva@example.org\n"
        "c002,Michel,Tom,tom@example.org\n"  # line 8: same id as line 7, other case
        "c009,Garcia,Noé,not-an-email\n"  # line 9
    )
    with pytest.raises(InputError) as err:
        read_candidates(write(tmp_path, text))
    msg = str(err.value)
    assert "6 bad row(s), nothing imported" in msg
    for fault in (
        "line 3: duplicate candidate_id 'c001' (first seen on line 2)",
        "line 4: empty candidate_id",
        "line 5: candidate_id 'c+04'",
        "line 6: candidate_id 'c 05'",
        "line 8: duplicate candidate_id 'c002' (first seen on line 7)",
        "line 9: invalid email 'not-an-email'",
    ):
        assert fault in msg


@pytest.mark.parametrize(
    "header, fault",
    [
        ("id,last_name,first_name,email", "missing column(s) candidate_id; unknown column(s) 'id'"),
        ("candidate_id,last_name,first_name", "missing column(s) email"),
    ],
)
def test_wrong_header_is_refused(tmp_path, header, fault):
    with pytest.raises(InputError, match="wrong header") as err:
        read_candidates(write(tmp_path, f"{header}\nc001,a,b,c@d.org\n"))
    assert fault in str(err.value) and "candidates.csv:1:" in str(err.value)


def test_not_utf8_is_refused(tmp_path):
    with pytest.raises(InputError, match="not UTF-8"):
        read_candidates(write(tmp_path, f"{HEADER}\nc001,Martin,Léa,lea@example.org\n", encoding="latin-1"))


def test_short_row_is_named(tmp_path):
    with pytest.raises(InputError, match="line 2: 3 fields, expected 4"):
        read_candidates(write(tmp_path, f"{HEADER}\nc001,Martin,Léa\n"))
