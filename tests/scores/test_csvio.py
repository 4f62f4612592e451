"""The shared CSV readers: a repeated column is named as written, by both readers."""

from __future__ import annotations

import pytest

from workbench.errors import InputError
from workbench.scores.csvio import read_frame, read_rows

READERS = {"rows": read_rows, "frame": read_frame}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("header, fault", [
    ("candidate;criterion;level;level", "column 'level' appears twice"),
    ("candidate;criterion;level;niveau", "column 'level' and 'niveau' appears twice (all mean 'level')"),
])
def test_a_repeated_column_is_named_as_written(reader, header, fault, tmp_path):
    path = tmp_path / "jury.csv"
    path.write_text(f"{header}\nana;B2.1.a;2;3\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        READERS[reader](path, required=("candidate", "criterion"), one_of=("level", "score"))
    assert err.value.where == f"{path}:1"
    assert err.value.message.startswith(fault + " (expected header: ")


ROWS = "candidate\tcriterion\tlevel\r\nanaïs\tB1.1.b\tsatisfaisant\r\n\r\nbérénice\tB1.2.a\t3\r\n"


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig", "utf-8"])
def test_utf16_with_its_bom_is_read_like_utf8(reader, codec, tmp_path):
    """Excel's 'Unicode text' export: UTF-16 (little-endian on Windows) with a BOM, tab-separated."""
    path = tmp_path / "levels.csv"
    data = ROWS.encode(codec)
    path.write_bytes(b"\xfe\xff" + data if codec == "utf-16-be" else data)
    got = READERS[reader](path, required=("candidate", "criterion", "level"))
    if reader == "rows":
        assert [(r.line, r.values) for r in got] == [
            (2, {"candidate": "anaïs", "criterion": "B1.1.b", "level": "satisfaisant"}),
            (4, {"candidate": "bérénice", "criterion": "B1.2.a", "level": "3"})]
    else:
        assert got[["candidate", "level", "line"]].astype(object).values.tolist() == [
            ["anaïs", "satisfaisant", 2], ["bérénice", "3", 4]]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("data, fault", [
    # Latin-1 behind a UTF-8 BOM: the byte named is the bad one, on its line
    pytest.param(b"\xef\xbb\xbfcandidate;criterion;level\nana\xefs;B1.1.b;2\n",
                 "not UTF-8 text (byte 0xef on line 2)", id="latin1-behind-utf8-bom"),
    # UTF-16 without its BOM: NULs between the letters, not a header of strange column names
    pytest.param("candidate;criterion;level\n".encode("utf-16-le"), "not UTF-8 text (byte 0x00 on line 1)",
                 id="utf16-without-bom"),
    # a UTF-16 BOM over bytes that are not UTF-16 (a lone surrogate on line 2)
    pytest.param("candidate;criterion;level\nana".encode("utf-16") + b"\x00\xd8;\x00",
                 "not UTF-16 text (byte 0x00 on line 2)", id="broken-utf16"),
])
def test_undecodable_bytes_are_one_line_naming_the_byte_and_line(reader, data, fault, tmp_path):
    path = tmp_path / "levels.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        READERS[reader](path, required=("candidate", "criterion", "level"))
    assert err.value.where == str(path)
    assert err.value.message == fault + "; save the sheet as 'CSV UTF-8'"


@pytest.mark.parametrize("text", ["candidate;criterion;level\n", "candidate;criterion;level\r\n\r\n;;\r\n"])
def test_a_header_with_no_row_is_refused_not_read_as_nothing_to_import(text, tmp_path):
    path = tmp_path / "levels.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_rows(path, required=("candidate", "criterion", "level"))
    assert str(err.value) == f"{path}: no row under the header, nothing imported"
    # the jury's results: a header alone is "no result yet" (blocks 2-5 not evaluated), as without the file
    assert len(read_frame(path, required=("candidate", "criterion"), one_of=("level", "score"))) == 0
