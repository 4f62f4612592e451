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
