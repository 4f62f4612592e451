"""Read the CSV files graders and juries produce with spreadsheets.

Accepted: what :mod:`workbench._files` reads (UTF-8 with or without a BOM, UTF-16 when its
BOM says so; ``;``, ``,`` or tab separators sniffed from the header), French or English
column names, blank lines. Everything else is an
:class:`InputError` naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbench._files import read_text, separator
from workbench.errors import InputError

# French column names a spreadsheet may carry, mapped to ours
ALIASES = {
    "candidat": "candidate", "candidate_id": "candidate", "student": "candidate", "étudiant": "candidate",
    "critère": "criterion", "critere": "criterion",
    "niveau": "level", "commentaire": "comment", "correcteur": "grader", "évaluateur": "grader",
    "note": "score",
}
MAX_FAULTS = 20


@dataclass(frozen=True)
class Row:
    """One data row: its 1-based line number in the file and its values by column."""

    line: int
    values: dict[str, str]


def _column(name: str, aliases: dict[str, str] = ALIASES) -> str:
    key = name.strip().casefold()
    return aliases.get(key, key)


def _load_text(path: str | Path) -> str:
    where = str(path)
    text = read_text(path)
    if not text.strip():
        raise InputError("the file is empty", where=where)
    return text


def _check_header(header: list[str], where: str, required: tuple[str, ...], optional: tuple[str, ...],
                  one_of: tuple[str, ...], raw: list[str] | None = None) -> None:
    """``header``: the columns as understood (aliases resolved); ``raw``: as the user wrote them,
    which is what the faults name."""
    raw = raw or header
    allowed = set(required) | set(optional) | set(one_of)
    faults = [f"missing column {c!r}" for c in required if c not in header]
    if one_of and not set(one_of) & set(header):
        faults.append(f"needs a column {' or '.join(repr(c) for c in one_of)}")
    faults += [f"unknown column {r.strip()!r}" for h, r in zip(header, raw) if h not in allowed]
    for h in sorted(set(header)):
        if header.count(h) > 1:
            named = [r.strip() for c, r in zip(header, raw) if c == h]
            same = f" (all mean {h!r})" if len(set(named)) > 1 else ""
            faults.append(f"column {' and '.join(repr(n) for n in dict.fromkeys(named))} appears twice{same}")
    if faults:
        expected = ", ".join(list(required) + [f"[{c}]" for c in (*one_of, *optional)])
        raise InputError("; ".join(faults) + f" (expected header: {expected})", where=f"{where}:1")


def read_rows(path: str | Path, *, required: tuple[str, ...], optional: tuple[str, ...] = (),
              one_of: tuple[str, ...] = (), aliases: dict[str, str] = ALIASES) -> list[Row]:
    """Read a small CSV row by row and check its header.

    Parameters
    ----------
    required : tuple of str
        Columns that must be present.
    optional : tuple of str
        Columns that may be present; any other column is an error (a typo would
        otherwise be silently ignored).
    one_of : tuple of str
        Columns of which at least one must be present (e.g. ``level`` or ``score``).
    aliases : dict
        Other names of the columns (casefolded), e.g. a French name -> ours.

    Raises
    ------
    InputError
        Missing file, bad encoding, wrong header, a row with the wrong number of fields,
        a header with no row under it (every caller imports something; the jury's
        :func:`read_frame` instead reads a header alone as "no result").
    """
    where = str(path)
    text = _load_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator(text.splitlines()[0]))
    raw = next(reader)
    header = [_column(h, aliases) for h in raw]
    _check_header(header, where, required, optional, one_of, raw)
    rows, bad = [], []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            bad.append(f"line {line}: {len(values)} fields, the header has {len(header)}")
            continue
        rows.append(Row(line, {h: v.strip() for h, v in zip(header, values)}))
    raise_faults(bad, where)
    if not rows:  # "0 imported" and exit 0 would read as success to a grader who exported the wrong sheet
        raise InputError("no row under the header, nothing imported", where=where)
    return rows


def read_frame(path: str | Path, *, required: tuple[str, ...], optional: tuple[str, ...] = (),
               one_of: tuple[str, ...] = ()) -> pd.DataFrame:
    """Like :func:`read_rows`, with pandas' C parser for large files (jury CSVs of a whole cohort).

    Every column is categorical (stripped text; a cohort's CSV repeats a few thousand
    values, so each distinct value is handled once), plus ``line``, the 1-based line number.
    A header alone gives no row, not an error: a jury with no result yet means blocks 2-5
    not evaluated, as without the file.
    """
    where = str(path)
    text = _load_text(path)
    sep = separator(text.splitlines()[0])
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype="category", keep_default_na=False,
                            skip_blank_lines=False, engine="c")
    except pd.errors.ParserError as exc:
        raise InputError(f"malformed CSV: {exc}", where=where) from None
    # the header as written: pandas renames a repeated column ('level.1'), which would hide the repeat
    raw = next(csv.reader([text.splitlines()[0]], delimiter=sep))
    header = [_column(h) for h in raw]
    _check_header(header, where, required, optional, one_of, raw)
    frame.columns = header
    blank = np.ones(len(frame), dtype=bool)
    for col in header:
        cat = frame[col].cat
        # a missing field (code -1) reads as "", like an empty one
        stripped = [str(c).strip() for c in cat.categories] + [""]
        new_codes, uniques = pd.factorize(np.asarray(stripped, dtype=object))
        codes = new_codes[np.asarray(cat.codes)]
        frame[col] = pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))
        blank &= (np.asarray(uniques, dtype=object) == "")[codes]
    frame["line"] = np.arange(2, len(frame) + 2)
    return frame[~blank].reset_index(drop=True) if blank.any() else frame


def positions(values: pd.Series, universe: list[str]) -> np.ndarray:
    """Index of each value in ``universe`` (-1 when absent), computed once per distinct value."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = np.asarray(values.cat.codes)
        found = pd.Index(universe).get_indexer(values.cat.categories)
        return np.where(codes < 0, -1, found[codes]) if len(found) else np.full(len(codes), -1)
    return pd.Index(universe).get_indexer(values)


def raise_faults(faults: list[str], where: str) -> None:
    """Raise one :class:`InputError` listing (the first few) faults, if any."""
    if faults:
        more = f" (and {len(faults) - MAX_FAULTS} more)" if len(faults) > MAX_FAULTS else ""
        raise InputError("; ".join(faults[:MAX_FAULTS]) + more + "; nothing was changed", where=where)
