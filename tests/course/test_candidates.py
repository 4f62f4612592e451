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


# --- every rule of the candidate list (issue #18) ---------------------------------------------------

def test_missing_empty_and_header_only_files_are_named(tmp_path):
    with pytest.raises(InputError, match="candidate list not found"):
        read_candidates(tmp_path / "nope.csv")
    for text in ("", "\n\n", "   \n"):
        with pytest.raises(InputError, match=f"empty file; expected the header {HEADER.replace(',', ', ')}"):
            read_candidates(write(tmp_path, text))
    with pytest.raises(InputError, match="no candidate in the file, nothing imported"):
        read_candidates(write(tmp_path, f"{HEADER}\n,,,\n  \n , , , \n"))


def test_ids_up_to_64_characters_of_a_portable_set(tmp_path):
    from workbench.course.candidates import check_candidate_id

    for good in ("a", "0", "c.001", "Jean-Luc_2", "x" * 64):
        assert check_candidate_id(good) is None, good
    for bad in ("x" * 65, ".hidden", "-x", "_x", "a/b", "a*b", "é", "a b"):
        assert "has characters nbgrader or file systems cannot take" in check_candidate_id(bad), bad
    assert check_candidate_id("") == "empty candidate_id"


def test_values_and_headers_are_trimmed_and_case_blind(tmp_path):
    text = " Candidate_ID , Last_Name ,first_name, EMAIL \n  c001 ,  Martin , Léa ,  lea@example.org \n"
    got = read_candidates(write(tmp_path, text))
    assert got == [type(got[0])("c001", "Martin", "Léa", "lea@example.org")]


def test_the_header_decides_the_separator(tmp_path):
    # a comma inside a name does not make a semicolon file comma-separated
    text = "candidate_id;last_name;first_name;email\nc001;Martin, dite Léa;Léa;\n"
    assert read_candidates(write(tmp_path, text))[0].last_name == "Martin, dite Léa"
    text = 'candidate_id,last_name,first_name,email\nc001,"Roux; Zoé",Zoé,\n'
    assert read_candidates(write(tmp_path, text))[0].last_name == "Roux; Zoé"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_excel_unicode_text_is_read_tabs_and_utf16_with_its_bom(tmp_path, encoding):
    # Excel's "Unicode text": tab-separated UTF-16 with a byte-order mark
    path = tmp_path / "candidates.csv"
    text = "candidate_id\tlast_name\tfirst_name\temail\r\nc001\tMartin, dite L\u00e9a\tL\u00e9a\t\r\n"
    bom = b"\xfe\xff" if encoding == "utf-16-be" else b""  # Python's "utf-16" writes its own BOM
    path.write_bytes(bom + text.encode(encoding))
    (got,) = read_candidates(path)
    assert (got.candidate_id, got.last_name, got.first_name) == ("c001", "Martin, dite Léa", "Léa")


def test_repeated_column_and_email_rule(tmp_path):
    with pytest.raises(InputError, match=r"repeated column\(s\) email"):
        read_candidates(write(tmp_path, "candidate_id,last_name,first_name,email,email\nc1,a,b,c,d\n"))
    for email, ok in (("a@b.fr", True), ("a@b", False), ("a b@c.fr", False), ("@b.fr", False), ("a@@b.fr", False)):
        text = f"{HEADER}\nc001,Martin,Léa,{email}\n"
        if ok:
            assert read_candidates(write(tmp_path, text))[0].email == email
        else:
            with pytest.raises(InputError, match="invalid email"):
                read_candidates(write(tmp_path, text))


def test_a_duplicate_in_another_case_names_the_first_line(tmp_path):
    text = f"{HEADER}\nAna,a,b,\nbob,c,d,\nANA,e,f,\n"
    with pytest.raises(InputError, match=r"1 bad row\(s\), nothing imported: line 4: duplicate candidate_id 'ANA' "
                                         r"\(first seen on line 2\)"):
        read_candidates(write(tmp_path, text))


def test_import_creates_or_updates_and_lists_sorted(tmp_path):
    from tests.scores.factory import empty_gradebook
    from workbench.course.candidates import Candidate, import_candidates, list_candidates

    url = empty_gradebook(tmp_path / "gradebook.db")
    first = [Candidate("c2", "Roux", "Zoé", "zoe@example.org"), Candidate("c1", "Martin", "Léa", "")]
    assert import_candidates(db_url=url, course_id="block1-2026", candidates=first) == 2
    assert list_candidates(db_url=url, course_id="block1-2026") == [
        Candidate("c1", "Martin", "Léa", ""), Candidate("c2", "Roux", "Zoé", "zoe@example.org")]
    # a second list updates who is there (names, an email now given) and adds the newcomers
    again = [Candidate("c1", "Martin-Petit", "Léa", "lea@example.org"), Candidate("c3", "", "", "")]
    assert import_candidates(db_url=url, course_id="block1-2026", candidates=again) == 2
    assert list_candidates(db_url=url, course_id="block1-2026") == [
        Candidate("c1", "Martin-Petit", "Léa", "lea@example.org"), Candidate("c2", "Roux", "Zoé", "zoe@example.org"),
        Candidate("c3", "", "", "")]
    with pytest.raises(InputError) as err:  # ids are unique regardless of case
        import_candidates(db_url=url, course_id="block1-2026", candidates=[Candidate("C1"), Candidate("C3")])
    assert str(err.value) == ("candidate ids are unique regardless of case: 'C1' is already in the course as "
                              "'c1'; 'C3' is already in the course as 'c3'; nothing imported")


def _message(path, text=None, encoding="utf-8") -> str:
    if text is not None:
        path.write_bytes(text.encode(encoding))
    with pytest.raises(InputError) as err:
        read_candidates(path)
    return str(err.value)


def test_each_refusal_reads_as_one_exact_line(tmp_path):
    path = tmp_path / "candidates.csv"
    expected = "expected candidate_id, last_name, first_name, email"
    assert _message(tmp_path / "nope.csv") == f"{tmp_path / 'nope.csv'}: candidate list not found"
    assert _message(path, "\n") == f"{path}: empty file; {expected.replace('expected', 'expected the header')}"
    assert _message(path, f"{HEADER}\n,,,\n") == f"{path}: no candidate in the file, nothing imported"
    assert _message(path, f"{HEADER}\nc001,Léa,é,\n", "latin-1") == (
        f"{path}: not UTF-8 text (byte 0xe9 on line 2); save the sheet as 'CSV UTF-8'")
    # behind a BOM, the byte named is still the bad one (é), not three bytes before it
    path.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\nc001,L\u00e9a,x,\n".encode("latin-1"))
    assert _message(path) == f"{path}: not UTF-8 text (byte 0xe9 on line 2); save the sheet as 'CSV UTF-8'"
    assert _message(path, "id,last_name,mail\nc1,a,b\n") == (
        f"{path}:1: wrong header (missing column(s) candidate_id, first_name, email; unknown column(s) 'id', "
        f"'mail'); {expected}")
    assert _message(path, "candidate_id,last_name,first_name,email,email,last_name\n") == (
        f"{path}:1: wrong header (repeated column(s) email, last_name); {expected}")
    assert _message(path, f"{HEADER}\nc+1,a,b,x\n") == (
        f"{path}: 1 bad row(s), nothing imported: line 2: candidate_id 'c+1' has characters nbgrader or file "
        "systems cannot take (use letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64); "
        "invalid email 'x'")


def test_rows_after_a_blank_or_short_row_are_still_read(tmp_path):
    got = read_candidates(write(tmp_path, f"{HEADER}\nc001,Martin,Léa,\n\n,,,\nc002,Roux,Zoé,\n"))
    assert [c.candidate_id for c in got] == ["c001", "c002"]
    with pytest.raises(InputError, match=r"2 bad row\(s\), nothing imported: line 2: 2 fields, expected 4; "
                                         r"line 3: 3 fields, expected 4$"):
        read_candidates(write(tmp_path, f"{HEADER}\nc001,a\nc002,a,b\n"))


def test_the_separator_is_the_headers_even_when_a_row_has_more_commas(tmp_path):
    text = "candidate_id;last_name;first_name;email\nc001;a,b,c,d;Léa;\n"
    assert read_candidates(write(tmp_path, text))[0].last_name == "a,b,c,d"


def test_many_bad_rows_are_one_line_naming_the_first_twenty(tmp_path):
    text = HEADER + "\n" + "".join(f"c+{i},a,b,\n" for i in range(25))
    message = _message(tmp_path / "candidates.csv", text)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'candidates.csv'}: 25 bad row(s), nothing imported: line 2: ")
    assert "line 21: " in message and "line 22: " not in message and message.endswith("; and 5 more")
    exactly = _message(tmp_path / "twenty.csv", HEADER + "\n" + "".join(f"c+{i},a,b,\n" for i in range(20)))
    assert "line 21: " in exactly and "more" not in exactly  # all twenty named, none left to count
